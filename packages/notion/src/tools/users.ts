/** Who the integration is, and the workspace's people. */
import type { Toolset } from '@switchboard-mcp/core';
import { oneLine } from '@switchboard-mcp/core';
import { z } from 'zod';
import { notionId } from '../ids.ts';
import { type Json, short } from '../render.ts';
import { cursor, limit, more, tool } from './common.ts';

function userLine(u: Json): string {
  const name = oneLine(u.name ?? '', 80) || 'unnamed';
  if (u.type === 'bot') {
    const ws = u.bot?.workspace_name ? ` · workspace ${oneLine(u.bot.workspace_name, 80)}` : '';
    return `${short(u.id)} ${name} (bot)${ws}`;
  }
  const email = u.person?.email ? ` <${u.person.email}>` : '';
  return `${short(u.id)} ${name}${email}`;
}

export const getMe = tool({
  name: 'get_me',
  title: 'Who am I',
  description: 'The integration (bot) this token acts as, and its workspace',
  access: 'read',
  cacheTtlMs: 60_000,
  input: z.object({}),
  run: async ({ client }) => (await client.api.users.me({})) as Json,
  render: userLine,
});

export const listUsers = tool({
  name: 'list_users',
  title: 'List users',
  description: 'People and bots in the workspace',
  access: 'read',
  cacheTtlMs: 60_000,
  scopes: ['read_user_information'],
  input: z.object({ limit: limit(100, 50), cursor }),
  run: async ({ client, input }) =>
    (await client.api.users.list({
      page_size: input.limit,
      ...(input.cursor ? { start_cursor: input.cursor } : {}),
    })) as Json,
  render: (r) => `${(r.results as Json[]).map(userLine).join('\n') || 'no users'}${more(r.next_cursor)}`,
});

export const getUser = tool({
  name: 'get_user',
  title: 'Get user',
  description: 'One user by id',
  access: 'read',
  cacheTtlMs: 60_000,
  scopes: ['read_user_information'],
  input: z.object({ user_id: notionId('user') }),
  run: async ({ client, input }) => (await client.api.users.retrieve({ user_id: input.user_id })) as Json,
  render: userLine,
});

export const users: Toolset = {
  description: 'The integration itself and workspace users',
  tools: [getMe, listUsers, getUser],
};
