/**
 * The HTTP transport's edges (Host/Origin checks, health, unknown paths, oversized bodies) and cancellation:
 * a client that cancels a call makes the server abort its upstream request and stay healthy.
 */
import { fileURLToPath } from 'node:url';
import {
  connectHttp,
  connectStdio,
  type FakeUpstream,
  type ServerProcess,
  startFakeUpstream,
  startHttpServerProcess,
} from '@switchboard-mcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('./fixtures/demo-bin.ts', import.meta.url));
const TOKEN = 'transport-token-0123456789';
let upstream: FakeUpstream;
let proc: ServerProcess;

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

beforeAll(async () => {
  upstream = await startFakeUpstream();
  upstream.route('GET', '/projects/:p/items', () => ({ body: [{ id: 1, title: 'one' }] }));
  proc = await startHttpServerProcess({
    command: process.execPath,
    args: ['--conditions=development', BIN, '--http', '--port', '0'],
    env: { DEMO_TOKEN: TOKEN, DEMO_API_URL: upstream.url, SWITCHBOARD_LOG_LEVEL: 'info' },
  });
});

afterAll(async () => {
  await proc?.close();
  await upstream?.close();
});

async function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${proc.url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('streamable HTTP edges', () => {
  it('serves /healthz and 404s elsewhere', async () => {
    const health = await fetch(`${proc.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', server: 'demo' });
    expect((await fetch(`${proc.url}/nope`)).status).toBe(404);
  });

  it('binds to loopback and accepts loopback Host and Origin', async () => {
    expect(proc.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const ok = await post(initialize, { origin: 'http://localhost:3000' });
    expect(ok.status).toBe(200);
  });

  it('refuses foreign Origin and Host headers (DNS rebinding)', async () => {
    expect((await post(initialize, { origin: 'https://evil.example' })).status).toBe(403);
    const port = new URL(proc.url).port;
    expect(await rawStatus(proc.url, `rebind.example:${port}`)).toBe(403);
    // Metrics without a token are for loopback clients, not for a page that rebound its name to 127.0.0.1.
    expect(await rawStatus(proc.url, `127.0.0.1:${port}`, '/metrics')).toBe(200);
    expect(await rawStatus(proc.url, `rebind.example:${port}`, '/metrics')).toBe(403);
  });

  it('refuses to serve a non-loopback address without a Host allow-list, and honours one', async () => {
    const { spawnSync } = await import('node:child_process');
    const open = spawnSync(
      process.execPath,
      ['--conditions=development', BIN, '--http', '--host', '0.0.0.0', '--port', '0'],
      {
        encoding: 'utf8',
        env: { ...process.env, DEMO_TOKEN: TOKEN, DEMO_API_URL: upstream.url },
        timeout: 20_000,
      },
    );
    expect(open.status).toBe(1);
    expect(open.stderr).toContain('--allowed-hosts');
    // A Host allow-list is not enough off loopback: without client authentication anyone on the network could
    // act with the server's credentials.
    const unauthenticated = spawnSync(
      process.execPath,
      ['--conditions=development', BIN, '--http', '--host', '0.0.0.0', '--port', '0', '--allowed-hosts', 'mcp.test'],
      {
        encoding: 'utf8',
        env: { ...process.env, DEMO_TOKEN: TOKEN, DEMO_API_URL: upstream.url },
        timeout: 20_000,
      },
    );
    expect(unauthenticated.status).toBe(1);
    expect(unauthenticated.stderr).toContain('without client authentication');
    const extra = await startHttpServerProcess({
      command: process.execPath,
      args: ['--conditions=development', BIN, '--http', '--port', '0', '--allowed-hosts', 'mcp.internal.test'],
      env: { DEMO_TOKEN: TOKEN, DEMO_API_URL: upstream.url, SWITCHBOARD_LOG_LEVEL: 'info' },
    });
    try {
      expect(await rawStatus(extra.url, 'mcp.internal.test')).toBe(200);
      expect(await rawStatus(extra.url, 'rebind.example')).toBe(403);
      // Browsers on the allowed host may call (Origin defaults to the allowed hosts); others may not.
      const fromPage = (origin: string) => rawStatus(extra.url, 'mcp.internal.test', '/mcp', { origin });
      expect(await fromPage('https://mcp.internal.test')).toBe(200);
      expect(await fromPage('https://evil.example')).toBe(403);
    } finally {
      await extra.close();
    }
  });

  it('rejects malformed JSON-RPC and oversized bodies without falling over', async () => {
    const malformed = await post('{"jsonrpc": "2.0", ');
    expect(malformed.status).toBeGreaterThanOrEqual(400);
    const huge = await post({ ...initialize, params: { ...initialize.params, padding: 'x'.repeat(2 * 1024 * 1024) } });
    expect(huge.status).toBe(413);
    expect((await post(initialize)).status).toBe(200);
  });
});

describe('2025-era sessions over stateless HTTP', () => {
  it('issues a session id at initialize, echoes only its own ids, and audits calls under it', async () => {
    const first = await post(initialize);
    const issued = first.headers.get('mcp-session-id');
    expect(issued).toMatch(/^sb-[0-9a-f]{32}$/);
    const again = await post({ jsonrpc: '2.0', id: 2, method: 'ping' }, { 'mcp-session-id': issued! });
    expect(again.headers.get('mcp-session-id')).toBe(issued);
    // A forged or foreign id is not echoed (it would let a client write any string into the audit trail).
    const forged = await post({ jsonrpc: '2.0', id: 3, method: 'ping' }, { 'mcp-session-id': 'evil-id;x' });
    expect(forged.headers.get('mcp-session-id')).not.toBe('evil-id;x');

    const client = await connectHttp({ url: `${proc.url}/mcp` });
    try {
      await client.callTool('list_items', { project: 'p1' });
      await client.callTool('list_items', { project: 'p2' });
    } finally {
      await client.close();
    }
    const sessions = proc
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('{"type":"audit"') && l.includes('"list_items"'))
      .map((l) => JSON.parse(l).session as string | undefined);
    expect(sessions.length).toBeGreaterThanOrEqual(2);
    const [a, b] = sessions.slice(-2);
    expect(a).toMatch(/^sb-[0-9a-f]{32}$/);
    expect(b).toBe(a);
  });
});

describe('graceful shutdown', () => {
  it('lets a call in flight finish on SIGTERM, then exits', async () => {
    const proc = await startHttpServerProcess({
      command: process.execPath,
      args: ['--conditions=development', BIN, '--http', '--port', '0'],
      env: { DEMO_TOKEN: TOKEN, DEMO_API_URL: upstream.url, SWITCHBOARD_LOG_LEVEL: 'info' },
    });
    const h = await connectHttp({ url: `${proc.url}/mcp` });
    try {
      upstream.addFault({ fault: { kind: 'latency', ms: 1500 }, match: { path: '/projects/draining/items' } });
      const pending = h.callTool('list_items', { project: 'draining' });
      for (let i = 0; i < 100 && !upstream.requests.some((r) => r.path === '/projects/draining/items'); i++)
        await new Promise((r) => setTimeout(r, 20));
      process.kill(proc.pid, 'SIGTERM');
      const result = await pending;
      expect(result.isError).toBe(false);
      expect(result.text).toBe('#1 one');
      for (let i = 0; i < 150 && alive(proc.pid); i++) await new Promise((r) => setTimeout(r, 20));
      expect(alive(proc.pid)).toBe(false);
    } finally {
      await h.close().catch(() => {});
      await proc.close();
    }
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('cancellation', () => {
  it('aborts the upstream request when the client cancels, and keeps serving', async () => {
    const h = await connectStdio({
      command: process.execPath,
      args: ['--conditions=development', BIN],
      env: { DEMO_TOKEN: TOKEN, DEMO_API_URL: upstream.url },
    });
    try {
      upstream.addFault({ fault: { kind: 'hang' }, match: { path: '/projects/slow/items' } });
      const controller = new AbortController();
      const pending = h.client.callTool(
        { name: 'list_items', arguments: { project: 'slow' } },
        { signal: controller.signal },
      );
      // Wait until the request reached the upstream, then cancel.
      for (let i = 0; i < 100 && !upstream.requests.some((r) => r.path === '/projects/slow/items'); i++)
        await new Promise((r) => setTimeout(r, 20));
      controller.abort();
      await expect(pending).rejects.toThrow();
      const after = await h.callTool('list_items', { project: 'fast' });
      expect(after.isError).toBe(false);
      // The audit line records the cancellation.
      for (let i = 0; i < 100 && !h.stderr().includes('error:cancelled'); i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(h.stderr()).toContain('"outcome":"error:cancelled"');
    } finally {
      await h.close();
    }
  });
});

/** POST initialize with a chosen Host header (fetch will not let us set Host). */
async function rawStatus(
  base: string,
  host: string,
  path = '/mcp',
  extraHeaders: Record<string, string> = {},
): Promise<number> {
  const { request } = await import('node:http');
  const url = new URL(base);
  return new Promise<number>((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: path === '/mcp' ? 'POST' : 'GET',
        headers: {
          host,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...extraHeaders,
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(path === '/mcp' ? JSON.stringify(initialize) : undefined);
  });
}
