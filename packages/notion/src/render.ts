/** Compact text for the model: property values, schemas, page and data source lines, tables. */
import { oneLine } from '@switchboard-mcp/core';
import { compactId } from './ids.ts';
import { plainText } from './markdown/rich-text.ts';
import type { RichText } from './markdown/types.ts';

export type Json = Record<string, any>;

export const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '');

/** Ids in output are undashed: shorter, and every tool accepts both forms. */
export const short = (id: string | undefined | null) => (id ? compactId(id) : '');

function userName(u: Json | undefined): string {
  if (!u) return '';
  return oneLine(u.name ?? '', 60) || `user ${short(u.id)}`;
}

function formulaText(f: Json | undefined): string {
  if (!f) return '';
  if (f.type === 'date') return day(f.date?.start);
  const v = f[f.type];
  return v === null || v === undefined ? '' : String(v);
}

/** One property value as short text ('' when empty). */
export function propertyText(value: Json | undefined, max = 120): string {
  if (!value) return '';
  const v = value[value.type];
  switch (value.type) {
    case 'title':
    case 'rich_text':
      return oneLine(plainText(v as RichText[]), max);
    case 'number':
      return v === null || v === undefined ? '' : String(v);
    case 'select':
    case 'status':
      return oneLine(v?.name ?? '', 60);
    case 'multi_select':
      return (v ?? []).map((o: Json) => oneLine(o.name, 40)).join(', ');
    case 'date':
      return v?.start ? `${v.start}${v.end ? `→${v.end}` : ''}` : '';
    case 'checkbox':
      return v ? 'yes' : 'no';
    case 'url':
    case 'email':
    case 'phone_number':
      return oneLine(v ?? '', max);
    case 'people':
      return (v ?? []).map(userName).join(', ');
    case 'created_by':
    case 'last_edited_by':
      return userName(v);
    case 'relation':
      return (v ?? []).map((r: Json) => short(r.id)).join(', ');
    case 'created_time':
    case 'last_edited_time':
      return day(v);
    case 'formula':
      return formulaText(v);
    case 'rollup':
      if (v?.type === 'array') return `${(v.array ?? []).length} items`;
      return v?.type === 'date' ? day(v.date?.start) : String(v?.[v?.type] ?? '');
    case 'files':
      return (v ?? []).map((f: Json) => oneLine(f.name ?? f.external?.url ?? 'file', 60)).join(', ');
    case 'unique_id':
      return v?.number === null || v?.number === undefined ? '' : `${v.prefix ? `${v.prefix}-` : ''}${v.number}`;
    case 'verification':
      return v?.state ?? '';
    default:
      return '';
  }
}

/** The title property's plain text of a page or data source row. */
export function pageTitle(page: Json): string {
  const props = page.properties ?? {};
  const title = Object.values(props).find((p: any) => p?.type === 'title') as Json | undefined;
  return oneLine(plainText(title?.title), 120) || 'Untitled';
}

export function richTitle(title: RichText[] | undefined): string {
  return oneLine(plainText(title), 120) || 'Untitled';
}

export function parentText(parent: Json | undefined): string {
  switch (parent?.type) {
    case 'page_id':
      return `page ${short(parent.page_id)}`;
    case 'data_source_id':
      return `data source ${short(parent.data_source_id)}`;
    case 'database_id':
      return `database ${short(parent.database_id)}`;
    case 'block_id':
      return `block ${short(parent.block_id)}`;
    default:
      return 'workspace';
  }
}

/** `Status: select [A, B]` per property; the title first. */
export function schemaLines(properties: Record<string, Json>): string[] {
  const entries = Object.values(properties).sort((a, b) => (a.type === 'title' ? -1 : b.type === 'title' ? 1 : 0));
  return entries.map((p) => {
    const config = p[p.type] ?? {};
    let extra = '';
    if (p.type === 'select' || p.type === 'multi_select' || p.type === 'status') {
      extra = ` [${(config.options ?? []).map((o: Json) => oneLine(o.name, 40)).join(', ')}]`;
    } else if (p.type === 'relation') {
      extra = config.data_source_id ? ` → ${short(config.data_source_id)}` : '';
    } else if (p.type === 'formula') {
      extra = config.expression ? ` = ${oneLine(config.expression, 120)}` : '';
    } else if (p.type === 'number' && config.format && config.format !== 'number') {
      extra = ` (${config.format})`;
    }
    return `${oneLine(p.name, 80)}: ${p.type}${extra}`;
  });
}

/** `key: value` pairs of a page's non-title properties, empty ones left out. */
export function propertyLines(properties: Record<string, Json>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(properties ?? {})) {
    if (value?.type === 'title') continue;
    const text = propertyText(value, 300);
    if (text) out.push(`${oneLine(name, 80)}: ${text}`);
  }
  return out;
}

/** Rows as a pipe table; cells have their pipes escaped. */
export function table(columns: string[], rows: string[][]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [columns.map(cell).join(' | '), ...rows.map((r) => r.map(cell).join(' | '))].join('\n');
}
