/** Pull requests: list, search, read (summary, diff, files, reviews, review comments), write, review, merge. */
import type { Octokit, RestEndpointMethodTypes } from '@octokit/rest';
import type { Toolset } from '@switchboard-mcp/core';
import { toolsFor } from '@switchboard-mcp/core';
import { z } from 'zod';
import { boundDiff } from '../diff.ts';
import { type Explanation, explainFailure, type GithubFailure } from '../errors.ts';
import {
  asText,
  authored,
  count,
  day,
  fileChangeLine,
  more,
  nextCursor,
  oneLine,
  pageFromCursor,
  positiveInt,
  repoResource,
  searchResources,
  who,
} from '../render.ts';
import { issueLine, labelNames, logins, renderSearch, searchIssuesOrPulls, urlTemplate } from './issues.ts';

const tool = toolsFor<Octokit>();

type Pull = RestEndpointMethodTypes['pulls']['get']['response']['data'];
type PullFile = RestEndpointMethodTypes['pulls']['listFiles']['response']['data'][number];
type Review = RestEndpointMethodTypes['pulls']['listReviews']['response']['data'][number];
type ReviewComment = RestEndpointMethodTypes['pulls']['listReviewComments']['response']['data'][number];

const owner = z.string();
const repo = z.string();
const limit = z.number().int().min(1).max(100).default(20);

export const listPullRequests = tool({
  name: 'list_pull_requests',
  title: 'List pull requests',
  description: 'Pull requests in a repo',
  access: 'read',
  resource: repoResource,
  input: z.object({
    owner,
    repo,
    state: z.enum(['open', 'closed', 'all']).default('open'),
    base: z.string().optional(),
    cursor: z.string().optional(),
    limit,
  }),
  run: async ({ client, input, signal }) => {
    const page = pageFromCursor(input.cursor);
    const res = await client.rest.pulls.list({
      owner: input.owner,
      repo: input.repo,
      state: input.state,
      base: input.base,
      direction: 'desc',
      per_page: input.limit,
      page,
      request: { signal },
    });
    return { pulls: res.data, page, next: nextCursor(res.headers.link) };
  },
  render: (r, input) => {
    const lines = [`${input.owner}/${input.repo} ${input.state} pull requests, newest first (date = created)`];
    if (r.pulls.length) lines.push(`url: ${urlTemplate(r.pulls.map(asIssueLike))}`);
    for (const pr of r.pulls) {
      const item = pr.merged_at ? { ...asIssueLike(pr), state: 'merged' } : asIssueLike(pr);
      // Branch names alone for the repo's own branches; owner:branch for forks.
      const fork = pr.head.repo?.full_name !== pr.base.repo.full_name;
      const head = oneLine(fork ? pr.head.label : pr.head.ref, 100);
      lines.push(`${issueLine(item)} · ${head} → ${oneLine(pr.base.ref, 100)}`);
    }
    lines.push(more(r.next, (r.page - 1) * input.limit + r.pulls.length));
    return lines.join('\n');
  },
});

/** A listed PR in the shape issueLine takes (list results carry no comment counts). */
function asIssueLike(pr: RestEndpointMethodTypes['pulls']['list']['response']['data'][number]) {
  return { ...pr, comments: 0 };
}

export const searchPullRequests = tool({
  name: 'search_pull_requests',
  title: 'Search pull requests',
  description: 'GitHub search syntax, e.g. "repo:o/r author:bob"',
  access: 'read',
  resource: (input) => searchResources(input.query),
  input: z.object({ query: z.string(), cursor: z.string().optional(), limit }),
  run: ({ client, input, signal }) => searchIssuesOrPulls(client, 'pr', input, signal),
  render: renderSearch,
});

const FILES_PER_PAGE = 100;
const REVIEWS_PER_PAGE = 30;
const COMMENTS_PER_PAGE = 50;

type PullResult =
  | { part: 'summary'; pull: Pull }
  | { part: 'diff'; diff: string; author: string; association: string }
  | { part: 'files'; files: PullFile[]; page: number; next?: string }
  | { part: 'reviews'; reviews: Review[]; page: number; next?: string }
  | { part: 'comments'; comments: ReviewComment[]; page: number; next?: string };

