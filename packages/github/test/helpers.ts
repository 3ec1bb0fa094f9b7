/**
 * Starts the GitHub server against a fresh sandbox and connects a real MCP client to it, over stdio or HTTP.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  type ApiDescription,
  loadApiDescription,
  type SandboxedOptions,
  type SandboxedServer,
  startWithSandbox,
} from '@switchboard-mcp/testkit';

export { auditLines, TRANSPORTS, type Transport } from '@switchboard-mcp/testkit';

import { type GithubSandbox, type GithubSandboxOptions, startGithubSandbox } from '../src/sandbox/index.ts';

export const BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url));

export type GithubUnderTest = SandboxedServer<GithubSandbox>;

export type StartOptions = SandboxedOptions<GithubSandbox, GithubSandboxOptions>;

export function startGithub(opts: StartOptions): Promise<GithubUnderTest> {
  return startWithSandbox(opts, {
    bin: BIN,
    start: startGithubSandbox,
    env: (s) => ({ GITHUB_TOKEN: s.token, GITHUB_API_URL: s.url }),
  });
}

let description: ApiDescription | undefined;

/** GitHub's official OpenAPI description (npm @octokit/openapi), loaded once per test file. */
export function githubApi(): ApiDescription {
  description ??= loadApiDescription(
    createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json'),
  );
  return description;
}
