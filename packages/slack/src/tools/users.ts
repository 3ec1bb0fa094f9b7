/** People in the workspace. */
import { SwitchboardError, type Toolset } from '@switchboard-mcp/core';
import { z } from 'zod';
import { more, oneLine } from '../render.ts';
import { cursorArg, scanPages, tool } from './shared.ts';

interface User {
  id?: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_admin?: boolean;
  is_owner?: boolean;
  is_restricted?: boolean;
  tz?: string;
  profile?: {
    display_name?: string;
    real_name?: string;
    title?: string;
    email?: string;
    status_text?: string;
    status_emoji?: string;
  };
}

function flags(u: User): string[] {
  return [
    u.is_bot ? 'bot' : '',
    u.is_owner ? 'owner' : u.is_admin ? 'admin' : '',
    u.is_restricted ? 'guest' : '',
    u.deleted ? 'deactivated' : '',
  ].filter(Boolean);
}

function userLine(u: User): string {
  const real = oneLine(u.profile?.real_name || u.real_name, 80);
  const display = oneLine(u.profile?.display_name, 60);
  const f = flags(u);
  return `${u.id} @${oneLine(u.name, 60)}${display && display !== u.name ? ` "${display}"` : ''}${real ? ` (${real})` : ''}${f.length ? ` [${f.join(', ')}]` : ''}`;
}

const MAX_SCAN_PAGES = 5;

export const listUsers = tool({
  name: 'list_users',
  title: 'List users',
  description: 'Workspace members (id, handle, name); filter by name substring',
  access: 'read',
  scopes: ['users:read'],
  cacheTtlMs: 60_000,
  input: z.object({
    query: z.string().optional().describe('Substring of handle or name'),
    include_deleted: z.boolean().default(false),
    limit: z.number().int().min(1).max(200).default(50),
    cursor: cursorArg,
  }),
  run: async ({ client, input }) => {
    const needle = input.query?.replace(/^@/, '').toLowerCase();
    const shown = (u: User) => !u.deleted || input.include_deleted;
    const { found, next } = await scanPages<User>({
      cursor: input.cursor,
      limit: input.limit,
      maxPages: MAX_SCAN_PAGES,
      keep: needle
        ? (u) => shown(u) && [u.name, u.real_name, u.profile?.display_name].join(' ').toLowerCase().includes(needle)
        : undefined,
      page: async (cursor, limit) => {
        const res = await client.bot.users.list({ limit, cursor });
        const items = (res.members ?? []) as User[];
        for (const u of items) client.directory.rememberUser(u);
        return { items, next: res.response_metadata?.next_cursor };
      },
    });
    return { users: needle ? found : found.filter(shown), next };
  },
  render: ({ users, next }) => [...users.map(userLine), more(next, users.length)].join('\n'),
});

export const getUser = tool({
  name: 'get_user',
  title: 'Get user',
  description: 'One user by id (U…), handle or email: profile, title, timezone, status',
  access: 'read',
  scopes: ['users:read'],
  cacheTtlMs: 60_000,
  input: z.object({ user: z.string().min(1).describe('U…, @handle or email') }),
  run: async ({ client, input }) => {
    const ref = input.user.trim();
    if (/^(?:<@)?[UW][A-Z0-9]{2,}>?$/.test(ref)) {
      return (await client.bot.users.info({ user: ref.replace(/^<@|>$/g, '') })).user as User;
    }
    if (ref.includes('@') && !ref.startsWith('@')) {
      return (await client.bot.users.lookupByEmail({ email: ref })).user as User;
    }
    const handle = ref.replace(/^@/, '').toLowerCase();
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await client.bot.users.list({ limit: 200, cursor });
      for (const u of (res.members ?? []) as User[]) {
        client.directory.rememberUser(u);
        if (u.name?.toLowerCase() === handle || u.profile?.display_name?.toLowerCase() === handle) return u;
      }
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    // A large workspace is not read to the end for one handle: say so rather than claim there is no such user.
    const scope = cursor ? ` among the first ${10 * 200} users` : '';
    throw new SwitchboardError('not_found', `no user with the handle @${oneLine(handle, 60)}${scope}`, {
      hint: 'Try list_users with a query, the user id (U…) or their email.',
    });
  },
  render: (u) => {
    const lines = [userLine(u)];
    const p = u.profile ?? {};
    if (p.title) lines.push(`title: ${oneLine(p.title, 120)}`);
    if (p.email) lines.push(`email: ${p.email}`);
    if (u.tz) lines.push(`tz: ${u.tz}`);
    if (p.status_text || p.status_emoji)
      lines.push(`status: ${p.status_emoji ?? ''} ${oneLine(p.status_text, 100)}`.trim());
    return lines.join('\n');
  },
});

export const users: Toolset = {
  description: 'Workspace members',
  tools: [listUsers, getUser],
};
