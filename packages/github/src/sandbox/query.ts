/**
 * GitHub search syntax: free-text terms (words or "quoted phrases") and `key:value` qualifiers, optionally
 * negated with a leading '-', values optionally quoted, ranges like `>=2024-01-01`, `10..20`, `2024-01-01..*`.
 */

export interface Qualifier {
  key: string;
  value: string;
  negated: boolean;
}

export interface ParsedQuery {
  /** Lower-cased free-text terms. */
  terms: string[];
  quals: Qualifier[];
}

const TOKEN = /(-?)([a-z][a-z_-]*):(?:"([^"]*)"|(\S+))|"([^"]*)"|(\S+)/gi;

export function parseQuery(q: string): ParsedQuery {
  const terms: string[] = [];
  const quals: Qualifier[] = [];
  for (const m of q.matchAll(TOKEN)) {
    if (m[2] !== undefined) {
      quals.push({ key: m[2].toLowerCase(), value: m[3] ?? m[4] ?? '', negated: m[1] === '-' });
    } else {
      const t = (m[5] ?? m[6] ?? '').toLowerCase();
      if (t !== '' && t !== 'and' && t !== 'or' && t !== 'not') terms.push(t);
    }
  }
  return { terms, quals };
}

export function qualifiers(p: ParsedQuery, ...keys: string[]): Qualifier[] {
  return p.quals.filter((q) => keys.includes(q.key));
}

/** Does `actual` (a date string or number) satisfy a GitHub range expression? */
export function inRange(expr: string, actual: string | number | null): boolean {
  if (actual === null) return false;
  const cmp = (a: string | number, b: string): number => {
    if (typeof a === 'number') return a - Number(b);
    // Dates: compare the prefix the expression specifies (2024-03 matches any day in March).
    const x = a.slice(0, b.length);
    return x < b ? -1 : x > b ? 1 : 0;
  };
  const range = /^(.+?)\.\.(.+)$/.exec(expr);
  if (range) {
    const [, lo, hi] = range as unknown as [string, string, string];
    return (lo === '*' || cmp(actual, lo) >= 0) && (hi === '*' || cmp(actual, hi) <= 0);
  }
  const op = /^(>=|<=|>|<)(.+)$/.exec(expr);
  if (op) {
    const c = cmp(actual, op[2]!);
    switch (op[1]) {
      case '>=':
        return c >= 0;
      case '<=':
        return c <= 0;
      case '>':
        return c > 0;
      default:
        return c < 0;
    }
  }
  return cmp(actual, expr) === 0;
}

/** Count non-overlapping, case-insensitive occurrences of `term` in `text`. */
export function occurrences(text: string, term: string): number {
  if (term === '') return 0;
  const t = text.toLowerCase();
  let n = 0;
  let i = t.indexOf(term);
  while (i >= 0) {
    n++;
    i = t.indexOf(term, i + term.length);
  }
  return n;
}

export interface TextMatch {
  object_url: string;
  object_type: string;
  property: string;
  fragment: string;
  matches: Array<{ text: string; indices: [number, number] }>;
}

/** A GitHub-style text match: a fragment around the first hit and the positions of every term inside it. */
export function textMatch(
  text: string,
  terms: string[],
  meta: { object_url: string; object_type: string; property: string },
): TextMatch | undefined {
  const lower = text.toLowerCase();
  const first = terms.map((t) => lower.indexOf(t)).filter((i) => i >= 0);
  if (first.length === 0) return undefined;
  const at = Math.min(...first);
  const start = Math.max(0, text.lastIndexOf('\n', Math.max(0, at - 80)) + 1);
  let end = text.indexOf('\n', Math.min(text.length, at + 120));
  if (end < 0) end = text.length;
  const fragment = text.slice(start, end);
  const fl = fragment.toLowerCase();
  const matches: TextMatch['matches'] = [];
  for (const t of terms) {
    let i = fl.indexOf(t);
    while (i >= 0) {
      matches.push({ text: fragment.slice(i, i + t.length), indices: [i, i + t.length] });
      i = fl.indexOf(t, i + t.length);
    }
  }
  matches.sort((a, b) => a.indices[0] - b.indices[0]);
  return { ...meta, fragment, matches };
}

const LANGUAGES: Record<string, string> = {
  ts: 'TypeScript',
  tsx: 'TSX',
  js: 'JavaScript',
  mjs: 'JavaScript',
  json: 'JSON',
  md: 'Markdown',
  yml: 'YAML',
  yaml: 'YAML',
  py: 'Python',
  tf: 'HCL',
  csv: 'CSV',
  sh: 'Shell',
  css: 'CSS',
  html: 'HTML',
};

/** Linguist-style language of a path, from its extension. */
export function languageOf(path: string): string | null {
  const ext = path.includes('.') ? path.split('.').pop()!.toLowerCase() : '';
  if (path.endsWith('LICENSE')) return 'Text';
  return LANGUAGES[ext] ?? null;
}
