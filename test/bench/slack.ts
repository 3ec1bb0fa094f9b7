import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { coldStartVsAnchor, serverCommand, tokens, toolsListVsAnchor } from './lib/compare.ts';
import type { Benchmark, Cell } from './lib/report.ts';
import { childEnv, ROOT } from './lib/servers.ts';
import { pct } from './lib/stats.ts';
import { type Command, callTool, handshake, StdioRpc } from './lib/stdio-rpc.ts';

const ANCHOR = '@modelcontextprotocol/server-slack';
const CHANNEL = 'C0ENGINEER';
const MESSAGES = 100;
const RUN_TIMEOUT_MS = 20_000;

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

export const slackBench: Benchmark = async (opts) => {
  const notes: string[] = [];
  const tables: { title: string; columns: string[]; rows: Cell[][] }[] = [];
  const data: Record<string, unknown> = { runs: opts.runs };
  const { startSlackSandbox } = await import('../../packages/slack/src/sandbox/index.ts');
  const sandbox = await startSlackSandbox();
  const env = { ...sandbox.credentials };
  try {
    const cold = await coldStartVsAnchor('slack', env, anchorCommand(), opts);
    tables.push(cold.table);
    data.coldstart = cold.data;
    notes.push(...cold.notes);

    // tools/list size.
    const lists = await toolsListVsAnchor('slack', env, anchorCommand(), opts);
    tables.push(...lists.tables);
    data.toolsList = lists.data;

    // 100 messages of history: our rendered answer vs the anchor's raw JSON of the same messages.
    opts.log('slack tokens: channel history');
    const raw = await fetch(`${sandbox.url}conversations.history?channel=${CHANNEL}&limit=${MESSAGES}`, {
      headers: { authorization: `Bearer ${sandbox.botToken}` },
    }).then((r) => r.json() as Promise<{ messages: unknown[] }>);
    const anchorText = JSON.stringify(raw);
    const rpc = new StdioRpc(serverCommand('slack', 'src', env));
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