export const getPullRequest = tool({
  name: 'get_pull_request',
  title: 'Get pull request',
  description: "A PR's summary (head sha, merge state), diff, files, reviews or inline comments",
  access: 'read',
  resource: repoResource,
  input: z.object({
    owner,
    repo,
    pull_number: positiveInt(),
    part: z.enum(['summary', 'diff', 'files', 'reviews', 'comments']).default('summary'),
    path: z.string().optional().describe('diff: only this file'),
    max_lines: z.number().int().min(10).max(3000).default(400),
    cursor: z.string().optional(),
  }),
  run: async ({ client, input, signal }): Promise<PullResult> => {
    const { owner, repo, pull_number } = input;
    const page = pageFromCursor(input.cursor);
    if (input.part === 'summary') {
      return {
        part: 'summary',
        pull: (await client.rest.pulls.get({ owner, repo, pull_number, request: { signal } })).data,
      };
    }
    if (input.part === 'diff') {
      // The diff media type answers with the diff alone; the JSON call then says who wrote it (for fencing).
      const diff = await explainFailure(
        client.rest.pulls.get({ owner, repo, pull_number, mediaType: { format: 'diff' }, request: { signal } }),
        (failure) => (failure.status === 406 ? diffTooLarge(pull_number, failure.message) : undefined),
      );
      const pull = (await client.rest.pulls.get({ owner, repo, pull_number, request: { signal } })).data;
      return { part: 'diff', diff: asText(diff.data), author: who(pull.user), association: pull.author_association };
    }
    if (input.part === 'files') {
      const res = await client.rest.pulls.listFiles({
        owner,
        repo,
        pull_number,
        per_page: FILES_PER_PAGE,
        page,
        request: { signal },
      });
      return { part: 'files', files: res.data, page, next: nextCursor(res.headers.link) };
    }
    if (input.part === 'reviews') {
      const res = await client.rest.pulls.listReviews({
        owner,
        repo,
        pull_number,
        per_page: REVIEWS_PER_PAGE,
        page,
        request: { signal },
      });
      return { part: 'reviews', reviews: res.data, page, next: nextCursor(res.headers.link) };
    }
    const res = await client.rest.pulls.listReviewComments({
      owner,
      repo,
      pull_number,
      per_page: COMMENTS_PER_PAGE,
      page,
      request: { signal },
    });
    return { part: 'comments', comments: res.data, page, next: nextCursor(res.headers.link) };
  },
  render: (r, input) => {
    switch (r.part) {
      case 'summary':
        return renderPull(r.pull);
      case 'diff': {
        const bounded = boundDiff(r.diff, { maxLines: input.max_lines, path: input.path, cursor: input.cursor });
        const source = `diff of PR #${input.pull_number} by ${r.author}`;
        const body = bounded.text ? authored(bounded.text, source, r.association) : '';
        return [`PR #${input.pull_number} diff: ${bounded.summary}`, body, ...bounded.notes].filter(Boolean).join('\n');
      }
      case 'files':
        return renderFiles(r.files, r.page, r.next);
      case 'reviews':
        return renderReviews(r.reviews, r.page, r.next);
      case 'comments':
        return renderReviewComments(r.comments, r.page, r.next);
    }
  },
});

const MERGE_STATES: Record<string, string> = {
  clean: 'clean: ready to merge',
  dirty: 'dirty: merge conflicts with base',
  blocked: 'blocked: branch protection (reviews or required checks) not satisfied',
  behind: 'behind: head must be updated with base',
  unstable: 'unstable: mergeable, but non-required checks are failing',
  has_hooks: 'has_hooks: mergeable (pre-receive hooks run)',
  draft: 'draft: mark ready for review before merging',
  unknown: 'unknown: GitHub is still computing mergeability; re-read shortly',
};

