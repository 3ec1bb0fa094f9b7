/**
 * The GitHub sandbox: a stateful fake of the GitHub REST API on 127.0.0.1, shaped like api.github.com (or a
 * GHES `/api/v3`) closely enough for @octokit/rest. Used by `switchboard-github --sandbox`, every test of the
 * GitHub server and the benchmarks.
 *
 * Around the routes sit GitHub's cross-cutting behaviours: token auth (401), OAuth scope headers for classic
 * tokens, per-token primary rate limits with x-ratelimit-* headers (403/429 when exhausted), optional
 * secondary rate limits (retry-after), ETags with free 304s, and GitHub's response header noise.
 */
import { createHash } from 'node:crypto';
import {
  type FakeRequest,
  type FakeResponse,
  type FakeUpstream,
  startFakeUpstream,
} from '@switchboard-mcp/testkit/upstream';
import { DOCS, GithubError, mediaTypeHeader, type Principal, parseAccept, Router, tokenFrom } from './http.ts';
import { jobLog } from './logs.ts';
import { actionRoutes, logSignature } from './routes/actions.ts';
import { gitRoutes } from './routes/git.ts';
import { issueRoutes } from './routes/issues.ts';
import { pullRoutes } from './routes/pulls.ts';
import { repoRoutes } from './routes/repos.ts';
import { searchRoutes } from './routes/search.ts';
import { userRoutes } from './routes/users.ts';
import { seed } from './seed.ts';
import { logoPng } from './seed-files.ts';
import { Shaper } from './shape.ts';
import type { SandboxState } from './state.ts';

export type { Principal } from './http.ts';
export type { SandboxState } from './state.ts';

export const DEFAULT_TOKEN = 'ghp_sandbox000000000000000000000000000000';
const DEFAULT_SCOPES = ['repo', 'read:org', 'workflow', 'user'];

export interface RateLimitWindow {
  limit?: number;
  windowMs?: number;
}

export interface GithubSandboxOptions {
  /** Port on 127.0.0.1; default any free port. */
  port?: number;
  /** Serve every route under this prefix, like GHES (`/api/v3`). */
  basePath?: string;
  /**
   * Accepted tokens. Default: one classic token (DEFAULT_TOKEN) for `octocat` with repo, read:org, workflow and
   * user. Classic tokens (anything but `github_pat_`/`ghs_`) without `scopes` get those default scopes; pass
   * `scopes: []` for none. Fine-grained tokens take `permission:read|write` entries (e.g. `issues:write`,
   * `contents:read`); without `scopes` they may do everything.
   */
  tokens?: Record<string, { login?: string; scopes?: string[] }>;
  /**
   * Primary rate limit per token for the `core` resource (default 5000 per hour). `search` (30/min) and
   * `code_search` (10/min) have their own buckets, as on GitHub. `status` is what exhaustion answers (403).
   */
  rateLimit?: RateLimitWindow & { status?: 403 | 429; search?: RateLimitWindow; codeSearch?: RateLimitWindow };
  /** Secondary rate limit: more than `maxPerSecond` requests in one second blocks the token for a while. */
  secondaryRateLimit?: { maxPerSecond: number; status?: 403 | 429; retryAfterSeconds?: number };
  /** Clock for timestamps of writes and rate-limit windows (default Date.now). */
  clock?: () => number;
}

export interface GithubSandbox {
  /** Base URL including basePath: what Octokit's `baseUrl` / GITHUB_API_URL should be. */
  url: string;
  upstream: FakeUpstream;
  /** The live, inspectable data. */
  state: SandboxState;
  /** The default (first) token. */
  token: string;
  credentials: { GITHUB_TOKEN: string; GITHUB_API_URL: string };
  /** Fill every rate-limit bucket again and lift secondary-limit blocks. */
  resetRateLimits(): void;
  close(): Promise<void>;
}

type Resource = 'core' | 'search' | 'code_search';

interface Bucket {
  limit: number;
  windowMs: number;
  used: number;
  resetAt: number;
}

