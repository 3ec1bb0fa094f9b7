/**
 * Schema-driven fuzzing of every tool of every server in servers.json. Arguments come from each tool's reported
 * input schema (lib/arbitraries.ts): valid, boundary and hostile calls, several in flight at once, over stdio (the
 * bulk), over HTTP, and under a policy whose resource allow-lists name only a resource nobody has.
 *
 * Every call must resolve with text; an error must start with one of core's error labels and carry no stack
 * trace; a call that breaks the schema must fail as "Invalid arguments" naming the field; a tool that needs
 * confirmation must not run without it; nothing may fail as an internal error. After each run the server must
 * still answer, have sent nothing to any host but its upstream, written only JSON-RPC to stdout, nothing crash-like
 * to stderr, and one audit line per call.
 *
 * FUZZ_SEED (default 20240808) and FUZZ_CALLS (calls per server, default enough for 20,000 in all) override the
 * defaults; `pnpm fuzz:nightly` runs this file with many more calls.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ErrorKind, SwitchboardError } from '@switchboard-mcp/core';
import { auditLines, type Harness } from '@switchboard-mcp/testkit';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Category,
  describeArgs,
  type FuzzCase,
  fuzzCase,
  hintsFrom,
  type JsonSchema,
  MUTATIONS,
  type Violation,
  violations,
} from './lib/arbitraries.ts';
import { recordCoverage } from './lib/report.ts';
import { loadTargets, type Started, startTarget, type Target } from './lib/targets.ts';

const targets = await loadTargets();

const DEFAULT_SEED = 20240808;
const MIN_TOTAL_CALLS = 20_000;
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : DEFAULT_SEED;
if (!Number.isSafeInteger(SEED)) throw new Error(`FUZZ_SEED must be an integer, got ${process.env.FUZZ_SEED}`);
const MIN_PER_SERVER = Math.ceil(MIN_TOTAL_CALLS / targets.length);
const CALLS = process.env.FUZZ_CALLS ? Number(process.env.FUZZ_CALLS) : MIN_PER_SERVER;
if (!Number.isSafeInteger(CALLS) || CALLS < 1) throw new Error(`FUZZ_CALLS must be a positive integer`);
/** Calls in flight at once. */
const BATCH = 6;
/** Calls generated per fast-check sample (a fresh size/bias ramp each time). */
const CHUNK = 240;
/** The argument core strips before validation: destructive tools' confirmation. */
const CONFIRM = 'confirm';
/** A resource no server has: under this policy no object of any tenant may be named by a successful call. */
const NOBODY = 'nobody:no-such-resource';
/**
 * The call deadline every part runs with. A server waits for an exhausted vendor quota within the call's deadline
 * (60 s by default, longer than the harness's 30 s per-request timeout); with a short deadline such a call fails
 * fast as "Rate limited" instead, so only a real hang reaches the harness timeout.
 */
const DEADLINE_SECONDS = 5;

const policyDir = mkdtempSync(join(tmpdir(), 'sb-fuzz-'));
function policyFile(name: string, policy: Record<string, unknown>): string {
  const file = join(policyDir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ ...policy, callTimeoutSeconds: DEADLINE_SECONDS }));
  return file;
}
const BASE_POLICY = policyFile('base', {});
const NOBODY_POLICY = policyFile('nobody', { toolsets: ['all'], resources: { read: [NOBODY], write: [NOBODY] } });

type Part = 'stdio' | 'http' | 'policy';
const SHARES: Record<Part, number> = { stdio: 0.8, http: 0.1, policy: 0.1 };
const PARTS = Object.keys(SHARES) as Part[];

function callsFor(part: Part): number {
  const http = Math.max(1, Math.floor(CALLS * SHARES.http));
  const policy = Math.max(1, Math.floor(CALLS * SHARES.policy));
  if (part === 'http') return http;
  if (part === 'policy') return policy;
  return Math.max(1, CALLS - http - policy);
}

