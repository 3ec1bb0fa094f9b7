/** What may be retried, and how long to wait in between. */

/** Methods that only read: repeating them is always harmless. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** Methods that can be sent twice without a second effect, as HTTP defines them. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set([...SAFE_METHODS, 'PUT', 'DELETE']);

/**
 * Whether a request that may have reached the server can be sent again. Safe methods always can. PUT and
 * DELETE are idempotent in HTTP terms, but vendors attach preconditions to them (GitHub's file update needs
 * the current sha, a merge needs an open pull request), so a repeat after a lost answer reports a bogus
 * conflict: they are repeated only when the tool making them is declared idempotent (`callIdempotent`,
 * true outside a tool call). Any request of a read-only tool (`callReadOnly`) is a query whatever its method
 * (search endpoints take POST bodies), so it may be repeated too.
 */
export function isRetrySafe(method: string, callIdempotent: boolean, callReadOnly = false): boolean {
  return SAFE_METHODS.has(method) || callReadOnly || (IDEMPOTENT_METHODS.has(method) && callIdempotent);
}

/** Server errors worth another attempt (the rest are the vendor's considered answer). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

/** Exponential backoff with full jitter: a random delay in [0, min(cap, base * 2^retry)). */
export function backoffDelay(retry: number, baseMs: number, capMs: number): number {
  return Math.floor(Math.random() * Math.min(capMs, baseMs * 2 ** retry));
}

/** Failures before any byte of the request reached the server: safe to retry whatever the method. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Failures mid-exchange: the server may have acted, so only retry-safe requests are retried. */
const MID_EXCHANGE_CODES = new Set([
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * The network error code behind a failed fetch, or undefined when the failure was not a network one (a bad
 * URL or header is thrown as is). undici rejects with `TypeError('fetch failed', { cause })`, where the cause
 * (or an AggregateError inside it, from trying several addresses) carries the code.
 */
export function connectionErrorCode(error: unknown): string | undefined {
  const isFetchFailure = error instanceof TypeError && error.message === 'fetch failed';
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (current === null || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (isFetchFailure || NOT_SENT_CODES.has(code) || MID_EXCHANGE_CODES.has(code))) {
      return code;
    }
    queue.push((current as { cause?: unknown }).cause);
    if (current instanceof AggregateError) queue.push(...current.errors);
  }
  return isFetchFailure ? 'network error' : undefined;
}

/** Never-sent failures are retried for any method; mid-exchange ones only when the request is retry-safe. */
export function isRetryableConnectionError(code: string, retrySafe: boolean): boolean {
  return NOT_SENT_CODES.has(code) || (MID_EXCHANGE_CODES.has(code) && retrySafe);
}
