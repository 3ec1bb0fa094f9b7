/** GitHub Actions: workflows, runs with their jobs and steps, job log tails, re-runs. */
import type { Octokit, RestEndpointMethodTypes } from '@octokit/rest';
import type { Toolset } from '@switchboard-mcp/core';
import { toolsFor, untrusted } from '@switchboard-mcp/core';
import { z } from 'zod';
import {
  asText,
  day,
  more,
  nextCursor,
  oneLine,
  pageFromCursor,
  positiveInt,
  repoResource,
  short,
  who,
} from '../render.ts';

const tool = toolsFor<Octokit>();

type Run = RestEndpointMethodTypes['actions']['getWorkflowRun']['response']['data'];
type Job = RestEndpointMethodTypes['actions']['listJobsForWorkflowRun']['response']['data']['jobs'][number];

const owner = z.string();
const repo = z.string();

export const listWorkflows = tool({
  name: 'list_workflows',
  title: 'List workflows',
  description: 'GitHub Actions workflows in a repo',
  access: 'read',
  // Rarely changes within a conversation; cached briefly per credential.
  cacheTtlMs: 60_000,
  resource: repoResource,
  input: z.object({ owner, repo, cursor: z.string().optional() }),
  run: async ({ client, input, signal }) => {
    const page = pageFromCursor(input.cursor);
    const res = await client.rest.actions.listRepoWorkflows({
      owner: input.owner,
      repo: input.repo,
      per_page: 100,
      page,
      request: { signal },
    });
    return { workflows: res.data.workflows, total: res.data.total_count, page, next: nextCursor(res.headers.link) };
  },
  render: (r, input) => {
    if (!r.workflows.length) return `${input.owner}/${input.repo} has no workflows`;
    const lines = r.workflows.map(
      (w) => `${w.id} ${oneLine(w.name, 100)} (${oneLine(w.path, 200)})${w.state === 'active' ? '' : ` [${w.state}]`}`,
    );
    lines.push(more(r.next, (r.page - 1) * 100 + r.workflows.length, r.total));
    return lines.join('\n');
  },
});

/** `failure`, or `in_progress` while running. */
function outcome(x: { status: string | null; conclusion: string | null }): string {
  return x.status === 'completed' ? (x.conclusion ?? 'completed') : (x.status ?? 'unknown');
}

/** 3m12s between two ISO timestamps; empty when either is missing. */
export function duration(from: string | null | undefined, to: string | null | undefined): string {
  if (!from || !to) return '';
  const s = Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${s % 60}s` : `${Math.floor(m / 60)}h${m % 60}m`;
}

function runLine(r: Run): string {
  return [
    `${r.id} #${r.run_number} ${oneLine(r.name, 80)} [${outcome(r)}]`,
    oneLine(r.head_branch, 100),
    short(r.head_sha),
    r.event,
    who(r.triggering_actor ?? r.actor),
    day(r.created_at),
    oneLine(r.display_title, 80),
  ]
    .filter(Boolean)
    .join(' · ');
}

export const listWorkflowRuns = tool({
  name: 'list_workflow_runs',
  title: 'List workflow runs',
  description: 'Actions runs, newest first',
  access: 'read',
  resource: repoResource,
  input: z.object({
    owner,
    repo,
    workflow: z.string().optional().describe('id or file name, e.g. ci.yml'),
    branch: z.string().optional(),
    head_sha: z.string().optional(),
    status: z.enum(['queued', 'in_progress', 'completed', 'success', 'failure', 'cancelled']).optional(),
    cursor: z.string().optional(),
    limit: z.number().int().min(1).max(100).default(20),
  }),
  run: async ({ client, input, signal }) => {
    const page = pageFromCursor(input.cursor);
    const filters = {
      owner: input.owner,
      repo: input.repo,
      branch: input.branch,
      head_sha: input.head_sha,
      status: input.status,
      per_page: input.limit,
      page,
      request: { signal },
    };
    const res = input.workflow
      ? await client.rest.actions.listWorkflowRuns({ ...filters, workflow_id: input.workflow })
      : await client.rest.actions.listWorkflowRunsForRepo(filters);
    return { runs: res.data.workflow_runs, total: res.data.total_count, page, next: nextCursor(res.headers.link) };
  },
  render: (r, input) => {
    if (!r.runs.length) return 'No workflow runs match';
    const lines = ['run id #number workflow [outcome] · branch · sha · event · actor · created · title'];
    for (const run of r.runs) lines.push(runLine(run));
    lines.push(more(r.next, (r.page - 1) * input.limit + r.runs.length, r.total));
    return lines.join('\n');
  },
});

