/**
 * The Notion server beside the anchor @notionhq/notion-mcp-server, in one run: cold start (spawn → tools/list
 * answered, both over stdio), tools/list size in o200k tokens (total and per tool), and the tokens a model pays
 * to read the sandbox's 200-block Handbook page. The anchor honours BASE_URL, so it reads the same page from the
 * same sandbox through its own tools (retrieve a page, then get block children page by page); the raw API JSON
 * of those requests is counted too.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import type { Benchmark, Cell } from './lib/report.ts';
import { childEnv, ROOT } from './lib/servers.ts';
import { ms, pct, ratio, roundSummary, summarize } from './lib/stats.ts';
import { type Command, callTool, handshake, listAllTools, StdioRpc } from './lib/stdio-rpc.ts';

const ANCHOR = '@notionhq/notion-mcp-server';
const RUN_TIMEOUT_MS = 30_000;
const NOTION_VERSION = '2025-09-03';

const tokens = (text: string): number => encode(text).length;

function anchorCommand(env: { url: string; token: string }): Command {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve(`${ANCHOR}/package.json`);
  const version = (require(pkg) as { version: string }).version;
  return {
    label: `${ANCHOR}@${version}`,
    command: process.execPath,
    args: [join(dirname(pkg), 'bin/cli.mjs')],
    // BASE_URL points it at the sandbox: in stdio mode it sends nothing anywhere else.
    env: childEnv({ NOTION_TOKEN: env.token, BASE_URL: env.url }),
    cwd: ROOT,
  };
}

function ourCommand(from: 'src' | 'bundle', env: Record<string, string>, args: string[] = []): Command {
  const entry =
    from === 'src'
      ? ['--conditions=development', join(ROOT, 'packages/notion/src/bin.ts')]
      : [join(ROOT, 'packages/notion/bundle/bin.js')];
  return {
    label: `switchboard-notion (${from === 'src' ? 'TS source' : 'built bundle'})${args.length ? ` ${args.join(' ')}` : ''}`,
    command: process.execPath,
    args: [...entry, ...args],
    env: childEnv(env),
    cwd: ROOT,
  };
}

async function ready(cmd: Command): Promise<{ ms: number; tools: any[] }> {
  const rpc = new StdioRpc(cmd);
  try {
    await handshake(rpc, RUN_TIMEOUT_MS);
    const list = await listAllTools(rpc, RUN_TIMEOUT_MS);
    return { ms: list.at - rpc.spawnedAt, tools: list.tools };
  } finally {
    await rpc.close();
  }
}

/** Every answer a tool gives while following `next` cursors (at most 20 calls). */
async function readAll(
  rpc: StdioRpc,
  tool: string,
  args: Record<string, unknown>,
  next: (text: string) => Record<string, unknown> | undefined,
): Promise<string[]> {
  const texts: string[] = [];
  let extra: Record<string, unknown> | undefined = {};
  while (extra && texts.length < 20) {
    const r = await callTool(rpc, tool, { ...args, ...extra }, RUN_TIMEOUT_MS);
    if (r.isError) throw new Error(`${tool} failed: ${r.text.slice(0, 300)}`);
    texts.push(r.text);
    extra = next(r.text);
  }
  return texts;
}

