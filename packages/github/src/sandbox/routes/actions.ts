/** GitHub Actions: workflows, runs, jobs, job logs (302 to a download URL), re-runs, cancel, dispatch. */
import { createHmac } from 'node:crypto';
import type { Ctx, Router } from '../http.ts';
import { inRange } from '../query.ts';
import type { JobRecord, RunRecord, WorkflowRecord } from '../state.ts';

const D = 'https://docs.github.com/rest/actions';

/** Signature on log download URLs (GitHub's are short-lived SAS URLs on another host). */
export function logSignature(secret: string, path: string): string {
  return createHmac('sha256', secret).update(path).digest('hex').slice(0, 32);
}

function workflow(ctx: Ctx): WorkflowRecord {
  const id = ctx.param('workflow_id');
  const w = ctx.repo.workflows.find((x) => String(x.id) === id || x.path.split('/').pop() === id);
  if (!w) throw ctx.notFound();
  return w;
}

function getRun(ctx: Ctx): RunRecord {
  const id = ctx.int('run_id');
  const run = ctx.repo.runs.find((x) => x.id === id);
  if (!run) throw ctx.notFound();
  return run;
}

function findJob(ctx: Ctx): { run: RunRecord; job: JobRecord } {
  const id = ctx.int('job_id');
  for (const run of ctx.repo.runs) {
    const job = run.jobs.find((j) => j.id === id);
    if (job) return { run, job };
  }
  throw ctx.notFound();
}

const CONCLUSIONS = new Set([
  'success',
  'failure',
  'neutral',
  'cancelled',
  'skipped',
  'timed_out',
  'action_required',
  'stale',
]);

function listRuns(ctx: Ctx, only?: WorkflowRecord) {
  const q = ctx.query;
  const status = q.get('status');
  const runs = ctx.repo.runs
    .filter((r) => !only || r.workflowId === only.id)
    .filter((r) => !q.get('actor') || r.actor.toLowerCase() === q.get('actor')!.toLowerCase())
    .filter((r) => !q.get('branch') || r.headBranch === q.get('branch'))
    .filter((r) => !q.get('event') || r.event === q.get('event'))
    .filter((r) => !q.get('head_sha') || r.headSha === q.get('head_sha'))
    .filter((r) => !status || (CONCLUSIONS.has(status) ? r.conclusion === status : r.status === status))
    .filter((r) => !q.get('created') || inRange(q.get('created')!, r.createdAt))
    .sort((a, b) => (a.createdAt === b.createdAt ? b.id - a.id : a.createdAt < b.createdAt ? 1 : -1));
  const exclude = q.get('exclude_pull_requests') === 'true';
  return ctx.wrappedList('workflow_runs', runs, (r) => {
    const out = ctx.shape.run(ctx.repo, r);
    if (exclude) out.pull_requests = [];
    return out;
  });
}

/** Start a new attempt: same run id, attempt + 1, jobs queued again (failed-only keeps successful jobs). */
function rerun(ctx: Ctx, run: RunRecord, failedOnly: boolean): void {
  if (run.status !== 'completed') throw ctx.error(403, 'This workflow is already running');
  const now = ctx.s.now();
  const latest = run.jobs.filter((j) => j.runAttempt === run.runAttempt);
  run.runAttempt += 1;
  for (const j of latest) {
    const keep = failedOnly && j.conclusion === 'success';
    run.jobs.push({
      ...j,
      id: ctx.s.nextId(),
      runAttempt: run.runAttempt,
      status: keep ? 'completed' : 'queued',
      conclusion: keep ? 'success' : null,
      createdAt: now,
      startedAt: keep ? j.startedAt : now,
      completedAt: keep ? j.completedAt : null,
      steps: j.steps.map((st) => ({
        ...st,
        status: keep ? st.status : 'queued',
        conclusion: keep ? st.conclusion : null,
        startedAt: keep ? st.startedAt : null,
        completedAt: keep ? st.completedAt : null,
      })),
      runnerId: keep ? j.runnerId : null,
      runnerName: keep ? j.runnerName : null,
    });
  }
  Object.assign(run, {
    status: 'queued',
    conclusion: null,
    updatedAt: now,
    runStartedAt: now,
    triggeringActor: ctx.login,
  });
}

