/** Issues: JQL search, read, create, update, comments, assignment, links, worklogs, create metadata. */
import { SwitchboardError, type Toolset, toolsFor } from '@switchboard-mcp/core';
import { z } from 'zod';
import type { JiraClient } from '../client.ts';
import { findField, isRichText, readRich, resolveFields, richValue } from '../fields.ts';
import { CARD_FIELDS, type CommentLike, commentsBlock, type IssueLike, issueCard, issueRow } from '../issue-text.ts';
import { jqlResources, scopeJql } from '../jql-scope.ts';
import {
  duration,
  issueKey,
  issueResource,
  limit,
  listOf,
  more,
  offsetFromCursor,
  oneLine,
  projectKey,
  projectResource,
} from '../render.ts';
import { resolveUser } from '../users.ts';

export { jqlResources, scopeJql };

const tool = toolsFor<JiraClient>();

const ROW_FIELDS = ['summary', 'status', 'issuetype', 'priority', 'assignee', 'updated'];

interface SearchPage {
  issues: IssueLike[];
  next?: string;
  total?: number;
  jql: string;
  extra: { id: string; name: string }[];
}

/** Resolves extra field names for display; unknown names fail with the similar ones. */
async function extraFields(client: JiraClient, names: string[]): Promise<{ id: string; name: string }[]> {
  if (!names.length) return [];
  const catalogue = await client.fields();
  return names.map((n) => {
    const f = findField(catalogue, n);
    return { id: f.id, name: f.name };
  });
}

/**
 * One page of a JQL search. Cloud: the enhanced search (`/rest/api/3/search/jql`, nextPageToken); the old
 * `/rest/api/3/search` is gone there. Data Center: `/rest/api/2/search` with startAt.
 */
export async function searchPage(
  client: JiraClient,
  input: { jql: string; cursor?: string; limit: number; fields?: string[] },
): Promise<SearchPage> {
  const extra = await extraFields(client, input.fields ?? []);
  const fields = [...ROW_FIELDS, ...extra.map((f) => f.id)];
  if (client.deployment === 'cloud') {
    const res = (await client.api.searchAndReconsileIssuesUsingJql(client.t, {
      jql: input.jql,
      nextPageToken: input.cursor,
      maxResults: input.limit,
      fields,
    })) as { issues?: IssueLike[]; nextPageToken?: string | null; isLast?: boolean };
    return {
      issues: listOf<IssueLike>(res, 'issues', 'the JQL search'),
      next: res.isLast === false || res.nextPageToken ? (res.nextPageToken ?? undefined) : undefined,
      jql: input.jql,
      extra,
    };
  }
  const startAt = offsetFromCursor(input.cursor);
  const res = await client.t.sendRequest<{ issues?: IssueLike[]; total?: number; startAt?: number }>({
    url: '/rest/api/2/search',
    method: 'GET',
    searchParams: { jql: input.jql, startAt, maxResults: input.limit, fields: fields.join(',') },
  });
  const issues = listOf<IssueLike>(res, 'issues', 'the JQL search');
  const total = res.total;
  const end = startAt + issues.length;
  return {
    issues,
    total,
    next: total !== undefined && end < total && issues.length ? String(end) : undefined,
    jql: input.jql,
    extra,
  };
}

export function renderSearch(page: SearchPage): string {
  if (!page.issues.length) return `No issues match: ${oneLine(page.jql, 300)}`;
  const lines = page.issues.map((i) => issueRow(i, page.extra));
  lines.push(more(page.next, page.issues.length, page.total));
  return lines.join('\n');
}

export const searchIssues = tool({
  name: 'search_issues',
  title: 'Search issues (JQL)',
  description:
    'Issues matching JQL, one row each: key [status] summary · type · priority · assignee · updated. `project` limits to one project',
  access: 'read',
  scopes: ['BROWSE_PROJECTS'],
  resource: (input) => jqlResources(input.jql, input.project),
  input: z.object({
    jql: z
      .string()
      .min(1)
      .describe('JQL, e.g. assignee = currentUser() AND statusCategory != Done ORDER BY updated DESC'),
    project: projectKey.optional(),
    fields: z.array(z.string()).max(10).optional().describe('Extra fields to show, by name or id'),
    cursor: z.string().optional(),
    limit: limit(25),
  }),
  run: async ({ client, input }) => {
    const jql = input.project ? scopeJql(input.jql, input.project) : input.jql;
    return searchPage(client, { ...input, jql });
  },
  render: renderSearch,
});

