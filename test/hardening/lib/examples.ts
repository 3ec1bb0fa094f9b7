/**
 * Minimal schema-valid arguments for any tool, built from the JSON Schema its tools/list entry carries: the
 * required properties only (plus `confirm: true` where a tool asks for one, so destructive tools get past the
 * confirm stage), each from a hint of the same name and type (e.g. the server's sandbox probe arguments, so
 * ids point at seeded data; an id hint also serves ids under other names) or the smallest value its type
 * allows. Free strings are 'x'.
 */

import type { JsonSchema } from './arbitraries.ts';

export type { JsonSchema };

/** Property names that hold an id: `id`, `page_id`, `pageId`. */
const ID = /(?:^|_)id$|[a-z]Id$/;

export interface ExampleOptions {
  /** Values by property name, used when their type fits the schema (strings also when they match its pattern). */
  hints?: Record<string, unknown>;
}

export function exampleArgs(schema: JsonSchema, opts: ExampleOptions = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const props = schema.properties ?? {};
  for (const name of schema.required ?? []) out[name] = exampleValue(props[name] ?? {}, name, opts);
  if (props.confirm && typeOf(props.confirm) === 'boolean') out.confirm = true;
  return out;
}

/** The properties of `args` that hold strings nobody hinted: where a pasted secret goes. */
export function freeStrings(schema: JsonSchema, args: Record<string, unknown>, opts: ExampleOptions = {}): string[] {
  return Object.keys(args).filter((name) => {
    const s = schema.properties?.[name] ?? {};
    return typeOf(s) === 'string' && !s.enum && !s.format && !fits(s, opts.hints?.[name]);
  });
}

function typeOf(schema: JsonSchema): string | undefined {
  const t = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
  if (t) return t;
  if (schema.properties) return 'object';
  return undefined;
}

function fits(schema: JsonSchema, value: unknown): boolean {
  if (value === undefined) return false;
  if (schema.enum && !schema.enum.includes(value)) return false;
  const t = typeOf(schema);
  if (t === 'string') return typeof value === 'string' && (!schema.pattern || matches(schema.pattern, value));
  if (t === 'integer') return Number.isInteger(value);
  if (t === 'number') return typeof value === 'number';
  if (t === 'boolean') return typeof value === 'boolean';
  return false;
}

function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return false; // a pattern JavaScript cannot read: no hint is taken for it
  }
}

export function exampleValue(schema: JsonSchema, name: string, opts: ExampleOptions = {}): unknown {
  if (schema.const !== undefined) return schema.const;
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return exampleValue(options.find((o) => typeOf(o) !== 'null') ?? options[0]!, name, opts);
  const hint = opts.hints?.[name];
  if (fits(schema, hint)) return hint;
  if (schema.enum?.length) return schema.enum[0];
  switch (typeOf(schema)) {
    case 'string': {
      // Another hint may fit a constrained string, and an id can stand for an id under another name.
      const others = Object.entries(opts.hints ?? {}).filter(([, v]) => fits(schema, v));
      const other = schema.pattern ? others[0] : ID.test(name) ? others.find(([k]) => ID.test(k)) : undefined;
      if (other) return other[1];
      if (schema.format === 'date') return '2026-01-05';
      if (schema.format === 'date-time') return '2026-01-05T09:00:00Z';
      if (schema.format === 'uri' || schema.format === 'url') return 'https://example.com/';
      return 'x'.padEnd(schema.minLength ?? 1, 'x');
    }
    case 'integer':
    case 'number': {
      const low = schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : (schema.minimum ?? 1);
      return Math.min(Math.max(low, 1), schema.maximum ?? Number.POSITIVE_INFINITY);
    }
    case 'boolean':
      return false;
    case 'array':
      return Array.from({ length: Math.max(schema.minItems ?? 0, 1) }, () =>
        exampleValue(schema.items ?? {}, name, opts),
      );
    case 'object':
      return exampleArgs(schema, opts);
    default:
      return 'x';
  }
}
