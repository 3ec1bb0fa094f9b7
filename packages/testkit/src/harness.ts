/**
 * An MCP client harness for tests: drives a real server over stdio (a child process whose raw stdout is kept, so
 * tests can assert that nothing but JSON-RPC was written) or streamable HTTP, in either protocol era.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  type CallToolResult,
  Client,
  type ClientOptions,
  deserializeMessage,
  type ElicitRequestFormParams,
  type ElicitResult,
  type JSONRPCMessage,
  StreamableHTTPClientTransport,
  serializeMessage,
  type Tool,
  type Transport,
} from '@modelcontextprotocol/client';
import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';

/** The 2026-07-28 revision, negotiated through `server/discover` in the modern era. */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';

export interface ToolOutcome {
  /** All text content joined with '\n'. */
  text: string;
  isError: boolean;
  raw: CallToolResult;
}

export interface Harness {
  client: Client;
  /** 'legacy' (2025-11-25: initialize, sessions) or 'modern' (2026-07-28: stateless, server/discover). */
  readonly era: 'legacy' | 'modern';
  callTool(name: string, args?: Record<string, unknown>): Promise<ToolOutcome>;
  listTools(): Promise<Tool[]>;
  /** Everything the server wrote to stderr so far (stdio only; '' over HTTP). */
  stderr(): string;
  /** Every raw line the server wrote to stdout (stdio only; [] over HTTP). */
  stdoutLines(): string[];
  /** The server's process id (stdio only). */
  readonly pid?: number;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Default 'legacy' (2025-11-25). */
  era?: 'legacy' | 'modern';
  /**
   * When set, the client declares the elicitation capability and answers both the legacy server-to-client
   * `elicitation/create` request and the modern `input_required` flow with it. URL-mode elicitations are declined.
   */
  onElicit?: (params: ElicitRequestFormParams) => ElicitResult | Promise<ElicitResult>;
  /** Default 'switchboard-testkit'. */
  clientName?: string;
  /** Per-request timeout (ms) for the handshake and every call. Default 30000. */
  timeoutMs?: number;
}

export interface StdioOptions extends HarnessOptions {
  /** 'node' runs the current Node binary (process.execPath). */
  command: string;
  args: string[];
  /** Added to a minimal inherited environment (PATH, HOME, ...); the parent's other variables are not passed. */
  env?: Record<string, string>;
  cwd?: string;
}

export interface HttpOptions extends HarnessOptions {
  /** The MCP endpoint, e.g. http://127.0.0.1:PORT/mcp. */
  url: string;
  headers?: Record<string, string>;
}

