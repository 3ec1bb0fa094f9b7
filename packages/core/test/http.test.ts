import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { Agent } from 'undici';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type CallContext, runInCall } from '../src/context.ts';
import { SwitchboardError } from '../src/errors.ts';
import { createHttpClient, type HttpClientOptions } from '../src/http/client.ts';
import { sharedDispatcher } from '../src/http/dispatcher.ts';
import { fingerprint } from '../src/http/fingerprint.ts';
import { redirectHostMatcher } from '../src/http/redirect-hosts.ts';
import {
  defaultIsRateLimited,
  defaultParseRateLimit,
  MemoryThrottleStore,
  parseRetryAfter,
} from '../src/http/throttle.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  at: number;
}

interface Upstream {
  url: string;
  origin: string;
  seen: Seen[];
  connections: number;
  maxInFlight: number;
}

const servers: Server[] = [];
const sockets = new Set<Socket>();

/** A fake vendor on 127.0.0.1 that records every request it receives. */
async function serve(handler: Handler): Promise<Upstream> {
  const upstream: Upstream = { url: '', origin: '', seen: [], connections: 0, maxInFlight: 0 };
  let inFlight = 0;
  const server = createServer((req, res) => {
    upstream.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, at: Date.now() });
    inFlight++;
    upstream.maxInFlight = Math.max(upstream.maxInFlight, inFlight);
    const settle = () => {
      inFlight--;
    };
    res.once('close', settle);
    handler(req, res, upstream.seen.length);
  });
  server.on('connection', (socket) => {
    upstream.connections++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  upstream.origin = `http://127.0.0.1:${address.port}`;
  upstream.url = `${upstream.origin}/`;
  return upstream;
}

function redirect(res: ServerResponse, status: number, location: string): void {
  res.writeHead(status, { location });
  res.end();
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

// A private pool per file so no keep-alive socket outlives the servers closed above.
const dispatcher = new Agent({ keepAliveTimeout: 1000 });
afterAll(() => dispatcher.close());

function client(options: Partial<HttpClientOptions> = {}, store = new MemoryThrottleStore()) {
  return createHttpClient(
    { key: `test-${randomUUID()}`, retryBaseMs: 10, ...options },
    { dispatcher, throttleStore: store },
  );
}

/** A call context as the runtime builds it; `idempotent` is false for write tools not declared idempotent. */
function call(ms: number, idempotent = true): { ctx: CallContext; cancel: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('deadline', 'TimeoutError')), ms);
  controller.signal.addEventListener('abort', () => clearTimeout(timer));
  return {
    ctx: {
      signal: controller.signal,
      deadline: Date.now() + ms,
      idempotent,
      upstreamCalls: 0,
      upstreamRateLimited: 0,
      startedPerf: performance.now(),
    },
    cancel: () => controller.abort(new Error('client cancelled')),
  };
}

async function failure(promise: Promise<unknown>): Promise<SwitchboardError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SwitchboardError);
  return error as SwitchboardError;
}

