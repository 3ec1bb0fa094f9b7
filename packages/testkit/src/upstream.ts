/**
 * Building blocks for stateful fake vendor APIs served on 127.0.0.1.
 *
 * Used by every server's sandbox at runtime (`--sandbox`) as well as in tests, so this module depends on node
 * built-ins only. A fake upstream is a tiny router plus fault injection plus a request log; each sandbox adds
 * the vendor's routes and state on top.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export * from './fixtures.ts';

export interface FakeRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** URL path without the query, as sent (not decoded); route params are decoded per segment. */
  path: string;
  query: URLSearchParams;
  /** Header names lower-cased; repeated headers joined with ', '. */
  headers: Record<string, string>;
  /**
   * Parsed JSON for application/json (and +json), an object for application/x-www-form-urlencoded (repeated
   * keys become arrays), else the raw string; undefined when the body is empty.
   */
  body: unknown;
  rawBody: string;
  params: Record<string, string>;
  /** Full URL as seen by the fake (http://127.0.0.1:port/...). */
  url: URL;
}

/** `body`: string/Buffer sent as-is; anything else JSON-encoded with content-type application/json. */
export interface FakeResponse {
  status?: number;
  headers?: Record<string, string | string[]>;
  body?: unknown;
}

export type Handler = (req: FakeRequest) => FakeResponse | Promise<FakeResponse>;
export type Middleware = (req: FakeRequest, next: () => Promise<FakeResponse>) => Promise<FakeResponse>;

export type Fault =
  /** Delay, then serve normally. */
  | { kind: 'latency'; ms: number }
  /** Never answer (until the fake is closed). */
  | { kind: 'hang' }
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** 429 (or 403 GitHub-style) with Retry-After and x-ratelimit-remaining: 0. */
  | {
      kind: 'rate_limit';
      status?: 429 | 403;
      retryAfterSeconds?: number;
      headers?: Record<string, string>;
      body?: unknown;
    }
  /** Destroy the socket without a response. */
  | { kind: 'reset' }
  /** 200, content-type JSON, body not JSON. */
  | { kind: 'malformed_json' }
  /** 200, declares a content-length larger than sent, then ends the socket. */
  | { kind: 'truncated_json' }
  /** 200 JSON body of exactly that many bytes, streamed. */
  | { kind: 'huge_body'; bytes: number }
  | { kind: 'redirect'; location: string; status?: 301 | 302 | 307 };

export interface FaultRule {
  fault: Fault;
  /** `path` is a glob: `*` matches one segment, `**` any number of segments. */
  match?: { method?: string; path?: string };
  /** Uses before the rule is removed. Default 1; Infinity allowed (over the admin API: "Infinity" or null). */
  times?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body: unknown;
  /** Status sent; 0 while pending, or when no response was ever sent (hang, reset). */
  status: number;
  fault?: Fault['kind'];
  at: number;
}

export interface FakeUpstream {
  /** http://127.0.0.1:PORT (no trailing slash). */
  readonly url: string;
  /**
   * Register a route. Pattern like '/repos/:owner/:repo/issues/:number': ':name' matches one non-empty segment;
   * a final '*rest' captures the remainder, zero or more segments (may contain '/'). Method '*' matches any.
   * First match wins, in registration order.
   */
  route(method: string, pattern: string, handler: Handler): void;
  /** Runs before routing, in registration order (auth checks, rate-limit headers, version headers). */
  use(mw: Middleware): void;
  /**
   * Every request, including ones answered by faults or 404 (admin requests excluded); the most recent
   * `maxRecordedRequests` when there have been more.
   */
  readonly requests: RecordedRequest[];
  clearRequests(): void;
  /** Faults are consulted before middleware, FIFO; a rule is removed after `times` uses. */
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  /** Close the server and any open (including hanging) sockets promptly. */
  close(): Promise<void>;
}

