/**
 * The Jira server beside the anchor @aashari/mcp-server-atlassian-jira, in one run: cold start (spawn →
 * tools/list answered, both over stdio), tools/list size in o200k tokens, and the tokens a model pays for a
 * 25-issue JQL search. The anchor builds its base URL as `https://${ATLASSIAN_SITE_NAME}.atlassian.net`, so it
 * cannot be pointed at the sandbox; its search answer is computed in-process by its own output path (its
 * `applyJqFilter` + `toOutputString`, TOON by default, then `truncateForAI`) applied to the raw JSON the sandbox
 * returns for the same request — with no jq filter, and with the jq its tool description recommends.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { coldStartVsAnchor, serverCommand, tokens, toolsListVsAnchor } from './lib/compare.ts';
import type { Benchmark, Cell, Table } from './lib/report.ts';
import { childEnv, ROOT } from './lib/servers.ts';
import { pct } from './lib/stats.ts';
import { type Command, callTool, handshake, StdioRpc } from './lib/stdio-rpc.ts';

const ANCHOR = '@aashari/mcp-server-atlassian-jira';
const JQL = 'project = ABC ORDER BY key ASC';
const ISSUES = 25;
/** The fields our rows show; an agent driving the anchor would ask for the same. */
const FIELDS = 'summary,status,issuetype,priority,assignee,updated';
const RUN_TIMEOUT_MS = 30_000;

function anchorPaths() {
  const require = createRequire(import.meta.url);
  const pkgFile = require.resolve(`${ANCHOR}/package.json`);
  const dir = dirname(pkgFile);
  return { dir, version: (require(pkgFile) as { version: string }).version, require };
}

/**
 * The anchor writes a log file into $HOME/.mcp/data on every start and reads $HOME/.mcp/configs.json: it runs
 * with HOME set to a temporary directory, removed after the run, so the bench leaves nothing behind and no
 * local config changes what it measures.
 */
function anchorCommand(home: string): Command {
  const { dir, version } = anchorPaths();
  return {
    label: `${ANCHOR}@${version}`,
    command: process.execPath,
    args: [join(dir, 'dist/index.js')],
    // Fake values: initialize and tools/list make no requests; nothing is ever sent to atlassian.net.
    env: childEnv({
      ATLASSIAN_SITE_NAME: 'sandbox-never-contacted',
      ATLASSIAN_USER_EMAIL: 'bench@example.com',
      ATLASSIAN_API_TOKEN: 'bench-fake-token',
      TRANSPORT_MODE: 'stdio',
      HOME: home,
    }),
    cwd: ROOT,
  };
}

/** What the anchor's jira_get prints for `data`, through its own modules (loaded with HOME = `home`). */
async function anchorOutput(home: string, data: unknown, jq?: string): Promise<string> {
  const { dir, require } = anchorPaths();
  const ownHome = process.env.HOME;
  process.env.HOME = home;
  try {
    const jqUtil = require(join(dir, 'dist/utils/jq.util.js')) as {
      applyJqFilter(data: unknown, filter?: string): unknown;
      toOutputString(data: unknown, useToon?: boolean): Promise<string>;
    };
    const formatter = require(join(dir, 'dist/utils/formatter.util.js')) as {
      truncateForAI(content: string, rawResponsePath?: string): string;
    };
    return formatter.truncateForAI(await jqUtil.toOutputString(jqUtil.applyJqFilter(data, jq), true));
  } finally {
    if (ownHome === undefined) delete process.env.HOME;
    else process.env.HOME = ownHome;
  }
}

