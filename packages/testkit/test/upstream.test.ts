import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type FakeUpstream,
  globToRegExp,
  json,
  linkHeader,
  pageParams,
  paginate,
  startFakeUpstream,
} from '../src/upstream.ts';

let up: FakeUpstream | undefined;
afterEach(async () => {
  await up?.close();
  up = undefined;
});

async function start(...args: Parameters<typeof startFakeUpstream>): Promise<FakeUpstream> {
  up = await startFakeUpstream(...args);
  return up;
}

const postJson = (url: string, body: unknown, method = 'POST') =>
  fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('routing', () => {
  it('matches params, decodes them per segment, and captures a rest segment', async () => {
    const u = await start();
    u.route('GET', '/repos/:owner/:repo/contents/*path', (r) => json(200, { params: r.params, path: r.path }));
    const res = await fetch(`${u.url}/repos/a%20b/r/contents/dir/f%2Fx.txt?ref=main`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      params: { owner: 'a b', repo: 'r', path: 'dir/f/x.txt' },
      path: '/repos/a%20b/r/contents/dir/f%2Fx.txt',
    });
    const root = await fetch(`${u.url}/repos/o/r/contents`);
    expect(await root.json()).toMatchObject({ params: { owner: 'o', repo: 'r', path: '' } });
  });

  it('first registered match wins, method must match unless *', async () => {
    const u = await start();
    u.route('GET', '/items/special', () => json(200, 'special'));
    u.route('GET', '/items/:id', (r) => json(200, r.params.id));
    u.route('GET', '/items/special', () => json(200, 'never'));
    u.route('*', '/any', (r) => json(200, r.method));
    expect(await (await fetch(`${u.url}/items/special`)).json()).toBe('special');
    expect(await (await fetch(`${u.url}/items/7`)).json()).toBe('7');
    expect((await fetch(`${u.url}/items/7`, { method: 'DELETE' })).status).toBe(404);
    expect(await (await fetch(`${u.url}/any`, { method: 'PATCH' })).json()).toBe('PATCH');
    // ':name' needs a non-empty segment, and there is no implicit trailing-slash match
    expect((await fetch(`${u.url}/items/`)).status).toBe(404);
    expect((await fetch(`${u.url}/items/7/`)).status).toBe(404);
  });

  it('parses JSON, form and text bodies, lower-cases headers, exposes query and url', async () => {
    const u = await start();
    u.route('*', '/echo', (r) =>
      json(200, { body: r.body, raw: r.rawBody, h: r.headers['x-custom'], q: r.query.getAll('a'), url: r.url.href }),
    );
    const j = await (await postJson(`${u.url}/echo?a=1&a=2`, { x: [1, 2] })).json();
    expect(j).toMatchObject({ body: { x: [1, 2] }, q: ['1', '2'], url: `${u.url}/echo?a=1&a=2` });
    const form = await (
      await fetch(`${u.url}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'X-Custom': 'yes' },
        body: 'channel=C1&text=hi+there&t=1&t=2',
      })
    ).json();
    expect(form).toMatchObject({ body: { channel: 'C1', text: 'hi there', t: ['1', '2'] }, h: 'yes' });
    const text = await (await fetch(`${u.url}/echo`, { method: 'PUT', body: 'plain' })).json();
    expect(text).toMatchObject({ body: 'plain', raw: 'plain' });
    const empty = (await (await fetch(`${u.url}/echo`)).json()) as { body?: unknown };
    expect('body' in empty).toBe(false);
  });

  it('answers 400 to a JSON body that does not parse, without calling the handler', async () => {
    const u = await start();
    let called = false;
    u.route('POST', '/x', () => {
      called = true;
      return json(200, {});
    });
    const res = await fetch(`${u.url}/x`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(res.status).toBe(400);
    expect(called).toBe(false);
  });

  it('sends strings and buffers as-is, objects as JSON, 204 without a body', async () => {
    const u = await start();
    u.route('GET', '/s', () => ({ body: 'hello', headers: { 'X-Thing': ['a', 'b'] } }));
    u.route('GET', '/b', () => ({ body: Buffer.from([1, 2, 3]), headers: { 'Content-Type': 'image/png' } }));
    u.route('GET', '/o', () => json(201, { ok: true }, { etag: '"1"' }));
    u.route('DELETE', '/o', () => ({ status: 204 }));
    const s = await fetch(`${u.url}/s`);
    expect(await s.text()).toBe('hello');
    expect(s.headers.get('x-thing')).toBe('a, b');
    const b = await fetch(`${u.url}/b`);
    expect(b.headers.get('content-type')).toBe('image/png');
    expect([...new Uint8Array(await b.arrayBuffer())]).toEqual([1, 2, 3]);
    const o = await fetch(`${u.url}/o`);
    expect(o.status).toBe(201);
    expect(o.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(o.headers.get('etag')).toBe('"1"');
    expect(await o.json()).toEqual({ ok: true });
    const d = await fetch(`${u.url}/o`, { method: 'DELETE' });
    expect(d.status).toBe(204);
    expect(await d.text()).toBe('');
  });

  it('runs middleware in order before routing; middleware can short-circuit', async () => {
    const u = await start();
    const seen: string[] = [];
    u.use(async (req, next) => {
      seen.push('a');
      if (req.headers.authorization !== 'token good') return json(401, { message: 'Bad credentials' });
      const res = await next();
      return { ...res, headers: { ...res.headers, 'x-ratelimit-remaining': '4999' } };
    });
    u.use(async (_req, next) => {
      seen.push('b');
      return next();
    });
    u.route('GET', '/user', () => json(200, { login: 'octo' }));
    expect((await fetch(`${u.url}/user`)).status).toBe(401);
    expect(seen).toEqual(['a']);
    const ok = await fetch(`${u.url}/user`, { headers: { authorization: 'token good' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-ratelimit-remaining')).toBe('4999');
    expect(seen).toEqual(['a', 'a', 'b']);
  });

  it('turns handler exceptions into 500 JSON (or onError) and keeps serving', async () => {
    const u = await start({ onError: (e) => json(502, { oops: (e as Error).message }) });
    u.route('GET', '/boom', () => {
      throw new Error('kaboom');
    });
    u.route('GET', '/async-boom', async () => Promise.reject(new Error('later')));
    u.route('GET', '/ok', () => json(200, 1));
    const r1 = await fetch(`${u.url}/boom`);
    expect(r1.status).toBe(502);
    expect(await r1.json()).toEqual({ oops: 'kaboom' });
    expect((await fetch(`${u.url}/async-boom`)).status).toBe(502);
    expect((await fetch(`${u.url}/ok`)).status).toBe(200);

    const u2 = await startFakeUpstream();
    try {
      u2.route('GET', '/boom', () => {
        throw new Error('kaboom');
      });
      const r2 = await fetch(`${u2.url}/boom`);
      expect(r2.status).toBe(500);
      expect(await r2.json()).toMatchObject({ error: 'kaboom' });
    } finally {
      await u2.close();
    }
  });

  it('uses a custom notFound handler', async () => {
    const u = await start({ notFound: (r) => json(404, { errorMessages: [`no ${r.path}`] }) });
    expect(await (await fetch(`${u.url}/missing`)).json()).toEqual({ errorMessages: ['no /missing'] });
  });
});

describe('request log', () => {
  it('keeps the most recent requests only (a sandbox serving for hours must not grow without bound)', async () => {
    const u = await start({ maxRecordedRequests: 4 });
    u.route('GET', '/n/:i', () => json(200, {}));
    for (let i = 1; i <= 12; i++) await fetch(`${u.url}/n/${i}`);
    expect(u.requests.length).toBeLessThanOrEqual(5);
    expect(u.requests.length).toBeGreaterThanOrEqual(4);
    expect(u.requests.at(-1)?.path).toBe('/n/12');
    expect(u.requests.map((r) => r.path)).not.toContain('/n/1');
  });

  it('records every request with its status, including 404s and faults, but not admin calls', async () => {
    const u = await start();
    u.route('POST', '/things', (r) => json(201, r.body));
    await postJson(`${u.url}/things?x=1&x=2`, { name: 'a' });
    await fetch(`${u.url}/nope`);
    u.addFault({ fault: { kind: 'status', status: 503 } });
    await fetch(`${u.url}/things`);
    await fetch(`${u.url}/__sandbox/requests`);
    expect(u.requests.map((r) => [r.method, r.path, r.status, r.fault])).toEqual([
      ['POST', '/things', 201, undefined],
      ['GET', '/nope', 404, undefined],
      ['GET', '/things', 503, 'status'],
    ]);
    expect(u.requests[0]).toMatchObject({
      query: { x: ['1', '2'] },
      body: { name: 'a' },
      headers: { 'content-type': 'application/json' },
    });
    expect(typeof u.requests[0]!.at).toBe('number');
    u.clearRequests();
    expect(u.requests).toEqual([]);
  });
});

describe('faults', () => {
  it('applies matching faults FIFO, a number of times, then serves normally', async () => {
    const u = await start();
    u.route('GET', '/repos/:o/:r', () => json(200, 'ok'));
    u.route('GET', '/user', () => json(200, 'me'));
    u.addFault({ fault: { kind: 'status', status: 502 }, match: { path: '/repos/**' }, times: 2 });
    u.addFault({ fault: { kind: 'status', status: 500, body: { m: 'x' } }, match: { method: 'get' } });
    expect((await fetch(`${u.url}/user`)).status).toBe(500);
    expect((await fetch(`${u.url}/user`)).status).toBe(200);
    expect((await fetch(`${u.url}/repos/a/b`)).status).toBe(502);
    expect((await fetch(`${u.url}/repos/a/b`)).status).toBe(502);
    expect((await fetch(`${u.url}/repos/a/b`)).status).toBe(200);
  });

  it('keeps an Infinity rule until cleared', async () => {
    const u = await start();
    u.route('GET', '/x', () => json(200, 'ok'));
    u.addFault({ fault: { kind: 'status', status: 503 }, times: Number.POSITIVE_INFINITY });
    for (let i = 0; i < 3; i++) expect((await fetch(`${u.url}/x`)).status).toBe(503);
    u.clearFaults();
    expect((await fetch(`${u.url}/x`)).status).toBe(200);
  });

  it('rate_limit answers 429 or 403 with retry-after and rate-limit headers', async () => {
    const u = await start();
    u.addFault({ fault: { kind: 'rate_limit', retryAfterSeconds: 7 } });
    u.addFault({ fault: { kind: 'rate_limit', status: 403, headers: { 'x-github-sso': 'no' } } });
    const r1 = await fetch(`${u.url}/x`);
    expect(r1.status).toBe(429);
    expect(r1.headers.get('retry-after')).toBe('7');
    expect(r1.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(r1.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    const r2 = await fetch(`${u.url}/x`);
    expect(r2.status).toBe(403);
    expect(r2.headers.get('x-github-sso')).toBe('no');
    expect(await r2.json()).toEqual({ message: 'API rate limit exceeded' });
  });

  it('latency delays then serves normally', async () => {
    const u = await start();
    u.route('GET', '/x', () => json(200, 'ok'));
    u.addFault({ fault: { kind: 'latency', ms: 50 } });
    const t0 = performance.now();
    const res = await fetch(`${u.url}/x`);
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    expect(u.requests[0]).toMatchObject({ status: 200, fault: 'latency' });
  });

  it('reset destroys the connection without a response', async () => {
    const u = await start();
    u.addFault({ fault: { kind: 'reset' } });
    const err = await fetch(`${u.url}/x`).catch((e: Error) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(((err as TypeError).cause as { code?: string }).code).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
  });

  it('malformed_json sends a JSON content type with a body that does not parse', async () => {
    const u = await start();
    u.addFault({ fault: { kind: 'malformed_json' } });
    const res = await fetch(`${u.url}/x`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    await expect(res.json()).rejects.toThrow(SyntaxError);
  });

  it('truncated_json ends the socket before the declared content-length', async () => {
    const u = await start();
    u.addFault({ fault: { kind: 'truncated_json' } });
    const res = await fetch(`${u.url}/x`);
    expect(res.status).toBe(200);
    const declared = Number(res.headers.get('content-length'));
    await expect(res.text()).rejects.toThrow();
    expect(declared).toBeGreaterThan(1000);
  });

  it('huge_body streams exactly the requested number of bytes of valid JSON', async () => {
    const u = await start();
    u.addFault({ fault: { kind: 'huge_body', bytes: 3_000_000 } });
    const res = await fetch(`${u.url}/x`);
    const text = await res.text();
    expect(Buffer.byteLength(text)).toBe(3_000_000);
    expect(Object.keys(JSON.parse(text))).toEqual(['data']);
  });

  it('redirect answers with a location', async () => {
    const u = await start();
    u.route('GET', '/new', () => json(200, 'moved here'));
    u.addFault({ fault: { kind: 'redirect', location: '/new', status: 301 }, match: { path: '/old' } });
    const manual = await fetch(`${u.url}/old`, { redirect: 'manual' });
    expect(manual.status).toBe(301);
    expect(manual.headers.get('location')).toBe('/new');
    u.addFault({ fault: { kind: 'redirect', location: `${u.url}/new` } });
    expect(await (await fetch(`${u.url}/old`)).json()).toBe('moved here');
  });

  it('hang never answers, and close() ends the hanging socket promptly', async () => {
    const u = await start();
    u.addFault({ fault: { kind: 'hang' } });
    u.addFault({ fault: { kind: 'latency', ms: 60_000 } });
    const hung = fetch(`${u.url}/a`).then(
      () => 'answered',
      () => 'failed',
    );
    const slow = fetch(`${u.url}/b`).then(
      () => 'answered',
      () => 'failed',
    );
    await expect.poll(() => u.requests.length).toBe(2);
    const outcome = await Promise.race([hung, new Promise((r) => setTimeout(() => r('pending'), 100))]);
    expect(outcome).toBe('pending');
    await u.close();
    expect(await hung).toBe('failed');
    expect(await slow).toBe('failed');
    expect(u.requests.map((r) => r.status)).toEqual([0, 0]);
    up = undefined;
  });
});

describe('admin API', () => {
  it('lists and clears requests, adds and clears faults over HTTP', async () => {
    const u = await start();
    u.route('GET', '/x', () => json(200, 'ok'));
    await fetch(`${u.url}/x?a=1`);
    const list = await (await fetch(`${u.url}/__sandbox/requests`)).json();
    expect(list).toMatchObject([{ method: 'GET', path: '/x', query: { a: '1' }, status: 200 }]);
    expect((await fetch(`${u.url}/__sandbox/requests`, { method: 'DELETE' })).status).toBe(204);
    expect(u.requests).toEqual([]);

    const add = await postJson(`${u.url}/__sandbox/faults`, [
      { fault: { kind: 'status', status: 418 }, match: { path: '/x' }, times: 'Infinity' },
    ]);
    expect(add.status).toBe(201);
    expect((await fetch(`${u.url}/x`)).status).toBe(418);
    expect((await fetch(`${u.url}/x`)).status).toBe(418);
    await fetch(`${u.url}/__sandbox/faults`, { method: 'DELETE' });
    expect((await fetch(`${u.url}/x`)).status).toBe(200);

    await postJson(`${u.url}/__sandbox/faults`, { fault: { kind: 'status', status: 500 } });
    expect((await fetch(`${u.url}/x`)).status).toBe(500);
    expect((await fetch(`${u.url}/x`)).status).toBe(200);
  });

  it('rejects invalid fault rules with 400', async () => {
    const u = await start();
    const res = await postJson(`${u.url}/__sandbox/faults`, { fault: { kind: 'meteor' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ message: expect.stringMatching(/fault.kind must be one of/) });
    expect((await fetch(`${u.url}/__sandbox/unknown`)).status).toBe(404);
  });
});

describe('helpers', () => {
  it('paginate slices 1-based pages', () => {
    const items = [1, 2, 3, 4, 5];
    expect(paginate(items, 1, 2)).toEqual([1, 2]);
    expect(paginate(items, 3, 2)).toEqual([5]);
    expect(paginate(items, 4, 2)).toEqual([]);
    expect(paginate(items, 0, 2)).toEqual([1, 2]);
  });

  it('linkHeader builds GitHub-style rels and keeps other query params', () => {
    const base = new URL('http://127.0.0.1:1/repos/a/b/issues?state=open&page=9');
    expect(linkHeader(base, 1, 10, 10)).toBeUndefined();
    expect(linkHeader(base, 1, 10, 0)).toBeUndefined();
    const parse = (h: string | undefined) =>
      Object.fromEntries(
        (h ?? '').split(', ').map((p) => {
          const m = /^<([^>]+)>; rel="(\w+)"$/.exec(p)!;
          const u = new URL(m[1]!);
          return [
            m[2],
            `${u.searchParams.get('state')}:${u.searchParams.get('page')}:${u.searchParams.get('per_page')}`,
          ];
        }),
      );
    expect(parse(linkHeader(base, 1, 10, 35))).toEqual({ next: 'open:2:10', last: 'open:4:10' });
    expect(parse(linkHeader(base, 2, 10, 35))).toEqual({
      prev: 'open:1:10',
      next: 'open:3:10',
      last: 'open:4:10',
      first: 'open:1:10',
    });
    expect(parse(linkHeader(base, 4, 10, 35))).toEqual({ prev: 'open:3:10', first: 'open:1:10' });
  });

  it('pageParams reads page/per_page with defaults and a cap', () => {
    expect(pageParams(new URLSearchParams(''))).toEqual({ page: 1, perPage: 30 });
    expect(pageParams(new URLSearchParams('page=3&per_page=500'))).toEqual({ page: 3, perPage: 100 });
    expect(pageParams(new URLSearchParams('page=x&per_page=-1'), { perPage: 50 })).toEqual({ page: 1, perPage: 50 });
  });

  it('globToRegExp: * is one segment, ** is any', () => {
    expect(globToRegExp('/repos/*/*').test('/repos/a/b')).toBe(true);
    expect(globToRegExp('/repos/*/*').test('/repos/a/b/c')).toBe(false);
    expect(globToRegExp('/repos/**').test('/repos/a/b/c')).toBe(true);
    expect(globToRegExp('/**/issues').test('/repos/a/b/issues')).toBe(true);
    expect(globToRegExp('/**/issues').test('/issues')).toBe(true);
    expect(globToRegExp('/a.b').test('/axb')).toBe(false);
  });
});

describe('lifecycle', () => {
  it('close() is idempotent and closes keep-alive connections', async () => {
    const u = await startFakeUpstream();
    u.route('GET', '/x', () => json(200, 'ok'));
    // a keep-alive connection that would otherwise hold server.close() open
    await new Promise<void>((resolve, reject) => {
      const r = request(`${u.url}/x`, { agent: new Agent({ keepAlive: true }) }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      r.on('error', reject);
      r.end();
    });
    await Promise.all([u.close(), u.close()]);
    await expect(fetch(`${u.url}/x`)).rejects.toThrow();
  });
});
