/**
 * The per-call context that travels with async work (AsyncLocalStorage), so core's HTTP client can honour
 * the call's deadline and cancellation and count upstream requests without every SDK passing them along.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Span } from '@opentelemetry/api';

export interface CallContext {
  /** Aborts at the deadline or when the client cancels. */
  signal: AbortSignal;
  /** Epoch milliseconds after which no upstream work may start. */
  deadline: number;
  /**
   * Whether the tool may repeat its upstream writes (reads, and writes declared idempotent). When false, the
   * HTTP client does not resend a PUT or DELETE that may have reached the server.
   */
  idempotent: boolean;
  /**
   * The tool only reads (access 'read'): every request it makes is a query, whatever its method (Notion's search
   * and Jira's JQL search are POSTs), so any of them may be resent after a 5xx or a lost answer.
   */
  readOnly?: boolean;
  /** Upstream HTTP requests made so far (retries included). */
  upstreamCalls: number;
  /** Upstream responses that were 429 or secondary rate limits. */
  upstreamRateLimited: number;
  /** performance.now() at the start of the call, for durations. */
  startedPerf: number;
  /** The call's trace span, when tracing is on: upstream requests become its children. */
  span?: Span;
}

const storage = new AsyncLocalStorage<CallContext>();

export function runInCall<T>(ctx: CallContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

export function currentCall(): CallContext | undefined {
  return storage.getStore();
}
