/**
 * Result size: the text our tools return vs the raw GitHub JSON of the same call, in o200k tokens, against the
 * sandbox. The anchor hard-codes https://api.github.com (no base-URL setting), so it is never called; its column
 * is its own formatting code (`JSON.stringify(…, null, 2)`, and for PRs its zod schema) applied offline to the
 * same raw body — exactly the text its handler would return for that response.
 */
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Benchmark, Cell } from './lib/report.ts';
import { anchorEntry, ourServer, rawGet, startSandbox } from './lib/servers.ts';
import { pct } from './lib/stats.ts';
import { callTool, handshake, StdioRpc } from './lib/stdio-rpc.ts';
import { tokenCount } from './tokens.ts';

const OWNER = 'acme';
const REPO = 'widgets';
const LIMIT = 30;
const AIM = 0.25;

interface Row {
  call: string;
  rawPath: string;
  rawTokens: number;
  rawItems?: number;
  oursTokens?: number;
  oursItems?: number;
  oursError?: string;
  /** What the model sees (kept in latest.json). */
  oursText?: string;
  anchorTokens?: number;
  anchorError?: string;
}

/** The anchor's pull-request schema, from its own dist (it strips fields GitHub sends). */
async function anchorPullSchema(): Promise<{ parse(x: unknown): unknown }> {
  const types = pathToFileURL(join(dirname(anchorEntry()), 'common/types.js')).href;
  return (await import(types)).GitHubPullRequestSchema;
}

export const results: Benchmark = async (opts) => {
  const notes: string[] = [];
  const sandbox = await startSandbox();
  const rows: Row[] = [];
  const rpc = new StdioRpc(ourServer('src', sandbox.credentials));
  try {
    await handshake(rpc);

    // list_issues: open issues if there are 30 of them, otherwise every state.
    let state = 'open';
    let raw = await rawGet(sandbox, `/repos/${OWNER}/${REPO}/issues?per_page=${LIMIT}&state=open`);
    if ((JSON.parse(raw.text) as unknown[]).length < LIMIT) {
      state = 'all';
      raw = await rawGet(sandbox, `/repos/${OWNER}/${REPO}/issues?per_page=${LIMIT}&state=all`);
    }
    const rawIssues = JSON.parse(raw.text) as { pull_request?: unknown }[];
    opts.log(`results: list_issues state=${state}`);
    const listRow: Row = {
      call: `list_issues ${OWNER}/${REPO} state=${state} limit=${LIMIT}`,
      rawPath: `GET /repos/${OWNER}/${REPO}/issues?per_page=${LIMIT}&state=${state}`,
      rawTokens: tokenCount(raw.text),
      rawItems: rawIssues.length,
      anchorTokens: tokenCount(JSON.stringify(rawIssues, null, 2)),
    };
    const prsInRaw = rawIssues.filter((i) => i.pull_request).length;
    if (prsInRaw)
      notes.push(
        `The raw issues page holds ${prsInRaw} pull requests, which list_issues leaves out (GitHub's endpoint mixes them in).`,
      );
    const ours = await callTool(rpc, 'list_issues', { owner: OWNER, repo: REPO, state, limit: LIMIT }).catch(
      (e: Error) => ({ text: e.message, isError: true }),
    );
    if (ours.isError) listRow.oursError = ours.text.split('\n')[0];
    else {
      listRow.oursTokens = tokenCount(ours.text);
      listRow.oursText = ours.text;
      listRow.oursItems = ours.text.split('\n').filter((l) => /^#\d+/.test(l.trim())).length || undefined;
    }
    rows.push(listRow);

    // get_pull_request: the first open seeded PR (or any).
    const pulls = JSON.parse((await rawGet(sandbox, `/repos/${OWNER}/${REPO}/pulls?state=all&per_page=100`)).text) as {
      number: number;
      state: string;
    }[];
    const pr = pulls.find((p) => p.state === 'open') ?? pulls[0];
    if (!pr) throw new Error(`the sandbox has no pull requests in ${OWNER}/${REPO}`);
    opts.log(`results: get_pull_request #${pr.number}`);
    const rawPr = await rawGet(sandbox, `/repos/${OWNER}/${REPO}/pulls/${pr.number}`);
    const prRow: Row = {
      call: `get_pull_request ${OWNER}/${REPO}#${pr.number}`,
      rawPath: `GET /repos/${OWNER}/${REPO}/pulls/${pr.number}`,
      rawTokens: tokenCount(rawPr.text),
    };
    try {
      const schema = await anchorPullSchema();
      prRow.anchorTokens = tokenCount(JSON.stringify(schema.parse(JSON.parse(rawPr.text)), null, 2));
    } catch (error) {
      prRow.anchorError = (error as Error).message.split('\n')[0];
    }
    const oursPr = await callTool(rpc, 'get_pull_request', { owner: OWNER, repo: REPO, pull_number: pr.number }).catch(
      (e: Error) => ({ text: e.message, isError: true }),
    );
    if (oursPr.isError) prRow.oursError = oursPr.text.split('\n')[0];
    else {
      prRow.oursTokens = tokenCount(oursPr.text);
      prRow.oursText = oursPr.text;
    }
    rows.push(prRow);
  } finally {
    await rpc.close();
    await sandbox.close();
  }

  const tableRows: Cell[][] = rows.map((r) => [
    r.call,
    r.rawTokens,
    r.oursTokens ?? `error: ${r.oursError}`,
    pct(r.oursTokens, r.rawTokens),
    r.anchorTokens ?? (r.anchorError ? `error: ${r.anchorError}` : 'n/a'),
    pct(r.anchorTokens, r.rawTokens),
    r.rawItems !== undefined ? `${r.rawItems} / ${r.oursItems ?? '?'}` : '',
  ]);
  for (const r of rows) {
    if (r.oursTokens === undefined) continue;
    const share = r.oursTokens / r.rawTokens;
    notes.push(
      `Aim ours ≤ 25% of raw — ${r.call}: ${(share * 100).toFixed(1)}% — ${share <= AIM ? 'met' : 'NOT met'}.`,
    );
  }
  notes.push(
    "Anchor column: not a live call (it hard-codes https://api.github.com); it is the anchor's own output formatting applied to the same raw body.",
  );
  return {
    name: 'results',
    title: 'Result tokens vs raw GitHub JSON (o200k)',
    tables: [
      {
        title: 'same call, same sandbox data',
        columns: ['call', 'raw JSON', 'ours', 'ours % raw', 'anchor (offline)', 'anchor % raw', 'items raw / ours'],
        rows: tableRows,
      },
    ],
    notes,
    data: { rows },
  };
};
