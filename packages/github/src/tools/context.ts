/** Who the configured token belongs to. */
import type { Octokit } from '@octokit/rest';
import type { Toolset } from '@switchboard-mcp/core';
import { toolsFor } from '@switchboard-mcp/core';
import { z } from 'zod';
import { oneLine } from '../render.ts';

const tool = toolsFor<Octokit>();

export const getMe = tool({
  name: 'get_me',
  title: 'Who am I',
  description: 'The GitHub account this token acts as',
  access: 'read',
  // Rarely changes within a conversation; cached briefly per credential.
  cacheTtlMs: 60_000,
  input: z.object({}),
  run: async ({ client, signal }) => (await client.rest.users.getAuthenticated({ request: { signal } })).data,
  render: (me) => {
    const user = me as typeof me & { plan?: { name?: string }; two_factor_authentication?: boolean };
    const name = oneLine(user.name, 80);
    const parts = [`@${user.login}${name ? ` (${name})` : ''}`, user.type];
    if (user.site_admin) parts.push('site admin');
    if (user.plan?.name) parts.push(`plan: ${user.plan.name}`);
    if (user.company) parts.push(`company: ${oneLine(user.company, 80)}`);
    parts.push(user.html_url);
    return parts.join(' · ');
  },
});

export const context: Toolset = {
  description: 'The authenticated account',
  tools: [getMe],
};
