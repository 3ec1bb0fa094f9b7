/**
 * A bounded loopback load test of HTTP serving in production mode: the GitHub server (from source) with API-key
 * client authentication, two tenants, and Prometheus metrics, in front of the GitHub sandbox. Its own clients
 * (CONNECTIONS concurrent MCP connections) make a fixed number of get_issue calls and stop. Reports latency
 * percentiles and calls/s next to the same upstream request made directly (the baseline, same run), and the
 * server's resident memory before and after (from its /metrics). All traffic stays on 127.0.0.1.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashApiKey } from '@switchboard-mcp/core/gateway';
import { connectHttp, type Harness, startHttpServerProcess } from '@switchboard-mcp/testkit';
import type { Benchmark } from './lib/report.ts';
import { childEnv, ROOT, rawGet, startSandbox } from './lib/servers.ts';
import { ms, summarize } from './lib/stats.ts';

const CALLS = 4000;
const CONNECTIONS = 50;

/** Resident memory and V8 heap in use, from the server's own /metrics. */
async function memory(base: string, token: string): Promise<{ rss: number; heap: number }> {
  const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
  const read = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { rss: read('process_resident_memory_bytes'), heap: read('nodejs_heap_size_used_bytes') };
}

async function drive(total: number, inFlight: number, call: () => Promise<boolean>) {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < total) {
        next++;
        const t0 = performance.now();
        if (!(await call())) errors++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, errors, seconds: (performance.now() - started) / 1000 };
}

export const load: Benchmark = async ({ log }) => {
  const sandbox = await startSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'sb-load-'));
  const keys = { acme: 'sbk_load_acme_0123456789abcdef', globex: 'sbk_load_globex_0123456789abcdef' };
  writeFileSync(
    join(dir, 'deploy.json'),
    JSON.stringify({
      auth: {
        mode: 'api-keys',
        keys: Object.entries(keys).map(([tenant, key]) => ({ id: `${tenant}-load`, sha256: hashApiKey(key), tenant })),
      },
      tenants: { acme: { envCredentials: true }, globex: { envCredentials: true } },
    }),
  );
  const metricsToken = 'load-metrics-token';
  const server = await startHttpServerProcess({
    command: process.execPath,
    args: ['--conditions=development', join(ROOT, 'packages/github/src/bin.ts'), '--http', '--port', '0'],
    env: childEnv({
      ...sandbox.credentials,
      SWITCHBOARD_CONFIG: join(dir, 'deploy.json'),
      SWITCHBOARD_METRICS_TOKEN: metricsToken,
      SWITCHBOARD_AUDIT_LOG: join(dir, 'audit.log'),
      SWITCHBOARD_LOG_LEVEL: 'info',
    }),
  });
  const clients: Harness[] = [];
  try {
    for (let i = 0; i < CONNECTIONS; i++) {
      const key = i % 2 ? keys.acme : keys.globex;
      clients.push(await connectHttp({ url: `${server.url}/mcp`, headers: { authorization: `Bearer ${key}` } }));
    }
    const call = (i: number) => async () => {
      const r = await clients[i % CONNECTIONS]!.callTool('get_issue', {
        owner: 'acme',
        repo: 'widgets',
        issue_number: 1 + (i % 5),
      });
      return !r.isError;
    };
    let n = 0;
    // Warm up (JIT, pools, per-tenant runtimes), then measure.
    await drive(200, CONNECTIONS, () => call(n++)());
    const before = await memory(server.url, metricsToken);
    log(`load: ${CALLS} calls over ${CONNECTIONS} connections`);
    const ours = await drive(CALLS, CONNECTIONS, () => call(n++)());
    const after = await memory(server.url, metricsToken);
    // A second round of the same size: memory that keeps growing with calls would be a leak.
    log(`load: ${CALLS} more calls`);
    await drive(CALLS, CONNECTIONS, () => call(n++)());
    const afterSecond = await memory(server.url, metricsToken);
    const direct = await drive(CALLS, CONNECTIONS, async () => {
      await rawGet(sandbox, `/repos/acme/widgets/issues/${1 + (n++ % 5)}`);
      return true;
    });
    const o = summarize(ours.latencies);
    const d = summarize(direct.latencies);
    const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
    return {
      name: 'load',
      title: `Load: ${CALLS} get_issue calls, ${CONNECTIONS} connections, API-key auth, 2 tenants (HTTP)`,
      tables: [
        {
          title: 'Latency and throughput (ours vs the same upstream request made directly)',
          columns: ['', 'p50', 'p90', 'p99', 'max', 'calls/s', 'errors'],
          rows: [
            [
              'switchboard-github over HTTP',
              ms(o.p50),
              ms(o.p90),
              ms(o.p99),
              ms(o.max),
              Math.round(CALLS / ours.seconds),
              ours.errors,
            ],
            [
              'direct upstream (baseline)',
              ms(d.p50),
              ms(d.p90),
              ms(d.p99),
              ms(d.max),
              Math.round(CALLS / direct.seconds),
              direct.errors,
            ],
          ],
        },
        {
          title: 'Server memory (from its /metrics): after warm-up, after the measured round, after a second round',
          columns: ['', 'before', `after ${CALLS}`, `after ${2 * CALLS}`],
          rows: [
            ['resident (RSS)', mb(before.rss), mb(after.rss), mb(afterSecond.rss)],
            ['V8 heap used', mb(before.heap), mb(after.heap), mb(afterSecond.heap)],
          ],
        },
      ],
      notes: [
        `p50 ratio ours/direct: ${(o.p50 / d.p50).toFixed(2)}×; both driven from this process with ${CONNECTIONS} in flight.`,
      ],
      data: { ours: o, direct: d, calls: CALLS, connections: CONNECTIONS, memory: { before, after, afterSecond } },
    };
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await server.close();
    await sandbox.close();
  }
};
