/** Issues, issue comments, labels and milestones. (Pull requests are issues too and show up here.) */
import type { Ctx, Router, ValidationErrorItem } from '../http.ts';
import { emptyReactions, type IssueRecord, newIssueRecord, type RepoRecord, roleAtLeast } from '../state.ts';

const D = 'https://docs.github.com/rest/issues';

function sortIssues(ctx: Ctx, items: IssueRecord[]): IssueRecord[] {
  const sort = ctx.query.get('sort') ?? 'created';
  const asc = ctx.query.get('direction') === 'asc';
  const key = (i: IssueRecord): string | number =>
    sort === 'updated' ? i.updatedAt : sort === 'comments' ? i.comments.length : i.createdAt;
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka === kb) return (a.number - b.number) * (asc ? 1 : -1);
    return (ka < kb ? -1 : 1) * (asc ? 1 : -1);
  });
}

function filterIssues(ctx: Ctx, r: RepoRecord): IssueRecord[] {
  const q = ctx.query;
  const state = q.get('state') ?? 'open';
  if (!['open', 'closed', 'all'].includes(state)) {
    throw ctx.invalid([{ resource: 'Issue', field: 'state', code: 'invalid' }]);
  }
  const labels = (q.get('labels') ?? '')
    .split(',')
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean);
  const assignee = q.get('assignee');
  const creator = q.get('creator')?.toLowerCase();
  const mentioned = q.get('mentioned')?.toLowerCase();
  const milestone = q.get('milestone');
  const since = q.get('since');
  const eq = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
  return [...r.issues.values()].filter((i) => {
    if (state !== 'all' && i.state !== state) return false;
    if (labels.length > 0 && !labels.every((l) => i.labels.some((x) => x.toLowerCase() === l))) return false;
    if (assignee === 'none' && i.assignees.length > 0) return false;
    if (assignee === '*' && i.assignees.length === 0) return false;
    if (assignee && assignee !== 'none' && assignee !== '*' && !i.assignees.some((a) => eq(a, assignee))) return false;
    if (creator && i.user.toLowerCase() !== creator) return false;
    if (mentioned && !(i.body ?? '').toLowerCase().includes(`@${mentioned}`)) return false;
    if (milestone === 'none' && i.milestone !== null) return false;
    if (milestone === '*' && i.milestone === null) return false;
    if (milestone && /^\d+$/.test(milestone) && i.milestone !== Number(milestone)) return false;
    if (since && i.updatedAt < since) return false;
    return true;
  });
}

export function getIssue(ctx: Ctx): IssueRecord {
  const i = ctx.repo.issues.get(ctx.int('number'));
  if (!i) throw ctx.notFound();
  return i;
}

/** Users that can be assigned: anyone with at least triage access (GitHub: collaborators and members). */
function assignable(ctx: Ctx, login: string): boolean {
  const u = ctx.s.user(login);
  if (!u) return false;
  return roleAtLeast(ctx.s.role(ctx.repo, u.login), 'triage');
}

/** Label names from `["bug", {name: "x"}]`; unknown labels are created, as GitHub does. */
function resolveLabels(ctx: Ctx, raw: unknown): string[] {
  if (!Array.isArray(raw)) throw ctx.invalid([{ resource: 'Issue', field: 'labels', code: 'invalid' }]);
  const out: string[] = [];
  for (const l of raw) {
    const name =
      typeof l === 'string'
        ? l
        : typeof l === 'object' && l && 'name' in l
          ? String((l as { name: unknown }).name)
          : '';
    if (!name) throw ctx.invalid([{ resource: 'Label', field: 'name', code: 'missing_field' }]);
    let label = ctx.repo.labels.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!label) {
      label = { id: ctx.s.nextId(), name, color: 'ededed', description: null, default: false };
      ctx.repo.labels.push(label);
    }
    if (!out.includes(label.name)) out.push(label.name);
  }
  return out;
}