describe('retries', () => {
  it('retries a 503 and returns the success, counting attempts in the call context', async () => {
    const up = await serve((_req, res, n) =>
      n === 1 ? json(res, 503, { message: 'busy' }) : json(res, 200, { ok: n }),
    );
    const { ctx } = call(5000);
    const response = await runInCall(ctx, () => client().fetch(up.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: 2 });
    expect(up.seen).toHaveLength(2);
    expect(ctx.upstreamCalls).toBe(2);
    expect(ctx.upstreamRateLimited).toBe(0);
  });

  it('returns the last 5xx once retries are exhausted', async () => {
    const up = await serve((_req, res) => json(res, 502, { message: 'bad gateway' }));
    const response = await client({ maxRetries: 2 }).fetch(up.url);
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ message: 'bad gateway' });
    expect(up.seen).toHaveLength(3);
  });

  it('does not retry a POST on 500', async () => {
    const up = await serve((_req, res) => json(res, 500, { message: 'boom' }));
    const response = await client().fetch(up.url, { method: 'POST', body: '{"a":1}' });
    expect(response.status).toBe(500);
    expect(up.seen).toHaveLength(1);
  });

  it('retries a POST on 503 when the server says when (Retry-After)', async () => {
    const up = await serve((_req, res, n) =>
      n === 1 ? json(res, 503, {}, { 'retry-after': '0' }) : json(res, 201, {}),
    );
    const response = await client().fetch(up.url, { method: 'POST', body: 'x' });
    expect(response.status).toBe(201);
    expect(up.seen).toHaveLength(2);
  });

  it('waits out a 429 Retry-After: 1 and then succeeds', async () => {
    const up = await serve((_req, res, n) =>
      n === 1 ? json(res, 429, {}, { 'retry-after': '1' }) : json(res, 200, {}),
    );
    const { ctx } = call(10_000);
    const response = await runInCall(ctx, () => client().fetch(up.url));
    expect(response.status).toBe(200);
    expect(up.seen).toHaveLength(2);
    expect(up.seen[1]!.at - up.seen[0]!.at).toBeGreaterThanOrEqual(900);
    expect(ctx.upstreamRateLimited).toBe(1);
  });

  it('fails fast with rate_limited when Retry-After crosses the deadline, after one request', async () => {
    const up = await serve((_req, res) => json(res, 429, { message: 'slow down' }, { 'retry-after': '30' }));
    const { ctx } = call(2000);
    const error = await failure(runInCall(ctx, () => client().fetch(up.url)));
    expect(error.kind).toBe('rate_limited');
    expect(error.details.retryAfterMs).toBeGreaterThan(25_000);
    expect(error.details.retryAfterMs).toBeLessThanOrEqual(30_000);
    expect(error.details.status).toBe(429);
    expect(up.seen).toHaveLength(1);
    expect(ctx.upstreamCalls).toBe(1);
  });

  it('retries a GET whose connection is reset', async () => {
    const up = await serve((req, res, n) => (n === 1 ? req.socket.destroy() : json(res, 200, { ok: true })));
    const response = await client().fetch(up.url);
    expect(await response.json()).toEqual({ ok: true });
    expect(up.seen).toHaveLength(2);
  });

  it('does not repeat a PUT after a 502 inside a tool that is not idempotent (the first may have committed)', async () => {
    const up = await serve((_req, res, n) => (n === 1 ? json(res, 502, {}) : json(res, 200, { ok: n })));
    const { ctx } = call(5000, false);
    const response = await runInCall(ctx, () => client().fetch(up.url, { method: 'PUT', body: '{"sha":"a"}' }));
    expect(response.status).toBe(502);
    expect(up.seen).toHaveLength(1);
    expect(ctx.upstreamCalls).toBe(1);
  });

  it('repeats a PUT after a 502 inside an idempotent tool', async () => {
    const up = await serve((_req, res, n) => (n === 1 ? json(res, 502, {}) : json(res, 200, { ok: n })));
    const { ctx } = call(5000, true);
    const response = await runInCall(ctx, () => client().fetch(up.url, { method: 'PUT', body: '{"sha":"a"}' }));
    expect(await response.json()).toEqual({ ok: 2 });
    expect(up.seen.map((s) => s.method)).toEqual(['PUT', 'PUT']);
  });

  it('still repeats reads and told-to-retry answers inside a tool that is not idempotent', async () => {
    const up = await serve((req, res, n) => {
      if (n === 1) return json(res, 502, {});
      if (n === 3) return json(res, 503, {}, { 'retry-after': '0' });
      json(res, 200, { method: req.method });
    });
    const { ctx } = call(5000, false);
    const read = await runInCall(ctx, () => client().fetch(up.url));
    expect(await read.json()).toEqual({ method: 'GET' });
    // A 503 with Retry-After says the DELETE was not processed.
    const write = await runInCall(ctx, () => client().fetch(up.url, { method: 'DELETE' }));
    expect(await write.json()).toEqual({ method: 'DELETE' });
    expect(up.seen.map((s) => s.method)).toEqual(['GET', 'GET', 'DELETE', 'DELETE']);
  });

  it('does not resend a DELETE whose connection is reset inside a tool that is not idempotent', async () => {
    const up = await serve((req, res, n) => {
      if (n <= 2) return req.socket.destroy();
      res.writeHead(204);
      res.end();
    });
    const { ctx } = call(5000, false);
    const error = await failure(runInCall(ctx, () => client().fetch(up.url, { method: 'DELETE' })));
    expect(error.kind).toBe('upstream');
    expect(up.seen).toHaveLength(1);
    // The same reset inside an idempotent tool is retried.
    const again = call(5000, true);
    const response = await runInCall(again.ctx, () => client().fetch(up.url, { method: 'DELETE' }));
    expect(response.status).toBe(204);
    expect(up.seen).toHaveLength(3);
  });

  it('retries a request that never reached the server (connection refused), whatever the method', async () => {
    const closed = await serve(() => {});
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const { ctx } = call(5000, false);
    const error = await failure(
      runInCall(ctx, () => client({ maxRetries: 2 }).fetch(closed.url, { method: 'POST', body: 'x' })),
    );
    expect(error.kind).toBe('upstream');
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(ctx.upstreamCalls).toBe(3);
  });

  it('does not retry a POST whose connection is reset, and names the failure', async () => {
    const up = await serve((req) => req.socket.destroy());
    const error = await failure(client().fetch(up.url, { method: 'POST', body: 'x' }));
    expect(error.kind).toBe('upstream');
    expect(error.message).toMatch(/^connection to 127\.0\.0\.1:\d+ failed: /);
    expect(error.details.hint).toMatch(/retry later/);
    expect(up.seen).toHaveLength(1);
  });
});

