/**
 * The Slack server beside the anchor @modelcontextprotocol/server-slack, in one run: cold start (spawn →
 * tools/list answered, both over stdio), tools/list size in o200k tokens (total and per tool), and the tokens a
 * model pays for 100 messages of channel history. The anchor hard-codes https://slack.com/api, so its history
 * answer is computed from what it would print: JSON.stringify of the raw conversations.history JSON, which the
 * sandbox returns for the same 100 messages our server renders.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import type { Benchmark, Cell } from './lib/report.ts';
import { childEnv, ROOT } from './lib/servers.ts';
import { ms, pct, ratio, roundSummary, summarize } from './lib/stats.ts';
import { type Command, callTool, handshake, listAllTools, StdioRpc } from './lib/stdio-rpc.ts';

const ANCHOR = '@modelcontextprotocol/server-slack';
const CHANNEL = 'C0ENGINEER';
const MESSAGES = 100;
const RUN_TIMEOUT_MS = 20_000;

const tokens = (text: string): number => encode(text).length;

function anchorCommand(): Command {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve(`${ANCHOR}/package.json`);
  const version = (require(pkg) as { version: string }).version;
  return {
    label: `${ANCHOR}@${version}`,
    command: process.execPath,
    args: [join(dirname(pkg), 'dist/index.js')],
    // Fake values: the anchor only needs them set; initialize and tools/list make no requests.
    env: childEnv({ SLACK_BOT_TOKEN: 'xoxb-0-0-benchmarkFakeNeverSent', SLACK_TEAM_ID: 'T0SANDBOX1' }),
    cwd: ROOT,
  };
}

function ourCommand(from: 'src' | 'bundle', env: Record<string, string>, args: string[] = []): Command {
  const entry =
    from === 'src'
      ? ['--conditions=development', join(ROOT, 'packages/slack/src/bin.ts')]
      : [join(ROOT, 'packages/slack/bundle/bin.js')];
  return {
    label: `switchboard-slack (${from === 'src' ? 'TS source' : 'built bundle'})${args.length ? ` ${args.join(' ')}` : ''}`,
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

export const slackBench: Benchmark = async (opts) => {
  const notes: string[] = [];
  const tables: { title: string; columns: string[]; rows: Cell[][] }[] = [];
  const data: Record<string, unknown> = { runs: opts.runs };
  const { startSlackSandbox } = await import('../../packages/slack/src/sandbox/index.ts');
  const sandbox = await startSlackSandbox();
  const env = { ...sandbox.credentials };
  try {
    // Cold start, interleaved rounds after one discarded warm-up each.
    const variants: { cmd: Command; samples: number[]; tools?: number; error?: string }[] = [
      ...(existsSync(join(ROOT, 'packages/slack/bundle/bin.js'))
        ? [{ cmd: ourCommand('bundle', env), samples: [] as number[] }]
        : []),
      { cmd: ourCommand('src', env), samples: [] },
      { cmd: anchorCommand(), samples: [] },
    ];
    if (variants.length === 2) notes.push('packages/slack/bundle/bin.js absent (not built): bundle not measured.');
    for (const v of variants) {
      try {
        v.tools = (await ready(v.cmd)).tools.length;
      } catch (error) {
        v.error = (error as Error).message;
      }
    }
    for (let round = 0; round < opts.runs; round++) {
      opts.log(`slack cold start: round ${round + 1}/${opts.runs}`);
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
    opts.log('slack tokens: tools/list');
    const lists = [
      { label: 'ours, default toolsets', cmd: ourCommand('src', env) },
      { label: 'ours, --toolsets all', cmd: ourCommand('src', env, ['--toolsets', 'all']) },
      { label: 'anchor', cmd: anchorCommand() },
    ];
    const listed = [];
    for (const l of lists) {
      const { tools } = await ready(l.cmd);
      listed.push({ label: l.label, tools, total: tokens(JSON.stringify(tools)) });
    }
    const anchorList = listed[2]!;
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
      rows: [listed[1]!, anchorList].flatMap((l) =>
        l.tools.map((t) => [l === anchorList ? 'anchor' : 'ours', String(t.name), tokens(JSON.stringify(t))] as Cell[]),
      ),
    });
    data.toolsList = Object.fromEntries(listed.map((l) => [l.label, { tools: l.tools.length, tokens: l.total }]));

    // 100 messages of history: our rendered answer vs the anchor's raw JSON of the same messages.
    opts.log('slack tokens: channel history');
    const raw = await fetch(`${sandbox.url}conversations.history?channel=${CHANNEL}&limit=${MESSAGES}`, {
      headers: { authorization: `Bearer ${sandbox.botToken}` },
    }).then((r) => r.json() as Promise<{ messages: unknown[] }>);
    const anchorText = JSON.stringify(raw);
    const rpc = new StdioRpc(ourCommand('src', env));
    let ours: { text: string; isError: boolean };
    try {
      await handshake(rpc, RUN_TIMEOUT_MS);
      ours = await callTool(rpc, 'get_channel_history', { channel: CHANNEL, limit: MESSAGES }, RUN_TIMEOUT_MS);
    } finally {
      await rpc.close();
    }
    if (ours.isError) throw new Error(`get_channel_history failed: ${ours.text}`);
    const oursTokens = tokens(ours.text);
    const anchorTokens = tokens(anchorText);
    tables.push({
      title: `${MESSAGES} messages of channel history (o200k tokens)`,
      columns: ['answer', 'messages', 'tokens', 'per message', '% of anchor'],
      rows: [
        [
          'ours: get_channel_history text',
          MESSAGES,
          oursTokens,
          Math.round(oursTokens / MESSAGES),
          pct(oursTokens, anchorTokens),
        ],
        [
          'anchor: raw conversations.history JSON',
          raw.messages.length,
          anchorTokens,
          Math.round(anchorTokens / raw.messages.length),
          '100.0%',
        ],
      ],
    });
    const aimMet = oursTokens * 3 <= anchorTokens;
    notes.push(
      `Aim: history ≤ one third of the anchor's raw JSON: ${pct(oursTokens, anchorTokens)} — ${aimMet ? 'met' : 'NOT met'}. Ours resolves user ids to names (extra users.info calls, not tokens) and fences the messages as untrusted.`,
    );
    data.history = { messages: MESSAGES, ours: oursTokens, anchor: anchorTokens, aimMet };
  } finally {
    await sandbox.close();
  }
  return { name: 'slack', title: 'Slack server vs @modelcontextprotocol/server-slack', tables, notes, data };
};