function resolveAssignees(ctx: Ctx, resource: string, raw: unknown[]): string[] {
  const errors: ValidationErrorItem[] = [];
  const out: string[] = [];
  for (const a of raw) {
    if (typeof a !== 'string' || !assignable(ctx, a)) {
      errors.push({ resource, field: 'assignees', code: 'invalid', value: a });
      continue;
    }
    const login = ctx.s.user(a)!.login;
    if (!out.includes(login)) out.push(login);
  }
  if (errors.length > 0) throw ctx.invalid(errors);
  return out;
}

function resolveMilestone(ctx: Ctx, resource: string, raw: unknown): number | null {
  if (raw === null) return null;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!ctx.repo.milestones.some((m) => m.number === n)) {
    throw ctx.invalid([{ resource, field: 'milestone', code: 'invalid', value: raw }]);
  }
  return n;
}

/** Apply issue fields shared by create and update. Triage-level fields are silently dropped without access. */
function applyFields(ctx: Ctx, i: IssueRecord, body: Record<string, unknown>): void {
  const triage = roleAtLeast(ctx.role, 'triage');
  if (body.title !== undefined) {
    if (typeof body.title !== 'string' && typeof body.title !== 'number') {
      throw ctx.invalid([{ resource: 'Issue', field: 'title', code: 'invalid' }]);
    }
    i.title = String(body.title);
  }
  if (body.body !== undefined) i.body = body.body === null ? null : String(body.body);
  if (!triage) return;
  if (body.labels !== undefined) i.labels = resolveLabels(ctx, body.labels);
  if (body.assignees !== undefined) {
    if (!Array.isArray(body.assignees)) throw ctx.invalid([{ resource: 'Issue', field: 'assignees', code: 'invalid' }]);
    i.assignees = resolveAssignees(ctx, 'Issue', body.assignees);
  } else if (body.assignee !== undefined) {
    i.assignees = body.assignee === null ? [] : resolveAssignees(ctx, 'Issue', [body.assignee]);
  }
  if (body.milestone !== undefined) i.milestone = resolveMilestone(ctx, 'Issue', body.milestone);
}

export function setState(ctx: Ctx, i: IssueRecord, state: unknown, reason: unknown): void {
  if (state === undefined) return;
  if (state !== 'open' && state !== 'closed')
    throw ctx.invalid([{ resource: 'Issue', field: 'state', code: 'invalid' }]);
  const reasons = ['completed', 'not_planned', 'reopened', 'duplicate'];
  if (reason !== undefined && reason !== null && !reasons.includes(String(reason))) {
    throw ctx.invalid([{ resource: 'Issue', field: 'state_reason', code: 'invalid' }]);
  }
  if (state === 'closed' && i.state === 'open') {
    if (i.pull) {
      // A closed pull request keeps reporting the head and base it had when it was closed.
      i.pull.headSha = ctx.s.branchSha(ctx.repo, i.pull.headRef) ?? i.pull.headSha;
      i.pull.baseSha = ctx.s.branchSha(ctx.repo, i.pull.baseRef) ?? i.pull.baseSha;
    }
    i.state = 'closed';
    i.closedAt = ctx.s.now();
    i.closedBy = ctx.login;
    i.stateReason = (reason as IssueRecord['stateReason']) ?? 'completed';
  } else if (state === 'open' && i.state === 'closed') {
    i.state = 'open';
    i.closedAt = null;
    i.closedBy = null;
    i.stateReason = 'reopened';
  } else if (state === 'closed' && reason) {
    i.stateReason = reason as IssueRecord['stateReason'];
  }
}