/** Core's error labels ("Invalid arguments", ...), derived from core so they stay in step with it. */
const KINDS = {
  invalid: true,
  auth: true,
  permission: true,
  not_found: true,
  conflict: true,
  rate_limited: true,
  upstream: true,
  timeout: true,
  cancelled: true,
  policy_denied: true,
  confirmation_required: true,
  declined: true,
  internal: true,
} satisfies Record<ErrorKind, true>;
const LABEL: Record<ErrorKind, string> = Object.fromEntries(
  (Object.keys(KINDS) as ErrorKind[]).map((k) => [k, new SwitchboardError(k, 'x').toText().replace(/: x\.$/, '')]),
) as Record<ErrorKind, string>;
const LABELS = Object.values(LABEL);

const STACK_TRACE = /(^|\n)\s*at\s+\S[^\n]*:\d+:\d+\)?\s*(\n|$)|node:internal|\.(?:ts|js|mjs|cjs):\d+:\d+/;
const CRASH_OUTPUT =
  /uncaught exception|unhandled rejection|FATAL ERROR|Maximum call stack|heap out of memory|Segmentation fault|ERR_INTERNAL_ASSERTION|Assertion failed/i;

type Tool = Awaited<ReturnType<Harness['listTools']>>[number];

interface Planned extends FuzzCase {
  tool: Tool;
  index: number;
  violations: Violation[];
  needsConfirm: boolean;
}

interface PartStats {
  calls: number;
  byCategory: Record<Category, number>;
  byMutation: Record<string, number>;
  schemaViolations: number;
  tools: Set<string>;
  ok: number;
  upstreamRequests: number;
}

interface ServerCoverage {
  tools: string[];
  parts: Partial<Record<Part, PartStats>>;
}

const coverage = new Map<string, ServerCoverage>();

/** Tools that need confirmation carry core's `confirm` argument in their schema (for clients that cannot elicit). */
function needsConfirmation(tool: Tool): boolean {
  const props = (tool.inputSchema as JsonSchema).properties;
  return Boolean(props && Object.hasOwn(props, CONFIRM));
}

