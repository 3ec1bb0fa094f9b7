/** Workflow: which transitions an issue has, and moving it through one. */
import { SwitchboardError, type Toolset, toolsFor } from '@switchboard-mcp/core';
import { z } from 'zod';
import type { JiraClient } from '../client.ts';
import { resolveFields, richValue } from '../fields.ts';
import { issueKey, issueResource, listOf, oneLine } from '../render.ts';

const tool = toolsFor<JiraClient>();

interface Transition {
  id: string;
  name: string;
  to?: { name?: string; statusCategory?: { name?: string } };
  isAvailable?: boolean;
  fields?: Record<string, { name?: string; required?: boolean; allowedValues?: { name?: string; value?: string }[] }>;
}

async function transitionsOf(client: JiraClient, key: string): Promise<Transition[]> {
  const res = await client.api.getTransitions(client.t, { issueIdOrKey: key, expand: 'transitions.fields' });
  return listOf<Transition>(res, 'transitions', 'the transition list').filter((t) => t.isAvailable !== false);
}

function needs(t: Transition): string {
  const required = Object.values(t.fields ?? {})
    .filter((f) => f.required)
    .map((f) => {
      const values = (f.allowedValues ?? []).map((v) => v.name ?? v.value).filter(Boolean);
      return `${f.name ?? '?'}${values.length ? ` (${values.slice(0, 8).join(', ')})` : ''}`;
    });
  return required.length ? ` · needs ${required.join('; ')}` : '';
}

export const listTransitions = tool({
  name: 'list_transitions',
  title: 'List transitions',
  description: 'Transitions available for an issue now: id, name → target status, required fields',
  access: 'read',
  scopes: ['BROWSE_PROJECTS', 'TRANSITION_ISSUES'],
  resource: issueResource,
  input: z.object({ key: issueKey }),
  run: async ({ client, input }) => transitionsOf(client, input.key),
  render: (ts, input) =>
    ts.length
      ? ts.map((t) => `${t.id} ${oneLine(t.name, 60)} → ${oneLine(t.to?.name ?? '?', 40)}${needs(t)}`).join('\n')
      : `No transitions are available for ${input.key} to this account.`,
});

export const transitionIssue = tool({
  name: 'transition_issue',
  title: 'Transition issue',
  description: 'Move an issue through a transition, by transition id or name or target status name',
  access: 'write',
  scopes: ['TRANSITION_ISSUES'],
  resource: issueResource,
  input: z.object({
    key: issueKey,
    transition: z.string().min(1).describe('Transition id or name, or the target status'),
    comment: z.string().optional().describe('Markdown'),
    resolution: z.string().optional().describe('Resolution name, when the transition asks for one'),
    fields: z.record(z.string(), z.unknown()).optional().describe('Fields the transition screen needs, by name'),
  }),
  run: async ({ client, input }) => {
    const ts = await transitionsOf(client, input.key);
    const wanted = input.transition.trim().toLowerCase();
    const t =
      ts.find((x) => x.id === input.transition.trim()) ??
      ts.find((x) => x.name.toLowerCase() === wanted) ??
      ts.find((x) => x.to?.name?.toLowerCase() === wanted);
    if (!t) {
      throw new SwitchboardError('invalid', `${input.key} has no available transition "${input.transition}".`, {
        hint: ts.length
          ? `Available: ${ts.map((x) => `${x.id} ${x.name} → ${x.to?.name ?? '?'}`).join('; ')}.`
          : 'No transitions are available to this account now.',
      });
    }
    const fields = await resolveFields(client, input.fields ?? {});
    if (input.resolution) fields.resolution = { name: input.resolution };
    await client.api.doTransition(client.t, {
      issueIdOrKey: input.key,
      transition: { id: t.id },
      ...(Object.keys(fields).length ? { fields } : {}),
      ...(input.comment ? { update: { comment: [{ add: { body: richValue(client, input.comment) } }] } as never } : {}),
    });
    return { key: input.key, transition: t };
  },
  render: (r) => `${r.key}: ${r.transition.name} → ${r.transition.to?.name ?? 'done'}`,
});

export const workflow: Toolset = {
  description: 'Issue transitions (status changes)',
  tools: [listTransitions, transitionIssue],
};