export const getIssue = tool({
  name: 'get_issue',
  title: 'Get issue',
  description:
    'One issue: fields (custom ones by name), description and latest comments as Markdown, links, subtasks, attachments',
  access: 'read',
  scopes: ['BROWSE_PROJECTS'],
  resource: issueResource,
  input: z.object({
    key: issueKey,
    comments: z.number().int().min(0).max(50).default(5).describe('Latest comments to include'),
  }),
  run: async ({ client, input }) => {
    const issue = (await client.api.getIssue(client.t, {
      issueIdOrKey: input.key,
      fields: CARD_FIELDS,
      expand: 'names',
    })) as IssueLike;
    return { ...(await readableIssue(client, issue)), siteUrl: client.siteUrl };
  },
  render: ({ issue, siteUrl, richFields }, input) =>
    issueCard(issue, { siteUrl, comments: input.comments, richFields }),
});

/**
 * The issue with its description, comments and rich-text custom fields readable as Markdown (Data Center sends
 * wiki markup; which custom fields are rich text comes from the cached field catalogue).
 */
async function readableIssue(
  client: JiraClient,
  issue: IssueLike,
): Promise<{ issue: IssueLike; richFields?: Set<string> }> {
  if (client.deployment === 'cloud') return { issue };
  const fields = { ...issue.fields };
  const catalogue = await client.fields().catch(() => []);
  const richFields = new Set(catalogue.filter((f) => f.custom && isRichText(f)).map((f) => f.id));
  for (const id of richFields) if (typeof fields[id] === 'string') fields[id] = readRich(client, fields[id]);
  fields.description = readRich(client, fields.description);
  if (fields.comment) {
    fields.comment = { ...fields.comment, comments: readableComments(client, fields.comment.comments ?? []) };
  }
  return { issue: { ...issue, fields }, richFields };
}

function readableComments(client: JiraClient, comments: CommentLike[]): CommentLike[] {
  return comments.map((c) => ({ ...c, body: readRich(client, c.body) }));
}

const markdown = z.string().describe('Markdown');
const fieldsByName = z
  .record(z.string(), z.unknown())
  .optional()
  .describe('Other fields by name, plain values: {"Story Points": 5, "Team": "Platform"}');

async function standardFields(
  client: JiraClient,
  input: {
    summary?: string;
    description?: string;
    priority?: string;
    labels?: string[];
    components?: string[];
    assignee?: string;
    parent?: string;
    due?: string;
    fields?: Record<string, unknown>;
  },
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = await resolveFields(client, input.fields ?? {});
  if (input.summary !== undefined) out.summary = input.summary;
  if (input.description !== undefined) out.description = richValue(client, input.description);
  if (input.priority !== undefined) out.priority = { name: input.priority };
  if (input.labels !== undefined) out.labels = input.labels;
  if (input.components !== undefined) out.components = input.components.map((name) => ({ name }));
  if (input.parent !== undefined) out.parent = { key: input.parent };
  if (input.due !== undefined) out.duedate = input.due;
  if (input.assignee !== undefined) {
    const user = await resolveUser(client, input.assignee);
    out.assignee = client.deployment === 'cloud' ? { accountId: user.accountId } : { name: user.name ?? user.key };
  }
  return out;
}

const optionalIssueFields = {
  priority: z.string().optional().describe('Priority name'),
  labels: z.array(z.string()).optional(),
  components: z.array(z.string()).optional().describe('Component names'),
  assignee: z.string().optional().describe('Name, email or account id'),
  parent: issueKey.optional().describe('Parent key (epic, or parent of a subtask)'),
  due: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2024-05-31')
    .meta({ pattern: undefined, description: 'YYYY-MM-DD' })
    .optional(),
  fields: fieldsByName,
};

