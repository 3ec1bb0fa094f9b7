/** Who the configured credentials act as. */
import { type Toolset, toolsFor } from '@switchboard-mcp/core';
import { z } from 'zod';
import type { Confluence } from '../client.ts';
import { oneLine } from '../render.ts';

const tool = toolsFor<Confluence>();

export interface Me {
  displayName?: string;
  accountId?: string;
  email?: string;
  username?: string;
  userKey?: string;
  type?: string;
}

export async function currentUser(client: Confluence): Promise<Me> {
  return (await client.v1.users.getCurrentUser({})) as Me;
}

export function describeMe(me: Me, deployment: string): string {
  const id = me.accountId ? `accountId ${me.accountId}` : me.username ? `username ${me.username}` : '';
  const parts = [oneLine(me.displayName, 100) || '(no name)', id, me.email ? oneLine(me.email, 100) : '', deployment];
  if (me.type && me.type !== 'known') parts.push(me.type);
  return parts.filter(Boolean).join(' · ');
}

export const getMe = tool({
  name: 'get_me',
  title: 'Who am I',
  description: 'The Confluence account these credentials act as',
  access: 'read',
  cacheTtlMs: 60_000,
  scopes: ['read:confluence-user', 'read:user:confluence'],
  input: z.object({}),
  run: async ({ client }) => ({ me: await currentUser(client), deployment: client.deployment }),
  render: ({ me, deployment }) =>
    describeMe(me, deployment === 'cloud' ? 'Confluence Cloud' : 'Confluence Data Center'),
});

export const context: Toolset = { description: 'The authenticated account', tools: [getMe] };
