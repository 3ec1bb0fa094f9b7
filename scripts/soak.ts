/**
 * Soak: `pnpm soak [--calls N] [--connections N] [--servers a,b]`. Not run in CI. Every server in servers.json
 * (or the ones named) runs in --sandbox mode over streamable HTTP and takes its share of N calls (default
 * 100,000 in total) from several MCP clients: mostly its declared read probe, with a share of refused calls
 * (invalid arguments, unknown continuation cursors) so error paths soak too. Resident memory, V8 heap, active
 * handles and open file descriptors come from the server's own /metrics after a warm-up, after each third and at
 * the end: growth that keeps going third after third would be a leak. All traffic stays on 127.0.0.1.
 */
import { parseArgs } from 'node:util';
import { connectHttp, type Harness, startHttpServerProcess } from '@switchboard-mcp/testkit';
import { loadTarget, registry } from '../test/hardening/lib/targets.ts';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '100000' },
    connections: { type: 'string', default: '8' },
    servers: { type: 'string' },
  },
});
const total = Number(values.calls);
const connections = Number(values.connections);
const wanted = values.servers?.split(',');
const servers = registry().filter((s) => !wanted || wanted.includes(s.name));
const perServer = Math.ceil(total / servers.length);

interface Sample {
  rss: number;
  heap: number;
  handles: number;
  fds: number;
}

async function sample(base: string): Promise<Sample> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name} (\\d+(?:\\.\\d+)?)`, 'm').exec(text)?.[1] ?? Number.NaN);
  return {
    rss: read('process_resident_memory_bytes'),
    heap: read('nodejs_heap_size_used_bytes'),
    handles: read('nodejs_active_handles_total'),
    fds: read('process_open_fds'),
  };
}

const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
const rows: string[][] = [];
const started = performance.now();

for (const entry of servers) {
  const { definition, bin } = await loadTarget(entry);
  const probe = definition.sandboxProbes?.read;
  if (!probe) throw new Error(`${entry.name} declares no sandboxProbes.read`);
  const server = await startHttpServerProcess({
    command: process.execPath,
    args: ['--conditions=development', bin, '--sandbox', '--http', '--port', '0'],
    env: { SWITCHBOARD_LOG_LEVEL: 'info', SWITCHBOARD_AUDIT_LOG: '/dev/null' },
  });
  const clients: Harness[] = [];
  try {
    for (let i = 0; i < connections; i++) clients.push(await connectHttp({ url: `${server.url}/mcp` }));
    let next = 0;
    let failures = 0;
    let rateLimited = 0;
    let unexpected = 0;
    const one = async (i: number) => {
      const client = clients[i % connections]!;
      if (i % 20 === 7) {
        // Refused before the vendor is asked: the audit, validation and error paths.
        const r = await client.callTool(probe.tool, { ...probe.arguments, unexpected_argument: i });
        if (!r.isError) unexpected++;
        return;
      }
      if (i % 20 === 13) {
        const r = await client.callTool('get_more_output', { cursor: `soak-${i}` });
        if (!r.isError) unexpected++;
        return;
      }
      const r = await client.callTool(probe.tool, probe.arguments);
      // The sandbox enforces the vendor's quotas (GitHub: 5,000 requests an hour): once spent, reads are refused
      // as rate limited without a request, as they would be against the vendor. Anything else is a failure.
      if (r.isError && r.text.startsWith('Rate limited')) rateLimited++;
      else if (r.isError) {
        failures++;
        if (failures <= 3) process.stderr.write(`soak: ${entry.name}: ${r.text.slice(0, 300)}\n`);
      }
    };
    const drive = async (n: number) => {
      const end = next + n;
      await Promise.all(
        clients.map(async () => {
          while (next < end) await one(next++);
        }),
      );
    };
    await drive(Math.min(1000, perServer));
    const before = await sample(server.url);
    const t0 = performance.now();
    const third = Math.floor(perServer / 3);
    await drive(third);
    const first = await sample(server.url);
    await drive(third);
    const second = await sample(server.url);
    await drive(perServer - 2 * third);
    const seconds = (performance.now() - t0) / 1000;
    const after = await sample(server.url);
    const series = (pick: (s: Sample) => number, fmt: (n: number) => string = String) =>
      [before, first, second, after].map((s) => fmt(pick(s))).join(' → ');
    const alive = (await fetch(`${server.url}/healthz`)).status === 200;
    rows.push([
      entry.name,
      String(perServer),
      String(Math.round(perServer / seconds)),
      String(failures),
      String(rateLimited),
      String(unexpected),
      series((s) => s.rss, mib),
      series((s) => s.heap, mib),
      series((s) => s.handles),
      series((s) => s.fds),
      alive ? 'yes' : 'NO',
    ]);
    process.stderr.write(`soak: ${entry.name} done (${perServer} calls in ${seconds.toFixed(0)} s)\n`);
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await server.close();
  }
}

const header = [
  'server',
  'calls',
  'calls/s',
  'failed reads',
  'reads refused by the quota',
  'refusals that succeeded',
  'RSS (warm → ⅓ → ⅔ → end)',
  'V8 heap used',
  'active handles',
  'open fds',
  'healthy after',
];
process.stdout.write(
  `Soak: ${perServer * servers.length} calls over HTTP, ${connections} clients per server, ${((performance.now() - started) / 1000).toFixed(0)} s\n\n`,
);
process.stdout.write(`| ${header.join(' | ')} |\n| ${header.map(() => '---').join(' | ')} |\n`);
for (const r of rows) process.stdout.write(`| ${r.join(' | ')} |\n`);
const bad = rows.some((r) => r[3] !== '0' || r[5] !== '0' || r[10] !== 'yes');
process.exit(bad ? 1 : 0);