export const createIssue = tool({
  name: 'create_issue',
  title: 'Create issue',
  description: 'Create an issue; description in Markdown; custom fields by name (see get_create_fields)',
  access: 'write',
  scopes: ['CREATE_ISSUES'],
  resource: projectResource,
  input: z.object({
    project: projectKey,
    type: z.string().describe('Issue type name, e.g. Task, Bug, Story'),
    summary: z.string().min(1).max(255),
    description: markdown.optional(),
    ...optionalIssueFields,
  }),
  run: async ({ client, input }) => {
    const fields = await standardFields(client, input);
    fields.project = { key: input.project.toUpperCase() };
    fields.issuetype = /^\d+$/.test(input.type) ? { id: input.type } : { name: input.type };
    const created = (await client.api.createIssue(client.t, { fields })) as { key: string; id: string };
    return { ...created, siteUrl: client.siteUrl };
  },
  render: (r) => `Created ${r.key}${r.siteUrl ? ` ${r.siteUrl}/browse/${r.key}` : ''}`,
});

export const updateIssue = tool({
  name: 'update_issue',
  title: 'Update issue',
  description: 'Change fields of an issue (only those given); description in Markdown; labels replace the list',
  access: 'write',
  idempotent: true,
  scopes: ['EDIT_ISSUES'],
  resource: issueResource,
  input: z.object({
    key: issueKey,
    summary: z.string().min(1).max(255).optional(),
    description: markdown.optional(),
    ...optionalIssueFields,
  }),
  run: async ({ client, input }) => {
    const { key, ...rest } = input;
    const fields = await standardFields(client, rest);
    if (!Object.keys(fields).length) {
      throw new SwitchboardError('invalid', 'nothing to update: give at least one field.', {
        hint: 'Pass summary, description, priority, labels, components, assignee, parent, due or fields.',
      });
    }
    await client.api.editIssue(client.t, { issueIdOrKey: key, fields });
    return { key, changed: Object.keys(fields) };
  },
  render: (r) => `Updated ${r.key}: ${r.changed.join(', ')}`,
});

export const listComments = tool({
  name: 'list_comments',
  title: 'List comments',
  description: 'Comments on an issue as Markdown, newest first',
  access: 'read',
  scopes: ['BROWSE_PROJECTS'],
  resource: issueResource,
  input: z.object({ key: issueKey, cursor: z.string().optional(), limit: limit(10, 50) }),
  run: async ({ client, input }) => {
    const startAt = offsetFromCursor(input.cursor);
    const res = (await client.api.getComments(client.t, {
      issueIdOrKey: input.key,
      startAt,
      maxResults: input.limit,
      orderBy: '-created',
    })) as { comments?: CommentLike[]; total?: number };
    const comments = readableComments(client, listOf<CommentLike>(res, 'comments', 'the comment list'));
    return { comments, total: res.total, startAt };
  },
  render: (r, input) => {
    if (!r.comments.length) return `No comments on ${input.key}${r.startAt ? ' past this point' : ''}.`;
    const end = r.startAt + r.comments.length;
    const next = r.total !== undefined && end < r.total ? String(end) : undefined;
    return `${commentsBlock(r.comments, input.key)}\n${more(next, r.comments.length, r.total)}`;
  },
});

export const addComment = tool({
  name: 'add_comment',
  title: 'Add comment',
  description: 'Comment on an issue (Markdown)',
  access: 'write',
  scopes: ['ADD_COMMENTS'],
  resource: issueResource,
  input: z.object({ key: issueKey, body: markdown.min(1) }),
  run: async ({ client, input }) => {
    const res = (await client.api.addComment(client.t, {
      issueIdOrKey: input.key,
      body: richValue(client, input.body) as never,
    })) as { id?: string };
    return { id: res.id, key: input.key };
  },
  render: (r) => `Commented on ${r.key} (comment id ${r.id ?? '?'})`,
});

export const assignIssue = tool({
  name: 'assign_issue',
  title: 'Assign issue',
  description: 'Assign an issue to a person (name, email or account id), or unassign with assignee=null',
  access: 'write',
  idempotent: true,
  scopes: ['ASSIGN_ISSUES'],
  resource: issueResource,
  input: z.object({ key: issueKey, assignee: z.string().min(1).nullable() }),
  run: async ({ client, input }) => {
    const user = input.assignee === null ? null : await resolveUser(client, input.assignee);
    if (client.deployment === 'cloud') {
      await client.api.assignIssue(client.t, {
        issueIdOrKey: input.key,
        accountId: user?.accountId ?? (null as never),
      });
    } else {
      await client.t.sendRequest({
        url: `/rest/api/2/issue/${encodeURIComponent(input.key)}/assignee`,
        method: 'PUT',
        body: { name: user ? (user.name ?? user.key) : null },
      });
    }
    return { key: input.key, user };
  },
  render: (r) =>
    r.user
      ? `Assigned ${r.key} to ${oneLine(r.user.displayName ?? r.user.accountId ?? r.user.name, 80)}`
      : `Unassigned ${r.key}`,
});

