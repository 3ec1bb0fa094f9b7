/** Arguments and helpers shared by the Slack tools. */
import { toolsFor } from '@switchboard-mcp/core';
import { z } from 'zod';
import { channelId, type SlackClient, userTarget } from '../client.ts';

export const tool = toolsFor<SlackClient>();

export const channelArg = z.string().min(1).describe('Channel id (C…) or #name');
// A refinement, not a regex: it validates without adding a pattern to every schema the model reads.
export const tsArg = z
  .string()
  .refine((v) => /^\d{9,11}\.\d{1,6}$/.test(v), 'expected a Slack message ts like 1714000000.123456')
  .describe('Message ts');
export const cursorArg = z.string().optional();

/** The id to send for `ref`: channel ids and user ids (DMs) as they are, names looked up. */
export async function channelIdFor(client: SlackClient, ref: string): Promise<string> {
  return channelId(ref) ?? userTarget(ref) ?? (await client.directory.channel(ref)).id;
}

/** `#name` when the caller named it so, else the id. */
export function channelLabel(ref: string): string {
  return channelId(ref) ?? userTarget(ref) ?? `#${ref.replace(/^#/, '')}`;
}

/** Markdown to mrkdwn, loaded on first use (the Markdown parser is not needed at start-up). */
export async function toMrkdwn(markdown: string): Promise<string> {
  const { markdownToMrkdwn } = await import('../mrkdwn.ts');
  return markdownToMrkdwn(markdown);
}

/** Slack's page size while filtering a list by name. */
const SCAN_PAGE = 200;

/**
 * Reads a cursor-paged Slack list, keeping what `keep` accepts, until `limit` items are found or `maxPages` pages
 * were read. A filtered page can hold more matches than fit: the cursor handed back is then that page's cursor
 * plus how many of its matches were shown (`<cursor>~<n>`), so the next call neither repeats nor skips any.
 */
export async function scanPages<T>(opts: {
  cursor?: string;
  limit: number;
  /** Undefined: no filter, one page of `limit` items. */
  keep?: (item: T) => boolean;
  maxPages: number;
  page: (cursor: string | undefined, limit: number) => Promise<{ items: T[]; next?: string }>;
}): Promise<{ found: T[]; next?: string }> {
  const marker = /^(.*)~(\d+)$/.exec(opts.cursor ?? '');
  let cursor = marker ? marker[1] || undefined : opts.cursor;
  let skip = marker ? Number(marker[2]) : 0;
  const found: T[] = [];
  const keep = opts.keep;
  for (let page = 0; page < (keep ? opts.maxPages : 1); page++) {
    const { items, next } = await opts.page(cursor, keep ? SCAN_PAGE : opts.limit);
    const matches = keep ? items.filter(keep) : items;
    const shown = Math.min(skip, matches.length);
    const fresh = matches.slice(shown);
    skip = 0;
    const room = opts.limit - found.length;
    if (fresh.length > room) {
      found.push(...fresh.slice(0, room));
      return { found, next: `${cursor ?? ''}~${shown + room}` };
    }
    found.push(...fresh);
    cursor = next || undefined;
    if (!cursor || found.length >= opts.limit) break;
  }
  return { found, next: cursor };
}