const JOBS_PER_PAGE = 50;

export const getWorkflowRun = tool({
  name: 'get_workflow_run',
  title: 'Get workflow run',
  description: 'An Actions run with its jobs and their steps',
  access: 'read',
  resource: repoResource,
  input: z.object({ owner, repo, run_id: positiveInt(), cursor: z.string().optional().describe('jobs page') }),
  run: async ({ client, input, signal }) => {
    const { owner, repo, run_id } = input;
    const page = pageFromCursor(input.cursor);
    const [run, jobs] = await Promise.all([
      client.rest.actions.getWorkflowRun({ owner, repo, run_id, request: { signal } }),
      client.rest.actions.listJobsForWorkflowRun({
        owner,
        repo,
        run_id,
        per_page: JOBS_PER_PAGE,
        page,
        request: { signal },
      }),
    ]);
    return {
      run: run.data,
      jobs: jobs.data.jobs,
      total: jobs.data.total_count,
      page,
      next: nextCursor(jobs.headers.link),
    };
  },
  render: (r) => {
    const run = r.run;
    const lines = [
      `Run ${run.id} (#${run.run_number}, attempt ${run.run_attempt ?? 1}) ${oneLine(run.name, 100)} [${outcome(run)}]`,
      run.html_url,
      [
        oneLine(run.path, 200),
        `event ${run.event}`,
        `branch ${oneLine(run.head_branch, 100)}`,
        `head ${run.head_sha}`,
        `by ${who(run.triggering_actor ?? run.actor)}`,
        `started ${run.run_started_at ?? run.created_at}`,
        run.status === 'completed' ? `took ${duration(run.run_started_at ?? run.created_at, run.updated_at)}` : '',
      ]
        .filter(Boolean)
        .join(' · '),
      `title: ${oneLine(run.display_title)}`,
    ];
    const prs = (run.pull_requests ?? []).map((p) => `#${p.number}`);
    if (prs.length) lines.push(`PRs: ${prs.join(', ')}`);
    lines.push(`Jobs (${r.total}):`);
    for (const job of r.jobs) lines.push(...jobLines(job));
    lines.push(more(r.next, (r.page - 1) * JOBS_PER_PAGE + r.jobs.length, r.total));
    if (r.jobs.some((j) => j.conclusion === 'failure')) lines.push('Failed job logs: get_job_log with the job id');
    return lines.join('\n');
  },
});

/** Outcomes shown as ranges of step numbers; any other outcome (failure, cancelled, in_progress) names the step. */
const QUIET: Record<string, string> = { success: 'ok', skipped: 'skipped', queued: 'queued' };

/**
 * A job line, then its steps compactly: `steps: 1-4 ok · 5 Run npm test [failure] · 6-7 skipped · 8 ok`, or
 * `8 steps ok` when they all share one outcome.
 */
function jobLines(job: Job): string[] {
  const took = duration(job.started_at, job.completed_at);
  const head = `job ${job.id} ${oneLine(job.name, 120)} [${outcome(job)}]${took ? ` ${took}` : ''}`;
  const steps = job.steps ?? [];
  if (!steps.length) return [head];
  const outcomes = steps.map((s) => outcome(s));
  if (outcomes.every((o) => o === outcomes[0])) {
    return [head, `  ${steps.length} steps ${QUIET[outcomes[0] as string] ?? outcomes[0]}`];
  }
  const parts: string[] = [];
  for (let i = 0; i < steps.length; ) {
    const step = steps[i] as (typeof steps)[number];
    const o = outcomes[i] as string;
    const quiet = QUIET[o];
    if (!quiet) {
      parts.push(`${step.number} ${oneLine(step.name, 80)} [${o}]`);
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < steps.length && outcomes[j + 1] === o) j++;
    const last = steps[j] as (typeof steps)[number];
    parts.push(`${j > i ? `${step.number}-${last.number}` : step.number} ${quiet}`);
    i = j + 1;
  }
  return [head, `  steps: ${parts.join(' · ')}`];
}

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?/;
const MAX_LOG_LINE = 500;
const MAX_TAIL = 1000;

