/**
 * The fault matrix: every server in servers.json × every upstream fault. Each cell calls the server's
 * `sandboxProbes.read` with the fault answering every request the call makes (injected on the relay between the
 * server and its sandbox) and asserts that
 * - the call ends (bounded well below the test timeout) with isError, the error class of FAULTS below in the
 *   audit line (`outcome: error:<kind>`) and as the label the text starts with;
 * - the upstream cost is exact: one request for answers that are final (4xx, broken 200 bodies, redirects, a
 *   request still unanswered at the deadline), and for retried kinds exactly what core's retry policy allows
 *   (lib/faults.ts `expectedAttempts`, from client.ts and the server's own rate-limit hooks) — every retry the
 *   same request, and the audit line's upstream_calls the same count;
 * - nothing leaves the machine and no redirect is followed (the second listener and the trap proxy see nothing);
 * - the process survives: with the fault cleared the probe succeeds again.
 *
 * No server is named here: servers come from servers.json, the call from each definition's sandboxProbes, and
 * what differs per server (the method its probe uses, how it reads rate-limit headers) from the definition and
 * from core's rules.
 *
 * Ordering. Rate-limit state lives in the server process (core's throttle, per credential and bucket), so a cell
 * can spill into the next one. Faults whose answer names a wait shorter than the call deadline leave a block the
 * recovery probe waits out within its own deadline; faults whose named wait reaches the deadline (lib/faults.ts
 * `leavesBlock`: a Retry-After beyond it, or a server that assumes a long window when Retry-After is missing)
 * fail fast and leave a block that refuses every later call, so each of those runs in a fresh process of its own,
 * where the follow-up call is checked to send nothing. Which faults those are follows from each definition.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ErrorKind, ProbeCall } from '@switchboard-mcp/core';
import type { Transport } from '@switchboard-mcp/testkit';
import { type FakeUpstream, type Fault, startFakeUpstream } from '@switchboard-mcp/testkit/upstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deadlinePolicy,
  expectedAttempts,
  labelOf,
  leavesBlock,
  MAX_ATTEMPTS,
  maxBodyBytes,
  type ProbeResult,
  probe,
} from './lib/faults.ts';
import { recordCoverage } from './lib/report.ts';
import { loadTargets, type Started, startTarget, type Target } from './lib/targets.ts';

/** Every call's deadline (policy `callTimeoutSeconds`): short, so the latency cell ends soon. */
const DEADLINE_S = 2;
const DEADLINE_MS = DEADLINE_S * 1000;
/** A faulted call must end by its deadline; this bound only turns a hang into a failure instead of a timeout. */
const CALL_LIMIT_MS = DEADLINE_MS + 6000;
const LATENCY_MS = 10_000;
/** Below the deadline (one wait fits, two do not) and beyond it; neither near a boundary of the retry rule. */
const SHORT_RETRY_AFTER_S = 1;
const LONG_RETRY_AFTER_S = 10;
const ELSEWHERE = 'http://something.example/moved';

interface FaultCase {
  id: string;
  /** What the upstream does, for the coverage page. */
  what: string;
  fault: (target: Target) => Fault;
  /** The error class, the same for every server. */
  kind: ErrorKind;
  /** once: exactly one upstream request. retried: exactly what core's retry policy allows (expectedAttempts). */
  requests: 'once' | 'retried';
  /** Repeated over streamable HTTP. */
  http?: true;
}

/** The second loopback listener a redirect points at; it must never see a request. */
const other: FakeUpstream = await startFakeUpstream();

