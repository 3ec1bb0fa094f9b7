/**
 * Helpers for the fault matrix (faults.test.ts): a policy file with a short call deadline, one probe call under
 * a fault with everything it cost upstream and its audit line, and the exact number of upstream requests core's
 * retry policy allows for a fault — computed from core's documented rules and the server's own rate-limit
 * hooks (its definition), so no server is named here and a new server needs no test data.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ErrorKind, type ProbeCall, type ServerDefinition, SwitchboardError } from '@switchboard-mcp/core';
import { auditLines, type ToolOutcome } from '@switchboard-mcp/testkit';
import type { Fault, RecordedRequest } from '@switchboard-mcp/testkit/upstream';
import type { Started } from './targets.ts';

/**
 * Attempts per request in core's HTTP client (packages/core/src/http/client.ts): `maxRetries` defaults to 2 and
 * a server definition cannot change it (`ServerDefinition.http` does not offer it), so 1 + 2.
 */
export const MAX_ATTEMPTS = 3;

/** Response bodies core accepts unless the server sets `http.maxBodyBytes` (client.ts: 10 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Methods core repeats after a 5xx or a connection reset in any tool (retry.ts SAFE_METHODS). The probe is a read
 * tool, and core repeats every request of a read tool whatever its method (isRetrySafe's callReadOnly).
 */
const RETRY_SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
const PROBE_IS_READ = true;
/** Statuses core retries (retry.ts RETRYABLE_STATUSES). */
const RETRYABLE_STATUSES = new Set([500, 502, 503, 504]);

/** A policy file that only sets the call deadline (`callTimeoutSeconds`, docs/policy.md). */
export function deadlinePolicy(callTimeoutSeconds: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-faults-'));
  const file = join(dir, 'policy.json');
  writeFileSync(file, JSON.stringify({ callTimeoutSeconds }));
  return file;
}

/** The label the model reads first for an error kind ("Upstream error: ..."), as core words it. */
export function labelOf(kind: ErrorKind): string {
  const text = new SwitchboardError(kind, 'x').toText();
  return text.slice(0, text.indexOf(':'));
}

/** The largest body a server accepts. */
export function maxBodyBytes(definition: ServerDefinition): number {
  return definition.http?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
}

/** The status and headers a fault answers with; undefined when it answers with no response at all. */
function faultResponse(fault: Fault): { status: number; headers: Headers } | undefined {
  if (fault.kind !== 'status') return undefined;
  return { status: fault.status, headers: new Headers(fault.headers ?? {}) };
}

/**
 * How long the server's throttle is told to hold off after this answer (0: no wait): the server's
 * `http.parseRateLimit`, else core's default (throttle.ts `defaultParseRateLimit`: Retry-After on an answer
 * >= 400). The faults in the matrix carry no other rate-limit header, so that is all of the default they meet.
 */
export function toldWaitMs(definition: ServerDefinition, status: number, headers: Headers, now = Date.now()): number {
  const parse = definition.http?.parseRateLimit;
  if (!parse) {
    const retryAfter = headers.get('retry-after');
    return status >= 400 && retryAfter !== null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) * 1000 : 0;
  }
  const state = parse(status, headers);
  if (!state) return 0;
  let until = state.blockedUntil ?? 0;
  if (state.remaining !== undefined && state.remaining <= 0 && state.resetAt !== undefined) {
    until = Math.max(until, state.resetAt);
  }
  return Math.max(0, until - now);
}

/** Whether the server counts an answer as a rate limit: its `http.isRateLimited`, else core's default. */
function isRateLimited(definition: ServerDefinition, status: number, headers: Headers): boolean {
  const own = definition.http?.isRateLimited;
  if (own) return own(status, headers);
  if (status === 429) return true;
  return status === 403 && (headers.has('retry-after') || headers.get('x-ratelimit-remaining')?.trim() === '0');
}

