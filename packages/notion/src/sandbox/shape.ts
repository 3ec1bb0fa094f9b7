/**
 * Notion-shaped JSON for the sandbox's records, and validation of what clients send (rich text, property
 * values, block bodies) with Notion's own limits and error wording.
 */
import type {
  BlockRecord,
  DatabaseRecord,
  DataSourceRecord,
  Json,
  NotionState,
  PageRecord,
  PropertySchema,
  UserRecord,
} from './state.ts';

/** An error answered the Notion way: `{ object: 'error', status, code, message }`. */
export class NotionApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }

  body(): Json {
    return { object: 'error', status: this.status, code: this.code, message: this.message, request_id: 'sandbox' };
  }
}

export const invalid = (message: string) => new NotionApiError(400, 'validation_error', message);

export function notFound(kind: string, id: string): NotionApiError {
  return new NotionApiError(
    404,
    'object_not_found',
    `Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`,
  );
}

const ANNOTATION_KEYS = ['bold', 'italic', 'strikethrough', 'underline', 'code'] as const;
const MAX_TEXT = 2000;

/** Rich text as sent by a client → as Notion returns it (plain_text, href, every annotation). */
export function richText(state: NotionState, items: unknown, path: string): Json[] {
  if (items === undefined) return [];
  if (!Array.isArray(items)) throw invalid(`${path} should be an array, instead was \`${JSON.stringify(items)}\`.`);
  if (items.length > 100) throw invalid(`${path}.length should be ≤ \`100\`, instead was \`${items.length}\`.`);
  return items.map((item: Json, i) => {
    const at = `${path}[${i}]`;
    const annotations: Json = { color: item?.annotations?.color ?? 'default' };
    for (const key of ANNOTATION_KEYS) annotations[key] = Boolean(item?.annotations?.[key]);
    if (item?.type === 'equation' || item?.equation) {
      const expression = String(item.equation?.expression ?? '');
      return { type: 'equation', equation: { expression }, annotations, plain_text: expression, href: null };
    }
    if (item?.type === 'mention' || item?.mention) {
      const m = item.mention ?? {};
      let plain = '';
      if (m.user) plain = `@${state.users.get(m.user.id)?.name ?? 'Unknown'}`;
      else if (m.page) plain = state.pages.get(m.page.id) ? state.pageTitle(state.pages.get(m.page.id)!) : 'Untitled';
      else if (m.date) plain = m.date.start ?? '';
      return { type: 'mention', mention: m, annotations, plain_text: plain, href: null };
    }
    const text = item?.text;
    if (!text || typeof text.content !== 'string') throw invalid(`${at}.text.content should be defined.`);
    if (text.content.length > MAX_TEXT) {
      throw invalid(`${at}.text.content.length should be ≤ \`${MAX_TEXT}\`, instead was \`${text.content.length}\`.`);
    }
    const url = text.link?.url ?? null;
    if (url !== null && !/^(https?:|mailto:)/i.test(String(url))) throw invalid(`Invalid URL for link.`);
    return {
      type: 'text',
      text: { content: text.content, link: url ? { url } : null },
      annotations,
      plain_text: text.content,
      href: url,
    };
  });
}

export function plain(items: Json[] | undefined): string {
  return (items ?? []).map((t) => t.plain_text ?? '').join('');
}

export function userJson(user: UserRecord, state: NotionState): Json {
  const base = { object: 'user', id: user.id, name: user.name, avatar_url: null, type: user.type };
  if (user.type === 'person') return { ...base, person: { email: user.email } };
  return {
    ...base,
    bot: { owner: { type: 'workspace', workspace: true }, workspace_name: state.workspaceName },
  };
}

const partialUser = (id: string) => ({ object: 'user', id });

export function pageJson(page: PageRecord, state: NotionState): Json {
  const properties: Json = {};
  for (const [name, value] of Object.entries(page.properties)) properties[name] = value;
  return {
    object: 'page',
    id: page.id,
    created_time: page.created_time,
    last_edited_time: page.last_edited_time,
    created_by: partialUser(page.created_by),
    last_edited_by: partialUser(page.last_edited_by),
    cover: null,
    icon: page.icon,
    parent: page.parent,
    archived: page.archived,
    in_trash: page.archived,
    is_locked: false,
    properties,
    url: `https://www.notion.so/${slug(state.pageTitle(page))}${page.id.replace(/-/g, '')}`,
    public_url: null,
  };
}

function slug(title: string): string {
  const s = title
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return s ? `${s}-` : '';
}

export function blockJson(block: BlockRecord, state: NotionState): Json {
  return {
    object: 'block',
    id: block.id,
    parent: block.parent,
    created_time: block.created_time,
    last_edited_time: block.last_edited_time,
    created_by: partialUser(state.botId),
    last_edited_by: partialUser(state.botId),
    has_children: state.hasChildren(block.id),
    archived: block.archived,
    in_trash: block.archived,
    type: block.type,
    [block.type]: block.content,
  };
}

