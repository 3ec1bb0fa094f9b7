/** Issues: list, search, read (with comments), create, update, comment, labels. */
import type { Octokit, RestEndpointMethodTypes } from '@octokit/rest';
import type { Toolset } from '@switchboard-mcp/core';
import { toolsFor } from '@switchboard-mcp/core';
import { z } from 'zod';
import {
  authored,
  count,
  day,
  more,
  moreResults,
  nextCursor,
  oneLine,
  pageFromCursor,
  positiveInt,
  repoResource,
  searchPaging,
  searchResources,
  who,
} from '../render.ts';

const tool = toolsFor<Octokit>();

type Issue = RestEndpointMethodTypes['issues']['get']['response']['data'];
type IssueComment = RestEndpointMethodTypes['issues']['listComments']['response']['data'][number];
type SearchItem = RestEndpointMethodTypes['search']['issuesAndPullRequests']['response']['data']['items'][number];

/** The fields an issue line needs; list, get and search results all have them. */
export interface IssueLike {
  number: number;
  title: string;
  state: string;
  state_reason?: string | null;
  draft?: boolean;
  user: { login?: string } | null;
  author_association?: string | null;
  labels: Array<string | { name?: string | null }>;
  assignees?: Array<{ login?: string }> | null;
  comments: number;
  created_at: string;
  updated_at: string;
  html_url: string;
  repository_url?: string;
  pull_request?: unknown;
}

const owner = z.string();
const repo = z.string();
const limit = z.number().int().min(1).max(100).default(20);

export function labelNames(labels: IssueLike['labels']): string[] {
  return labels.map((l) => oneLine(typeof l === 'string' ? l : (l.name ?? ''), 50)).filter(Boolean);
}

export function logins(users: Array<{ login?: string } | null> | null | undefined): string {
  return (users ?? []).map((u) => who(u)).join(', ');
}

/** `acme/widgets` from an issue's API repository_url. */
function repoOf(item: IssueLike): string {
  return item.repository_url?.split('/').slice(-2).join('/') ?? '';
}

/** The html_url with the trailing number replaced by `N`, for one url template per list. */
export function urlTemplate(items: IssueLike[]): string {
  const first = items[0]?.html_url;
  return first ? first.replace(/\d+$/, 'N') : '';
}

/**
 * One issue or PR per line: `#12 [closed] Title · @alice (outsider) · [bug] · →@bob · 3 comments · 2024-05-01`.
 * State is shown only when it is not `open`; `withRepo` prefixes `owner/name` (search results span repositories).
 */
export function issueLine(i: IssueLike, opts: { withRepo?: boolean; date?: 'created' | 'updated' } = {}): string {
  const reason = i.state === 'closed' && i.state_reason && i.state_reason !== 'completed' ? ` ${i.state_reason}` : '';
  const state = i.state === 'open' ? (i.draft ? ' [draft]' : '') : ` [${i.state}${reason}]`;
  const parts = [
    `${opts.withRepo ? repoOf(i) : ''}#${i.number}${state} ${oneLine(i.title)}`,
    who(i.user, i.author_association),
  ];
  const labels = labelNames(i.labels);
  if (labels.length) parts.push(`[${labels.join(', ')}]`);
  if (i.assignees?.length) parts.push(`→${logins(i.assignees)}`);
  if (i.comments) parts.push(count(i.comments, 'comment'));
  parts.push(day(opts.date === 'updated' ? i.updated_at : i.created_at));
  return parts.join(' · ');
}

/** Search issues or PRs; `is:issue` / `is:pr` is added when the query has no `is:issue|pr|pull-request`. */
export async function searchIssuesOrPulls(
  client: Octokit,
  kind: 'issue' | 'pr',
  input: { query: string; cursor?: string; limit: number },
  signal: AbortSignal,
) {
  const q = /(^|\s)is:(issue|pr|pull-request)\b/i.test(input.query) ? input.query : `${input.query} is:${kind}`;
  const res = await client.rest.search.issuesAndPullRequests({ q, ...searchPaging(input), request: { signal } });
  return { q, res };
}

export function renderSearch(
  { q, res }: Awaited<ReturnType<typeof searchIssuesOrPulls>>,
  input: { cursor?: string; limit: number },
): string {
  if (!res.data.items.length) return `No results for: ${oneLine(q)}`;
  const lines = [`${res.data.total_count} results for: ${oneLine(q)} (date = updated)`];
  for (const item of res.data.items as SearchItem[]) lines.push(issueLine(item, { withRepo: true, date: 'updated' }));
  lines.push(moreResults(res, input));
  return lines.join('\n');
}