/** The last `lines` lines of a job log, ANSI colours and per-line timestamps removed, long lines clipped. */
export function logTail(log: string, lines: number): { tail: string[]; total: number; lastErrorLine?: number } {
  const all = log.replace(/\r\n?/g, '\n').split('\n');
  while (all.length && all.at(-1) === '') all.pop();
  const start = Math.max(0, all.length - lines);
  // The failing step's `##[error]` line, when it lies before the window: worth saying where it is.
  let lastError = -1;
  for (let i = start - 1; i >= 0 && lastError < 0; i--) if (all[i]?.includes('##[error]')) lastError = i;
  const errorInTail = all.slice(start).some((l) => l.includes('##[error]'));
  const tail = all.slice(start).map((raw) => {
    const line = raw.replace(ANSI, '').replace(TIMESTAMP, '');
    return line.length > MAX_LOG_LINE ? `${line.slice(0, MAX_LOG_LINE)}… [+${line.length - MAX_LOG_LINE} chars]` : line;
  });
  return { tail, total: all.length, lastErrorLine: lastError >= 0 && !errorInTail ? lastError + 1 : undefined };
}

export const getJobLog = tool({
  name: 'get_job_log',
  title: 'Get job log',
  description: 'The last lines of an Actions job log',
  access: 'read',
  resource: repoResource,
  input: z.object({ owner, repo, job_id: positiveInt(), lines: z.number().int().min(1).max(MAX_TAIL).default(100) }),
  run: async ({ client, input, signal }) => {
    const res = await client.rest.actions.downloadJobLogsForWorkflowRun({
      owner: input.owner,
      repo: input.repo,
      job_id: input.job_id,
      request: { signal },
    });
    return logTail(asText(res.data), input.lines);
  },
  render: (r, input) => {
    if (!r.total) return `Job ${input.job_id} log is empty`;
    const skipped = r.total - r.tail.length;
    const head = skipped
      ? `Job ${input.job_id} log: last ${r.tail.length} of ${r.total} lines (${skipped} earlier lines skipped; lines up to ${MAX_TAIL} shows more)`
      : `Job ${input.job_id} log: all ${r.total} lines`;
    const reach = r.lastErrorLine ? r.total - r.lastErrorLine + 1 : 0;
    const error = !r.lastErrorLine
      ? ''
      : reach <= MAX_TAIL
        ? `\nThe last ##[error] is at line ${r.lastErrorLine}, before this window: lines=${reach} reaches it.`
        : `\nThe last ##[error] is at line ${r.lastErrorLine}, more than ${MAX_TAIL} lines before the end.`;
    return `${head}, timestamps removed${error}\n${untrusted(r.tail.join('\n'), { source: `log of job ${input.job_id}` })}`;
  },
});

export const rerunWorkflowRun = tool({
  name: 'rerun_workflow_run',
  title: 'Re-run workflow run',
  description: 'Re-run an Actions run, or only its failed jobs',
  access: 'write',
  resource: repoResource,
  scopes: ['repo'],
  input: z.object({ owner, repo, run_id: positiveInt(), failed_only: z.boolean().default(false) }),
  run: async ({ client, input, signal }) => {
    const args = { owner: input.owner, repo: input.repo, run_id: input.run_id, request: { signal } };
    if (input.failed_only) await client.rest.actions.reRunWorkflowFailedJobs(args);
    else await client.rest.actions.reRunWorkflow(args);
    return {};
  },
  render: (_r, input) =>
    `Re-run of run ${input.run_id}${input.failed_only ? ' (failed jobs only)' : ''} requested; follow it with get_workflow_run`,
});

export const actions: Toolset = {
  description: 'GitHub Actions: workflows, runs, jobs and steps, log tails, re-runs',
  tools: [listWorkflows, listWorkflowRuns, getWorkflowRun, getJobLog, rerunWorkflowRun],
};