export function renderPull(p: Pull): string {
  const state = p.merged ? 'merged' : p.state === 'closed' ? 'closed unmerged' : p.draft ? 'open, draft' : 'open';
  const lines = [`PR #${p.number} [${state}] ${oneLine(p.title)}`, p.html_url];
  lines.push(`by ${who(p.user, p.author_association)} ${day(p.created_at)} · updated ${day(p.updated_at)}`);
  lines.push(`head ${oneLine(p.head.label, 120)} ${p.head.sha} → base ${oneLine(p.base.ref, 120)}`);
  if (p.merged) {
    lines.push(`merged by ${who(p.merged_by)} ${day(p.merged_at)} as ${p.merge_commit_sha?.slice(0, 7) ?? '?'}`);
  } else if (p.state === 'open') {
    const mergeState = MERGE_STATES[p.mergeable_state] ?? p.mergeable_state;
    const auto = p.auto_merge ? ` · auto-merge (${p.auto_merge.merge_method}) on` : '';
    lines.push(
      `merge: ${p.mergeable === null ? 'unknown' : p.mergeable ? 'mergeable' : 'not mergeable'} (${mergeState})${auto}`,
    );
  } else lines.push(`closed ${day(p.closed_at)}`);
  const people: string[] = [];
  const teams = (p.requested_teams ?? []).map((t) => `team ${t.slug}`);
  if (p.requested_reviewers?.length || teams.length) {
    people.push(`review requested: ${[logins(p.requested_reviewers), ...teams].filter(Boolean).join(', ')}`);
  }
  const labels = labelNames(p.labels);
  if (labels.length) people.push(`labels: ${labels.join(', ')}`);
  if (p.assignees?.length) people.push(`assignees: ${logins(p.assignees)}`);
  if (p.milestone) people.push(`milestone: ${oneLine(p.milestone.title, 80)} (${p.milestone.number})`);
  if (people.length) lines.push(people.join(' · '));
  lines.push(
    [
      count(p.commits, 'commit'),
      `${count(p.changed_files, 'file')} +${p.additions} -${p.deletions}`,
      // Where to read them: conversation comments are issue comments.
      `${count(p.comments, 'comment')}${p.comments ? ' (get_issue)' : ''}`,
      `${count(p.review_comments, 'review comment')}${p.review_comments ? ' (part=comments)' : ''}`,
    ].join(' · '),
  );
  lines.push(authored(p.body, `PR body by ${who(p.user)}`, p.author_association) || '(no description)');
  return lines.join('\n');
}

function renderFiles(files: PullFile[], page: number, next: string | undefined): string {
  const lines = files.map(fileChangeLine);
  lines.push(more(next, (page - 1) * FILES_PER_PAGE + files.length));
  return lines.join('\n');
}

function renderReviews(reviews: Review[], page: number, next: string | undefined): string {
  if (!reviews.length) return page === 1 ? 'No reviews yet' : '(no more reviews)';
  const lines: string[] = [];
  for (const r of reviews) {
    lines.push(
      `review ${r.id} ${r.state} by ${who(r.user, r.author_association)} ${day(r.submitted_at)} on ${r.commit_id?.slice(0, 7) ?? '?'}`,
    );
    const body = authored(r.body, `review by ${who(r.user)}`, r.author_association);
    if (body) lines.push(body);
  }
  lines.push(more(next, (page - 1) * REVIEWS_PER_PAGE + reviews.length));
  return lines.join('\n');
}

/** Inline comments grouped into threads (a root comment and its replies), in file order. */
function renderReviewComments(comments: ReviewComment[], page: number, next: string | undefined): string {
  if (!comments.length) return page === 1 ? 'No review comments' : '(no more review comments)';
  const threads = new Map<number, ReviewComment[]>();
  for (const c of comments) {
    const root = c.in_reply_to_id ?? c.id;
    const thread = threads.get(root);
    if (thread) thread.push(c);
    else threads.set(root, [c]);
  }
  const lines: string[] = [];
  for (const [root, thread] of threads) {
    const first = thread[0] as ReviewComment;
    const line = first.line ?? first.original_line;
    const where = `${oneLine(first.path, 300)}${line ? `:${line}` : ''}${first.line === null ? ' (outdated)' : ''}`;
    lines.push(`thread ${root} ${where}`);
    for (const c of thread) {
      lines.push(authored(c.body || '(empty)', `${who(c.user)} ${day(c.created_at)}`, c.author_association));
    }
  }
  lines.push(more(next, (page - 1) * COMMENTS_PER_PAGE + comments.length));
  return lines.join('\n');
}

