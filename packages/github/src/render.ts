/**
 * Shared compact-text helpers for the GitHub tools. Results carry what an agent acts on (numbers, titles,
 * states, authors, dates, urls) and drop vendor noise (avatars, node ids, nested *_url links).
 */
import { oneLine, untrusted } from '@switchboard-mcp/core';
import { z } from 'zod';

/** author_association values of people with write access or org membership. */
const INSIDERS = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

export function isOutsider(association: string | null | undefined): boolean {
  return !INSIDERS.has(String(association ?? 'NONE').toUpperCase());
}

/** `@login`, or `@login (outsider)` for authors outside the repository's collaborators. */
export function who(user: { login?: string } | null | undefined, association?: string | null): string {
  const login = user?.login ? `@${user.login}` : '@ghost';
  return association !== undefined && isOutsider(association) ? `${login} (outsider)` : login;
}

/** 2024-05-01 from an ISO timestamp; empty for null. */
export function day(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : '';
}

/** Free text written by a GitHub user (issue body, comment), fenced as untrusted. */
export function authored(text: string | null | undefined, source: string, association?: string | null): string {
  if (!text?.trim()) return '';
  return untrusted(text, { source, outsider: association !== undefined && isOutsider(association) });
}

export { oneLine };

/** Cursor for page-numbered lists: the page number as a string. */
export function pageFromCursor(cursor: string | undefined): number {
  if (!cursor) return 1;
  const page = Number.parseInt(cursor, 10);
  return Number.isFinite(page) && page > 0 ? page : 1;
}

/** Next-page cursor from a Link header, or undefined on the last page. */
export function nextCursor(link: string | undefined | null): string | undefined {
  if (!link) return undefined;
  const match = /<([^>]+)>;\s*rel="next"/.exec(link);
  if (!match?.[1]) return undefined;
  const page = new URL(match[1]).searchParams.get('page');
  return page ?? undefined;
}

/** The last line of a list: how to get more. */
export function more(next: string | undefined, shown: number, total?: number): string {
  const count = total !== undefined ? `${shown} of ${total}` : `${shown}`;
  return next ? `(${count} shown; more with cursor="${next}")` : `(${count} shown; end)`;
}

export function repoResource(input: { owner: string; repo: string }): string {
  return `repo:${input.owner}/${input.repo}`;
}

/**
 * `repo:OWNER/NAME` resources named by a search query's `repo:` qualifiers (negated `-repo:` ignored), so policy
 * can scope the search; undefined when the query names no repository.
 */
/**
 * The repositories a search query can return content from, as policy resources: each `repo:o/r` qualifier, each
 * `org:o` / `user:o` as `repo:o/*`, and `repo:*` (every repository) when the query names none — so a read
 * allow-list such as `repo:acme/*` also bounds what search can reach. Negated qualifiers narrow nothing.
 */
export function searchResources(query: string): string[] {
  const repos = [...query.matchAll(/(?<![\w-])repo:"?([\w.-]+\/[\w.-]+)"?/gi)].map((m) => `repo:${m[1]}`);
  const owners = [...query.matchAll(/(?<![\w-])(?:org|user):"?([\w.-]+)"?/gi)].map((m) => `repo:${m[1]}/*`);
  const all = [...new Set([...repos, ...owners])];
  return all.length ? all : ['repo:*'];
}

/** 7-character sha for display. */
export function short(sha: string | null | undefined): string {
  return sha ? sha.slice(0, 7) : '';
}

/**
 * A positive integer input (issue/PR number, run or job id). zod emits the safe-integer maximum in JSON Schema,
 * which the model would pay for on every turn; the bound says nothing useful, so it is dropped.
 */
export function positiveInt() {
  return z.number().int().min(1).meta({ maximum: undefined });
}

/** A text body (diff, log) as a string: Octokit hands back bytes when the server labels it as binary. */
export function asText(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  return String(data ?? '');
}

/** `1 comment`, `3 comments`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** One-letter file status, as git shows it. */
const FILE_STATUS: Record<string, string> = {
  added: 'A',
  removed: 'D',
  modified: 'M',
  renamed: 'R',
  copied: 'C',
  changed: 'T',
  unchanged: '=',
};

/** A changed file of a PR or commit: `M src/index.ts +4 -1`, `R old.ts → new.ts +0 -0`. */
export function fileChangeLine(f: {
  status: string;
  filename: string;
  previous_filename?: string;
  additions: number;
  deletions: number;
}): string {
  const name = f.previous_filename
    ? `${oneLine(f.previous_filename, 300)} → ${oneLine(f.filename, 300)}`
    : oneLine(f.filename, 300);
  return `${FILE_STATUS[f.status] ?? f.status} ${name} +${f.additions} -${f.deletions}`;
}

/** GitHub's search serves at most the first 1000 results of a query. */
const SEARCH_CAP = 1000;

/** page and per_page of a search call, from the tool's cursor and limit. */
export function searchPaging(input: { cursor?: string; limit: number }): { page: number; per_page: number } {
  return { page: pageFromCursor(input.cursor), per_page: input.limit };
}

/** The last line of a search answer: results so far of how many, and no cursor past the search cap. */
export function moreResults(
  res: { data: { total_count: number; items: unknown[] }; headers: { link?: string } },
  input: { cursor?: string; limit: number },
): string {
  const { page, per_page } = searchPaging(input);
  const total = res.data.total_count;
  const next = page * per_page < Math.min(total, SEARCH_CAP) ? nextCursor(res.headers.link) : undefined;
  return more(next, (page - 1) * per_page + res.data.items.length, total);
}
