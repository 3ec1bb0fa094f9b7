/** Spaces: list and look one up by key. */
import { SwitchboardError, type Toolset, toolsFor, untrusted } from '@switchboard-mcp/core';
import { z } from 'zod';
import { type Confluence, v1Get } from '../client.ts';
import { expectList } from '../errors.ts';
import { cursorInput, limitInput, more, nextCursor, oneLine, webLink } from '../render.ts';

const tool = toolsFor<Confluence>();
const READ = ['read:space:confluence', 'read:confluence-space.summary'];

interface SpaceView {
  id: string;
  key: string;
  name: string;
  type: string;
  status?: string;
  homepageId?: string;
  description?: string;
  url?: string;
}

interface RawSpace {
  id?: string | number;
  key?: string;
  name?: string;
  type?: string;
  status?: string;
  homepageId?: string | number | null;
  homepage?: { id?: string };
  description?: { plain?: { value?: string } } | null;
  _links?: { webui?: string };
}

function view(client: Confluence, s: RawSpace): SpaceView {
  const id = String(s.id ?? '');
  if (id && s.key) client.spaceKeys.set(id, s.key);
  return {
    id,
    key: s.key ?? '',
    name: s.name ?? '',
    type: s.type ?? '',
    status: s.status,
    homepageId: s.homepageId ? String(s.homepageId) : s.homepage?.id,
    description: s.description?.plain?.value,
    url: webLink(client.siteUrl, s._links?.webui),
  };
}

export const listSpaces = tool({
  name: 'list_spaces',
  title: 'List spaces',
  description: 'Spaces visible to the account: key, name, type',
  access: 'read',
  cacheTtlMs: 30_000,
  scopes: READ,
  resource: () => 'space:*',
  input: z.object({
    type: z.enum(['global', 'personal']).optional(),
    cursor: cursorInput(),
    limit: limitInput(25, 250),
  }),
  run: async ({ client, input }) => {
    const data =
      client.deployment === 'datacenter'
        ? await v1Get<unknown>(client, '/wiki/rest/api/space', {
            type: input.type,
            start: input.cursor,
            limit: input.limit,
          })
        : await client.v2.space.getSpaces({ type: input.type, cursor: input.cursor, limit: input.limit });
    return {
      spaces: expectList<RawSpace>(data, 'results', 'the space list').map((s) => view(client, s)),
      next: nextCursor(data),
    };
  },
  render: ({ spaces, next }) => {
    if (!spaces.length) return 'No spaces.';
    const lines = spaces.map(
      (s) => `${s.key} ${oneLine(s.name, 120)} (${s.type}${s.status && s.status !== 'current' ? `, ${s.status}` : ''})`,
    );
    lines.push(more(next, spaces.length));
    return lines.join('\n');
  },
});

export const getSpace = tool({
  name: 'get_space',
  title: 'Get space',
  description: 'A space by key: name, type, home page, description',
  access: 'read',
  cacheTtlMs: 30_000,
  scopes: READ,
  resource: (input) => `space:${input.space}`,
  input: z.object({ space: z.string().min(1).describe('space key') }),
  run: async ({ client, input }) => {
    if (client.deployment === 'datacenter') {
      const s = await v1Get<RawSpace>(client, `/wiki/rest/api/space/${encodeURIComponent(input.space)}`, {
        expand: 'description.plain,homepage',
      });
      return view(client, s);
    }
    const data = await client.v2.space.getSpaces({ keys: [input.space], descriptionFormat: 'plain', limit: 1 });
    const s = expectList<RawSpace>(data, 'results', 'the space lookup')[0];
    if (!s) {
      throw new SwitchboardError('not_found', `no space with key ${input.space}`, {
        hint: 'Space keys are case-sensitive; list_spaces shows them.',
      });
    }
    return view(client, s);
  },
  render: (s) => {
    const parts = [`${s.key} · ${oneLine(s.name, 200)} · ${s.type}`, `id ${s.id}`];
    if (s.status && s.status !== 'current') parts.push(s.status);
    if (s.homepageId) parts.push(`home page ${s.homepageId}`);
    if (s.url) parts.push(s.url);
    const description = s.description?.trim() ? `\n${untrusted(s.description, { source: 'space description' })}` : '';
    return parts.join(' · ') + description;
  },
});

export const spaces: Toolset = { description: 'List and look up spaces', tools: [listSpaces, getSpace] };