function titleArray(title: string): Json[] {
  return [
    {
      type: 'text',
      text: { content: title, link: null },
      annotations: {
        bold: false,
        italic: false,
        strikethrough: false,
        underline: false,
        code: false,
        color: 'default',
      },
      plain_text: title,
      href: null,
    },
  ];
}

export function databaseJson(db: DatabaseRecord, state: NotionState): Json {
  return {
    object: 'database',
    id: db.id,
    title: titleArray(db.title),
    description: [],
    parent: db.parent,
    is_inline: db.is_inline,
    in_trash: db.archived,
    is_locked: false,
    created_time: db.created_time,
    last_edited_time: db.last_edited_time,
    data_sources: db.data_sources.map((id) => ({ id, name: state.dataSources.get(id)?.title ?? '' })),
    icon: null,
    cover: null,
    url: `https://www.notion.so/${db.id.replace(/-/g, '')}`,
    public_url: null,
  };
}

export function schemaJson(p: PropertySchema): Json {
  return { id: p.id, name: p.name, type: p.type, description: null, [p.type]: p.config };
}

export function dataSourceJson(ds: DataSourceRecord, state: NotionState): Json {
  const db = state.databases.get(ds.database_id);
  const properties: Json = {};
  for (const p of Object.values(ds.properties)) properties[p.name] = schemaJson(p);
  return {
    object: 'data_source',
    id: ds.id,
    created_time: ds.created_time,
    last_edited_time: ds.last_edited_time,
    created_by: partialUser(state.botId),
    last_edited_by: partialUser(state.botId),
    title: titleArray(ds.title),
    description: [],
    icon: null,
    cover: null,
    properties,
    parent: { type: 'database_id', database_id: ds.database_id },
    database_parent: db?.parent ?? { type: 'workspace', workspace: true },
    archived: ds.archived,
    in_trash: ds.archived,
    is_inline: db?.is_inline ?? false,
    url: `https://www.notion.so/${ds.database_id.replace(/-/g, '')}`,
    public_url: null,
  };
}

let optionSeq = 0;
const COLORS = ['default', 'gray', 'brown', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'red'];

function option(schema: PropertySchema, name: string, create: boolean): Json {
  const options: Json[] = schema.config.options ?? [];
  const found = options.find((o) => o.name === name);
  if (found) return found;
  if (!create) throw invalid(`Invalid status option. Status option "${name}" does not exist".`);
  if (name.includes(',')) throw invalid(`Option names cannot contain commas: "${name}".`);
  const made = { id: `opt${++optionSeq}`, name, color: COLORS[options.length % COLORS.length] };
  options.push(made);
  schema.config.options = options;
  return made;
}

/** A property value as sent (`{ select: { name } }`) → as stored and returned. Throws Notion's 400s. */
export function propertyValue(state: NotionState, schema: PropertySchema, value: Json): Json {
  const name = schema.name;
  if (!value || typeof value !== 'object') throw invalid(`${name} should be an object.`);
  const t = schema.type;
  const v = value[t];
  const base = { id: schema.id, type: t };
  if (!(t in value)) {
    const sent = Object.keys(value).find((k) => k !== 'type' && k !== 'id') ?? 'nothing';
    throw invalid(`${name} is expected to be ${t}, but ${sent} was sent.`);
  }
  switch (t) {
    case 'title':
    case 'rich_text':
      return { ...base, [t]: richText(state, v, `body.properties.${name}.${t}`) };
    case 'number':
      if (v !== null && typeof v !== 'number') throw invalid(`${name} is expected to be number.`);
      return { ...base, number: v };
    case 'checkbox':
      if (typeof v !== 'boolean') throw invalid(`${name} is expected to be checkbox.`);
      return { ...base, checkbox: v };
    case 'select':
      return { ...base, select: v === null ? null : option(schema, String(v.name), true) };
    case 'status':
      return { ...base, status: v === null ? null : option(schema, String(v.name), false) };
    case 'multi_select':
      if (!Array.isArray(v)) throw invalid(`${name} is expected to be multi_select.`);
      return { ...base, multi_select: v.map((o: Json) => option(schema, String(o.name), true)) };
    case 'date':
      if (v !== null && (typeof v?.start !== 'string' || Number.isNaN(Date.parse(v.start)))) {
        throw invalid(`${name}.date.start should be a valid ISO 8601 date string.`);
      }
      return { ...base, date: v === null ? null : { start: v.start, end: v.end ?? null, time_zone: null } };
    case 'url':
    case 'email':
    case 'phone_number':
      if (v !== null && typeof v !== 'string') throw invalid(`${name} is expected to be ${t}.`);
      return { ...base, [t]: v };
    case 'people':
      if (!Array.isArray(v)) throw invalid(`${name} is expected to be people.`);
      return {
        ...base,
        people: v.map((u: Json) => {
          const user = state.users.get(String(u.id));
          if (!user) throw invalid(`${name}: user ${u.id} does not exist.`);
          return userJson(user, state);
        }),
      };
    case 'relation':
      if (!Array.isArray(v)) throw invalid(`${name} is expected to be relation.`);
      return { ...base, relation: v.map((r: Json) => ({ id: String(r.id) })), has_more: false };
    default:
      throw invalid(`${name}: properties of type ${t} cannot be set through the API.`);
  }
}