/**
 * A fault whose answer tells the throttle to wait at least the call's deadline: the call fails fast, and the
 * block it leaves outlives the call, so every later call on the same credential in that process is refused
 * without a request. Such faults run in a process of their own.
 */
export function leavesBlock(definition: ServerDefinition, fault: Fault, deadlineMs: number): boolean {
  const answer = faultResponse(fault);
  return answer !== undefined && toldWaitMs(definition, answer.status, answer.headers) >= deadlineMs;
}

/**
 * The exact number of upstream requests core's retry policy (client.ts `clientFetch`) makes for one request
 * that meets `fault` on every attempt, given the request's method and the call's deadline:
 * - a rate limit is retried when the method is retry-safe or the answer names a wait; a 5xx only for retry-safe
 *   methods (a 503 also when it carries Retry-After); a connection reset only for retry-safe methods;
 * - a named wait is slept before the next attempt, and the call gives up once now + wait reaches the deadline
 *   (so attempt k+1 happens when k waits fit strictly inside the deadline);
 * - without a named wait the backoff is full jitter below 250 ms, then 500 ms: every retry fits a deadline of
 *   a second or more, so all MAX_ATTEMPTS are made.
 * Faults that are answered once by design (4xx, broken 200 bodies, redirects, latency past the deadline) are
 * not passed here: they must cost exactly one request.
 */
export function expectedAttempts(
  definition: ServerDefinition,
  fault: Fault,
  method: string,
  deadlineMs: number,
): number {
  // The probe is a read tool: any method is retry-safe (see RETRY_SAFE_METHODS).
  const retrySafe = RETRY_SAFE_METHODS.has(method.toUpperCase()) || PROBE_IS_READ;
  if (fault.kind === 'reset') return retrySafe ? MAX_ATTEMPTS : 1;
  const answer = faultResponse(fault);
  if (!answer) throw new Error(`expectedAttempts: no retry rule for a ${fault.kind} fault`);
  const wait = toldWaitMs(definition, answer.status, answer.headers);
  const retryable = isRateLimited(definition, answer.status, answer.headers)
    ? retrySafe || wait > 0
    : RETRYABLE_STATUSES.has(answer.status) &&
      (retrySafe || (answer.status === 503 && answer.headers.has('retry-after')));
  if (!retryable) return 1;
  if (wait === 0) return MAX_ATTEMPTS;
  let attempts = 1;
  while (attempts < MAX_ATTEMPTS && attempts * wait < deadlineMs) attempts++;
  return attempts;
}

/** Reject when `promise` has not settled within `ms`: a hang is a failure, not a test timeout. */
export async function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not end within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}

export interface ProbeResult {
  outcome: ToolOutcome;
  /** What the server sent upstream during the call (the relay's log, faulted requests included). */
  requests: RecordedRequest[];
  /** The call's audit line. */
  audit: Record<string, any>;
}

/**
 * Call the server's read probe once, with `fault` active on the relay for every request of the call (cleared
 * before returning, whatever happened), bounded by `limitMs`.
 */
export async function probe(
  sut: Started,
  call: ProbeCall,
  opts: { fault?: Fault; limitMs: number },
): Promise<ProbeResult> {
  const before = sut.relay.requests.length;
  const audits = auditLines(sut.stderr()).length;
  if (opts.fault) sut.relay.addFault({ fault: opts.fault, times: Number.POSITIVE_INFINITY });
  let outcome: ToolOutcome;
  try {
    outcome = await bounded(sut.harness.callTool(call.tool, call.arguments), opts.limitMs, `${call.tool} call`);
  } finally {
    sut.relay.clearFaults();
  }
  const requests = sut.relay.requests.slice(before);
  // The audit line is written before the answer, but stderr and the answer travel on different pipes.
  const audit = await bounded(
    (async () => {
      for (;;) {
        const lines = auditLines(sut.stderr());
        if (lines.length > audits) return lines.at(-1)!;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })(),
    5000,
    'the audit line',
  );
  return { outcome, requests, audit };
}
