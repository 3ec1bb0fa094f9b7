/**
 * Check recorded outgoing requests against a vendor's published API description (OpenAPI 3.0/3.1, Swagger 2.0):
 * a request must name a real operation, carry its required parameters with valid values, and send a body that
 * validates against the operation's request schema. The same description checks a sandbox's responses: the
 * status must be one the operation documents, and a JSON body must validate against that response's schema.
 * Operations are compiled lazily, on first use.
 */
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { deref, isObject, type Json, type JsonObject, resolvePointer, SchemaConverter } from './openapi-schema.ts';
import type { RecordedRequest } from './upstream.ts';

export interface OutgoingRequest {
  method: string;
  /** Request path; may include a query string, which is merged into `query`. */
  path: string;
  query?: Record<string, string | string[]> | URLSearchParams;
  /** Parsed JSON or form object, or a raw string (parsed when the content type says JSON or form). */
  body?: unknown;
  headers?: Record<string, string>;
}

/** A response as observed by the client, with the request it answers. */
export interface ObservedResponse {
  method: string;
  /** Request path; a query string is ignored. */
  path: string;
  status: number;
  /** Parsed JSON, or the raw response text (parsed when the content type says JSON). */
  body: unknown;
  /** Response content type; when absent the body is taken as already parsed JSON. */
  contentType?: string;
}

export interface CheckResult {
  ok: boolean;
  operationId?: string;
  /** The matched path template, e.g. '/repos/{owner}/{repo}/issues'. */
  template?: string;
  /** The request path relative to the description (its server base path stripped). */
  path: string;
  errors: string[];
}

export interface ApiDescription {
  readonly title: string;
  check(req: OutgoingRequest): CheckResult;
  /**
   * Check a response against the operation the request names: its status must be documented (exactly, as a
   * `2XX` range, or by `default`), and a JSON body must validate against that response's schema. Responses the
   * description gives no body for (vendors often leave error bodies out) and non-JSON bodies are not checked.
   */
  checkResponse(res: ObservedResponse): CheckResult;
  operations(): { method: string; path: string; operationId?: string }[];
}

export interface LoadOptions {
  /**
   * RPC-style APIs (Slack's Web API): every method accepts GET or POST, and parameters declared in the query or
   * form may arrive in the query string, a form body or a JSON body alike. Errors come back in-band (Slack: 200
   * with `ok: false`) while the description puts their schema under `default`, so a response body that fits the
   * `default` response passes too.
   */
  rpc?: boolean;
  /** Parameter names never checked, e.g. Slack's `token`, which clients send as an Authorization header. */
  ignoreParams?: string[];
  /**
   * Path parameters that may span several segments when they end a path, sent with raw '/' rather than %2F
   * (e.g. GitHub's `contents/{path}` from clients that do not encode it). Default none: a path with extra
   * segments does not match.
   */
  multiSegmentParams?: string[];
}

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv | Ajv2020,
) => void;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** OpenAPI `format`s that are not JSON Schema formats; known so ajv does not warn, never checked. */
const OPENAPI_FORMATS = ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password', 'uri-template'];

/**
 * `format: email` in responses. Vendors send addresses that are not RFC 5322 addresses in such fields (GitHub's
 * bot addresses: `49699333+dependabot[bot]@users.noreply.github.com`), so a sandbox copying them must pass.
 */
const RESPONSE_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface Param {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie' | 'formData' | 'body';
  required: boolean;
  schema: Json;
  /** OpenAPI 3 `style: form, explode: false` or Swagger 2 `collectionFormat: csv`: arrays as a,b,c. */
  csv: boolean;
}

interface Operation {
  method: string;
  template: string;
  operationId?: string;
  params: Param[];
  /** media type -> schema (OpenAPI 3 requestBody, or Swagger 2 `in: body`). */
  body?: { required: boolean; content: Record<string, Json> };
  /** The raw `responses` object: status (or `2XX`, `default`) -> response object or `$ref`. */
  responses: JsonObject;
  /** Swagger 2 `produces`: the media types its response schemas describe. */
  produces: string[];
  compiled?: Compiled;
}

/** The response an operation documents for a status: which key it was found under, media type -> schema. */
interface ResponseSpec {
  key: string;
  content: Record<string, Json>;
}

interface Compiled {
  params: Map<string, { param: Param; validate: ValidateFunction | undefined }>;
  /** Query (and, for formData/rpc, form) names that explode from object parameters. */
  extraNames: Set<string>;
  body: Map<string, ValidateFunction | null>;
  /** `${response key} ${media type}` -> validator (null: nothing to check). */
  responses: Map<string, ValidateFunction | null>;
}

