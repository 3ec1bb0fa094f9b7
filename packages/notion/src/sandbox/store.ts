/** Writes to the sandbox state shared by the routes and the seed: pages, block trees, data sources. */
import { blockContent, emptyValue, invalid, propertyValue, richText, schemaFrom } from './shape.ts';
import {
  type BlockRecord,
  type DatabaseRecord,
  type DataSourceRecord,
  type Json,
  NotionState,
  type PageRecord,
  type Parent,
  type PropertySchema,
  parentOf,
} from './state.ts';

/** Notion's per-request limits on appended blocks. */
export const MAX_CHILDREN = 100;
export const MAX_NESTING = 2;

function countBlocks(blocks: Json[]): number {
  return blocks.reduce((n, b) => n + 1 + countBlocks(childrenOf(b)), 0);
}

function childrenOf(block: Json): Json[] {
  const type = block?.type ?? Object.keys(block ?? {})[0];
  const children = block?.[type]?.children;
  return Array.isArray(children) ? children : [];
}

/** Rejects a request body the way Notion does: >100 children per array, >2 levels of nesting, >1000 blocks. */
export function checkBlockLimits(blocks: Json[], path = 'body.children', depth = 0): void {
  if (blocks.length > MAX_CHILDREN) {
    throw invalid(`${path}.length should be ≤ \`${MAX_CHILDREN}\`, instead was \`${blocks.length}\`.`);
  }
  if (depth === 0 && countBlocks(blocks) > 1000) throw invalid('Too many blocks in one request (limit 1000).');
  blocks.forEach((b, i) => {
    const kids = childrenOf(b);
    if (!kids.length) return;
    if (depth + 1 > MAX_NESTING) {
      throw invalid(`${path}[${i}] has children nested more than ${MAX_NESTING} levels deep in one request.`);
    }
    const type = b.type ?? Object.keys(b)[0];
    checkBlockLimits(kids, `${path}[${i}].${type}.children`, depth + 1);
  });
}

/** Inserts blocks (with nested children) under a page or block, after `after` or at the end. */
export function insertBlocks(
  state: NotionState,
  parentId: string,
  blocks: Json[],
  opts: { after?: string; parentKind?: 'page' | 'block' } = {},
): BlockRecord[] {
  const list = state.childIds(parentId);
  let at = list.length;
  if (opts.after) {
    const i = list.indexOf(opts.after);
    if (i < 0) throw invalid(`Block ${opts.after} is not a child of ${parentId}.`);
    at = i + 1;
  }
  const parent = parentOf(opts.parentKind ?? (state.pages.has(parentId) ? 'page' : 'block'), parentId);
  // Validate every block before writing any, so a bad request changes nothing.
  const prepared = blocks.map((b, i) => ({ ...blockContent(state, b, `body.children[${i}]`), kids: childrenOf(b) }));
  const created: BlockRecord[] = [];
  for (const p of prepared) {
    if (p.type === 'table' && !p.kids.length) throw invalid('Table must have at least one row (table_row children).');
    const now = state.now();
    const record: BlockRecord = {
      id: NotionState.newId(),
      type: p.type,
      content: p.content,
      parent,
      archived: false,
      created_time: now,
      last_edited_time: now,
    };
    state.blocks.set(record.id, record);
    list.splice(at++, 0, record.id);
    if (p.kids.length) insertBlocks(state, record.id, p.kids, { parentKind: 'block' });
    created.push(record);
  }
  return created;
}

/** Properties of a new or updated page: against the data source's schema, or just a title elsewhere. */
export function pageProperties(
  state: NotionState,
  schemas: Record<string, PropertySchema> | undefined,
  input: Json | undefined,
  existing?: Record<string, Json>,
): Record<string, Json> {
  const out: Record<string, Json> = { ...(existing ?? {}) };
  if (!schemas) {
    for (const [name, value] of Object.entries(input ?? {})) {
      const title = (value as Json)?.title;
      if (name !== 'title' && !title) {
        throw invalid(`${name} is not a property that exists. Pages outside a data source only have a title.`);
      }
      out.title = { id: 'title', type: 'title', title: richText(state, title, `body.properties.${name}.title`) };
    }
    out.title ??= { id: 'title', type: 'title', title: [] };
    return out;
  }
  for (const [name, value] of Object.entries(input ?? {})) {
    const schema = Object.values(schemas).find((s) => s.name === name || s.id === name);
    if (!schema) throw invalid(`${name} is not a property that exists.`);
    out[schema.name] = propertyValue(state, schema, value as Json);
  }
  if (!existing) {
    for (const schema of Object.values(schemas)) out[schema.name] ??= emptyValue(schema);
  }
  return out;
}