export function issueRoutes(router: Router): void {
  const read = { permission: 'issues' as const };
  const write = { permission: 'issues' as const, write: true };

  router.get('/repos/:owner/:repo/issues', { ...read, docs: `${D}/issues#list-repository-issues` }, (ctx) => {
    const items = sortIssues(ctx, filterIssues(ctx, ctx.repo));
    return ctx.list(items, (i) => ctx.shape.issue(ctx.repo, i));
  });

  router.get('/repos/:owner/:repo/issues/:number', { ...read, docs: `${D}/issues#get-an-issue` }, (ctx) => ({
    status: 200,
    body: ctx.shape.issue(ctx.repo, getIssue(ctx)),
  }));

  router.post('/repos/:owner/:repo/issues', { ...write, docs: `${D}/issues#create-an-issue` }, (ctx) => {
    const r = ctx.repo;
    const body = ctx.body;
    if (body.title === undefined || body.title === null || body.title === '') {
      throw ctx.invalid([{ resource: 'Issue', field: 'title', code: 'missing_field' }]);
    }
    const now = ctx.s.now();
    const number = ctx.s.nextIssueNumber(r);
    const i: IssueRecord = newIssueRecord(ctx.s.nextId(), number, ctx.login, now);
    applyFields(ctx, i, body);
    r.issues.set(number, i);
    const out = ctx.shape.issue(r, i);
    return { status: 201, body: out, headers: { location: String(out.url) } };
  });

  router.patch('/repos/:owner/:repo/issues/:number', { ...write, docs: `${D}/issues#update-an-issue` }, (ctx) => {
    const i = getIssue(ctx);
    const body = ctx.body;
    const isAuthor = i.user.toLowerCase() === ctx.login.toLowerCase();
    if (!isAuthor && !roleAtLeast(ctx.role, 'triage')) throw ctx.error(403, 'Must have admin rights to Repository.');
    applyFields(ctx, i, body);
    setState(ctx, i, body.state, body.state_reason);
    i.updatedAt = ctx.s.now();
    return { status: 200, body: ctx.shape.issue(ctx.repo, i) };
  });

  router.get(
    '/repos/:owner/:repo/issues/:number/comments',
    { ...read, docs: `${D}/comments#list-issue-comments` },
    (ctx) => {
      const i = getIssue(ctx);
      const since = ctx.query.get('since');
      const comments = i.comments.filter((c) => !since || c.updatedAt >= since);
      return ctx.list(comments, (c) => ctx.shape.comment(ctx.repo, i, c));
    },
  );

  router.post(
    '/repos/:owner/:repo/issues/:number/comments',
    { ...write, docs: `${D}/comments#create-an-issue-comment` },
    (ctx) => {
      const i = getIssue(ctx);
      const { body } = ctx.body;
      if (typeof body !== 'string' || body === '') {
        throw ctx.invalid([{ resource: 'IssueComment', field: 'body', code: 'missing_field' }]);
      }
      if (i.locked && !roleAtLeast(ctx.role, 'write'))
        throw ctx.error(403, 'Unable to create comment because issue is locked.');
      const now = ctx.s.now();
      const c = {
        id: ctx.s.nextId(),
        user: ctx.login,
        body,
        createdAt: now,
        updatedAt: now,
        reactions: emptyReactions(),
      };
      i.comments.push(c);
      i.updatedAt = now;
      const out = ctx.shape.comment(ctx.repo, i, c);
      return { status: 201, body: out, headers: { location: String(out.url) } };
    },
  );

  router.get('/repos/:owner/:repo/labels', { ...read, docs: `${D}/labels#list-labels-for-a-repository` }, (ctx) =>
    ctx.list(ctx.repo.labels, (l) => ctx.shape.label(ctx.repo, l)),
  );

  router.get('/repos/:owner/:repo/milestones', { ...read, docs: `${D}/milestones#list-milestones` }, (ctx) => {
    const state = ctx.query.get('state') ?? 'open';
    const ms = ctx.repo.milestones.filter((m) => state === 'all' || m.state === state);
    return ctx.list(ms, (m) => ctx.shape.milestone(ctx.repo, m));
  });
}
