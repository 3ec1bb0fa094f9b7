/**
 * Slack meters the Web API per method, per workspace and app, in tiers (Tier 1: ~1/min … Tier 4: ~100+/min;
 * chat.postMessage ~1/s per channel). A 429 names a Retry-After for that method only, so core's throttle keeps
 * one window per method: a storm on conversations.history holds back history calls, not posting.
 */
import type { RateLimitState } from '@switchboard-mcp/core';

export type Tier = 1 | 2 | 3 | 4 | 'special';

/** Tiers of the methods this server calls (docs.slack.dev/reference/methods). Unlisted methods count as Tier 3. */
export const METHOD_TIERS: Record<string, Tier> = {
  'auth.test': 'special',
  'conversations.list': 2,
  'conversations.info': 3,
  'conversations.history': 3,
  'conversations.replies': 3,
  'search.messages': 2,
  'chat.postMessage': 'special',
  'chat.update': 3,
  'chat.delete': 3,
  'chat.scheduleMessage': 3,
  'chat.getPermalink': 'special',
  'reactions.add': 3,
  'reactions.remove': 2,
  'users.list': 2,
  'users.info': 4,
  'users.lookupByEmail': 3,
  'pins.list': 2,
  'files.getUploadURLExternal': 4,
  'files.completeUploadExternal': 4,
};

/** Requests per minute Slack documents for each tier (chat.postMessage: per channel). */
export const TIER_PER_MINUTE: Record<Tier, number> = { 1: 1, 2: 20, 3: 50, 4: 100, special: 60 };

export function tierOf(method: string): Tier {
  return METHOD_TIERS[method] ?? 3;
}

/** The Web API method a request URL names (`…/api/conversations.history`), or undefined (file upload hosts). */
export function methodOf(url: URL): string | undefined {
  const last = url.pathname.split('/').pop() ?? '';
  return /^[a-z]+(?:\.[a-zA-Z]+)+$/.test(last) ? last : undefined;
}

/** Core throttle bucket: one per method (the credential key makes it per token set). */
export function rateLimitBucket(url: URL): string {
  const method = methodOf(url);
  if (!method) return 'file-upload';
  const tier = tierOf(method);
  return `${method} (${tier === 'special' ? 'special tier' : `tier ${tier}`})`;
}

function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value || !/^\d+(\.\d+)?$/.test(value)) return undefined;
  return Math.ceil(Number(value) * 1000);
}

/**
 * Slack's 429 carries Retry-After for the method's window. Reported as an exhausted window (not a block of the
 * whole credential) so core keeps it in the method's bucket; other methods go on.
 */
export function parseRateLimit(status: number, headers: Headers, now = Date.now()): RateLimitState | undefined {
  if (status !== 429) return undefined;
  const wait = retryAfterMs(headers) ?? 60_000;
  return { remaining: 0, resetAt: now + wait };
}

/**
 * Slack's documented per-minute allowance for the method, paced before Slack has to refuse (per credential set;
 * chat.postMessage's per-channel limit is applied per method, which is stricter).
 */
export function quota(url: URL): { name: string; limit: number; windowMs: number } | undefined {
  const method = methodOf(url);
  if (!method) return undefined;
  return { name: rateLimitBucket(url), limit: TIER_PER_MINUTE[tierOf(method)], windowMs: 60_000 };
}

export function isRateLimited(status: number): boolean {
  return status === 429;
}

/** Methods that only read: Slack accepts them as GET with the arguments in the query string. */
export const READ_METHODS = new Set([
  'auth.test',
  'conversations.list',
  'conversations.info',
  'conversations.history',
  'conversations.replies',
  'users.conversations',
  'users.list',
  'users.info',
  'users.lookupByEmail',
  'pins.list',
  'search.messages',
  'chat.getPermalink',
]);

/**
 * The SDK POSTs every method. Reads go out as GET instead (as Slack's API description lists them), so core may
 * repeat them after a 5xx or a dropped connection; it never repeats a POST, which might have posted twice.
 */
export function readsAsGet(fetch: typeof globalThis.fetch): typeof globalThis.fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = methodOf(url);
    if (
      init?.method?.toUpperCase() !== 'POST' ||
      typeof init.body !== 'string' ||
      !headers.get('content-type')?.startsWith('application/x-www-form-urlencoded') ||
      !method ||
      !READ_METHODS.has(method)
    ) {
      return fetch(input, init);
    }
    for (const [key, value] of new URLSearchParams(init.body)) url.searchParams.append(key, value);
    headers.delete('content-type');
    const { body: _body, ...rest } = init;
    return fetch(url, { ...rest, method: 'GET', headers });
  };
}
