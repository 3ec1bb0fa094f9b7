/**
 * Throughput and added latency against the zero-latency sandbox: sequential get_issue calls over stdio and over
 * streamable HTTP (both protocol eras), and a concurrent run over HTTP. The baseline is the same upstream request
 * (GET /repos/acme/widgets/issues/N) made directly with undici from this process, interleaved with our calls
 * (alternating one by one when sequential, in blocks when concurrent) so both see the same machine load; "added"
 * is ours minus that paired baseline. The sandbox runs in this process, the server in a child.
 */
import { connectHttp, connectStdio, type Harness, startHttpServerProcess } from '@switchboard-mcp/testkit';
import { Agent, request } from 'undici';
import type { Benchmark, Cell } from './lib/report.ts';
import { ourServer, rawGet, type Sandbox, startSandbox } from './lib/servers.ts';
import { ms, ratio, roundSummary, type Summary, summarize } from './lib/stats.ts';

const SEQUENTIAL = 300;
const CONCURRENT = 600;
const IN_FLIGHT = 8;
/** Concurrent runs alternate this many blocks of direct and MCP calls. */
const CONCURRENT_BLOCKS = 6;
const WARM_UP = 30;
const PINGS = 100;
/** A row stops issuing calls after this long (a very slow server must not stall the run). */
const ROW_BUDGET_MS = 45_000;

type Call = () => Promise<boolean>;

interface Side {
  calls: number;
  /** Time spent in this side's calls (blocks summed), for calls/s. */
  busyMs: number;
  latency: Summary;
  errors: number;
}

interface Run {
  label: string;
  mode: 'sequential' | 'concurrent';
  ours: Side;
  /** The direct upstream call, interleaved with ours (absent for the ping floor rows). */
  direct?: Side;
  upstreamPerCall?: number;
  /** No upstream request: the MCP round trip alone. */
  floor?: boolean;
  error?: string;
}

interface Acc {
  latencies: number[];
  busyMs: number;
  errors: number;
}

const acc = (): Acc => ({ latencies: [], busyMs: 0, errors: 0 });
const side = (a: Acc): Side => ({
  calls: a.latencies.length,
  busyMs: a.busyMs,
  latency: summarize(a.latencies),
  errors: a.errors,
});

/** `total` calls with `inFlight` at a time into `into`. A call that throws ends the row. */
async function drive(total: number, inFlight: number, call: Call, into: Acc): Promise<void> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      next++;
      const t0 = performance.now();
      const ok = await call();
      into.latencies.push(performance.now() - t0);
      if (!ok) into.errors++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  into.busyMs += performance.now() - started;
}

/**
 * Our calls and (when given) the direct baseline, interleaved: block by block, swapping which goes first each
 * time. Sequential rows use blocks of one call, i.e. strict alternation.
 */
async function measure(
  label: string,
  mode: Run['mode'],
  total: number,
  ours: Call,
  direct: Call | undefined,
  sandbox: Sandbox,
): Promise<Run> {
  const inFlight = mode === 'concurrent' ? IN_FLIGHT : 1;
  const blocks = mode === 'concurrent' ? CONCURRENT_BLOCKS : total;
  const perBlock = Math.ceil(total / blocks);
  await drive(WARM_UP, inFlight, ours, acc());
  if (direct) await drive(WARM_UP, inFlight, direct, acc());
  const o = acc();
  const d = acc();
  let upstream = 0;
  const started = performance.now();
  for (let b = 0; b < blocks && o.latencies.length < total && performance.now() - started < ROW_BUDGET_MS; b++) {
    const runOurs = async () => {
      const before = sandbox.upstream?.requests.length ?? 0;
      await drive(perBlock, inFlight, ours, o);
      upstream += (sandbox.upstream?.requests.length ?? 0) - before;
    };
    if (direct && b % 2 === 0) await drive(perBlock, inFlight, direct, d);
    await runOurs();
    if (direct && b % 2 === 1) await drive(perBlock, inFlight, direct, d);
    sandbox.upstream?.clearRequests();
  }
  return {
    label,
    mode,
    ours: side(o),
    ...(direct ? { direct: side(d) } : { floor: true }),
    ...(sandbox.upstream ? { upstreamPerCall: upstream / Math.max(1, o.latencies.length) } : {}),
  };
}