function fnv(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The calls of one part: deterministic from the seed, the server, the part and the tool list. */
function* plan(target: Target, tools: Tool[], part: Part, count: number): Generator<Planned> {
  const probes = target.definition.sandboxProbes;
  const hints = hintsFrom([probes?.read, probes?.untrusted].filter((p) => p !== undefined));
  const arbitraries = tools.map((tool) => {
    const schema = tool.inputSchema as JsonSchema;
    const reserved = needsConfirmation(tool) ? [CONFIRM] : [];
    return fuzzCase(schema, { hints, reserved }).map((c) => ({ ...c, tool, reserved }));
  });
  const one = fc.integer({ min: 0, max: tools.length - 1 }).chain((i) => arbitraries[i]!);
  let index = 0;
  for (let chunk = 0; index < count; chunk++) {
    const seed = (SEED ^ fnv(`${target.entry.name}/${part}/${chunk}`)) | 0;
    for (const c of fc.sample(one, { seed, numRuns: Math.min(CHUNK, count - index) })) {
      const schema = c.tool.inputSchema as JsonSchema;
      yield {
        ...c,
        index: index++,
        violations: violations(schema, c.args, c.reserved),
        needsConfirm: c.reserved.length > 0,
      };
    }
  }
}

/** What is wrong with one call's outcome, or undefined. */
function judge(
  c: Planned,
  out: { text: string; isError: boolean; raw: { content?: unknown[] } },
  policy: boolean,
): string | undefined {
  const content = (out.raw.content ?? []) as { type?: string; text?: string }[];
  if (!content.some((item) => item.type === 'text')) return 'the result has no text content';
  if (!out.text.length) return 'the result text is empty';
  const label = out.isError ? LABELS.find((l) => out.text.startsWith(`${l}: `)) : undefined;
  if (out.isError) {
    if (!label) return `the error does not start with one of core's labels (${LABELS.join(', ')})`;
    if (STACK_TRACE.test(out.text)) return 'the error text carries a stack trace';
    if (label === LABEL.internal) return 'the call failed as an internal error (a bug, not a usable answer)';
  }
  if (c.violations.length) {
    if (!out.isError) return `the call breaks the schema (${summary(c.violations)}) but succeeded`;
    if (label !== LABEL.invalid)
      return `the call breaks the schema (${summary(c.violations)}) but failed as "${label}"`;
    const missing = [...new Set(c.violations.map((v) => v.field))].filter((f) => !namesField(out.text, f));
    if (missing.length) return `"Invalid arguments" does not name ${missing.map((f) => JSON.stringify(f)).join(', ')}`;
  }
  if (c.needsConfirm && c.args[CONFIRM] !== true) {
    if (!out.isError) return 'a tool that needs confirmation succeeded without "confirm": true';
    // Without a policy nothing but validation comes before the confirmation. Under a resource policy, naming the
    // resource may need an upstream lookup first, whose failure is the answer (the audit check covers the rest).
    if (!policy && label !== LABEL.confirmation_required && label !== LABEL.invalid) {
      return `a tool that needs confirmation, called without "confirm": true, failed as "${label}", not "${LABEL.confirmation_required}"`;
    }
  }
  return undefined;
}

function namesField(text: string, field: string): boolean {
  return (
    text.includes(`${field}:`) || text.includes(`${field}.`) || text.includes(JSON.stringify(field)) || field === ''
  );
}

function summary(vs: Violation[]): string {
  return vs
    .slice(0, 3)
    .map((v) => `${v.path}: ${v.reason}`)
    .join('; ');
}

/** Run one part against a started server; returns the problems found (capped) and the stats. */
async function fuzz(
  target: Target,
  sut: Started,
  part: Part,
  count: number,
): Promise<{ problems: string[]; stats: PartStats }> {
  const tools = await sut.harness.listTools();
  expect(tools.length).toBeGreaterThan(0);
  const stats: PartStats = {
    calls: 0,
    byCategory: { valid: 0, boundary: 0, hostile: 0 },
    byMutation: {},
    schemaViolations: 0,
    tools: new Set(),
    ok: 0,
    upstreamRequests: 0,
  };
  const problems: string[] = [];
  const where = (c: Planned) =>
    `[seed ${SEED}, ${target.entry.name}/${part} call #${c.index}] ${c.tool.name} ${c.category}/${c.mutation} ${describeArgs(c.args)}`;
  let batch: Planned[] = [];
  const flush = async () => {
    const results = await Promise.allSettled(batch.map((c) => sut.harness.callTool(c.tool.name, c.args)));
    results.forEach((r, i) => {
      const c = batch[i]!;
      if (r.status === 'rejected') {
        // A hang (harness timeout) or a dead transport: nothing after it can be trusted.
        throw new Error(`${where(c)}: the call did not resolve: ${(r.reason as Error)?.message ?? r.reason}`);
      }
      if (!r.value.isError) stats.ok++;
      const problem = judge(c, r.value, part === 'policy');
      if (problem && problems.length < 25)
        problems.push(`${where(c)}: ${problem}\n    → ${r.value.text.slice(0, 300)}`);
    });
    batch = [];
    // Counted and dropped as we go: a nightly run would otherwise keep every request body.
    stats.upstreamRequests += sut.relay.requests.length;
    sut.relay.clearRequests();
  };
  sut.relay.clearRequests();
  for (const c of plan(target, tools, part, count)) {
    stats.calls++;
    stats.byCategory[c.category]++;
    stats.byMutation[c.mutation] = (stats.byMutation[c.mutation] ?? 0) + 1;
    if (c.violations.length) stats.schemaViolations++;
    stats.tools.add(c.tool.name);
    batch.push(c);
    if (batch.length === BATCH) await flush();
  }
  if (batch.length) await flush();
  return { problems, stats };
}

/**
 * The checks after a run: still answering, nothing sent elsewhere, clean stdout and stderr, one audit line per call,
 * and no tool that needs confirmation got past the confirm stage without it.
 */
async function afterRun(sut: Started, part: string, calls: number): Promise<void> {
  const tools = await sut.harness.listTools();
  expect(tools.length, `${part}: tools/list still answers after fuzzing`).toBeGreaterThan(0);
  const confirmed = new Set(tools.filter((t) => needsConfirmation(t)).map((t) => t.name));
  expect(sut.trap.requests, `${part}: requests for hosts other than the upstream`).toEqual([]);
  for (const line of sut.harness.stdoutLines()) {
    let message: { jsonrpc?: unknown } | undefined;
    try {
      message = JSON.parse(line);
    } catch {
      message = undefined;
    }
    expect(message?.jsonrpc, `${part}: a stdout line that is not JSON-RPC: ${line.slice(0, 200)}`).toBe('2.0');
  }
  // Audit lines are written before the answer, but stderr may trail stdout a little.
  for (let i = 0; i < 100 && auditLines(sut.stderr()).length < calls; i++) await new Promise((r) => setTimeout(r, 20));
  const stderr = sut.stderr();
  const audits = auditLines(stderr);
  expect(audits.length, `${part}: one audit line per call`).toBe(calls);
  const unconfirmed = audits.filter(
    (a) =>
      confirmed.has(a.tool) &&
      (a.decision === 'allowed' || (a.outcome === 'ok' && !a.decision.startsWith('confirmed:'))),
  );
  expect(
    unconfirmed.map((a) => `${a.tool}: ${a.decision} → ${a.outcome}`),
    `${part}: tools that need confirmation and passed the confirm stage without it`,
  ).toEqual([]);
  const suspicious = stderr
    .split('\n')
    .filter((line) => line && !line.startsWith('{"type":"audit"'))
    .filter((line) => CRASH_OUTPUT.test(line) || ((parseJson(line)?.level as number) ?? 0) >= 50);
  expect(
    suspicious.map((l) => l.slice(0, 400)),
    `${part}: crash-like or error-level output on stderr`,
  ).toEqual([]);
}

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

function timeoutFor(calls: number): number {
  return Math.max(120_000, calls * 40);
}

describe.each(targets.map((t) => [t.entry.name, t] as [string, Target]))('%s', (name, target) => {
  const cov: ServerCoverage = { tools: [], parts: {} };
  coverage.set(name, cov);
  const failureHint = `(reproduce with FUZZ_SEED=${SEED} FUZZ_CALLS=${CALLS})`;

  it(
    'survives schema-driven fuzzing of every tool over stdio',
    async () => {
      const sut = await startTarget(target, {
        transport: 'stdio',
        args: ['--toolsets', 'all', '--policy', BASE_POLICY],
      });
      try {
        const listed = (await sut.harness.listTools()).map((t) => t.name);
        const registered = target.entry.toolsets.flatMap((s) => s.tools.map((t) => t.name));
        for (const tool of registered) expect(listed, `--toolsets all lists ${tool}`).toContain(tool);
        cov.tools = listed;
        const calls = callsFor('stdio');
        const { problems, stats } = await fuzz(target, sut, 'stdio', calls);
        cov.parts.stdio = stats;
        expect(problems, failureHint).toEqual([]);
        expect(stats.calls).toBe(calls);
        expect([...stats.tools].sort(), 'every listed tool was fuzzed').toEqual([...listed].sort());
        expect(stats.upstreamRequests, 'the valid share reaches the upstream').toBeGreaterThan(0);
        expect(stats.ok, 'some calls succeed').toBeGreaterThan(0);
        await afterRun(sut, `[seed ${SEED}] ${name}/stdio`, calls);
      } finally {
        await sut.close();
      }
    },
    timeoutFor(callsFor('stdio')),
  );

  it(
    'survives fuzzing over streamable HTTP',
    async () => {
      const sut = await startTarget(target, {
        transport: 'http',
        args: ['--toolsets', 'all', '--policy', BASE_POLICY],
      });
      try {
        const calls = callsFor('http');
        const { problems, stats } = await fuzz(target, sut, 'http', calls);
        cov.parts.http = stats;
        expect(problems, failureHint).toEqual([]);
        expect(stats.calls).toBe(calls);
        expect(stats.upstreamRequests, 'the valid share reaches the upstream').toBeGreaterThan(0);
        await afterRun(sut, `[seed ${SEED}] ${name}/http`, calls);
      } finally {
        await sut.close();
      }
    },
    timeoutFor(callsFor('http')),
  );

  it(
    'names no resource in any successful call under a policy that allows only a resource nobody has',
    async () => {
      const sut = await startTarget(target, { transport: 'stdio', args: ['--policy', NOBODY_POLICY] });
      try {
        const calls = callsFor('policy');
        const { problems, stats } = await fuzz(target, sut, 'policy', calls);
        cov.parts.policy = stats;
        expect(problems, failureHint).toEqual([]);
        expect(stats.calls).toBe(calls);
        await afterRun(sut, `[seed ${SEED}] ${name}/policy`, calls);
        const audits = auditLines(sut.stderr());
        const succeeded = audits.filter((a) => a.outcome === 'ok');
        const named = succeeded.filter((a) => Array.isArray(a.resource) && a.resource.length > 0);
        expect(
          named.map((a) => `${a.tool}: ${JSON.stringify(a.resource).slice(0, 200)}`),
          'successful calls that named a resource',
        ).toEqual([]);
        const writes = succeeded.filter((a) => a.access !== 'read');
        expect(
          writes.map((a) => a.tool),
          'writes that succeeded although the policy allows no resource',
        ).toEqual([]);
        const denied = audits.filter((a) => String(a.decision).startsWith('denied:resources.'));
        expect(denied.length, 'the policy denied calls on resources').toBeGreaterThan(0);
      } finally {
        await sut.close();
      }
    },
    timeoutFor(callsFor('policy')),
  );

  // FUZZ_CALLS may lower the floor for a quick local run; by default it is the suite's 20,000 calls in all.
  const floor = process.env.FUZZ_CALLS ? CALLS : MIN_PER_SERVER;
  it(`made at least ${floor} calls (${MIN_TOTAL_CALLS} across ${targets.length} servers by default)`, () => {
    const total = PARTS.reduce((n, p) => n + (cov.parts[p]?.calls ?? 0), 0);
    expect(total).toBeGreaterThanOrEqual(floor);
  });
});

afterAll(() => {
  rmSync(policyDir, { recursive: true, force: true });
  // The coverage page describes the default run only (fixed seed and call count), so it changes with coverage.
  if (process.env.FUZZ_SEED || process.env.FUZZ_CALLS) return;
  const servers = [...coverage.entries()];
  if (servers.some(([, c]) => PARTS.some((p) => !c.parts[p]))) return;
  const total = (c: ServerCoverage, pick: (s: PartStats) => number) => PARTS.reduce((n, p) => n + pick(c.parts[p]!), 0);
  const table: string[][] = [
    ['server', 'tools fuzzed', 'calls', 'valid', 'boundary', 'hostile', 'schema-violating', 'stdio / HTTP / policy'],
  ];
  for (const [name, c] of servers) {
    table.push([
      name,
      String(c.tools.length),
      String(total(c, (s) => s.calls)),
      String(total(c, (s) => s.byCategory.valid)),
      String(total(c, (s) => s.byCategory.boundary)),
      String(total(c, (s) => s.byCategory.hostile)),
      String(total(c, (s) => s.schemaViolations)),
      PARTS.map((p) => c.parts[p]!.calls).join(' / '),
    ]);
  }
  const all = servers.reduce((n, [, c]) => n + total(c, (s) => s.calls), 0);
  const mutations = MUTATIONS.map((m) => {
    const n = servers.reduce((acc, [, c]) => acc + total(c, (s) => s.byMutation[m.name] ?? 0), 0);
    return `${m.name} ${n}`;
  });
  recordCoverage({
    suite: 'fuzz',
    title: 'Schema-driven fuzzing',
    lines: [
      `Every tool of every server in servers.json (${servers.length} servers, all toolsets enabled) is called with arguments generated from the input schema it reports in tools/list: ${all} calls with seed ${SEED}, ${BATCH} in flight at a time, over stdio (80%), streamable HTTP (10%) and stdio under a policy whose read and write resource allow-lists name only \`${NOBODY}\` (10%). Run \`pnpm fuzz:nightly\` for 100,000 calls per server with a random seed.`,
      `Hostile mutations (one per hostile call): ${mutations.join(', ')}.`,
      'Properties checked on every call: it resolves (a hang fails); the result has text; an error starts with one of core\'s error labels, carries no stack trace and is never "Internal error"; a call that breaks the schema fails with "Invalid arguments" naming each offending field; a tool that needs confirmation never runs without `confirm: true`.',
      'After each run: the server still answers tools/list; the trap proxy saw no request for any other host; every stdout line is JSON-RPC; stderr has no crash or error-level output; there is one audit line per call. Under the nobody-policy no successful call names a resource and no write succeeds.',
    ],
    table,
  });
});
