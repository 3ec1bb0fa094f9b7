/**
 * Turn OpenAPI / Swagger schema objects into JSON Schema that ajv compiles, one operation at a time.
 *
 * The vendor files are large (GitHub's is ~13 MB), so nothing is converted up front: a schema is converted when
 * an operation is first checked, with every `$ref` it reaches copied into a local `definitions` map (cycles
 * stay `$ref`s, which ajv handles).
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export function isObject(x: unknown): x is JsonObject {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Follow a local JSON pointer (`#/components/schemas/x`) into the document. */
export function resolvePointer(doc: JsonObject, ref: string): Json | undefined {
  if (!ref.startsWith('#')) return undefined;
  let cur: Json | undefined = doc;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) cur = cur[Number(key)];
    else if (isObject(cur)) cur = cur[key];
    else return undefined;
  }
  return cur;
}

/** Resolve an object that may itself be a `$ref` (parameters, request bodies); follows chains. */
export function deref(doc: JsonObject, x: Json | undefined): Json | undefined {
  let cur = x;
  for (let i = 0; i < 20 && isObject(cur) && typeof cur.$ref === 'string'; i++) cur = resolvePointer(doc, cur.$ref);
  return cur;
}

/** Keywords that describe documentation or serialization, not validity; dropped before compiling. */
const DROP = new Set(['discriminator', 'xml', 'externalDocs', 'example', 'examples', 'deprecated', 'x-github']);

export class SchemaConverter {
  readonly #doc: JsonObject;
  /** OpenAPI 3.0 and Swagger 2 use draft-04-ish schemas with `nullable`; 3.1 uses plain JSON Schema 2020-12. */
  readonly #legacy: boolean;

  constructor(doc: JsonObject, legacy: boolean) {
    this.#doc = doc;
    this.#legacy = legacy;
  }

  /** A self-contained JSON Schema for `schema`, with every reachable `$ref` under `definitions`. */
  convert(schema: Json): JsonObject {
    const defs: Record<string, Json> = {};
    const pending: string[] = [];
    const names = new Map<string, string>();
    const nameFor = (ref: string): string => {
      let n = names.get(ref);
      if (n === undefined) {
        n = `d${names.size}`;
        names.set(ref, n);
        pending.push(ref);
      }
      return n;
    };
    const root = this.#convert(schema, nameFor);
    while (pending.length > 0) {
      const ref = pending.shift()!;
      const target = resolvePointer(this.#doc, ref);
      if (target === undefined) throw new Error(`unresolvable $ref ${ref}`);
      defs[names.get(ref)!] = this.#convert(target, nameFor);
    }
    const out: JsonObject = isObject(root) ? root : { allOf: [root] };
    if (Object.keys(defs).length > 0) out[this.#legacy ? 'definitions' : '$defs'] = defs;
    return out;
  }

  #convert(x: Json, nameFor: (ref: string) => string): Json {
    if (Array.isArray(x)) return x.map((v) => this.#convert(v, nameFor));
    if (!isObject(x)) return x;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(x)) {
      if (DROP.has(k)) continue;
      if (k === '$ref' && typeof v === 'string') {
        out.$ref = v.startsWith('#') ? `#/${this.#legacy ? 'definitions' : '$defs'}/${nameFor(v)}` : v;
      } else if (k === 'properties' || k === 'patternProperties' || k === 'definitions' || k === '$defs') {
        // maps of name -> schema: names are not keywords
        out[k] = isObject(v)
          ? Object.fromEntries(Object.entries(v).map(([n, s]) => [n, this.#convert(s, nameFor)]))
          : v;
      } else if (k === 'enum' || k === 'const' || k === 'default' || k === 'required') {
        out[k] = v;
      } else if (k === 'oneOf' && x.anyOf === undefined) {
        // Vendors write oneOf for "one of these shapes" with overlapping, open object schemas (Confluence's
        // page body matches both of its branches). A request is fine if it fits any documented shape.
        out.anyOf = this.#convert(v, nameFor);
      } else {
        out[k] = this.#convert(v, nameFor);
      }
    }
    return this.#legacy ? fixLegacy(out) : out;
  }
}

/** OpenAPI 3.0 / Swagger 2 schema dialect -> draft-07 that ajv understands. */
function fixLegacy(s: JsonObject): JsonObject {
  // draft-04 style boolean exclusive bounds
  for (const [ex, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof s[ex] === 'boolean') {
      if (s[ex] === true && typeof s[bound] === 'number') {
        s[ex] = s[bound];
        delete s[bound];
      } else {
        delete s[ex];
      }
    }
  }
  if ('nullable' in s) {
    const nullable = s.nullable === true;
    delete s.nullable;
    if (nullable) {
      if (typeof s.type === 'string') {
        s.type = [s.type, 'null'];
        if (Array.isArray(s.enum) && !s.enum.includes(null)) s.enum = [...s.enum, null];
      } else if (s.$ref !== undefined || s.allOf || s.oneOf || s.anyOf) {
        // wrap: a $ref/composition that is also allowed to be null
        const inner: JsonObject = { ...s };
        for (const k of Object.keys(s)) delete s[k];
        s.anyOf = [inner, { type: 'null' }];
      }
      // otherwise there is no type constraint, so null is already allowed
    }
  }
  // Swagger 2 `type: file` has no JSON Schema meaning
  if (s.type === 'file') delete s.type;
  return s;
}
