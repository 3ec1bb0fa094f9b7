/**
 * The Confluence MCP server: pages as Markdown (storage format converted both ways, macros never dropped), CQL
 * search, the page tree, spaces, comments, labels and attachments, on confluence.js through the Switchboard
 * pipeline. Confluence Cloud (REST v2 + v1 search) and Data Center / Server (REST v1; the core page tools).
 */
import { atlassianCredentials, parseAtlassianRateLimit } from '@switchboard-mcp/atlassian';
import { defineServer, readPackageVersion, type ServerDefinition } from '@switchboard-mcp/core';
import { type Confluence, createConfluence } from './client.ts';
import { mapConfluenceError } from './errors.ts';
import { attachments } from './tools/attachments.ts';
import { comments } from './tools/comments.ts';
import { context, currentUser, describeMe } from './tools/context.ts';
import { labels } from './tools/labels.ts';
import { pages } from './tools/pages.ts';
import { searchToolset } from './tools/search.ts';
import { spaces } from './tools/spaces.ts';

const version = readPackageVersion(new URL('../package.json', import.meta.url));

const server: ServerDefinition = defineServer({
  name: 'confluence',
  packageName: '@switchboard-mcp/confluence',
  version,
  summary: 'Confluence Cloud and Data Center: pages as Markdown, CQL search, spaces, comments, labels',
  instructions: `Confluence tools. Pages are Markdown in and out; [macro: …] and [status: …] placeholders stand for Confluence macros: keep them when editing. Lists page with cursor.`,
  credentials: { ...atlassianCredentials('CONFLUENCE') },
  apiUrlCredential: 'url',
  client: (values, http) => createConfluence(values, http, `switchboard-confluence/${version}`),
  // Confluence Cloud's X-RateLimit-Reset is an ISO timestamp, which core's default parser cannot read.
  http: { parseRateLimit: parseAtlassianRateLimit },
  toolsets: { context, search: searchToolset, pages, spaces, comments, labels, attachments },
  defaultToolsets: ['context', 'search', 'pages', 'spaces', 'comments'],
  mapError: mapConfluenceError,
  whoami: async (client: Confluence) => ({
    identity: describeMe(await currentUser(client), client.deployment),
  }),
  sandbox: async () => {
    const { startConfluenceSandbox } = await import('./sandbox/index.ts');
    const sandbox = await startConfluenceSandbox();
    return { url: sandbox.url, credentials: sandbox.credentials, close: () => sandbox.close() };
  },
  sandboxProbes: {
    read: { tool: 'search', arguments: { cql: 'type = page' } },
    untrusted: { tool: 'list_comments', arguments: { pageId: '1000007' } },
  },
});

export default server;
