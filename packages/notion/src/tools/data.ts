/** Databases and data sources: schemas as compact property lists, queries as compact tables, schema edits. */
import type { Toolset } from '@switchboard-mcp/core';
import { oneLine, SwitchboardError, untrusted } from '@switchboard-mcp/core';
import { z } from 'zod';
import { notionId } from '../ids.ts';
import { plainRichText, schemaSpec } from '../properties.ts';
import { type Json, pageTitle, parentText, propertyText, richTitle, schemaLines, short, table } from '../render.ts';
import { dataSourceResource, pageResource } from '../resources.ts';
import { cursor, limit, more, tool } from './common.ts';

export const getDatabase = tool({
  name: 'get_database',
  title: 'Get database',
  description: 'A database: title, parent and its data sources',
  access: 'read',
  scopes: ['read_content'],
  resource: (input, ctx) => dataSourceResource(ctx, input.database_id, 'database'),
  input: z.object({ database_id: notionId('database') }),
  run: async ({ client, input }) => (await client.api.databases.retrieve({ database_id: input.database_id })) as Json,
  render: (db) =>
    [
      `database ${short(db.id)} "${richTitle(db.title)}" · in ${parentText(db.parent)}${db.is_inline ? ' · inline' : ''}`,
      'data sources:',
      ...(db.data_sources ?? []).map((ds: Json) => `- ${short(ds.id)} ${oneLine(ds.name, 120) || 'Untitled'}`),
    ].join('\n'),
});

function dataSourceText(ds: Json): string {
  return [
    `data source ${short(ds.id)} "${richTitle(ds.title)}" · database ${short(ds.parent?.database_id)} · in ${parentText(ds.database_parent)}`,
    ...schemaLines(ds.properties ?? {}),
  ].join('\n');
}

export const getDataSource = tool({
  name: 'get_data_source',
  title: 'Get data source',
  description: 'A data source’s schema: property names, types and options',
  access: 'read',
  // Not cached: core's cache does not see update_data_source, and a schema read right after a change must show it.
  scopes: ['read_content'],
  resource: (input, ctx) => dataSourceResource(ctx, input.data_source_id),
  input: z.object({ data_source_id: notionId('data source') }),
  run: async ({ client, input }) =>
    (await client.api.dataSources.retrieve({ data_source_id: input.data_source_id })) as Json,
  render: dataSourceText,
});

/** Up to this many columns when the caller names none: the title plus the properties that have values. */
const DEFAULT_COLUMNS = 8;

export const queryDataSource = tool({
  name: 'query_data_source',
  title: 'Query data source',
  description: 'Rows of a data source as a table; Notion filter and sorts JSON accepted',
  access: 'read',
  scopes: ['read_content'],
  resource: (input, ctx) => dataSourceResource(ctx, input.data_source_id),
  input: z.object({
    data_source_id: notionId('data source'),
    filter: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('e.g. {"property":"Status","status":{"equals":"Done"}}'),
    sorts: z
      .array(z.record(z.string(), z.unknown()))
      .optional()
      .describe('e.g. [{"property":"Due","direction":"ascending"}]'),
    columns: z.array(z.string()).optional().describe('property names to show'),
    limit: limit(100, 25),
    cursor,
  }),
  run: async ({ client, input }) =>
    (await client.api.dataSources.query({
      data_source_id: input.data_source_id,
      page_size: input.limit,
      ...(input.filter ? { filter: input.filter as never } : {}),
      ...(input.sorts ? { sorts: input.sorts as never } : {}),
      ...(input.cursor ? { start_cursor: input.cursor } : {}),
    })) as Json,
  render: (r, input) => {
    const rows = (r.results as Json[]).filter((p) => p.object === 'page');
    if (!rows.length) return `no rows${more(r.next_cursor)}`;
    const names = Object.keys(rows[0]?.properties ?? {});
    const titleName = names.find((n) => rows[0]?.properties[n]?.type === 'title');
    let columns: string[];
    if (input.columns?.length) {
      columns = input.columns.filter((c) => names.includes(c));
      const unknown = input.columns.filter((c) => !names.includes(c));
      if (unknown.length) {
        throw new SwitchboardError('invalid', `no column named ${unknown.map((u) => `"${u}"`).join(', ')}`, {
          hint: `Properties: ${names.join(', ')}.`,
        });
      }
    } else {
      const filled = names.filter((n) => n !== titleName && rows.some((p) => propertyText(p.properties[n]) !== ''));
      columns = filled.slice(0, DEFAULT_COLUMNS - 1);
    }
    const header = ['id', titleName ?? 'title', ...columns.filter((c) => c !== titleName)];
    const body = rows.map((p) => [
      short(p.id),
      pageTitle(p),
      ...header.slice(2).map((c) => propertyText(p.properties[c], 80)),
    ]);
    const hidden = input.columns?.length ? 0 : names.length - 1 - columns.length;
    const note = hidden > 0 ? `\n(${hidden} more columns: pass columns to choose)` : '';
    return `${untrusted(table(header, body), { source: 'data source rows' })}${note}${more(r.next_cursor)}`;
  },
});

