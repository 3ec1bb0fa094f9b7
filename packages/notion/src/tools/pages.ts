/** Pages: search, read as Markdown, create, update, archive. */
import type { Toolset } from '@switchboard-mcp/core';
import { oneLine, SwitchboardError, untrusted } from '@switchboard-mcp/core';
import { z } from 'zod';
import { createWithBlocks, readTree } from '../blocks.ts';
import { notionId } from '../ids.ts';
import { converters } from '../markdown/lazy.ts';
import type { Block } from '../markdown/types.ts';
import { plainRichText, propertyValues } from '../properties.ts';
import { day, type Json, pageTitle, parentText, propertyLines, richTitle, short } from '../render.ts';
import { dataSourceResource, pageResource } from '../resources.ts';
import { cursor, limit, more, tool } from './common.ts';

export const search = tool({
  name: 'search',
  title: 'Search',
  description: 'Find pages and data sources by title',
  access: 'read',
  scopes: ['read_content'],
  // Search reaches the whole workspace: under a resource allow-list it is allowed only if `page:*` is.
  resource: (_input, ctx) => (ctx.scoped ? 'page:*' : undefined),
  input: z.object({
    query: z.string().default(''),
    type: z.enum(['page', 'data_source']).optional(),
    limit: limit(100, 20),
    cursor,
  }),
  run: async ({ client, input }) =>
    (await client.api.search({
      query: input.query,
      page_size: input.limit,
      ...(input.type ? { filter: { property: 'object', value: input.type } } : {}),
      sort: { timestamp: 'last_edited_time', direction: 'descending' },
      ...(input.cursor ? { start_cursor: input.cursor } : {}),
    })) as Json,
  render: (r) => {
    const lines = (r.results as Json[]).map((item) => {
      const title = item.object === 'page' ? pageTitle(item) : richTitle(item.title);
      const kind = item.object === 'page' ? 'page' : 'data_source';
      return `${kind} ${short(item.id)} ${title} · in ${parentText(item.parent)} · edited ${day(item.last_edited_time)}`;
    });
    return `${lines.join('\n') || 'nothing found'}${more(r.next_cursor)}`;
  },
});

interface PageRead {
  page: Json;
  markdown?: string;
  nextCursor?: string;
}

export const getPage = tool({
  name: 'get_page',
  title: 'Get page',
  description: 'A page: properties and body as Markdown (child blocks included, paged by cursor)',
  access: 'read',
  scopes: ['read_content'],
  resource: (input, ctx) => pageResource(ctx, input.page_id),
  input: z.object({
    page_id: notionId('page'),
    body: z.boolean().default(true).describe('include the content'),
    ids: z.boolean().default(false).describe('mark block ids for update_block/append_markdown'),
    cursor,
    max_chars: z.number().int().min(1000).max(100_000).default(16_000),
  }),
  run: async ({ client, input }): Promise<PageRead> => {
    if (input.cursor && !input.body) {
      // A cursor continues the body; without the body there would be nothing to answer.
      throw new SwitchboardError('invalid', 'cursor: continues the page body, so it cannot be used with body: false', {
        hint: 'Drop cursor to read the page properties, or leave body at true to continue the body.',
      });
    }
    const page = input.cursor ? undefined : ((await client.api.pages.retrieve({ page_id: input.page_id })) as Json);
    if (!input.body) return { page: page ?? {} };
    const md = await converters();
    const opts = { ids: input.ids };
    const measure = (block: Block) => md.blocksToMarkdown([block], opts).length + 2;
    const { blocks, nextCursor } = await readTree(client, input.page_id, input.max_chars, input.cursor, measure);
    const markdown = md.blocksToMarkdown(blocks, opts);
    return { page: page ?? {}, markdown, nextCursor };
  },
  render: ({ page, markdown, nextCursor }) => {
    const out: string[] = [];
    if (page.id) {
      const icon = page.icon?.type === 'emoji' ? `${page.icon.emoji} ` : '';
      out.push(`# ${icon}${pageTitle(page)}`);
      const meta = [
        `id ${short(page.id)}`,
        `in ${parentText(page.parent)}`,
        `edited ${day(page.last_edited_time)}`,
        page.in_trash || page.archived ? 'ARCHIVED' : '',
        page.url,
      ].filter(Boolean);
      out.push(meta.join(' · '));
      const props = propertyLines(page.properties);
      if (props.length) out.push(untrusted(props.join('\n'), { source: 'page properties' }));
    }
    if (markdown !== undefined) {
      out.push(markdown ? untrusted(markdown, { source: 'page body' }) : '(empty page)');
      if (nextCursor) out.push(`more: cursor=${nextCursor}`);
    }
    return out.join('\n');
  },
});

/** Property names → types of a data source (for create) or of a page (for update). */
function typesOf(properties: Record<string, Json>): Record<string, string> {
  return Object.fromEntries(Object.entries(properties ?? {}).map(([name, p]) => [name, String(p.type)]));
}

