import { assertRequestsConform } from '@switchboard-mcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord, RunRecord } from '../src/sandbox/state.ts';
import { duration, logTail } from '../src/tools/actions.ts';
import { type GithubUnderTest, githubApi, startGithub, TRANSPORTS } from './helpers.ts';

const W = { owner: 'acme', repo: 'widgets' };
const TIMESTAMP_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/m;

describe.each(TRANSPORTS)('actions toolset over %s', (transport) => {
  let gh: GithubUnderTest;
  const call = async (name: string, args: Record<string, unknown>) => {
    const res = await gh.harness.callTool(name, args);
    if (res.isError) throw new Error(`${name} failed: ${res.text}`);
    return res.text;
  };
  const runs = (): RunRecord[] => gh.sandbox.state.getRepo('acme/widgets').runs;
  /** The seeded run whose lint job failed, and that job. */
  const lintFailure = (): { run: RunRecord; job: JobRecord } => {
    for (const run of runs()) {
      const job = run.jobs.find((j) => j.failure === 'lint' && j.runAttempt === run.runAttempt);
      if (job) return { run, job };
    }
    throw new Error('seed has no failed lint job');
  };

  beforeAll(async () => {
    gh = await startGithub({ transport, args: ['--toolsets', 'actions'] });
  }, 60_000);
  afterAll(async () => {
    await gh?.close();
  });

  it('list_workflows lists id, name and file', async () => {
    const text = await call('list_workflows', W);
    expect(text).toMatch(/^\d+ CI \(\.github\/workflows\/ci\.yml\)$/m);
    expect(text).toMatch(/^\d+ Nightly \(\.github\/workflows\/nightly\.yml\)$/m);
    expect(text).toContain('(3 of 3 shown; end)');
  });

  describe('list_workflow_runs', () => {
    it('lists runs newest first with outcome, branch, short sha and title, and pages', async () => {
      const text = await call('list_workflow_runs', { ...W, limit: 3 });
      const rows = text.split('\n').slice(1, -1);
      expect(rows).toHaveLength(3);
      for (const row of rows) {
        expect(row).toMatch(
          /^\d+ #\d+ \w+ \[\w+\] · [\w./-]+ · [0-9a-f]{7} · \w+ · @[\w[\]-]+ · \d{4}-\d\d-\d\d · .+$/,
        );
      }
      expect(text).toMatch(/\(3 of \d+ shown; more with cursor="2"\)$/);
      const next = await call('list_workflow_runs', { ...W, limit: 3, cursor: '2' });
      expect(next.split('\n')[1]).not.toBe(rows[0]);
    });

    it('filters by workflow file, status, branch and head sha', async () => {
      const failed = await call('list_workflow_runs', { ...W, workflow: 'ci.yml', status: 'failure' });
      const rows = failed.split('\n').slice(1, -1);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row).toMatch(/^\d+ #\d+ CI \[failure\]/);
      const { run } = lintFailure();
      const bySha = await call('list_workflow_runs', { ...W, head_sha: run.headSha, branch: run.headBranch });
      expect(bySha).toContain(`${run.id} #${run.runNumber} `);
      for (const row of bySha.split('\n').slice(1, -1)) expect(row).toContain(run.headSha.slice(0, 7));
    });
  });

  describe('get_workflow_run', () => {
    it('shows the run with its jobs and steps compactly, pointing at the failed job log', async () => {
      const { run, job } = lintFailure();
      const text = await call('get_workflow_run', { ...W, run_id: run.id });
      expect(text).toMatch(
        new RegExp(
          `^Run ${run.id} \\(#${run.runNumber}, attempt 1\\) CI \\[failure\\]\\nhttp://127\\.0\\.0\\.1:\\d+/acme/widgets/actions/runs/${run.id}\\n`,
        ),
      );
      expect(text).toContain(`head ${run.headSha}`);
      expect(text).toContain(
        `job ${job.id} lint [failure] 1m0s\n  steps: 1-4 ok · 5 Run npm run lint [failure] · 6-7 skipped · 8 ok`,
      );
      expect(text).toMatch(/job \d+ test \(20\) \[success\] \d+m\d+s\n {2}8 steps ok/);
      expect(text).toContain('Failed job logs: get_job_log with the job id');
    });

    it('shows a running job step by step', async () => {
      const running = runs().find((r) => r.status === 'in_progress');
      expect(running).toBeDefined();
      const text = await call('get_workflow_run', { ...W, run_id: running?.id });
      expect(text).toContain('[in_progress]');
      expect(text).toMatch(/steps: 1-\d+ ok · \d+ [^[]+\[in_progress\] · \d+-\d+ queued/);
      expect(text).not.toContain('took');
    });
  });

  describe('get_job_log', () => {
    it('returns the tail (default 100 lines) without timestamps, fenced, following the storage redirect', async () => {
      const { job } = lintFailure();
      gh.sandbox.upstream.clearRequests();
      const text = await call('get_job_log', { ...W, job_id: job.id });
      const head =
        /^Job \d+ log: last 100 of (\d+) lines \((\d+) earlier lines skipped; lines up to 1000 shows more\), timestamps removed$/m.exec(
          text,
        );
      expect(head, text.slice(0, 300)).not.toBeNull();
      expect(Number(head?.[1]) - Number(head?.[2])).toBe(100);
      const body = /<untrusted from="log of job \d+">\n([\s\S]*)\n<\/untrusted>$/.exec(text)?.[1] ?? '';
      expect(body.split('\n')).toHaveLength(100);
      expect(body).toContain('##[error]');
      expect(body).not.toMatch(TIMESTAMP_LINE);
      // GitHub answers the logs endpoint with a 302 to a storage URL; the client followed it.
      const [api, storage] = gh.sandbox.upstream.requests;
      expect(api).toMatchObject({
        method: 'GET',
        path: `/repos/acme/widgets/actions/jobs/${job.id}/logs`,
        status: 302,
      });
      expect(storage?.path).toMatch(/^\/__logs\//);
      expect(storage?.status).toBe(200);
    });

    it('honours a small tail and says where the last error line is', async () => {
      const { job } = lintFailure();
      const text = await call('get_job_log', { ...W, job_id: job.id, lines: 3 });
      expect(text).toMatch(/log: last 3 of \d+ lines/);
      expect(text).toMatch(/The last ##\[error\] is at line \d+, before this window: lines=\d+ reaches it\./);
      const reach = Number(/lines=(\d+) reaches it/.exec(text)?.[1]);
      const wider = await call('get_job_log', { ...W, job_id: job.id, lines: reach });
      const firstLine = /<untrusted[^>]*>\n(.*)/.exec(wider)?.[1];
      expect(firstLine).toContain('##[error]');
    });

    it('bounds the tail length', async () => {
      const { job } = lintFailure();
      const res = await gh.harness.callTool('get_job_log', { ...W, job_id: job.id, lines: 50_000 });
      expect(res.isError).toBe(true);
      expect(res.text).toContain('lines');
    });
  });

  describe('rerun_workflow_run', () => {
    it('re-runs only the failed jobs as a new attempt', async () => {
      const { run, job } = lintFailure();
      const text = await call('rerun_workflow_run', { ...W, run_id: run.id, failed_only: true });
      expect(text).toBe(`Re-run of run ${run.id} (failed jobs only) requested; follow it with get_workflow_run`);
      const attempt = run.jobs.filter((j) => j.runAttempt === 2);
      expect(run.runAttempt).toBe(2);
      expect(attempt.find((j) => j.name === job.name)?.status).toBe('queued');
      expect(attempt.filter((j) => j.conclusion === 'success').length).toBeGreaterThan(0);
      const view = await call('get_workflow_run', { ...W, run_id: run.id });
      expect(view).toContain('attempt 2');
    });

    it('a whole re-run of a running workflow is refused with the reason', async () => {
      const running = runs().find((r) => r.status === 'in_progress');
      const res = await gh.harness.callTool('rerun_workflow_run', { ...W, run_id: running?.id });
      expect(res.isError).toBe(true);
      expect(res.text).toContain('already running');
    });
  });

  it('sent only requests that conform to the GitHub OpenAPI description', () => {
    expect(gh.sandbox.upstream.requests.length).toBeGreaterThan(3);
    // The log storage download is not a GitHub API operation.
    assertRequestsConform(githubApi(), gh.sandbox.upstream.requests, { allow: ['GET /__logs/**'] });
  });
});

describe('log tail', () => {
  it('strips ANSI colours and runner timestamps and counts what it skipped', () => {
    const log = Array.from(
      { length: 10 },
      (_, i) => `2024-04-08T15:00:0${i}.1234567Z \u001b[31mline ${i + 1}\u001b[0m`,
    ).join('\r\n');
    const { tail, total } = logTail(`${log}\n`, 3);
    expect(total).toBe(10);
    expect(tail).toEqual(['line 8', 'line 9', 'line 10']);
  });

  it('formats durations', () => {
    expect(duration('2024-04-08T15:00:00Z', '2024-04-08T15:00:42Z')).toBe('42s');
    expect(duration('2024-04-08T15:00:00Z', '2024-04-08T15:03:12Z')).toBe('3m12s');
    expect(duration('2024-04-08T15:00:00Z', '2024-04-08T17:05:00Z')).toBe('2h5m');
    expect(duration(null, '2024-04-08T17:05:00Z')).toBe('');
  });
});
