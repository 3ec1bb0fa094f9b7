/**
 * Data source query filters and sorts, evaluated the way Notion does for the property types the sandbox
 * holds: compound `and`/`or`, per-type conditions, timestamp filters; sorts by property or timestamp.
 */
import { invalid } from './shape.ts';
import type { Json, PageRecord, PropertySchema } from './state.ts';

/** Comparable value of a page's property: text, number, boolean, ISO date, or a list of names/ids. */
function propertyValueOf(page: PageRecord, schema: PropertySchema): unknown {
  const v = page.properties[schema.name];
  if (!v) return null;
  switch (schema.type) {
    case 'title':
    case 'rich_text':
      return (v[schema.type] ?? []).map((t: Json) => t.plain_text ?? '').join('');
    case 'select':
    case 'status':
      return v[schema.type]?.name ?? null;
    case 'multi_select':
      return (v.multi_select ?? []).map((o: Json) => o.name);
    case 'people':
      return (v.people ?? []).map((u: Json) => u.id);
    case 'relation':
      return (v.relation ?? []).map((r: Json) => r.id);
    case 'date':
      return v.date?.start ?? null;
    default:
      return v[schema.type] ?? null;
  }
}

const isEmpty = (x: unknown) => x === null || x === '' || (Array.isArray(x) && x.length === 0);

function condition(value: unknown, cond: Json, type: string): boolean {
  const [op, arg] = Object.entries(cond)[0] ?? [];
  if (!op) throw invalid('body.filter should define a condition.');
  if (op === 'is_empty') return isEmpty(value);
  if (op === 'is_not_empty') return !isEmpty(value);
  if (Array.isArray(value)) {
    if (op === 'contains') return value.includes(arg);
    if (op === 'does_not_contain') return !value.includes(arg);
    throw invalid(`body.filter.${type}.${op} is not a valid filter condition for ${type}.`);
  }
  if (type === 'date' || type === 'created_time' || type === 'last_edited_time') {
    if (value === null) return false;
    const a = Date.parse(String(value));
    const b = Date.parse(String(arg));
    switch (op) {
      case 'equals':
        return String(value).slice(0, 10) === String(arg).slice(0, 10);
      case 'before':
        return a < b;
      case 'after':
        return a > b;
      case 'on_or_before':
        return a <= b;
      case 'on_or_after':
        return a >= b;
      default:
        throw invalid(`body.filter.${type}.${op} is not a valid date filter condition.`);
    }
  }
  const s = typeof value === 'string' ? value.toLowerCase() : value;
  const t = typeof arg === 'string' ? arg.toLowerCase() : arg;
  switch (op) {
    case 'equals':
      return s === t;
    case 'does_not_equal':
      return s !== t;
    case 'contains':
      return typeof s === 'string' && s.includes(String(t));
    case 'does_not_contain':
      return typeof s === 'string' && !s.includes(String(t));
    case 'starts_with':
      return typeof s === 'string' && s.startsWith(String(t));
    case 'ends_with':
      return typeof s === 'string' && s.endsWith(String(t));
    case 'greater_than':
      return typeof value === 'number' && value > Number(arg);
    case 'less_than':
      return typeof value === 'number' && value < Number(arg);
    case 'greater_than_or_equal_to':
      return typeof value === 'number' && value >= Number(arg);
    case 'less_than_or_equal_to':
      return typeof value === 'number' && value <= Number(arg);
    default:
      throw invalid(`body.filter.${type}.${op} is not a valid filter condition.`);
  }
}

function schemaFor(schemas: Record<string, PropertySchema>, name: string): PropertySchema {
  const schema = Object.values(schemas).find((s) => s.name === name || s.id === name);
  if (!schema) throw invalid(`Could not find property with name or id: ${name}`);
  return schema;
}

export function matches(page: PageRecord, filter: Json | undefined, schemas: Record<string, PropertySchema>): boolean {
  if (!filter) return true;
  if (Array.isArray(filter.and)) return filter.and.every((f: Json) => matches(page, f, schemas));
  if (Array.isArray(filter.or)) return filter.or.some((f: Json) => matches(page, f, schemas));
  if (filter.timestamp) {
    const ts = filter.timestamp as 'created_time' | 'last_edited_time';
    return condition(page[ts], filter[ts] ?? {}, ts);
  }
  if (typeof filter.property !== 'string') throw invalid('body.filter.property should be defined.');
  const schema = schemaFor(schemas, filter.property);
  const key = Object.keys(filter).find((k) => k !== 'property' && k !== 'type');
  if (!key) throw invalid(`body.filter should define a ${schema.type} condition.`);
  if (key !== schema.type && !(key === 'rich_text' && schema.type === 'title')) {
    throw invalid(`body.filter.${key} does not match the type of property "${schema.name}" (${schema.type}).`);
  }
  return condition(propertyValueOf(page, schema), filter[key], schema.type);
}

export function sortPages(pages: PageRecord[], sorts: Json[] | undefined, schemas: Record<string, PropertySchema>) {
  if (!sorts?.length) return pages;
  const keys = sorts.map((s) => {
    const dir = s.direction === 'descending' ? -1 : 1;
    if (s.timestamp) return { get: (p: PageRecord) => p[s.timestamp as 'created_time'] as unknown, dir };
    const schema = schemaFor(schemas, String(s.property));
    return { get: (p: PageRecord) => propertyValueOf(p, schema), dir };
  });
  return [...pages].sort((a, b) => {
    for (const k of keys) {
      const x = k.get(a);
      const y = k.get(b);
      if (x === y) continue;
      // Empty values sort last either way, as in Notion.
      if (isEmpty(x)) return 1;
      if (isEmpty(y)) return -1;
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      if (c !== 0) return c * k.dir;
    }
    return 0;
  });
}