export interface ServerProcess {
  /** Base URL, e.g. http://127.0.0.1:PORT (the logged url without its '/mcp' suffix). */
  url: string;
  readonly pid: number;
  stderr(): string;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------
// Child processes: every child is tracked so that none outlives the test process.

const children = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of children) c.kill('SIGKILL');
    });
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Wait up to `graceMs` for the child to exit on its own, then SIGTERM, then SIGKILL after 2 s. */
async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  const done = exited(child);
  const within = (ms: number) =>
    Promise.race([done.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
  if (graceMs > 0 && (await within(graceMs))) return;
  child.kill('SIGTERM');
  if (await within(2000)) return;
  child.kill('SIGKILL');
  await done;
}

function spawnServer(command: string, args: string[], env: Record<string, string> | undefined, cwd?: string) {
  const child = spawn(command === 'node' ? process.execPath : command, args, {
    env: { ...getDefaultEnvironment(), ...env },
    ...(cwd ? { cwd } : {}),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  track(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => {
    stderr += s;
  });
  return { child, stderr: () => stderr };
}

// ---------------------------------------------------------------------------------------------------------------
// stdio transport over a child we own, keeping every raw stdout line.

class RecordingStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly lines: string[] = [];
  readonly #child: ChildProcess;
  #partial = '';
  #closed = false;

  constructor(child: ChildProcess) {
    this.#child = child;
  }

  async start(): Promise<void> {
    const out = this.#child.stdout!;
    out.setEncoding('utf8');
    out.on('data', (chunk: string) => {
      const parts = (this.#partial + chunk).split('\n');
      this.#partial = parts.pop() ?? '';
      for (const raw of parts) this.#line(raw);
    });
    this.#child.on('error', (e) => this.onerror?.(e));
    this.#child.once('exit', () => {
      if (this.#partial) this.#line(this.#partial);
      this.#partial = '';
      this.#finish();
    });
    this.#child.stdin!.on('error', (e) => this.onerror?.(e));
  }

  #line(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    this.lines.push(line);
    let message: JSONRPCMessage;
    try {
      message = deserializeMessage(line);
    } catch (e) {
      this.onerror?.(new Error(`server wrote a non-JSON-RPC line to stdout: ${line.slice(0, 200)}`, { cause: e }));
      return;
    }
    this.onmessage?.(message);
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.onclose?.();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.#child.stdin!;
    if (this.#closed || stdin.destroyed) throw new Error('stdio transport is closed');
    await new Promise<void>((resolve, reject) => {
      stdin.write(serializeMessage(message), (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Closes stdin (servers exit on EOF), then stops the child. */
  async close(): Promise<void> {
    this.#child.stdin?.end();
    await stopChild(this.#child, 1000);
    this.#finish();
  }
}

// ---------------------------------------------------------------------------------------------------------------

function makeClient(opts: HarnessOptions): Client {
  const options: ClientOptions = {
    ...(opts.onElicit ? { capabilities: { elicitation: { form: {} } } } : {}),
    ...(opts.era === 'modern' ? { versionNegotiation: { mode: { pin: MODERN_PROTOCOL_VERSION } } } : {}),
  };
  const client = new Client({ name: opts.clientName ?? 'switchboard-testkit', version: '0.0.0' }, options);
  const onElicit = opts.onElicit;
  if (onElicit) {
    // Serves the legacy server->client request and, through auto-fulfilment, the modern input_required rounds.
    client.setRequestHandler('elicitation/create', async (request) => {
      const params = request.params;
      if (params.mode === 'url') return { action: 'decline' };
      return onElicit(params as ElicitRequestFormParams);
    });
  }
  return client;
}

function outcome(raw: CallToolResult): ToolOutcome {
  const text = (raw.content ?? [])
    .filter((c): c is { type: 'text'; text: string } => c.type === 'text')
    .map((c) => c.text)
    .join('\n');
  return { text, isError: raw.isError === true, raw };
}

function harness(
  client: Client,
  opts: HarnessOptions,
  io: { stderr(): string; stdoutLines(): string[]; close(): Promise<void>; pid?: number },
): Harness {
  const timeout = opts.timeoutMs ?? 30_000;
  let closed: Promise<void> | undefined;
  return {
    client,
    era: client.getProtocolEra() === 'modern' ? 'modern' : 'legacy',
    async callTool(name, args = {}) {
      const raw = (await client.callTool({ name, arguments: args }, { timeout })) as CallToolResult;
      return outcome(raw);
    },
    async listTools() {
      return (await client.listTools(undefined, { timeout, cacheMode: 'bypass' })).tools;
    },
    stderr: io.stderr,
    stdoutLines: io.stdoutLines,
    ...(io.pid !== undefined ? { pid: io.pid } : {}),
    close() {
      closed ??= (async () => {
        await client.close().catch(() => {});
        await io.close();
      })();
      return closed;
    },
  };
}

/** Spawn a server over stdio and connect to it. */
export async function connectStdio(opts: StdioOptions): Promise<Harness> {
  const { child, stderr } = spawnServer(opts.command, opts.args, opts.env, opts.cwd);
  const transport = new RecordingStdioTransport(child);
  const client = makeClient(opts);
  try {
    await client.connect(transport, { timeout: opts.timeoutMs ?? 30_000 });
  } catch (e) {
    await transport.close();
    throw new Error(`could not connect over stdio: ${(e as Error).message}\nserver stderr:\n${stderr()}`, { cause: e });
  }
  return harness(client, opts, {
    stderr,
    stdoutLines: () => [...transport.lines],
    close: () => transport.close(),
    ...(child.pid !== undefined ? { pid: child.pid } : {}),
  });
}

/** Connect to a streamable HTTP endpoint. */
export async function connectHttp(opts: HttpOptions): Promise<Harness> {
  const transport = new StreamableHTTPClientTransport(new URL(opts.url), {
    ...(opts.headers ? { requestInit: { headers: opts.headers } } : {}),
  });
  const client = makeClient(opts);
  await client.connect(transport, { timeout: opts.timeoutMs ?? 30_000 });
  return harness(client, opts, {
    stderr: () => '',
    stdoutLines: () => [],
    close: async () => {
      // 2025-era sessions are ended explicitly; stateless servers answer 405, which is fine
      await transport.terminateSession().catch(() => {});
      await transport.close();
    },
  });
}

/**
 * Start a server process in HTTP mode (the caller passes `--http --port 0` or similar) and wait for its
 * `{"msg":"listening","url":"http://127.0.0.1:PORT/mcp"}` stderr line.
 */
export async function startHttpServerProcess(opts: {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  readyTimeoutMs?: number;
}): Promise<ServerProcess> {
  const { child, stderr } = spawnServer(opts.command, opts.args, opts.env, opts.cwd);
  child.stdin!.end();
  const close = () => stopChild(child, 0);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let buffered = '';
      const onData = (s: string) => {
        buffered += s;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          let entry: unknown;
          try {
            entry = JSON.parse(line);
          } catch {
            continue;
          }
          const { msg, url } = entry as { msg?: unknown; url?: unknown };
          if (msg === 'listening' && typeof url === 'string') {
            cleanup();
            resolve(url.replace(/\/mcp\/?$/, ''));
          }
        }
      };
      const onExit = (code: number | null, signal: string | null) => {
        cleanup();
        reject(new Error(`server exited before listening (code ${code}, signal ${signal})`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`server did not log "listening" within ${opts.readyTimeoutMs ?? 15_000} ms`));
      }, opts.readyTimeoutMs ?? 15_000);
      const cleanup = () => {
        clearTimeout(timer);
        child.stderr!.off('data', onData);
        child.off('exit', onExit);
      };
      child.stderr!.on('data', onData);
      child.once('exit', onExit);
    });
    return { url, pid: child.pid!, stderr, close };
  } catch (e) {
    await close();
    throw new Error(`${(e as Error).message}\nserver stderr:\n${stderr()}`, { cause: e });
  }
}
