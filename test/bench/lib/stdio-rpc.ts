/**
 * A minimal JSON-RPC client over a child's stdio (newline-delimited JSON, as MCP's stdio transport frames it).
 * Cold start is timed with it rather than an SDK client so the clock measures the server, not client-side
 * schema validation; it also keeps each response's raw line, so token counts are of the JSON that crossed the pipe.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Command {
  label: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

export interface RpcResponse<T = any> {
  result: T;
  /** The response line exactly as the server wrote it. */
  raw: string;
  /** performance.now() when the line arrived. */
  at: number;
}

interface Pending {
  resolve: (r: RpcResponse) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** Latest revision both SDK generations accept in `initialize` (older servers answer with their own). */
export const PROTOCOL_VERSION = '2025-11-25';

/** Children still running; killed if this process exits first (a watchdog or a crash must not leave servers). */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export class StdioRpc {
  readonly child: ChildProcess;
  /** performance.now() just before spawn. */
  readonly spawnedAt: number;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stderrText = '';
  private exitInfo?: string;

  constructor(cmd: Command) {
    this.spawnedAt = performance.now();
    this.child = spawn(cmd.command, cmd.args, { cwd: cmd.cwd, env: cmd.env, stdio: ['pipe', 'pipe', 'pipe'] });
    live.add(this.child);
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (s: string) => {
      // Keep the tail only: servers log every call to stderr.
      this.stderrText = (this.stderrText + s).slice(-8000);
    });
    this.child.stdin!.on('error', () => {});
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.onLine(line));
    this.child.once('exit', (code, signal) => {
      live.delete(this.child);
      this.exitInfo = `exited (code ${code}, signal ${signal})`;
      for (const [id, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(new Error(`${cmd.label} ${this.exitInfo} before answering request ${id}\n${this.stderrTail()}`));
      }
      this.pending.clear();
    });
    this.child.once('error', (e) => {
      for (const p of this.pending.values()) p.reject(e);
    });
  }

  private onLine(line: string): void {
    const at = performance.now();
    let msg: { id?: number; result?: unknown; error?: { code: number; message: string } };
    try {
      msg = JSON.parse(line);
    } catch {
      return;
    }
    if (typeof msg.id !== 'number') return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.error) p.reject(new Error(`JSON-RPC error ${msg.error.code}: ${msg.error.message}`));
    else p.resolve({ result: msg.result, raw: line, at });
  }

  request<T = any>(method: string, params: unknown, timeoutMs = 20_000): Promise<RpcResponse<T>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.exitInfo) {
        reject(new Error(`server ${this.exitInfo}\n${this.stderrTail()}`));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no answer to ${method} within ${timeoutMs} ms\n${this.stderrTail()}`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  }

  notify(method: string, params?: unknown): void {
    this.child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', method, ...(params ? { params } : {}) })}\n`);
  }

  stderrTail(lines = 15): string {
    return this.stderrText.split('\n').slice(-lines).join('\n');
  }

  /** End stdin (servers exit on EOF), then SIGTERM after 1 s and SIGKILL after 3 s more. */
  async close(): Promise<void> {
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const within = (msLimit: number) =>
      Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), msLimit).unref())]);
    child.stdin!.end();
    if (await within(1000)) return;
    child.kill('SIGTERM');
    if (await within(3000)) return;
    child.kill('SIGKILL');
    await exited;
  }
}

/** initialize → notifications/initialized. */
export async function handshake(rpc: StdioRpc, timeoutMs?: number): Promise<RpcResponse> {
  const init = await rpc.request(
    'initialize',
    {
      protocolVersion: PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: 'switchboard-bench', version: '0.0.0' },
    },
    timeoutMs,
  );
  rpc.notify('notifications/initialized');
  return init;
}

/** Every tool, following nextCursor; `raw` are the response lines. */
export async function listAllTools(
  rpc: StdioRpc,
  timeoutMs?: number,
): Promise<{ tools: any[]; raw: string[]; at: number }> {
  const tools: any[] = [];
  const raw: string[] = [];
  let cursor: string | undefined;
  let at = 0;
  do {
    const res = await rpc.request<{ tools: any[]; nextCursor?: string }>(
      'tools/list',
      cursor ? { cursor } : {},
      timeoutMs,
    );
    tools.push(...res.result.tools);
    raw.push(res.raw);
    at = res.at;
    cursor = res.result.nextCursor;
  } while (cursor);
  return { tools, raw, at };
}

/** tools/call; returns the text content joined, and whether the server flagged an error. */
export async function callTool(
  rpc: StdioRpc,
  name: string,
  args: Record<string, unknown>,
  timeoutMs?: number,
): Promise<{ text: string; isError: boolean }> {
  const res = await rpc.request<{ content?: { type: string; text?: string }[]; isError?: boolean }>(
    'tools/call',
    { name, arguments: args },
    timeoutMs,
  );
  const text = (res.result.content ?? [])
    .filter((c) => c.type === 'text')
    .map((c) => c.text ?? '')
    .join('\n');
  return { text, isError: res.result.isError === true };
}