describe('rate-limit throttle', () => {
  it('blocks the next call for the same credential without sending it when remaining is 0', async () => {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    const up = await serve((_req, res) =>
      json(res, 200, {}, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }),
    );
    const store = new MemoryThrottleStore();
    const key = `test-${randomUUID()}`;
    expect((await createHttpClient({ key }, { dispatcher, throttleStore: store }).fetch(up.url)).status).toBe(200);
    // A client built later for the same credential (clients are built per call) shares the throttle.
    const again = createHttpClient({ key }, { dispatcher, throttleStore: store });
    const error = await failure(again.fetch(up.url));
    expect(error.kind).toBe('rate_limited');
    expect(error.details.retryAfterMs).toBeGreaterThan(3_500_000);
    expect(up.seen).toHaveLength(1);
    // Another credential is not affected.
    expect(
      (await createHttpClient({ key: `${key}-other` }, { dispatcher, throttleStore: store }).fetch(up.url)).status,
    ).toBe(200);
  });

  it('keeps windows per bucket, while a Retry-After block holds for the whole credential', async () => {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    const up = await serve((req, res) => {
      if (req.url === '/search/blocked') return json(res, 429, {}, { 'retry-after': '30' });
      const remaining = req.url?.startsWith('/search/') ? '0' : '100';
      json(res, 200, {}, { 'x-ratelimit-remaining': remaining, 'x-ratelimit-reset': String(reset) });
    });
    const http = client({
      rateLimitBucket: (url) => (url.pathname.startsWith('/search/') ? 'search' : 'core'),
      maxRateLimitWaitMs: 1000,
    });
    expect((await http.fetch(`${up.origin}/search/issues`)).status).toBe(200);
    // The search window is used up: the next search fails without being sent, naming the bucket.
    const error = await failure(http.fetch(`${up.origin}/search/repositories`));
    expect(error.kind).toBe('rate_limited');
    expect(error.message).toMatch(/the search rate limit at 127\.0\.0\.1:\d+ for this credential is used up/);
    expect(error.details.retryAfterMs).toBeGreaterThan(3_500_000);
    expect(up.seen.map((s) => s.url)).toEqual(['/search/issues']);
    // Other requests draw on their own window and go through.
    expect((await http.fetch(`${up.origin}/repos/a/b`)).status).toBe(200);
    expect((await http.fetch(`${up.origin}/repos/a/b`)).status).toBe(200);
    expect(up.seen).toHaveLength(3);

    // A secondary limit (Retry-After) blocks every bucket of the credential.
    const other = client({
      rateLimitBucket: (url) => (url.pathname.startsWith('/search/') ? 'search' : 'core'),
      maxRateLimitWaitMs: 1000,
    });
    expect((await failure(other.fetch(`${up.origin}/search/blocked`))).details.status).toBe(429);
    const blocked = await failure(other.fetch(`${up.origin}/repos/a/b`));
    expect(blocked.kind).toBe('rate_limited');
    expect(blocked.details.retryAfterMs).toBeGreaterThan(25_000);
    expect(up.seen).toHaveLength(4);
  });

  it('waits for a short window to reset when the deadline allows', async () => {
    const up = await serve((_req, res, n) =>
      n === 1 ? json(res, 200, {}, { 'ratelimit-remaining': '0', 'ratelimit-reset': '1' }) : json(res, 200, {}),
    );
    const http = client();
    await http.fetch(up.url);
    const { ctx } = call(5000);
    expect((await runInCall(ctx, () => http.fetch(up.url))).status).toBe(200);
    expect(up.seen[1]!.at - up.seen[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it('caps requests in flight per credential', async () => {
    const up = await serve((_req, res) => setTimeout(() => json(res, 200, {}), 30));
    const http = client({ maxConcurrency: 3 });
    const responses = await Promise.all(Array.from({ length: 10 }, () => http.fetch(up.url)));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(up.seen).toHaveLength(10);
    expect(up.maxInFlight).toBeLessThanOrEqual(3);
    expect(up.maxInFlight).toBeGreaterThanOrEqual(2);
  });
});

describe('deadline and cancellation', () => {
  const hang = () => {};

  it('fails with timeout when an attempt takes longer than timeoutMs', async () => {
    const up = await serve(hang);
    const started = Date.now();
    const error = await failure(client({ timeoutMs: 100 }).fetch(up.url));
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/did not answer within/);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(up.seen).toHaveLength(1);
  });

  it("fails with timeout at the call's deadline", async () => {
    const up = await serve(hang);
    const { ctx } = call(150);
    const error = await failure(runInCall(ctx, () => client().fetch(up.url)));
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/deadline/);
  });

  it('fails with cancelled when the client cancels the call', async () => {
    const up = await serve(hang);
    const { ctx, cancel } = call(10_000);
    setTimeout(cancel, 50);
    const error = await failure(runInCall(ctx, () => client().fetch(up.url)));
    expect(error.kind).toBe('cancelled');
  });

  it("fails with cancelled when the SDK's own signal aborts", async () => {
    const up = await serve(hang);
    const error = await failure(client().fetch(up.url, { signal: AbortSignal.abort() }));
    expect(error.kind).toBe('cancelled');
    expect(up.seen).toHaveLength(0);
  });

  it('applies the timeout to reading the body too', async () => {
    const up = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
    });
    const response = await client({ timeoutMs: 150 }).fetch(up.url);
    const error = await failure(response.text());
    expect(error.kind).toBe('timeout');
  });
});

