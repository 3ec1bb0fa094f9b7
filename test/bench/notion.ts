import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { coldStartVsAnchor, serverCommand, tokens, toolsListVsAnchor } from './lib/compare.ts';
import type { Benchmark, Cell } from './lib/report.ts';
import { childEnv, ROOT } from './lib/servers.ts';
import { pct } from './lib/stats.ts';
import { type Command, callTool, handshake, listAllTools, StdioRpc } from './lib/stdio-rpc.ts';

const ANCHOR = '@notionhq/notion-mcp-server';
const RUN_TIMEOUT_MS = 30_000;
const NOTION_VERSION = '2025-09-03';

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
    const cold = await coldStartVsAnchor('notion', env, anchorCommand(anchorEnv), opts);
    tables.push(cold.table);
    data.coldstart = cold.data;
    notes.push(...cold.notes);

    // tools/list size.
    const lists = await toolsListVsAnchor('notion', env, anchorCommand(anchorEnv), opts);
    tables.push(...lists.tables);
    const listAim = lists.all.total * 4 <= lists.anchor.total;
    notes.push(
      `Aim: tools/list (all toolsets) ≤ a quarter of the anchor's: ${pct(lists.all.total, lists.anchor.total)} — ${listAim ? 'met' : 'NOT met'}.`,
    );
    data.toolsList = lists.data;

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

    const ours = new StdioRpc(serverCommand('notion', 'src', env));
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