interface PathEntry {
  template: string;
  /** Per segment: a literal, or a regex with named params (`{owner}`, `v{version}.json`). */
  segments: ({ literal: string } | { re: RegExp; names: string[]; lone: boolean })[];
  ops: Map<string, Operation>;
}

const cache = new Map<string, ApiDescription>();

/** Load an API description from a JSON file (cached per path and options) or an already parsed document. */
export function loadApiDescription(fileOrObject: string | object, opts: LoadOptions = {}): ApiDescription {
  if (typeof fileOrObject !== 'string') return new Description(fileOrObject as JsonObject, opts);
  const file = resolvePath(fileOrObject);
  const key = `${file}\0${JSON.stringify(opts)}`;
  let d = cache.get(key);
  if (!d) {
    d = new Description(JSON.parse(readFileSync(file, 'utf8')) as JsonObject, opts);
    cache.set(key, d);
  }
  return d;
}

function segmentMatcher(seg: string): PathEntry['segments'][number] {
  if (!seg.includes('{')) return { literal: seg };
  const names: string[] = [];
  const re = seg.replace(/\{([^}]+)\}|([^{]+)/g, (_m, name: string | undefined, lit: string | undefined) => {
    if (name !== undefined) {
      names.push(name);
      return '([^/]+?)';
    }
    return lit!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return { re: new RegExp(`^${re}$`), names, lone: /^\{[^}]+\}$/.test(seg) };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function fmtValue(v: unknown): string {
  const s = typeof v === 'string' ? `'${v}'` : JSON.stringify(v);
  return s === undefined ? 'undefined' : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/**
 * One ajv error as a readable phrase: where, what is wrong, what was there. Places inside request values read
 * `body.labels.0`; with `pointer`, as JSON pointers (`response body at /labels/0`).
 */
function describeError(where: string, e: ErrorObject, data: unknown, pointer = false): string {
  const at = !e.instancePath
    ? where
    : pointer
      ? `${where} at ${e.instancePath}`
      : `${where}${e.instancePath.replace(/\//g, '.')}`;
  let value: unknown = data;
  for (const p of e.instancePath.split('/').slice(1)) {
    const key = p.replace(/~1/g, '/').replace(/~0/g, '~');
    value = isObject(value as Json) || Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
  }
  switch (e.keyword) {
    case 'enum':
      return `${at} must be one of ${(e.params.allowedValues as unknown[]).map((v) => fmtValue(v)).join(', ')} (got ${fmtValue(value)})`;
    case 'type':
      return `${at} must be ${e.params.type} (got ${fmtValue(value)})`;
    case 'required':
      return `${at} is missing required property '${e.params.missingProperty}'`;
    case 'additionalProperties':
      return `${at} has unknown property '${e.params.additionalProperty}'`;
    default:
      return `${at} ${e.message ?? 'is invalid'} (got ${fmtValue(value)})`;
  }
}

/** Collapse ajv's per-branch errors (oneOf/anyOf) to the few that say something. */
function describeErrors(
  where: string,
  errors: ErrorObject[] | null | undefined,
  data: unknown,
  pointer = false,
): string[] {
  const list = errors ?? [];
  const useful = list.filter((e) => !['oneOf', 'anyOf', 'if', 'allOf'].includes(e.keyword));
  const chosen = useful.length > 0 ? useful : list;
  const out = [...new Set(chosen.map((e) => describeError(where, e, data, pointer)))];
  return out.length > 6 ? [...out.slice(0, 6), `${where}: ${out.length - 6} more errors`] : out;
}

class Description implements ApiDescription {
  readonly title: string;
  readonly #doc: JsonObject;
  readonly #opts: LoadOptions;
  readonly #swagger2: boolean;
  readonly #is31: boolean;
  readonly #basePaths: string[];
  readonly #paths: PathEntry[] = [];
  readonly #converter: SchemaConverter;
  #ajvBody?: Ajv | Ajv2020;
  #ajvParam?: Ajv | Ajv2020;
  #ajvResponse?: Ajv | Ajv2020;

  constructor(doc: JsonObject, opts: LoadOptions) {
    this.#doc = doc;
    this.#opts = opts;
    const info = isObject(doc.info) ? doc.info : {};
    this.title = typeof info.title === 'string' ? info.title : 'API description';
    this.#swagger2 = typeof doc.swagger === 'string' && doc.swagger.startsWith('2');
    const openapi = typeof doc.openapi === 'string' ? doc.openapi : '';
    if (!this.#swagger2 && !openapi.startsWith('3')) throw new Error('not an OpenAPI 3 or Swagger 2 document');
    this.#is31 = openapi.startsWith('3.1');
    this.#converter = new SchemaConverter(doc, !this.#is31);
    this.#basePaths = this.#computeBasePaths();
    if (!isObject(doc.paths)) throw new Error('API description has no paths');
    for (const [template, item] of Object.entries(doc.paths)) {
      const pathItem = deref(doc, item);
      if (!isObject(pathItem)) continue;
      const entry: PathEntry = {
        template,
        segments: template.split('/').slice(1).map(segmentMatcher),
        ops: new Map(),
      };
      for (const m of METHODS) {
        const op = pathItem[m];
        if (!isObject(op)) continue;
        entry.ops.set(m.toUpperCase(), this.#operation(m.toUpperCase(), template, pathItem, op));
      }
      this.#paths.push(entry);
    }
  }

  #computeBasePaths(): string[] {
    const doc = this.#doc;
    const out = new Set<string>();
    if (this.#swagger2 && typeof doc.basePath === 'string') out.add(doc.basePath);
    if (Array.isArray(doc.servers)) {
      for (const s of doc.servers) {
        if (!isObject(s) || typeof s.url !== 'string') continue;
        // drop scheme and host (which may be a {variable}); keep the path
        out.add(s.url.replace(/^[a-z{][^:/]*:\/\/[^/]*/i, ''));
      }
    }
    return [...out].map((p) => p.replace(/\/+$/, '')).filter((p) => p.startsWith('/') && !p.includes('{'));
  }

  #operation(method: string, template: string, pathItem: JsonObject, op: JsonObject): Operation {
    const byKey = new Map<string, Param>();
    const lists = [pathItem.parameters, op.parameters];
    for (const list of lists) {
      if (!Array.isArray(list)) continue;
      for (const raw of list) {
        const p = deref(this.#doc, raw);
        if (!isObject(p) || typeof p.name !== 'string' || typeof p.in !== 'string') continue;
        byKey.set(`${p.in}:${p.name}`, this.#param(p));
      }
    }
    const params = [...byKey.values()].filter((p) => !this.#opts.ignoreParams?.includes(p.name));
    const produces = Array.isArray(op.produces) ? op.produces : this.#doc.produces;
    const result: Operation = {
      method,
      template,
      params,
      responses: isObject(op.responses) ? op.responses : {},
      produces: Array.isArray(produces)
        ? produces.filter((t): t is string => typeof t === 'string').map((t) => t.toLowerCase())
        : ['application/json'],
    };
    if (typeof op.operationId === 'string') result.operationId = op.operationId;
    const bodyParam = params.find((p) => p.in === 'body');
    if (bodyParam) {
      const consumes = Array.isArray(op.consumes) ? op.consumes : this.#doc.consumes;
      const types = Array.isArray(consumes) ? consumes.filter((c) => typeof c === 'string') : ['application/json'];
      result.body = {
        required: bodyParam.required,
        content: Object.fromEntries(types.map((t) => [t, bodyParam.schema])),
      };
    }
    const rb = deref(this.#doc, op.requestBody);
    if (isObject(rb) && isObject(rb.content)) {
      const content: Record<string, Json> = {};
      for (const [type, media] of Object.entries(rb.content)) {
        content[type.toLowerCase()] = isObject(media) && media.schema !== undefined ? media.schema : {};
      }
      result.body = { required: rb.required === true, content };
    }
    return result;
  }

  #param(p: JsonObject): Param {
    let schema: Json;
    if (p.schema !== undefined) {
      schema = p.schema;
    } else {
      // Swagger 2: the schema keywords sit on the parameter itself
      const s: JsonObject = {};
      for (const k of ['type', 'format', 'items', 'enum', 'minimum', 'maximum', 'pattern', 'minLength', 'maxLength']) {
        if (p[k] !== undefined) s[k] = p[k];
      }
      if (p.in === 'formData' && p.type === 'file') delete s.type;
      schema = s;
    }
    const inn = p.in as Param['in'];
    const csv =
      (p.style === 'form' && p.explode === false) ||
      (this.#swagger2 && inn !== 'body' && (p.collectionFormat === undefined || p.collectionFormat === 'csv'));
    return { name: p.name as string, in: inn, required: p.required === true || inn === 'path', schema, csv };
  }

  operations(): { method: string; path: string; operationId?: string }[] {
    const out: { method: string; path: string; operationId?: string }[] = [];
    for (const e of this.#paths) {
      for (const op of e.ops.values()) {
        out.push({ method: op.method, path: op.template, ...(op.operationId ? { operationId: op.operationId } : {}) });
      }
    }
    return out;
  }

  #ajv(kind: 'body' | 'param' | 'response'): Ajv | Ajv2020 {
    const existing = kind === 'body' ? this.#ajvBody : kind === 'param' ? this.#ajvParam : this.#ajvResponse;
    if (existing) return existing;
    const options: Options = {
      strict: false,
      allErrors: true,
      allowUnionTypes: true,
      validateSchema: false,
      logger: false,
      // parameters arrive as strings: coerce to the declared type (and scalars to one-item arrays)
      ...(kind === 'param' ? { coerceTypes: 'array' as const } : {}),
    };
    const ajv = this.#is31 ? new Ajv2020(options) : new Ajv(options);
    addFormats(ajv);
    for (const f of OPENAPI_FORMATS) ajv.addFormat(f, true);
    if (kind === 'response') ajv.addFormat('email', RESPONSE_EMAIL);
    if (kind === 'body') this.#ajvBody = ajv;
    else if (kind === 'param') this.#ajvParam = ajv;
    else this.#ajvResponse = ajv;
    return ajv;
  }

  /**
   * Compile a body schema; a form body schema with type coercion (form values are strings); or a parameter
   * schema as `{ v: schema }`, since ajv coerces types in place only inside a parent object.
   */
  #compile(kind: 'body' | 'form' | 'param' | 'response', schema: Json, what: string): ValidateFunction {
    try {
      const converted = this.#converter.convert(schema);
      if (kind === 'response') return this.#ajv('response').compile(converted);
      if (kind !== 'param') return this.#ajv(kind === 'form' ? 'param' : 'body').compile(converted);
      const defsKey = this.#is31 ? '$defs' : 'definitions';
      const defs = converted[defsKey];
      delete converted[defsKey];
      return this.#ajv(kind).compile({
        type: 'object',
        properties: { v: converted },
        ...(defs ? { [defsKey]: defs } : {}),
      });
    } catch (e) {
      throw new Error(`${this.title}: cannot compile the schema of ${what}: ${(e as Error).message}`);
    }
  }

  #compiled(op: Operation): Compiled {
    if (op.compiled) return op.compiled;
    const params = new Map<string, { param: Param; validate: ValidateFunction | undefined }>();
    const extraNames = new Set<string>();
    for (const p of op.params) {
      if (p.in === 'body' || p.in === 'header' || p.in === 'cookie') continue;
      const hasSchema = isObject(p.schema) && Object.keys(p.schema).length > 0;
      const validate = hasSchema ? this.#compile('param', p.schema, `${p.in} parameter '${p.name}'`) : undefined;
      params.set(`${p.in}:${p.name}`, { param: p, validate });
      // style=form, explode=true objects spread their properties over the query
      const s = deref(this.#doc, p.schema);
      if (p.in === 'query' && isObject(s) && s.type === 'object' && isObject(s.properties)) {
        for (const k of Object.keys(s.properties)) extraNames.add(k);
      }
    }
    op.compiled = { params, extraNames, body: new Map(), responses: new Map() };
    return op.compiled;
  }

  #bodyValidator(op: Operation, mediaType: string): ValidateFunction | null {
    const compiled = this.#compiled(op);
    if (compiled.body.has(mediaType)) return compiled.body.get(mediaType)!;
    const schema = op.body?.content[mediaType];
    const v =
      schema !== undefined && !(isObject(schema) && Object.keys(schema).length === 0)
        ? this.#compile(
            mediaType === 'application/x-www-form-urlencoded' ? 'form' : 'body',
            schema,
            `the ${mediaType} request body of ${op.operationId ?? op.template}`,
          )
        : null;
    compiled.body.set(mediaType, v);
    return v;
  }

  /** Candidate path entries for a path, best (most literal, leftmost) first, with the path params they bind. */
  #match(path: string): { entry: PathEntry; params: Record<string, string> }[] {
    const parts = path.split('/').slice(1);
    const found: { entry: PathEntry; params: Record<string, string>; rank: number[] }[] = [];
    for (const entry of this.#paths) {
      const segs = entry.segments;
      // a final lone {param} named in multiSegmentParams may swallow the rest of the path
      const last = segs[segs.length - 1];
      const greedy =
        last !== undefined &&
        're' in last &&
        last.lone &&
        this.#opts.multiSegmentParams?.includes(last.names[0]!) === true;
      if (parts.length !== segs.length && !(greedy && parts.length > segs.length)) continue;
      const params: Record<string, string> = {};
      const rank: number[] = [];
      let ok = true;
      for (let i = 0; i < segs.length && ok; i++) {
        const seg = segs[i]!;
        if (greedy && i === segs.length - 1 && 're' in seg) {
          // the tail, segments decoded one by one
          const tail = parts.slice(i);
          if (tail.some((p) => p === '')) ok = false;
          else params[seg.names[0]!] = tail.map(decode).join('/');
          rank.push(2);
          continue;
        }
        const part = parts[i]!;
        if ('literal' in seg) {
          ok = decode(part) === seg.literal || part === seg.literal;
          rank.push(0);
        } else {
          const m = seg.re.exec(part);
          if (!m || part === '') ok = false;
          else for (const [j, n] of seg.names.entries()) params[n] = decode(m[j + 1]!);
          rank.push(seg.lone ? 2 : 1);
        }
      }
      // exact segment counts beat a greedy tail, and a greedy tail should swallow as little as it can
      const exact = parts.length === segs.length;
      if (ok) found.push({ entry, params, rank: [exact ? 0 : 1, exact ? 0 : -segs.length, ...rank] });
    }
    found.sort((a, b) => {
      for (let i = 0; i < Math.max(a.rank.length, b.rank.length); i++) {
        const d = (a.rank[i] ?? 0) - (b.rank[i] ?? 0);
        if (d !== 0) return d;
      }
      return 0;
    });
    return found;
  }

  #stripBase(path: string): string {
    for (const b of [...this.#basePaths].sort((x, y) => y.length - x.length)) {
      if (b && (path === b || path.startsWith(`${b}/`))) return path.slice(b.length) || '/';
    }
    return path;
  }

  /** The closest templates: longest matching prefix, then same length, then the nearest spelling. */
  #suggest(path: string): string {
    const parts = path.split('/').slice(1);
    const scored = this.#paths.map((e) => {
      let prefix = 0;
      while (prefix < Math.min(parts.length, e.segments.length)) {
        const seg = e.segments[prefix]!;
        const part = parts[prefix]!;
        if ('literal' in seg ? decode(part) !== seg.literal : !seg.re.test(part)) break;
        prefix++;
      }
      const next = e.template.split('/').slice(1)[prefix] ?? '';
      return {
        t: e.template,
        key: [-prefix, Math.abs(e.segments.length - parts.length), distance(next, parts[prefix] ?? '')],
      };
    });
    scored.sort((a, b) => a.key[0]! - b.key[0]! || a.key[1]! - b.key[1]! || a.key[2]! - b.key[2]!);
    const near = scored.slice(0, 3).map((x) => x.t);
    return near.length > 0 ? ` (closest: ${near.join(', ')})` : '';
  }

  /** The operation a request names (`path` already relative to the description), or why there is none. */
  #find(
    method: string,
    path: string,
    label: string,
  ): { op: Operation; params: Record<string, string> } | { failure: CheckResult } {
    const matches = this.#match(path);
    if (matches.length === 0) {
      return {
        failure: {
          ok: false,
          path,
          errors: [`${label}: no path in ${this.title} matches ${path}${this.#suggest(path)}`],
        },
      };
    }
    for (const m of matches) {
      const op = m.entry.ops.get(method) ?? (this.#opts.rpc ? [...m.entry.ops.values()][0] : undefined);
      if (op) return { op, params: m.params };
    }
    const best = matches[0]!.entry;
    return {
      failure: {
        ok: false,
        path,
        template: best.template,
        errors: [
          `${label}: ${method} is not an operation of ${best.template} in ${this.title} (it has ${[...best.ops.keys()].join(', ')})`,
        ],
      },
    };
  }

  check(req: OutgoingRequest): CheckResult {
    const method = req.method.toUpperCase();
    const [rawPath = '', rawQuery] = req.path.split('?', 2) as [string, string | undefined];
    const path = this.#stripBase(rawPath);
    const query = toMulti(req.query, rawQuery);
    const label = `${method} ${req.path}`;

    const found = this.#find(method, path, label);
    if ('failure' in found) return found.failure;
    const { op, params: pathParams } = found;
    const errors: string[] = [];
    const compiled = this.#compiled(op);
    const headers = Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const contentType = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const body = parseBodyString(req.body, contentType);
    const hasFormParams = op.params.some((p) => p.in === 'formData');

    // Values by location. RPC APIs take query/form parameters from anywhere.
    const formValues: Record<string, string | string[]> = {};
    if (hasFormParams || this.#opts.rpc) {
      if (isObject(body as Json)) {
        for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
          formValues[k] = Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : stringify(v);
        }
      }
    }
    const lookup = (p: Param): string | string[] | undefined => {
      if (p.in === 'path') return pathParams[p.name];
      if (this.#opts.rpc) return query[p.name] ?? formValues[p.name];
      if (p.in === 'query') return query[p.name];
      if (p.in === 'formData') return formValues[p.name];
      return undefined;
    };

    for (const { param, validate } of compiled.params.values()) {
      const raw = lookup(param);
      const where = `${param.in === 'formData' ? 'form' : param.in} parameter '${param.name}'`;
      if (raw === undefined) {
        if (param.required) errors.push(`${label}: missing required ${where}`);
        continue;
      }
      if (!validate) continue;
      let value: unknown = raw;
      const schema = deref(this.#doc, param.schema);
      // a form-exploded object cannot arrive under its own name; vendors misuse `type: object` for free text
      if (isObject(schema) && schema.type === 'object') continue;
      const isArray = isObject(schema) && schema.type === 'array';
      if (isArray && param.csv) value = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split(','));
      else if (!isArray && Array.isArray(raw)) {
        errors.push(`${label}: ${where} is given ${raw.length} times but takes one value`);
        continue;
      }
      if (!validate({ v: structuredClone(value) })) {
        for (const e of validate.errors ?? []) {
          const unwrapped = { ...e, instancePath: e.instancePath.replace(/^\/v/, '') };
          errors.push(`${label}: ${describeError(where, unwrapped, value)}`);
        }
      }
    }

    // Unknown query parameters (and unknown form fields, for form operations).
    const known = (loc: Param['in']) =>
      new Set([
        ...op.params
          .filter((p) => p.in === loc || (this.#opts.rpc && (p.in === 'query' || p.in === 'formData')))
          .map((p) => p.name),
        ...compiled.extraNames,
        ...(this.#opts.ignoreParams ?? []),
      ]);
    const knownQuery = known('query');
    for (const k of Object.keys(query)) {
      if (!knownQuery.has(k)) {
        errors.push(`${label}: unknown query parameter '${k}'${hint(knownQuery)}`);
      }
    }
    if (hasFormParams || (this.#opts.rpc && isObject(body as Json))) {
      const knownForm = known('formData');
      for (const k of Object.keys(formValues)) {
        if (!knownForm.has(k)) errors.push(`${label}: unknown form field '${k}'${hint(knownForm)}`);
      }
    }

    // Request body (OpenAPI 3 requestBody or Swagger 2 body parameter).
    if (!hasFormParams) errors.push(...this.#checkBody(op, label, body, contentType, req.body));

    const result: CheckResult = { ok: errors.length === 0, path, template: op.template, errors };
    if (op.operationId) result.operationId = op.operationId;
    return result;
  }

  #checkBody(op: Operation, label: string, body: unknown, contentType: string, original: unknown): string[] {
    const empty = body === undefined || body === '';
    if (!op.body) {
      return empty || this.#opts.rpc ? [] : [`${label}: ${op.operationId ?? op.template} takes no request body`];
    }
    if (empty) return op.body.required ? [`${label}: missing required request body`] : [];
    const types = Object.keys(op.body.content);
    // no content type on a structured body: assume it will be sent as JSON
    const mediaType = contentType
      ? (types.find((t) => t === contentType) ?? types.find((t) => mediaMatches(t, contentType)))
      : typeof original !== 'string'
        ? types.find((t) => t.includes('json'))
        : undefined;
    if (!mediaType) {
      return [`${label}: content type '${contentType || '(none)'}' is not accepted (accepted: ${types.join(', ')})`];
    }
    if (!mediaType.includes('json') && mediaType !== 'application/x-www-form-urlencoded' && mediaType !== '*/*') {
      return []; // multipart, octet-stream, text: not checked
    }
    if (typeof body === 'string') {
      return mediaType.includes('json') ? [`${label}: request body is not valid JSON`] : [];
    }
    const validate = this.#bodyValidator(op, mediaType);
    // coercion (form bodies) rewrites values in place: validate a copy
    if (!validate || validate(mediaType === 'application/x-www-form-urlencoded' ? structuredClone(body) : body)) {
      return [];
    }
    return describeErrors('body', validate.errors, body).map((e) => `${label}: ${e}`);
  }

  checkResponse(res: ObservedResponse): CheckResult {
    const method = res.method.toUpperCase();
    const rawPath = res.path.split('?', 1)[0]!;
    const path = this.#stripBase(rawPath);
    const label = `${method} ${rawPath} -> ${res.status}`;
    const found = this.#find(method, path, label);
    if ('failure' in found) return found.failure;
    const { op } = found;
    const errors = this.#checkResponseBody(op, res, label);
    const result: CheckResult = { ok: errors.length === 0, path, template: op.template, errors };
    if (op.operationId) result.operationId = op.operationId;
    return result;
  }

  /** The response key documenting a status: the exact code, else its range (`2XX`), else `default`. */
  #responseKey(op: Operation, status: number): string | undefined {
    const keys = Object.keys(op.responses);
    const code = String(status);
    return (
      keys.find((k) => k === code) ??
      keys.find((k) => k.toUpperCase() === `${code[0]}XX`) ??
      keys.find((k) => k === 'default')
    );
  }

  /**
   * Media type -> schema of one documented response. OpenAPI 3 keeps schemas per media type under `content`;
   * Swagger 2 has one `schema` for every type the operation produces.
   */
  #response(op: Operation, key: string): ResponseSpec {
    const r = deref(this.#doc, op.responses[key]);
    const content: Record<string, Json> = {};
    if (isObject(r) && this.#swagger2) {
      if (r.schema !== undefined) for (const t of op.produces) content[t] = r.schema;
    } else if (isObject(r) && isObject(r.content)) {
      for (const [type, media] of Object.entries(r.content)) {
        content[type.toLowerCase()] = isObject(media) && media.schema !== undefined ? media.schema : {};
      }
    }
    return { key, content };
  }

  #checkResponseBody(op: Operation, res: ObservedResponse, label: string): string[] {
    const name = op.operationId ?? `${op.method} ${op.template}`;
    const key = this.#responseKey(op, res.status);
    if (key === undefined) {
      const documented = Object.keys(op.responses);
      return [
        `${label}: status ${res.status} is not a documented response of ${name} (documented: ${documented.join(', ') || 'none'})`,
      ];
    }
    const errors = this.#checkAgainst(op, this.#response(op, key), res, label, name);
    const inBandError =
      errors.length > 0 &&
      this.#opts.rpc === true &&
      key !== 'default' &&
      op.responses.default !== undefined &&
      this.#checkAgainst(op, this.#response(op, 'default'), res, label, name).length === 0;
    return inBandError ? [] : errors;
  }

  #checkAgainst(op: Operation, spec: ResponseSpec, res: ObservedResponse, label: string, name: string): string[] {
    const types = Object.keys(spec.content);
    // no body described: nothing to check (descriptions often leave error bodies out, so a body is not an error)
    if (types.length === 0) return [];
    const contentType = (res.contentType ?? '').split(';')[0]!.trim().toLowerCase();
    const mediaType = contentType
      ? (types.find((t) => t === contentType) ?? types.find((t) => mediaMatches(t, contentType)))
      : (types.find((t) => t.includes('json')) ?? types[0]);
    if (!mediaType) {
      return [
        `${label}: content type '${contentType}' is not documented for response ${spec.key} of ${name} (documented: ${types.join(', ')})`,
      ];
    }
    const json = mediaType.includes('json') || (mediaType === '*/*' && (!contentType || contentType.includes('json')));
    if (!json) return []; // text, binary, HTML: not checked
    const validate = this.#responseValidator(op, spec, mediaType);
    if (!validate) return [];
    const body = contentType ? parseBodyString(res.body, contentType) : res.body;
    if (body === undefined || body === '') {
      return [`${label}: response body is empty, but response ${spec.key} of ${name} describes a ${mediaType} body`];
    }
    if (typeof body === 'string' && contentType.includes('json')) return [`${label}: response body is not valid JSON`];
    if (validate(body)) return [];
    return describeErrors('response body', validate.errors, body, true).map((e) => `${label}: ${e}`);
  }

  #responseValidator(op: Operation, spec: ResponseSpec, mediaType: string): ValidateFunction | null {
    const cache = this.#compiled(op).responses;
    const key = `${spec.key} ${mediaType}`;
    if (cache.has(key)) return cache.get(key)!;
    const schema = spec.content[mediaType];
    const v =
      schema !== undefined && !(isObject(schema) && Object.keys(schema).length === 0)
        ? this.#compile('response', schema, `the ${spec.key} ${mediaType} response of ${op.operationId ?? op.template}`)
        : null;
    cache.set(key, v);
    return v;
  }
}

