/** Boards and sprints (Jira Software Agile API, /rest/agile/1.0). */
import { type Toolset, toolsFor } from '@switchboard-mcp/core';
import { z } from 'zod';
import type { JiraClient } from '../client.ts';
import { type IssueLike, issueRow } from '../issue-text.ts';
import { day, limit, listOf, more, offsetFromCursor, oneLine, projectKey } from '../render.ts';
import { scopeJql } from './issues.ts';

const tool = toolsFor<JiraClient>();

interface Board {
  id: number;
  name: string;
  type?: string;
  location?: { projectKey?: string; displayName?: string };
}

interface Sprint {
  id: number;
  name: string;
  state?: string;
  startDate?: string;
  endDate?: string;
  completeDate?: string;
  goal?: string;
  originBoardId?: number;
}

interface Paged<T> {
  values?: T[];
  issues?: T[];
  total?: number;
  isLast?: boolean;
  startAt?: number;
}

function nextOf(res: Paged<unknown>, startAt: number, shown: number): string | undefined {
  const end = startAt + shown;
  if (res.isLast === false) return String(end);
  if (res.isLast === undefined && res.total !== undefined && end < res.total && shown) return String(end);
  return undefined;
}

export const listBoards = tool({
  name: 'list_boards',
  title: 'List boards',
  description: 'Scrum and kanban boards, optionally for one project',
  access: 'read',
  scopes: ['BROWSE_PROJECTS'],
  cacheTtlMs: 30_000,
  resource: (input) => (input.project ? `project:${input.project.toUpperCase()}` : 'project:*'),
  input: z.object({
    project: projectKey.optional(),
    name: z.string().optional().describe('Board name contains'),
    type: z.enum(['scrum', 'kanban', 'simple']).optional(),
    cursor: z.string().optional(),
    limit: limit(50),
  }),
  run: async ({ client, input }) => {
    const startAt = offsetFromCursor(input.cursor);
    const res = (await client.agile.getAllBoards(client.t, {
      projectKeyOrId: input.project?.toUpperCase(),
      name: input.name,
      type: input.type,
      startAt,
      maxResults: input.limit,
    })) as Paged<Board>;
    const values = listOf<Board>(res, 'values', 'the board list');
    return { values, total: res.total, next: nextOf(res, startAt, values.length) };
  },
  render: (r) => {
    if (!r.values.length) return 'No boards found.';
    const lines = r.values.map((b) =>
      [`board ${b.id} ${oneLine(b.name, 80)}`, b.type, b.location?.projectKey ? `project ${b.location.projectKey}` : '']
        .filter(Boolean)
        .join(' · '),
    );
    lines.push(more(r.next, r.values.length, r.total));
    return lines.join('\n');
  },
});

function sprintLine(s: Sprint): string {
  const dates = s.startDate || s.endDate ? `${day(s.startDate)} → ${day(s.completeDate ?? s.endDate)}`.trim() : '';
  return [
    `sprint ${s.id} ${oneLine(s.name, 80)} [${s.state ?? '?'}]`,
    dates,
    s.goal ? `goal: ${oneLine(s.goal, 120)}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

export const listSprints = tool({
  name: 'list_sprints',
  title: 'List sprints',
  description: 'Sprints of a scrum board; state filters (active, future, closed)',
  access: 'read',
  scopes: ['BROWSE_PROJECTS'],
  // A board belongs to a project: under a project allow-list, name it (one lookup); elsewhere no lookup.
  resource: async (input, ctx) => {
    if (!ctx.scoped) return undefined;
    const client = await ctx.client();
    const board = (await client.agile.getBoard(client.t, { boardId: input.board_id })) as Board;
    const key = board.location?.projectKey;
    return key ? `project:${key.toUpperCase()}` : 'project:*';
  },
  input: z.object({
    board_id: z.number().int().min(1),
    state: z
      .array(z.enum(['active', 'future', 'closed']))
      .optional()
      .describe('Default: all'),
    cursor: z.string().optional(),
    limit: limit(50),
  }),
  run: async ({ client, input }) => {
    const startAt = offsetFromCursor(input.cursor);
    const res = (await client.agile.getAllSprints(client.t, {
      boardId: input.board_id,
      state: input.state?.join(','),
      startAt,
      maxResults: input.limit,
    })) as Paged<Sprint>;
    const values = listOf<Sprint>(res, 'values', 'the sprint list');
    return { values, total: res.total, next: nextOf(res, startAt, values.length) };
  },
  render: (r, input) => {
    if (!r.values.length)
      return `No sprints on board ${input.board_id}${input.state ? ` in state ${input.state.join(', ')}` : ''}.`;
    return [...r.values.map(sprintLine), more(r.next, r.values.length, r.total)].join('\n');
  },
});

export const getSprintIssues = tool({
  name: 'get_sprint_issues',
  title: 'Sprint issues',
  description: 'Issues in a sprint, one row each; optional JQL filter and project',
  access: 'read',
  scopes: ['BROWSE_PROJECTS'],
  resource: (input) => (input.project ? `project:${input.project.toUpperCase()}` : 'project:*'),
  input: z.object({
    sprint_id: z.number().int().min(1),
    project: projectKey.optional(),
    jql: z.string().optional().describe('Extra JQL filter, e.g. assignee = currentUser()'),
    cursor: z.string().optional(),
    limit: limit(50),
  }),
  run: async ({ client, input }) => {
    const startAt = offsetFromCursor(input.cursor);
    const jql = input.project ? scopeJql(input.jql ?? '', input.project) : input.jql;
    // Paged by startAt as the published Agile description documents it (jira.js 6 sends nextPageToken only).
    const res = await client.t.sendRequest<Paged<IssueLike>>({
      url: `/rest/agile/1.0/sprint/${input.sprint_id}/issue`,
      method: 'GET',
      searchParams: {
        startAt,
        maxResults: input.limit,
        // No `fields`: Atlassian's published description types it as a list of objects, not field names, so a
        // conforming client cannot narrow it; the navigable default includes every field a row shows.
        jql: jql || undefined,
      },
    });
    const issues = listOf<IssueLike>(res, 'issues', 'the sprint issue list');
    return { issues, total: res.total, next: nextOf(res, startAt, issues.length) };
  },
  render: (r, input) => {
    if (!r.issues.length)
      return `No issues in sprint ${input.sprint_id}${input.jql || input.project ? ' matching the filter' : ''}.`;
    return [...r.issues.map((i) => issueRow(i)), more(r.next, r.issues.length, r.total)].join('\n');
  },
});

export const agile: Toolset = {
  description: 'Boards and sprints (Jira Software)',
  tools: [listBoards, listSprints, getSprintIssues],
};
