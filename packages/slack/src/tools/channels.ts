/** Reading channels: lists, info, history, threads, pins, permalinks. */
import type { Toolset } from '@switchboard-mcp/core';
import { z } from 'zod';
import { type ChannelKind, kindOf } from '../client.ts';
import { messageLines, more, oneLine, type SlackMessage, untrusted, userIdsOf } from '../render.ts';
import { channelResources, dmDenied } from '../resources.ts';
import { toSlackTs, tsDateTime } from '../time.ts';
import { channelArg, channelIdFor, channelLabel, cursorArg, scanPages, tool, tsArg } from './shared.ts';

const READ_SCOPES = ['channels:read', 'groups:read', 'im:read', 'mpim:read'];
const HISTORY_SCOPES = ['channels:history', 'groups:history', 'im:history', 'mpim:history'];

const TYPE_NAMES: Record<ChannelKind, string> = {
  public: 'public_channel',
  private: 'private_channel',
  im: 'im',
  mpim: 'mpim',
};

interface Conversation {
  id?: string;
  name?: string;
  user?: string;
  is_member?: boolean;
  is_archived?: boolean;
  is_im?: boolean;
  is_mpim?: boolean;
  is_private?: boolean;
  is_group?: boolean;
  num_members?: number;
  topic?: { value?: string };
  purpose?: { value?: string };
  created?: number;
  creator?: string;
}

/** Pages read while filtering by name (200 channels each). */
const MAX_SCAN_PAGES = 5;