function failed(label: string, mode: Run['mode'], error: unknown): Run {
  const message = (error as Error).message.split('\n').slice(0, 6).join(' | ');
  return { label, mode, ours: side(acc()), error: message };
}

/** The MCP calls: get_issue on one seeded issue, and ping (no upstream request). */
function mcpCalls(h: Harness, issue: number) {
  const args = { owner: 'acme', repo: 'widgets', issue_number: issue };
  return {
    getIssue: async () => !(await h.callTool('get_issue', args)).isError,
    ping: async () => {
      await h.client.ping();
      return true;
    },
    /** Fails loudly (with the server's text) when the tool does not work at all. */
    check: async () => {
      const out = await h.callTool('get_issue', args);
      if (out.isError) throw new Error(`get_issue returned an error: ${out.text.slice(0, 300)}`);
    },
  };
}

async function firstIssue(sandbox: Sandbox): Promise<number> {
  const page = JSON.parse((await rawGet(sandbox, '/repos/acme/widgets/issues?state=open&per_page=30')).text) as {
    number: number;
    pull_request?: unknown;
  }[];
  const issue = page.find((i) => !i.pull_request);
  if (!issue) throw new Error('the sandbox has no open issue in acme/widgets');
  return issue.number;
}

const perSecond = (s: Side) => (s.busyMs ? (s.calls / s.busyMs) * 1000 : Number.NaN);

function row(r: Run): Cell[] {
  const mode = r.mode === 'concurrent' ? `${IN_FLIGHT} in flight` : 'sequential';
  if (r.error) return [r.label, mode, 'failed', '', '', '', '', '', '', '', '', ''];
  const o = r.ours;
  const d = r.direct;
  return [
    r.label,
    mode,
    o.calls,
    Math.round(perSecond(o)),
    ms(o.latency.p50),
    ms(o.latency.p99),
    d ? ms(d.latency.p50) : '',
    d ? ms(d.latency.p99) : '',
    d ? ms(o.latency.p50 - d.latency.p50) : '',
    d ? ms(o.latency.p99 - d.latency.p99) : '',
    d ? ratio(o.latency.p50, d.latency.p50) : '',
    r.upstreamPerCall === undefined ? '' : r.upstreamPerCall.toFixed(2),
  ];
}

