import { fileURLToPath } from 'node:url';
import type { ElicitRequestFormParams } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectHttp, connectStdio, type Harness, type ServerProcess, startHttpServerProcess } from '../src/harness.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/echo-server.ts', import.meta.url));
const ERAS = ['legacy', 'modern'] as const;
const VERSIONS = { legacy: '2025-11-25', modern: '2026-07-28' };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.map((h) => h.close()));
  open = [];
});
function keep(h: Harness): Harness {
  open.push(h);
  return h;
}

/** An onElicit that records what it was asked and answers with `answer`. */
function elicitor(answer: { action: 'accept' | 'decline' | 'cancel'; content?: Record<string, string | boolean> }) {
  const asked: ElicitRequestFormParams[] = [];
  const onElicit = (p: ElicitRequestFormParams) => {
    asked.push(p);
    return answer;
  };
  return { asked, onElicit };
}

describe.each(ERAS)('stdio, %s era', (era) => {
  it('negotiates the era, lists and calls tools', async () => {
    const h = keep(await connectStdio({ command: 'node', args: [FIXTURE], era }));
    expect(h.era).toBe(era);
    expect(h.client.getNegotiatedProtocolVersion()).toBe(VERSIONS[era]);
    const tools = await h.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['confirm_me', 'echo']);
    expect(tools.find((t) => t.name === 'echo')?.inputSchema).toMatchObject({
      type: 'object',
      properties: { text: { type: 'string' } },
      required: ['text'],
    });
    expect(await h.callTool('echo', { text: 'hello' })).toMatchObject({ text: 'hello', isError: false });
    expect(await h.callTool('echo', { text: 'bad', fail: true })).toMatchObject({ text: 'bad', isError: true });
  });

  it('answers elicitation: accepted', async () => {
    const e = elicitor({ action: 'accept', content: { confirm: true, note: 'ok by me' } });
    const h = keep(await connectStdio({ command: 'node', args: [FIXTURE], era, onElicit: e.onElicit }));
    const out = await h.callTool('confirm_me', { what: 'drop the table' });
    expect(out).toMatchObject({ text: 'done: drop the table (ok by me)', isError: false });
    expect(e.asked).toHaveLength(1);
    expect(e.asked[0]).toMatchObject({
      message: 'Really drop the table?',
      requestedSchema: { type: 'object', properties: { confirm: { type: 'boolean' } } },
    });
  });

  it('answers elicitation: declined', async () => {
    const e = elicitor({ action: 'decline' });
    const h = keep(await connectStdio({ command: 'node', args: [FIXTURE], era, onElicit: e.onElicit }));
    expect(await h.callTool('confirm_me', { what: 'x' })).toMatchObject({ text: 'not done: decline', isError: true });
    expect(e.asked).toHaveLength(1);
  });

  it('keeps raw stdout (only JSON-RPC) and stderr apart, and stops the server on close', async () => {
    const h = await connectStdio({ command: 'node', args: [FIXTURE, '--noise'], era });
    await h.callTool('echo', { text: 'one' });
    await h.listTools();
    const lines = h.stdoutLines();
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
    await vi.waitFor(() => expect(h.stderr()).toContain('echo called with one'));
    const pid = h.pid!;
    expect(alive(pid)).toBe(true);
    await h.close();
    expect(alive(pid)).toBe(false);
  });
});

describe('stdio raw output', () => {
  it('exposes a stray non-protocol line on stdout', async () => {
    const h = keep(await connectStdio({ command: 'node', args: [FIXTURE, '--dirty'] }));
    expect(await h.callTool('echo', { text: 'still works' })).toMatchObject({ text: 'still works' });
    expect(h.stdoutLines()[0]).toBe('debug: starting up');
    expect(h.stdoutLines().filter((l) => !l.startsWith('{'))).toEqual(['debug: starting up']);
  });

  it('fails to connect with the server stderr when the server cannot start', async () => {
    await expect(
      connectStdio({ command: 'node', args: ['-e', 'console.error("boom: no config"); process.exit(3)'] }),
    ).rejects.toThrow(/could not connect over stdio[\s\S]*boom: no config/);
  });
});

describe('streamable HTTP', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startHttpServerProcess({ command: 'node', args: [FIXTURE, '--http', '--port', '0'] });
  });
  afterAll(async () => {
    const pid = server?.pid;
    await server?.close();
    if (pid) expect(alive(pid)).toBe(false);
  });

  it('reports the base url from the listening log line', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.stderr()).toContain('"msg":"listening"');
  });

  it.each(ERAS)('%s era: lists and calls tools', async (era) => {
    const h = keep(await connectHttp({ url: `${server.url}/mcp`, era }));
    expect(h.era).toBe(era);
    expect(h.client.getNegotiatedProtocolVersion()).toBe(VERSIONS[era]);
    expect((await h.listTools()).map((t) => t.name).sort()).toEqual(['confirm_me', 'echo']);
    expect(await h.callTool('echo', { text: 'over http' })).toMatchObject({ text: 'over http', isError: false });
    expect(h.stdoutLines()).toEqual([]);
  });

  it('modern era: elicitation through input_required, accepted and declined', async () => {
    const yes = elicitor({ action: 'accept', content: { confirm: true } });
    const h1 = keep(await connectHttp({ url: `${server.url}/mcp`, era: 'modern', onElicit: yes.onElicit }));
    expect(await h1.callTool('confirm_me', { what: 'ship' })).toMatchObject({ text: 'done: ship', isError: false });
    expect(yes.asked.map((p) => p.message)).toEqual(['Really ship?']);

    const no = elicitor({ action: 'decline' });
    const h2 = keep(await connectHttp({ url: `${server.url}/mcp`, era: 'modern', onElicit: no.onElicit }));
    expect(await h2.callTool('confirm_me', { what: 'ship' })).toMatchObject({
      text: 'not done: decline',
      isError: true,
    });
  });

  it('legacy era: stateless HTTP cannot carry server-to-client elicitation, and says so', async () => {
    const e = elicitor({ action: 'accept', content: { confirm: true } });
    const h = keep(await connectHttp({ url: `${server.url}/mcp`, era: 'legacy', onElicit: e.onElicit }));
    const out = await h.callTool('confirm_me', { what: 'ship' });
    expect(out.isError).toBe(true);
    expect(out.text).toMatch(/per-request legacy serving cannot receive server-to-client requests/);
    expect(e.asked).toEqual([]);
  });

  it('rejects with the server stderr when the server exits before listening', async () => {
    await expect(
      startHttpServerProcess({ command: 'node', args: ['-e', 'console.error("port in use"); process.exit(1)'] }),
    ).rejects.toThrow(/server exited before listening \(code 1[\s\S]*port in use/);
  });

  it('rejects when the server never logs listening, and stops it', async () => {
    const err = await startHttpServerProcess({
      command: 'node',
      args: ['-e', 'console.error(JSON.stringify({ msg: "starting", pid: process.pid })); setInterval(() => {}, 1000)'],
      readyTimeoutMs: 500,
    }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/did not log "listening" within 500 ms/);
    const pid = Number(/"pid":(\d+)/.exec((err as Error).message)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(false);
  });
});
