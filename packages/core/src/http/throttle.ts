/**
 * Per-credential rate-limit state: what the vendor's headers said about the current window, kept in a
 * store so the next request (from this call or another one) can wait or fail fast instead of being refused.
 * The store is async so a shared one (keyv/Redis) can replace the in-memory default.
 */

export interface RateLimitState {
  /** Requests left in the current window, when the vendor says. */
  remaining?: number;
  /** Epoch ms when the window resets. */
  resetAt?: number;
  /** Epoch ms before which no request may be sent (from Retry-After). */
  blockedUntil?: number;
}

export interface ThrottleStore {
  get(key: string): Promise<RateLimitState | undefined>;
  set(key: string, state: RateLimitState, ttlMs: number): Promise<void>;
  /**
   * A declared quota (at most `limit` requests per sliding `windowMs`): records a request and answers 0 when it
   * may go now, else the milliseconds until a slot frees (nothing recorded). Atomic across everyone sharing
   * the store.
   */
  take(key: string, limit: number, windowMs: number): Promise<number>;
}

/** A small Map with expiry; the oldest entries go first once `maxEntries` is reached. */
export class MemoryThrottleStore implements ThrottleStore {
  readonly #entries = new Map<string, { state: RateLimitState; expiresAt: number }>();
  readonly #maxEntries: number;

  constructor(maxEntries = 10_000) {
    this.#maxEntries = maxEntries;
  }

  async get(key: string): Promise<RateLimitState | undefined> {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.state;
  }

  async set(key: string, state: RateLimitState, ttlMs: number): Promise<void> {
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) this.#evict();
    this.#entries.set(key, { state: { ...state }, expiresAt: Date.now() + Math.max(0, ttlMs) });
  }

  readonly #logs = new Map<string, number[]>();

  async take(key: string, limit: number, windowMs: number): Promise<number> {
    const now = Date.now();
    const log = (this.#logs.get(key) ?? []).filter((t) => t > now - windowMs);
    if (log.length < limit) {
      log.push(now);
      this.#logs.delete(key);
      if (this.#logs.size >= this.#maxEntries) this.#logs.delete(this.#logs.keys().next().value as string);
      this.#logs.set(key, log);
      return 0;
    }
    this.#logs.set(key, log);
    return Math.max(1, log[0]! + windowMs - now);
  }

  #evict(): void {
    const now = Date.now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
    // Still full: drop the oldest insertions (Map iterates in insertion order).
    for (const key of this.#entries.keys()) {
      if (this.#entries.size < this.#maxEntries) break;
      this.#entries.delete(key);
    }
  }
}

/** Process-wide default, so clients built per call for the same credential share one throttle. */
export const defaultThrottleStore: ThrottleStore = new MemoryThrottleStore();

/**
 * Milliseconds until a delay header allows another request: Retry-After as delta seconds or an HTTP date.
 * Undefined when absent or unparseable.
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function numberHeader(headers: Headers, name: string): number | undefined {
  const value = headers.get(name);
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : undefined;
}

/**
 * `x-ratelimit-reset` is epoch seconds at GitHub and most vendors; a few send delta seconds or epoch ms,
 * which the magnitude tells apart (epoch seconds passed 1e9 in 2001).
 */
function resetFromXHeader(value: number, now: number): number {
  if (value > 1e12) return value;
  if (value > 1e9) return value * 1000;
  return now + value * 1000;
}

/**
 * Default reading of rate-limit headers: `x-ratelimit-remaining` + `x-ratelimit-reset` (epoch seconds),
 * the IETF draft `ratelimit-remaining` + `ratelimit-reset` (delta seconds), and `retry-after` on errors.
 */
export function defaultParseRateLimit(status: number, headers: Headers, now = Date.now()): RateLimitState | undefined {
  const state: RateLimitState = {};
  if (status >= 400) {
    const wait = parseRetryAfter(headers.get('retry-after'), now);
    if (wait !== undefined) state.blockedUntil = now + wait;
  }
  const xRemaining = numberHeader(headers, 'x-ratelimit-remaining');
  const xReset = numberHeader(headers, 'x-ratelimit-reset');
  const remaining = xRemaining ?? numberHeader(headers, 'ratelimit-remaining');
  if (remaining !== undefined) state.remaining = remaining;
  if (xReset !== undefined) {
    state.resetAt = resetFromXHeader(xReset, now);
  } else {
    const delta = numberHeader(headers, 'ratelimit-reset');
    if (delta !== undefined) state.resetAt = now + delta * 1000;
  }
  return Object.keys(state).length > 0 ? state : undefined;
}

/** 429, or a 403 that is really a rate limit (GitHub's secondary limits and exhausted primary quota). */
export function defaultIsRateLimited(status: number, headers: Headers): boolean {
  if (status === 429) return true;
  if (status !== 403) return false;
  return headers.has('retry-after') || headers.get('x-ratelimit-remaining')?.trim() === '0';
}

/** How long the state says to hold off before the next request (0: go ahead). */
export function throttleWaitMs(state: RateLimitState | undefined, now = Date.now()): number {
  if (!state) return 0;
  let until = 0;
  if (state.blockedUntil !== undefined && state.blockedUntil > now) until = state.blockedUntil;
  if (state.remaining !== undefined && state.remaining <= 0 && state.resetAt !== undefined && state.resetAt > now) {
    until = Math.max(until, state.resetAt);
  }
  return until > 0 ? until - now : 0;
}

/** Keep a state until the window it describes is over (a minute when it names no time). */
export function stateTtlMs(state: RateLimitState, now = Date.now()): number {
  const until = Math.max(state.blockedUntil ?? 0, state.resetAt ?? 0);
  return until > now ? until - now + 1000 : 60_000;
}
