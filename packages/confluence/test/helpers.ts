/**
 * Starts the Confluence server against a fresh sandbox (Cloud or Data Center) and connects a real MCP client to
 * it, over stdio or HTTP.
 */
import { fileURLToPath } from 'node:url';
import {
  type ApiDescription,
  loadApiDescription,
  type SandboxedOptions,
  type SandboxedServer,
  specPath,
  startWithSandbox,
} from '@switchboard-mcp/testkit';

export { auditLines, TRANSPORTS, type Transport } from '@switchboard-mcp/testkit';

import { type ConfluenceSandbox, type ConfluenceSandboxOptions, startConfluenceSandbox } from '../src/sandbox/index.ts';

export const BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url));

export type ConfluenceUnderTest = SandboxedServer<ConfluenceSandbox>;

export type StartOptions = SandboxedOptions<ConfluenceSandbox, ConfluenceSandboxOptions>;

/** Every credential variable, blanked, so the developer's own environment never leaks into a test. */
const BLANK: Record<string, string> = Object.fromEntries(
  ['URL', 'EMAIL', 'API_TOKEN', 'PAT', 'PERSONAL_TOKEN', 'OAUTH_TOKEN', 'CLOUD_ID', 'DEPLOYMENT'].flatMap((k) => [
    [`CONFLUENCE_${k}`, ''],
    [`ATLASSIAN_${k}`, ''],
  ]),
);

export function startConfluence(opts: StartOptions): Promise<ConfluenceUnderTest> {
  return startWithSandbox(opts, {
    bin: BIN,
    start: startConfluenceSandbox,
    env: (s) => ({ ...BLANK, ...s.credentials }),
  });
}

let description: ApiDescription | undefined;

/** Atlassian's Confluence Cloud REST v2 description (the repository's specs/), loaded once per test file. */
export function confluenceApi(): ApiDescription {
  description ??= loadApiDescription(specPath('confluence-cloud-v2.openapi.json'));
  return description;
}

/**
 * REST v1 operations the server uses that the v2 description does not contain (v2 has no search, no current
 * user and no way to add labels), named exactly.
 */
export const V1_ALLOW = [
  'GET /wiki/rest/api/search',
  'GET /wiki/rest/api/user/current',
  'POST /wiki/rest/api/content/*/label',
];
