/**
 * What a JQL query can reach, for policy: the projects it is bounded to, and a query narrowed to one project.
 * Both read the query with Jira's lexical rules (quoted strings in " or ', backslash escapes, the symbol forms
 * `|`/`||` for OR and `!` for NOT) so text the model writes cannot look narrower to us than it is to Jira.
 */
import { SwitchboardError } from '@switchboard-mcp/core';
import { projectOfKey } from './render.ts';

type Token =
  | { t: 'word'; v: string; at: number }
  | { t: 'str'; v: string; at: number }
  | { t: 'sym'; v: string; at: number };

interface Lexed {
  tokens: Token[];
  /** A string was left open: Jira rejects the query, and nothing after the quote can be read. */
  unterminated: boolean;
}

const SYMBOLS = /^(?:!=|!~|>=|<=|\|\||&&|[=~<>!|&(),])/;

function lex(jql: string): Lexed {
  const tokens: Token[] = [];
  let i = 0;
  while (i < jql.length) {
    const c = jql[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let v = '';
      while (j < jql.length && jql[j] !== c) {
        if (jql[j] === '\\') j++;
        v += jql[j] ?? '';
        j++;
      }
      if (j >= jql.length) return { tokens, unterminated: true };
      tokens.push({ t: 'str', v, at: i });
      i = j + 1;
      continue;
    }
    const sym = SYMBOLS.exec(jql.slice(i));
    if (sym) {
      tokens.push({ t: 'sym', v: sym[0], at: i });
      i += sym[0].length;
      continue;
    }
    // An unquoted word; a backslash escapes the next character into it, as in Jira.
    let j = i;
    let v = '';
    while (j < jql.length && !/[\s"'=~<>!|&(),]/.test(jql[j]!)) {
      if (jql[j] === '\\') j++;
      v += jql[j] ?? '';
      j++;
    }
    tokens.push({ t: 'word', v, at: i });
    i = j;
  }
  return { tokens, unterminated: false };
}

const isWord = (tok: Token | undefined, word: string) => tok?.t === 'word' && tok.v.toLowerCase() === word;

/** Index of the `ORDER BY` that ends the where clause, or the token count. */
function orderByIndex(tokens: Token[]): number {
  const i = tokens.findIndex((tok, n) => isWord(tok, 'order') && isWord(tokens[n + 1], 'by'));
  return i < 0 ? tokens.length : i;
}

const PROJECT_KEY = /^[A-Za-z][A-Za-z0-9_]*$/;
const ISSUE_KEY = /^[A-Za-z][A-Za-z0-9_]*-\d+$/;
const EVERY = ['project:*'];

/**
 * Projects a JQL query can return issues from, as policy resources. `project = X` / `project in (X, Y)` and issue
 * keys narrow it only when the query has no OR / NOT in any spelling (which could widen it again) and every
 * project it names is a key (a name or id could be any project); otherwise `project:*`.
 */
export function jqlResources(jql: string, project?: string): string[] {
  if (project) return [`project:${project.toUpperCase()}`];
  const { tokens: all, unterminated } = lex(jql);
  if (unterminated) return EVERY;
  const tokens = all.slice(0, orderByIndex(all));
  const widens = (tok: Token) =>
    (tok.t === 'word' && /^(or|not)$/i.test(tok.v)) || (tok.t === 'sym' && /[!|]/.test(tok.v));
  if (tokens.some(widens)) return EVERY;
  const projects = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const field = tokens[i]!;
    if (field.t !== 'word') continue;
    const name = field.v.toLowerCase();
    const op = tokens[i + 1];
    if (name === 'project' && op?.t === 'sym' && op.v === '=') {
      const value = tokens[i + 2];
      if (value?.t === 'sym' || !value || !PROJECT_KEY.test(value.v)) return EVERY;
      projects.add(value.v.toUpperCase());
    } else if (name === 'project' && isWord(op, 'in') && tokens[i + 2]?.t === 'sym' && tokens[i + 2]?.v === '(') {
      for (let j = i + 3; j < tokens.length && !(tokens[j]?.t === 'sym' && tokens[j]?.v === ')'); j++) {
        const item = tokens[j]!;
        if (item.t === 'sym' && item.v === ',') continue;
        if (item.t === 'sym' || !PROJECT_KEY.test(item.v)) return EVERY;
        projects.add(item.v.toUpperCase());
      }
    } else if (['key', 'issue', 'issuekey'].includes(name) && op?.t === 'sym' && op.v === '=') {
      const value = tokens[i + 2];
      if (value && value.t !== 'sym' && ISSUE_KEY.test(value.v)) projects.add(projectOfKey(value.v));
    }
  }
  return projects.size ? [...projects].map((p) => `project:${p}`) : EVERY;
}

/**
 * `project = X AND (jql)`, keeping any ORDER BY outside the parentheses. A query whose parentheses do not
 * balance (or whose string is left open) is refused: it could close ours and add `OR project = OTHER` after it.
 */
export function scopeJql(jql: string, project: string): string {
  const { tokens, unterminated } = lex(jql);
  const end = orderByIndex(tokens);
  let depth = 0;
  for (const tok of tokens.slice(0, end)) {
    if (tok.t !== 'sym') continue;
    if (tok.v === '(') depth++;
    else if (tok.v === ')' && --depth < 0) break;
  }
  if (unterminated || depth !== 0) {
    throw new SwitchboardError('invalid', 'the JQL has unbalanced parentheses or an unclosed quote.', {
      hint: 'Close every ( and " in jql and retry.',
    });
  }
  const cut = end < tokens.length ? tokens[end]!.at : jql.length;
  const where = jql.slice(0, cut).trim();
  const order = end < tokens.length ? ` ${jql.slice(cut).trim()}` : '';
  return `project = "${project.toUpperCase()}"${where ? ` AND (${where})` : ''}${order}`;
}