export interface StartFakeUpstreamOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /**
   * How many requests `requests` keeps (default 20,000): a sandbox serves users for hours in --sandbox mode, so
   * the log must not grow without bound. Older entries are dropped first.
   */
  maxRecordedRequests?: number;
  /** Answer for unmatched routes; default 404 `{ message: 'Not Found' }`. */
  notFound?: Handler;
  /** Answer when a handler or middleware throws; default 500 JSON. */
  onError?: (err: unknown) => FakeResponse;
}

/**
 * JSON response sugar. Objects stay objects (middleware can still inspect them); a string body is JSON-encoded
 * here, since a bare string would otherwise be sent as text.
 */
export function json(status: number, body: unknown, headers?: Record<string, string | string[]>): FakeResponse {
  if (typeof body === 'string') {
    return {
      status,
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    };
  }
  return headers ? { status, body, headers } : { status, body };
}

/** The page of `items` for a 1-based page number. */
export function paginate<T>(items: T[], page: number, perPage: number): T[] {
  const p = Math.max(1, Math.floor(page) || 1);
  const n = Math.max(1, Math.floor(perPage) || 1);
  return items.slice((p - 1) * n, p * n);
}

/**
 * RFC 8288 Link header with first/prev/next/last the way GitHub sends it (`page` and `per_page` query params);
 * undefined when everything fits on one page.
 */
export function linkHeader(baseUrl: URL, page: number, perPage: number, total: number): string | undefined {
  const n = Math.max(1, Math.floor(perPage) || 1);
  const last = Math.max(1, Math.ceil(total / n));
  const p = Math.max(1, Math.floor(page) || 1);
  if (last <= 1 && p <= 1) return undefined;
  const at = (pg: number): string => {
    const u = new URL(baseUrl.href);
    u.searchParams.set('page', String(pg));
    u.searchParams.set('per_page', String(n));
    return u.href;
  };
  const links: string[] = [];
  if (p > 1) {
    links.push(`<${at(Math.min(p - 1, last))}>; rel="prev"`);
  }
  if (p < last) {
    links.push(`<${at(p + 1)}>; rel="next"`);
    links.push(`<${at(last)}>; rel="last"`);
  }
  if (p > 1) links.push(`<${at(1)}>; rel="first"`);
  return links.length > 0 ? links.join(', ') : undefined;
}

/**
 * Page parameters from a query (`page`, `per_page`), clamped: a sandbox answers bad values the way lenient
 * vendors do (defaults), rather than failing.
 */
export function pageParams(
  query: URLSearchParams,
  opts: { perPage?: number; maxPerPage?: number } = {},
): { page: number; perPage: number } {
  const def = opts.perPage ?? 30;
  const max = opts.maxPerPage ?? 100;
  const page = Number.parseInt(query.get('page') ?? '', 10);
  const perPage = Number.parseInt(query.get('per_page') ?? '', 10);
  return {
    page: Number.isFinite(page) && page >= 1 ? page : 1,
    perPage: Number.isFinite(perPage) && perPage >= 1 ? Math.min(perPage, max) : def,
  };
}

interface Route {
  method: string;
  segments: string[];
  rest?: string;
  handler: Handler;
}

function compileRoute(method: string, pattern: string, handler: Handler): Route {
  if (!pattern.startsWith('/')) throw new Error(`route pattern must start with '/': ${pattern}`);
  const segments = pattern.split('/').slice(1);
  const lastSeg = segments[segments.length - 1];
  let rest: string | undefined;
  if (lastSeg?.startsWith('*')) {
    rest = lastSeg.slice(1) || 'rest';
    segments.pop();
  }
  for (const s of segments) {
    if (s.startsWith('*')) throw new Error(`'*' is only allowed in the final segment: ${pattern}`);
  }
  return { method: method.toUpperCase(), segments, ...(rest ? { rest } : {}), handler };
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function matchRoute(route: Route, method: string, path: string): Record<string, string> | undefined {
  if (route.method !== '*' && route.method !== method) return undefined;
  const parts = path.split('/').slice(1);
  if (route.rest === undefined ? parts.length !== route.segments.length : parts.length < route.segments.length) {
    return undefined;
  }
  const params: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const seg = route.segments[i]!;
    const part = parts[i]!;
    if (seg.startsWith(':')) {
      if (part === '') return undefined;
      params[seg.slice(1)] = decodeSegment(part);
    } else if (seg !== part) {
      return undefined;
    }
  }
  if (route.rest !== undefined) {
    params[route.rest] = parts.slice(route.segments.length).map(decodeSegment).join('/');
  }
  return params;
}

