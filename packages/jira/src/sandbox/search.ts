/** JQL evaluation over the sandbox's issues. */
import { adfToMarkdown } from '@switchboard-mcp/atlassian';
import { JqlError, jqlDate, type Node, parseJql, type Value } from './jql.ts';
import type { Issue, State } from './model.ts';

export interface SearchContext {
  state: State;
  /** accountId of the caller, for currentUser(). */
  me: string;
  now: number;
}

const FIELD_ALIASES: Record<string, string> = {
  issuekey: 'key',
  issue: 'key',
  id: 'key',
  type: 'issuetype',
  component: 'components',
  fixversion: 'fixversions',
  label: 'labels',
  'cf[10016]': 'story points',
  'cf[10020]': 'sprint',
  'cf[10030]': 'team',
};

function textOf(v: Value, ctx: SearchContext): string | undefined {
  if (v.kind === 'text') return v.v;
  if (v.kind === 'fn' && v.name === 'currentuser') return ctx.me;
  return undefined;
}

function userMatches(accountId: string | null, v: Value, ctx: SearchContext): boolean {
  if (v.kind === 'empty') return accountId === null;
  const text = textOf(v, ctx);
  if (text === undefined || accountId === null) return false;
  const u = ctx.state.users.find((x) => x.accountId === accountId);
  const t = text.toLowerCase();
  return (
    accountId === text ||
    u?.emailAddress.toLowerCase() === t ||
    u?.displayName.toLowerCase() === t ||
    u?.name.toLowerCase() === t
  );
}

function sprintMatches(issue: Issue, v: Value, ctx: SearchContext): boolean {
  if (v.kind === 'empty') return issue.sprint === undefined;
  const sprint = ctx.state.sprints.find((s) => s.id === issue.sprint);
  if (!sprint) return false;
  if (v.kind === 'fn') {
    const state = { opensprints: 'active', closedsprints: 'closed', futuresprints: 'future' }[v.name];
    if (!state) throw new JqlError(`Error in the JQL Query: Unable to find JQL function '${v.name}()'.`);
    return sprint.state === state;
  }
  return String(sprint.id) === v.v || sprint.name.toLowerCase() === v.v.toLowerCase();
}

function contains(haystack: string, needle: string): boolean {
  const words = needle.toLowerCase().replace(/[*?]/g, '').split(/\s+/).filter(Boolean);
  const h = haystack.toLowerCase();
  return words.every((w) => h.includes(w));
}

