/**
 * The Notion MCP server: pages and data sources as Markdown on @notionhq/client (API version 2025-09-03),
 * through the Switchboard pipeline. Policy resources are `page:<ancestor path>` and `datasource:<ancestor path>`
 * (dashed lower-case ids), so an operator can scope an agent to a page subtree.
 */
import {
  defineServer,
  isLoopbackUrl,
  readPackageVersion,
  type ServerDefinition,
  secret,
  setting,
} from '@switchboard-mcp/core';
import { Notion } from './client.ts';
import { mapNotionError } from './errors.ts';
import { blocks } from './tools/blocks.ts';
import { comments } from './tools/comments.ts';
import { databases } from './tools/data.ts';
import { pages } from './tools/pages.ts';
import { users } from './tools/users.ts';

const version = readPackageVersion(new URL('../package.json', import.meta.url));

export const NOTION_VERSION = '2025-09-03';

const server: ServerDefinition = defineServer({
  name: 'notion',
  packageName: '@switchboard-mcp/notion',
  version,
  summary: 'Notion pages and data sources as Markdown: search, read, write, query',
  instructions:
    'Notion tools. Ids may be dashed, undashed or Notion URLs. Page bodies are Markdown; get_page ids=true marks block ids for edits.',
  credentials: {
    token: secret('NOTION_TOKEN', {
      aliases: ['NOTION_API_KEY'],
      description:
        'An internal integration token (ntn_…); share the pages it may use with the integration. Capabilities: read content; insert/update content for writes; read/insert comments; read user information.',
    }),
    apiUrl: setting('NOTION_API_URL', 'https://api.notion.com', {
      description: 'API base URL (without /v1)',
    }),
  },
  apiUrlCredential: 'apiUrl',
  client: async ({ token, apiUrl }, http) => {
    const { Client, LogLevel } = await import('@notionhq/client');
    const api = new Client({
      auth: token,
      baseUrl: (apiUrl ?? 'https://api.notion.com').replace(/\/+$/, '').replace(/\/v1$/, ''),
      notionVersion: NOTION_VERSION,
      fetch: http.fetch as never,
      // Core's fetch retries 429/5xx (honouring Retry-After) and owns timeouts; the SDK must not do either again.
      retry: false,
      timeoutMs: 10 * 60_000,
      logLevel: LogLevel.ERROR,
      logger: () => {},
    });
    return new Notion(api);
  },
  // Notion allows an average of three requests per second per integration, with some bursts, and answers 429
  // with Retry-After beyond that: pace to that before Notion has to refuse (shared across replicas when they
  // share Redis), and keep three in flight. A loopback API (the sandbox) is not Notion: it is not paced.
  http: {
    maxConcurrency: 3,
    quota: (url) => (isLoopbackUrl(url) ? undefined : { name: 'api', limit: 9, windowMs: 3000 }),
  },
  toolsets: { users, pages, blocks, databases, comments },
  defaultToolsets: ['users', 'pages', 'blocks', 'databases'],
  mapError: mapNotionError,
  whoami: async (client: Notion) => {
    const me = (await client.api.users.me({})) as { name?: string | null; bot?: { workspace_name?: string | null } };
    const ws = me.bot?.workspace_name;
    // Notion does not report an integration's capabilities through the API.
    return { identity: `${me.name ?? 'integration'} (bot)${ws ? ` in workspace ${ws}` : ''}` };
  },
  // Legacy integration tokens (`secret_…`); `ntn_` tokens are redacted by core.
  secretPatterns: [/\bsecret_[A-Za-z0-9]{43}\b/g],
  sandbox: async () => {
    const { startNotionSandbox } = await import('./sandbox/index.ts');
    const sandbox = await startNotionSandbox();
    return { url: sandbox.url, credentials: { NOTION_TOKEN: sandbox.token }, close: () => sandbox.close() };
  },
  sandboxProbes: {
    read: { tool: 'search', arguments: { query: 'roadmap' } },
    untrusted: { tool: 'get_page', arguments: { page_id: '10000000-0000-4000-8000-000000000008' } },
  },
});

export default server;
