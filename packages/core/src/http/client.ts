/**
 * The upstream stage every vendor SDK calls through as its `fetch`: undici with a shared keep-alive pool
 * (and proxy support), bounded by the call's deadline and cancellation, with a per-credential throttle that
 * reads the vendor's rate-limit headers (per quota bucket when the vendor has several), retries with backoff
 * that honours Retry-After (and never repeats a write the tool cannot safely repeat), a cap on requests in
 * flight per credential, same-origin redirects plus declared hosts, and bounded response bodies.
 */
import { type Dispatcher, type Response as UndiciResponse, fetch as undiciFetch } from 'undici';
import { type CallContext, currentCall } from '../context.ts';
import { formatDelay, SwitchboardError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { endSpan, startUpstreamSpan, tracingEnabled } from '../tracing.ts';
import { bodyTooLargeError, boundedBody } from './body.ts';
import { sharedDispatcher } from './dispatcher.ts';
import { acquireSlot } from './limiter.ts';
import { redirectHostMatcher } from './redirect-hosts.ts';
import { redirectRequest, toUndiciInit, toUpstreamRequest, type UpstreamRequest } from './request.ts';
import {
  backoffDelay,
  connectionErrorCode,
  isRetryableConnectionError,
  isRetrySafe,
  RETRYABLE_STATUSES,
} from './retry.ts';
import { sleep } from './sleep.ts';
import {
  defaultIsRateLimited,
  defaultParseRateLimit,
  defaultThrottleStore,
  type RateLimitState,
  stateTtlMs,
  type ThrottleStore,
  throttleWaitMs,
} from './throttle.ts';

export type { RateLimitState, ThrottleStore } from './throttle.ts';

export interface HttpClientOptions {
  /** Identifies the credential set: throttles are per key. Use a fingerprint, never the secret. */
  key: string;
  /** Per-attempt timeout (ms), capped by the time left before the call's deadline. Default 30000. */
  timeoutMs?: number;
  /** Retries for 429/5xx/connection errors, bounded by the call deadline. Default 2. */
  maxRetries?: number;
  /** Response bodies larger than this fail with an upstream error. Default 10 MiB. */
  maxBodyBytes?: number;
  /** Sent when the caller sets no User-Agent. Default `switchboard-mcp`. */
  userAgent?: string;
  /** Read the vendor's rate-limit headers. Default understands x-ratelimit-remaining/reset and Retry-After. */
  parseRateLimit?: (status: number, headers: Headers) => RateLimitState | undefined;
  /** Whether a response is a rate limit (default: 429, or 403 with Retry-After or x-ratelimit-remaining: 0). */
  isRateLimited?: (status: number, headers: Headers) => boolean;
  /** Called with every upstream response (status and headers), e.g. to learn granted scopes. */
  onResponse?: (status: number, headers: Headers) => void;
  /**
   * Hosts a redirect may lead to besides the request's own origin, e.g. the storage hosts GitHub job logs
   * redirect to: `name`, `name:port`, or `*.name` (any subdomain of name) with an optional port; a name without
   * a port matches any port. Credentials are not sent there. Other cross-origin redirects are not followed: the
   * request fails with an upstream error naming the other host (an SDK handed the 3xx would take it for an
   * answer, or for a bug). The caller's `redirect: 'manual'` returns every 3xx as is.
   */
  allowRedirectHosts?: string[];
  /**
   * Which of the vendor's quotas a request draws on, for vendors with several (GitHub: core, search,
   * code_search). Called with the request URL before sending, and with the response URL and headers after,
   * so a response can name its quota itself. Windows (remaining/reset) are then kept per credential and
   * bucket, so an exhausted search quota does not hold back other requests; Retry-After blocks (secondary
   * limits) still hold for the whole credential. Default: one window per credential.
   */
  rateLimitBucket?: (url: URL, responseHeaders?: Headers) => string;
  /**
   * Quotas the vendor enforces that the client must respect before it is told (Notion ~3 requests/s per
   * token, Slack's per-method tiers): called per request; the answer is counted per credential in the throttle
   * store, so replicas sharing a Redis store stay under the quota together. Requests wait for a slot (bounded
   * by the call deadline and maxRateLimitWaitMs).
   */
  quota?: (url: URL, method: string) => { name: string; limit: number; windowMs: number } | undefined;
  /** Requests in flight per key; the rest queue in order. Default 8. */
  maxConcurrency?: number;
  /** Longest wait for a rate-limit window or Retry-After before failing with rate_limited. Default 60000. */
  maxRateLimitWaitMs?: number;
  /** Backoff base and cap (ms) for retries the server gave no time for (full jitter). Defaults 250 / 8000. */
  retryBaseMs?: number;
  retryMaxDelayMs?: number;
  /**
   * Read successful JSON responses fully (within maxBodyBytes) and fail on malformed JSON, so SDKs that swallow
   * read and parse errors never hand a tool a broken payload. Default true.
   */
  validateJson?: boolean;
}

export interface HttpClientDeps {
  /** Where rate-limit state is shared. Default: one in-memory store for the process. */
  throttleStore?: ThrottleStore;
  /** Default: the shared keep-alive Agent (EnvHttpProxyAgent when proxy variables are set). */
  dispatcher?: Dispatcher;
  /** Warnings (a failing throttle store) go here. */
  log?: Logger;
}

export interface HttpClient {
  /** WHATWG-compatible fetch for vendor SDKs, with throttling, retries, deadlines and body bounds. */
  fetch: typeof globalThis.fetch;
  readonly key: string;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;
const MAX_REDIRECTS = 3;
/** An abort this close to the deadline is the deadline, whatever timer fired first. */
const DEADLINE_SLACK_MS = 20;

const noop = () => {};

/** One request/response exchange that reached response headers. */
interface Exchange {
  response: UndiciResponse;
  headers: Headers;
  url: URL;
  redirected: boolean;
  rateLimited: boolean;
  /** Rate-limit state read from this response (same origin only). */
  state: RateLimitState | undefined;
  /** Aborts this attempt (timeout, deadline, cancellation) until its body is done. */
  link: Link;
}

interface Link {
  signal: AbortSignal;
  dispose: () => void;
}

/**
 * An AbortSignal that follows `sources` (aborting with `translate(reason)`) and, optionally, a timer.
 * `dispose` detaches listeners and the timer so long-lived sources do not accumulate them.
 */
function link(
  sources: Array<AbortSignal | undefined>,
  translate: (reason: unknown) => unknown,
  timer?: { ms: number; error: () => unknown },
): Link {
  const controller = new AbortController();
  const cleanups: Array<() => void> = [];
  const dispose = () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  };
  const abort = (reason: unknown) => {
    if (!controller.signal.aborted) controller.abort(reason);
    dispose();
  };
  for (const source of sources) {
    if (!source) continue;
    if (source.aborted) {
      abort(translate(source.reason));
      return { signal: controller.signal, dispose };
    }
    const onAbort = () => abort(translate(source.reason));
    source.addEventListener('abort', onAbort, { once: true });
    cleanups.push(() => source.removeEventListener('abort', onAbort));
  }
  if (timer) {
    const handle = setTimeout(() => abort(timer.error()), Math.max(0, timer.ms));
    handle.unref();
    cleanups.push(() => clearTimeout(handle));
  }
  return { signal: controller.signal, dispose };
}

function deadlineError(host: string): SwitchboardError {
  return new SwitchboardError('timeout', `the call's deadline passed before ${host} answered`, {
    hint: 'Retry later, or narrow the request so it finishes sooner.',
  });
}

function attemptTimeoutError(host: string, ms: number): SwitchboardError {
  return new SwitchboardError('timeout', `${host} did not answer within ${formatDelay(ms)}`, {
    hint: 'The vendor is slow right now; retry later or narrow the request.',
  });
}

function connectionError(host: string, code: string, cause: unknown, reading = false): SwitchboardError {
  const when = reading ? ' while reading the response' : '';
  return new SwitchboardError('upstream', `connection to ${host} failed${when}: ${code}`, {
    hint: 'The vendor API could not be reached; retry later.',
    cause,
  });
}

function rateLimitedError(host: string, waitMs: number, status?: number, bucket?: string): SwitchboardError {
  const message =
    status === undefined
      ? `the ${bucket ? `${bucket} ` : ''}rate limit at ${host} for this credential is used up`
      : `${host} is rate limiting this credential (HTTP ${status})`;
  return new SwitchboardError('rate_limited', message, {
    retryAfterMs: Math.ceil(waitMs),
    status,
    hint: 'Make fewer calls, or wait before retrying.',
  });
}

export function createHttpClient(options: HttpClientOptions, deps: HttpClientDeps = {}): HttpClient {
  const key = options.key;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 2;
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const validateJson = options.validateJson ?? true;
  const userAgent = options.userAgent ?? 'switchboard-mcp';
  const parseRateLimit = options.parseRateLimit ?? defaultParseRateLimit;
  const isRateLimited = options.isRateLimited ?? defaultIsRateLimited;
  const redirectHostAllowed = redirectHostMatcher(options.allowRedirectHosts ?? []);
  const bucketOf = options.rateLimitBucket;
  const maxConcurrency = options.maxConcurrency ?? 8;
  const maxWaitMs = options.maxRateLimitWaitMs ?? 60_000;
  const retryBaseMs = options.retryBaseMs ?? 250;
  const retryMaxDelayMs = options.retryMaxDelayMs ?? 8_000;
  const store = deps.throttleStore ?? defaultThrottleStore;
  const dispatcher = deps.dispatcher ?? sharedDispatcher();

  /** Where a bucket's window is kept; the credential's own key holds Retry-After blocks (or everything, unbucketed). */
  function bucketKey(bucket: string): string {
    return `${key}:${bucket}`;
  }

  /** A failing shared store must not take every call down: warn and carry on unthrottled. */
  async function readState(storeKey: string): Promise<RateLimitState | undefined> {
    try {
      return await store.get(storeKey);
    } catch (error) {
      deps.log?.warn({ err: error, key: storeKey }, 'throttle store read failed; sending unthrottled');
      return undefined;
    }
  }

  async function writeState(storeKey: string, state: RateLimitState, now: number): Promise<void> {
    try {
      await store.set(storeKey, state, stateTtlMs(state, now));
    } catch (error) {
      deps.log?.warn({ err: error, key: storeKey }, 'throttle store write failed');
    }
  }

  async function recordState(state: RateLimitState, bucket: string | undefined): Promise<void> {
    const now = Date.now();
    if (bucket === undefined) {
      // A block the vendor announced earlier still holds until it passes, whatever later responses say.
      const previous = state.blockedUntil === undefined ? await readState(key) : undefined;
      const merged =
        previous?.blockedUntil !== undefined && previous.blockedUntil > now
          ? { ...state, blockedUntil: previous.blockedUntil }
          : state;
      await writeState(key, merged, now);
      return;
    }
    // Retry-After (secondary limits) holds for the whole credential; windows belong to their bucket.
    const { blockedUntil, ...window } = state;
    if (blockedUntil !== undefined) await writeState(key, { blockedUntil }, now);
    if (window.remaining !== undefined || window.resetAt !== undefined) {
      await writeState(bucketKey(bucket), window, now);
    }
  }

  /** Before sending: wait out a known block if the deadline allows, otherwise fail without sending. */
  async function gate(url: URL, method: string, signal: AbortSignal, deadline: number, host: string): Promise<void> {
    const bucket = bucketOf?.(url);
    const credentialWait = throttleWaitMs(await readState(key));
    const bucketWait = bucket === undefined ? 0 : throttleWaitMs(await readState(bucketKey(bucket)));
    const wait = Math.max(credentialWait, bucketWait);
    if (wait > 0) {
      if (Date.now() + wait >= deadline || wait > maxWaitMs) {
        throw rateLimitedError(host, wait, undefined, bucketWait > credentialWait ? bucket : undefined);
      }
      await sleep(wait, signal);
    }
    const limit = options.quota?.(url, method);
    if (!limit) return;
    // Requests reach the vendor a little after we count them, and not always in order: keep a margin so the
    // vendor's own window never sees one too many.
    const windowMs = limit.windowMs + Math.max(50, limit.windowMs * 0.15);
    const started = Date.now();
    for (;;) {
      const slotWait = await takeSlot(`${key}:quota:${limit.name}`, limit.limit, windowMs);
      if (slotWait <= 0) return;
      if (Date.now() + slotWait >= deadline || Date.now() - started + slotWait > maxWaitMs) {
        throw rateLimitedError(host, slotWait, undefined, limit.name);
      }
      await sleep(slotWait, signal);
    }
  }

  async function takeSlot(storeKey: string, limit: number, windowMs: number): Promise<number> {
    try {
      return await store.take(storeKey, limit, windowMs);
    } catch (error) {
      deps.log?.warn({ err: error, key: storeKey }, 'throttle store quota failed; sending unthrottled');
      return 0;
    }
  }

  function redirectTarget(
    origin: URL,
    current: UpstreamRequest,
    status: number,
    headers: Headers,
    hops: number,
  ): UpstreamRequest | undefined {
    if (!REDIRECT_STATUSES.has(status) || current.redirect === 'manual') return undefined;
    const location = headers.get('location');
    if (!location) return undefined;
    if (current.redirect === 'error')
      throw new TypeError(`unexpected redirect from ${current.url.host} (redirect: 'error')`);
    if (hops >= MAX_REDIRECTS) return undefined;
    let next: URL;
    try {
      next = new URL(location, current.url);
    } catch {
      return undefined;
    }
    const allowed =
      next.origin === origin.origin ||
      (redirectHostAllowed(next) && (next.protocol === 'https:' || next.protocol === origin.protocol));
    if (!allowed) {
      // fetch in 'follow' mode never hands back a redirect: one it may not follow is a failure, not an answer.
      throw new SwitchboardError(
        'upstream',
        `${current.url.host} answered HTTP ${status} redirecting to another host (${next.host}), which is not followed`,
        {
          status,
          hint: "Check the server's API URL setting; if it is right, the vendor moved this resource. Retrying will not help.",
        },
      );
    }
    const keepsBody = status === 307 || status === 308;
    if (keepsBody && current.body != null && !current.replayable) return undefined;
    return redirectRequest(current, status, next);
  }

  /** One attempt: send, follow allowed redirects, record rate-limit state; resolves at response headers. */
  async function attempt(
    request: UpstreamRequest,
    scope: AbortSignal,
    deadline: number,
    call: CallContext | undefined,
  ): Promise<Exchange> {
    const host = request.url.host;
    const left = deadline - Date.now();
    if (left <= 0) throw deadlineError(host);
    const capped = left < timeoutMs;
    const attemptLink = link([scope], (reason) => reason, {
      ms: capped ? left : timeoutMs,
      error: () => (capped ? deadlineError(host) : attemptTimeoutError(host, timeoutMs)),
    });
    let response: UndiciResponse | undefined;
    try {
      let current = request;
      for (let hops = 0; ; hops++) {
        if (call) call.upstreamCalls++;
        response = await undiciFetch(current.url, toUndiciInit(current, attemptLink.signal, dispatcher));
        const headers = new Headers(Array.from(response.headers));
        options.onResponse?.(response.status, headers);
        const sameOrigin = current.url.origin === request.url.origin;
        const rateLimited = isRateLimited(response.status, headers);
        if (rateLimited && call) call.upstreamRateLimited++;
        const state = sameOrigin ? parseRateLimit(response.status, headers) : undefined;
        if (state) await recordState(state, bucketOf?.(current.url, headers));
        const next = redirectTarget(request.url, current, response.status, headers, hops);
        if (!next) {
          return { response, headers, url: current.url, redirected: hops > 0, rateLimited, state, link: attemptLink };
        }
        response.body?.cancel().catch(noop);
        current = next;
      }
    } catch (error) {
      response?.body?.cancel().catch(noop);
      attemptLink.dispose();
      if (attemptLink.signal.aborted) throw attemptLink.signal.reason;
      throw error;
    }
  }

  function discard(exchange: Exchange): void {
    exchange.response.body?.cancel().catch(noop);
    exchange.link.dispose();
  }

  /** Hand the response to the SDK: a Node Response whose body is bounded and keeps the attempt's abort. */
  async function deliver(exchange: Exchange, method: string, done: () => void): Promise<Response> {
    const { response, headers } = exchange;
    const host = exchange.url.host;
    const hasBody = response.body !== null && !NULL_BODY_STATUSES.has(response.status) && method !== 'HEAD';
    let body: ReadableStream<Uint8Array> | null = null;
    if (!hasBody) {
      response.body?.cancel().catch(noop);
      done();
    } else {
      const length = Number(headers.get('content-length') ?? Number.NaN);
      if (length > maxBodyBytes) {
        response.body?.cancel().catch(noop);
        done();
        throw bodyTooLargeError(maxBodyBytes, host);
      }
      body = boundedBody(response.body as ReadableStream<Uint8Array>, {
        maxBytes: maxBodyBytes,
        host,
        onDone: done,
        mapError: (error) => {
          if (exchange.link.signal.aborted) return exchange.link.signal.reason;
          const code = connectionErrorCode(error);
          return code === undefined ? error : connectionError(host, code, error, true);
        },
      });
    }
    // Node's Response rejects a status text outside the HTTP reason-phrase grammar; the status is what matters.
    const statusText = /^[\t\x20-\x7e\x80-\xff]*$/.test(response.statusText) ? response.statusText : '';
    let payload: ReadableStream<Uint8Array> | string | null = body;
    if (
      body &&
      validateJson &&
      response.status >= 200 &&
      response.status < 300 &&
      JSON_TYPE.test(headers.get('content-type') ?? '')
    ) {
      // SDKs (Octokit among them) swallow body read and parse failures and hand the tool an empty or string
      // payload; reading successful JSON here (bounded) turns a truncated, oversized or malformed answer into
      // a clear upstream error instead.
      payload = await new Response(body).text();
      try {
        JSON.parse(payload);
      } catch {
        throw new SwitchboardError('upstream', `${host} answered HTTP ${response.status} with malformed JSON`, {
          status: response.status,
          hint: 'The vendor sent a broken response; retry later.',
        });
      }
    }
    const result = new Response(payload, { status: response.status, statusText, headers });
    Object.defineProperties(result, {
      url: { value: exchange.url.href },
      redirected: { value: exchange.redirected },
    });
    return result;
  }

  async function clientFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const request = await toUpstreamRequest(input, init, userAgent);
    const host = request.url.host;
    const call = currentCall();
    const deadline = call?.deadline ?? Number.POSITIVE_INFINITY;
    const translate = (reason: unknown): unknown => {
      if (reason instanceof SwitchboardError) return reason;
      if ((reason as Error | undefined)?.name === 'TimeoutError' || Date.now() >= deadline - DEADLINE_SLACK_MS) {
        return deadlineError(host);
      }
      return new SwitchboardError('cancelled', `the request to ${host} was cancelled`, { cause: reason });
    };
    const scope = link(
      [call?.signal, request.signal],
      translate,
      Number.isFinite(deadline) ? { ms: deadline - Date.now(), error: () => deadlineError(host) } : undefined,
    );
    let handedOver = false;
    try {
      const method = request.method.toUpperCase();
      const retrySafe = isRetrySafe(method, call?.idempotent ?? true, call?.readOnly ?? false);
      const retries = request.replayable ? maxRetries : 0;
      for (let retry = 0; ; retry++) {
        if (scope.signal.aborted) throw scope.signal.reason;
        if (Date.now() >= deadline) throw deadlineError(host);

        let exchange: Exchange | undefined;
        let failure: unknown;
        const release = await acquireSlot(key, maxConcurrency, scope.signal);
        try {
          await gate(request.url, method, scope.signal, deadline, host);
          const span = call?.span && tracingEnabled() ? startUpstreamSpan(call.span, method, request.url) : undefined;
          try {
            exchange = await attempt(request, scope.signal, deadline, call);
            span?.setAttribute('http.response.status_code', exchange.response.status);
            span?.end();
          } catch (error) {
            if (span) endSpan(span, (error as Error)?.name ?? 'request failed');
            throw error;
          }
        } catch (error) {
          failure = error;
        } finally {
          release();
        }

        if (!exchange) {
          const code = failure instanceof SwitchboardError ? undefined : connectionErrorCode(failure);
          if (code === undefined) throw failure;
          const error = connectionError(host, code, failure);
          if (retry >= retries || !isRetryableConnectionError(code, retrySafe)) throw error;
          const wait = backoffDelay(retry, retryBaseMs, retryMaxDelayMs);
          if (Date.now() + wait >= deadline) throw error;
          await sleep(wait, scope.signal);
          continue;
        }

        const status = exchange.response.status;
        const toldWait = throttleWaitMs(exchange.state);
        // A rate limit or a 503 with Retry-After says the request was not processed: safe to send again.
        const retryable = exchange.rateLimited
          ? retrySafe || toldWait > 0
          : RETRYABLE_STATUSES.has(status) && (retrySafe || (status === 503 && exchange.headers.has('retry-after')));
        const done = () => {
          exchange.link.dispose();
          scope.dispose();
        };
        if (!retryable || retry >= retries) {
          const response = await deliver(exchange, method, done);
          handedOver = true;
          return response;
        }
        const wait = toldWait > 0 ? toldWait : backoffDelay(retry, retryBaseMs, retryMaxDelayMs);
        if (Date.now() + wait >= deadline || wait > maxWaitMs) {
          if (exchange.rateLimited) {
            discard(exchange);
            throw rateLimitedError(host, wait, status);
          }
          const response = await deliver(exchange, method, done);
          handedOver = true;
          return response;
        }
        discard(exchange);
        await sleep(wait, scope.signal);
      }
    } finally {
      if (!handedOver) scope.dispose();
    }
  }

  return { key, fetch: clientFetch };
}
