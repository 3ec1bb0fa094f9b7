/**
 * Request plumbing for the sandbox's routes: GitHub-shaped errors, media types, the per-request context
 * (principal, repository, paging) and a router that registers routes on the fake upstream with the
 * repository visibility and token-permission checks GitHub applies.
 */
import type { FakeRequest, FakeResponse, FakeUpstream } from '@switchboard-mcp/testkit/upstream';
import { linkHeader, pageParams } from '@switchboard-mcp/testkit/upstream';
import type { Shaper } from './shape.ts';
import { type RepoRecord, type Role, roleAtLeast, type SandboxState } from './state.ts';

export const DOCS = 'https://docs.github.com/rest';

export interface ValidationErrorItem {
  resource: string;
  field?: string;
  code: 'missing' | 'missing_field' | 'invalid' | 'already_exists' | 'unprocessable' | 'custom';
  message?: string;
  value?: unknown;
}

/** An error answered the way GitHub answers: `{ message, documentation_url, status }` (+ `errors`). */
export class GithubError extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    message: string,
    opts: { docs?: string; errors?: ValidationErrorItem[] | string[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = status;
    this.headers = opts.headers ?? {};
    this.body = {
      message,
      ...(opts.errors ? { errors: opts.errors } : {}),
      documentation_url: opts.docs ?? DOCS,
      status: String(status),
    };
  }

  response(extraHeaders: Record<string, string> = {}): FakeResponse {
    return { status: this.status, body: this.body, headers: { ...extraHeaders, ...this.headers } };
  }
}

export const notFound = (docs?: string): GithubError => new GithubError(404, 'Not Found', docs ? { docs } : {});

export function validationFailed(
  errors: ValidationErrorItem[],
  docs?: string,
  message = 'Validation Failed',
): GithubError {
  return new GithubError(422, message, { errors, ...(docs ? { docs } : {}) });
}

/** What the Accept header asked for: `application/vnd.github[.v3][.param][+json]`, text-match for search. */
export interface MediaType {
  param: 'json' | 'raw' | 'diff' | 'patch' | 'sha' | 'html' | 'text' | 'full' | 'object';
  textMatch: boolean;
}

export function parseAccept(accept: string | undefined): MediaType {
  const a = (accept ?? '').toLowerCase();
  const textMatch = a.includes('text-match');
  const m = /application\/vnd\.github(?:\.v3)?\.(raw|diff|patch|sha|html|text|full|object)\b/.exec(a);
  return { param: (m?.[1] as MediaType['param']) ?? 'json', textMatch };
}

export function mediaTypeHeader(m: MediaType): string {
  if (m.param === 'json') return 'github.v3; format=json';
  return `github.v3; param=${m.param}; format=json`;
}

/** Who is calling: resolved from the token by the auth middleware. */
export interface Principal {
  token: string;
  login: string;
  /** Classic tokens (ghp_, gho_) carry OAuth scopes; fine-grained ones (github_pat_) carry permissions. */
  kind: 'classic' | 'fine_grained';
  /** Classic: OAuth scopes. Fine-grained: `permission:read|write` entries; undefined = everything. */
  scopes: string[] | undefined;
}

/** Fine-grained permission areas (the token side of access checks). */
export type Permission = 'contents' | 'issues' | 'pull_requests' | 'actions' | 'metadata';

export interface RouteOptions {
  /** X-Accepted-OAuth-Scopes for this route; default 'repo' for /repos routes, '' otherwise. */
  scopes?: string;
  /** Fine-grained permission the route needs (repository routes). Default 'metadata'. */
  permission?: Permission;
  /** Changes state: needs write scope/permission. */
  write?: boolean;
  /** documentation_url used for this route's errors. */
  docs?: string;
}

export type RouteHandler = (ctx: Ctx) => FakeResponse | Promise<FakeResponse>;

/** Everything a route handler needs about one request. */
export class Ctx {
  readonly req: FakeRequest;
  readonly s: SandboxState;
  readonly shape: Shaper;
  readonly principal: Principal;
  readonly media: MediaType;
  readonly docs: string | undefined;
  private repoRecord: RepoRecord | undefined;

  constructor(req: FakeRequest, s: SandboxState, shape: Shaper, principal: Principal, docs: string | undefined) {
    this.req = req;
    this.s = s;
    this.shape = shape;
    this.principal = principal;
    this.media = parseAccept(req.headers.accept);
    this.docs = docs;
  }

  get login(): string {
    return this.principal.login;
  }

  get repo(): RepoRecord {
    if (!this.repoRecord) throw new Error('route has no repository');
    return this.repoRecord;
  }

  setRepo(r: RepoRecord): void {
    this.repoRecord = r;
  }

  get query(): URLSearchParams {
    return this.req.query;
  }

  param(name: string): string {
    return this.req.params[name] ?? '';
  }

  /** A positive integer path parameter, or 404 like GitHub for non-numbers. */
  int(name: string): number {
    const v = this.param(name);
    if (!/^\d+$/.test(v)) throw this.notFound();
    return Number(v);
  }

  /** The JSON body as an object (GitHub answers 400 for a non-object body). */
  get body(): Record<string, unknown> {
    const b = this.req.body;
    if (b === undefined || b === null || b === '') return {};
    if (typeof b !== 'object' || Array.isArray(b)) {
      throw new GithubError(400, 'Problems parsing JSON', { docs: this.docs });
    }
    return b as Record<string, unknown>;
  }

  notFound(): GithubError {
    return notFound(this.docs);
  }

  error(status: number, message: string, errors?: ValidationErrorItem[] | string[]): GithubError {
    return new GithubError(status, message, {
      ...(this.docs ? { docs: this.docs } : {}),
      ...(errors ? { errors } : {}),
    });
  }

