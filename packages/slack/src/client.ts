/**
 * The Slack client a tool receives: the bot-token WebClient, the optional user-token WebClient (search), and
 * bounded caches that fill lazily from the calls that need them (never a workspace-wide crawl at start-up).
 */
import type { WebClient } from '@slack/web-api';
import { oneLine, SwitchboardError } from '@switchboard-mcp/core';
import { BoundedCache } from './cache.ts';

/** Whether tools may touch direct messages (im) and group DMs (mpim). */
export type DmAccess = 'off' | 'read' | 'write';

export type ChannelKind = 'public' | 'private' | 'im' | 'mpim';

export interface ChannelInfo {
  id: string;
  /** Channel name without '#'; for an im the other user's id. */
  name: string;
  kind: ChannelKind;
}

export interface SlackClient {
  bot: WebClient;
  /** Present when SLACK_USER_TOKEN is set. */
  user?: WebClient;
  dms: DmAccess;
  directory: Directory;
}

type Conversation = {
  id?: string;
  name?: string;
  user?: string;
  is_im?: boolean;
  is_mpim?: boolean;
  is_private?: boolean;
  is_group?: boolean;
};

export function kindOf(c: Conversation): ChannelKind {
  if (c.is_im) return 'im';
  if (c.is_mpim) return 'mpim';
  return c.is_private || c.is_group ? 'private' : 'public';
}

function infoOf(c: Conversation): ChannelInfo {
  return { id: c.id ?? '', name: c.is_im ? (c.user ?? '') : (c.name ?? ''), kind: kindOf(c) };
}

/** Pages of conversations.list read while looking for a channel by name (200 per page). */
const NAME_LOOKUP_PAGES = 10;
const HOUR = 3_600_000;

/** Channel and user names for one credential set, filled on demand. */
export class Directory {
  readonly #bot: WebClient;
  readonly #channels = new BoundedCache<ChannelInfo>(2_000, HOUR);
  readonly #channelIds = new BoundedCache<string>(2_000, HOUR);
  readonly #users = new BoundedCache<string>(5_000, HOUR);

  constructor(bot: WebClient) {
    this.#bot = bot;
  }

  remember(c: Conversation): ChannelInfo {
    const info = infoOf(c);
    if (info.id) {
      this.#channels.set(info.id, info);
      if (info.kind === 'public' || info.kind === 'private') this.#channelIds.set(info.name, info.id);
    }
    return info;
  }

  rememberUser(u: { id?: string; name?: string; profile?: { display_name?: string } }): void {
    // Display names are free text chosen by users; some are rendered outside the untrusted fences.
    if (u.id) this.#users.set(u.id, oneLine(u.profile?.display_name || u.name, 80) || u.id);
  }

  async channelById(id: string): Promise<ChannelInfo> {
    const known = this.#channels.get(id);
    if (known) return known;
    const res = await this.#bot.conversations.info({ channel: id });
    return this.remember(res.channel as Conversation);
  }

  /** Finds a channel by name, paging conversations.list until found (bounded). */
  async channelByName(name: string): Promise<ChannelInfo> {
    const id = this.#channelIds.get(name);
    if (id) return this.channelById(id);
    let cursor: string | undefined;
    for (let page = 0; page < NAME_LOOKUP_PAGES; page++) {
      const res = await this.#bot.conversations.list({
        types: 'public_channel,private_channel',
        exclude_archived: true,
        limit: 200,
        cursor,
      });
      let found: ChannelInfo | undefined;
      for (const c of res.channels ?? []) {
        const info = this.remember(c as Conversation);
        if (info.name === name) found = info;
      }
      if (found) return found;
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    const scope = cursor ? ` among the first ${NAME_LOOKUP_PAGES * 200} channels` : '';
    throw new SwitchboardError('not_found', `no channel named #${name} is visible to the bot${scope}`, {
      hint: 'Check the name with list_channels, or pass the channel id (C…). Private channels need the bot invited.',
    });
  }

  /** `C123`, `#general` or `general` (Slack channel names are lower case; `#General` is the same channel). */
  async channel(ref: string): Promise<ChannelInfo> {
    const id = channelId(ref);
    return id ? this.channelById(id) : this.channelByName(ref.trim().replace(/^#/, '').toLowerCase());
  }

  /** Display names for user ids; unknown ids are fetched (users.info, Tier 4), at most `max` per call. */
  async userNames(ids: Iterable<string>, max = 25): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const known = this.#users.get(id);
      if (known) names.set(id, known);
      else if (missing.length < max) missing.push(id);
    }
    await Promise.all(
      missing.map(async (id) => {
        try {
          const res = await this.#bot.users.info({ user: id });
          if (res.user) this.rememberUser(res.user);
          names.set(id, this.#users.get(id) ?? id);
        } catch {
          // A deleted or foreign user: show the id.
        }
      }),
    );
    return names;
  }
}

/** The channel id in `ref` (C…, G…, D…, or Slack's `<#C123|name>`), or undefined when it is a name. */
export function channelId(ref: string): string | undefined {
  const link = /^<#([CGD][A-Z0-9]{2,})(?:\|[^>]*)?>$/.exec(ref.trim());
  if (link) return link[1];
  return /^[CGD][A-Z0-9]{2,}$/.test(ref.trim()) ? ref.trim() : undefined;
}

/** A user id given where a channel is expected (posting to U… opens the DM with that user). */
export function userTarget(ref: string): string | undefined {
  const m = /^(?:<@)?([UW][A-Z0-9]{2,})>?$/.exec(ref.trim());
  return m?.[1];
}