export const jiraBench: Benchmark = async (opts) => {
  const notes: string[] = [];
  const tables: Table[] = [];
  const data: Record<string, unknown> = { runs: opts.runs };
  const { startJiraSandbox } = await import('../../packages/jira/src/sandbox/index.ts');
  const sandbox = await startJiraSandbox();
  const home = mkdtempSync(join(tmpdir(), 'sb-jira-anchor-home-'));
  const env = { JIRA_URL: sandbox.url, JIRA_EMAIL: sandbox.email, JIRA_API_TOKEN: sandbox.token };
  try {
    // Cold start, interleaved rounds after one discarded warm-up each.
    const bundled = existsSync(join(ROOT, 'packages/jira/bundle/bin.js'));
    if (!bundled) notes.push('packages/jira/bundle/bin.js absent (not built): bundle not measured.');
    const cold = await coldStartVsAnchor('jira', env, anchorCommand(home), opts);
    tables.push(cold.table);
    data.coldstart = cold.data;
    notes.push(...cold.notes);

    // tools/list size.
    const lists = await toolsListVsAnchor('jira', env, anchorCommand(home), opts);
    tables.push(lists.tables[0]!);
    data.toolsList = lists.data;

    // A 25-issue JQL search: our rows vs the anchor's output for the raw JSON of the same request.
    opts.log('jira tokens: 25-issue search');
    const auth = `Basic ${Buffer.from(`${sandbox.email}:${sandbox.token}`).toString('base64')}`;
    const query = `jql=${encodeURIComponent(JQL)}&maxResults=${ISSUES}&fields=${FIELDS}`;
    const raw = await fetch(`${sandbox.url}/rest/api/3/search/jql?${query}`, { headers: { authorization: auth } }).then(
      (r) => r.json() as Promise<{ issues: unknown[] }>,
    );
    const rpc = new StdioRpc(serverCommand('jira', 'src', env));
    let ours: { text: string; isError: boolean };
    try {
      await handshake(rpc, RUN_TIMEOUT_MS);
      ours = await callTool(rpc, 'search_issues', { jql: JQL, limit: ISSUES }, RUN_TIMEOUT_MS);
    } finally {
      await rpc.close();
    }
    if (ours.isError) throw new Error(`search_issues failed: ${ours.text}`);
    const recommendedJq = 'issues[*].{key: key, summary: fields.summary, status: fields.status.name}';
    const sameFieldsJq =
      'issues[*].{key: key, summary: fields.summary, status: fields.status.name, type: fields.issuetype.name, priority: fields.priority.name, assignee: fields.assignee.displayName, updated: fields.updated}';
    const answers: [string, string][] = [
      ['ours: search_issues (key, status, summary, type, priority, assignee, updated)', ours.text],
      ['anchor: jira_get, raw JSON as TOON (no jq)', await anchorOutput(home, raw)],
      ['anchor: jira_get + jq for the same 7 fields', await anchorOutput(home, raw, sameFieldsJq)],
      ['anchor: jira_get + the jq its description recommends (3 fields)', await anchorOutput(home, raw, recommendedJq)],
      ['raw /rest/api/3/search/jql JSON', JSON.stringify(raw)],
    ];
    const anchorTokens = tokens(answers[1]![1]);
    const rows: Cell[][] = answers.map(([label, text]) => {
      const n = tokens(text);
      return [label, n, Math.round(n / ISSUES), pct(n, anchorTokens)];
    });
    tables.push({
      title: `${ISSUES}-issue JQL search "${JQL}" (o200k tokens)`,
      columns: ['answer', 'tokens', 'per issue', '% of anchor (no jq)'],
      rows,
    });
    data.search = Object.fromEntries(answers.map(([label, text]) => [label, tokens(text)]));
    notes.push(
      `The anchor cannot reach a local sandbox (it hard-codes https://<site>.atlassian.net), so its answers are its own output code applied to the sandbox's raw JSON for the same request (fields=${FIELDS}).`,
      'The anchor exposes 5 generic HTTP verbs: the model writes REST paths, JQL parameters and jq filters itself, and Markdown ↔ ADF is left to it.',
    );
  } finally {
    await sandbox.close();
    rmSync(home, { recursive: true, force: true });
  }
  return { name: 'jira', title: `Jira server vs ${ANCHOR}`, tables, notes, data };
};