/** Fixed-window counters per token and resource, like GitHub's hourly (or per-minute for search) windows. */
class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly cfg: Record<Resource, Required<RateLimitWindow>>;
  private readonly now: () => number;

  constructor(cfg: Record<Resource, Required<RateLimitWindow>>, now: () => number) {
    this.cfg = cfg;
    this.now = now;
  }

  bucket(token: string, resource: Resource): Bucket {
    const key = `${resource}\0${token}`;
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b || t >= b.resetAt) {
      const { limit, windowMs } = this.cfg[resource];
      b = { limit, windowMs, used: 0, resetAt: t + windowMs };
      this.buckets.set(key, b);
    }
    return b;
  }

  reset(): void {
    this.buckets.clear();
  }

  static headers(b: Bucket, resource: Resource): Record<string, string> {
    return {
      'x-ratelimit-limit': String(b.limit),
      'x-ratelimit-remaining': String(Math.max(0, b.limit - b.used)),
      'x-ratelimit-reset': String(Math.ceil(b.resetAt / 1000)),
      'x-ratelimit-used': String(b.used),
      'x-ratelimit-resource': resource,
    };
  }
}

const NOISE: Record<string, string> = {
  server: 'github.com',
  'x-github-api-version-selected': '2022-11-28',
  'access-control-expose-headers':
    'ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset',
  'access-control-allow-origin': '*',
  'strict-transport-security': 'max-age=31536000; includeSubdomains; preload',
  'x-frame-options': 'deny',
  'x-content-type-options': 'nosniff',
  'x-xss-protection': '0',
  'referrer-policy': 'origin-when-cross-origin, strict-origin-when-cross-origin',
  'content-security-policy': "default-src 'none'",
  vary: 'Accept, Authorization, Cookie, X-GitHub-OTP,Accept-Encoding, Accept, X-Requested-With',
};

function resourceOf(path: string): Resource {
  if (path.startsWith('/search/code')) return 'code_search';
  if (path.startsWith('/search/')) return 'search';
  return 'core';
}

function normaliseBase(basePath: string | undefined): string {
  if (!basePath || basePath === '/') return '';
  return `/${basePath.replace(/^\/+|\/+$/g, '')}`;
}

