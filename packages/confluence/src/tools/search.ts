/** CQL search through REST v1 /rest/api/search (REST v2 has no search). */
import { type Toolset, toolsFor, untrusted } from '@switchboard-mcp/core';
import { z } from 'zod';
import type { Confluence } from '../client.ts';
import { expectList } from '../errors.ts';
import { day, limitInput, more, nextCursor, oneLine } from '../render.ts';
import { cqlResources } from '../resources.ts';

const tool = toolsFor<Confluence>();

interface Hit {
  content?: { id?: string; type?: string; title?: string; space?: { key?: string } };
  title?: string;
  excerpt?: string;
  lastModified?: string;
  resultGlobalContainer?: { title?: string };
}

/** Confluence marks matches with @@@hl@@@…@@@endhl@@@; the model needs neither. */
function cleanExcerpt(text: string | undefined): string {
  return oneLine((text ?? '').replace(/@@@(?:end)?hl@@@/g, ''), 240);
}

export const search = tool({
  name: 'search',
  title: 'Search (CQL)',
  description:
    'Search with CQL, e.g. `text ~ "deploy" AND space = ENG AND type = page order by lastmodified desc`. Hits with excerpts.',
  access: 'read',
  scopes: ['search:confluence', 'read:confluence-content.summary'],
  resource: (input) => cqlResources(input.cql),
  input: z.object({
    cql: z.string().min(1),
    cursor: z.string().optional(),
    limit: limitInput(10, 50),
  }),
  run: async ({ client, input }) => {
    const data =
      client.deployment === 'datacenter'
        ? await client.v1.search.searchByCQL({
            cql: input.cql,
            start: Number(input.cursor ?? 0),
            limit: input.limit,
          })
        : await client.v1.search.searchByCQL({ cql: input.cql, cursor: input.cursor, limit: input.limit });
    const total = (data as { totalSize?: number }).totalSize;
    return { hits: expectList<Hit>(data, 'results', 'the search'), next: nextCursor(data), total };
  },
  render: ({ hits, next, total }) => {
    if (!hits.length) return 'No results.';
    const lines = hits.map((h) => {
      const c = h.content ?? {};
      const where = c.space?.key ?? oneLine(h.resultGlobalContainer?.title, 60);
      const head = [c.id, c.type && c.type !== 'page' ? `(${c.type})` : '', oneLine(c.title ?? h.title, 200)]
        .filter(Boolean)
        .join(' ');
      const meta = [where, day(h.lastModified)].filter(Boolean).join(' · ');
      const excerpt = cleanExcerpt(h.excerpt);
      return `${head} · ${meta}${excerpt ? `\n  ${excerpt}` : ''}`;
    });
    const footer = more(next, hits.length) + (total !== undefined ? ` of ${total}` : '');
    return `${untrusted(lines.join('\n'), { source: 'search results' })}\n${footer}`;
  },
});

export const searchToolset: Toolset = { description: 'CQL search', tools: [search] };
