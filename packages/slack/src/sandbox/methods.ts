/**
 * Web API methods of the sandbox. Each handler gets the merged arguments (query, form or JSON body) and the
 * calling token, and returns Slack's JSON or throws SlackFailure for an `ok: false` answer.
 */
import { channelJson, fileJson, messageJson, permalink, userJson } from './shape.ts';
import type { SandboxChannel, SandboxMessage, SandboxState, SandboxToken } from './state.ts';
import { TEAM } from './state.ts';

export class SlackFailure extends Error {
  readonly extra: Record<string, unknown>;
  constructor(code: string, extra: Record<string, unknown> = {}) {
    super(code);
    this.extra = extra;
  }
}

export type Args = Record<string, unknown>;

export interface MethodContext {
  state: SandboxState;
  token: SandboxToken;
  args: Args;
  /** Base URL of the sandbox (for upload URLs). */
  origin: string;
}

export interface Method {
  /** Any one suffices; a function picks by the target's kind. */
  scopes?: string[] | ((ctx: MethodContext) => string[]);
  userOnly?: boolean;
  handler: (ctx: MethodContext) => Record<string, unknown>;
}

const KIND_PREFIX = { public: 'channels', private: 'groups', im: 'im', mpim: 'mpim' } as const;

function str(args: Args, name: string): string | undefined {
  const v = args[name];
  if (v === undefined || v === null || v === '') return undefined;
  return String(v);
}

function required(args: Args, name: string): string {
  const v = str(args, name);
  if (v === undefined)
    throw new SlackFailure(name === 'channel' ? 'channel_not_found' : 'invalid_arguments', { arg: name });
  return v;
}

function bool(args: Args, name: string, fallback = false): boolean {
  const v = args[name];
  if (v === undefined) return fallback;
  return v === true || v === 'true' || v === '1' || v === 1;
}

