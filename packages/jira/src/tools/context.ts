/** Who the configured credentials act as. */
import { type Toolset, toolsFor } from '@switchboard-mcp/core';
import { z } from 'zod';
import type { JiraClient } from '../client.ts';
import { type JiraUser, oneLine } from '../render.ts';

const tool = toolsFor<JiraClient>();

/** Jira project permissions the tools need, as the tools' `scopes` name them. */
export const PERMISSION_KEYS = [
  'BROWSE_PROJECTS',
  'CREATE_ISSUES',
  'EDIT_ISSUES',
  'TRANSITION_ISSUES',
  'ASSIGN_ISSUES',
  'ADD_COMMENTS',
  'LINK_ISSUES',
  'WORK_ON_ISSUES',
];

interface Me extends JiraUser {
  timeZone?: string;
  locale?: string;
}

export async function currentUser(client: JiraClient): Promise<Me> {
  return (await client.api.getCurrentUser(client.t)) as Me;
}

/** The permission keys the account holds somewhere (any project). */
export async function grantedPermissions(client: JiraClient): Promise<string[]> {
  const res = (await client.api.getMyPermissions(client.t, { permissions: PERMISSION_KEYS.join(',') })) as {
    permissions?: Record<string, { havePermission?: boolean }>;
  };
  return Object.entries(res.permissions ?? {})
    .filter(([, p]) => p.havePermission)
    .map(([key]) => key);
}

export const getMe = tool({
  name: 'get_me',
  title: 'Who am I',
  description: 'The Jira account these credentials act as, and its permissions',
  access: 'read',
  cacheTtlMs: 60_000,
  input: z.object({}),
  run: async ({ client }) => {
    const [me, permissions] = await Promise.all([currentUser(client), grantedPermissions(client)]);
    return { me, permissions, deployment: client.deployment, site: client.siteUrl };
  },
  render: ({ me, permissions, deployment, site }) => {
    const name = oneLine(me.displayName ?? me.name ?? '?', 80);
    const parts = [
      `${name}${me.emailAddress ? ` <${oneLine(me.emailAddress, 80)}>` : ''}`,
      me.accountId ? `accountId ${me.accountId}` : me.name ? `username ${me.name}` : '',
      me.timeZone ?? '',
      `Jira ${deployment === 'cloud' ? 'Cloud' : 'Data Center'}${site ? ` ${site}` : ''}`,
    ].filter(Boolean);
    return `${parts.join(' · ')}\nPermissions: ${permissions.join(', ') || 'none of the ones these tools use'}`;
  },
});

export const context: Toolset = {
  description: 'The authenticated account',
  tools: [getMe],
};
