/**
 * A JQL subset for the sandbox: clauses `field op value` with =, !=, ~, !~, >, >=, <, <=, in, not in, is, is not;
 * AND / OR / NOT and parentheses; functions currentUser(), openSprints(), closedSprints(), futureSprints(), now();
 * dates as YYYY-MM-DD or relative (-7d, -2w); ORDER BY. Errors read like Jira's.
 */

export class JqlError extends Error {}

type Token =
  | { t: 'word'; v: string }
  | { t: 'str'; v: string }
  | { t: 'op'; v: string }
  | { t: '('; v: '(' }
  | { t: ')'; v: ')' }
  | { t: ','; v: ',' };

function tokenize(jql: string): Token[] {
  const out: Token[] = [];
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
        if (jql[j] === '\\' && j + 1 < jql.length) j++;
        v += jql[j];
        j++;
      }
      if (j >= jql.length)
        throw new JqlError(`Error in the JQL Query: The quoted string '${v}' has not been completed.`);
      out.push({ t: 'str', v });
      i = j + 1;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ t: c, v: c } as Token);
      i++;
      continue;
    }
    const op = /^(!=|!~|>=|<=|=|~|>|<)/.exec(jql.slice(i));
    if (op) {
      out.push({ t: 'op', v: op[1]! });
      i += op[1]!.length;
      continue;
    }
    const word = /^[^\s()=!~<>,"']+/.exec(jql.slice(i));
    if (!word) throw new JqlError(`Error in the JQL Query: The character '${c}' is a reserved JQL character.`);
    out.push({ t: 'word', v: word[0] });
    i += word[0].length;
  }
  return out;
}

export type Value = { kind: 'text'; v: string } | { kind: 'fn'; name: string } | { kind: 'empty' };

export type Node =
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'not'; inner: Node }
  | { kind: 'clause'; field: string; op: string; values: Value[] };

export interface Query {
  where?: Node;
  orderBy: { field: string; desc: boolean }[];
}

export function parseJql(jql: string): Query {
  const tokens = tokenize(jql);
  let pos = 0;
  const peek = () => tokens[pos];
  const isWord = (w: string) => {
    const tok = peek();
    return tok?.t === 'word' && tok.v.toLowerCase() === w;
  };
  const expectValue = (): Value => {
    const tok = tokens[pos++];
    if (!tok) throw new JqlError('Error in the JQL Query: Expecting a value but reached the end of the query.');
    if (tok.t === 'str') return { kind: 'text', v: tok.v };
    if (tok.t !== 'word') throw new JqlError(`Error in the JQL Query: Expecting a value but got '${tok.v}'.`);
    if (/^(empty|null)$/i.test(tok.v)) return { kind: 'empty' };
    if (peek()?.t === '(') {
      pos++;
      if (peek()?.t !== ')') throw new JqlError(`Error in the JQL Query: function ${tok.v} takes no arguments here.`);
      pos++;
      return { kind: 'fn', name: tok.v.toLowerCase() };
    }
    return { kind: 'text', v: tok.v };
  };
  const clause = (): Node => {
    const tok = tokens[pos];
    if (tok?.t === '(') {
      pos++;
      const inner = or();
      if (tokens[pos++]?.t !== ')') throw new JqlError("Error in the JQL Query: Expecting ')' before the end.");
      return inner;
    }
    if (isWord('not')) {
      pos++;
      return { kind: 'not', inner: clause() };
    }
    if (!tok || (tok.t !== 'word' && tok.t !== 'str')) {
      throw new JqlError(`Error in the JQL Query: Expecting a field name but got '${tok?.v ?? 'the end'}'.`);
    }
    pos++;
    const field = tok.v;
    let op: string;
    const next = peek();
    if (next?.t === 'op') {
      op = next.v;
      pos++;
    } else if (isWord('in')) {
      op = 'in';
      pos++;
    } else if (isWord('not') && tokens[pos + 1]?.t === 'word' && tokens[pos + 1]!.v.toLowerCase() === 'in') {
      op = 'not in';
      pos += 2;
    } else if (isWord('is')) {
      pos++;
      if (isWord('not')) {
        pos++;
        op = 'is not';
      } else op = 'is';
    } else {
      throw new JqlError(
        `Error in the JQL Query: Expecting operator but got '${next?.v ?? 'the end'}'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.`,
      );
    }
    if (op === 'in' || op === 'not in') {
      // `sprint in openSprints()`: a list-valued function instead of a literal list.
      if (peek()?.t === 'word' && tokens[pos + 1]?.t === '(')
        return { kind: 'clause', field, op, values: [expectValue()] };
      if (tokens[pos++]?.t !== '(') throw new JqlError("Error in the JQL Query: Expecting '(' after IN.");
      const values: Value[] = [expectValue()];
      while (peek()?.t === ',') {
        pos++;
        values.push(expectValue());
      }
      if (tokens[pos++]?.t !== ')') throw new JqlError("Error in the JQL Query: Expecting ')' to close the IN list.");
      return { kind: 'clause', field, op, values };
    }
    return { kind: 'clause', field, op, values: [expectValue()] };
  };
  const and = (): Node => {
    let left = clause();
    while (isWord('and')) {
      pos++;
      left = { kind: 'and', left, right: clause() };
    }
    return left;
  };
  const or = (): Node => {
    let left = and();
    while (isWord('or')) {
      pos++;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  let where: Node | undefined;
  if (tokens.length && !isWord('order')) where = or();
  const orderBy: Query['orderBy'] = [];
  if (isWord('order')) {
    pos++;
    if (!isWord('by')) throw new JqlError("Error in the JQL Query: Expecting 'by' after 'order'.");
    pos++;
    do {
      if (peek()?.t === ',') pos++;
      const f = tokens[pos++];
      if (!f || (f.t !== 'word' && f.t !== 'str'))
        throw new JqlError('Error in the JQL Query: Expecting a field to order by.');
      let desc = false;
      if (isWord('desc')) {
        desc = true;
        pos++;
      } else if (isWord('asc')) pos++;
      orderBy.push({ field: f.v, desc });
    } while (peek()?.t === ',');
  }
  if (pos < tokens.length) {
    throw new JqlError(`Error in the JQL Query: Expecting either 'OR' or 'AND' but got '${tokens[pos]!.v}'.`);
  }
  return { where, orderBy };
}

/** Relative (-7d, 2w, -4h) or absolute (2026-01-05, 2026-01-05 10:00) dates to epoch ms. */
export function jqlDate(value: string, now: number): number {
  const rel = /^([+-]?)(\d+)([wdhm])$/i.exec(value.trim());
  if (rel) {
    const unit = { w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000 }[rel[3]!.toLowerCase() as 'w']!;
    return now + (rel[1] === '-' ? -1 : 1) * Number(rel[2]) * unit;
  }
  const abs = Date.parse(value.trim().replace(' ', 'T') + (value.includes(':') ? 'Z' : 'T00:00:00Z'));
  if (Number.isNaN(abs))
    throw new JqlError(
      `Date value '${value}' for a date field is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
    );
  return abs;
}
