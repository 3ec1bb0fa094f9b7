/**
 * A small CQL evaluator for the sandbox: `field op value` clauses joined by AND / OR (evaluated left to right),
 * fields type, space (space.key), title, text, label, id, parent, ancestor, creator; ops = != ~ !~ in; an
 * optional `order by lastmodified|created|title [asc|desc]`. Anything else is a parse error, as on Confluence.
 */
import type { Page, SandboxState } from './state.ts';

export class CqlError extends Error {}

interface Clause {
  field: string;
  op: string;
  values: string[];
}

const TOKEN = /\s*(?:("(?:[^"\\]|\\.)*")|(\()|(\))|(,)|(!=|!~|=|~)|([^\s(),=!~"]+))/y;

function tokens(cql: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < cql.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(cql);
    if (!m) {
      if (!cql.slice(at).trim()) break;
      throw new CqlError(`Could not parse cql : ${cql}`);
    }
    out.push(m[0].trim());
  }
  return out.filter(Boolean);
}

function unquote(token: string): string {
  return token.startsWith('"') ? token.slice(1, -1).replace(/\\(.)/g, '$1') : token;
}

const FIELDS = new Set(['type', 'space', 'space.key', 'title', 'text', 'label', 'id', 'parent', 'ancestor', 'creator']);

export interface CqlQuery {
  groups: Clause[][];
  order?: { field: string; desc: boolean };
}

export function parseCql(cql: string): CqlQuery {
  const t = tokens(cql);
  const groups: Clause[][] = [[]];
  let i = 0;
  let order: CqlQuery['order'];
  while (i < t.length) {
    const word = t[i]?.toLowerCase();
    if (word === 'order' && t[i + 1]?.toLowerCase() === 'by') {
      const field = t[i + 2]?.toLowerCase() ?? '';
      const dir = t[i + 3]?.toLowerCase();
      order = { field, desc: dir === 'desc' };
      i += dir === 'asc' || dir === 'desc' ? 4 : 3;
      continue;
    }
    if (word === 'and') {
      i++;
      continue;
    }
    if (word === 'or') {
      groups.push([]);
      i++;
      continue;
    }
    const field = word ?? '';
    const op = t[i + 1]?.toLowerCase() ?? '';
    if (!FIELDS.has(field)) throw new CqlError(`Could not parse cql : ${cql} (unknown field '${t[i]}')`);
    if (op === 'in' || op === 'not') {
      const negated = op === 'not';
      if (negated && t[i + 2]?.toLowerCase() !== 'in') throw new CqlError(`Could not parse cql : ${cql}`);
      let j = i + (negated ? 3 : 2);
      if (t[j] !== '(') throw new CqlError(`Could not parse cql : ${cql}`);
      const values: string[] = [];
      j++;
      while (j < t.length && t[j] !== ')') {
        if (t[j] !== ',') values.push(unquote(t[j] ?? ''));
        j++;
      }
      if (t[j] !== ')') throw new CqlError(`Could not parse cql : ${cql}`);
      groups[groups.length - 1]?.push({ field, op: negated ? 'not in' : 'in', values });
      i = j + 1;
      continue;
    }
    if (!['=', '!=', '~', '!~'].includes(op) || t[i + 2] === undefined) {
      throw new CqlError(`Could not parse cql : ${cql}`);
    }
    groups[groups.length - 1]?.push({ field, op, values: [unquote(t[i + 2] ?? '')] });
    i += 3;
  }
  if (groups.some((g) => g.length === 0)) throw new CqlError(`Could not parse cql : ${cql}`);
  return { groups, order };
}

function plain(storage: string): string {
  return storage.replace(/<!\[CDATA\[|\]\]>/g, ' ').replace(/<[^>]+>/g, ' ');
}

function fieldValues(state: SandboxState, page: Page, field: string): string[] {
  switch (field) {
    case 'type':
      return ['page'];
    case 'space':
    case 'space.key':
      return [state.space(page.spaceId)?.key ?? ''];
    case 'title':
      return [page.title];
    case 'text':
      return [`${page.title} ${plain(page.body)}`];
    case 'label':
      return (state.labels.get(page.id) ?? []).map((l) => l.name);
    case 'id':
      return [page.id];
    case 'parent':
      return page.parentId ? [page.parentId] : [];
    case 'ancestor':
      return state.ancestors(page).map((p) => p.id);
    case 'creator':
      return [page.authorId];
    default:
      return [];
  }
}

function matches(state: SandboxState, page: Page, clause: Clause): boolean {
  const have = fieldValues(state, page, clause.field);
  const eq = (want: string) => have.some((h) => h.toLowerCase() === want.toLowerCase());
  const contains = (want: string) =>
    want
      .toLowerCase()
      .replace(/[*?]/g, '')
      .split(/\s+/)
      .filter(Boolean)
      .every((w) => have.some((h) => h.toLowerCase().includes(w)));
  const want = clause.values[0] ?? '';
  switch (clause.op) {
    case '=':
      return eq(want);
    case '!=':
      return !eq(want);
    case '~':
      return contains(want);
    case '!~':
      return !contains(want);
    case 'in':
      return clause.values.some(eq);
    case 'not in':
      return !clause.values.some(eq);
    default:
      return false;
  }
}

export function runCql(state: SandboxState, query: CqlQuery): Page[] {
  const hits = [...state.pages.values()].filter(
    (p) => p.status === 'current' && query.groups.some((g) => g.every((c) => matches(state, p, c))),
  );
  const order = query.order;
  if (order?.field === 'title') hits.sort((a, b) => a.title.localeCompare(b.title));
  else if (order?.field === 'created') hits.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  else hits.sort((a, b) => a.version.createdAt.localeCompare(b.version.createdAt));
  if (order?.desc ?? order === undefined) hits.reverse();
  return hits;
}

/** A short excerpt of the page text around the first search word, with Confluence's highlight markers. */
export function excerpt(page: Page, cql: string): string {
  const text = plain(page.body).replace(/\s+/g, ' ').trim();
  const word = /(?:text|title)\s*~\s*"?([^"\s]+)/i.exec(cql)?.[1]?.replace(/[*?]/g, '');
  const at = word ? text.toLowerCase().indexOf(word.toLowerCase()) : -1;
  const start = Math.max(0, at - 60);
  let out = text.slice(start, start + 200);
  if (word && at >= 0)
    out = out.replace(new RegExp(word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'), (m) => `@@@hl@@@${m}@@@endhl@@@`);
  return out;
}
