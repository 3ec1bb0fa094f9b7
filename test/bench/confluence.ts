/**
 * The Confluence server: cold start (spawn → tools/list answered) next to bare node and the bare-SDK floor,
 * tools/list tokens, and result tokens for a long page and a CQL search next to the raw Confluence JSON of the
 * same request, all in one run against the Confluence sandbox. No Confluence anchor is installed, so the
 * baselines are bare node, the SDK floor and the raw API answers.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startConfluenceSandbox } from '../../packages/confluence/src/sandbox/index.ts';
import type { Benchmark, Cell } from './lib/report.ts';
import { bareNode, childEnv, ROOT, sdkFloor } from './lib/servers.ts';
import { ms, pct, ratio, type Summary, summarize } from './lib/stats.ts';
import { type Command, callTool, handshake, listAllTools, StdioRpc } from './lib/stdio-rpc.ts';
import { tokenCount } from './tokens.ts';

const LONG_PAGE = '1000003';
const SEARCH_CQL = 'type = page AND space = ENG order by title asc';

function ourServer(from: 'src' | 'dist', creds: Record<string, string>, args: string[] = []): Command {
  const entry =
    from === 'src'
      ? ['--conditions=development', join(ROOT, 'packages/confluence/src/bin.ts')]
      : [join(ROOT, 'packages/confluence/bundle/bin.js')];
  return {
    label: `switchboard-confluence (${from === 'src' ? 'TS source' : 'built bundle'})`,
    command: process.execPath,
    args: [...entry, ...args],
    env: childEnv(creds),
    cwd: ROOT,
  };
}

async function ready(cmd: Command, bare: boolean): Promise<{ ms: number; tools?: any[] }> {
  if (bare) {
    const { spawn } = await import('node:child_process');
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(cmd.command, cmd.args, { cwd: cmd.cwd, env: cmd.env, stdio: 'ignore' });
      child.once('exit', () => resolve());
      child.once('error', reject);
    });
    return { ms: performance.now() - started };
  }
  const rpc = new StdioRpc(cmd);
  try {
    await handshake(rpc, 20_000);
    const list = await listAllTools(rpc, 20_000);
    return { ms: list.at - rpc.spawnedAt, tools: list.tools };
  } finally {
    await rpc.close();
  }
}

export const confluenceBench: Benchmark = async (opts) => {
  const notes: string[] = [];
  const sandbox = await startConfluenceSandbox();
  const creds = sandbox.credentials;
  const base = sandbox.url.replace(/\/wiki$/, '');
  const auth = `Basic ${Buffer.from(`${creds.CONFLUENCE_EMAIL}:${creds.CONFLUENCE_API_TOKEN}`).toString('base64')}`;
  const raw = async (path: string) => (await fetch(`${base}${path}`, { headers: { authorization: auth } })).text();
  const data: Record<string, unknown> = {};
  const tables = [];
  try {
    // Cold start, interleaved rounds after one warm-up each.
    const built = existsSync(join(ROOT, 'packages/confluence/bundle/bin.js'));
    if (!built)
      notes.push('No bundle (run `pnpm --filter @switchboard-mcp/confluence run build`): built variant skipped.');
    const variants: { key: string; cmd: Command; bare: boolean; samples: number[] }[] = [
      { key: 'bare', cmd: bareNode(), bare: true, samples: [] },
      { key: 'floor', cmd: sdkFloor(), bare: false, samples: [] },
      ...(built ? [{ key: 'dist', cmd: ourServer('dist', creds), bare: false, samples: [] }] : []),
      { key: 'src', cmd: ourServer('src', creds), bare: false, samples: [] },
    ];
    for (const v of variants) await ready(v.cmd, v.bare);
    for (let round = 0; round < opts.runs; round++) {
      opts.log(`confluence cold start: round ${round + 1}/${opts.runs}`);
      for (let i = 0; i < variants.length; i++) {
        const v = variants[(round + i) % variants.length]!;
        v.samples.push((await ready(v.cmd, v.bare)).ms);
      }
    }
    const stats = new Map<string, Summary>(variants.map((v) => [v.key, summarize(v.samples)]));
    const bare = stats.get('bare');
    tables.push({
      title: 'cold start: spawn → tools/list answered',
      columns: ['variant', 'p50', 'p90', 'min', '× bare node'],
      rows: variants.map((v): Cell[] => {
        const s = stats.get(v.key)!;
        return [v.cmd.label, ms(s.p50), ms(s.p90), ms(s.min), ratio(s.p50, bare?.p50)];
      }),
    });
    data.coldstart = Object.fromEntries([...stats].map(([k, s]) => [k, { p50: s.p50, p90: s.p90, min: s.min }]));

    // tools/list tokens.
    const defaults = (await ready(ourServer('src', creds), false)).tools ?? [];
    const all = (await ready(ourServer('src', creds, ['--toolsets', 'all']), false)).tools ?? [];
    const listTokens = { defaults: tokenCount(JSON.stringify(defaults)), all: tokenCount(JSON.stringify(all)) };
    tables.push({
      title: 'tools/list (o200k tokens)',
      columns: ['toolsets', 'tools', 'tokens'],
      rows: [
        ['default', defaults.length, listTokens.defaults],
        ['all', all.length, listTokens.all],
      ],
    });
    data.toolsList = listTokens;

    // Result tokens next to the raw API answer of the same request.
    const rpc = new StdioRpc(ourServer('src', creds, ['--toolsets', 'all']));
    const rows: Cell[][] = [];
    try {
      await handshake(rpc);
      const rawPage = await raw(`/wiki/api/v2/pages/${LONG_PAGE}?body-format=storage`);
      const page = await callTool(rpc, 'get_page', { id: LONG_PAGE, maxChars: 100_000 });
      const firstPart = await callTool(rpc, 'get_page', { id: LONG_PAGE });
      const rawSearch = await raw(`/wiki/rest/api/search?cql=${encodeURIComponent(SEARCH_CQL)}&limit=10`);
      const search = await callTool(rpc, 'search', { cql: SEARCH_CQL, limit: 10 });
      for (const [call, rawText, ours] of [
        [`get_page ${LONG_PAGE} (whole page, maxChars 100000)`, rawPage, page.text],
        [`get_page ${LONG_PAGE} (default budget: first part + cursor)`, rawPage, firstPart.text],
        [`search "${SEARCH_CQL}" limit 10`, rawSearch, search.text],
      ] as const) {
        const r = tokenCount(rawText);
        const o = tokenCount(ours);
        rows.push([call, r, o, pct(o, r)]);
      }
      data.results = { rawPageChars: rawPage.length, pageChars: page.text.length, rows };
    } finally {
      await rpc.close();
    }
    tables.push({
      title: 'result tokens vs raw Confluence JSON (o200k)',
      columns: ['call', 'raw JSON', 'ours', 'ours % raw'],
      rows,
    });
    notes.push(
      'Raw JSON: the REST v2 page with body-format=storage (what a pass-through server returns), and the v1 search answer.',
      'No Confluence anchor is installed: baselines are bare node, the bare SDK v2 floor and the raw API answers.',
    );
  } finally {
    await sandbox.close();
  }
  return { name: 'confluence', title: 'Confluence server', tables, notes, data };
};
