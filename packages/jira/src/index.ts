/**
 * The Jira MCP server: issues (JQL search, read, create, edit, comments, links, worklogs), workflow transitions,
 * projects and Agile boards/sprints on jira.js, Markdown in and out. Jira Cloud (API token or OAuth) and Data
 * Center / Server (personal access token).
 */
import { atlassianCredentials, mapAtlassianError, parseAtlassianRateLimit } from '@switchboard-mcp/atlassian';
import { defineServer, readPackageVersion, type ServerDefinition } from '@switchboard-mcp/core';
import { createJiraClient, type JiraClient } from './client.ts';
import { agile } from './tools/agile.ts';
import { context, currentUser, grantedPermissions } from './tools/context.ts';
import { issues } from './tools/issues.ts';
import { projects } from './tools/projects.ts';
import { workflow } from './tools/workflow.ts';

const version = readPackageVersion(new URL('../package.json', import.meta.url));

const server: ServerDefinition = defineServer({
  name: 'jira',
  packageName: '@switchboard-mcp/jira',
  version,
  summary: 'Jira issues, JQL search, workflows, projects and sprints (Cloud and Data Center)',
  instructions:
    'Jira tools. Issue keys look like ABC-123. Text is Markdown both ways: [@Name](accountid:ID) mentions, [status: X] lozenges and > [!INFO] panels round-trip; keep [unsupported: …] placeholders. Lists page with cursor.',
  credentials: atlassianCredentials('JIRA'),
  apiUrlCredential: 'url',
  client: (values, http): Promise<JiraClient> => createJiraClient(values, http, `switchboard-jira/${version}`),
  http: { parseRateLimit: parseAtlassianRateLimit },
  toolsets: { context, issues, workflow, projects, agile },
  defaultToolsets: ['context', 'issues', 'workflow', 'projects'],
  mapError: mapAtlassianError,
  whoami: async (client: JiraClient) => {
    const [me, scopes] = await Promise.all([currentUser(client), grantedPermissions(client)]);
    const name = me.displayName ?? me.name ?? me.accountId ?? 'unknown';
    return { identity: `${name}${me.emailAddress ? ` <${me.emailAddress}>` : ''}`, scopes };
  },
  // Core knows API tokens (ATATT…); Data Center PATs have no shape and are redacted as loaded values.
  secretPatterns: [/\bATCTT[A-Za-z0-9_\-=]{20,}/g],
  sandbox: async () => {
    const { startJiraSandbox } = await import('./sandbox/index.ts');
    const sandbox = await startJiraSandbox();
    return {
      url: sandbox.url,
      credentials: { JIRA_EMAIL: sandbox.email, JIRA_API_TOKEN: sandbox.token },
      close: () => sandbox.close(),
    };
  },
  sandboxProbes: {
    read: { tool: 'search_issues', arguments: { jql: 'project = ABC ORDER BY created DESC' } },
    untrusted: { tool: 'get_issue', arguments: { key: 'WEB-1' } },
  },
});

export default server;
