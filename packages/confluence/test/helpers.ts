/**
 * Starts the Confluence server against a fresh sandbox (Cloud or Data Center) and connects a real MCP client to
 * it, over stdio or HTTP.
 */
import { fileURLToPath } from 'node:url';
import {
  type ApiDescription,
  connectHttp,
  connectStdio,
  type Harness,
  type HarnessOptions,
  loadApiDescription,
  specPath,
  startHttpServerProcess,
} from '@switchboard-mcp/testkit';
import { type ConfluenceSandbox, type ConfluenceSandboxOptions, startConfluenceSandbox } from '../src/sandbox/index.ts';

export const BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
export type Transport = 'stdio' | 'http';
export const TRANSPORTS: Transport[] = ['stdio', 'http'];

export interface ConfluenceUnderTest {
  harness: Harness;
  sandbox: ConfluenceSandbox;
  stderr(): string;
  close(): Promise<void>;
}

export interface StartOptions extends Pick<HarnessOptions, 'era' | 'onElicit' | 'clientName'> {
  transport: Transport;
  args?: string[];
  env?: Record<string, string>;
  sandbox?: ConfluenceSandboxOptions;
  /** Reuse a running sandbox (not closed by close()). */
  useSandbox?: ConfluenceSandbox;
}

/** Every credential variable, blanked, so the developer's own environment never leaks into a test. */
const BLANK: Record<string, string> = Object.fromEntries(
  ['URL', 'EMAIL', 'API_TOKEN', 'PAT', 'PERSONAL_TOKEN', 'OAUTH_TOKEN', 'CLOUD_ID', 'DEPLOYMENT'].flatMap((k) => [
    [`CONFLUENCE_${k}`, ''],
    [`ATLASSIAN_${k}`, ''],
  ]),
);

export async function startConfluence(opts: StartOptions): Promise<ConfluenceUnderTest> {
  const sandbox = opts.useSandbox ?? (await startConfluenceSandbox(opts.sandbox));
  const env = { ...BLANK, ...sandbox.credentials, SWITCHBOARD_LOG_LEVEL: 'info', ...opts.env };
  const nodeArgs = ['--conditions=development', BIN, ...(opts.args ?? [])];
  const own = !opts.useSandbox;
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
        if (own) await sandbox.close();
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
      if (own) await sandbox.close();
    },
  };
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

export function auditLines(stderr: string): Record<string, any>[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{"type":"audit"'))
    .map((l) => JSON.parse(l));
}
