/**
 * Streamable HTTP transport: stateless (any replica can serve any request), bound to 127.0.0.1 by default.
 * Routes: /mcp (also /mcp/readonly and /mcp/x/<toolset>[/readonly] for per-request narrowing), /healthz (the
 * process), /readyz (store and credentials reachable), /metrics (Prometheus), and the RFC 9728 protected-resource
 * metadata when OAuth is on. Every MCP request passes Host and Origin allow-lists (DNS-rebinding protection),
 * client authentication, tenant resolution, then the tenant's runtime. The SDK's createMcpHandler serves both
 * protocol eras (2026-07-28 per-request, 2025-era stateless fallback). Shutdown drains calls in flight.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type Server as HttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostHeaderValidation, originValidation, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { type Authenticator, createAuthenticator } from '../gateway/auth.ts';
import type { Metrics } from '../gateway/metrics.ts';
import { TenantRefusal } from '../gateway/tenants.ts';
import { narrowingFromRequest } from '../narrowing.ts';
import type { ServerRuntime } from '../runtime.ts';
import { defaultCaller } from '../runtime.ts';

/** Where the runtime for a tenant comes from (one runtime for every caller, or a TenantDirectory). */
export interface RuntimeSource {
  runtimeFor(tenant: string): Promise<ServerRuntime>;
  /** Whether a tenant accepts the caller's own upstream token (X-Upstream-Token). */
  allowsOwnToken?(tenant: string): boolean;
  /** Every caller uses the mount's own runtime (single tenant): warm it up after start. */
  shared?: boolean;
}