export function createPage(
  state: NotionState,
  parent: Parent,
  properties: Json | undefined,
  opts: { icon?: Json | null; children?: Json[]; createdBy?: string } = {},
): PageRecord {
  const schemas =
    parent.type === 'data_source_id'
      ? state.dataSources.get(String(parent.data_source_id))?.properties
      : parent.type === 'database_id'
        ? state.dataSources.get(state.databases.get(String(parent.database_id))?.data_sources[0] ?? '')?.properties
        : undefined;
  const props = pageProperties(state, schemas, properties);
  if (opts.children) checkBlockLimits(opts.children);
  const now = state.now();
  const by = opts.createdBy ?? state.botId;
  const page: PageRecord = {
    id: NotionState.newId(),
    parent,
    properties: props,
    icon: opts.icon ?? null,
    archived: false,
    created_time: now,
    last_edited_time: now,
    created_by: by,
    last_edited_by: by,
  };
  state.pages.set(page.id, page);
  if (parent.type === 'page_id' || parent.type === 'block_id') {
    // A subpage is also a child_page block of its parent page (or of the block it sits in, e.g. a toggle).
    const block: BlockRecord = {
      id: page.id,
      type: 'child_page',
      content: { title: state.pageTitle(page) },
      parent,
      archived: false,
      created_time: now,
      last_edited_time: now,
    };
    state.blocks.set(block.id, block);
    state.childIds(String(parent.page_id ?? parent.block_id)).push(block.id);
  }
  if (opts.children?.length) insertBlocks(state, page.id, opts.children, { parentKind: 'page' });
  return page;
}

export function createDatabase(
  state: NotionState,
  parentPageId: string,
  title: string,
  properties: Json,
  opts: { inline?: boolean; id?: string; dataSourceId?: string } = {},
): { database: DatabaseRecord; dataSource: DataSourceRecord } {
  const now = state.now();
  const database: DatabaseRecord = {
    id: opts.id ?? NotionState.newId(),
    parent: parentOf('page', parentPageId),
    title,
    is_inline: opts.inline ?? false,
    data_sources: [],
    created_time: now,
    last_edited_time: now,
    archived: false,
  };
  state.databases.set(database.id, database);
  const dataSource = createDataSource(state, database.id, title, properties, opts.dataSourceId);
  state.blocks.set(database.id, {
    id: database.id,
    type: 'child_database',
    content: { title },
    parent: parentOf('page', parentPageId),
    archived: false,
    created_time: now,
    last_edited_time: now,
  });
  state.childIds(parentPageId).push(database.id);
  return { database, dataSource };
}

export function createDataSource(
  state: NotionState,
  databaseId: string,
  title: string,
  properties: Json,
  id?: string,
): DataSourceRecord {
  const schemas: Record<string, PropertySchema> = {};
  let n = 0;
  for (const [name, spec] of Object.entries(properties ?? {})) {
    const schema = schemaFrom(name, spec as Json, `p${++n}`);
    if (schema.type === 'title') schema.id = 'title';
    schemas[schema.id] = schema;
  }
  if (Object.values(schemas).filter((s) => s.type === 'title').length !== 1) {
    throw invalid('A data source needs exactly one title property.');
  }
  const now = state.now();
  const ds: DataSourceRecord = {
    id: id ?? NotionState.newId(),
    database_id: databaseId,
    title,
    properties: schemas,
    created_time: now,
    last_edited_time: now,
    archived: false,
  };
  state.dataSources.set(ds.id, ds);
  state.databases.get(databaseId)?.data_sources.push(ds.id);
  return ds;
}

/** Schema changes: add or change properties by name, rename (`name`), remove (`null`). */
export function updateSchema(ds: DataSourceRecord, properties: Json): void {
  for (const [key, spec] of Object.entries(properties ?? {})) {
    const current = Object.values(ds.properties).find((s) => s.name === key || s.id === key);
    if (spec === null) {
      if (!current) throw invalid(`${key} is not a property that exists.`);
      if (current.type === 'title') throw invalid('The title property cannot be removed.');
      delete ds.properties[current.id];
      continue;
    }
    const s = spec as Json;
    const hasType = Object.keys(s).some((k) => k !== 'name' && k !== 'description');
    if (current) {
      if (hasType) {
        const next = schemaFrom(current.name, s, current.id);
        if (current.type === 'title' && next.type !== 'title') throw invalid('The title property must stay a title.');
        ds.properties[current.id] = next;
      }
      if (typeof s.name === 'string') ds.properties[current.id] = { ...ds.properties[current.id]!, name: s.name };
      continue;
    }
    if (!hasType) throw invalid(`${key} is not a property that exists.`);
    const next = schemaFrom(typeof s.name === 'string' ? s.name : key, s, `p${Object.keys(ds.properties).length + 1}x`);
    if (next.type === 'title') throw invalid('A data source has exactly one title property.');
    ds.properties[next.id] = next;
  }
}