interface LinkType {
  id?: string;
  name: string;
  inward: string;
  outward: string;
}

export const linkIssues = tool({
  name: 'link_issues',
  title: 'Link issues',
  description: 'Link two issues: `from` <type> `to`, e.g. from ABC-1 "blocks" to ABC-2. Type by name or either phrase',
  access: 'write',
  scopes: ['LINK_ISSUES'],
  resource: (input) => [...new Set([issueResource({ key: input.from }), issueResource({ key: input.to })])],
  input: z.object({
    from: issueKey,
    to: issueKey,
    type: z.string().default('Relates').describe('Blocks, "is blocked by", Relates, Duplicate, Clones, ...'),
    comment: markdown.optional(),
  }),
  run: async ({ client, input }) => {
    const issueLinkTypes = listOf<LinkType>(
      await client.api.getIssueLinkTypes(client.t),
      'issueLinkTypes',
      'the issue link types',
    );
    const wanted = input.type.trim().toLowerCase();
    const byName = issueLinkTypes.find((t) => t.name.toLowerCase() === wanted || t.outward.toLowerCase() === wanted);
    const byInward = byName ? undefined : issueLinkTypes.find((t) => t.inward.toLowerCase() === wanted);
    const type = byName ?? byInward;
    if (!type) {
      throw new SwitchboardError('invalid', `no issue link type matches "${input.type}".`, {
        hint: `Link types here: ${issueLinkTypes.map((t) => `${t.name} (${t.outward} / ${t.inward})`).join('; ')}.`,
      });
    }
    // Jira reads a link as: inwardIssue <outward phrase> outwardIssue ("ABC-1 blocks ABC-2").
    const [source, target] = byInward ? [input.to, input.from] : [input.from, input.to];
    await client.api.linkIssues(client.t, {
      type: { name: type.name },
      inwardIssue: { key: source },
      outwardIssue: { key: target },
      ...(input.comment ? { comment: { body: richValue(client, input.comment) as never } } : {}),
    });
    return { source, target, phrase: type.outward };
  },
  render: (r) => `Linked: ${r.source} ${r.phrase} ${r.target}`,
});

/** Jira's worklog `started` format: 2024-05-01T09:30:00.000+0000. */
export function jiraDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    throw new SwitchboardError('invalid', `started is not a date-time: "${iso}".`, {
      hint: 'Use ISO 8601, e.g. 2024-05-01T09:30:00Z.',
    });
  }
  return date.toISOString().replace('Z', '+0000');
}

export const addWorklog = tool({
  name: 'add_worklog',
  title: 'Log work',
  description: 'Log time on an issue, e.g. time_spent "1h 30m"',
  access: 'write',
  scopes: ['WORK_ON_ISSUES'],
  resource: issueResource,
  input: z.object({
    key: issueKey,
    time_spent: z
      .string()
      .regex(/^\s*(\d+(\.\d+)?\s*[wdhm]\s*)+$/i, 'Jira duration like "2h 30m", "1d", "45m"')
      .meta({ pattern: undefined, description: 'e.g. "2h 30m"' }),
    started: z.string().optional().describe('ISO date-time; default now'),
    comment: markdown.optional(),
  }),
  run: async ({ client, input }) => {
    const res = (await client.api.addWorklog(client.t, {
      issueIdOrKey: input.key,
      timeSpent: input.time_spent.trim(),
      started: jiraDateTime(input.started ?? new Date().toISOString()),
      ...(input.comment ? { comment: richValue(client, input.comment) as never } : {}),
    })) as { id?: string; timeSpentSeconds?: number };
    return { key: input.key, id: res.id, seconds: res.timeSpentSeconds };
  },
  render: (r) =>
    `Logged ${r.seconds !== undefined ? duration(r.seconds) : 'time'} on ${r.key} (worklog id ${r.id ?? '?'})`,
});