export async function startGithubSandbox(opts: GithubSandboxOptions = {}): Promise<GithubSandbox> {
  const clock = opts.clock ?? Date.now;
  const basePath = normaliseBase(opts.basePath);
  const state = seed(clock);

  const tokenCfg = opts.tokens ?? { [DEFAULT_TOKEN]: { login: 'octocat', scopes: DEFAULT_SCOPES } };
  const principals = new Map<string, Principal>();
  for (const [token, cfg] of Object.entries(tokenCfg)) {
    const login = cfg.login ?? 'octocat';
    const fine = token.startsWith('github_pat_') || token.startsWith('ghs_');
    if (!state.user(login)) {
      state.addUser({
        login,
        id: state.nextId(),
        type: 'User',
        name: null,
        email: null,
        company: null,
        blog: '',
        location: null,
        bio: null,
        twitter: null,
        hireable: null,
        followers: 0,
        following: 0,
        publicGists: 0,
        createdAt: state.now(),
        updatedAt: state.now(),
      });
    }
    principals.set(token, {
      token,
      login: state.user(login)!.login,
      kind: fine ? 'fine_grained' : 'classic',
      scopes: fine ? cfg.scopes : (cfg.scopes ?? DEFAULT_SCOPES),
    });
  }
  const defaultToken = Object.keys(tokenCfg)[0] ?? DEFAULT_TOKEN;

  const rl = opts.rateLimit ?? {};
  const limiter = new RateLimiter(
    {
      core: { limit: rl.limit ?? 5000, windowMs: rl.windowMs ?? 3_600_000 },
      search: { limit: rl.search?.limit ?? 30, windowMs: rl.search?.windowMs ?? 60_000 },
      code_search: { limit: rl.codeSearch?.limit ?? 10, windowMs: rl.codeSearch?.windowMs ?? 60_000 },
    },
    clock,
  );
  const anonymous = new RateLimiter(
    {
      core: { limit: 60, windowMs: 3_600_000 },
      search: { limit: 10, windowMs: 60_000 },
      code_search: { limit: 10, windowMs: 60_000 },
    },
    clock,
  );
  const secondary = new Map<string, { times: number[]; blockedUntil: number }>();
  const principalOf = new WeakMap<FakeRequest, Principal>();
  let requestCounter = 0;

  const upstream = await startFakeUpstream({
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    notFound: () => new GithubError(404, 'Not Found').response(),
    onError: (err) => ({
      status: 500,
      body: {
        message: 'Server Error',
        documentation_url: DOCS,
        status: '500',
        error: err instanceof Error ? err.message : String(err),
      },
    }),
  });
  const origin = upstream.url;
  const url = origin + basePath;
  const shape = new Shaper(state, { origin, api: url, web: origin });
  const logSecret = createHash('sha256').update(`sandbox-logs ${origin}`).digest('hex');

  const requestId = (): string => {
    requestCounter += 1;
    const h = (n: number, w: number): string => n.toString(16).toUpperCase().padStart(w, '0');
    return `${h(0xc0de, 4)}:${h(requestCounter * 7919, 6)}:${h(requestCounter * 104_729, 7)}:${h(requestCounter * 1_299_709, 7)}:${h(Math.floor(clock() / 1000), 8)}`;
  };

  upstream.use(async (req, next) => {
    if (!req.path.startsWith(`${basePath}/`) || req.path.startsWith('/__')) return next();
    const sub = req.path.slice(basePath.length);
    const rid = requestId();
    const media = parseAccept(req.headers.accept);
    const base: Record<string, string> = {
      ...NOISE,
      'x-github-media-type': mediaTypeHeader(media),
      'x-github-request-id': rid,
      ...(basePath ? { 'x-github-enterprise-version': '3.17.0' } : {}),
    };
    const resource = resourceOf(sub);
    const token = tokenFrom(req.headers);
    const principal = token ? principals.get(token) : undefined;
    if (!principal) {
      const b = anonymous.bucket('anonymous', resource);
      b.used = Math.min(b.limit, b.used + 1);
      const err = token ? new GithubError(401, 'Bad credentials') : new GithubError(401, 'Requires authentication');
      return err.response({ ...base, ...RateLimiter.headers(b, resource) });
    }
    principalOf.set(req, principal);
    if (principal.kind === 'classic') base['x-oauth-scopes'] = [...(principal.scopes ?? [])].sort().join(', ');
    else base['github-authentication-token-expiration'] = '2030-01-01 00:00:00 UTC';

    const bucket = limiter.bucket(principal.token, resource);
    const now = clock();
    const sec = opts.secondaryRateLimit;
    if (sec) {
      let st = secondary.get(principal.token);
      if (!st) {
        st = { times: [], blockedUntil: 0 };
        secondary.set(principal.token, st);
      }
      st.times = st.times.filter((t) => t > now - 1000);
      if (now >= st.blockedUntil && st.times.length >= sec.maxPerSecond) {
        st.blockedUntil = now + (sec.retryAfterSeconds ?? 60) * 1000;
      }
      if (now < st.blockedUntil) {
        const status = sec.status ?? 403;
        return new GithubError(
          status,
          `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${rid}.`,
          {
            docs: 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
          },
        ).response({
          ...base,
          ...RateLimiter.headers(bucket, resource),
          'retry-after': String(Math.max(1, Math.ceil((st.blockedUntil - now) / 1000))),
        });
      }
      st.times.push(now);
    }

    const free = sub === '/rate_limit';
    if (!free && bucket.used >= bucket.limit) {
      const u = state.user(principal.login);
      return new GithubError(
        rl.status ?? 403,
        `API rate limit exceeded for user ID ${u?.id ?? 0}. If you reach out to GitHub Support for help, please include the request ID ${rid} and timestamp ${new Date(
          now,
        )
          .toISOString()
          .replace('T', ' ')
          .replace(/\.\d+Z$/, ' UTC')}.`,
        { docs: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' },
      ).response({ ...base, ...RateLimiter.headers(bucket, resource) });
    }
    if (!free) bucket.used += 1;

    let res: FakeResponse = await next();
    const status = res.status ?? 200;
    const headers: Record<string, string | string[]> = { ...base, ...res.headers };
    if (
      req.method === 'GET' &&
      status === 200 &&
      res.body !== undefined &&
      typeof res.body === 'object' &&
      !(res.body instanceof Uint8Array)
    ) {
      const etag = `W/"${createHash('sha256').update(JSON.stringify(res.body)).digest('hex')}"`;
      headers.etag = etag;
      headers['cache-control'] = 'private, max-age=60, s-maxage=60';
      const inm = req.headers['if-none-match'];
      if (inm?.split(',').some((t) => t.trim() === etag || t.trim() === etag.slice(2))) {
        // Conditional requests answered 304 do not count against the rate limit.
        if (!free) bucket.used -= 1;
        res = { status: 304 };
      }
    }
    return { ...res, headers: { ...headers, ...RateLimiter.headers(bucket, resource) } };
  });

  const router = new Router({ upstream, basePath, state, shape, principalOf: (req) => principalOf.get(req) });
  router.get(
    '/rate_limit',
    { docs: 'https://docs.github.com/rest/rate-limit/rate-limit#get-rate-limit-status-for-the-authenticated-user' },
    (ctx) => {
      const view = (resource: Resource) => {
        const b = limiter.bucket(ctx.principal.token, resource);
        return {
          limit: b.limit,
          used: b.used,
          remaining: Math.max(0, b.limit - b.used),
          reset: Math.ceil(b.resetAt / 1000),
        };
      };
      const fixed = (limit: number) => ({
        limit,
        used: 0,
        remaining: limit,
        reset: Math.ceil((clock() + 3_600_000) / 1000),
      });
      const core = view('core');
      return {
        status: 200,
        body: {
          resources: {
            core,
            search: view('search'),
            code_search: view('code_search'),
            graphql: fixed(5000),
            integration_manifest: fixed(5000),
            source_import: fixed(100),
            dependency_snapshots: fixed(100),
            code_scanning_upload: fixed(1000),
            actions_runner_registration: fixed(10_000),
            scim: fixed(15_000),
            audit_log: fixed(1750),
          },
          rate: core,
        },
      };
    },
  );
  userRoutes(router);
  searchRoutes(router);
  repoRoutes(router);
  gitRoutes(router);
  issueRoutes(router);
  pullRoutes(router);
  actionRoutes(router, logSecret);

  // Off-API endpoints (GitHub serves these from other hosts): job log downloads, raw files, avatars.
  upstream.route('GET', '/__logs/:owner/:repo/:job', (req) => {
    const path = `/__logs/${req.params.owner}/${req.params.repo}/${req.params.job}`;
    if (req.query.get('sig') !== logSignature(logSecret, path)) {
      return { status: 403, body: 'AuthenticationFailed: Server failed to authenticate the request.' };
    }
    const repo = state.repo(req.params.owner!, req.params.repo!);
    for (const run of repo?.runs ?? []) {
      const job = run.jobs.find((j) => String(j.id) === req.params.job);
      const log = job ? jobLog(repo!, run, job) : undefined;
      if (log !== undefined)
        return { status: 200, body: log, headers: { 'content-type': 'text/plain; charset=utf-8' } };
    }
    return { status: 404, body: 'BlobNotFound: The specified blob does not exist.' };
  });

  upstream.route('GET', '/__raw/:owner/:repo/*rest', (req) => {
    const repo = state.repo(req.params.owner!, req.params.repo!);
    const miss: FakeResponse = { status: 404, body: '404: Not Found' };
    if (!repo) return miss;
    if (repo.private) {
      const p = principals.get(tokenFrom(req.headers) ?? req.query.get('token') ?? '');
      if (!p || !state.role(repo, p.login)) return miss;
    }
    // The ref may itself contain slashes (feature/x): take the longest prefix that resolves.
    const parts = (req.params.rest ?? '').split('/');
    for (let i = parts.length - 1; i >= 1; i--) {
      const sha = state.resolveRef(repo, parts.slice(0, i).join('/'));
      if (!sha) continue;
      const entry = repo.git.entryAt(repo.git.commit(sha)!.tree, parts.slice(i).join('/'));
      const blob = entry?.type === 'blob' ? repo.git.blob(entry.sha) : undefined;
      if (blob) return { status: 200, body: blob.data, headers: { 'content-type': 'text/plain; charset=utf-8' } };
    }
    return miss;
  });

  const avatar = logoPng();
  upstream.route('GET', '/__avatars/*rest', () => ({
    status: 200,
    body: avatar,
    headers: { 'content-type': 'image/png' },
  }));

  return {
    url,
    upstream,
    state,
    token: defaultToken,
    credentials: { GITHUB_TOKEN: defaultToken, GITHUB_API_URL: url },
    resetRateLimits() {
      limiter.reset();
      anonymous.reset();
      secondary.clear();
    },
    close: () => upstream.close(),
  };
}