/** Glob for fault matching: `*` = one segment, `**` = any number of segments (including none). */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else {
          re += '.*';
        }
      } else {
        re += '[^/]*';
      }
    } else {
      re += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

function multiMap(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of params) {
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[k] = [prev, v];
  }
  return out;
}

function lowerHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

class BadRequest extends Error {}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === '') return undefined;
  const ct = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (ct === 'application/json' || ct.endsWith('+json')) {
    try {
      return JSON.parse(raw);
    } catch {
      throw new BadRequest('Problems parsing JSON');
    }
  }
  if (ct === 'application/x-www-form-urlencoded') return multiMap(new URLSearchParams(raw));
  return raw;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const FAULT_KINDS = new Set<Fault['kind']>([
  'latency',
  'hang',
  'status',
  'rate_limit',
  'reset',
  'malformed_json',
  'truncated_json',
  'huge_body',
  'redirect',
]);

/** Validate a fault rule received as JSON (admin API); `times` may be "Infinity" or null for Infinity. */
function parseFaultRule(input: unknown): FaultRule {
  if (typeof input !== 'object' || input === null) throw new BadRequest('fault rule must be an object');
  const r = input as { fault?: unknown; match?: unknown; times?: unknown };
  const f = r.fault as { kind?: unknown } | undefined;
  if (typeof f !== 'object' || f === null || !FAULT_KINDS.has(f.kind as Fault['kind'])) {
    throw new BadRequest(`fault.kind must be one of ${[...FAULT_KINDS].join(', ')}`);
  }
  let times: number | undefined;
  if (r.times === 'Infinity' || r.times === null) times = Number.POSITIVE_INFINITY;
  else if (typeof r.times === 'number' && r.times > 0) times = r.times;
  else if (r.times !== undefined) throw new BadRequest('times must be a positive number, "Infinity" or null');
  const rule: FaultRule = { fault: f as Fault };
  if (r.match !== undefined) {
    if (typeof r.match !== 'object' || r.match === null) throw new BadRequest('match must be an object');
    rule.match = r.match as FaultRule['match'];
  }
  if (times !== undefined) rule.times = times;
  return rule;
}

interface ActiveFault {
  fault: Fault;
  method?: string;
  path?: RegExp;
  remaining: number;
}

function headerGet(headers: Record<string, string | string[]> | undefined, name: string): boolean {
  if (!headers) return false;
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

function sendResponse(res: ServerResponse, r: FakeResponse): number {
  const status = r.status ?? 200;
  const headers: Record<string, string | string[]> = { ...r.headers };
  let payload: string | Buffer | Uint8Array | undefined;
  if (r.body === undefined || r.body === null) {
    payload = r.body === null ? 'null' : undefined;
    if (payload !== undefined && !headerGet(headers, 'content-type')) {
      headers['content-type'] = 'application/json; charset=utf-8';
    }
  } else if (typeof r.body === 'string') {
    payload = r.body;
    if (!headerGet(headers, 'content-type')) headers['content-type'] = 'text/plain; charset=utf-8';
  } else if (r.body instanceof Uint8Array) {
    payload = r.body;
    if (!headerGet(headers, 'content-type')) headers['content-type'] = 'application/octet-stream';
  } else {
    payload = JSON.stringify(r.body);
    if (!headerGet(headers, 'content-type')) headers['content-type'] = 'application/json; charset=utf-8';
  }
  if (status === 204 || status === 304) payload = undefined;
  res.writeHead(status, headers);
  res.end(payload);
  return status;
}

/** Serve a huge JSON body of exactly `bytes` bytes without building it in memory. */
function streamHugeBody(res: ServerResponse, bytes: number): void {
  const head = '{"data":"';
  const tail = '"}';
  const total = Math.max(bytes, head.length + tail.length);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(total) });
  let left = total - head.length - tail.length;
  const chunk = Buffer.alloc(64 * 1024, 'x');
  res.write(head);
  const pump = (): void => {
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      left -= n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    res.end(tail);
  };
  res.on('close', () => {
    left = 0;
  });
  pump();
}

