/** Pages: read as Markdown (with a budget and a cursor), the tree around a page, create and update from Markdown. */
import { adfToMarkdown } from '@switchboard-mcp/atlassian';
import { markdownToStorage, mentionedUsers, storageToMarkdown } from '@switchboard-mcp/atlassian/storage';
import { SwitchboardError, type Toolset, toolsFor, untrusted } from '@switchboard-mcp/core';
import { z } from 'zod';
import { type Confluence, v1Get, v1Send } from '../client.ts';
import { expectList } from '../errors.ts';
import { contentId, cursorInput, day, limitInput, more, nextCursor, oneLine, webLink } from '../render.ts';
import { pageResources, spaceKey } from '../resources.ts';
import { userNames } from '../users.ts';

const tool = toolsFor<Confluence>();

const READ = ['read:page:confluence', 'read:confluence-content.all'];
const WRITE = ['write:page:confluence', 'write:confluence-content'];

/** A page as the tools see it, whichever API it came from. */
interface PageView {
  id: string;
  title: string;
  spaceKey: string;
  version: number;
  updated: string;
  parentId?: string;
  url: string;
  markdown: string;
}

interface V2Page {
  id?: string | number;
  title?: string;
  spaceId?: string | number;
  parentId?: string | number | null;
  version?: { number?: number; createdAt?: string };
  body?: { storage?: { value?: string }; atlas_doc_format?: { value?: string } };
  _links?: { webui?: string; base?: string };
}

interface V1Content {
  id?: string;
  title?: string;
  space?: { key?: string };
  version?: { number?: number; when?: string };
  ancestors?: { id?: string; title?: string }[];
  body?: { storage?: { value?: string } };
  _links?: { webui?: string };
}

/** Markdown of a page body (storage format, or ADF where only that came back), mentions named. */
async function bodyMarkdown(client: Confluence, body: V2Page['body']): Promise<string> {
  const storage = body?.storage?.value;
  if (typeof storage === 'string') {
    return storageToMarkdown(storage, { userName: await userNames(client, mentionedUsers(storage)) });
  }
  const adf = body?.atlas_doc_format?.value;
  if (typeof adf !== 'string') return '';
  try {
    return adfToMarkdown(JSON.parse(adf));
  } catch {
    return adfToMarkdown(adf);
  }
}

async function readPage(client: Confluence, id: string): Promise<PageView> {
  if (client.deployment === 'datacenter') {
    const c = await v1Get<V1Content>(client, `/wiki/rest/api/content/${id}`, {
      expand: 'space,version,ancestors,body.storage',
    });
    const parent = c.ancestors?.[c.ancestors.length - 1]?.id;
    return {
      id: String(c.id ?? id),
      title: c.title ?? '',
      spaceKey: c.space?.key ?? '',
      version: c.version?.number ?? 0,
      updated: day(c.version?.when),
      parentId: parent,
      url: webLink(client.siteUrl, c._links?.webui),
      markdown: await bodyMarkdown(client, { storage: { value: c.body?.storage?.value ?? '' } }),
    };
  }
  const p = (await client.v2.page.getPageById({ id: Number(id), bodyFormat: 'storage' })) as V2Page;
  const spaceId = String(p.spaceId ?? '');
  // The key makes the answer usable for search and create_page; a failed lookup only costs the key.
  const key = spaceId ? await spaceKey(client, spaceId).catch(() => `id ${spaceId}`) : '';
  return {
    id: String(p.id ?? id),
    title: p.title ?? '',
    spaceKey: key,
    version: p.version?.number ?? 0,
    updated: day(p.version?.createdAt),
    parentId: p.parentId ? String(p.parentId) : undefined,
    url: webLink(client.siteUrl, p._links?.webui, p._links?.base),
    markdown: await bodyMarkdown(client, p.body),
  };
}

function header(p: PageView): string {
  const parts = [`page ${p.id}`, `space ${p.spaceKey}`, `v${p.version}${p.updated ? ` ${p.updated}` : ''}`];
  if (p.parentId) parts.push(`parent ${p.parentId}`);
  if (p.url) parts.push(p.url);
  return `# ${oneLine(p.title, 300)}\n${parts.join(' · ')}`;
}

/** A window of the body: at most `max` characters from `offset`, ending at a line break where one is near. */
export function bodyWindow(text: string, offset: number, max: number): { part: string; end: number } {
  if (offset >= text.length) return { part: '', end: text.length };
  let end = Math.min(text.length, offset + max);
  if (end < text.length) {
    const br = text.lastIndexOf('\n', end);
    if (br > offset + max / 2) end = br + 1;
  }
  return { part: text.slice(offset, end), end };
}

