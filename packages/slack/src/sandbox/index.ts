/**
 * The Slack sandbox: a stateful fake of the Slack Web API on 127.0.0.1 (`<url>/api/<method>`), close enough to
 * slack.com for @slack/web-api. Used by `switchboard-slack --sandbox`, every test and the benchmarks.
 *
 * Around the methods sit Slack's cross-cutting behaviours: bearer or `token` auth (`not_authed`,
 * `invalid_auth`), bot vs user tokens (`not_allowed_token_type`), scopes (`missing_scope` with needed/provided,
 * `x-oauth-scopes` and `x-accepted-oauth-scopes` headers), arguments from the query string, a form body or a
 * JSON body, cursor pagination in response_metadata, and optional per-method tier limits (429 + Retry-After).
 */
import {
  type FakeRequest,
  type FakeResponse,
  type FakeUpstream,
  startFakeUpstream,
} from '@switchboard-mcp/testkit/upstream';
import { TIER_PER_MINUTE, tierOf } from '../tiers.ts';
import { type Args, METHODS, type MethodContext, SlackFailure } from './methods.ts';
import { BOT_USER, seed, TOKEN_USER } from './seed.ts';
import { SandboxState, type SandboxToken } from './state.ts';

export { BOT_USER, TOKEN_USER } from './seed.ts';
export { SandboxState } from './state.ts';

export const BOT_TOKEN = 'xoxb-0000000001-0000000002-sandboxBotToken0000000';
export const USER_TOKEN = 'xoxp-0000000001-0000000003-0000000004-sandboxusertoken000000000000000';

export const BOT_SCOPES = [
  'channels:read',
  'groups:read',
  'im:read',
  'mpim:read',
  'channels:history',
  'groups:history',
  'im:history',
  'mpim:history',
  'chat:write',
  'reactions:write',
  'users:read',
  'users:read.email',
  'pins:read',
  'files:write',
];
export const USER_SCOPES = ['search:read', 'channels:history', 'groups:history', 'users:read'];

export interface SlackSandboxOptions {
  port?: number;
  /** Extra or replacement tokens. Default: BOT_TOKEN (bot, BOT_SCOPES) and USER_TOKEN (user, USER_SCOPES). */
  tokens?: Record<string, { kind: 'bot' | 'user'; scopes?: string[]; user?: string }>;
  /**
   * Per-method limits per token: `true` enforces Slack's documented tiers (requests per minute), a record sets
   * requests per window for named methods. Off by default so `--sandbox` sessions never stall.
   */
  rateLimits?: true | Record<string, number>;
  /** Window for rateLimits in ms (default 60000) and the Retry-After it answers (default: until the window ends). */
  rateLimitWindowMs?: number;
  clock?: () => number;
}

export interface SlackSandbox {
  /** Base URL for SLACK_API_URL (ends with `/api/`). */
  url: string;
  upstream: FakeUpstream;
  state: SandboxState;
  botToken: string;
  userToken: string;
  credentials: { SLACK_BOT_TOKEN: string; SLACK_USER_TOKEN: string; SLACK_API_URL: string };
  /** Requests to Web API methods so far (`auth.test`, …), in order. */
  calls(): string[];
  close(): Promise<void>;
}

function tokenOf(req: FakeRequest, args: Args): string | undefined {
  const auth = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return auth?.[1] ?? (typeof args.token === 'string' ? args.token : undefined);
}

function argsOf(req: FakeRequest): Args {
  const args: Args = Object.fromEntries(req.query.entries());
  if (req.body && typeof req.body === 'object' && !Array.isArray(req.body)) Object.assign(args, req.body);
  return args;
}

function slackJson(body: Record<string, unknown>, headers: Record<string, string> = {}): FakeResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body,
  };
}