export const throughput: Benchmark = async (opts) => {
  const notes: string[] = [];
  const sandbox = await startSandbox();
  const runs: Run[] = [];
  const agent = new Agent({ connections: IN_FLIGHT * 2 });
  try {
    const issue = await firstIssue(sandbox);
    const url = `${sandbox.url}/repos/acme/widgets/issues/${issue}`;
    const headers = {
      authorization: `Bearer ${sandbox.token}`,
      accept: 'application/vnd.github+json',
      'user-agent': 'switchboard-bench',
    };
    const direct: Call = async () => {
      const res = await request(url, { dispatcher: agent, headers });
      await res.body.json();
      return res.statusCode === 200;
    };

    opts.log('throughput: stdio');
    let h: Harness | undefined;
    try {
      h = await connectStdio({ ...ourServer('src', sandbox.credentials), timeoutMs: 30_000 });
      const c = mcpCalls(h, issue);
      await c.check();
      runs.push(await measure('stdio: ping (no upstream)', 'sequential', PINGS, c.ping, undefined, sandbox));
      runs.push(await measure('stdio: get_issue', 'sequential', SEQUENTIAL, c.getIssue, direct, sandbox));
    } catch (error) {
      runs.push(failed('stdio: get_issue', 'sequential', error));
    } finally {
      await h?.close();
    }

    opts.log('throughput: HTTP');
    const cmd = ourServer('src', sandbox.credentials, ['--http', '--port', '0']);
    let server: Awaited<ReturnType<typeof startHttpServerProcess>> | undefined;
    try {
      server = await startHttpServerProcess({ command: cmd.command, args: cmd.args, env: cmd.env, cwd: cmd.cwd });
      const endpoint = `${server.url}/mcp`;
      for (const era of ['legacy', 'modern'] as const) {
        const name = era === 'legacy' ? 'HTTP 2025-11-25' : 'HTTP 2026-07-28';
        let hh: Harness | undefined;
        try {
          hh = await connectHttp({ url: endpoint, era, timeoutMs: 30_000 });
          const c = mcpCalls(hh, issue);
          await c.check();
          // The 2026-07-28 revision has no ping.
          if (era === 'legacy') {
            runs.push(await measure(`${name}: ping (no upstream)`, 'sequential', PINGS, c.ping, undefined, sandbox));
          }
          runs.push(await measure(`${name}: get_issue`, 'sequential', SEQUENTIAL, c.getIssue, direct, sandbox));
          if (era === 'legacy') {
            runs.push(await measure(`${name}: get_issue`, 'concurrent', CONCURRENT, c.getIssue, direct, sandbox));
          }
        } catch (error) {
          runs.push(failed(`${name}: get_issue`, 'sequential', error));
        } finally {
          await hh?.close();
        }
      }
    } catch (error) {
      runs.push(failed('HTTP server', 'sequential', error));
    } finally {
      await server?.close();
    }
  } finally {
    await agent.close();
    await sandbox.close();
  }

  for (const r of runs) {
    if (r.error) notes.push(`${r.label} failed: ${r.error}`);
    else if (r.ours.errors) notes.push(`${r.label}: ${r.ours.errors} of ${r.ours.calls} calls returned errors.`);
    if (r.ours.calls && r.mode === 'sequential' && r.ours.calls < (r.floor ? PINGS : SEQUENTIAL)) {
      notes.push(`${r.label}: stopped after ${r.ours.calls} calls (row time budget ${ROW_BUDGET_MS / 1000} s).`);
    }
  }
  notes.push(
    `Server from TS source; MCP client: the SDK's Client via the testkit harness; ${WARM_UP} warm-up calls per side before each row. "direct" is the same GET made with undici from the bench process, interleaved with ours (strictly alternating when sequential; ${CONCURRENT_BLOCKS} alternating blocks when concurrent).`,
    'Ping rows: the MCP round trip with no upstream request, i.e. the transport and client share of "added". calls/s counts time spent in our calls only.',
    '"upstream/call": requests the sandbox saw per measured call (1.00 = no extra requests and no cache hits).',
  );
  return {
    name: 'throughput',
    title: 'Throughput and added latency (get_issue, zero-latency sandbox)',
    tables: [
      {
        title: 'ours vs the same upstream request made directly (interleaved)',
        columns: [
          'path',
          'mode',
          'calls',
          'calls/s',
          'p50',
          'p99',
          'direct p50',
          'direct p99',
          'added p50',
          'added p99',
          'p50 × direct',
          'upstream/call',
        ],
        rows: runs.map(row),
      },
    ],
    notes,
    data: {
      settings: { sequential: SEQUENTIAL, concurrent: CONCURRENT, inFlight: IN_FLIGHT, warmUp: WARM_UP, pings: PINGS },
      runs: runs.map((r) => ({
        ...r,
        ours: { ...r.ours, latency: roundSummary(r.ours.latency), callsPerSecond: perSecond(r.ours) },
        ...(r.direct
          ? { direct: { ...r.direct, latency: roundSummary(r.direct.latency), callsPerSecond: perSecond(r.direct) } }
          : {}),
      })),
    },
  };
};
