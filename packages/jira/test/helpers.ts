/**
 * Starts the Jira server against a fresh sandbox and connects a real MCP client to it, over stdio or HTTP.
 */
import { fileURLToPath } from 'node:url';
import {
  type ApiDescription,
  loadApiDescription,
  type RecordedRequest,
  type SandboxedOptions,
  type SandboxedServer,
  specPath,
  startWithSandbox,
} from '@switchboard-mcp/testkit';

export { auditLines, TRANSPORTS, type Transport } from '@switchboard-mcp/testkit';

import { type JiraSandbox, type JiraSandboxOptions, startJiraSandbox } from '../src/sandbox/index.ts';

export const BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url));

export type JiraUnderTest = SandboxedServer<JiraSandbox>;

export type StartOptions = SandboxedOptions<JiraSandbox, JiraSandboxOptions> & {
  /** Use Data Center auth: JIRA_PAT + JIRA_DEPLOYMENT=datacenter. */
  dataCenter?: boolean;
};

export function startJira(opts: StartOptions): Promise<JiraUnderTest> {
  const { env, dataCenter, ...rest } = opts;
  return startWithSandbox(rest, {
    bin: BIN,
    start: startJiraSandbox,
    // The caller's env replaces the default credentials (not merged): tests of missing or other credentials.
    env: (s) => ({
      JIRA_URL: s.url,
      ...(env ??
        (dataCenter
          ? { JIRA_PAT: s.pat, JIRA_DEPLOYMENT: 'datacenter' }
          : { JIRA_EMAIL: s.email, JIRA_API_TOKEN: s.token })),
    }),
  });
}

let platform: ApiDescription | undefined;
let agile: ApiDescription | undefined;

/** Atlassian's Jira Cloud platform description (v2 + v3), loaded once per test file. */
export function platformApi(): ApiDescription {
  platform ??= loadApiDescription(specPath('jira-cloud-platform.openapi.json'));
  return platform;
}

/** Atlassian's Jira Software (Agile) description, loaded once per test file. */
export function agileApi(): ApiDescription {
  agile ??= loadApiDescription(specPath('jira-software-agile.openapi.json'));
  return agile;
}

export function platformRequests(requests: RecordedRequest[]): RecordedRequest[] {
  return requests.filter((r) => r.path.startsWith('/rest/api/'));
}

export function agileRequests(requests: RecordedRequest[]): RecordedRequest[] {
  return requests.filter((r) => r.path.startsWith('/rest/agile/'));
}