function eq(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

function clause(issue: Issue, field: string, op: string, values: Value[], ctx: SearchContext): boolean {
  const { state } = ctx;
  const name = FIELD_ALIASES[field.toLowerCase()] ?? field.toLowerCase();
  const positive = op === '=' || op === 'in' || op === 'is' || op === '~';
  const any = (test: (v: Value) => boolean) => values.some(test);
  const result = (hit: boolean) => (positive ? hit : !hit);
  const dateField = (ms: number): boolean => {
    const v = values[0];
    if (!v || v.kind === 'empty') return result(false);
    const at = v.kind === 'fn' ? ctx.now : jqlDate(v.v, ctx.now);
    if (op === '>') return ms > at;
    if (op === '>=') return ms >= at;
    if (op === '<') return ms < at;
    if (op === '<=') return ms <= at;
    return result(ms === at);
  };
  switch (name) {
    case 'project':
      return result(
        any(
          (v) =>
            eq(textOf(v, ctx), issue.project) ||
            textOf(v, ctx) === state.projects.find((p) => p.key === issue.project)?.id ||
            eq(textOf(v, ctx), state.projects.find((p) => p.key === issue.project)?.name),
        ),
      );
    case 'key':
      return result(any((v) => eq(textOf(v, ctx), issue.key) || textOf(v, ctx) === issue.id));
    case 'status': {
      const s = state.statuses.find((x) => x.id === issue.status)!;
      return result(any((v) => eq(textOf(v, ctx), s.name) || textOf(v, ctx) === s.id));
    }
    case 'statuscategory': {
      const s = state.statuses.find((x) => x.id === issue.status)!;
      const names = { new: 'to do', indeterminate: 'in progress', done: 'done' };
      return result(any((v) => eq(textOf(v, ctx), s.category) || eq(textOf(v, ctx), names[s.category])));
    }
    case 'issuetype': {
      const t = state.issueTypes.find((x) => x.id === issue.type)!;
      return result(any((v) => eq(textOf(v, ctx), t.name) || textOf(v, ctx) === t.id));
    }
    case 'priority': {
      const p = state.priorities.find((x) => x.id === issue.priority)!;
      return result(any((v) => eq(textOf(v, ctx), p.name) || textOf(v, ctx) === p.id));
    }
    case 'assignee':
      return result(any((v) => userMatches(issue.assignee, v, ctx)));
    case 'reporter':
      return result(any((v) => userMatches(issue.reporter, v, ctx)));
    case 'labels':
      return result(
        any((v) => (v.kind === 'empty' ? !issue.labels.length : issue.labels.some((l) => eq(l, textOf(v, ctx))))),
      );
    case 'components':
      return result(
        any((v) =>
          v.kind === 'empty' ? !issue.components.length : issue.components.some((c) => eq(c, textOf(v, ctx))),
        ),
      );
    case 'fixversions':
      return result(
        any((v) =>
          v.kind === 'empty' ? !issue.fixVersions.length : issue.fixVersions.some((c) => eq(c, textOf(v, ctx))),
        ),
      );
    case 'resolution':
      return result(
        any((v) =>
          v.kind === 'empty' || eq(textOf(v, ctx), 'unresolved')
            ? !issue.resolution
            : eq(textOf(v, ctx), issue.resolution),
        ),
      );
    case 'parent':
      return result(any((v) => eq(textOf(v, ctx), issue.parent)));
    case 'sprint':
      return result(any((v) => sprintMatches(issue, v, ctx)));
    case 'team':
      return result(
        any((v) =>
          v.kind === 'empty'
            ? issue.custom.customfield_10030 === undefined
            : eq(textOf(v, ctx), String(issue.custom.customfield_10030 ?? '')),
        ),
      );
    case 'story points': {
      const points = issue.custom.customfield_10016 as number | undefined;
      const v = values[0];
      if (v?.kind !== 'text') return result(points === undefined);
      const n = Number(v.v);
      if (op === '>') return (points ?? -Infinity) > n;
      if (op === '>=') return (points ?? -Infinity) >= n;
      if (op === '<') return (points ?? Infinity) < n;
      if (op === '<=') return (points ?? Infinity) <= n;
      return result(points === n);
    }
    case 'created':
      return dateField(issue.created);
    case 'updated':
      return dateField(issue.updated);
    case 'duedate':
    case 'due':
      return issue.duedate ? dateField(Date.parse(`${issue.duedate}T00:00:00Z`)) : result(false);
    case 'summary':
      return result(any((v) => contains(issue.summary, textOf(v, ctx) ?? '')));
    case 'description':
      return result(any((v) => contains(adfToMarkdown(issue.description), textOf(v, ctx) ?? '')));
    case 'text':
      return result(
        any((v) => {
          const needle = textOf(v, ctx) ?? '';
          return (
            contains(issue.summary, needle) ||
            contains(adfToMarkdown(issue.description), needle) ||
            issue.comments.some((c) => contains(adfToMarkdown(c.body), needle))
          );
        }),
      );
    default:
      throw new JqlError(`Field '${field}' does not exist or you do not have permission to view it.`);
  }
}

function evaluate(node: Node, issue: Issue, ctx: SearchContext): boolean {
  if (node.kind === 'clause') return clause(issue, node.field, node.op, node.values, ctx);
  if (node.kind === 'not') return !evaluate(node.inner, issue, ctx);
  if (node.kind === 'and') return evaluate(node.left, issue, ctx) && evaluate(node.right, issue, ctx);
  return evaluate(node.left, issue, ctx) || evaluate(node.right, issue, ctx);
}

function sortKey(issue: Issue, field: string, state: State): string | number {
  switch (field.toLowerCase()) {
    case 'key':
    case 'issuekey':
      return `${issue.project}-${String(Number(issue.key.split('-')[1])).padStart(8, '0')}`;
    case 'created':
      return issue.created;
    case 'updated':
      return issue.updated;
    case 'priority':
      return Number(issue.priority);
    case 'status':
      return state.statuses.find((s) => s.id === issue.status)!.name;
    case 'summary':
      return issue.summary.toLowerCase();
    case 'rank':
      return Number(issue.id);
    default:
      throw new JqlError(`Not able to sort using field '${field}'.`);
  }
}

/**
 * Issues matching `jql`, in order. Throws JqlError with Jira's wording for what this subset does not know.
 * No ORDER BY: newest created first, as Jira does by default for the enhanced search... by key descending.
 */
export function runJql(jql: string, ctx: SearchContext, within: Issue[] = ctx.state.issues): Issue[] {
  const query = parseJql(jql);
  const matched = query.where ? within.filter((i) => evaluate(query.where!, i, ctx)) : [...within];
  const order = query.orderBy.length ? query.orderBy : [{ field: 'key', desc: true }];
  return matched.sort((a, b) => {
    for (const o of order) {
      const x = sortKey(a, o.field, ctx.state);
      const y = sortKey(b, o.field, ctx.state);
      if (x < y) return o.desc ? 1 : -1;
      if (x > y) return o.desc ? -1 : 1;
    }
    return 0;
  });
}

export { JqlError };