const schemaInput = z
  .record(z.string(), z.unknown())
  .describe(
    'name → "title"|"rich_text"|"number"|"select:A,B"|"multi_select:A,B"|"date"|"checkbox"|"people"|"url"|"relation:<id>"|…',
  );

export const createDataSource = tool({
  name: 'create_data_source',
  title: 'Create data source',
  description: 'Create a database under a page (or add a data source to a database) with a schema',
  access: 'write',
  scopes: ['insert_content'],
  resource: (input, ctx) =>
    input.parent_page_id
      ? pageResource(ctx, input.parent_page_id)
      : input.database_id
        ? dataSourceResource(ctx, input.database_id, 'database')
        : undefined,
  input: z.object({
    parent_page_id: notionId('page').optional(),
    database_id: notionId('database').optional(),
    title: z.string(),
    properties: schemaInput,
  }),
  run: async ({ client, input }) => {
    if (Boolean(input.parent_page_id) === Boolean(input.database_id)) {
      throw new SwitchboardError('invalid', 'give exactly one of parent_page_id and database_id');
    }
    const properties: Json = {};
    for (const [name, spec] of Object.entries(input.properties)) properties[name] = schemaSpec(name, spec);
    if (!Object.values(properties).some((p) => p && 'title' in p)) {
      throw new SwitchboardError('invalid', 'the schema needs one title property', {
        hint: 'Add e.g. "Name": "title".',
      });
    }
    const title = plainRichText(input.title);
    if (input.database_id) {
      return (await client.api.dataSources.create({
        parent: { type: 'database_id', database_id: input.database_id },
        title,
        properties,
      } as never)) as Json;
    }
    const db = (await client.api.databases.create({
      parent: { type: 'page_id', page_id: input.parent_page_id as string },
      title,
      initial_data_source: { properties },
    } as never)) as Json;
    const dsId = db.data_sources?.[0]?.id as string | undefined;
    if (!dsId) return { object: 'database', ...db };
    return (await client.api.dataSources.retrieve({ data_source_id: dsId })) as Json;
  },
  render: (ds) => (ds.object === 'database' ? `created database ${short(ds.id)}` : `created ${dataSourceText(ds)}`),
});

export const updateDataSource = tool({
  name: 'update_data_source',
  title: 'Update data source',
  description: 'Change a data source’s title or schema: add/change properties, rename ({"name":…}), remove (null)',
  access: 'destructive',
  scopes: ['update_content'],
  resource: (input, ctx) => dataSourceResource(ctx, input.data_source_id),
  input: z.object({
    data_source_id: notionId('data source'),
    title: z.string().optional(),
    properties: schemaInput.optional(),
  }),
  run: async ({ client, input }) => {
    const body: Json = { data_source_id: input.data_source_id };
    if (input.title !== undefined) body.title = plainRichText(input.title);
    if (input.properties) {
      body.properties = {};
      for (const [name, spec] of Object.entries(input.properties)) body.properties[name] = schemaSpec(name, spec);
    }
    if (Object.keys(body).length === 1) throw new SwitchboardError('invalid', 'nothing to update');
    return (await client.api.dataSources.update(body as never)) as Json;
  },
  render: (ds) => `updated ${dataSourceText(ds)}`,
});

export const databases: Toolset = {
  description: 'Databases and data sources: schemas, queries, schema changes',
  tools: [getDatabase, getDataSource, queryDataSource, createDataSource, updateDataSource],
};
