/**
 * The Confluence sandbox: a stateful fake of Confluence Cloud (REST v2 under /wiki/api/v2, plus the v1 endpoints
 * the server uses: CQL search, current user, adding labels) or of Confluence Data Center (REST v1 under
 * /rest/api), on 127.0.0.1. Atlassian's error bodies, cursor pagination through `_links.next` (Cloud) or
 * start/limit (Data Center), and testkit's fault injection (429 + Retry-After, 5xx, resets).
 */
import { type FakeRequest, type FakeUpstream, startFakeUpstream } from '@switchboard-mcp/testkit/upstream';
import { cloudRoutes } from './cloud.ts';
import { datacenterRoutes } from './datacenter.ts';
import { v1Error, v2Error } from './http.ts';
import { seed } from './seed.ts';
import type { SandboxState, SandboxUser } from './state.ts';

export { v1Error, v2Error } from './http.ts';
export type { SandboxState } from './state.ts';

export const SANDBOX_EMAIL = 'alice@example.com';
export const SANDBOX_API_TOKEN = 'sandbox-confluence-api-token';
export const SANDBOX_PAT = 'sandbox-confluence-pat-0000000000000000';

export interface ConfluenceSandboxOptions {
  /** cloud (default): /wiki/api/v2 + /wiki/rest/api. datacenter: /rest/api only, under `contextPath`. */
  deployment?: 'cloud' | 'datacenter';
  /** Data Center context path, e.g. `/confluence`. */
  contextPath?: string;
  port?: number;
  /** Accepted Cloud API token (default SANDBOX_API_TOKEN) and Data Center PAT (default SANDBOX_PAT). */
  apiToken?: string;
  pat?: string;
  /** Cloud through the OAuth 2.0 gateway: serve under /ex/confluence/<cloudId> and accept this bearer token. */
  oauth?: { cloudId: string; token: string };
}

export interface ConfluenceSandbox {
  /** The site URL users configure: `http://127.0.0.1:PORT/wiki` (Cloud) or the Data Center base URL. */
  url: string;
  deployment: 'cloud' | 'datacenter';
  upstream: FakeUpstream;
  state: SandboxState;
  /** Environment for the server: CONFLUENCE_URL plus EMAIL + API_TOKEN (Cloud) or PAT (Data Center). */
  credentials: Record<string, string>;
  close(): Promise<void>;
}

/** Who a request authenticates as: Basic email:token (Cloud) or Bearer PAT. */
function principal(
  req: FakeRequest,
  state: SandboxState,
  opts: Required<Pick<ConfluenceSandboxOptions, 'deployment' | 'apiToken' | 'pat'>> & { oauthToken?: string },
): SandboxUser | undefined {
  const header = req.headers.authorization ?? '';
  if (header.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const email = decoded.slice(0, colon);
    if (opts.deployment === 'cloud' && decoded.slice(colon + 1) === opts.apiToken) {
      return state.users.find((u) => u.email === email);
    }
    return undefined;
  }
  if (header === `Bearer ${opts.pat}` || (opts.oauthToken && header === `Bearer ${opts.oauthToken}`)) {
    return state.users[0];
  }
  return undefined;
}

export async function startConfluenceSandbox(opts: ConfluenceSandboxOptions = {}): Promise<ConfluenceSandbox> {
  const deployment = opts.deployment ?? 'cloud';
  const tokens = {
    deployment,
    apiToken: opts.apiToken ?? SANDBOX_API_TOKEN,
    pat: opts.pat ?? SANDBOX_PAT,
    oauthToken: opts.oauth?.token,
  };
  const state = seed();
  const upstream = await startFakeUpstream({
    port: opts.port,
    notFound: (req) =>
      req.path.includes('/api/v2/')
        ? v2Error(404, 'Not Found', 'NOT_FOUND')
        : v1Error(404, `null for uri: ${req.path}`),
  });
  const prefix = deployment === 'cloud' && opts.oauth ? `/ex/confluence/${opts.oauth.cloudId}` : '';
  const contextPath = deployment === 'cloud' ? '/wiki' : (opts.contextPath ?? '').replace(/\/+$/, '');
  const base = `${upstream.url}${prefix}${contextPath}`;
  const users = new WeakMap<FakeRequest, SandboxUser>();
  upstream.use(async (req, next) => {
    const user = principal(req, state, tokens);
    if (!user) return v1Error(401, 'Client must be authenticated to access this resource.');
    users.set(req, user);
    return next();
  });
  const me = (req: FakeRequest): SandboxUser => users.get(req) ?? (state.users[0] as SandboxUser);
  if (deployment === 'cloud') cloudRoutes(upstream, state, { base, prefix, me });
  else datacenterRoutes(upstream, state, { base, contextPath, me });
  const credentials: Record<string, string> = opts.oauth
    ? { CONFLUENCE_URL: `${upstream.url}${prefix}`, CONFLUENCE_OAUTH_TOKEN: opts.oauth.token }
    : deployment === 'cloud'
      ? { CONFLUENCE_URL: base, CONFLUENCE_EMAIL: SANDBOX_EMAIL, CONFLUENCE_API_TOKEN: tokens.apiToken }
      : { CONFLUENCE_URL: base, CONFLUENCE_PAT: tokens.pat, CONFLUENCE_DEPLOYMENT: 'datacenter' };
  return { url: base, deployment, upstream, state, credentials, close: () => upstream.close() };
}
