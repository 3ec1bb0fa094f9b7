/**
 * What the per-server benchmarks share: how to start one of our servers (TS source or built bundle), how long it
 * takes until tools/list is answered, and the interleaved cold-start comparison against an anchor server.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import type { BenchOptions, Cell, Table } from './report.ts';
import { childEnv, ROOT } from './servers.ts';
import { ms, ratio, roundSummary, summarize } from './stats.ts';
import { type Command, handshake, listAllTools, StdioRpc } from './stdio-rpc.ts';

const RUN_TIMEOUT_MS = 30_000;

/** Our server `name` from its TypeScript source or its built bundle (packages/<name>/bundle/bin.js). */
export function serverCommand(
  name: string,
  from: 'src' | 'bundle',
  env: Record<string, string>,
  args: string[] = [],
): Command {
  const entry =
    from === 'src'
      ? ['--conditions=development', join(ROOT, `packages/${name}/src/bin.ts`)]
      : [join(ROOT, `packages/${name}/bundle/bin.js`)];
  return {
    label: `switchboard-${name} (${from === 'src' ? 'TS source' : 'built bundle'})${args.length ? ` ${args.join(' ')}` : ''}`,
    command: process.execPath,
    args: [...entry, ...args],
    env: childEnv(env),
    cwd: ROOT,
  };
}

/** Spawn, initialize, list every tool: the milliseconds from spawn to the tools/list answer, and the tools. */
export async function ready(cmd: Command): Promise<{ ms: number; tools: any[] }> {
  const rpc = new StdioRpc(cmd);
  try {
    await handshake(rpc, RUN_TIMEOUT_MS);
    const list = await listAllTools(rpc, RUN_TIMEOUT_MS);
    return { ms: list.at - rpc.spawnedAt, tools: list.tools };
  } finally {
    await rpc.close();
  }
}

/**
 * Cold start of our server (bundle when built, and source) against the anchor, in interleaved rounds after one
 * discarded warm-up each, so all see the same machine load.
 */
export async function coldStartVsAnchor(
  name: string,
  env: Record<string, string>,
  anchor: Command,
  opts: BenchOptions,
): Promise<{ table: Table; data: Record<string, unknown>; notes: string[] }> {
  const notes: string[] = [];
  const built = existsSync(join(ROOT, `packages/${name}/bundle/bin.js`));
  if (!built) notes.push(`packages/${name}/bundle/bin.js absent (not built): bundle not measured.`);
  const variants: { cmd: Command; samples: number[]; tools?: number; error?: string }[] = [
    ...(built ? [{ cmd: serverCommand(name, 'bundle', env), samples: [] as number[] }] : []),
    { cmd: serverCommand(name, 'src', env), samples: [] },
    { cmd: anchor, samples: [] },
  ];
  for (const v of variants) {
    try {
      v.tools = (await ready(v.cmd)).tools.length;
    } catch (error) {
      v.error = (error as Error).message;
    }
  }
  for (let round = 0; round < opts.runs; round++) {
    opts.log(`${name} cold start: round ${round + 1}/${opts.runs}`);
    for (let i = 0; i < variants.length; i++) {
      const v = variants[(round + i) % variants.length]!;
      if (v.error) continue;
      try {
        v.samples.push((await ready(v.cmd)).ms);
      } catch (error) {
        v.error = (error as Error).message;
      }
    }
  }
  const anchorRuns = variants.at(-1)!;
  const anchorP50 = anchorRuns.samples.length ? summarize(anchorRuns.samples).p50 : undefined;
  for (const v of variants) if (v.error) notes.push(`${v.cmd.label} failed: ${v.error.split('\n')[0]}`);
  return {
    table: {
      title: 'cold start: spawn → tools/list answered (stdio)',
      columns: ['server', 'p50', 'p90', 'min', '× anchor'],
      rows: variants.map((v) => {
        if (!v.samples.length) return [v.cmd.label, 'failed', '', '', ''];
        const s = summarize(v.samples);
        return [`${v.cmd.label} [${v.tools} tools]`, ms(s.p50), ms(s.p90), ms(s.min), ratio(s.p50, anchorP50)];
      }),
    },
    data: Object.fromEntries(
      variants.map((v) => [v.cmd.label, v.samples.length ? roundSummary(summarize(v.samples)) : { error: v.error }]),
    ),
    notes,
  };
}

/** o200k tokens of a text. */
export const tokens = (text: string): number => encode(text).length;

export interface ListedTools {
  label: string;
  tools: any[];
  total: number;
}

/**
 * tools/list size of our server (default toolsets and every toolset) next to the anchor's: a table of totals, a
 * table of tokens per tool (ours with every toolset, and the anchor's), and the data for latest.json.
 */
export async function toolsListVsAnchor(
  name: string,
  env: Record<string, string>,
  anchor: Command,
  opts: Pick<BenchOptions, 'log'>,
): Promise<{ all: ListedTools; anchor: ListedTools; tables: Table[]; data: Record<string, unknown> }> {
  opts.log(`${name} tokens: tools/list`);
  const lists = [
    { label: 'ours, default toolsets', cmd: serverCommand(name, 'src', env) },
    { label: 'ours, --toolsets all', cmd: serverCommand(name, 'src', env, ['--toolsets', 'all']) },
    { label: 'anchor', cmd: anchor },
  ];
  const listed: ListedTools[] = [];
  for (const l of lists) {
    const { tools } = await ready(l.cmd);
    listed.push({ label: l.label, tools, total: tokens(JSON.stringify(tools)) });
  }
  const [, all, anchorList] = listed as [ListedTools, ListedTools, ListedTools];
  const tables: Table[] = [
    {
      title: 'tools/list (o200k tokens of the tools array)',
      columns: ['list', 'tools', 'tokens', 'per tool', '× anchor'],
      rows: listed.map((l) => [
        l.label,
        l.tools.length,
        l.total,
        Math.round(l.total / Math.max(1, l.tools.length)),
        ratio(l.total, anchorList.total),
      ]),
    },
    {
      title: 'tokens per tool',
      columns: ['server', 'tool', 'tokens'],
      rows: [all, anchorList].flatMap((l) =>
        l.tools.map((t) => [l === anchorList ? 'anchor' : 'ours', String(t.name), tokens(JSON.stringify(t))] as Cell[]),
      ),
    },
  ];
  const data = Object.fromEntries(listed.map((l) => [l.label, { tools: l.tools.length, tokens: l.total }]));
  return { all, anchor: anchorList, tables, data };
}