// The one table: fault → expected class and request bound, for every server.
const FAULTS: FaultCase[] = [
  {
    id: 'latency',
    what: `answers after ${LATENCY_MS / 1000} s (deadline ${DEADLINE_S} s)`,
    fault: () => ({ kind: 'latency', ms: LATENCY_MS }),
    kind: 'timeout',
    requests: 'once',
    http: true,
  },
  {
    id: 'http-500',
    what: 'HTTP 500',
    fault: () => ({ kind: 'status', status: 500 }),
    kind: 'upstream',
    requests: 'retried',
  },
  {
    id: 'http-502',
    what: 'HTTP 502',
    fault: () => ({ kind: 'status', status: 502 }),
    kind: 'upstream',
    requests: 'retried',
  },
  {
    id: 'http-503',
    what: 'HTTP 503',
    fault: () => ({ kind: 'status', status: 503 }),
    kind: 'upstream',
    requests: 'retried',
    http: true,
  },
  {
    id: '429-retry-after-short',
    what: `HTTP 429, Retry-After: ${SHORT_RETRY_AFTER_S}`,
    fault: () => ({ kind: 'status', status: 429, headers: { 'retry-after': String(SHORT_RETRY_AFTER_S) } }),
    kind: 'rate_limited',
    requests: 'retried',
  },
  {
    id: '429-retry-after-long',
    what: `HTTP 429, Retry-After: ${LONG_RETRY_AFTER_S} (beyond the deadline)`,
    fault: () => ({ kind: 'status', status: 429, headers: { 'retry-after': String(LONG_RETRY_AFTER_S) } }),
    kind: 'rate_limited',
    requests: 'retried',
  },
  {
    id: '429-no-retry-after',
    what: 'HTTP 429 without Retry-After',
    fault: () => ({ kind: 'status', status: 429 }),
    kind: 'rate_limited',
    requests: 'retried',
  },
  {
    id: 'http-401',
    what: 'HTTP 401',
    fault: () => ({ kind: 'status', status: 401, body: { message: 'Bad credentials', error: 'invalid_auth' } }),
    kind: 'auth',
    requests: 'once',
    http: true,
  },
  {
    id: 'http-403-scope',
    what: 'HTTP 403 naming a missing scope (x-accepted-oauth-scopes, x-oauth-scopes, message/error body)',
    fault: () => ({
      kind: 'status',
      status: 403,
      headers: { 'x-accepted-oauth-scopes': 'repo', 'x-oauth-scopes': 'read:org' },
      body: { message: 'Resource not accessible by integration', error: 'missing_scope', needed: 'repo' },
    }),
    kind: 'permission',
    requests: 'once',
  },
  {
    id: 'reset',
    what: 'connection reset before any response',
    fault: () => ({ kind: 'reset' }),
    kind: 'upstream',
    requests: 'retried',
    http: true,
  },
  {
    id: 'truncated-json',
    what: '200 JSON cut short (content-length larger than sent)',
    fault: () => ({ kind: 'truncated_json' }),
    kind: 'upstream',
    requests: 'once',
  },
  {
    id: 'malformed-json',
    what: '200 application/json that is not JSON',
    fault: () => ({ kind: 'malformed_json' }),
    kind: 'upstream',
    requests: 'once',
    http: true,
  },
  {
    id: 'body-over-limit',
    what: "200 JSON one byte over the server's body limit (core default 10 MiB)",
    fault: (target) => ({ kind: 'huge_body', bytes: maxBodyBytes(target.definition) + 1 }),
    kind: 'upstream',
    requests: 'once',
  },
  {
    id: 'redirect-loopback',
    what: '302 to a second loopback listener',
    fault: () => ({ kind: 'redirect', location: `${other.url}/moved` }),
    kind: 'upstream',
    requests: 'once',
  },
  {
    id: 'redirect-other-host',
    what: `302 to ${ELSEWHERE}`,
    fault: () => ({ kind: 'redirect', location: ELSEWHERE }),
    kind: 'upstream',
    requests: 'once',
    http: true,
  },
];

const targets = await loadTargets();
const policy = deadlinePolicy(DEADLINE_S);

/** server → fault id → the request count asserted (and where it ran), for the coverage page. */
const asserted = new Map<string, Map<string, string>>();

afterAll(async () => {
  await other.close();
  rmSync(dirname(policy), { recursive: true, force: true });
  const names = targets.map((t) => t.entry.name);
  recordCoverage({
    suite: 'faults',
    title: 'Fault matrix',
    lines: [
      `Every server in servers.json (${names.join(', ')}) × ${FAULTS.length} upstream faults, injected on the relay ` +
        "in front of its sandbox for every request of one call of the server's `sandboxProbes.read`, with a " +
        `${DEADLINE_S} s call deadline (policy \`callTimeoutSeconds\`). Every cell runs over stdio; the faults marked ` +
        'HTTP run again over streamable HTTP.',
      '',
      'Each cell asserts: the call ends with `isError`, the class below in the audit line (`outcome: error:<kind>`) ' +
        'and as the label the text starts with; the exact number of upstream requests (the table; every retry is ' +
        'the same request, and the audit line counts the same); no request reaches the redirect targets or any ' +
        'host but the relay; with the fault cleared the probe succeeds again in the same process.',
      '',
      `Request counts follow core's retry policy (at most ${MAX_ATTEMPTS} attempts): 5xx and resets are retried ` +
        'for GET-like requests and for any request of a read tool (the probe is one, so a search sent as POST is ' +
        "retried too), never for a write tool's POST; a rate limit is retried when the answer names a wait that " +
        'fits the deadline, or by backoff where a 5xx would be; a named wait that reaches the ' +
        "deadline fails fast with one request. Waits come from the server's own rate-limit parsing. † marks a " +
        'fault whose named wait outlives the call: it runs in a fresh process, and the next call inside the window ' +
        'is refused as rate limited with no request.',
    ],
    table: [
      ['fault', 'class', ...names.map((n) => `${n} requests`)],
      ...FAULTS.map((c) => [
        `${c.what}${c.http ? ' (stdio, HTTP)' : ''}`,
        `\`${c.kind}\``,
        ...names.map((n) => asserted.get(n)?.get(c.id) ?? 'not run'),
      ]),
    ],
  });
});