describe('response bodies', () => {
  it('rejects a declared content-length over the bound', async () => {
    const up = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '4096' });
      res.end('x'.repeat(4096));
    });
    const error = await failure(client({ maxBodyBytes: 1024 }).fetch(up.url));
    expect(error.kind).toBe('upstream');
    expect(error.message).toMatch(/response body exceeds 1 KiB/);
    expect(error.details.hint).toMatch(/[Nn]arrow the request/);
  });

  it('fails the SDK read when a streamed (non-JSON) body grows past the bound', async () => {
    const up = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      for (let i = 0; i < 8; i++) res.write('x'.repeat(500));
      res.end();
    });
    const response = await client({ maxBodyBytes: 1024 }).fetch(up.url);
    expect(response.status).toBe(200);
    const error = await failure(response.text());
    expect(error.kind).toBe('upstream');
    expect(error.message).toMatch(/response body exceeds 1 KiB/);
  });

  it('fails the fetch itself when a streamed JSON body grows past the bound (SDKs swallow read errors)', async () => {
    const up = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < 8; i++) res.write('x'.repeat(500));
      res.end();
    });
    const error = await failure(client({ maxBodyBytes: 1024 }).fetch(up.url));
    expect(error.kind).toBe('upstream');
    expect(error.message).toMatch(/response body exceeds 1 KiB/);
  });

  it('fails on malformed JSON in a successful answer, and passes valid JSON through', async () => {
    const up = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(req.url === '/bad' ? '{"truncated": ' : '{"ok":true}');
    });
    const error = await failure(client().fetch(new URL('/bad', up.url)));
    expect(error.kind).toBe('upstream');
    expect(error.message).toMatch(/malformed JSON/);
    const ok = await client().fetch(new URL('/good', up.url));
    expect(await ok.json()).toEqual({ ok: true });
  });

  it('passes bodies within the bound through intact', async () => {
    const payload = 'y'.repeat(1000);
    const up = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write(payload.slice(0, 500));
      res.end(payload.slice(500));
    });
    const response = await client({ maxBodyBytes: 1024 }).fetch(up.url);
    expect(await response.text()).toBe(payload);
  });
});