export const notionBench: Benchmark = async (opts) => {
  const notes: string[] = [];
  const tables: { title: string; columns: string[]; rows: Cell[][] }[] = [];
  const data: Record<string, unknown> = { runs: opts.runs };
  const { startNotionSandbox, SEED } = await import('../../packages/notion/src/sandbox/index.ts');
  const sandbox = await startNotionSandbox();
  const env = { NOTION_TOKEN: sandbox.token, NOTION_API_URL: sandbox.url };
  const anchorEnv = { url: sandbox.url, token: sandbox.token };
  try {
    // Cold start, interleaved rounds after one discarded warm-up each.
    const variants: { cmd: Command; samples: number[]; tools?: number; error?: string }[] = [
      ...(existsSync(join(ROOT, 'packages/notion/bundle/bin.js'))
        ? [{ cmd: ourCommand('bundle', env), samples: [] as number[] }]
        : []),
      { cmd: ourCommand('src', env), samples: [] },
      { cmd: anchorCommand(anchorEnv), samples: [] },
    ];
    if (variants.length === 2) notes.push('packages/notion/bundle/bin.js absent (not built): bundle not measured.');
    for (const v of variants) {
      try {
        v.tools = (await ready(v.cmd)).tools.length;
      } catch (error) {
        v.error = (error as Error).message;
      }
    }
    for (let round = 0; round < opts.runs; round++) {
      opts.log(`notion cold start: round ${round + 1}/${opts.runs}`);
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
    const anchorCold = variants.at(-1)!;
    const anchorP50 = anchorCold.samples.length ? summarize(anchorCold.samples).p50 : undefined;
    tables.push({
      title: 'cold start: spawn → tools/list answered (stdio)',
      columns: ['server', 'p50', 'p90', 'min', '× anchor'],
      rows: variants.map((v) => {
        if (!v.samples.length) return [v.cmd.label, 'failed', '', '', ''];
        const s = summarize(v.samples);
        return [`${v.cmd.label} [${v.tools} tools]`, ms(s.p50), ms(s.p90), ms(s.min), ratio(s.p50, anchorP50)];
      }),
    });
    data.coldstart = Object.fromEntries(
      variants.map((v) => [v.cmd.label, v.samples.length ? roundSummary(summarize(v.samples)) : { error: v.error }]),
    );
    for (const v of variants) if (v.error) notes.push(`${v.cmd.label} failed: ${v.error.split('\n')[0]}`);

    // tools/list size.
    opts.log('notion tokens: tools/list');
    const lists = [
      { label: 'ours, default toolsets', cmd: ourCommand('src', env) },
      { label: 'ours, --toolsets all', cmd: ourCommand('src', env, ['--toolsets', 'all']) },
      { label: 'anchor', cmd: anchorCommand(anchorEnv) },
    ];
    const listed = [];
    for (const l of lists) {
      const { tools } = await ready(l.cmd);
      listed.push({ label: l.label, tools, total: tokens(JSON.stringify(tools)) });
    }
    const anchorList = listed[2]!;
    const allList = listed[1]!;
    tables.push({
      title: 'tools/list (o200k tokens of the tools array)',
      columns: ['list', 'tools', 'tokens', 'per tool', '× anchor'],
      rows: listed.map((l) => [
        l.label,
        l.tools.length,
        l.total,
        Math.round(l.total / Math.max(1, l.tools.length)),
        ratio(l.total, anchorList.total),
      ]),
    });
    tables.push({
      title: 'tokens per tool',
      columns: ['server', 'tool', 'tokens'],
      rows: [allList, anchorList].flatMap((l) =>
        l.tools.map((t) => [l === anchorList ? 'anchor' : 'ours', String(t.name), tokens(JSON.stringify(t))] as Cell[]),
      ),
    });
    const listAim = allList.total * 4 <= anchorList.total;
    notes.push(
      `Aim: tools/list (all toolsets) ≤ a quarter of the anchor's: ${pct(allList.total, anchorList.total)} — ${listAim ? 'met' : 'NOT met'}.`,
    );
    data.toolsList = Object.fromEntries(listed.map((l) => [l.label, { tools: l.tools.length, tokens: l.total }]));

    // Reading the 200-block Handbook page.
    opts.log('notion tokens: reading a 200-block page');
    const page = SEED.handbook;
    const api = async (path: string) => {
      const res = await fetch(`${sandbox.url}/v1${path}`, {
        headers: { authorization: `Bearer ${sandbox.token}`, 'notion-version': NOTION_VERSION },
      });
      return (await res.json()) as any;
    };
    const rawParts: string[] = [JSON.stringify(await api(`/pages/${page}`))];
    let blocks = 0;
    let cursor: string | undefined;
    do {
      const list = await api(`/blocks/${page}/children?page_size=100${cursor ? `&start_cursor=${cursor}` : ''}`);
      rawParts.push(JSON.stringify(list));
      blocks += list.results.length;
      cursor = list.has_more ? list.next_cursor : undefined;
    } while (cursor);
    const rawTokens = rawParts.reduce((n, p) => n + tokens(p), 0);

    const ours = new StdioRpc(ourCommand('src', env));
    let oursTexts: string[];
    try {
      await handshake(ours, RUN_TIMEOUT_MS);
      oursTexts = await readAll(ours, 'get_page', { page_id: page }, (text) => {
        const next = /more: cursor=(\S+)/.exec(text)?.[1];
        return next ? { cursor: next } : undefined;
      });
    } finally {
      await ours.close();
    }
    const oursTokens = oursTexts.reduce((n, t) => n + tokens(t), 0);

    let anchorTokens: number | undefined;
    let anchorCalls = 0;
    const anchor = new StdioRpc(anchorCommand(anchorEnv));
    try {
      await handshake(anchor, RUN_TIMEOUT_MS);
      const names = (await listAllTools(anchor, RUN_TIMEOUT_MS)).tools.map((t: any) => String(t.name));
      const retrieve = names.find((n) => /retrieve-a-page$/.test(n));
      const children = names.find((n) => /get-block-children$/.test(n));
      if (!retrieve || !children) throw new Error(`anchor tools not found among ${names.join(', ')}`);
      const texts = [
        ...(await readAll(anchor, retrieve, { page_id: page }, () => undefined)),
        ...(await readAll(anchor, children, { block_id: page, page_size: 100 }, (text) => {
          try {
            const json = JSON.parse(text);
            return json.has_more ? { start_cursor: json.next_cursor } : undefined;
          } catch {
            return undefined;
          }
        })),
      ];
      anchorCalls = texts.length;
      anchorTokens = texts.reduce((n, t) => n + tokens(t), 0);
    } catch (error) {
      notes.push(`anchor page read failed: ${(error as Error).message.split('\n')[0]}`);
    } finally {
      await anchor.close();
    }

    tables.push({
      title: `reading a ${blocks}-block page (o200k tokens of the answers)`,
      columns: ['answer', 'calls', 'tokens', '% of raw JSON'],
      rows: [
        ['ours: get_page (Markdown)', oursTexts.length, oursTokens, pct(oursTokens, rawTokens)],
        ...(anchorTokens === undefined
          ? []
          : [
              [`anchor: retrieve-a-page + get-block-children`, anchorCalls, anchorTokens, pct(anchorTokens, rawTokens)],
            ]),
        ['raw API JSON (page + children lists)', rawParts.length, rawTokens, '100.0%'],
      ],
    });
    const readAim = oursTokens * 3 <= rawTokens;
    notes.push(
      `Aim: reading the page ≤ one third of the raw block JSON: ${pct(oursTokens, rawTokens)} — ${readAim ? 'met' : 'NOT met'}. Ours also includes properties and fences the body as untrusted; the anchor's answers are its own JSON text.`,
    );
    data.pageRead = { blocks, ours: oursTokens, anchor: anchorTokens, raw: rawTokens, aimMet: readAim };
  } finally {
    await sandbox.close();
  }
  return { name: 'notion', title: 'Notion server vs @notionhq/notion-mcp-server', tables, notes, data };
};