function num(args: Args, name: string, fallback: number): number {
  const v = Number(args[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** JSON-encoded argument (form bodies carry arrays as JSON strings). */
function jsonArg(args: Args, name: string): unknown {
  const v = args[name];
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    throw new SlackFailure(name === 'blocks' ? 'invalid_blocks_format' : 'invalid_arguments');
  }
}

/** Cursor pagination like Slack: an opaque base64 offset, next_cursor '' on the last page. */
export function page<T>(items: T[], args: Args, defLimit = 100, maxLimit = 1000): { items: T[]; next: string } {
  const cursor = str(args, 'cursor');
  let offset = 0;
  if (cursor) {
    const decoded = Buffer.from(cursor, 'base64').toString('utf8');
    const m = /^offset:(\d+)$/.exec(decoded);
    if (!m) throw new SlackFailure('invalid_cursor');
    offset = Number(m[1]);
  }
  const limit = Math.min(num(args, 'limit', defLimit), maxLimit);
  const slice = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? Buffer.from(`offset:${offset + limit}`).toString('base64') : '';
  return { items: slice, next };
}

function visible(c: SandboxChannel, viewer: string): boolean {
  return c.kind === 'public' || c.members.has(viewer);
}

/** The channel an argument names (id, or a user id for the im with that user); channel_not_found otherwise. */
function target(ctx: MethodContext, name = 'channel', openIm = false): SandboxChannel {
  const ref = required(ctx.args, name);
  if (openIm && /^[UW][A-Z0-9]+$/.test(ref)) {
    if (!ctx.state.users.has(ref)) throw new SlackFailure('channel_not_found');
    return ctx.state.imWith(ctx.token.user, ref);
  }
  const c = ctx.state.channels.get(ref) ?? (ref.startsWith('#') ? ctx.state.channelByName(ref.slice(1)) : undefined);
  if (!c || !visible(c, ctx.token.user)) throw new SlackFailure('channel_not_found');
  return c;
}

function kindScopes(suffix: 'read' | 'history', name = 'channel') {
  return (ctx: MethodContext): string[] => {
    const c = ctx.state.channels.get(String(ctx.args[name] ?? ''));
    return c ? [`${KIND_PREFIX[c.kind]}:${suffix}`] : ['channels', 'groups', 'im', 'mpim'].map((p) => `${p}:${suffix}`);
  };
}

function readable(ctx: MethodContext, c: SandboxChannel): void {
  if (!c.members.has(ctx.token.user)) throw new SlackFailure('not_in_channel');
}

function writable(ctx: MethodContext, c: SandboxChannel): void {
  if (c.archived) throw new SlackFailure('is_archived');
  if (!c.members.has(ctx.token.user) && !(c.kind === 'public' && ctx.token.scopes.includes('chat:write.public'))) {
    throw new SlackFailure('not_in_channel');
  }
}

function textOf(ctx: MethodContext): string {
  const text = str(ctx.args, 'text');
  const blocks = ctx.args.blocks === undefined ? undefined : jsonArg(ctx.args, 'blocks');
  if (blocks !== undefined && !Array.isArray(blocks)) throw new SlackFailure('invalid_blocks_format');
  if (Array.isArray(blocks) && blocks.some((b) => typeof (b as { type?: unknown })?.type !== 'string')) {
    throw new SlackFailure('invalid_blocks');
  }
  if (!text && !blocks) throw new SlackFailure('no_text');
  if ((text ?? '').length > 40_000) throw new SlackFailure('msg_too_long');
  return text ?? '';
}

function message(ctx: MethodContext, c: SandboxChannel, ts: string): SandboxMessage {
  const m = ctx.state.findMessage(c, ts);
  if (!m) throw new SlackFailure('message_not_found');
  return m;
}

function tsFilter(args: Args): (m: SandboxMessage) => boolean {
  const oldest = Number.parseFloat(str(args, 'oldest') ?? '0');
  const latestArg = str(args, 'latest');
  const latest = latestArg ? Number.parseFloat(latestArg) : Number.POSITIVE_INFINITY;
  if (Number.isNaN(oldest)) throw new SlackFailure('invalid_ts_oldest');
  if (Number.isNaN(latest)) throw new SlackFailure('invalid_ts_latest');
  const inclusive = bool(args, 'inclusive');
  return (m) => {
    const t = Number.parseFloat(m.ts);
    return inclusive ? t >= oldest && t <= latest : t > oldest && t < latest;
  };
}

const EMOJI_NAME = /^[a-z0-9_+'-]{1,100}$/;

interface Hit {
  c: SandboxChannel;
  m: SandboxMessage;
  score: number;
}

function search(ctx: MethodContext): Hit[] {
  const query = required(ctx.args, 'query');
  const terms: string[] = [];
  const phrases: string[] = [];
  const inChannels: SandboxChannel[] = [];
  const from: string[] = [];
  let after = Number.NEGATIVE_INFINITY;
  let before = Number.POSITIVE_INFINITY;
  for (const m of query.matchAll(/"([^"]+)"|(\S+)/g)) {
    if (m[1]) {
      phrases.push(m[1].toLowerCase());
      continue;
    }
    const token = m[2] as string;
    const q = /^(in|from|before|after|on):(.+)$/i.exec(token);
    if (!q) {
      terms.push(token.toLowerCase());
      continue;
    }
    const [, op, value] = q as unknown as [string, string, string];
    if (op === 'in') {
      const ref = value.replace(/^<#([A-Z0-9]+)(?:\|[^>]*)?>$/, '$1').replace(/^#/, '');
      const c = ctx.state.channels.get(ref) ?? ctx.state.channelByName(ref);
      inChannels.push(c ?? ({ id: '__none__' } as SandboxChannel));
    } else if (op === 'from') {
      const ref = value.replace(/^<@([A-Z0-9]+)>$/, '$1').replace(/^@/, '');
      const u = ctx.state.users.get(ref) ?? [...ctx.state.users.values()].find((x) => x.name === ref);
      from.push(u?.id ?? '__none__');
    } else {
      const day = Date.parse(`${value}T00:00:00Z`) / 1000;
      if (Number.isNaN(day)) continue;
      if (op === 'after') after = Math.max(after, day + 86_400);
      if (op === 'before') before = Math.min(before, day);
      if (op === 'on') {
        after = Math.max(after, day);
        before = Math.min(before, day + 86_400);
      }
    }
  }
  const hits: Hit[] = [];
  for (const c of ctx.state.channels.values()) {
    if (!c.members.has(ctx.token.user) && c.kind !== 'public') continue;
    if (inChannels.length && !inChannels.some((x) => x.id === c.id)) continue;
    for (const m of c.messages) {
      const text = m.text.toLowerCase();
      const t = Number.parseFloat(m.ts);
      if (t < after || t >= before) continue;
      if (from.length && !from.includes(m.user)) continue;
      if (!terms.every((w) => text.includes(w)) || !phrases.every((p) => text.includes(p))) continue;
      const score = terms.reduce((s, w) => s + text.split(w).length - 1, 0) + phrases.length * 2;
      hits.push({ c, m, score });
    }
  }
  return hits;
}

export const METHODS: Record<string, Method> = {
  'auth.test': {
    handler: ({ state, token }) => {
      const u = state.users.get(token.user);
      return {
        url: `https://${TEAM.domain}.slack.com/`,
        team: TEAM.name,
        user: u?.name,
        team_id: TEAM.id,
        user_id: token.user,
        ...(token.kind === 'bot' ? { bot_id: u?.bot_id } : {}),
        is_enterprise_install: false,
      };
    },
  },

  'conversations.list': {
    scopes: ['channels:read', 'groups:read', 'im:read', 'mpim:read'],
    handler: (ctx) => listConversations(ctx, false),
  },

  'users.conversations': {
    scopes: ['channels:read', 'groups:read', 'im:read', 'mpim:read'],
    handler: (ctx) => listConversations(ctx, true),
  },

  'conversations.info': {
    scopes: kindScopes('read'),
    handler: (ctx) => {
      const c = target(ctx);
      return { channel: channelJson(c, ctx.token.user, bool(ctx.args, 'include_num_members')) };
    },
  },

  'conversations.history': {
    scopes: kindScopes('history'),
    handler: (ctx) => {
      const c = target(ctx);
      readable(ctx, c);
      const inWindow = tsFilter(ctx.args);
      const top = c.messages
        .filter((m) => (!m.thread_ts || m.thread_ts === m.ts || m.broadcast) && inWindow(m))
        .reverse();
      const { items, next } = page(top, ctx.args, 100, 999);
      return {
        messages: items.map((m) => messageJson(ctx.state, c, m)),
        has_more: next !== '',
        pin_count: c.pins.length,
        channel_actions_ts: null,
        channel_actions_count: 0,
        response_metadata: { next_cursor: next },
      };
    },
  },

  'conversations.replies': {
    scopes: kindScopes('history'),
    handler: (ctx) => {
      const c = target(ctx);
      readable(ctx, c);
      const ts = required(ctx.args, 'ts');
      const parent = ctx.state.findMessage(c, ts);
      if (!parent) throw new SlackFailure('thread_not_found');
      const root = parent.thread_ts ?? parent.ts;
      const all = [ctx.state.findMessage(c, root) ?? parent, ...ctx.state.replies(c, root)].filter(tsFilter(ctx.args));
      const { items, next } = page(all, ctx.args, 1000, 1000);
      return {
        messages: items.map((m) => messageJson(ctx.state, c, m)),
        has_more: next !== '',
        response_metadata: { next_cursor: next },
      };
    },
  },

  'chat.postMessage': {
    scopes: ['chat:write'],
    handler: (ctx) => {
      const c = target(ctx, 'channel', true);
      writable(ctx, c);
      const text = textOf(ctx);
      const threadTs = str(ctx.args, 'thread_ts');
      if (threadTs) {
        const parent = ctx.state.findMessage(c, threadTs);
        if (!parent || (parent.thread_ts && parent.thread_ts !== parent.ts)) throw new SlackFailure('thread_not_found');
        parent.thread_ts = parent.ts;
      }
      const m = ctx.state.addMessage(c, {
        ts: ctx.state.nextTs(),
        user: ctx.token.user,
        text,
        reactions: [],
        ...(threadTs ? { thread_ts: threadTs, broadcast: bool(ctx.args, 'reply_broadcast') } : {}),
      });
      return { channel: c.id, ts: m.ts, message: messageJson(ctx.state, c, m) };
    },
  },

  'chat.update': {
    scopes: ['chat:write'],
    handler: (ctx) => {
      const c = target(ctx);
      const m = message(ctx, c, required(ctx.args, 'ts'));
      if (m.user !== ctx.token.user) throw new SlackFailure('cant_update_message');
      m.text = textOf(ctx);
      m.edited = { user: ctx.token.user, ts: ctx.state.nextTs() };
      return { channel: c.id, ts: m.ts, text: m.text, message: messageJson(ctx.state, c, m) };
    },
  },

  'chat.delete': {
    scopes: ['chat:write'],
    handler: (ctx) => {
      const c = target(ctx);
      const m = message(ctx, c, required(ctx.args, 'ts'));
      if (m.user !== ctx.token.user) throw new SlackFailure('cant_delete_message');
      c.messages.splice(c.messages.indexOf(m), 1);
      return { channel: c.id, ts: m.ts };
    },
  },

  'chat.scheduleMessage': {
    scopes: ['chat:write'],
    handler: (ctx) => {
      const c = target(ctx, 'channel', true);
      writable(ctx, c);
      const text = textOf(ctx);
      const postAt = Number(required(ctx.args, 'post_at'));
      const now = ctx.state.now() / 1000;
      if (!Number.isFinite(postAt) || postAt <= now) throw new SlackFailure('time_in_past');
      if (postAt > now + 120 * 86_400) throw new SlackFailure('time_too_far');
      if (ctx.state.scheduled.filter((s) => s.channel === c.id).length >= 30) {
        throw new SlackFailure('restricted_too_many');
      }
      const id = ctx.state.nextId('Q');
      const threadTs = str(ctx.args, 'thread_ts');
      ctx.state.scheduled.push({
        id,
        channel: c.id,
        post_at: postAt,
        text,
        date_created: Math.floor(now),
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
      return {
        channel: c.id,
        scheduled_message_id: id,
        post_at: postAt,
        message: {
          type: 'message',
          text,
          user: ctx.token.user,
          bot_id: ctx.state.users.get(ctx.token.user)?.bot_id,
          team: TEAM.id,
        },
      };
    },
  },

  'chat.getPermalink': {
    handler: (ctx) => {
      const c = target(ctx);
      const m = message(ctx, c, required(ctx.args, 'message_ts'));
      return { channel: c.id, permalink: permalink(c, m.ts, m.thread_ts) };
    },
  },

  'reactions.add': {
    scopes: ['reactions:write'],
    handler: (ctx) => {
      const c = target(ctx);
      readable(ctx, c);
      const m = message(ctx, c, required(ctx.args, 'timestamp'));
      const name = required(ctx.args, 'name');
      if (!EMOJI_NAME.test(name)) throw new SlackFailure('invalid_name');
      let r = m.reactions.find((x) => x.name === name);
      if (r?.users.includes(ctx.token.user)) throw new SlackFailure('already_reacted');
      if (!r) {
        if (m.reactions.length >= 50) throw new SlackFailure('too_many_reactions');
        r = { name, users: [] };
        m.reactions.push(r);
      }
      r.users.push(ctx.token.user);
      return {};
    },
  },

  'reactions.remove': {
    scopes: ['reactions:write'],
    handler: (ctx) => {
      const c = target(ctx);
      const m = message(ctx, c, required(ctx.args, 'timestamp'));
      const name = required(ctx.args, 'name');
      const r = m.reactions.find((x) => x.name === name);
      if (!r?.users.includes(ctx.token.user)) throw new SlackFailure('no_reaction');
      r.users = r.users.filter((u) => u !== ctx.token.user);
      if (!r.users.length) m.reactions.splice(m.reactions.indexOf(r), 1);
      return {};
    },
  },

  'users.list': {
    scopes: ['users:read'],
    handler: (ctx) => {
      const { items, next } = page([...ctx.state.users.values()], ctx.args, 100, 1000);
      return {
        members: items.map(userJson),
        cache_ts: Math.floor(ctx.state.now() / 1000),
        response_metadata: { next_cursor: next },
      };
    },
  },

  'users.info': {
    scopes: ['users:read'],
    handler: (ctx) => {
      const u = ctx.state.users.get(required(ctx.args, 'user'));
      if (!u) throw new SlackFailure('user_not_found');
      return { user: userJson(u) };
    },
  },

  'users.lookupByEmail': {
    scopes: ['users:read.email'],
    handler: (ctx) => {
      const email = required(ctx.args, 'email').toLowerCase();
      const u = [...ctx.state.users.values()].find((x) => x.email?.toLowerCase() === email);
      if (!u) throw new SlackFailure('users_not_found');
      return { user: userJson(u) };
    },
  },

  'pins.list': {
    scopes: ['pins:read'],
    handler: (ctx) => {
      const c = target(ctx);
      const items = c.pins.flatMap((ts) => {
        const m = ctx.state.findMessage(c, ts);
        return m
          ? [
              {
                type: 'message',
                created: Math.floor(Number.parseFloat(ts)) + 60,
                created_by: c.creator,
                channel: c.id,
                message: { ...messageJson(ctx.state, c, m), permalink: permalink(c, m.ts), pinned_to: [c.id] },
              },
            ]
          : [];
      });
      return { items };
    },
  },

  'search.messages': {
    scopes: ['search:read'],
    userOnly: true,
    handler: (ctx) => {
      const hits = search(ctx);
      const byTime = str(ctx.args, 'sort') === 'timestamp';
      const asc = str(ctx.args, 'sort_dir') === 'asc';
      hits.sort((a, b) =>
        byTime || a.score === b.score
          ? (Number.parseFloat(b.m.ts) - Number.parseFloat(a.m.ts)) * (asc ? -1 : 1)
          : b.score - a.score,
      );
      const count = Math.min(num(ctx.args, 'count', 20), 100);
      const pageNo = Math.max(1, Math.floor(num(ctx.args, 'page', 1)));
      const pages = Math.max(1, Math.ceil(hits.length / count));
      const slice = hits.slice((pageNo - 1) * count, pageNo * count);
      return {
        query: str(ctx.args, 'query'),
        messages: {
          total: hits.length,
          pagination: {
            total_count: hits.length,
            page: pageNo,
            per_page: count,
            page_count: pages,
            first: (pageNo - 1) * count + 1,
            last: (pageNo - 1) * count + slice.length,
          },
          paging: { count, total: hits.length, page: pageNo, pages },
          matches: slice.map(({ c, m }) => ({
            iid: `${c.id}-${m.ts}`,
            team: TEAM.id,
            score: 0,
            channel: {
              id: c.id,
              is_channel: c.kind === 'public',
              is_group: c.kind === 'private',
              is_im: c.kind === 'im',
              is_mpim: c.kind === 'mpim',
              is_private: c.kind !== 'public',
              name: c.kind === 'im' ? (c.user ?? c.id) : c.name,
              is_shared: false,
              is_org_shared: false,
              is_ext_shared: false,
              pending_shared: [],
              is_pending_ext_shared: false,
            },
            type: 'message',
            user: m.user,
            username: ctx.state.users.get(m.user)?.name ?? '',
            ts: m.ts,
            blocks: [],
            text: m.text,
            permalink: permalink(c, m.ts, m.thread_ts),
            no_reactions: m.reactions.length === 0,
          })),
        },
      };
    },
  },

  'files.getUploadURLExternal': {
    scopes: ['files:write'],
    handler: (ctx) => {
      const filename = required(ctx.args, 'filename');
      const length = Number(required(ctx.args, 'length'));
      if (!Number.isInteger(length) || length <= 0) throw new SlackFailure('invalid_arguments');
      if (length > 1024 * 1024 * 1024) throw new SlackFailure('file_too_large');
      const id = ctx.state.nextId('F');
      ctx.state.files.set(id, {
        id,
        name: filename,
        title: filename,
        size: length,
        user: ctx.token.user,
        created: Math.floor(ctx.state.now() / 1000),
        uploaded: false,
        mimetype: 'text/plain',
      });
      return { upload_url: `${ctx.origin}/__upload/${id}`, file_id: id };
    },
  },

  'files.completeUploadExternal': {
    scopes: ['files:write'],
    handler: (ctx) => {
      const list = jsonArg(ctx.args, 'files');
      if (!Array.isArray(list) || !list.length) throw new SlackFailure('invalid_arguments');
      const out = [];
      for (const entry of list as { id?: string; title?: string }[]) {
        const f = ctx.state.files.get(String(entry.id));
        if (!f?.uploaded) throw new SlackFailure('file_not_found');
        if (entry.title) f.title = entry.title;
        out.push(f);
      }
      const channelId = str(ctx.args, 'channel_id') ?? str(ctx.args, 'channels');
      if (channelId) {
        const c = ctx.state.channels.get(channelId);
        if (!c || !visible(c, ctx.token.user)) throw new SlackFailure('channel_not_found');
        writable(ctx, c);
        const threadTs = str(ctx.args, 'thread_ts');
        ctx.state.addMessage(c, {
          ts: ctx.state.nextTs(),
          user: ctx.token.user,
          text: str(ctx.args, 'initial_comment') ?? '',
          reactions: [],
          files: out.map((f) => f.id),
          ...(threadTs ? { thread_ts: threadTs } : {}),
        });
      }
      return { files: out.map(fileJson) };
    },
  },
};

function listConversations(ctx: MethodContext, memberOnly: boolean): Record<string, unknown> {
  const types = (str(ctx.args, 'types') ?? 'public_channel').split(',').map((t) => t.trim());
  const kinds = new Set(
    types.map((t) => ({ public_channel: 'public', private_channel: 'private', im: 'im', mpim: 'mpim' })[t]),
  );
  const excludeArchived = bool(ctx.args, 'exclude_archived');
  const all = [...ctx.state.channels.values()].filter(
    (c) =>
      kinds.has(c.kind) &&
      visible(c, ctx.token.user) &&
      (!memberOnly || c.members.has(ctx.token.user)) &&
      !(excludeArchived && c.archived),
  );
  const { items, next } = page(all, ctx.args, 100, 1000);
  return { channels: items.map((c) => channelJson(c, ctx.token.user)), response_metadata: { next_cursor: next } };
}