describe('redirects', () => {
  it('follows a same-origin redirect, keeping credentials, and reports the final url', async () => {
    const up = await serve((req, res) =>
      req.url === '/old' ? redirect(res, 301, '/new') : json(res, 200, { path: req.url }),
    );
    const response = await client().fetch(`${up.origin}/old`, { headers: { authorization: 'token s3cret' } });
    expect(await response.json()).toEqual({ path: '/new' });
    expect(response.url).toBe(`${up.origin}/new`);
    expect(response.redirected).toBe(true);
    expect(up.seen.map((s) => s.headers.authorization)).toEqual(['token s3cret', 'token s3cret']);
  });

  it('fails a cross-origin redirect with an upstream error naming the other host, unfollowed', async () => {
    // An SDK handed the 3xx takes it for an answer (Octokit renders its body as data) or for a bug.
    const other = await serve((_req, res) => json(res, 200, {}));
    const up = await serve((_req, res) => redirect(res, 302, `${other.origin}/blob`));
    const failure = await client()
      .fetch(up.url, { headers: { authorization: 'token s3cret' } })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SwitchboardError);
    expect((failure as SwitchboardError).kind).toBe('upstream');
    expect((failure as SwitchboardError).details.status).toBe(302);
    expect((failure as SwitchboardError).message).toContain(`another host (${new URL(other.origin).host})`);
    expect(up.seen).toHaveLength(1);
    expect(other.seen).toHaveLength(0);
  });

  it("returns a cross-origin redirect as is when the caller asks for redirect: 'manual'", async () => {
    const other = await serve((_req, res) => json(res, 200, {}));
    const up = await serve((_req, res) => redirect(res, 302, `${other.origin}/blob`));
    const response = await client().fetch(up.url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${other.origin}/blob`);
    expect(other.seen).toHaveLength(0);
  });

  it('follows a redirect to an allowed host without the Authorization header', async () => {
    const other = await serve((req, res) => json(res, 200, { path: req.url }));
    const up = await serve((_req, res) => redirect(res, 302, `${other.origin}/blob?sig=1`));
    const response = await client({ allowRedirectHosts: ['127.0.0.1'] }).fetch(up.url, {
      headers: { authorization: 'token s3cret', cookie: 'a=b' },
    });
    expect(await response.json()).toEqual({ path: '/blob?sig=1' });
    expect(up.seen[0]!.headers.authorization).toBe('token s3cret');
    expect(other.seen).toHaveLength(1);
    expect(other.seen[0]!.headers.authorization).toBeUndefined();
    expect(other.seen[0]!.headers.cookie).toBeUndefined();
  });

  it('follows a redirect to an allowed host:port on another origin, and not to another port of it', async () => {
    const other = await serve((req, res) => json(res, 200, { path: req.url, auth: req.headers.authorization ?? null }));
    const port = new URL(other.origin).port;
    const up = await serve((_req, res) => redirect(res, 302, `http://localhost:${port}/logs?sig=1`));
    const allowed = await client({ allowRedirectHosts: [`LOCALHOST:${port}`] }).fetch(up.url, {
      headers: { authorization: 'token s3cret' },
    });
    expect(await allowed.json()).toEqual({ path: '/logs?sig=1', auth: null });
    expect(allowed.url).toBe(`http://localhost:${port}/logs?sig=1`);
    const wrongPort = await client({ allowRedirectHosts: ['localhost:1'] })
      .fetch(up.url)
      .catch((e: unknown) => e);
    expect((wrongPort as SwitchboardError).kind).toBe('upstream');
    expect(other.seen).toHaveLength(1);
  });

  it('matches allowed redirect hosts: exact names, *.domain wildcards, optional ports', () => {
    const allowed = redirectHostMatcher([
      '*.Blob.core.windows.net',
      '*.example.com:8443',
      'api.example.org:443',
      'x.io',
    ]);
    const ok = (url: string) => allowed(new URL(url));
    expect(ok('https://productionresultssa0.blob.core.windows.net/actions-results/1?sig=x')).toBe(true);
    expect(ok('https://a.b.blob.core.windows.net/')).toBe(true);
    expect(ok('https://blob.core.windows.net/')).toBe(false);
    expect(ok('https://evilblob.core.windows.net/')).toBe(false);
    expect(ok('https://x.blob.core.windows.net.evil.com/')).toBe(false);
    expect(ok('https://a.example.com:8443/')).toBe(true);
    expect(ok('https://a.example.com/')).toBe(false);
    expect(ok('https://api.example.org/')).toBe(true);
    expect(ok('http://api.example.org/')).toBe(false);
    expect(ok('https://x.io:9000/')).toBe(true);
    expect(ok('https://y.x.io/')).toBe(false);
    for (const bad of ['*', '*.com', 'a*.example.com', 'https://x.io', 'x.io/path', 'user@x.io']) {
      expect(() => redirectHostMatcher([bad]), bad).toThrow(TypeError);
    }
  });

  it('turns a POST answered with 303 into a bodiless GET', async () => {
    const up = await serve((req, res) => (req.url === '/create' ? redirect(res, 303, '/done') : json(res, 200, {})));
    await client().fetch(`${up.origin}/create`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(up.seen.map((s) => [s.method, s.url, s.headers['content-type']])).toEqual([
      ['POST', '/create', 'application/json'],
      ['GET', '/done', undefined],
    ]);
  });

  it('stops after three redirects and returns the fourth', async () => {
    const up = await serve((_req, res, n) => redirect(res, 302, `/hop${n}`));
    const response = await client().fetch(up.url);
    expect(response.status).toBe(302);
    expect(up.seen).toHaveLength(4);
  });
});

describe('fetch compatibility', () => {
  it('works the way Octokit calls it', async () => {
    const up = await serve((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () =>
        json(res, 201, { got: JSON.parse(body), ua: req.headers['user-agent'] }, { 'x-oauth-scopes': 'repo' }),
      );
    });
    const observed: Array<[number, string | null]> = [];
    const http = client({ onResponse: (status, headers) => observed.push([status, headers.get('x-oauth-scopes')]) });
    const response = await http.fetch(`${up.origin}/repos/a/b/issues`, {
      method: 'POST',
      body: JSON.stringify({ title: 'hi' }),
      headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/vnd.github+json' },
      redirect: undefined,
      signal: undefined,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(201);
    expect(response.headers.get('x-oauth-scopes')).toBe('repo');
    expect(response.url).toBe(`${up.origin}/repos/a/b/issues`);
    expect(await response.json()).toEqual({ got: { title: 'hi' }, ua: 'switchboard-mcp' });
    expect(observed).toEqual([[201, 'repo']]);
  });

  it('accepts a Request and FormData bodies', async () => {
    const up = await serve((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => json(res, 200, { type: req.headers['content-type'], body }));
    });
    const form = new FormData();
    form.set('field', 'value');
    const response = await client().fetch(new Request(up.url, { method: 'POST', body: form }));
    const got = (await response.json()) as { type: string; body: string };
    expect(got.type).toMatch(/^multipart\/form-data; boundary=/);
    expect(got.body).toContain('name="field"');
    expect(got.body).toContain('value');
  });

  it('reuses pooled keep-alive connections', async () => {
    const up = await serve((_req, res) => json(res, 200, {}));
    const http = client();
    for (let i = 0; i < 5; i++) await (await http.fetch(up.url)).arrayBuffer();
    expect(up.seen).toHaveLength(5);
    // undici may open a second socket while the first is being returned to the pool; not one per request.
    expect(up.connections).toBeLessThanOrEqual(2);
  });
});

describe('proxy', () => {
  /** A minimal forward proxy (absolute-form requests and CONNECT) that records the targets it reached. */
  async function startProxy(): Promise<{ url: string; targets: string[] }> {
    const targets: string[] = [];
    const proxy = createServer((req, res) => {
      const target = new URL(req.url ?? '');
      targets.push(target.host);
      const forward = request(target, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
    proxy.on('connect', (req, clientSocket: Socket, head) => {
      targets.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(clientSocket).pipe(upstream);
      });
      for (const s of [clientSocket, upstream]) {
        sockets.add(s);
        s.on('error', () => {});
      }
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    servers.push(proxy);
    const address = proxy.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return { url: `http://127.0.0.1:${address.port}`, targets };
  }

  it('routes through HTTP_PROXY and honours NO_PROXY', async () => {
    const up = await serve((_req, res) => json(res, 200, { ok: true }));
    const proxy = await startProxy();
    const viaProxy = sharedDispatcher({ HTTP_PROXY: proxy.url });
    const http = createHttpClient({ key: `test-${randomUUID()}` }, { dispatcher: viaProxy });
    expect(await (await http.fetch(up.url)).json()).toEqual({ ok: true });
    expect(proxy.targets).toEqual([up.origin.replace('http://', '')]);
    expect(sharedDispatcher({ HTTP_PROXY: proxy.url })).toBe(viaProxy);

    const bypass = sharedDispatcher({ HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });
    const direct = createHttpClient({ key: `test-${randomUUID()}` }, { dispatcher: bypass });
    expect((await direct.fetch(up.url)).status).toBe(200);
    expect(proxy.targets).toHaveLength(1);
    await Promise.all([viaProxy.close(), bypass.close()]);
  });
});

describe('helpers', () => {
  it('fingerprints secrets without revealing them', () => {
    const fp = fingerprint('ghp_secret');
    expect(fp).toMatch(/^fp_[0-9a-f]{12}$/);
    expect(fp).toBe(`fp_${createHash('sha256').update('ghp_secret').digest('hex').slice(0, 12)}`);
    expect(fingerprint('ghp_other')).not.toBe(fp);
  });

  it('reads rate-limit headers', () => {
    const now = 1_700_000_000_000;
    expect(
      defaultParseRateLimit(200, new Headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700000060' }), now),
    ).toEqual({
      remaining: 0,
      resetAt: 1_700_000_060_000,
    });
    expect(
      defaultParseRateLimit(200, new Headers({ 'ratelimit-remaining': '5', 'ratelimit-reset': '30' }), now),
    ).toEqual({
      remaining: 5,
      resetAt: now + 30_000,
    });
    expect(defaultParseRateLimit(429, new Headers({ 'retry-after': '7' }), now)).toEqual({ blockedUntil: now + 7000 });
    expect(defaultParseRateLimit(200, new Headers({ 'content-type': 'text/plain' }), now)).toBeUndefined();
    expect(parseRetryAfter(new Date(now + 5000).toUTCString(), now)).toBe(5000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('recognises rate-limited responses', () => {
    expect(defaultIsRateLimited(429, new Headers())).toBe(true);
    expect(defaultIsRateLimited(403, new Headers({ 'retry-after': '60' }))).toBe(true);
    expect(defaultIsRateLimited(403, new Headers({ 'x-ratelimit-remaining': '0' }))).toBe(true);
    expect(defaultIsRateLimited(403, new Headers({ 'x-ratelimit-remaining': '10' }))).toBe(false);
    expect(defaultIsRateLimited(500, new Headers())).toBe(false);
  });
});