/** Levenshtein distance, for suggestions. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

function mediaMatches(pattern: string, type: string): boolean {
  if (pattern === '*/*') return true;
  const [pt, ps] = pattern.split('/');
  const [t, s] = type.split('/');
  return pt === t && (ps === '*' || ps === s || (ps?.endsWith('+json') === true && s === 'json'));
}

function hint(known: Set<string>): string {
  const list = [...known];
  if (list.length === 0) return ' (the operation takes none)';
  return ` (known: ${list.slice(0, 12).join(', ')}${list.length > 12 ? ', ...' : ''})`;
}

function stringify(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function toMulti(q: OutgoingRequest['query'], raw: string | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const add = (k: string, v: string) => {
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[k] = [prev, v];
  };
  if (q instanceof URLSearchParams) for (const [k, v] of q) add(k, v);
  else if (q) for (const [k, v] of Object.entries(q)) for (const x of Array.isArray(v) ? v : [v]) add(k, x);
  if (raw) for (const [k, v] of new URLSearchParams(raw)) add(k, v);
  return out;
}

function parseBodyString(body: unknown, contentType: string): unknown {
  if (typeof body !== 'string' || body === '') return body;
  if (contentType.includes('json')) {
    try {
      return JSON.parse(body);
    } catch {
      return body;
    }
  }
  if (contentType === 'application/x-www-form-urlencoded') return toMulti(undefined, body);
  return body;
}

function allowed(allow: string[], req: { method: string; path: string }, result: CheckResult): boolean {
  const method = req.method.toUpperCase();
  const paths = [req.path.split('?')[0]!, result.path];
  return allow.some((a) => {
    if (result.operationId && a === result.operationId) return true;
    const m = /^([A-Za-z*]+)\s+(\/\S*)$/.exec(a);
    if (!m) return false;
    if (m[1] !== '*' && m[1]!.toUpperCase() !== method) return false;
    const re = new RegExp(
      `^${m[2]!
        .split(/(\{[^}]+\}|\*\*|\*)/)
        .map((t) =>
          t === '**' ? '.*' : t === '*' || t.startsWith('{') ? '[^/]+' : t.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
        )
        .join('')}$`,
    );
    return paths.some((p) => re.test(p)) || (result.template !== undefined && m[2] === result.template);
  });
}

/**
 * Check every request against the description and throw one Error listing all failures.
 * `allow`: operationIds, or 'METHOD /path' (method may be '*'; in the path `{param}` or `*` is one segment, `**`
 * any; matched against the request path with and without the description's base path, or equal to the matched
 * template), for operations known to be newer than the file. `basePath`: prefix stripped from request paths
 * first (e.g. '/api/v3' for GHES when the description lacks it).
 */
export function assertRequestsConform(
  desc: ApiDescription,
  reqs: OutgoingRequest[] | RecordedRequest[],
  opts: ConformOptions = {},
): void {
  assertAll(desc, 'request', reqs as OutgoingRequest[], (r) => desc.check(r), opts);
}

/**
 * Check every response against the description and throw one Error listing all failures. `allow` and
 * `basePath` as for assertRequestsConform (an allowed operation's responses are not checked).
 */
export function assertResponsesConform(
  desc: ApiDescription,
  responses: ObservedResponse[],
  opts: ConformOptions = {},
): void {
  assertAll(desc, 'response', responses, (r) => desc.checkResponse(r), opts);
}

export interface ConformOptions {
  allow?: string[];
  basePath?: string;
}

function assertAll<T extends { method: string; path: string }>(
  desc: ApiDescription,
  what: string,
  items: T[],
  check: (item: T) => CheckResult,
  opts: ConformOptions,
): void {
  const failures: string[] = [];
  let failed = 0;
  for (const item of items) {
    let path = item.path;
    if (opts.basePath && (path === opts.basePath || path.startsWith(`${opts.basePath}/`))) {
      path = path.slice(opts.basePath.length) || '/';
    }
    const relative: T = { ...item, path };
    const result = check(relative);
    if (result.ok || allowed(opts.allow ?? [], relative, result)) continue;
    failed++;
    failures.push(...result.errors);
  }
  if (failures.length > 0) {
    throw new Error(
      `${failed} of ${items.length} ${what}(s) do not conform to ${desc.title}:\n${failures.map((f) => `  - ${f}`).join('\n')}`,
    );
  }
}

/** Exposed for sandboxes that shape responses from the description. */
export { resolvePointer };

/** A vendor API description kept in the repository's specs/ folder (see specs/README.md). */
export function specPath(file: string): string {
  return fileURLToPath(new URL(`../../../specs/${file}`, import.meta.url));
}
