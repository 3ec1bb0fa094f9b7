/** Pull requests: list/get/create/update, files, diff, reviews, review comments, reviewers, merge. */
import { type FlatFile, locateInPatch, unifiedDiff } from '../git.ts';
import type { Ctx, Router } from '../http.ts';
import {
  ensureHunk,
  isPull,
  mergeability,
  openPullFor,
  pullBase,
  pullChanges,
  pullCommits,
  pullHead,
  threeWayMerge,
} from '../model.ts';
import {
  type IssueRecord,
  newIssueRecord,
  type PullRecord,
  type ReviewCommentRecord,
  type ReviewRecord,
  roleAtLeast,
} from '../state.ts';

const D = 'https://docs.github.com/rest/pulls';

type Pull = IssueRecord & { pull: PullRecord };

function getPull(ctx: Ctx): Pull {
  const i = ctx.repo.issues.get(ctx.int('number'));
  if (!i || !isPull(i)) throw ctx.notFound();
  return i;
}

/** `head` may be "branch" or "owner:branch"; the sandbox has no forks, so the owner must be the repo's. */
function headBranch(ctx: Ctx, head: string): string | undefined {
  const [owner, branch] = head.includes(':') ? head.split(':', 2) : [ctx.repo.owner, head];
  if (owner!.toLowerCase() !== ctx.repo.owner.toLowerCase()) return undefined;
  return branch;
}

