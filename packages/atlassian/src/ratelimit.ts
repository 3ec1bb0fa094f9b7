/**
 * Atlassian's rate-limit headers for core's throttle. Jira and Confluence Cloud answer 429 with `Retry-After`
 * (seconds) and send `X-RateLimit-Remaining` with an `X-RateLimit-Reset` that is an ISO 8601 timestamp, not the
 * epoch seconds core's default parser expects; without this the throttle would know a window is exhausted but
 * not when it reopens.
 */
import type { RateLimitState } from '@switchboard-mcp/core';

function retryAfterMs(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** For a server definition's `http.parseRateLimit`. */
export function parseAtlassianRateLimit(
  status: number,
  headers: Headers,
  now = Date.now(),
): RateLimitState | undefined {
  const state: RateLimitState = {};
  if (status === 429 || status === 503) {
    const wait = retryAfterMs(headers.get('retry-after'), now);
    if (wait !== undefined) state.blockedUntil = now + wait;
  }
  const remaining = Number(headers.get('x-ratelimit-remaining') ?? Number.NaN);
  if (Number.isFinite(remaining)) state.remaining = remaining;
  const reset = headers.get('x-ratelimit-reset');
  if (reset) {
    const asNumber = Number(reset);
    const at = Number.isFinite(asNumber) ? (asNumber > 1e12 ? asNumber : asNumber * 1000) : Date.parse(reset);
    if (Number.isFinite(at)) state.resetAt = at;
  }
  return Object.keys(state).length ? state : undefined;
}