export const listChannels = tool({
  name: 'list_channels',
  title: 'List channels',
  description: 'Channels the bot can see (id, name, members); filter by name substring or membership',
  access: 'read',
  scopes: READ_SCOPES,
  cacheTtlMs: 30_000,
  input: z.object({
    types: z
      .array(z.enum(['public', 'private', 'im', 'mpim']))
      .min(1)
      .default(['public', 'private']),
    name: z.string().optional().describe('Substring of the name'),
    member_only: z.boolean().default(false),
    include_archived: z.boolean().default(false),
    limit: z.number().int().min(1).max(200).default(50),
    cursor: cursorArg,
  }),
  run: async ({ client, input }) => {
    if (input.types.some((t) => t === 'im' || t === 'mpim')) {
      const denied = dmDenied('read', client.dms);
      if (denied) throw denied;
    }
    const needle = input.name?.replace(/^#/, '').toLowerCase();
    const { found, next } = await scanPages<Conversation>({
      cursor: input.cursor,
      limit: input.limit,
      maxPages: MAX_SCAN_PAGES,
      keep: needle ? (c) => (c.name ?? '').toLowerCase().includes(needle) : undefined,
      page: async (cursor, limit) => {
        const params = {
          types: input.types.map((t) => TYPE_NAMES[t]).join(','),
          exclude_archived: !input.include_archived,
          limit,
          cursor,
        };
        const res = input.member_only
          ? await client.bot.users.conversations(params)
          : await client.bot.conversations.list(params);
        const items = (res.channels ?? []) as Conversation[];
        for (const c of items) client.directory.remember(c);
        return { items, next: res.response_metadata?.next_cursor };
      },
    });
    const ims = found.filter((c) => c.is_im && c.user).map((c) => c.user as string);
    const names = ims.length ? await client.directory.userNames(ims) : new Map<string, string>();
    return { channels: found, next, names };
  },
  render: ({ channels, next, names }) => {
    const lines = channels.map((c) => {
      const kind = kindOf(c);
      const label = c.is_im ? `@${names.get(c.user ?? '') ?? c.user}` : `#${oneLine(c.name, 80)}`;
      const flags = [
        kind !== 'public' ? kind : '',
        c.num_members !== undefined ? `${c.num_members} members` : '',
        c.is_member ? 'member' : '',
        c.is_archived ? 'archived' : '',
      ].filter(Boolean);
      return `${c.id} ${label}${flags.length ? ` (${flags.join(', ')})` : ''}`;
    });
    lines.push(more(next, channels.length));
    return lines.join('\n');
  },
});

export const getChannelInfo = tool({
  name: 'get_channel_info',
  title: 'Channel info',
  description: 'One channel: name, kind, members, topic, purpose',
  access: 'read',
  scopes: READ_SCOPES,
  cacheTtlMs: 30_000,
  resource: (input, ctx) => channelResources(input.channel, 'read', ctx),
  input: z.object({ channel: channelArg }),
  run: async ({ client, input }) => {
    const id = await channelIdFor(client, input.channel);
    const res = await client.bot.conversations.info({ channel: id, include_num_members: true });
    const channel = res.channel as Conversation;
    client.directory.remember(channel);
    const creator = channel.creator ? await client.directory.userNames([channel.creator]) : new Map();
    return { channel, creator: channel.creator ? creator.get(channel.creator) : undefined };
  },
  render: ({ channel: c, creator }) => {
    const lines = [
      `${c.id} ${c.is_im ? `im with ${c.user}` : `#${oneLine(c.name, 80)}`} (${[
        kindOf(c),
        c.num_members !== undefined ? `${c.num_members} members` : '',
        c.is_member ? 'bot is member' : 'bot not member',
        c.is_archived ? 'archived' : '',
      ]
        .filter(Boolean)
        .join(', ')})`,
    ];
    if (c.created) lines.push(`created ${tsDateTime(c.created)}${creator ? ` by @${creator}` : ''}`);
    const about = [
      c.topic?.value ? `topic: ${c.topic.value}` : '',
      c.purpose?.value ? `purpose: ${c.purpose.value}` : '',
    ].filter(Boolean);
    if (about.length) lines.push(untrusted(about.join('\n'), { source: 'channel topic/purpose' }));
    return lines.join('\n');
  },
});

export const getChannelHistory = tool({
  name: 'get_channel_history',
  title: 'Channel history',
  description: 'Channel messages, oldest first; threads shown as reply counts',
  access: 'read',
  scopes: HISTORY_SCOPES,
  resource: (input, ctx) => channelResources(input.channel, 'read', ctx),
  input: z.object({
    channel: channelArg,
    since: z.string().optional().describe('Window start: 24h, 7d, ISO date or ts'),
    until: z.string().optional(),
    limit: z.number().int().min(1).max(200).default(50),
    cursor: cursorArg,
  }),
  run: async ({ client, input }) => {
    const channel = await channelIdFor(client, input.channel);
    const oldest = input.since ? toSlackTs(input.since, 'since') : undefined;
    const latest = input.until ? toSlackTs(input.until, 'until') : undefined;
    const res = await client.bot.conversations.history({
      channel,
      limit: input.limit,
      cursor: input.cursor,
      oldest,
      latest,
    });
    const messages = (res.messages ?? []) as SlackMessage[];
    const names = await client.directory.userNames(userIdsOf(messages));
    return { messages, names, next: res.response_metadata?.next_cursor || undefined };
  },
  render: ({ messages, names, next }, input) => {
    const head = `${channelLabel(input.channel)}: ${messages.length} messages (UTC)`;
    if (!messages.length) return `${head}\n${more(next, 0)}`;
    const body = untrusted(messageLines(messages, names).join('\n'), { source: 'slack messages' });
    return `${head}\n${body}\n${more(next, messages.length)}${next ? ' (older)' : ''}`;
  },
});

export const getThreadReplies = tool({
  name: 'get_thread_replies',
  title: 'Thread replies',
  description: 'A thread: the parent message and its replies, oldest first',
  access: 'read',
  scopes: HISTORY_SCOPES,
  resource: (input, ctx) => channelResources(input.channel, 'read', ctx),
  input: z.object({
    channel: channelArg,
    thread_ts: tsArg.describe('ts of the thread parent'),
    limit: z.number().int().min(1).max(200).default(50),
    cursor: cursorArg,
  }),
  run: async ({ client, input }) => {
    const channel = await channelIdFor(client, input.channel);
    const res = await client.bot.conversations.replies({
      channel,
      ts: input.thread_ts,
      limit: input.limit,
      cursor: input.cursor,
    });
    const messages = (res.messages ?? []) as SlackMessage[];
    const names = await client.directory.userNames(userIdsOf(messages));
    return { messages, names, next: res.response_metadata?.next_cursor || undefined };
  },
  render: ({ messages, names, next }, input) => {
    const head = `thread ${input.thread_ts} in ${channelLabel(input.channel)}: ${messages.length} messages (UTC)`;
    const body = untrusted(messageLines(messages, names, { thread: true }).join('\n'), { source: 'slack thread' });
    return `${head}\n${body}\n${more(next, messages.length)}`;
  },
});

export const getPermalink = tool({
  name: 'get_permalink',
  title: 'Message link',
  description: 'Permanent URL of a message',
  access: 'read',
  cacheTtlMs: 300_000,
  resource: (input, ctx) => channelResources(input.channel, 'read', ctx),
  input: z.object({ channel: channelArg, ts: tsArg }),
  run: async ({ client, input }) => {
    const channel = await channelIdFor(client, input.channel);
    return (await client.bot.chat.getPermalink({ channel, message_ts: input.ts })).permalink ?? '';
  },
  render: (url) => url,
});

interface Pin {
  type?: string;
  created?: number;
  created_by?: string;
  message?: SlackMessage;
  file?: { id?: string; name?: string; title?: string };
}

export const listPins = tool({
  name: 'list_pins',
  title: 'List pins',
  description: 'Items pinned in a channel',
  access: 'read',
  scopes: ['pins:read'],
  cacheTtlMs: 30_000,
  resource: (input, ctx) => channelResources(input.channel, 'read', ctx),
  input: z.object({ channel: channelArg }),
  run: async ({ client, input }) => {
    const channel = await channelIdFor(client, input.channel);
    const res = await client.bot.pins.list({ channel });
    const items = (res.items ?? []) as Pin[];
    const messages = items.flatMap((i) => (i.message ? [i.message] : []));
    const names = await client.directory.userNames(userIdsOf(messages));
    return { items, names };
  },
  render: ({ items, names }, input) => {
    if (!items.length) return `${channelLabel(input.channel)}: no pins`;
    const messages = items.flatMap((i) => (i.message ? [i.message] : []));
    const files = items
      .filter((i) => i.file)
      .map((i) => `file ${i.file?.id} ${oneLine(i.file?.title ?? i.file?.name)}`);
    const lines = [`${channelLabel(input.channel)}: ${items.length} pins`];
    if (messages.length) lines.push(untrusted(messageLines(messages, names).join('\n'), { source: 'pinned messages' }));
    lines.push(...files);
    return lines.join('\n');
  },
});

export const channels: Toolset = {
  description: 'Read channels, history, threads and pins',
  tools: [listChannels, getChannelInfo, getChannelHistory, getThreadReplies, getPermalink, listPins],
};
