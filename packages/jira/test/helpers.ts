/**
 * Starts the Jira server against a fresh sandbox and connects a real MCP client to it, over stdio or HTTP.
 */
import { fileURLToPath } from 'node:url';
import {
  type ApiDescription,
  type Harness,
  type HarnessOptions,
  loadApiDescription,
  type RecordedRequest,
  specPath,
  startServerUnderTest,
  type Transport,
} from '@switchboard-mcp/testkit';

export { auditLines, TRANSPORTS, type Transport } from '@switchboard-mcp/testkit';

import { type JiraSandbox, type JiraSandboxOptions, startJiraSandbox } from '../src/sandbox/index.ts';

export const BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url));

export interface JiraUnderTest {
  harness: Harness;
  sandbox: JiraSandbox;
  stderr(): string;
  close(): Promise<void>;
}

export interface StartOptions extends Pick<HarnessOptions, 'era' | 'onElicit'> {
  transport: Transport;
  args?: string[];
  /** Replaces the default Cloud credentials (JIRA_URL is always the sandbox unless given). */
  env?: Record<string, string>;
  /** Use Data Center auth: JIRA_PAT + JIRA_DEPLOYMENT=datacenter. */
  dataCenter?: boolean;
  sandbox?: JiraSandboxOptions;
  useSandbox?: JiraSandbox;
}

export async function startJira(opts: StartOptions): Promise<JiraUnderTest> {
  const sandbox = opts.useSandbox ?? (await startJiraSandbox(opts.sandbox));
  const auth: Record<string, string> = opts.dataCenter
    ? { JIRA_PAT: sandbox.pat, JIRA_DEPLOYMENT: 'datacenter' }
    : { JIRA_EMAIL: sandbox.email, JIRA_API_TOKEN: sandbox.token };
  const env = { JIRA_URL: sandbox.url, ...(opts.env ?? auth) };
  const server = await startServerUnderTest({
    ...opts,
    bin: BIN,
    env,
    onClose: opts.useSandbox ? undefined : () => sandbox.close(),
  });
  return { ...server, sandbox };
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