/** An empty value of a property, for pages created without it. */
export function emptyValue(schema: PropertySchema): Json {
  const base = { id: schema.id, type: schema.type };
  switch (schema.type) {
    case 'title':
    case 'rich_text':
    case 'multi_select':
    case 'people':
      return { ...base, [schema.type]: [] };
    case 'relation':
      return { ...base, relation: [], has_more: false };
    case 'checkbox':
      return { ...base, checkbox: false };
    case 'status':
      return { ...base, status: schema.config.options?.[0] ?? null };
    default:
      return { ...base, [schema.type]: null };
  }
}

/** A property schema as sent in create/update data source (`{ select: { options } }`) → stored. */
export function schemaFrom(name: string, spec: Json, id: string): PropertySchema {
  const types = [
    'title',
    'rich_text',
    'number',
    'select',
    'multi_select',
    'status',
    'date',
    'people',
    'checkbox',
    'url',
    'email',
    'phone_number',
    'relation',
    'created_time',
    'last_edited_time',
    'files',
    'formula',
  ];
  const type = spec.type ?? Object.keys(spec).find((k) => types.includes(k));
  if (!type || !types.includes(type)) throw invalid(`body.properties.${name} should define a property type.`);
  const config: Json = { ...(spec[type] ?? {}) };
  if (type === 'select' || type === 'multi_select' || type === 'status') {
    config.options = (config.options ?? []).map((o: Json, i: number) => ({
      id: `opt${++optionSeq}`,
      name: String(o.name),
      color: o.color ?? COLORS[i % COLORS.length],
    }));
  }
  if (type === 'number') config.format = config.format ?? 'number';
  return { id, name, type, config };
}

/** Block types the sandbox accepts on create, and what their body must hold. */
const TEXT_BLOCKS = new Set([
  'paragraph',
  'heading_1',
  'heading_2',
  'heading_3',
  'bulleted_list_item',
  'numbered_list_item',
  'to_do',
  'toggle',
  'quote',
  'callout',
  'code',
]);
const OTHER_BLOCKS = new Set([
  'divider',
  'equation',
  'table',
  'table_row',
  'image',
  'video',
  'file',
  'pdf',
  'bookmark',
  'embed',
  'table_of_contents',
  'breadcrumb',
]);

/** Validates a block body from a create request; returns the stored content (children removed). */
export function blockContent(state: NotionState, block: Json, path: string): { type: string; content: Json } {
  const type = block?.type ?? Object.keys(block ?? {}).find((k) => TEXT_BLOCKS.has(k) || OTHER_BLOCKS.has(k));
  if (!type || !(TEXT_BLOCKS.has(type) || OTHER_BLOCKS.has(type))) {
    throw invalid(`${path} should be a supported block type, instead was \`${JSON.stringify(block)?.slice(0, 80)}\`.`);
  }
  const body: Json = { ...(block[type] ?? {}) };
  delete body.children;
  if (TEXT_BLOCKS.has(type)) {
    body.rich_text = richText(state, body.rich_text ?? [], `${path}.${type}.rich_text`);
    if (type !== 'code') body.color = body.color ?? 'default';
    if (type === 'to_do') body.checked = Boolean(body.checked);
    if (type === 'code') body.caption = richText(state, body.caption ?? [], `${path}.code.caption`);
  }
  if (type === 'table_row') {
    body.cells = (body.cells ?? []).map((c: unknown, i: number) => richText(state, c, `${path}.table_row.cells[${i}]`));
  }
  if (type === 'image' || type === 'video' || type === 'file' || type === 'pdf') {
    if (!body.external?.url) throw invalid(`${path}.${type}.external.url should be defined.`);
    body.type = 'external';
    body.caption = richText(state, body.caption ?? [], `${path}.${type}.caption`);
  }
  if (type === 'equation' && typeof body.expression !== 'string') {
    throw invalid(`${path}.equation.expression should be defined.`);
  }
  return { type, content: body };
}
