/**
 * Compact text for Jira results: keys, statuses, people, dates, one line per item. Text written by Jira users
 * (summaries excepted, as titles) is fenced with core's `untrusted()`.
 */
import { adfToMarkdown } from '@switchboard-mcp/atlassian';
import { oneLine, SwitchboardError, untrusted } from '@switchboard-mcp/core';
import { z } from 'zod';

export { oneLine };

export interface JiraUser {
  accountId?: string;
  name?: string;
  key?: string;
  displayName?: string;
  emailAddress?: string;
  active?: boolean;
}

/** `Jane Doe` (display names are what people search by); `unassigned` for null. */
export function who(user: JiraUser | null | undefined, fallback = 'unassigned'): string {
  if (!user) return fallback;
  return oneLine(user.displayName ?? user.name ?? user.accountId ?? '?', 60);
}

/** 2024-05-01 from an ISO timestamp. */
export function day(iso: string | null | undefined): string {
  return iso ? String(iso).slice(0, 10) : '';
}

/** A rich-text field (ADF on Cloud, wiki-markup string on Data Center) as Markdown. */
export function richText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return adfToMarkdown(value as Parameters<typeof adfToMarkdown>[0]);
  return String(value);
}

/** Free text authored in Jira, fenced; '' when empty. */
export function authored(value: unknown, source: string): string {
  const text = richText(value).trim();
  return text ? untrusted(text, { source }) : '';
}

export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The last line of a list: how to get more. */
export function more(next: string | undefined, shown: number, total?: number): string {
  const counted = total !== undefined ? `${shown} of ${total}` : `${shown}`;
  return next ? `(${counted} shown; more with cursor="${next}")` : `(${counted} shown; end)`;
}

/** `ABC` from `ABC-12`. */
export function projectOfKey(key: string): string {
  const match = /^([A-Za-z][A-Za-z0-9_]*)-\d+$/.exec(key.trim());
  return (match?.[1] ?? key).toUpperCase();
}

/**
 * Issue and project keys are checked at run time; their regex is left out of the JSON schema, where the model
 * would pay for it in every tool that takes a key while the example says the same.
 */
export const issueKey = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*-\d+$/, 'an issue key like ABC-123')
  .meta({ pattern: undefined, description: 'e.g. ABC-123' });

export const projectKey = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a project key like ABC')
  .meta({ pattern: undefined, description: 'Project key, e.g. ABC' });

export function issueResource(input: { key: string }): string {
  return `project:${projectOfKey(input.key)}`;
}

export function projectResource(input: { project: string }): string {
  return `project:${input.project.toUpperCase()}`;
}

/** Offset cursors for startAt-paged lists. */
export function offsetFromCursor(cursor: string | undefined): number {
  const n = Number.parseInt(cursor ?? '', 10);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

export const limit = (def: number, max = 100) => z.number().int().min(1).max(max).default(def);

/** `12 KB` style sizes. */
export function size(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `2h 30m` from seconds. */
export function duration(seconds: number | undefined): string {
  if (!seconds) return '0m';
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return [h ? `${h}h` : '', m || !h ? `${m}m` : ''].filter(Boolean).join(' ');
}

/**
 * The list under `key` of a paged answer. An answer without it is an error, never an empty list: that is how a
 * moved or removed endpoint (or a proxy's HTML page) would otherwise pass for "nothing found".
 */
export function listOf<T>(res: unknown, key: string, what: string): T[] {
  const list = (res as Record<string, unknown> | null | undefined)?.[key];
  if (Array.isArray(list)) return list as T[];
  throw new SwitchboardError('upstream', `Jira answered ${what} without its "${key}" list.`, {
    hint: 'The site may not support this endpoint (check JIRA_URL and JIRA_DEPLOYMENT); retrying will not help.',
  });
}