function titleName(types: Record<string, string>): string {
  return Object.entries(types).find(([, t]) => t === 'title')?.[0] ?? 'title';
}

function icon(emoji: string | undefined): Json | null | undefined {
  if (emoji === undefined) return undefined;
  return emoji === '' ? null : { type: 'emoji', emoji };
}

const properties = z
  .record(z.string(), z.unknown())
  .optional()
  .describe('by name: "Done", ["a","b"], 3, true, "2025-07-01", user/page ids, or Notion JSON');

export const createPage = tool({
  name: 'create_page',
  title: 'Create page',
  description: 'Create a page under a page, or a row in a data source; body from Markdown',
  access: 'write',
  scopes: ['insert_content'],
  resource: (input, ctx) =>
    input.data_source_id
      ? dataSourceResource(ctx, input.data_source_id)
      : input.parent_page_id
        ? pageResource(ctx, input.parent_page_id)
        : undefined,
  input: z.object({
    parent_page_id: notionId('page').optional(),
    data_source_id: notionId('data source').optional(),
    title: z.string().optional(),
    properties,
    markdown: z.string().optional(),
    icon: z.string().optional().describe('emoji'),
  }),
  run: async ({ client, input }) => {
    if (Boolean(input.parent_page_id) === Boolean(input.data_source_id)) {
      throw new SwitchboardError('invalid', 'give exactly one of parent_page_id and data_source_id');
    }
    let parent: Json;
    let props: Json;
    if (input.data_source_id) {
      const ds = (await client.api.dataSources.retrieve({ data_source_id: input.data_source_id })) as Json;
      const types = typesOf(ds.properties);
      props = propertyValues(types, input.properties ?? {});
      if (input.title !== undefined) props[titleName(types)] = { title: plainRichText(input.title) };
      parent = { type: 'data_source_id', data_source_id: input.data_source_id };
    } else {
      if (input.properties && Object.keys(input.properties).length) {
        throw new SwitchboardError('invalid', 'pages under a page have only a title; properties need data_source_id');
      }
      props = { title: { title: plainRichText(input.title ?? '') } };
      parent = { type: 'page_id', page_id: input.parent_page_id };
    }
    const blocks = input.markdown ? (await converters()).markdownToBlocks(input.markdown) : [];
    let page: Json = {};
    const { id, written } = await createWithBlocks(client, blocks, async (children) => {
      page = (await client.api.pages.create({
        parent: parent as never,
        properties: props as never,
        ...(icon(input.icon) ? { icon: icon(input.icon) as never } : {}),
        ...(children?.length ? { children: children as never } : {}),
      })) as Json;
      return page.id as string;
    });
    return { id, url: page.url as string, title: pageTitle(page), written };
  },
  render: (r) => `created page ${short(r.id)} "${oneLine(r.title, 120)}" (${r.written} blocks) ${r.url}`,
});

export const updatePage = tool({
  name: 'update_page',
  title: 'Update page',
  description: 'Set a page’s title, properties or icon',
  access: 'write',
  idempotent: true,
  scopes: ['update_content'],
  resource: (input, ctx) => pageResource(ctx, input.page_id),
  input: z.object({
    page_id: notionId('page'),
    title: z.string().optional(),
    properties,
    icon: z.string().optional().describe('emoji; "" removes'),
  }),
  run: async ({ client, input }) => {
    const body: Json = { page_id: input.page_id };
    if (input.title !== undefined || input.properties) {
      const current = (await client.api.pages.retrieve({ page_id: input.page_id })) as Json;
      const types = typesOf(current.properties);
      const props = propertyValues(types, input.properties ?? {});
      if (input.title !== undefined) props[titleName(types)] = { title: plainRichText(input.title) };
      body.properties = props;
    }
    if (input.icon !== undefined) body.icon = icon(input.icon);
    if (Object.keys(body).length === 1) {
      throw new SwitchboardError('invalid', 'nothing to update', { hint: 'Give title, properties or icon.' });
    }
    return (await client.api.pages.update(body as never)) as Json;
  },
  render: (page) => {
    const props = propertyLines(page.properties);
    return `updated page ${short(page.id)} "${pageTitle(page)}"${props.length ? `\n${untrusted(props.join('\n'), { source: 'page properties' })}` : ''}`;
  },
});

export const archivePage = tool({
  name: 'archive_page',
  title: 'Archive or restore page',
  description: 'Move a page to the trash, or restore it',
  access: 'destructive',
  idempotent: true,
  scopes: ['update_content'],
  resource: (input, ctx) => pageResource(ctx, input.page_id),
  input: z.object({ page_id: notionId('page'), restore: z.boolean().default(false) }),
  run: async ({ client, input }) =>
    (await client.api.pages.update({ page_id: input.page_id, in_trash: !input.restore })) as Json,
  render: (page, input) => `${input.restore ? 'restored' : 'archived'} page ${short(page.id)} "${pageTitle(page)}"`,
});

export const pages: Toolset = {
  description: 'Search, read, create and update pages (Markdown bodies)',
  tools: [search, getPage, createPage, updatePage, archivePage],
};