/** Issues a merged pull request closes: "Closes #12", "fixes #3", "resolved #4". */
function closingRefs(text: string | null): number[] {
  const out: number[] = [];
  for (const m of (text ?? '').matchAll(/\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s+#(\d+)/gi))
    out.push(Number(m[1]));
  return out;
}

function reviewComment(
  ctx: Ctx,
  i: Pull,
  input: Record<string, unknown>,
  reviewId: number | null,
  commitId: string,
): ReviewCommentRecord {
  const path = input.path;
  const body = input.body;
  if (typeof body !== 'string' || body === '')
    throw ctx.invalid([{ resource: 'PullRequestReviewComment', field: 'body', code: 'missing_field' }]);
  if (typeof path !== 'string')
    throw ctx.invalid([{ resource: 'PullRequestReviewComment', field: 'path', code: 'missing_field' }]);
  const change = pullChanges(ctx.s, ctx.repo, i).find((f) => f.filename === path);
  if (!change?.patch)
    throw ctx.error(422, 'Unprocessable Entity', [
      { resource: 'PullRequestReviewComment', field: 'path', code: 'invalid', message: 'Path could not be resolved' },
    ]);
  const side = input.side === 'LEFT' ? 'LEFT' : 'RIGHT';
  let line: number;
  let loc: { position: number; diffHunk: string } | undefined;
  if (typeof input.line === 'number') {
    line = input.line;
    loc = locateInPatch(change.patch, line, side);
  } else if (typeof input.position === 'number') {
    // Translate a diff position back to a file line.
    const lines = change.patch.split('\n');
    let newLine = 0;
    let found: number | undefined;
    for (let p = 0; p < lines.length && found === undefined; p++) {
      const l = lines[p]!;
      const m = /^@@ -\d+(?:,\d+)? \+(\d+)/.exec(l);
      if (m) {
        newLine = Number(m[1]);
        continue;
      }
      if (p === input.position) found = newLine;
      if (!l.startsWith('-')) newLine++;
    }
    line = found ?? -1;
    loc = found === undefined ? undefined : locateInPatch(change.patch, line, side);
  } else {
    throw ctx.invalid([{ resource: 'PullRequestReviewComment', field: 'line', code: 'missing_field' }]);
  }
  if (!loc) {
    throw ctx.error(422, 'Unprocessable Entity', [
      {
        resource: 'PullRequestReviewComment',
        field: 'line',
        code: 'invalid',
        message: 'Pull request review thread line must be part of the diff',
      },
    ]);
  }
  const now = ctx.s.now();
  return {
    id: ctx.s.nextId(),
    reviewId,
    user: ctx.login,
    body,
    path,
    line,
    side,
    startLine: typeof input.start_line === 'number' ? input.start_line : null,
    position: loc.position,
    diffHunk: loc.diffHunk,
    commitId,
    originalCommitId: commitId,
    inReplyTo: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** Replays the head-only commits' file changes onto `base` (the "rebase" merge method). */
function rebaseOnto(ctx: Ctx, i: Pull, base: string): string {
  const r = ctx.repo;
  let tip = base;
  for (const sha of pullCommits(ctx.s, r, i)) {
    const c = r.git.commit(sha)!;
    const parentTree = c.parents[0] ? r.git.commit(c.parents[0])!.tree : null;
    const after = r.git.flatten(c.tree);
    const changes = new Map<string, FlatFile | null>();
    for (const p of r.git.changedPaths(parentTree, c.tree)) changes.set(p, after.get(p) ?? null);
    const tree = r.git.updateTree(r.git.commit(tip)!.tree, changes);
    tip = r.git.putCommit({
      tree,
      parents: [tip],
      author: c.author,
      committer: { name: 'GitHub', email: 'noreply@github.com', date: ctx.s.now() },
      message: c.message,
    });
  }
  return tip;
}

export function pullRoutes(router: Router): void {
  const read = { permission: 'pull_requests' as const };
  const write = { permission: 'pull_requests' as const, write: true };

  router.get('/repos/:owner/:repo/pulls', { ...read, docs: `${D}/pulls#list-pull-requests` }, (ctx) => {
    const r = ctx.repo;
    const state = ctx.query.get('state') ?? 'open';
    if (!['open', 'closed', 'all'].includes(state))
      throw ctx.invalid([{ resource: 'PullRequest', field: 'state', code: 'invalid' }]);
    const head = ctx.query.get('head');
    const headRef = head ? headBranch(ctx, head) : undefined;
    const base = ctx.query.get('base');
    const sort = ctx.query.get('sort') ?? 'created';
    const dir = ctx.query.get('direction') ?? (sort === 'long-running' ? 'asc' : 'desc');
    const items = [...r.issues.values()]
      .filter(isPull)
      .filter((i) => state === 'all' || i.state === state)
      .filter((i) => !head || i.pull.headRef === headRef)
      .filter((i) => !base || i.pull.baseRef === base);
    const key = (i: Pull): string | number =>
      sort === 'updated' ? i.updatedAt : sort === 'popularity' ? i.comments.length : i.createdAt;
    items.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (ka === kb) return (a.number - b.number) * (dir === 'asc' ? 1 : -1);
      return (ka < kb ? -1 : 1) * (dir === 'asc' ? 1 : -1);
    });
    return ctx.list(items, (i) => ctx.shape.pullSimple(r, i));
  });

  router.get('/repos/:owner/:repo/pulls/:number', { ...read, docs: `${D}/pulls#get-a-pull-request` }, (ctx) => {
    const i = getPull(ctx);
    if (ctx.media.param === 'diff' || ctx.media.param === 'patch') {
      return {
        status: 200,
        body: unifiedDiff(pullChanges(ctx.s, ctx.repo, i)),
        headers: { 'content-type': `application/vnd.github.${ctx.media.param}; charset=utf-8` },
      };
    }
    return { status: 200, body: ctx.shape.pull(ctx.repo, i) };
  });

  router.post('/repos/:owner/:repo/pulls', { ...write, docs: `${D}/pulls#create-a-pull-request` }, (ctx) => {
    const r = ctx.repo;
    const body = ctx.body;
    const missing = (['head', 'base'] as const).filter((f) => typeof body[f] !== 'string' || body[f] === '');
    if (missing.length > 0)
      throw ctx.invalid(missing.map((field) => ({ resource: 'PullRequest', field, code: 'missing_field' as const })));
    if (typeof body.title !== 'string' || body.title === '') {
      throw ctx.invalid([{ resource: 'PullRequest', field: 'title', code: 'missing_field' }]);
    }
    const head = headBranch(ctx, body.head as string);
    const base = body.base as string;
    const headSha = head ? ctx.s.branchSha(r, head) : undefined;
    const baseSha = ctx.s.branchSha(r, base);
    const errors = [
      ...(!headSha ? [{ resource: 'PullRequest', field: 'head', code: 'invalid' as const }] : []),
      ...(!baseSha ? [{ resource: 'PullRequest', field: 'base', code: 'invalid' as const }] : []),
    ];
    if (errors.length > 0) throw ctx.invalid(errors);
    if (r.git.isAncestor(headSha!, baseSha!)) {
      throw ctx.invalid([
        { resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${head}` },
      ]);
    }
    if (openPullFor(r, head!, base)) {
      throw ctx.invalid([
        { resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${r.owner}:${head}.` },
      ]);
    }
    const now = ctx.s.now();
    const number = ctx.s.nextIssueNumber(r);
    const i: Pull = {
      ...newIssueRecord(ctx.s.nextId(), number, ctx.login, now),
      title: body.title,
      body: typeof body.body === 'string' ? body.body : null,
      pull: {
        id: ctx.s.nextId(),
        headRef: head!,
        headSha: headSha!,
        baseRef: base,
        baseSha: baseSha!,
        draft: body.draft === true,
        merged: false,
        mergedAt: null,
        mergedBy: null,
        mergeCommitSha: null,
        maintainerCanModify: body.maintainer_can_modify === true,
        requestedReviewers: [],
        reviews: [],
        reviewComments: [],
      },
    };
    r.issues.set(number, i);
    const out = ctx.shape.pull(r, i);
    return { status: 201, body: out, headers: { location: String(out.url) } };
  });

  router.patch('/repos/:owner/:repo/pulls/:number', { ...write, docs: `${D}/pulls#update-a-pull-request` }, (ctx) => {
    const r = ctx.repo;
    const i = getPull(ctx);
    const body = ctx.body;
    const isAuthor = i.user.toLowerCase() === ctx.login.toLowerCase();
    if (!isAuthor && !roleAtLeast(ctx.role, 'write'))
      throw ctx.error(403, 'Must have push access to update this pull request.');
    if (body.title !== undefined) i.title = String(body.title);
    if (body.body !== undefined) i.body = body.body === null ? null : String(body.body);
    if (body.maintainer_can_modify !== undefined) i.pull.maintainerCanModify = body.maintainer_can_modify === true;
    if (typeof body.base === 'string') {
      if (!ctx.s.branchSha(r, body.base))
        throw ctx.invalid([{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
      i.pull.baseRef = body.base;
    }
    if (body.state !== undefined) {
      if (body.state !== 'open' && body.state !== 'closed')
        throw ctx.invalid([{ resource: 'PullRequest', field: 'state', code: 'invalid' }]);
      if (i.pull.merged)
        throw ctx.invalid([
          {
            resource: 'PullRequest',
            field: 'state',
            code: 'invalid',
            message: 'state cannot be changed. The pull request has been merged.',
          },
        ]);
      if (body.state === 'closed' && i.state === 'open') {
        i.pull.headSha = pullHead(ctx.s, r, i);
        i.pull.baseSha = pullBase(ctx.s, r, i);
        i.state = 'closed';
        i.closedAt = ctx.s.now();
        i.closedBy = ctx.login;
      } else if (body.state === 'open' && i.state === 'closed') {
        if (!ctx.s.branchSha(r, i.pull.headRef)) {
          throw ctx.invalid([
            {
              resource: 'PullRequest',
              field: 'state',
              code: 'invalid',
              message: 'state cannot be changed. The head branch was deleted.',
            },
          ]);
        }
        i.state = 'open';
        i.closedAt = null;
        i.closedBy = null;
      }
    }
    i.updatedAt = ctx.s.now();
    return { status: 200, body: ctx.shape.pull(r, i) };
  });

  router.get(
    '/repos/:owner/:repo/pulls/:number/files',
    { ...read, docs: `${D}/pulls#list-pull-requests-files` },
    (ctx) => {
      const i = getPull(ctx);
      const head = pullHead(ctx.s, ctx.repo, i);
      return ctx.list(pullChanges(ctx.s, ctx.repo, i), (f) => ctx.shape.diffEntry(ctx.repo, f, head));
    },
  );

  router.get(
    '/repos/:owner/:repo/pulls/:number/commits',
    { ...read, docs: `${D}/pulls#list-commits-on-a-pull-request` },
    (ctx) => {
      const i = getPull(ctx);
      return ctx.list(pullCommits(ctx.s, ctx.repo, i), (sha) => ctx.shape.commit(ctx.repo, sha));
    },
  );

  router.get(
    '/repos/:owner/:repo/pulls/:number/reviews',
    { ...read, docs: `${D}/reviews#list-reviews-for-a-pull-request` },
    (ctx) => {
      const i = getPull(ctx);
      const visible = i.pull.reviews.filter(
        (rv) => rv.state !== 'PENDING' || rv.user.toLowerCase() === ctx.login.toLowerCase(),
      );
      return ctx.list(visible, (rv) => ctx.shape.review(ctx.repo, i, rv));
    },
  );

  router.post(
    '/repos/:owner/:repo/pulls/:number/reviews',
    { ...write, docs: `${D}/reviews#create-a-review-for-a-pull-request` },
    (ctx) => {
      const r = ctx.repo;
      const i = getPull(ctx);
      const body = ctx.body;
      const event = body.event === undefined ? undefined : String(body.event);
      const states: Record<string, ReviewRecord['state']> = {
        APPROVE: 'APPROVED',
        REQUEST_CHANGES: 'CHANGES_REQUESTED',
        COMMENT: 'COMMENTED',
      };
      if (event !== undefined && !states[event])
        throw ctx.error(422, 'Unprocessable Entity', [`Invalid event: ${event}`]);
      const isAuthor = i.user.toLowerCase() === ctx.login.toLowerCase();
      if (isAuthor && event === 'APPROVE')
        throw ctx.error(422, 'Unprocessable Entity', ['Review Can not approve your own pull request']);
      if (isAuthor && event === 'REQUEST_CHANGES') {
        throw ctx.error(422, 'Unprocessable Entity', ['Review Can not request changes on your own pull request']);
      }
      const text = typeof body.body === 'string' ? body.body : '';
      const comments = Array.isArray(body.comments) ? (body.comments as Record<string, unknown>[]) : [];
      if ((event === 'REQUEST_CHANGES' || (event === 'COMMENT' && comments.length === 0)) && text === '') {
        throw ctx.error(422, 'Unprocessable Entity', [`Review body is required for ${event}`]);
      }
      const head = pullHead(ctx.s, r, i);
      const commitId = typeof body.commit_id === 'string' ? body.commit_id : head;
      const review: ReviewRecord = {
        id: ctx.s.nextId(),
        user: ctx.login,
        body: text,
        state: event ? states[event]! : 'PENDING',
        commitId,
        submittedAt: event ? ctx.s.now() : null,
      };
      const created = comments.map((c) => reviewComment(ctx, i, c, review.id, commitId));
      i.pull.reviews.push(review);
      i.pull.reviewComments.push(...created);
      if (event) {
        i.pull.requestedReviewers = i.pull.requestedReviewers.filter(
          (u) => u.toLowerCase() !== ctx.login.toLowerCase(),
        );
        i.updatedAt = ctx.s.now();
      }
      return { status: 200, body: ctx.shape.review(r, i, review) };
    },
  );

  router.get(
    '/repos/:owner/:repo/pulls/:number/comments',
    { ...read, docs: `${D}/comments#list-review-comments-on-a-pull-request` },
    (ctx) => {
      const r = ctx.repo;
      const i = getPull(ctx);
      const since = ctx.query.get('since');
      const asc = (ctx.query.get('direction') ?? 'asc') === 'asc';
      const pendingOf = new Set(
        i.pull.reviews
          .filter((rv) => rv.state === 'PENDING' && rv.user.toLowerCase() !== ctx.login.toLowerCase())
          .map((rv) => rv.id),
      );
      const items = i.pull.reviewComments
        .filter((c) => (c.reviewId === null || !pendingOf.has(c.reviewId)) && (!since || c.updatedAt >= since))
        .sort(
          (a, b) => (a.createdAt === b.createdAt ? a.id - b.id : a.createdAt < b.createdAt ? -1 : 1) * (asc ? 1 : -1),
        );
      return ctx.list(items, (c) => {
        ensureHunk(ctx.s, r, i, c);
        return ctx.shape.reviewComment(r, i, c);
      });
    },
  );

  router.post(
    '/repos/:owner/:repo/pulls/:number/comments',
    { ...write, docs: `${D}/comments#create-a-review-comment-for-a-pull-request` },
    (ctx) => {
      const r = ctx.repo;
      const i = getPull(ctx);
      const body = ctx.body;
      let c: ReviewCommentRecord;
      if (body.in_reply_to !== undefined) {
        const parent = i.pull.reviewComments.find((x) => x.id === Number(body.in_reply_to));
        if (!parent) throw ctx.notFound();
        if (typeof body.body !== 'string' || body.body === '')
          throw ctx.invalid([{ resource: 'PullRequestReviewComment', field: 'body', code: 'missing_field' }]);
        ensureHunk(ctx.s, r, i, parent);
        const now = ctx.s.now();
        c = {
          ...parent,
          id: ctx.s.nextId(),
          user: ctx.login,
          body: body.body,
          inReplyTo: parent.id,
          createdAt: now,
          updatedAt: now,
        };
      } else {
        c = reviewComment(
          ctx,
          i,
          body,
          null,
          typeof body.commit_id === 'string' ? body.commit_id : pullHead(ctx.s, r, i),
        );
      }
      const review: ReviewRecord = {
        id: ctx.s.nextId(),
        user: ctx.login,
        body: '',
        state: 'COMMENTED',
        commitId: c.commitId,
        submittedAt: c.createdAt,
      };
      c.reviewId = review.id;
      i.pull.reviews.push(review);
      i.pull.reviewComments.push(c);
      i.updatedAt = c.createdAt;
      const out = ctx.shape.reviewComment(r, i, c);
      return { status: 201, body: out, headers: { location: String(out.url) } };
    },
  );

  router.post(
    '/repos/:owner/:repo/pulls/:number/requested_reviewers',
    { ...write, docs: `${D}/review-requests#request-reviewers-for-a-pull-request` },
    (ctx) => {
      const r = ctx.repo;
      const i = getPull(ctx);
      const reviewers = ctx.body.reviewers;
      const list = Array.isArray(reviewers) ? reviewers.map(String) : [];
      for (const login of list) {
        if (login.toLowerCase() === i.user.toLowerCase())
          throw ctx.error(422, 'Review cannot be requested from pull request author.');
        const u = ctx.s.user(login);
        if (!u || !roleAtLeast(ctx.s.role(r, u.login), 'triage')) {
          throw ctx.error(
            422,
            `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${r.owner}/${r.name} repository.`,
          );
        }
        if (!i.pull.requestedReviewers.some((x) => x.toLowerCase() === login.toLowerCase()))
          i.pull.requestedReviewers.push(u.login);
      }
      i.updatedAt = ctx.s.now();
      return { status: 201, body: ctx.shape.pullSimple(r, i) };
    },
  );

  router.delete(
    '/repos/:owner/:repo/pulls/:number/requested_reviewers',
    { ...write, docs: `${D}/review-requests#remove-requested-reviewers-from-a-pull-request` },
    (ctx) => {
      const i = getPull(ctx);
      const list = Array.isArray(ctx.body.reviewers)
        ? (ctx.body.reviewers as unknown[]).map((x) => String(x).toLowerCase())
        : [];
      i.pull.requestedReviewers = i.pull.requestedReviewers.filter((u) => !list.includes(u.toLowerCase()));
      return { status: 200, body: ctx.shape.pullSimple(ctx.repo, i) };
    },
  );

  router.put(
    '/repos/:owner/:repo/pulls/:number/merge',
    { ...write, permission: 'contents', docs: `${D}/pulls#merge-a-pull-request` },
    (ctx) => {
      const r = ctx.repo;
      const i = getPull(ctx);
      ctx.requireRole('write', 'Must have push access to merge this pull request.');
      const body = ctx.body;
      const method = body.merge_method ?? 'merge';
      if (method !== 'merge' && method !== 'squash' && method !== 'rebase') {
        throw ctx.invalid([{ resource: 'PullRequest', field: 'merge_method', code: 'invalid' }]);
      }
      if (i.pull.merged || i.state !== 'open') throw ctx.error(405, 'Pull Request is not mergeable');
      if (i.pull.draft) throw ctx.error(405, 'Pull Request is still a draft');
      const head = pullHead(ctx.s, r, i);
      if (typeof body.sha === 'string' && body.sha !== head) {
        throw ctx.error(409, 'Head branch was modified. Review and try the merge again.');
      }
      const base = ctx.s.branchSha(r, i.pull.baseRef)!;
      if (mergeability(ctx.s, r, i).mergeable !== true) throw ctx.error(405, 'Pull Request is not mergeable');
      const merged = threeWayMerge(r, base, head);
      const title = typeof body.commit_title === 'string' ? body.commit_title : undefined;
      const extra = typeof body.commit_message === 'string' ? body.commit_message : undefined;
      const webFlow = { name: 'GitHub', email: 'noreply@github.com', date: ctx.s.now() };
      let sha: string;
      if (method === 'rebase') {
        sha = rebaseOnto(ctx, i, base);
      } else if (method === 'squash') {
        const msgs = pullCommits(ctx.s, r, i).map((c) => `* ${r.git.commit(c)!.message.split('\n')[0]}`);
        sha = r.git.putCommit({
          tree: merged.tree,
          parents: [base],
          author: ctx.s.signatureFor(i.user),
          committer: webFlow,
          message: `${title ?? `${i.title} (#${i.number})`}\n\n${extra ?? msgs.join('\n')}`,
        });
      } else {
        sha = r.git.putCommit({
          tree: merged.tree,
          parents: [base, head],
          author: ctx.s.signatureFor(ctx.login),
          committer: webFlow,
          message: `${title ?? `Merge pull request #${i.number} from ${r.owner}/${i.pull.headRef}`}\n\n${extra ?? i.title}`,
        });
      }
      r.refs.set(`refs/heads/${i.pull.baseRef}`, sha);
      const now = ctx.s.now();
      Object.assign(i.pull, {
        merged: true,
        mergedAt: now,
        mergedBy: ctx.login,
        mergeCommitSha: sha,
        headSha: head,
        baseSha: base,
      });
      Object.assign(i, { state: 'closed', closedAt: now, closedBy: ctx.login, updatedAt: now });
      r.pushedAt = now;
      r.updatedAt = now;
      if (i.pull.baseRef === r.defaultBranch) {
        for (const n of closingRefs(i.body)) {
          const target = r.issues.get(n);
          if (target && !target.pull && target.state === 'open') {
            Object.assign(target, {
              state: 'closed',
              stateReason: 'completed',
              closedAt: now,
              closedBy: ctx.login,
              updatedAt: now,
            });
          }
        }
      }
      return { status: 200, body: { sha, merged: true, message: 'Pull Request successfully merged' } };
    },
  );
}