interface CreateMetaField {
  fieldId?: string;
  key?: string;
  name: string;
  required?: boolean;
  hasDefaultValue?: boolean;
  schema?: { type?: string; items?: string; custom?: string };
  allowedValues?: { name?: string; value?: string; id?: string }[];
}

interface IssueTypeMeta {
  id: string;
  name: string;
  subtask?: boolean;
  description?: string;
}

export const getCreateFields = tool({
  name: 'get_create_fields',
  title: 'Fields for creating an issue',
  description:
    'What create_issue needs for a project and issue type: required and optional fields, types, allowed values. Without type: the issue types',
  access: 'read',
  scopes: ['CREATE_ISSUES', 'BROWSE_PROJECTS'],
  cacheTtlMs: 60_000,
  resource: projectResource,
  input: z.object({ project: projectKey, type: z.string().optional().describe('Issue type name or id') }),
  run: async ({ client, input }) => {
    const project = input.project.toUpperCase();
    // Cloud names the lists issueTypes / fields; Data Center (8.4+) answers both as values.
    const typeRes = (await client.api.getCreateIssueMetaIssueTypes(client.t, {
      projectIdOrKey: project,
      maxResults: 100,
    })) as { issueTypes?: IssueTypeMeta[]; values?: IssueTypeMeta[] };
    const types = typeRes.issueTypes ?? listOf<IssueTypeMeta>(typeRes, 'values', 'the create metadata');
    if (!input.type) return { project, types, fields: undefined, type: undefined };
    const wanted = input.type.toLowerCase();
    const type = types.find((t) => t.id === input.type || t.name.toLowerCase() === wanted);
    if (!type) {
      throw new SwitchboardError('invalid', `project ${project} has no issue type "${input.type}".`, {
        hint: `Issue types: ${types.map((t) => t.name).join(', ') || '(none visible)'}.`,
      });
    }
    const res = (await client.api.getCreateIssueMetaIssueTypeId(client.t, {
      projectIdOrKey: project,
      issueTypeId: type.id,
      maxResults: 200,
    })) as { fields?: CreateMetaField[]; results?: CreateMetaField[]; values?: CreateMetaField[] };
    const fields = res.fields ?? res.results ?? listOf<CreateMetaField>(res, 'values', 'the create metadata');
    return { project, types, type, fields };
  },
  render: (r) => {
    if (!r.type || !r.fields) {
      return `Issue types in ${r.project}: ${r.types.map((t) => `${t.name}${t.subtask ? ' (subtask)' : ''}`).join(', ')}\nCall again with type for its fields.`;
    }
    const implicit = new Set(['project', 'issuetype']);
    const line = (f: CreateMetaField) => {
      const id = f.fieldId ?? f.key ?? '';
      const kind = f.schema?.type === 'array' ? `${f.schema.items ?? 'value'}[]` : (f.schema?.type ?? 'any');
      const values = (f.allowedValues ?? [])
        .map((v) => v.name ?? v.value ?? v.id)
        .filter(Boolean)
        .slice(0, 12);
      const more = (f.allowedValues?.length ?? 0) > values.length ? ', …' : '';
      return `- ${oneLine(f.name, 60)}${id !== f.name && id.startsWith('customfield_') ? ` (${id})` : ''}: ${kind}${values.length ? ` one of ${values.map((v) => oneLine(String(v), 40)).join(', ')}${more}` : ''}${f.hasDefaultValue ? ' [has default]' : ''}`;
    };
    const fields = r.fields.filter((f) => !implicit.has(f.fieldId ?? f.key ?? ''));
    const required = fields.filter((f) => f.required && !f.hasDefaultValue);
    const optional = fields.filter((f) => !(f.required && !f.hasDefaultValue));
    return [
      `${r.project} / ${r.type.name}: create_issue takes summary, description, priority, labels, components, assignee, parent, due; others go in fields by name.`,
      `Required (${required.length}):`,
      ...required.map(line),
      `Optional (${optional.length}):`,
      ...optional.map(line),
    ].join('\n');
  },
});

export const issues: Toolset = {
  description: 'Search, read, create and edit issues; comments, assignment, links, worklogs',
  tools: [
    searchIssues,
    getIssue,
    createIssue,
    updateIssue,
    listComments,
    addComment,
    assignIssue,
    linkIssues,
    addWorklog,
    getCreateFields,
  ],
};
