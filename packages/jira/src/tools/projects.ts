/** Projects: list and describe (issue types, components, versions). */
import { type Toolset, toolsFor } from '@switchboard-mcp/core';
import { z } from 'zod';
import type { JiraClient } from '../client.ts';
import {
  authored,
  type JiraUser,
  limit,
  listOf,
  more,
  offsetFromCursor,
  oneLine,
  projectKey,
  projectResource,
  who,
} from '../render.ts';

const tool = toolsFor<JiraClient>();

interface Project {
  id: string;
  key: string;
  name: string;
  projectTypeKey?: string;
  style?: string;
  lead?: JiraUser;
  description?: string;
  archived?: boolean;
  issueTypes?: { id: string; name: string; subtask?: boolean }[];
  components?: { id?: string; name: string; description?: string }[];
  versions?: { id?: string; name: string; released?: boolean; archived?: boolean; releaseDate?: string }[];
}

export const listProjects = tool({
  name: 'list_projects',
  title: 'List projects',
  description: 'Projects visible to the account: key, name, type, lead. `query` filters by key or name',
  access: 'read',
  scopes: ['BROWSE_PROJECTS'],
  cacheTtlMs: 30_000,
  input: z.object({ query: z.string().optional(), cursor: z.string().optional(), limit: limit(50) }),
  run: async ({ client, input }) => {
    const startAt = offsetFromCursor(input.cursor);
    if (client.deployment === 'cloud') {
      const res = (await client.api.searchProjects(client.t, {
        query: input.query,
        startAt,
        maxResults: input.limit,
        expand: 'lead',
      })) as { values?: Project[]; total?: number; isLast?: boolean };
      const values = listOf<Project>(res, 'values', 'the project search');
      const end = startAt + values.length;
      return { values, total: res.total, next: res.isLast === false ? String(end) : undefined };
    }
    // Data Center has no paged project search: one list, filtered and paged here.
    const all = await client.t.sendRequest<Project[]>({ url: '/rest/api/2/project', method: 'GET' });
    const q = input.query?.toLowerCase();
    const matching = q ? all.filter((p) => p.key.toLowerCase().includes(q) || p.name.toLowerCase().includes(q)) : all;
    const values = matching.slice(startAt, startAt + input.limit);
    const end = startAt + values.length;
    return { values, total: matching.length, next: end < matching.length ? String(end) : undefined };
  },
  render: (r) => {
    if (!r.values.length) return 'No projects visible.';
    const lines = r.values.map((p) =>
      [
        `${p.key} ${oneLine(p.name, 80)}`,
        p.projectTypeKey,
        p.style === 'next-gen' ? 'team-managed' : '',
        p.lead ? `lead ${who(p.lead)}` : '',
        p.archived ? 'archived' : '',
      ]
        .filter(Boolean)
        .join(' · '),
    );
    lines.push(more(r.next, r.values.length, r.total));
    return lines.join('\n');
  },
});

export const getProject = tool({
  name: 'get_project',
  title: 'Get project',
  description: 'One project: lead, description, issue types, components, versions',
  access: 'read',
  scopes: ['BROWSE_PROJECTS'],
  cacheTtlMs: 30_000,
  resource: projectResource,
  input: z.object({ project: projectKey }),
  run: async ({ client, input }) =>
    (await client.api.getProject(client.t, {
      projectIdOrKey: input.project.toUpperCase(),
      expand: 'description,lead,issueTypes',
    })) as Project,
  render: (p) => {
    const lines = [
      [`${p.key} ${oneLine(p.name, 100)}`, p.projectTypeKey, p.lead ? `lead ${who(p.lead)}` : '']
        .filter(Boolean)
        .join(' · '),
    ];
    const description = authored(p.description, `description of project ${p.key}`);
    if (description) lines.push(description);
    const types = p.issueTypes ?? [];
    if (types.length) {
      lines.push(
        `Issue types: ${types.map((t) => `${oneLine(t.name, 40)}${t.subtask ? ' (subtask)' : ''}`).join(', ')}`,
      );
    }
    const components = p.components ?? [];
    lines.push(`Components: ${components.map((c) => oneLine(c.name, 40)).join(', ') || 'none'}`);
    const versions = (p.versions ?? []).filter((v) => !v.archived);
    lines.push(
      `Versions: ${
        versions
          .map(
            (v) =>
              `${oneLine(v.name, 40)}${v.released ? ' (released)' : v.releaseDate ? ` (due ${v.releaseDate})` : ''}`,
          )
          .join(', ') || 'none'
      }`,
    );
    return lines.join('\n');
  },
});

export const projects: Toolset = {
  description: 'Projects, their issue types, components and versions',
  tools: [listProjects, getProject],
};
