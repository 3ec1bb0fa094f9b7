/**
 * Start a server's bin from source (Node type stripping, `development` condition) and connect a real MCP client
 * to it over stdio or streamable HTTP: the one way every server's tests drive it.
 */
import { connectHttp, connectStdio, type Harness, type HarnessOptions, startHttpServerProcess } from './harness.ts';

export type Transport = 'stdio' | 'http';
export const TRANSPORTS: Transport[] = ['stdio', 'http'];

export interface ServerUnderTestOptions extends Pick<HarnessOptions, 'era' | 'onElicit' | 'clientName'> {
  /** The server's src/bin.ts. */
  bin: string;
  transport: Transport;
  args?: string[];
  env?: Record<string, string>;
  /** Headers on every HTTP request (ignored over stdio). */
  headers?: Record<string, string>;
  /** Runs after the client and the server are closed (e.g. stop the sandbox the test started). */
  onClose?: () => Promise<void>;
}

export interface ServerUnderTest {
  harness: Harness;
  /** stderr of the server process: logs and audit lines. */
  stderr(): string;
  close(): Promise<void>;
}

export async function startServerUnderTest(opts: ServerUnderTestOptions): Promise<ServerUnderTest> {
  const env = { SWITCHBOARD_LOG_LEVEL: 'info', ...opts.env };
  const args = ['--conditions=development', opts.bin, ...(opts.args ?? [])];
  const client = { era: opts.era, onElicit: opts.onElicit, clientName: opts.clientName };
  if (opts.transport === 'stdio') {
    const harness = await connectStdio({ command: process.execPath, args, env, ...client });
    return {
      harness,
      stderr: () => harness.stderr(),
      close: async () => {
        await harness.close();
        await opts.onClose?.();
      },
    };
  }
  const proc = await startHttpServerProcess({
    command: process.execPath,
    args: [...args, '--http', '--port', '0'],
    env,
  });
  const harness = await connectHttp({ url: `${proc.url}/mcp`, headers: opts.headers, ...client }).catch(async (e) => {
    await proc.close();
    throw e;
  });
  return {
    harness,
    stderr: () => proc.stderr(),
    close: async () => {
      await harness.close();
      await proc.close();
      await opts.onClose?.();
    },
  };
}

/** The audit lines a server wrote to stderr, parsed. */
export function auditLines(stderr: string): Record<string, any>[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{"type":"audit"'))
    .map((line) => JSON.parse(line));
}

export interface SandboxedOptions<Sandbox, SandboxOptions> extends Omit<ServerUnderTestOptions, 'bin' | 'onClose'> {
  /** Options for a fresh sandbox. */
  sandbox?: SandboxOptions;
  /** Reuse a running sandbox instead of starting one (it is then not closed by close()). */
  useSandbox?: Sandbox;
}

export interface SandboxedServer<Sandbox> extends ServerUnderTest {
  sandbox: Sandbox;
}

/**
 * A server's bin against its sandbox: start (or reuse) the sandbox, give the server the sandbox's URL and
 * credentials (`env`, then the caller's env over them), close the sandbox after the server unless it was reused.
 * Every server's test helper is this plus its own sandbox.
 */
export async function startWithSandbox<Sandbox extends { close(): Promise<void> }, SandboxOptions>(
  opts: SandboxedOptions<Sandbox, SandboxOptions>,
  server: { bin: string; start: (o?: SandboxOptions) => Promise<Sandbox>; env: (s: Sandbox) => Record<string, string> },
): Promise<SandboxedServer<Sandbox>> {
  const { sandbox: sandboxOptions, useSandbox, ...rest } = opts;
  const sandbox = useSandbox ?? (await server.start(sandboxOptions));
  const started = await startServerUnderTest({
    ...rest,
    bin: server.bin,
    env: { ...server.env(sandbox), ...opts.env },
    onClose: useSandbox ? undefined : () => sandbox.close(),
  }).catch(async (e) => {
    if (!useSandbox) await sandbox.close();
    throw e;
  });
  return { ...started, sandbox };
}