  invalid(errors: ValidationErrorItem[], message?: string): GithubError {
    return validationFailed(errors, this.docs, message);
  }

  /** The caller's role on the route's repository. */
  get role(): Role | undefined {
    return this.s.role(this.repo, this.login);
  }

  /** Require a role on the repository: 404 when the caller cannot see it, else 403. */
  requireRole(needed: Role, message = 'Must have push access to repository'): void {
    const role = this.role;
    if (!role) throw this.notFound();
    if (!roleAtLeast(role, needed)) throw this.error(403, message);
  }

  page(): { page: number; perPage: number } {
    return pageParams(this.req.query, { perPage: 30, maxPerPage: 100 });
  }

  /** One page of `items` as a JSON array with GitHub's Link header. */
  list<T>(items: T[], map: (item: T) => unknown): FakeResponse {
    const { page, perPage } = this.page();
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const link = linkHeader(this.req.url, page, perPage, items.length);
    return { status: 200, body: slice.map(map), ...(link ? { headers: { link } } : {}) };
  }

  /** One page wrapped as `{ total_count, [key]: [...] }` (Actions and search style). */
  wrappedList<T>(
    key: string,
    items: T[],
    map: (item: T) => unknown,
    extra: Record<string, unknown> = {},
  ): FakeResponse {
    const { page, perPage } = this.page();
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const link = linkHeader(this.req.url, page, perPage, items.length);
    return {
      status: 200,
      body: { total_count: items.length, ...extra, [key]: slice.map(map) },
      ...(link ? { headers: { link } } : {}),
    };
  }
}

/** `Authorization: token X` or `Bearer X`. */
export function tokenFrom(headers: Record<string, string>): string | undefined {
  const h = headers.authorization;
  if (!h) return undefined;
  const m = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}

export interface RouterDeps {
  upstream: FakeUpstream;
  basePath: string;
  state: SandboxState;
  shape: Shaper;
  principalOf: (req: FakeRequest) => Principal | undefined;
}

const hasScope = (p: Principal, scope: string): boolean => p.scopes?.includes(scope) ?? false;

/** Fine-grained permission check: `issues:write` implies `issues:read`; no list means all permissions. */
function finePermits(p: Principal, perm: Permission, write: boolean): boolean {
  if (p.scopes === undefined || perm === 'metadata') return true;
  return p.scopes.includes(`${perm}:write`) || (!write && p.scopes.includes(`${perm}:read`));
}

export class Router {
  private readonly d: RouterDeps;

  constructor(deps: RouterDeps) {
    this.d = deps;
  }

  get(path: string, opts: RouteOptions, h: RouteHandler): void {
    this.add('GET', path, opts, h);
  }
  post(path: string, opts: RouteOptions, h: RouteHandler): void {
    this.add('POST', path, { write: true, ...opts }, h);
  }
  put(path: string, opts: RouteOptions, h: RouteHandler): void {
    this.add('PUT', path, { write: true, ...opts }, h);
  }
  patch(path: string, opts: RouteOptions, h: RouteHandler): void {
    this.add('PATCH', path, { write: true, ...opts }, h);
  }
  delete(path: string, opts: RouteOptions, h: RouteHandler): void {
    this.add('DELETE', path, { write: true, ...opts }, h);
  }

  add(method: string, path: string, opts: RouteOptions, handler: RouteHandler): void {
    const { upstream, basePath, state, shape, principalOf } = this.d;
    const repoRoute = path.startsWith('/repos/:owner/:repo') || path.startsWith('/repositories/:id');
    const scopes = opts.scopes ?? (repoRoute ? 'repo' : '');
    const permission = opts.permission ?? 'metadata';
    upstream.route(method, basePath + path, async (req) => {
      const principal = principalOf(req);
      if (!principal) return new GithubError(401, 'Requires authentication').response();
      const headers: Record<string, string> = {};
      if (principal.kind === 'classic') headers['x-accepted-oauth-scopes'] = scopes;
      else headers['x-accepted-github-permissions'] = `${permission}=${opts.write ? 'write' : 'read'}`;
      const ctx = new Ctx(req, state, shape, principal, opts.docs);
      try {
        if (repoRoute) this.authorizeRepo(ctx, permission, opts.write ?? false);
        const res = await handler(ctx);
        return { ...res, headers: { ...headers, ...res.headers } };
      } catch (err) {
        if (err instanceof GithubError) return err.response(headers);
        throw err;
      }
    });
  }

  /**
   * GitHub's repository access rules: a repository the caller cannot see is a 404 (never a 403, so private
   * names do not leak); a classic token needs `repo` for private repositories and `repo` or `public_repo` to
   * write (else 404 too); a fine-grained token without the permission gets 403 "Resource not accessible".
   */
  private authorizeRepo(ctx: Ctx, permission: Permission, write: boolean): void {
    const byId = ctx.req.params.id;
    const r =
      byId !== undefined
        ? [...ctx.s.repos.values()].find((x) => String(x.id) === byId)
        : ctx.s.repo(ctx.param('owner'), ctx.param('repo'));
    if (!r) throw ctx.notFound();
    const p = ctx.principal;
    const role = ctx.s.role(r, p.login);
    if (!role) throw ctx.notFound();
    if (p.kind === 'classic') {
      if (r.private && !hasScope(p, 'repo')) throw ctx.notFound();
      if (write && !hasScope(p, 'repo') && !hasScope(p, 'public_repo')) throw ctx.notFound();
    } else if (!finePermits(p, permission, write)) {
      throw ctx.error(403, 'Resource not accessible by personal access token');
    }
    ctx.setRepo(r);
  }
}
