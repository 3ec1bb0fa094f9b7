/**
 * Cold start: spawn → initialize answered → tools/list answered, for bare node (spawn to exit), our server from
 * the build and from TypeScript source, and the anchor @modelcontextprotocol/server-github. Variants run
 * interleaved (one of each per round, rotating order) after one discarded warm-up each, so drift in machine load
 * hits all of them alike.
 */
import { spawn } from 'node:child_process';
import type { Benchmark, BenchResult, Cell } from './lib/report.ts';
import { anchorServer, bareNode, build, ourServer, sandboxOrLoopback, sdkFloor } from './lib/servers.ts';
import { ms, ratio, roundSummary, type Summary, summarize } from './lib/stats.ts';
import { type Command, handshake, listAllTools, StdioRpc } from './lib/stdio-rpc.ts';

interface Sample {
  /** spawn → initialize response. */
  initialize?: number;
  /** spawn → tools/list response (for bare node: spawn → exit). */
  ready: number;
}

type VariantKey = 'bare' | 'floor' | 'dist' | 'src' | 'anchor';

interface Variant {
  key: VariantKey;
  cmd: Command;
  samples: Sample[];
  error?: string;
  tools?: number;
}

const RUN_TIMEOUT_MS = 20_000;

async function runBare(cmd: Command): Promise<Sample> {
  const started = performance.now();
  const child = spawn(cmd.command, cmd.args, { cwd: cmd.cwd, env: cmd.env, stdio: 'ignore' });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('exit', (c) => resolve(c));
    child.once('error', reject);
  });
  if (code !== 0) throw new Error(`exited with code ${code}`);
  return { ready: performance.now() - started };
}

async function runServer(cmd: Command): Promise<Sample & { tools: number }> {
  const rpc = new StdioRpc(cmd);
  try {
    const init = await handshake(rpc, RUN_TIMEOUT_MS);
    const list = await listAllTools(rpc, RUN_TIMEOUT_MS);
    return { initialize: init.at - rpc.spawnedAt, ready: list.at - rpc.spawnedAt, tools: list.tools.length };
  } finally {
    await rpc.close();
  }
}

async function runOnce(v: Variant): Promise<Sample> {
  if (v.key === 'bare') return runBare(v.cmd);
  const s = await runServer(v.cmd);
  v.tools = s.tools;
  return s;
}

export const coldstart: Benchmark = async (opts) => {
  const notes: string[] = [];
  const data: Record<string, unknown> = { runs: opts.runs };
  let built = false;
  if (opts.build) {
    opts.log('cold start: pnpm build');
    const b = build();
    built = b.ok;
    data.build = { ok: b.ok, ms: Math.round(b.ms) };
    if (b.ok) notes.push(`\`pnpm build\` took ${ms(b.ms)}.`);
    else notes.push(`\`pnpm build\` FAILED (built-JS variant skipped):\n\n\`\`\`\n${b.output}\n\`\`\``);
  } else {
    notes.push('Build skipped (--no-build): the built-JS variant was not measured.');
    data.build = { skipped: true };
  }

  const { creds, sandbox } = await sandboxOrLoopback(notes);
  const variants: Variant[] = [
    { key: 'bare', cmd: bareNode(), samples: [] },
    { key: 'floor', cmd: sdkFloor(), samples: [] },
    ...(built ? [{ key: 'dist' as const, cmd: ourServer('dist', creds), samples: [] }] : []),
    { key: 'src', cmd: ourServer('src', creds), samples: [] },
    { key: 'anchor', cmd: anchorServer(), samples: [] },
  ];

  try {
    // Warm-up: fills the OS file cache and Node's compile cache for every variant; not recorded.
    for (const v of variants) {
      try {
        await runOnce(v);
      } catch (error) {
        v.error = (error as Error).message;
      }
    }
    for (let round = 0; round < opts.runs; round++) {
      opts.log(`cold start: round ${round + 1}/${opts.runs}`);
      for (let i = 0; i < variants.length; i++) {
        const v = variants[(round + i) % variants.length]!;
        if (v.error) continue;
        try {
          v.samples.push(await runOnce(v));
        } catch (error) {
          v.error = (error as Error).message;
        }
      }
    }
  } finally {
    await sandbox?.close();
  }

  const stats = new Map<VariantKey, { ready: Summary; initialize?: Summary }>();
  for (const v of variants) {
    if (!v.samples.length) continue;
    const init = v.samples.map((s) => s.initialize).filter((x): x is number => x !== undefined);
    stats.set(v.key, {
      ready: summarize(v.samples.map((s) => s.ready)),
      ...(init.length ? { initialize: summarize(init) } : {}),
    });
  }
  const bare = stats.get('bare')?.ready;
  const anchor = stats.get('anchor')?.ready;
  const rows: Cell[][] = variants.map((v) => {
    const s = stats.get(v.key);
    if (!s) return [v.cmd.label, 'failed', '', '', '', '', ''];
    return [
      v.cmd.label + (v.tools !== undefined ? ` [${v.tools} tools]` : ''),
      ms(s.initialize?.p50),
      ms(s.ready.p50),
      ms(s.ready.p90),
      ms(s.ready.min),
      v.key === 'bare' ? '1.00×' : ratio(s.ready.p50, bare?.p50),
      v.key === 'bare' ? '' : v.key === 'anchor' ? '1.00×' : ratio(s.ready.p50, anchor?.p50),
    ];
  });
  for (const v of variants) {
    if (v.error) notes.push(`${v.cmd.label} failed: ${v.error.split('\n').slice(0, 6).join(' | ')}`);
  }

  const ours = stats.get('dist')?.ready ?? stats.get('src')?.ready;
  const oursKey = stats.has('dist') ? 'built bundle' : 'TS source';
  if (ours && bare) {
    const r = ours.p50 / bare.p50;
    notes.push(`Aim ours/bare node ≤ 2.5× (${oursKey}, median): ${r.toFixed(2)}× — ${r <= 2.5 ? 'met' : 'NOT met'}.`);
  }
  if (ours && anchor) {
    const r = ours.p50 / anchor.p50;
    notes.push(`Aim ours/anchor < 1 (${oursKey}, median): ${r.toFixed(2)}× — ${r < 1 ? 'met' : 'NOT met'}.`);
  }
  notes.push(
    'Servers: clock from spawn() to the tools/list response (initialize, then notifications/initialized + tools/list). Bare node: spawn() to exit.',
  );

  data.variants = Object.fromEntries(
    variants.map((v) => {
      const s = stats.get(v.key);
      return [
        v.key,
        {
          label: v.cmd.label,
          command: [v.cmd.command, ...v.cmd.args].join(' '),
          ...(s ? { ready: roundSummary(s.ready) } : {}),
          ...(s?.initialize ? { initialize: roundSummary(s.initialize) } : {}),
          ...(v.tools !== undefined ? { tools: v.tools } : {}),
          ...(v.error ? { error: v.error } : {}),
        },
      ];
    }),
  );
  data.ratios = {
    ours: oursKey,
    oursOverBareNode: ours && bare ? ours.p50 / bare.p50 : null,
    oursOverAnchor: ours && anchor ? ours.p50 / anchor.p50 : null,
  };

  const result: BenchResult = {
    name: 'coldstart',
    title: `Cold start (${opts.runs} runs each, interleaved)`,
    tables: [
      {
        title: 'spawn → tools/list answered',
        columns: ['variant', 'init p50', 'ready p50', 'ready p90', 'min', '× bare node', '× anchor'],
        rows,
      },
    ],
    notes,
    data,
  };
  return result;
};