export const getPage = tool({
  name: 'get_page',
  title: 'Get page',
  description:
    'A page as Markdown (macros kept as [macro: …] placeholders). Long pages come in parts: pass the cursor shown to continue.',
  access: 'read',
  scopes: READ,
  resource: (input, ctx) => pageResources(input.id, ctx),
  input: z.object({
    id: contentId(),
    cursor: cursorInput().describe('character offset from a previous answer'),
    maxChars: z.number().int().min(1000).max(100_000).default(20_000),
  }),
  run: ({ client, input }) => readPage(client, input.id),
  render: (page, input) => {
    const text = page.markdown;
    const offset = Math.max(0, Number.parseInt(input.cursor ?? '0', 10) || 0);
    const { part, end } = bodyWindow(text, offset, input.maxChars);
    const lines = [header(page)];
    if (offset > 0 && offset >= text.length) {
      lines.push(`(cursor ${offset} is past the end: the page has ${text.length} characters)`);
      return lines.join('\n');
    }
    if (!text.trim()) lines.push('(empty page)');
    else if (part) lines.push(untrusted(part, { source: 'page body' }));
    if (end < text.length) lines.push(`(chars ${offset}-${end} of ${text.length}; more with cursor="${end}")`);
    else if (offset > 0) lines.push(`(chars ${offset}-${end} of ${text.length}; end)`);
    return lines.join('\n');
  },
});

export const getPageChildren = tool({
  name: 'get_page_children',
  title: 'Page children',
  description: 'Child pages of a page, in order',
  access: 'read',
  scopes: READ,
  resource: (input, ctx) => pageResources(input.id, ctx),
  input: z.object({ id: contentId(), cursor: cursorInput(), limit: limitInput(25, 250) }),
  run: async ({ client, input }) => {
    if (client.deployment === 'datacenter') {
      const data = await v1Get<unknown>(client, `/wiki/rest/api/content/${input.id}/child/page`, {
        start: input.cursor,
        limit: input.limit,
      });
      return {
        items: expectList<{ id?: string; title?: string }>(data, 'results', 'child pages'),
        next: nextCursor(data),
      };
    }
    const data = await client.v2.children.getChildPages({
      id: Number(input.id),
      cursor: input.cursor,
      limit: input.limit,
    });
    return {
      items: expectList<{ id?: string; title?: string }>(data, 'results', 'child pages'),
      next: nextCursor(data),
    };
  },
  render: ({ items, next }) => {
    if (!items.length) return 'No child pages.';
    const lines = items.map((p) => `${p.id} ${oneLine(p.title, 200)}`);
    lines.push(more(next, items.length));
    return lines.join('\n');
  },
});

export const getPageAncestors = tool({
  name: 'get_page_ancestors',
  title: 'Page ancestors',
  description: 'The path from the space root down to a page',
  access: 'read',
  scopes: READ,
  resource: (input, ctx) => pageResources(input.id, ctx),
  input: z.object({ id: contentId() }),
  run: async ({ client, input }) => {
    if (client.deployment === 'datacenter') {
      const c = await v1Get<V1Content>(client, `/wiki/rest/api/content/${input.id}`, { expand: 'ancestors' });
      return { page: { id: c.id ?? input.id, title: c.title ?? '' }, ancestors: c.ancestors ?? [] };
    }
    const [page, data] = await Promise.all([
      client.v2.page.getPageById({ id: Number(input.id) }),
      client.v2.ancestors.getPageAncestors({ id: Number(input.id), limit: 250 }),
    ]);
    const ids = expectList<{ id?: string | number }>(data, 'results', 'page ancestors').map((a) => String(a.id));
    const titles = new Map<string, string>();
    if (ids.length) {
      const found = await client.v2.page.getPages({ id: ids.map(Number), limit: 250 });
      for (const p of expectList<{ id?: string; title?: string }>(found, 'results', 'pages')) {
        titles.set(String(p.id), p.title ?? '');
      }
    }
    return {
      page: { id: String(page.id ?? input.id), title: (page as V2Page).title ?? '' },
      ancestors: ids.map((id) => ({ id, title: titles.get(id) ?? '' })),
    };
  },
  render: ({ page, ancestors }) => {
    const path = [...ancestors, page].map((p) => `${p.id} ${oneLine(p.title, 150)}`);
    return ancestors.length ? path.join(' > ') : `${path[0]} (top level of its space)`;
  },
});

/** The id of a space by key (Cloud). */
async function spaceIdOf(client: Confluence, key: string): Promise<string> {
  for (const [id, k] of client.spaceKeys) if (k === key) return id;
  const data = await client.v2.space.getSpaces({ keys: [key], limit: 1 });
  const space = expectList<{ id?: string | number; key?: string }>(data, 'results', 'spaces')[0];
  if (!space?.id) {
    throw new SwitchboardError('not_found', `no space with key ${key}`, {
      hint: 'Space keys are case-sensitive; list_spaces shows them.',
    });
  }
  client.spaceKeys.set(String(space.id), key);
  return String(space.id);
}

