/** Who the tokens belong to. */
import type { Toolset } from '@switchboard-mcp/core';
import { z } from 'zod';
import { oneLine } from '../render.ts';
import { tool } from './shared.ts';

interface Identity {
  user?: string;
  user_id?: string;
  team?: string;
  team_id?: string;
  url?: string;
  bot_id?: string;
  is_enterprise_install?: boolean;
  response_metadata?: { scopes?: string[] };
}

export const getMe = tool({
  name: 'get_me',
  title: 'Who am I',
  description: 'Workspace, bot identity and granted scopes of the tokens',
  access: 'read',
  cacheTtlMs: 60_000,
  input: z.object({}),
  run: async ({ client }) => {
    const bot = (await client.bot.auth.test()) as Identity;
    const user = client.user ? ((await client.user.auth.test()) as Identity) : undefined;
    return { bot, user };
  },
  render: ({ bot, user }) => {
    const lines = [
      `team: ${oneLine(bot.team)} (${bot.team_id}) ${bot.url ?? ''}`.trim(),
      `bot: @${oneLine(bot.user)} (${bot.user_id}${bot.bot_id ? `, ${bot.bot_id}` : ''})`,
      `bot scopes: ${bot.response_metadata?.scopes?.join(',') || 'unknown'}`,
    ];
    if (user) {
      lines.push(`user token: @${oneLine(user.user)} (${user.user_id})`);
      lines.push(`user scopes: ${user.response_metadata?.scopes?.join(',') || 'unknown'}`);
    } else {
      lines.push('user token: not set (search_messages needs SLACK_USER_TOKEN)');
    }
    return lines.join('\n');
  },
});

export const context: Toolset = {
  description: 'The tokens in use',
  tools: [getMe],
};
