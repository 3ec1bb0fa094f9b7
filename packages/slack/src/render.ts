/**
 * Compact text for Slack results: one line per message with what an agent acts on (ts for replies and
 * reactions, author, text, thread and reaction counts), grouped by day; Slack's markup turned back into
 * readable text with user ids resolved to names; everything authored in Slack fenced as untrusted.
 */
import { oneLine, untrusted } from '@switchboard-mcp/core';
import { tsDay, tsTime } from './time.ts';

export { oneLine, untrusted };

export interface SlackMessage {
  ts?: string;
  user?: string;
  bot_id?: string;
  username?: string;
  subtype?: string;
  text?: string;
  thread_ts?: string;
  reply_count?: number;
  latest_reply?: string;
  reactions?: { name?: string; count?: number }[];
  files?: { name?: string; title?: string }[];
  edited?: unknown;
  channel?: { id?: string; name?: string } | string;
  permalink?: string;
  attachments?: { fallback?: string; text?: string }[];
}

/** User ids a message mentions or is written by, for name resolution. */
export function userIdsOf(messages: SlackMessage[]): Set<string> {
  const ids = new Set<string>();
  for (const m of messages) {
    if (m.user) ids.add(m.user);
    for (const mention of (m.text ?? '').matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)) ids.add(mention[1] as string);
  }
  return ids;
}

/** Slack mrkdwn back to plain readable text: mentions named, links unwrapped, entities decoded. */
export function readable(text: string, names: Map<string, string>): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, label?: string) => `@${names.get(id) ?? label ?? id}`)
    .replace(/<#([CG][A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, name?: string) => `#${name || id}`)
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g, (_, label?: string) => label ?? '@group')
    .replace(/<!date\^\d+\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<!([a-z]+)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, (_, url: string, label: string) =>
      label === url || url.endsWith(`:${label}`) ? label : `${label} (${url})`,
    )
    .replace(/<((?:https?|mailto):[^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function author(m: SlackMessage, names: Map<string, string>): string {
  if (m.user) return `@${names.get(m.user) ?? m.user}`;
  return m.username ? `${m.username} (bot)` : m.bot_id ? `bot ${m.bot_id}` : '?';
}

/** One message as one line (newlines folded to ⏎ so the list stays one message per line). */
export function messageLine(m: SlackMessage, names: Map<string, string>, opts: { thread?: boolean } = {}): string {
  const parts = [`${m.ts} ${tsTime(m.ts)} ${author(m, names)}:`];
  let text = readable(m.text ?? '', names);
  if (!text.trim() && m.attachments?.length) text = m.attachments.map((a) => a.fallback ?? a.text ?? '').join(' ');
  parts.push(text.replace(/\s*\n\s*/g, ' ⏎ ').trim());
  const extras: string[] = [];
  if (m.edited) extras.push('edited');
  if (m.subtype && m.subtype !== 'bot_message' && m.subtype !== 'thread_broadcast') extras.push(m.subtype);
  if (!opts.thread && m.reply_count) extras.push(`${m.reply_count} ${m.reply_count === 1 ? 'reply' : 'replies'}`);
  if (m.thread_ts && m.thread_ts !== m.ts && !opts.thread) extras.push(`in thread ${m.thread_ts}`);
  for (const r of m.reactions ?? []) extras.push(`:${r.name}:${(r.count ?? 1) > 1 ? `×${r.count}` : ''}`);
  for (const f of m.files ?? []) extras.push(`file ${f.name ?? f.title ?? ''}`);
  if (extras.length) parts.push(`[${extras.join(', ')}]`);
  return parts.join(' ');
}

/** Messages grouped under day headings (UTC), oldest first. */
export function messageLines(
  messages: SlackMessage[],
  names: Map<string, string>,
  opts: { thread?: boolean } = {},
): string[] {
  const sorted = [...messages].sort((a, b) => Number.parseFloat(a.ts ?? '0') - Number.parseFloat(b.ts ?? '0'));
  const lines: string[] = [];
  let day = '';
  for (const m of sorted) {
    const d = tsDay(m.ts);
    if (d !== day) {
      lines.push(`${d}:`);
      day = d;
    }
    lines.push(messageLine(m, names, opts));
  }
  return lines;
}

/** The last line of a paged list. */
export function more(next: string | undefined | null, shown: number): string {
  return next ? `(${shown} shown; more with cursor="${next}")` : `(${shown} shown; end)`;
}
