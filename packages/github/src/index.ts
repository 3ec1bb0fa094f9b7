/**
 * The GitHub MCP server: repos, issues, pull requests, actions and search on @octokit/rest, through the
 * Switchboard pipeline. GitHub Enterprise Server via GITHUB_API_URL.
 */
import type { Octokit } from '@octokit/rest';
import { defineServer, readPackageVersion, type ServerDefinition, secret, setting } from '@switchboard-mcp/core';
import { mapGithubError } from './errors.ts';
import { actions } from './tools/actions.ts';
import { context } from './tools/context.ts';
import { issues } from './tools/issues.ts';
import { pull_requests } from './tools/pull_requests.ts';
import { repos } from './tools/repos.ts';
import { search } from './tools/search.ts';

const version = readPackageVersion(new URL('../package.json', import.meta.url));

/**
 * GitHub meters search (30/min) and code search (10/min) apart from the core quota, so running out of one must
 * not hold back the others. Requests are classified by path (after GHES's `/api/v3`); responses name their
 * quota in `x-ratelimit-resource`, which wins when present.
 */
function rateLimitBucket(url: URL, responseHeaders?: Headers): string {
  const named = responseHeaders?.get('x-ratelimit-resource')?.trim();
  if (named && /^[a-z_]{1,40}$/.test(named)) return named;
  const path = url.pathname.replace(/^\/api\/v3(?=\/)/, '');
  if (/^\/search\/code\/?$/.test(path)) return 'code_search';
  if (path.startsWith('/search/')) return 'search';
  if (path === '/graphql') return 'graphql';
  return 'core';
}

const server: ServerDefinition = defineServer({
  name: 'github',
  packageName: '@switchboard-mcp/github',
  version,
  summary: 'GitHub repositories, issues, pull requests, Actions and search',
  instructions: 'GitHub tools. Lists page with cursor; repository-scoped tools take owner and repo.',
  credentials: {
    token: secret('GITHUB_TOKEN', {
      aliases: ['GITHUB_PERSONAL_ACCESS_TOKEN'],
      description:
        'A GitHub token (fine-grained or classic). Classic scopes: none for public reads; repo (private repos, writes, Actions reruns) or public_repo (writes to public repos); read:org for private org data.',
    }),
    apiUrl: setting('GITHUB_API_URL', 'https://api.github.com', {
      description: 'REST API base URL; for GitHub Enterprise Server use https://HOST/api/v3',
    }),
  },
  apiUrlCredential: 'apiUrl',
  client: async ({ token, apiUrl }, http) => {
    const { Octokit } = await import('@octokit/rest');
    return new Octokit({
      auth: token,
      baseUrl: (apiUrl ?? 'https://api.github.com').replace(/\/+$/, ''),
      userAgent: `switchboard-github/${version}`,
      request: { fetch: http.fetch },
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    }) as Octokit;
  },
  http: {
    // Job and run logs answer 302 to signed URLs on Actions' result hosts or Azure blob storage.
    allowRedirectHosts: ['*.actions.githubusercontent.com', '*.blob.core.windows.net'],
    rateLimitBucket,
  },
  toolsets: { context, repos, issues, pull_requests, actions, search },
  defaultToolsets: ['context', 'repos', 'issues', 'pull_requests'],
  mapError: mapGithubError,
  scopes: {
    // Classic tokens report their scopes on every response; fine-grained tokens and apps do not.
    fromHeaders: (headers) => {
      const value = headers.get('x-oauth-scopes');
      if (value === null) return undefined;
      return value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    },
    probe: (client: Octokit, signal) => client.rest.users.getAuthenticated({ request: { signal } }),
  },
  // Granted scopes come from the same response's X-OAuth-Scopes header (scopes.fromHeaders).
  whoami: async (client: Octokit, signal) => {
    const { data } = await client.rest.users.getAuthenticated({ request: { signal } });
    return { identity: data.name ? `${data.login} (${data.name})` : data.login };
  },
  sandbox: async () => {
    const { startGithubSandbox } = await import('./sandbox/index.ts');
    const sandbox = await startGithubSandbox();
    return { url: sandbox.url, credentials: { GITHUB_TOKEN: sandbox.token }, close: () => sandbox.close() };
  },
  sandboxProbes: {
    read: { tool: 'get_issue', arguments: { owner: 'acme', repo: 'widgets', issue_number: 1 } },
    untrusted: { tool: 'get_issue', arguments: { owner: 'acme', repo: 'widgets', issue_number: 31, comments: true } },
  },
});

export default server;
