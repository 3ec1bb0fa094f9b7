/**
 * Starts the GitHub server against a fresh sandbox and connects a real MCP client to it, over stdio or HTTP.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  type ApiDescription,
  connectHttp,
  connectStdio,
  type Harness,
  type HarnessOptions,
  loadApiDescription,
  startHttpServerProcess,
} from '@switchboard-mcp/testkit';
import { type GithubSandbox, type GithubSandboxOptions, startGithubSandbox } from '../src/sandbox/index.ts';

export const BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
export type Transport = 'stdio' | 'http';
export const TRANSPORTS: Transport[] = ['stdio', 'http'];

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
    SWITCHBOARD_LOG_LEVEL: 'info',
    ...opts.env,
  };
  const nodeArgs = ['--conditions=development', BIN, ...(opts.args ?? [])];
  const ownSandbox = !opts.useSandbox;
  if (opts.transport === 'stdio') {
    const harness = await connectStdio({
      command: process.execPath,
      args: nodeArgs,
      env,
      era: opts.era,
      onElicit: opts.onElicit,
      clientName: opts.clientName,
    });
    return {
      harness,
      sandbox,
      stderr: () => harness.stderr(),
      close: async () => {
        await harness.close();
        if (ownSandbox) await sandbox.close();
      },
    };
  }
  const proc = await startHttpServerProcess({
    command: process.execPath,
    args: [...nodeArgs, '--http', '--port', '0'],
    env,
  });
  const harness = await connectHttp({
    url: `${proc.url}/mcp`,
    era: opts.era,
    onElicit: opts.onElicit,
    clientName: opts.clientName,
  });
  return {
    harness,
    sandbox,
    stderr: () => proc.stderr(),
    close: async () => {
      await harness.close();
      await proc.close();
      if (ownSandbox) await sandbox.close();
    },
  };
}

let description: ApiDescription | undefined;

/** GitHub's official OpenAPI description (npm @octokit/openapi), loaded once per test file. */
export function githubApi(): ApiDescription {
  description ??= loadApiDescription(
    createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json'),
  );
  return description;
}

/** Audit lines the server wrote to stderr. */
export function auditLines(stderr: string): Record<string, any>[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{"type":"audit"'))
    .map((l) => JSON.parse(l));
}