export const listIssues = tool({
  name: 'list_issues',
  title: 'List issues',
  description: 'Issues in a repo (PRs excluded)',
  access: 'read',
  resource: repoResource,
  input: z.object({
    owner,
    repo,
    state: z.enum(['open', 'closed', 'all']).default('open'),
    labels: z.array(z.string()).optional(),
    assignee: z.string().optional(),
    sort: z.enum(['created', 'updated', 'comments']).default('created'),
    cursor: z.string().optional(),
    limit,
  }),
  run: async ({ client, input, signal }) => {
    const page = pageFromCursor(input.cursor);
    const res = await client.rest.issues.listForRepo({
      owner: input.owner,
      repo: input.repo,
      state: input.state,
      labels: input.labels?.join(','),
      assignee: input.assignee,
      sort: input.sort,
      per_page: input.limit,
      page,
      request: { signal },
    });
    const issues = res.data.filter((i) => !i.pull_request);
    return { issues, pulls: res.data.length - issues.length, page, next: nextCursor(res.headers.link) };
  },
  render: (r, input) => {
    const date = input.sort === 'updated' ? 'updated' : 'created';
    const lines = [`${input.owner}/${input.repo} ${input.state} issues by ${input.sort} (date = ${date})`];
    if (r.issues.length) lines.push(`url: ${urlTemplate(r.issues)}`);
    for (const issue of r.issues) lines.push(issueLine(issue, { date }));
    if (r.pulls) lines.push(`(${r.pulls} pull requests on this page skipped: use list_pull_requests)`);
    lines.push(more(r.next, (r.page - 1) * input.limit + r.issues.length));
    return lines.join('\n');
  },
});

export const searchIssues = tool({
  name: 'search_issues',
  title: 'Search issues',
  description: 'GitHub search syntax, e.g. "repo:o/r is:open label:bug crash"',
  access: 'read',
  resource: (input) => searchResources(input.query),
  input: z.object({ query: z.string(), cursor: z.string().optional(), limit }),
  run: ({ client, input, signal }) => searchIssuesOrPulls(client, 'issue', input, signal),
  render: renderSearch,
});

const COMMENTS_PER_PAGE = 30;

export function renderComments(comments: IssueComment[], first: number): string[] {
  return comments.map((c, n) =>
    authored(c.body || '(empty)', `comment ${first + n} by ${who(c.user)} ${day(c.created_at)}`, c.author_association),
  );
}

export const getIssue = tool({
  name: 'get_issue',
  title: 'Get issue',
  description: 'Issue or PR conversation: body, optionally comments',
  access: 'read',
  resource: repoResource,
  input: z.object({
    owner,
    repo,
    issue_number: positiveInt(),
    comments: z.boolean().default(false),
    cursor: z.string().optional().describe('comments page; omits the issue'),
  }),
  run: async ({ client, input, signal }) => {
    const { owner, repo, issue_number } = input;
    const page = pageFromCursor(input.cursor);
    const issue = input.cursor
      ? undefined
      : (await client.rest.issues.get({ owner, repo, issue_number, request: { signal } })).data;
    let comments: IssueComment[] = [];
    let next: string | undefined;
    if ((input.comments || input.cursor) && (issue === undefined || issue.comments > 0)) {
      const res = await client.rest.issues.listComments({
        owner,
        repo,
        issue_number,
        per_page: COMMENTS_PER_PAGE,
        page,
        request: { signal },
      });
      comments = res.data;
      next = nextCursor(res.headers.link);
    }
    return { issue, comments, page, next };
  },
  render: (r, input) => {
    const lines = r.issue ? [renderIssue(r.issue)] : [`Comments on #${input.issue_number}, page ${r.page}:`];
    if (!input.comments && !input.cursor) return lines.join('\n');
    const first = (r.page - 1) * COMMENTS_PER_PAGE + 1;
    if (r.comments.length) {
      if (r.issue) lines.push('Comments:');
      lines.push(...renderComments(r.comments, first));
      lines.push(more(r.next, first - 1 + r.comments.length, r.issue?.comments));
    } else lines.push('(no comments)');
    return lines.join('\n');
  },
});