export const writePullRequest = tool({
  name: 'write_pull_request',
  title: 'Write pull request',
  description: 'Open a PR (title, head, base), or update one given pull_number; reviewers requests reviews',
  access: 'write',
  resource: repoResource,
  scopes: ['repo', 'public_repo'],
  input: z
    .object({
      owner,
      repo,
      pull_number: positiveInt().optional(),
      title: z.string().optional(),
      body: z.string().optional(),
      head: z.string().optional(),
      base: z.string().optional(),
      draft: z.boolean().optional(),
      state: z.enum(['open', 'closed']).optional(),
      reviewers: z.array(z.string()).optional().describe('logins; org/team for teams'),
    })
    .superRefine((v, ctx) => {
      if (v.pull_number) {
        if (v.head !== undefined)
          ctx.addIssue({ code: 'custom', path: ['head'], message: 'head cannot change on an existing PR' });
        if (v.draft !== undefined)
          ctx.addIssue({ code: 'custom', path: ['draft'], message: 'draft can only be set when creating a PR' });
        return;
      }
      for (const key of ['title', 'head', 'base'] as const) {
        if (!v[key])
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `${key} is required to create a PR (or pass pull_number to update one)`,
          });
      }
      if (v.state) ctx.addIssue({ code: 'custom', path: ['state'], message: 'state applies to existing PRs only' });
    }),
  run: async ({ client, input, signal }) => {
    const { owner, repo, reviewers } = input;
    let pull: { number: number; html_url: string; state: string; head: { label: string }; base: { ref: string } };
    let created = false;
    if (input.pull_number) {
      const { title, body, base, state } = input;
      const changes = { title, body, base, state };
      const hasChanges = Object.values(changes).some((v) => v !== undefined);
      pull = hasChanges
        ? (
            await client.rest.pulls.update({
              owner,
              repo,
              pull_number: input.pull_number,
              ...changes,
              request: { signal },
            })
          ).data
        : (await client.rest.pulls.get({ owner, repo, pull_number: input.pull_number, request: { signal } })).data;
    } else {
      const { title, body, head, base, draft } = input;
      pull = (
        await client.rest.pulls.create({
          owner,
          repo,
          title: title as string,
          body,
          head: head as string,
          base: base as string,
          draft,
          request: { signal },
        })
      ).data;
      created = true;
    }
    let requested: string[] = [];
    if (reviewers?.length) {
      const users = reviewers.filter((r) => !r.includes('/'));
      const teams = reviewers.filter((r) => r.includes('/')).map((t) => t.slice(t.indexOf('/') + 1));
      await client.rest.pulls.requestReviewers({
        owner,
        repo,
        pull_number: pull.number,
        reviewers: users.length ? users : undefined,
        team_reviewers: teams.length ? teams : undefined,
        request: { signal },
      });
      requested = reviewers;
    }
    return { pull, created, requested };
  },
  render: ({ pull, created, requested }) => {
    const what = created
      ? `Created PR #${pull.number} (${oneLine(pull.head.label, 100)} → ${oneLine(pull.base.ref, 100)})`
      : `Updated PR #${pull.number} [${pull.state}]`;
    const reviews = requested.length
      ? `; review requested from ${requested.map((r) => (r.includes('/') ? r : `@${r}`)).join(', ')}`
      : '';
    return `${what}${reviews}: ${pull.html_url}`;
  },
});

export const createReview = tool({
  name: 'create_review',
  title: 'Review pull request',
  description: 'Submit a PR review with optional inline comments',
  access: 'write',
  resource: repoResource,
  scopes: ['repo', 'public_repo'],
  input: z
    .object({
      owner,
      repo,
      pull_number: positiveInt(),
      event: z.enum(['APPROVE', 'REQUEST_CHANGES', 'COMMENT']),
      body: z.string().optional(),
      comments: z
        .array(
          z.object({
            path: z.string(),
            line: positiveInt(),
            body: z.string(),
          }),
        )
        .optional(),
    })
    .refine((v) => v.event === 'APPROVE' || v.body || (v.event === 'COMMENT' && v.comments?.length), {
      path: ['body'],
      message: 'body is required for REQUEST_CHANGES, and for COMMENT without inline comments',
    }),
  run: async ({ client, input, signal }) => {
    const res = await client.rest.pulls.createReview({ ...input, request: { signal } });
    return res.data;
  },
  render: (review, input) => {
    const inline = input.comments?.length ? ` with ${input.comments.length} inline comment(s)` : '';
    return `Review ${review.id} (${review.state}) on PR #${input.pull_number}${inline}: ${review.html_url}`;
  },
});

