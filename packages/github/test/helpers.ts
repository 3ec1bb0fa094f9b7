/**
 * Starts the GitHub server against a fresh sandbox and connects a real MCP client to it, over stdio or HTTP.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  type ApiDescription,
  type Harness,
  type HarnessOptions,
  loadApiDescription,
  startServerUnderTest,
  type Transport,
} from '@switchboard-mcp/testkit';

export { auditLines, TRANSPORTS, type Transport } from '@switchboard-mcp/testkit';

import { type GithubSandbox, type GithubSandboxOptions, startGithubSandbox } from '../src/sandbox/index.ts';

export const BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url));

export interface GithubUnderTest {
  harness: Harness;
  sandbox: GithubSandbox;
  /** stderr of the server process (logs and audit lines). */
  stderr(): string;
  close(): Promise<void>;
}

export interface StartOptions extends Pick<HarnessOptions, 'era' | 'onElicit' | 'clientName'> {
  transport: Transport;
  args?: string[];
  env?: Record<string, string>;
  sandbox?: GithubSandboxOptions;
  /** Reuse a running sandbox instead of starting one (it is then not closed by close()). */
  useSandbox?: GithubSandbox;
}

export async function startGithub(opts: StartOptions): Promise<GithubUnderTest> {
  const sandbox = opts.useSandbox ?? (await startGithubSandbox(opts.sandbox));
  const env = {
    GITHUB_TOKEN: sandbox.token,
    GITHUB_API_URL: sandbox.url,
    ...opts.env,
  };
  const server = await startServerUnderTest({
    ...opts,
    bin: BIN,
    env,
    onClose: opts.useSandbox ? undefined : () => sandbox.close(),
  });
  return { ...server, sandbox };
}

let description: ApiDescription | undefined;

/** GitHub's official OpenAPI description (npm @octokit/openapi), loaded once per test file. */
export function githubApi(): ApiDescription {
  description ??= loadApiDescription(
    createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json'),
  );
  return description;
}
