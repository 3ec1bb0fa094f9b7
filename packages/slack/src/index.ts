/**
 * The Slack MCP server: channels, history, threads, search, posting, reactions, users and files on
 * @slack/web-api, through the Switchboard pipeline, within Slack's per-method rate tiers.
 */
import type { WebClient } from '@slack/web-api';
import {
  defineServer,
  isLoopbackUrl,
  readPackageVersion,
  type ServerDefinition,
  secret,
  setting,
} from '@switchboard-mcp/core';
import { Directory, type DmAccess, type SlackClient } from './client.ts';
import { mapSlackError } from './errors.ts';
import { isRateLimited, parseRateLimit, quota, rateLimitBucket, readsAsGet } from './tiers.ts';
import { channels } from './tools/channels.ts';
import { context } from './tools/context.ts';
import { files } from './tools/files.ts';
import { messages } from './tools/messages.ts';
import { search } from './tools/search.ts';
import { users } from './tools/users.ts';

const version = readPackageVersion(new URL('../package.json', import.meta.url));

function dmAccess(value: string | undefined): DmAccess {
  const v = value?.trim().toLowerCase();
  return v === 'read' || v === 'write' ? v : 'off';
}

/** Scopes from Slack's `x-oauth-scopes`. */
function scopesFromHeaders(headers: Headers): string[] | undefined {
  const value = headers.get('x-oauth-scopes');
  if (value === null) return undefined;
  const scopes = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // search:read exists only for user tokens: such a response answers SLACK_USER_TOKEN and says nothing about the
  // bot token the other tools use.
  return scopes.includes('search:read') ? undefined : scopes;
}

const server: ServerDefinition = defineServer({
  name: 'slack',
  packageName: '@switchboard-mcp/slack',
  version,
  summary: 'Slack channels, history, threads, search, posting, reactions, users and files',
  instructions: 'Slack tools. Channels by id (C…) or #name; messages by ts. Text you send is Markdown.',
  credentials: {
    botToken: secret('SLACK_BOT_TOKEN', {
      description:
        'A Slack bot token (xoxb-…) from your app\'s "OAuth & Permissions" page. Scopes per toolset: see the README (channels:read, channels:history, chat:write, reactions:write, users:read, files:write, pins:read).',
    }),
    userToken: secret('SLACK_USER_TOKEN', {
      required: false,
      description: 'Optional user token (xoxp-…) with search:read; only search_messages uses it.',
    }),
    apiUrl: setting('SLACK_API_URL', 'https://slack.com/api/', { description: 'Web API base URL' }),
    dms: setting('SLACK_DMS', 'off', {
      description: 'Direct messages (im, mpim): off (default), read, or write (read and write).',
    }),
  },
  apiUrlCredential: 'apiUrl',
  client: async ({ botToken, userToken, apiUrl, dms }, http): Promise<SlackClient> => {
    const { WebClient: Client, LogLevel } = await import('@slack/web-api');
    const silent = {
      debug() {},
      info() {},
      warn() {},
      error() {},
      setLevel() {},
      getLevel: () => LogLevel.ERROR,
      setName() {},
    };
    const fetch = readsAsGet(http.fetch);
    const make = (token: string): WebClient =>
      new Client(token, {
        slackApiUrl: apiUrl ?? 'https://slack.com/api/',
        // Core's fetch throttles per method, retries 429s after Retry-After and 5xx, and bounds every request by
        // the call's deadline; the SDK's own retries and queue would only double that.
        fetch: fetch as never,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        logger: silent,
        headers: { 'User-Agent': `switchboard-slack/${version}` },
      });
    const bot = make(botToken ?? '');
    return {
      bot,
      user: userToken ? make(userToken) : undefined,
      dms: dmAccess(dms),
      directory: new Directory(bot),
    };
  },
  // Pacing by tier before Slack refuses; a loopback API (the sandbox) enforces its own tiers and is not paced.
  http: {
    rateLimitBucket,
    parseRateLimit,
    isRateLimited,
    quota: (url) => (isLoopbackUrl(url) ? undefined : quota(url)),
  },
  toolsets: { context, channels, messages, users, search, files },
  defaultToolsets: ['context', 'channels', 'messages', 'users', 'search'],
  mapError: mapSlackError,
  // No background probe: start-up makes no Slack calls; scopes are learned from the first call's headers.
  scopes: { fromHeaders: scopesFromHeaders },
  whoami: async (client: SlackClient) => {
    const me = (await client.bot.auth.test()) as {
      user?: string;
      user_id?: string;
      team?: string;
      team_id?: string;
      response_metadata?: { scopes?: string[] };
    };
    return {
      identity: `@${me.user} (${me.user_id}) in ${me.team} (${me.team_id})`,
      scopes: me.response_metadata?.scopes,
    };
  },
  secretPatterns: [/xapp-\d-[A-Za-z0-9-]{10,}/g, /xoxe\.xox[a-z]-[A-Za-z0-9-]{10,}/g],
  sandbox: async () => {
    const { startSlackSandbox } = await import('./sandbox/index.ts');
    const sandbox = await startSlackSandbox();
    return {
      url: sandbox.url,
      credentials: { SLACK_BOT_TOKEN: sandbox.botToken, SLACK_USER_TOKEN: sandbox.userToken },
      close: () => sandbox.close(),
    };
  },
  sandboxProbes: {
    read: { tool: 'get_channel_history', arguments: { channel: '#general' } },
    untrusted: { tool: 'get_channel_history', arguments: { channel: '#eng-backend', limit: 5 } },
  },
});

export default server;