export const createPage = tool({
  name: 'create_page',
  title: 'Create page',
  description: 'Create a page from Markdown in a space (under parentId, else under the space home page)',
  access: 'write',
  scopes: WRITE,
  resource: (input) => `space:${input.space}`,
  input: z.object({
    space: z.string().min(1).describe('space key'),
    title: z.string().min(1).max(255),
    body: z.string().describe('Markdown'),
    parentId: contentId().optional(),
  }),
  run: async ({ client, input }): Promise<Omit<PageView, 'markdown'>> => {
    const value = markdownToStorage(input.body);
    if (client.deployment === 'datacenter') {
      const c = await v1Send<V1Content>(client, 'POST', '/wiki/rest/api/content', {
        type: 'page',
        title: input.title,
        space: { key: input.space },
        ...(input.parentId ? { ancestors: [{ id: input.parentId }] } : {}),
        body: { storage: { value, representation: 'storage' } },
      });
      return {
        id: String(c.id),
        title: c.title ?? input.title,
        spaceKey: input.space,
        version: c.version?.number ?? 1,
        updated: '',
        url: webLink(client.siteUrl, c._links?.webui),
      };
    }
    const spaceId = await spaceIdOf(client, input.space);
    const p = (await client.v2.page.createPage({
      body: {
        spaceId,
        status: 'current',
        title: input.title,
        ...(input.parentId ? { parentId: input.parentId } : {}),
        body: { representation: 'storage', value },
      },
    })) as V2Page;
    return {
      id: String(p.id),
      title: p.title ?? input.title,
      spaceKey: input.space,
      version: p.version?.number ?? 1,
      updated: '',
      url: webLink(client.siteUrl, p._links?.webui, p._links?.base),
    };
  },
  render: (p) =>
    `Created page ${p.id} "${oneLine(p.title, 200)}" in ${p.spaceKey} (v${p.version})${p.url ? `: ${p.url}` : ''}`,
});

export const updatePage = tool({
  name: 'update_page',
  title: 'Update page',
  description:
    'Replace a page body (Markdown) and/or title. Pass the version get_page showed: if the page changed since, nothing is overwritten.',
  access: 'write',
  scopes: WRITE,
  resource: (input, ctx) => pageResources(input.id, ctx),
  input: z.object({
    id: contentId(),
    version: z.number().int().min(1).optional().describe('the version you read; omit to overwrite whatever is current'),
    title: z.string().min(1).max(255).optional(),
    body: z.string().optional().describe('Markdown; omit to keep the body'),
    message: z.string().max(255).optional().describe('version comment'),
  }),
  run: async ({ client, input }) => {
    if (input.title === undefined && input.body === undefined) {
      throw new SwitchboardError('invalid', 'nothing to update', { hint: 'Pass body (Markdown), title, or both.' });
    }
    const keepBody = input.body === undefined;
    let current: { title: string; version: number; storage?: string };
    if (client.deployment === 'datacenter') {
      const c = await v1Get<V1Content>(client, `/wiki/rest/api/content/${input.id}`, {
        expand: keepBody ? 'version,body.storage' : 'version',
      });
      current = { title: c.title ?? '', version: c.version?.number ?? 0, storage: c.body?.storage?.value };
    } else {
      const p = (await client.v2.page.getPageById({
        id: Number(input.id),
        bodyFormat: keepBody ? 'storage' : undefined,
      })) as V2Page;
      current = { title: p.title ?? '', version: p.version?.number ?? 0, storage: p.body?.storage?.value };
    }
    if (input.version !== undefined && input.version !== current.version) {
      throw new SwitchboardError(
        'conflict',
        `page ${input.id} is at version ${current.version}, not ${input.version}: it changed since you read it`,
        {
          hint: 'Re-read it with get_page, reapply your change to the current text, and call update_page again with the version get_page shows.',
        },
      );
    }
    const value = keepBody ? (current.storage ?? '') : markdownToStorage(input.body ?? '');
    const title = input.title ?? current.title;
    const number = current.version + 1;
    if (client.deployment === 'datacenter') {
      const c = await v1Send<V1Content>(client, 'PUT', `/wiki/rest/api/content/${input.id}`, {
        id: input.id,
        type: 'page',
        title,
        version: { number, ...(input.message ? { message: input.message } : {}) },
        body: { storage: { value, representation: 'storage' } },
      });
      return {
        id: input.id,
        title,
        version: c.version?.number ?? number,
        url: webLink(client.siteUrl, c._links?.webui),
      };
    }
    const p = (await client.v2.page.updatePage({
      id: Number(input.id),
      body: {
        id: input.id,
        status: 'current',
        title,
        body: { representation: 'storage', value },
        version: { number, ...(input.message ? { message: input.message } : {}) },
      },
    })) as V2Page;
    return { id: input.id, title, version: p.version?.number ?? number, url: webLink(client.siteUrl, p._links?.webui) };
  },
  render: (p) => `Updated page ${p.id} "${oneLine(p.title, 200)}" to v${p.version}${p.url ? `: ${p.url}` : ''}`,
});

export const pages: Toolset = {
  description: 'Read pages as Markdown, the page tree, create and update pages',
  tools: [getPage, getPageChildren, getPageAncestors, createPage, updatePage],
};