/** Assert everything a faulted call must satisfy; returns the request count asserted (with a non-GET method). */
function expectCell(target: Target, c: FaultCase, fault: Fault, result: ProbeResult, sut: Started): string {
  const { outcome, requests, audit } = result;
  const where = `${target.entry.name} × ${c.id}`;
  expect(outcome.isError, `${where}: ${outcome.text}`).toBe(true);
  expect(audit.outcome, `${where}: ${audit.error ?? ''}`).toBe(`error:${c.kind}`);
  expect(outcome.text.startsWith(`${labelOf(c.kind)}: `), `${where}: ${outcome.text}`).toBe(true);
  expect(requests.length, `${where}: the relay saw the call`).toBeGreaterThan(0);
  const first = requests[0]!;
  const expected = c.requests === 'once' ? 1 : expectedAttempts(target.definition, fault, first.method, DEADLINE_MS);
  const sent = requests.map((r) => `${r.method} ${r.path}`);
  expect(sent, `${where}: every attempt repeats the first request`).toEqual(sent.map(() => sent[0]));
  expect(requests.length, `${where}: upstream requests (${first.method})`).toBe(expected);
  expect(audit.upstream_calls, `${where}: audit upstream_calls`).toBe(requests.length);
  expect(other.requests, `${where}: the other listener`).toEqual([]);
  expect(sut.trap.requests, `${where}: requests for other hosts`).toEqual([]);
  return first.method === 'GET' ? String(expected) : `${expected} (${first.method})`;
}

/**
 * The first call in a process loads the vendor SDK and builds its client, which on a loaded machine can outlast
 * the short deadline: that is start-up, not a fault, so it may take a few tries. The cells then meet a warm client.
 */
async function warmUp(sut: Started, call: ProbeCall): Promise<void> {
  let last = '';
  for (let i = 0; i < 3; i++) {
    const warm = await probe(sut, call, { limitMs: CALL_LIMIT_MS });
    if (!warm.outcome.isError) return;
    last = warm.outcome.text;
  }
  expect.fail(`the probe never succeeded without a fault: ${last}`);
}

function record(target: Target, c: FaultCase, text: string): void {
  const row = asserted.get(target.entry.name) ?? new Map<string, string>();
  asserted.set(target.entry.name, row);
  if (!row.has(c.id)) row.set(c.id, text);
}

function matrix(target: Target, transport: Transport, cases: FaultCase[]): void {
  const call = target.definition.sandboxProbes?.read;
  const start = () => startTarget(target, { transport, args: ['--policy', policy] });
  const shared = cases.filter((c) => !leavesBlock(target.definition, c.fault(target), DEADLINE_MS));
  const own = cases.filter((c) => leavesBlock(target.definition, c.fault(target), DEADLINE_MS));

  describe(`${transport}, one process`, () => {
    let sut: Started;
    beforeAll(async () => {
      expect(call, 'sandboxProbes.read in the server definition').toBeDefined();
      sut = await start();
      await warmUp(sut, call!);
    });
    afterAll(() => sut?.close());

    for (const c of shared) {
      it(`${c.id} → ${c.kind}`, async () => {
        other.clearRequests();
        const fault = c.fault(target);
        const result = await probe(sut, call!, { fault, limitMs: CALL_LIMIT_MS });
        record(target, c, expectCell(target, c, fault, result, sut));
        const again = await probe(sut, call!, { limitMs: CALL_LIMIT_MS });
        expect(again.outcome.isError, `after ${c.id}: ${again.outcome.text}`).toBe(false);
        expect(again.requests.length, `after ${c.id}: the probe reaches upstream again`).toBeGreaterThan(0);
      });
    }
  });

  for (const c of own) {
    it(`${c.id} → ${c.kind} (${transport}, own process: its block outlives the call)`, async () => {
      other.clearRequests();
      const sut = await start();
      try {
        await warmUp(sut, call!);
        const fault = c.fault(target);
        const result = await probe(sut, call!, { fault, limitMs: CALL_LIMIT_MS });
        record(target, c, `${expectCell(target, c, fault, result, sut)} †`);
        // Inside the window the next call is refused here, without a request, even though upstream would answer.
        const next = await probe(sut, call!, { limitMs: CALL_LIMIT_MS });
        expect(next.outcome.isError, next.outcome.text).toBe(true);
        expect(next.audit.outcome).toBe('error:rate_limited');
        expect(next.outcome.text).toMatch(/^Rate limited: .*Retry after \d+(s|min)\b/);
        expect(next.requests).toEqual([]);
        expect(next.audit.upstream_calls).toBe(0);
        // Alive and serving.
        const tools = await sut.harness.listTools();
        expect(tools.map((t) => t.name)).toContain(call!.tool);
      } finally {
        await sut.close();
      }
    });
  }
}

describe.each(targets.map((t) => [t.entry.name, t] as [string, Target]))('%s', (_name, target) => {
  matrix(target, 'stdio', FAULTS);
  matrix(
    target,
    'http',
    FAULTS.filter((c) => c.http),
  );
});