export async function startSlackSandbox(opts: SlackSandboxOptions = {}): Promise<SlackSandbox> {
  const clock = opts.clock ?? Date.now;
  const state = new SandboxState(clock);
  seed(state);
  state.tokens.set(BOT_TOKEN, { kind: 'bot', user: BOT_USER, scopes: BOT_SCOPES });
  state.tokens.set(USER_TOKEN, { kind: 'user', user: TOKEN_USER, scopes: USER_SCOPES });
  for (const [token, t] of Object.entries(opts.tokens ?? {})) {
    state.tokens.set(token, {
      kind: t.kind,
      user: t.user ?? (t.kind === 'bot' ? BOT_USER : TOKEN_USER),
      scopes: t.scopes ?? (t.kind === 'bot' ? BOT_SCOPES : USER_SCOPES),
    });
  }
  const upstream = await startFakeUpstream({
    notFound: () => ({ status: 404, headers: { 'content-type': 'text/html' }, body: '<html>Not Found</html>' }),
  });
  const windowMs = opts.rateLimitWindowMs ?? 60_000;
  const windows = new Map<string, { count: number; resetAt: number }>();

  function limitFor(method: string): number | undefined {
    if (!opts.rateLimits) return undefined;
    if (opts.rateLimits === true) return TIER_PER_MINUTE[tierOf(method)];
    return opts.rateLimits[method];
  }

  /** Counts the request; a 429 answer when the method's window for this token is used up. */
  function rateLimited(method: string, token: string, args: Args): FakeResponse | undefined {
    const limit = limitFor(method);
    if (limit === undefined) return undefined;
    // chat.postMessage is limited per channel, everything else per method.
    const key = `${token}\0${method}${method === 'chat.postMessage' ? `\0${String(args.channel)}` : ''}`;
    const now = clock();
    let w = windows.get(key);
    if (!w || now >= w.resetAt) {
      w = { count: 0, resetAt: now + windowMs };
      windows.set(key, w);
    }
    if (w.count >= limit) {
      return {
        status: 429,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'retry-after': String(Math.max(1, Math.ceil((w.resetAt - now) / 1000))),
        },
        body: { ok: false, error: 'ratelimited' },
      };
    }
    w.count++;
    return undefined;
  }

  const handle = (req: FakeRequest): FakeResponse => {
    const name = req.params.method as string;
    const method = METHODS[name];
    if (!method) return slackJson({ ok: false, error: 'unknown_method', req_method: name });
    const args = argsOf(req);
    const tokenValue = tokenOf(req, args);
    if (!tokenValue) return slackJson({ ok: false, error: 'not_authed' });
    const token: SandboxToken | undefined = state.tokens.get(tokenValue);
    if (!token) return slackJson({ ok: false, error: 'invalid_auth' });
    const ctx: MethodContext = { state, token, args, origin: upstream.url };
    const needed = typeof method.scopes === 'function' ? method.scopes(ctx) : (method.scopes ?? []);
    const headers = { 'x-oauth-scopes': token.scopes.join(','), 'x-accepted-oauth-scopes': needed.join(',') };
    const limited = rateLimited(name, tokenValue, args);
    if (limited) return limited;
    if (method.userOnly && token.kind !== 'user')
      return slackJson({ ok: false, error: 'not_allowed_token_type' }, headers);
    if (needed.length && !needed.some((s) => token.scopes.includes(s))) {
      return slackJson(
        { ok: false, error: 'missing_scope', needed: needed.join(','), provided: token.scopes.join(',') },
        headers,
      );
    }
    try {
      return slackJson({ ok: true, ...method.handler(ctx) }, headers);
    } catch (error) {
      if (error instanceof SlackFailure) return slackJson({ ok: false, error: error.message, ...error.extra }, headers);
      throw error;
    }
  };
  upstream.route('POST', '/api/:method', handle);
  upstream.route('GET', '/api/:method', handle);

  // The upload host of the external upload flow (files.slack.com/upload/v1/… on Slack).
  upstream.route('POST', '/__upload/:id', async (req) => {
    const file = state.files.get(req.params.id as string);
    if (!file) return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'not found' };
    let size = Buffer.byteLength(req.rawBody);
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('multipart/form-data')) {
      const form = await new Response(req.rawBody, { headers: { 'content-type': type } }).formData();
      const part = [...form.values()][0];
      size = typeof part === 'string' ? Buffer.byteLength(part) : (part?.size ?? 0);
    }
    file.size = size;
    file.uploaded = true;
    return { status: 200, headers: { 'content-type': 'text/plain' }, body: `OK - ${size}` };
  });

  const url = `${upstream.url}/api/`;
  return {
    url,
    upstream,
    state,
    botToken: BOT_TOKEN,
    userToken: USER_TOKEN,
    credentials: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_USER_TOKEN: USER_TOKEN, SLACK_API_URL: url },
    calls: () => upstream.requests.filter((r) => r.path.startsWith('/api/')).map((r) => r.path.slice(5)),
    close: () => upstream.close(),
  };
}