export const mergePullRequest = tool({
  name: 'merge_pull_request',
  title: 'Merge pull request',
  description: 'Merge a PR into its base',
  access: 'destructive',
  resource: repoResource,
  scopes: ['repo', 'public_repo'],
  input: z.object({
    owner,
    repo,
    pull_number: positiveInt(),
    merge_method: z.enum(['merge', 'squash', 'rebase']).optional(),
    sha: z.string().optional().describe('expected head sha'),
    commit_title: z.string().optional(),
  }),
  run: async ({ client, input, signal }) => {
    const res = await explainFailure(client.rest.pulls.merge({ ...input, request: { signal } }), (failure) =>
      mergeRefusal(client, input, failure, signal),
    );
    return res.data;
  },
  render: (m, input) => `Merged PR #${input.pull_number} (${input.merge_method ?? 'merge'}) as ${m.sha}`,
});

/** GitHub refuses (406) to render diffs beyond 300 files or 20,000 lines. */
function diffTooLarge(pullNumber: number, message: string): Explanation {
  return {
    kind: 'invalid',
    message: `PR #${pullNumber} is too large for GitHub to return as a diff (${message})`,
    hint: 'Use part=files for the changed files and their line counts, then read files with get_file_contents at the head sha.',
  };
}

/** Why a merge was refused, 405 (not mergeable) or 409 (head moved), and what to do next. */
async function mergeRefusal(
  client: Octokit,
  input: { owner: string; repo: string; pull_number: number; merge_method?: string },
  { status, message }: GithubFailure,
  signal: AbortSignal,
): Promise<Explanation | undefined> {
  if (status !== 405 && status !== 409) return undefined;
  const what = `PR #${input.pull_number} was not merged: ${message || `HTTP ${status}`}`;
  if (status === 409) {
    return {
      kind: 'conflict',
      message: what,
      hint: 'The head branch moved since the sha you passed. Re-read the PR (get_pull_request), review the new commits, then merge with the new head sha.',
    };
  }
  if (/method|not allowed/i.test(message) && !/conflict/i.test(message)) {
    return {
      kind: 'conflict',
      message: what,
      hint: `The repository does not allow merge_method "${input.merge_method ?? 'merge'}"; retry with another merge_method (merge, squash or rebase).`,
    };
  }
  const pull = await client.rest.pulls
    .get({ owner: input.owner, repo: input.repo, pull_number: input.pull_number, request: { signal } })
    .then((r) => r.data)
    .catch(() => undefined);
  return {
    kind: 'conflict',
    message: pull ? `${what} (merge state: ${pull.mergeable_state})` : what,
    hint: pull ? mergeHint(pull) : 'Read the PR with get_pull_request to see its merge state.',
  };
}

function mergeHint(p: Pull): string {
  if (p.merged) return 'It is already merged; nothing to do.';
  if (p.state === 'closed') return 'It is closed; reopen it (write_pull_request state=open) before merging.';
  if (p.draft) return 'It is a draft; it must be marked ready for review (by a human in GitHub) before merging.';
  switch (p.mergeable_state) {
    case 'dirty':
      return `It conflicts with ${p.base.ref}: merge or rebase ${p.base.ref} into ${p.head.ref}, resolve the conflicts, push, then retry. Do not retry unchanged.`;
    case 'behind':
      return `Branch protection requires ${p.head.ref} to be up to date with ${p.base.ref}: update the branch, wait for checks, then retry.`;
    case 'blocked':
      return 'Branch protection blocks it: required approvals or status checks are missing. Check reviews (get_pull_request part=reviews) and CI runs; ask a human if approvals are needed.';
    case 'unknown':
      return 'GitHub has not finished computing mergeability; wait a few seconds and retry.';
    default:
      return 'Read the PR (get_pull_request) for its merge state, reviews and checks before retrying.';
  }
}

export const pull_requests: Toolset = {
  description: 'Pull requests: list, search, read (diff, files, reviews), create/update, review, merge',
  tools: [listPullRequests, searchPullRequests, getPullRequest, writePullRequest, createReview, mergePullRequest],
};