export interface HttpOptions {
  host?: string;
  port?: number;
  /** Extra allowed Host header names (besides localhost names when bound to loopback). */
  allowedHosts?: string[];
  /** Allowed Origin hostnames; requests without Origin (non-browser clients) pass. */
  allowedOrigins?: string[];
  /** Largest accepted request body in bytes. */
  maxBodyBytes?: number;
  /** Client authentication; default none (loopback only). */
  auth?: Authenticator;
  /** Per-tenant runtimes; default: the given runtime serves every caller. */
  runtimes?: RuntimeSource;
  metrics?: Metrics;
  /** Bearer token /metrics requires when not on loopback (without one, /metrics is only served on loopback). */
  metricsToken?: string;
  /** Readiness checks: name → a promise that rejects when not ready. */
  readiness?: Record<string, () => Promise<unknown>>;
  /** How long shutdown waits for calls in flight. Default 25 s. */
  drainMs?: number;
  /** Slow clients: request headers must arrive within this (default 30 s) and the whole request within 5 min. */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/** One server's MCP endpoint on a shared port: `/mcp` for a lone server, `/<name>/mcp` under `switchboard serve`. */
export interface Mount {
  path: string;
  runtime: ServerRuntime;
  /** Per-tenant runtimes for this server; default: `runtime` serves every caller. */
  runtimes?: RuntimeSource;
}

export interface HttpHandle {
  url: string;
  server: HttpServer;
  close(): Promise<void>;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const MCP_PATH = '/mcp';
const PRM_PATH = '/.well-known/oauth-protected-resource';

/** A configuration that must not be served (the CLI reports it and exits). */
export class HttpSetupError extends Error {
  override name = 'HttpSetupError';
}

/** 127.0.0.0/8, ::1, IPv4-mapped loopback and localhost. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(h);
}

/** Constant-time comparison of a presented bearer secret with the expected one. */
function sameSecret(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const digest = (v: string) => createHash('sha256').update(v, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

function webHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

async function sendResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers).end(await response.text());
}

export async function startHttp(target: ServerRuntime | Mount[], opts: HttpOptions = {}): Promise<HttpHandle> {
  const mounts: Mount[] = Array.isArray(target)
    ? target
    : [{ path: MCP_PATH, runtime: target, runtimes: opts.runtimes }];
  if (!mounts.length) throw new HttpSetupError('nothing to serve: no server mounted');
  const runtime = mounts[0]!.runtime;
  const host = opts.host ?? '127.0.0.1';
  const loopback = isLoopback(host);
  if (!loopback && !opts.allowedHosts?.length) {
    // Without a Host allow-list a server reachable from other machines is open to DNS rebinding; never serve so.
    throw new HttpSetupError(
      `binding to ${host} makes the server reachable from other machines: list the host names clients use with --allowed-hosts (or SWITCHBOARD_ALLOWED_HOSTS), e.g. --allowed-hosts mcp.internal.example`,
    );
  }
  const auth = opts.auth ?? createAuthenticator({ mode: 'none' });
  if (!loopback && auth.mode === 'none') {
    throw new HttpSetupError(
      `binding to ${host} without client authentication would let anyone on the network use this server's credentials: configure auth (oauth or api-keys) in a deployment file with --config (see docs/deployment.md), or bind to 127.0.0.1`,
    );
  }
  const bound = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const allowedHosts = [...(loopback ? [...LOOPBACK_NAMES, bound] : []), ...(opts.allowedHosts ?? [])];
  // Browsers send Origin; by default only pages on the allowed hosts themselves may call.
  // (The CLI passes an empty list when --allowed-origins is not given: empty means "default" too.)
  const allowedOrigins = [
    ...(loopback ? LOOPBACK_NAMES : []),
    ...(opts.allowedOrigins?.length ? opts.allowedOrigins : (opts.allowedHosts ?? [])),
  ];
  const maxRequestBodySize = opts.maxBodyBytes ?? 1024 * 1024;
  const onerror = (error: Error) =>
    runtime.log.debug({ err: runtime.redactor.redact(String(error)) }, 'mcp http error');
  const metrics = opts.metrics;
  const serverNames = mounts.map((m) => m.runtime.def.name);

  // One SDK handler per tenant runtime, built on first use.
  const handlers = new Map<ServerRuntime, { node: ReturnType<typeof toNodeHandler>; close: () => Promise<void> }>();
  const handlerFor = (rt: ServerRuntime) => {
    let entry = handlers.get(rt);
    if (!entry) {
      const handler = createMcpHandler(
        (ctx) =>
          rt.createMcpServer(ctx, (serverCtx, server) => {
            const caller = defaultCaller(serverCtx, server);
            return serverCtx.http?.authInfo ? caller : { ...caller, principal: 'http:anonymous' };
          }),
        { legacy: 'stateless', onerror, maxRequestBodySize },
      );
      entry = { node: toNodeHandler(handler, { onerror, maxRequestBodySize }), close: () => handler.close() };
      handlers.set(rt, entry);
    }
    return entry;
  };
  const checkHost = hostHeaderValidation(allowedHosts);
  const checkOrigin = originValidation(allowedOrigins);
  let inFlight = 0;
  let draining = false;
  let drained: (() => void) | undefined;

  const serveMcp = async (req: IncomingMessage, res: ServerResponse, mount: Mount, subPath: string) => {
    const source: RuntimeSource = mount.runtimes ?? { runtimeFor: async () => mount.runtime };
    const serverName = mount.runtime.def.name;
    if (draining) {
      json(res, 503, { error: 'the server is shutting down; retry on another replica' }, { 'retry-after': '1' });
      return;
    }
    const headers = webHeaders(req);
    const request = new Request(`http://${headers.get('host') ?? 'localhost'}${req.url ?? '/'}`, {
      method: req.method,
      headers,
    });
    const authed = await auth.authenticate(request);
    if (!authed.ok) {
      metrics?.authFailures.inc({ reason: String(authed.response.status) });
      await sendResponse(res, authed.response);
      return;
    }
    const { who } = authed;
    let narrowing: ReturnType<typeof narrowingFromRequest>;
    try {
      narrowing = narrowingFromRequest(headers, subPath);
    } catch (error) {
      json(res, 404, { error: (error as Error).message });
      return;
    }
    let rt: ServerRuntime;
    try {
      rt = await source.runtimeFor(who.tenant);
    } catch (error) {
      if (error instanceof TenantRefusal) {
        metrics?.authFailures.inc({ reason: 'tenant' });
        json(res, 403, { error: error.message });
        return;
      }
      throw error;
    }
    const upstreamToken = headers.get('x-upstream-token') ?? undefined;
    if (upstreamToken !== undefined && !source.allowsOwnToken?.(who.tenant)) {
      json(res, 400, {
        error: `this server does not accept the caller's own upstream token (X-Upstream-Token) for tenant "${who.tenant}"; remove the header or ask the operator to allow it (byoToken)`,
      });
      return;
    }
    const combined = who.narrowing ? who.narrowing.and(narrowing) : narrowing;
    const session = legacySession(req, headers);
    if (session) res.setHeader('mcp-session-id', session);
    (req as IncomingMessage & { auth?: unknown }).auth = {
      token: '',
      clientId: who.principal,
      scopes: who.scopes,
      expiresAt: who.expiresAt,
      extra: { principal: who.principal, tenant: who.tenant, narrowing: combined, upstreamToken, session },
    };
    inFlight++;
    metrics?.inFlight.inc({ server: serverName });
    try {
      await handlerFor(rt).node(req, res);
    } finally {
      inFlight--;
      metrics?.inFlight.dec({ server: serverName });
      if (draining && inFlight === 0) drained?.();
    }
  };

  const headersTimeoutMs = opts.headersTimeoutMs ?? 30_000;
  // Node checks these timeouts on an interval: check often enough for the shortest of them.
  const server = createServer(
    { connectionsCheckingInterval: Math.min(30_000, Math.max(250, headersTimeoutMs / 4)) },
    async (req: IncomingMessage, res: ServerResponse) => {
      const path = (req.url ?? '/').split('?')[0]!;
      try {
        if (path === '/healthz') {
          json(res, 200, {
            status: draining ? 'draining' : 'ok',
            ...(mounts.length === 1 ? { server: serverNames[0] } : { servers: serverNames }),
          });
          return;
        }
        if (path === '/readyz') {
          const checks: Record<string, string> = {};
          await Promise.all(
            Object.entries(opts.readiness ?? {}).map(async ([name, check]) => {
              checks[name] = await check().then(
                () => 'ok',
                (error) => {
                  const why = runtime.redactor.redact(String((error as Error)?.message ?? error)).slice(0, 300);
                  // Off loopback anyone who reaches the port may ask: the reason (it can name tenants and
                  // credential slots) goes to the log, the answer says only which check failed.
                  if (loopback) return why;
                  runtime.log.warn({ check: name, err: why }, 'not ready');
                  return 'failed';
                },
              );
            }),
          );
          const ready = !draining && Object.values(checks).every((c) => c === 'ok');
          json(res, ready ? 200 : 503, { status: ready ? 'ready' : draining ? 'draining' : 'not ready', checks });
          return;
        }
        if (path === '/metrics' && metrics) {
          const token = req.headers.authorization?.replace(/^Bearer\s+/i, '');
          // Without a token, only loopback clients may read metrics: a web page that rebinds its name to
          // 127.0.0.1 must not (the Host check). With a token, scrapers name the target by IP, so no Host check.
          if (!opts.metricsToken && !checkHost(req, res)) return;
          if (opts.metricsToken ? !sameSecret(token, opts.metricsToken) : !loopback) {
            json(res, opts.metricsToken ? 401 : 404, {
              error: opts.metricsToken
                ? 'metrics need the metrics bearer token'
                : 'metrics are served off loopback only with SWITCHBOARD_METRICS_TOKEN set',
            });
            return;
          }
          res.writeHead(200, { 'content-type': metrics.contentType }).end(await metrics.text());
          return;
        }
        // RFC 9728 puts the document at the well-known path plus the resource's path: the audience's path, which
        // under `serve` need not be any one mount's path. Every suffix gets the same (public) document.
        if ((path === PRM_PATH || path.startsWith(`${PRM_PATH}/`)) && auth.protectedResourceMetadata) {
          if (!checkHost(req, res)) return;
          const headers = webHeaders(req);
          const request = new Request(`http://${headers.get('host') ?? 'localhost'}${req.url}`, { headers });
          json(res, 200, auth.protectedResourceMetadata(request), { 'access-control-allow-origin': '*' });
          return;
        }
        const mount = mounts.find((m) => path === m.path || path.startsWith(`${m.path}/`));
        if (!mount) {
          json(res, 404, { error: `not found; MCP endpoints: ${mounts.map((m) => m.path).join(', ')}` });
          return;
        }
        if (!checkHost(req, res)) return;
        if (!checkOrigin(req, res)) return;
        await serveMcp(req, res, mount, path.slice(mount.path.length));
      } catch (error) {
        onerror(error as Error);
        if (!res.headersSent) json(res, 500, { error: 'internal error' });
        else res.end();
      }
    },
  );
  // Slow clients: headers within 30 s, a whole request within 5 min. Idle keep-alive connections stay open
  // longer than clients' and load balancers' pools (60 s is common), so a client never sends on a socket the
  // server is closing at that moment.
  server.requestTimeout = opts.requestTimeoutMs ?? 5 * 60_000;
  server.headersTimeout = headersTimeoutMs;
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}${mounts.length === 1 ? mounts[0]!.path : ''}`;
  for (const m of mounts) {
    if (!m.runtimes || m.runtimes.shared)
      m.runtime.warmUp({ principal: 'http:anonymous', tenant: 'default', canElicit: false });
  }
  return {
    url,
    server,
    close: async () => {
      draining = true;
      // Stop accepting connections; requests already in flight finish (bounded by drainMs).
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => {
            drained = resolve;
          }),
          new Promise((resolve) => setTimeout(resolve, opts.drainMs ?? 25_000).unref()),
        ]);
      }
      for (const entry of handlers.values()) await entry.close().catch(() => {});
      server.closeAllConnections();
      await closed;
    },
  };
}

const SESSION_ID = /^sb-[0-9a-f]{32}$/;

/**
 * 2025-era clients get a session id: Switchboard serves them statelessly (any replica answers any request), so
 * the id holds no server state; it ties a client's requests together in the audit trail and lets clients that
 * expect a session (several concurrent POST streams on one session) work. The client's id is echoed when it is
 * one of ours, otherwise (the initialize request) a new one is issued. 2026-07-28 requests have no sessions.
 */
function legacySession(req: IncomingMessage, headers: Headers): string | undefined {
  if (req.method !== 'POST') return undefined;
  const version = headers.get('mcp-protocol-version');
  if (version && version >= '2026') return undefined;
  const given = headers.get('mcp-session-id');
  if (given && SESSION_ID.test(given)) return given;
  return `sb-${randomUUID().replace(/-/g, '')}`;
}
