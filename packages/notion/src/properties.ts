/**
 * Property values and schemas from the short forms a model writes (`{"Status": "Done", "Tags": ["a","b"]}`,
 * `{"Priority": "select:High,Low"}`) to Notion's JSON, by the property's type. Notion-shaped values
 * (`{"select": {"name": "Done"}}`) pass through unchanged.
 */
import { SwitchboardError } from '@switchboard-mcp/core';
import { normalizeId } from './ids.ts';
import { normalize } from './markdown/rich-text.ts';
import type { RichText } from './markdown/types.ts';
import type { Json } from './render.ts';

export function plainRichText(text: string): RichText[] {
  return normalize([{ type: 'text', text: { content: text } }]);
}

function bad(name: string, type: string, expected: string): SwitchboardError {
  return new SwitchboardError('invalid', `property "${name}" is ${type}: expected ${expected}`, {
    hint: 'Fix the value and retry; get_data_source lists properties, types and options.',
  });
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  return [String(value)];
}

function ids(name: string, type: string, value: unknown): Json[] {
  return list(value).map((v) => {
    const id = normalizeId(v);
    if (!id) throw bad(name, type, 'ids (32 hex digits, dashed or not)');
    return { id };
  });
}

/** One value for a property of `type`. */
export function propertyValue(name: string, type: string, value: unknown): Json {
  if (value && typeof value === 'object' && !Array.isArray(value) && type in (value as Json)) {
    return value as Json;
  }
  if (value === null) {
    if (type === 'title' || type === 'rich_text' || type === 'multi_select' || type === 'people' || type === 'relation')
      return { [type]: [] };
    if (type === 'checkbox') return { checkbox: false };
    return { [type]: null };
  }
  switch (type) {
    case 'title':
    case 'rich_text':
      return { [type]: plainRichText(String(value)) };
    case 'number': {
      const n = typeof value === 'number' ? value : Number(String(value).trim());
      if (!Number.isFinite(n)) throw bad(name, type, 'a number');
      return { number: n };
    }
    case 'select':
    case 'status':
      return { [type]: { name: String(value) } };
    case 'multi_select':
      return { multi_select: list(value).map((n) => ({ name: n })) };
    case 'date': {
      if (typeof value === 'object' && value && 'start' in value) return { date: value };
      const [start, end] = list(value);
      if (!start || Number.isNaN(Date.parse(start))) throw bad(name, type, 'an ISO date like 2025-07-01');
      return { date: { start, ...(end ? { end } : {}) } };
    }
    case 'checkbox':
      if (typeof value === 'boolean') return { checkbox: value };
      if (value === 'true' || value === 'false') return { checkbox: value === 'true' };
      throw bad(name, type, 'true or false');
    case 'url':
    case 'email':
    case 'phone_number':
      return { [type]: String(value) };
    case 'people':
      return { people: ids(name, type, value) };
    case 'relation':
      return { relation: ids(name, type, value) };
    case 'files':
      return {
        files: list(value).map((url) => ({
          name: url.split('/').pop() || 'file',
          type: 'external',
          external: { url },
        })),
      };
    default:
      throw new SwitchboardError('invalid', `property "${name}" (${type}) cannot be set through the API`, {
        hint: 'Leave it out; Notion computes it.',
      });
  }
}

/** Property values for a page whose properties have these types (name → type). */
export function propertyValues(types: Record<string, string>, input: Record<string, unknown>): Json {
  const out: Json = {};
  for (const [name, value] of Object.entries(input)) {
    const type = types[name];
    if (!type) {
      throw new SwitchboardError('invalid', `no property named "${name}"`, {
        hint: `Properties: ${Object.keys(types).join(', ')}. Names are case-sensitive.`,
      });
    }
    out[name] = propertyValue(name, type, value);
  }
  return out;
}

const SCHEMA_TYPES = new Set([
  'title',
  'rich_text',
  'number',
  'select',
  'multi_select',
  'status',
  'date',
  'people',
  'checkbox',
  'url',
  'email',
  'phone_number',
  'files',
  'created_time',
  'last_edited_time',
  'created_by',
  'last_edited_by',
]);

/**
 * A property schema from `"select:High,Medium,Low"`, `"number"`, `"relation:<data source id>"`,
 * `{"name": "New name"}` (rename) or a Notion schema object (passed through).
 */
export function schemaSpec(name: string, spec: unknown): Json | null {
  if (spec === null) return null;
  if (spec && typeof spec === 'object') return spec as Json;
  const text = String(spec);
  const colon = text.indexOf(':');
  const type = (colon < 0 ? text : text.slice(0, colon)).trim();
  const arg = colon < 0 ? '' : text.slice(colon + 1);
  if (type === 'relation') {
    const id = normalizeId(arg);
    if (!id)
      throw new SwitchboardError('invalid', `property "${name}": relation needs a data source id (relation:<id>)`);
    return { relation: { data_source_id: id, type: 'single_property', single_property: {} } };
  }
  if (!SCHEMA_TYPES.has(type)) {
    throw new SwitchboardError('invalid', `property "${name}": unknown type "${type}"`, {
      hint: `Types: ${[...SCHEMA_TYPES].join(', ')}, relation:<data source id>; options as select:A,B.`,
    });
  }
  if (type === 'select' || type === 'multi_select' || type === 'status') {
    return { [type]: { options: list(arg).map((n) => ({ name: n })) } };
  }
  if (type === 'number') return { number: { format: arg.trim() || 'number' } };
  return { [type]: {} };
}