export function actionRoutes(router: Router, logSecret: string): void {
  const read = { permission: 'actions' as const };
  const write = { permission: 'actions' as const, write: true };

  router.get(
    '/repos/:owner/:repo/actions/workflows',
    { ...read, docs: `${D}/workflows#list-repository-workflows` },
    (ctx) => ctx.wrappedList('workflows', ctx.repo.workflows, (w) => ctx.shape.workflow(ctx.repo, w)),
  );

  router.get(
    '/repos/:owner/:repo/actions/workflows/:workflow_id',
    { ...read, docs: `${D}/workflows#get-a-workflow` },
    (ctx) => ({
      status: 200,
      body: ctx.shape.workflow(ctx.repo, workflow(ctx)),
    }),
  );

  router.get(
    '/repos/:owner/:repo/actions/workflows/:workflow_id/runs',
    { ...read, docs: `${D}/workflow-runs#list-workflow-runs-for-a-workflow` },
    (ctx) => listRuns(ctx, workflow(ctx)),
  );

  router.post(
    '/repos/:owner/:repo/actions/workflows/:workflow_id/dispatches',
    { ...write, docs: `${D}/workflows#create-a-workflow-dispatch-event` },
    (ctx) => {
      ctx.requireRole('write');
      const w = workflow(ctx);
      const ref = ctx.body.ref;
      if (typeof ref !== 'string' || ref === '')
        throw ctx.invalid([{ resource: 'Workflow', field: 'ref', code: 'missing_field' }]);
      const branch = ref.replace(/^refs\/heads\//, '');
      const sha = ctx.s.resolveRef(ctx.repo, ref);
      if (!sha) throw ctx.error(422, `No ref found for: ${ref}`);
      const now = ctx.s.now();
      const id = ctx.s.nextId();
      const number = Math.max(0, ...ctx.repo.runs.filter((r) => r.workflowId === w.id).map((r) => r.runNumber)) + 1;
      const run: RunRecord = {
        id,
        workflowId: w.id,
        runNumber: number,
        runAttempt: 1,
        event: 'workflow_dispatch',
        status: 'queued',
        conclusion: null,
        headBranch: branch,
        headSha: sha,
        actor: ctx.login,
        triggeringActor: ctx.login,
        displayTitle: w.name,
        pullRequests: [],
        checkSuiteId: ctx.s.nextId(),
        createdAt: now,
        updatedAt: now,
        runStartedAt: now,
        jobs: [],
      };
      ctx.repo.runs.push(run);
      return { status: 204 };
    },
  );

  router.get(
    '/repos/:owner/:repo/actions/runs',
    { ...read, docs: `${D}/workflow-runs#list-workflow-runs-for-a-repository` },
    (ctx) => listRuns(ctx),
  );

  router.get(
    '/repos/:owner/:repo/actions/runs/:run_id',
    { ...read, docs: `${D}/workflow-runs#get-a-workflow-run` },
    (ctx) => ({
      status: 200,
      body: ctx.shape.run(ctx.repo, getRun(ctx)),
    }),
  );

  router.get(
    '/repos/:owner/:repo/actions/runs/:run_id/jobs',
    { ...read, docs: `${D}/workflow-jobs#list-jobs-for-a-workflow-run` },
    (ctx) => {
      const run = getRun(ctx);
      const filter = ctx.query.get('filter') ?? 'latest';
      if (filter !== 'latest' && filter !== 'all')
        throw ctx.invalid([{ resource: 'Job', field: 'filter', code: 'invalid' }]);
      const jobs = filter === 'all' ? run.jobs : run.jobs.filter((j) => j.runAttempt === run.runAttempt);
      return ctx.wrappedList('jobs', jobs, (j) => ctx.shape.job(ctx.repo, run, j));
    },
  );

  router.get(
    '/repos/:owner/:repo/actions/jobs/:job_id',
    { ...read, docs: `${D}/workflow-jobs#get-a-job-for-a-workflow-run` },
    (ctx) => {
      const { run, job } = findJob(ctx);
      return { status: 200, body: ctx.shape.job(ctx.repo, run, job) };
    },
  );

  router.get(
    '/repos/:owner/:repo/actions/jobs/:job_id/logs',
    { ...read, docs: `${D}/workflow-jobs#download-job-logs-for-a-workflow-run` },
    (ctx) => {
      const { job } = findJob(ctx);
      if (job.status === 'queued' || job.status === 'waiting' || job.status === 'pending') throw ctx.notFound();
      const path = `/__logs/${ctx.repo.owner}/${ctx.repo.name}/${job.id}`;
      const location = `${ctx.shape.urls.origin}${path}?sig=${logSignature(logSecret, path)}`;
      return { status: 302, headers: { location }, body: '' };
    },
  );

  router.post(
    '/repos/:owner/:repo/actions/runs/:run_id/rerun',
    { ...write, docs: `${D}/workflow-runs#re-run-a-workflow` },
    (ctx) => {
      ctx.requireRole('write');
      rerun(ctx, getRun(ctx), false);
      return { status: 201, body: {} };
    },
  );

  router.post(
    '/repos/:owner/:repo/actions/runs/:run_id/rerun-failed-jobs',
    { ...write, docs: `${D}/workflow-runs#re-run-failed-jobs-from-a-workflow-run` },
    (ctx) => {
      ctx.requireRole('write');
      rerun(ctx, getRun(ctx), true);
      return { status: 201, body: {} };
    },
  );

  router.post(
    '/repos/:owner/:repo/actions/runs/:run_id/cancel',
    { ...write, docs: `${D}/workflow-runs#cancel-a-workflow-run` },
    (ctx) => {
      ctx.requireRole('write');
      const run = getRun(ctx);
      if (run.status === 'completed') throw ctx.error(409, 'Cannot cancel a workflow run that is completed.');
      const now = ctx.s.now();
      for (const j of run.jobs) {
        if (j.runAttempt !== run.runAttempt || j.status === 'completed') continue;
        Object.assign(j, { status: 'completed', conclusion: 'cancelled', completedAt: now });
      }
      Object.assign(run, { status: 'completed', conclusion: 'cancelled', updatedAt: now });
      return { status: 202, body: {} };
    },
  );
}
