/** Page labels: list (REST v2 on Cloud, v1 on Data Center) and add (REST v1: v2 has no write endpoint for labels). */
import { type Toolset, toolsFor } from '@switchboard-mcp/core';
import { z } from 'zod';
import { type Confluence, v1Get } from '../client.ts';
import { expectList } from '../errors.ts';
import { contentId, cursorInput, limitInput, more, nextCursor, oneLine } from '../render.ts';
import { pageResources } from '../resources.ts';

const tool = toolsFor<Confluence>();

interface RawLabel {
  name?: string;
  prefix?: string;
}

function labelText(l: RawLabel): string {
  const name = oneLine(l.name, 100);
  return l.prefix && l.prefix !== 'global' ? `${l.prefix}:${name}` : name;
}

export const listLabels = tool({
  name: 'list_labels',
  title: 'List labels',
  description: 'Labels on a page',
  access: 'read',
  scopes: ['read:label:confluence', 'read:confluence-content.summary'],
  resource: (input, ctx) => pageResources(input.pageId, ctx),
  input: z.object({ pageId: contentId(), cursor: cursorInput(), limit: limitInput(50, 250) }),
  run: async ({ client, input }) => {
    const data =
      client.deployment === 'datacenter'
        ? await v1Get<unknown>(client, `/wiki/rest/api/content/${input.pageId}/label`, {
            start: input.cursor,
            limit: input.limit,
          })
        : await client.v2.label.getPageLabels({ id: Number(input.pageId), cursor: input.cursor, limit: input.limit });
    return { labels: expectList<RawLabel>(data, 'results', 'the label list'), next: nextCursor(data) };
  },
  render: ({ labels, next }) => {
    if (!labels.length) return 'No labels.';
    return `${labels.map(labelText).join(', ')}\n${more(next, labels.length)}`;
  },
});

export const addLabel = tool({
  name: 'add_label',
  title: 'Add labels',
  description: 'Add labels to a page (lower case, no spaces)',
  access: 'write',
  idempotent: true,
  scopes: ['write:label:confluence', 'write:confluence-content'],
  resource: (input, ctx) => pageResources(input.pageId, ctx),
  input: z.object({
    pageId: contentId(),
    labels: z.array(z.string().min(1).max(255).regex(/^\S+$/, 'no spaces')).min(1).max(20),
  }),
  run: async ({ client, input }) => {
    const data = await client.v1.contentLabels.addLabelsToContent({
      id: input.pageId,
      body: input.labels.map((name) => ({ prefix: 'global', name })),
    });
    return expectList<RawLabel>(data, 'results', 'adding labels');
  },
  render: (labels, input) => `Labels on page ${input.pageId}: ${labels.map(labelText).join(', ')}`,
});

export const labels: Toolset = { description: 'Page labels', tools: [listLabels, addLabel] };