export async function startFakeUpstream(opts: StartFakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const host = opts.host ?? '127.0.0.1';
  const routes: Route[] = [];
  const middleware: Middleware[] = [];
  const requests: RecordedRequest[] = [];
  const maxRecorded = Math.max(1, opts.maxRecordedRequests ?? 20_000);
  let faults: ActiveFault[] = [];
  const sockets = new Set<Socket>();
  const closing = new AbortController();
  let baseUrl = '';

  const notFound: Handler =
    opts.notFound ?? ((req) => json(404, { message: 'Not Found', method: req.method, path: req.path }));
  const onError = (err: unknown): FakeResponse => {
    if (opts.onError) {
      try {
        return opts.onError(err);
      } catch (e) {
        err = e;
      }
    }
    return json(500, { message: 'fake upstream error', error: err instanceof Error ? err.message : String(err) });
  };

  function addFault(rule: FaultRule): void {
    const times = rule.times ?? 1;
    if (!(times > 0)) throw new Error('fault rule times must be > 0');
    faults.push({
      fault: rule.fault,
      ...(rule.match?.method ? { method: rule.match.method.toUpperCase() } : {}),
      ...(rule.match?.path ? { path: globToRegExp(rule.match.path) } : {}),
      remaining: times,
    });
  }

  function takeFault(method: string, path: string): Fault | undefined {
    const i = faults.findIndex(
      (f) => (!f.method || f.method === '*' || f.method === method) && (!f.path || f.path.test(path)),
    );
    if (i < 0) return undefined;
    const f = faults[i]!;
    f.remaining -= 1;
    if (f.remaining <= 0) faults.splice(i, 1);
    return f.fault;
  }

  async function dispatch(req: FakeRequest): Promise<FakeResponse> {
    const run = async (i: number): Promise<FakeResponse> => {
      const mw = middleware[i];
      if (mw) return mw(req, () => run(i + 1));
      for (const route of routes) {
        const params = matchRoute(route, req.method, req.path);
        if (params) {
          req.params = params;
          return route.handler(req);
        }
      }
      return notFound(req);
    };
    try {
      return await run(0);
    } catch (err) {
      return onError(err);
    }
  }

  /** Answer admin requests under /__sandbox/; returns false when the path is not an admin path. */
  function admin(method: string, path: string, body: unknown, res: ServerResponse): boolean {
    if (!path.startsWith('/__sandbox/')) return false;
    if (path === '/__sandbox/requests' && method === 'GET') {
      sendResponse(res, json(200, requests));
    } else if (path === '/__sandbox/requests' && method === 'DELETE') {
      requests.length = 0;
      sendResponse(res, { status: 204 });
    } else if (path === '/__sandbox/faults' && method === 'POST') {
      const rules = (Array.isArray(body) ? body : [body]).map(parseFaultRule);
      for (const r of rules) addFault(r);
      sendResponse(res, json(201, { added: rules.length }));
    } else if (path === '/__sandbox/faults' && method === 'DELETE') {
      faults = [];
      sendResponse(res, { status: 204 });
    } else {
      sendResponse(res, json(404, { message: 'unknown sandbox admin endpoint', method, path }));
    }
    return true;
  }

  async function applyFault(
    fault: Fault,
    res: ServerResponse,
    record: RecordedRequest,
  ): Promise<'served' | 'continue'> {
    switch (fault.kind) {
      case 'latency':
        await sleep(fault.ms, undefined, { signal: closing.signal });
        return 'continue';
      case 'hang':
        return 'served';
      case 'status':
        record.status = sendResponse(res, {
          status: fault.status,
          body: fault.body ?? { message: `injected status ${fault.status}` },
          ...(fault.headers ? { headers: fault.headers } : {}),
        });
        return 'served';
      case 'rate_limit': {
        const after = fault.retryAfterSeconds ?? 1;
        record.status = sendResponse(res, {
          status: fault.status ?? 429,
          headers: {
            'retry-after': String(after),
            'x-ratelimit-limit': '5000',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + after),
            ...fault.headers,
          },
          body: fault.body ?? { message: 'API rate limit exceeded' },
        });
        return 'served';
      }
      case 'reset': {
        const s = res.socket;
        if (s && typeof s.resetAndDestroy === 'function') s.resetAndDestroy();
        else s?.destroy();
        return 'served';
      }
      case 'malformed_json':
        record.status = sendResponse(res, {
          status: 200,
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: '{"message": "this is not json',
        });
        return 'served';
      case 'truncated_json': {
        const partial = '{"items": [{"id": 1, "name": "trunc';
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': String(Buffer.byteLength(partial) + 1000),
        });
        record.status = 200;
        res.write(partial, () => res.socket?.destroy());
        return 'served';
      }
      case 'huge_body':
        record.status = 200;
        streamHugeBody(res, fault.bytes);
        return 'served';
      case 'redirect':
        record.status = sendResponse(res, {
          status: fault.status ?? 302,
          headers: { location: fault.location },
          body: { message: 'Moved', url: fault.location },
        });
        return 'served';
    }
  }

  async function handle(inc: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(inc.url ?? '/', baseUrl);
    const method = (inc.method ?? 'GET').toUpperCase();
    const headers = lowerHeaders(inc);
    const rawBody = await readBody(inc);
    let body: unknown;
    let badBody: string | undefined;
    try {
      body = parseBody(rawBody, headers['content-type']);
    } catch (e) {
      badBody = (e as Error).message;
      body = rawBody;
    }
    if (url.pathname.startsWith('/__sandbox/')) {
      try {
        if (badBody) throw new BadRequest(badBody);
        admin(method, url.pathname, body, res);
      } catch (e) {
        sendResponse(res, json(e instanceof BadRequest ? 400 : 500, { message: (e as Error).message }));
      }
      return;
    }
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: multiMap(url.searchParams),
      headers,
      body,
      status: 0,
      at: Date.now(),
    };
    requests.push(record);
    // Dropped in batches, so a long run does not shift the array on every request.
    if (requests.length > maxRecorded + Math.ceil(maxRecorded / 4)) requests.splice(0, requests.length - maxRecorded);
    const req: FakeRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers,
      body,
      rawBody,
      params: {},
      url,
    };
    const fault = takeFault(method, url.pathname);
    if (fault) {
      record.fault = fault.kind;
      if ((await applyFault(fault, res, record)) === 'served') return;
    }
    const out = badBody ? json(400, { message: badBody }) : await dispatch(req);
    if (res.destroyed || res.headersSent) return;
    record.status = sendResponse(res, out);
  }

  const server = createServer((inc, res) => {
    handle(inc, res).catch((err) => {
      if (closing.signal.aborted) return;
      if (!res.headersSent && !res.destroyed) {
        try {
          sendResponse(res, onError(err));
        } catch {
          res.destroy();
        }
      } else {
        res.destroy();
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  baseUrl = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;

  let closed: Promise<void> | undefined;
  return {
    url: baseUrl,
    route(method, pattern, handler) {
      routes.push(compileRoute(method, pattern, handler));
    },
    use(mw) {
      middleware.push(mw);
    },
    requests,
    clearRequests() {
      requests.length = 0;
    },
    addFault,
    clearFaults() {
      faults = [];
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      });
      return closed;
    },
  };
}