function renderIssue(i: Issue): string {
  const kind = i.pull_request ? 'PR' : 'Issue';
  const state =
    i.state === 'closed' ? `closed${i.state_reason ? ` (${i.state_reason})` : ''} ${day(i.closed_at)}` : i.state;
  const head = [`${kind} #${i.number} [${state}] ${oneLine(i.title)}`, i.html_url];
  const meta = [`by ${who(i.user, i.author_association)} ${day(i.created_at)}`, `updated ${day(i.updated_at)}`];
  const labels = labelNames(i.labels);
  if (labels.length) meta.push(`labels: ${labels.join(', ')}`);
  if (i.assignees?.length) meta.push(`assignees: ${logins(i.assignees)}`);
  if (i.milestone) meta.push(`milestone: ${oneLine(i.milestone.title, 80)} (${i.milestone.number})`);
  meta.push(count(i.comments, 'comment'));
  if (i.locked) meta.push('locked');
  if (i.closed_by) meta.push(`closed by ${who(i.closed_by)}`);
  const lines = [head.join(' '), meta.join(' · ')];
  if (i.pull_request) lines.push('(a pull request: get_pull_request shows branches, checks and merge state)');
  lines.push(authored(i.body, `issue body by ${who(i.user)}`, i.author_association) || '(no description)');
  return lines.join('\n');
}

export const writeIssue = tool({
  name: 'write_issue',
  title: 'Create or update issue',
  description:
    'Create an issue, or update one given issue_number (also PRs); labels/assignees replace the current ones',
  access: 'write',
  resource: repoResource,
  scopes: ['repo', 'public_repo'],
  input: z
    .object({
      owner,
      repo,
      issue_number: positiveInt().optional(),
      title: z.string().optional(),
      body: z.string().optional(),
      state: z.enum(['open', 'closed']).optional(),
      state_reason: z.enum(['completed', 'not_planned', 'duplicate', 'reopened']).optional(),
      labels: z.array(z.string()).optional(),
      assignees: z.array(z.string()).optional(),
      milestone: positiveInt().nullable().optional(),
    })
    .superRefine((v, ctx) => {
      if (v.issue_number) return;
      if (!v.title)
        ctx.addIssue({
          code: 'custom',
          path: ['title'],
          message: 'title is required to create an issue (or pass issue_number to update one)',
        });
      for (const key of ['state', 'state_reason'] as const) {
        if (v[key]) ctx.addIssue({ code: 'custom', path: [key], message: `${key} applies to existing issues only` });
      }
    }),
  run: async ({ client, input, signal }) => {
    const { issue_number, state, state_reason, milestone, title, ...rest } = input;
    if (issue_number) {
      const res = await client.rest.issues.update({ ...input, issue_number, request: { signal } });
      return { issue: res.data, created: false };
    }
    const res = await client.rest.issues.create({
      ...rest,
      title: title as string,
      milestone: milestone ?? undefined,
      request: { signal },
    });
    return { issue: res.data, created: true };
  },
  render: ({ issue: i, created }) =>
    created
      ? `Created issue #${i.number}: ${i.html_url}`
      : `Updated #${i.number} [${i.state}${i.state_reason ? `, ${i.state_reason}` : ''}]: ${i.html_url}`,
});

export const addIssueComment = tool({
  name: 'add_issue_comment',
  title: 'Comment on issue',
  description: 'Comment on an issue or PR conversation',
  access: 'write',
  resource: repoResource,
  scopes: ['repo', 'public_repo'],
  input: z.object({ owner, repo, issue_number: positiveInt(), body: z.string() }),
  run: async ({ client, input, signal }) =>
    (await client.rest.issues.createComment({ ...input, request: { signal } })).data,
  render: (c, input) => `Commented on #${input.issue_number} (comment ${c.id}): ${c.html_url}`,
});

export const listLabels = tool({
  name: 'list_labels',
  title: 'List labels',
  description: 'Labels defined in a repo',
  access: 'read',
  // Rarely changes within a conversation; cached briefly per credential.
  cacheTtlMs: 60_000,
  resource: repoResource,
  input: z.object({ owner, repo, cursor: z.string().optional() }),
  run: async ({ client, input, signal }) => {
    const page = pageFromCursor(input.cursor);
    const res = await client.rest.issues.listLabelsForRepo({
      owner: input.owner,
      repo: input.repo,
      per_page: 100,
      page,
      request: { signal },
    });
    return { labels: res.data, page, next: nextCursor(res.headers.link) };
  },
  render: (r, input) => {
    if (!r.labels.length) return `${input.owner}/${input.repo} has no labels`;
    const lines = r.labels.map((l) => {
      const description = oneLine(l.description, 120);
      return description ? `${oneLine(l.name, 50)}: ${description}` : oneLine(l.name, 50);
    });
    lines.push(more(r.next, (r.page - 1) * 100 + r.labels.length));
    return lines.join('\n');
  },
});

export const issues: Toolset = {
  description: 'Issues: list, search, read with comments, create, update, comment, labels',
  tools: [listIssues, searchIssues, getIssue, writeIssue, addIssueComment, listLabels],
};
