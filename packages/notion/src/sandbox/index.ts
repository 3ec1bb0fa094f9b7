/**
 * The Notion sandbox: a stateful fake of the Notion API (version 2025-09-03) on 127.0.0.1 for
 * `switchboard-notion --sandbox`, the tests and the benchmarks. Bearer token auth, a required Notion-Version
 * header, Notion-shaped errors, start_cursor/has_more paging, Notion's block limits, and an optional
 * per-token request rate that answers 429 with Retry-After like Notion's ~3 requests/s.
 */
import {
  type FakeRequest,
  type FakeResponse,
  type FakeUpstream,
  startFakeUpstream,
} from '@switchboard-mcp/testkit/upstream';
import { matches, sortPages } from './query.ts';
import { seed } from './seed.ts';
import {
  blockContent,
  blockJson,
  databaseJson,
  dataSourceJson,
  invalid,
  NotionApiError,
  notFound,
  pageJson,
  plain,
  richText,
  userJson,
} from './shape.ts';
import { type Json, NotionState, type Parent } from './state.ts';
import {
  checkBlockLimits,
  createDatabase,
  createDataSource,
  createPage,
  insertBlocks,
  pageProperties,
  updateSchema,
} from './store.ts';

export { SEED } from './seed.ts';
export type { NotionState } from './state.ts';

export const SANDBOX_TOKEN = 'ntn_sandbox0000000000000000000000000000000000000';

export interface NotionSandboxOptions {
  port?: number;
  /** Accepted tokens (default: SANDBOX_TOKEN). */
  tokens?: string[];
  /** Requests per second per token before 429 (default: unlimited). */
  rateLimitPerSecond?: number;
  /** Retry-After seconds on 429 (default 1). */
  retryAfterSeconds?: number;
}

export interface NotionSandbox {
  url: string;
  token: string;
  upstream: FakeUpstream;
  state: NotionState;
  close(): Promise<void>;
}

const V = '/v1';

function ok(body: unknown, status = 200): FakeResponse {
  return { status, body, headers: { 'content-type': 'application/json; charset=utf-8' } };
}

/** Cursor paging over ids: `start_cursor` is the id of the first item of the page, as in Notion. */
function pageOf<T>(items: T[], idOf: (t: T) => string, startCursor: unknown, pageSize: unknown) {
  const size = pageSize === undefined ? 100 : Number(pageSize);
  if (!Number.isInteger(size) || size < 1 || size > 100) {
    throw invalid(`page_size should be a number between 1 and 100, instead was \`${String(pageSize)}\`.`);
  }
  let start = 0;
  if (startCursor !== undefined && startCursor !== null && startCursor !== '') {
    start = items.findIndex((t) => idOf(t) === startCursor);
    if (start < 0) throw invalid(`start_cursor provided is invalid: ${String(startCursor)}`);
  }
  const slice = items.slice(start, start + size);
  const next = items[start + size];
  return { results: slice, next_cursor: next ? idOf(next) : null, has_more: Boolean(next) };
}

function list(kind: string, page: { results: Json[]; next_cursor: string | null; has_more: boolean }): Json {
  return {
    object: 'list',
    results: page.results,
    next_cursor: page.next_cursor,
    has_more: page.has_more,
    type: kind,
    [kind]: {},
  };
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Notion accepts ids with or without dashes. */
function idParam(value: string | undefined, name: string): string {
  const v = value ?? '';
  if (!UUID.test(v))
    throw invalid(`path failed validation: path.${name} should be a valid uuid, instead was \`"${v}"\`.`);
  const h = v.replace(/-/g, '').toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function bodyOf(req: FakeRequest): Json {
  if (req.rawBody === '') return {};
  if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) {
    throw new NotionApiError(400, 'invalid_json', 'Error parsing JSON body.');
  }
  return req.body as Json;
}

export async function startNotionSandbox(opts: NotionSandboxOptions = {}): Promise<NotionSandbox> {
  const state = new NotionState();
  seed(state);
  const tokens = new Set(opts.tokens ?? [SANDBOX_TOKEN]);
  const hits = new Map<string, number[]>();

  const upstream = await startFakeUpstream({
    port: opts.port,
    notFound: (req) => {
      const e = new NotionApiError(400, 'invalid_request_url', `Invalid request URL: ${req.method} ${req.path}`);
      return { status: e.status, body: e.body() };
    },
    onError: (err) => {
      if (err instanceof NotionApiError) return { status: err.status, body: err.body(), headers: err.headers };
      return {
        status: 500,
        body: { object: 'error', status: 500, code: 'internal_server_error', message: String(err) },
      };
    },
  });

  upstream.use(async (req, next) => {
    if (!req.path.startsWith(`${V}/`)) return next();
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (!tokens.has(token)) throw new NotionApiError(401, 'unauthorized', 'API token is invalid.');
    if (!req.headers['notion-version']) {
      throw new NotionApiError(
        400,
        'missing_version',
        'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.',
      );
    }
    if (opts.rateLimitPerSecond) {
      const now = Date.now();
      const recent = (hits.get(token) ?? []).filter((t) => now - t < 1000);
      if (recent.length >= opts.rateLimitPerSecond) {
        throw new NotionApiError(
          429,
          'rate_limited',
          'You have been rate limited. Please try again in a few minutes.',
          {
            'retry-after': String(opts.retryAfterSeconds ?? 1),
          },
        );
      }
      recent.push(now);
      hits.set(token, recent);
    }
    return next();
  });

  routes(upstream, state);

  return {
    url: upstream.url,
    token: [...tokens][0] as string,
    upstream,
    state,
    close: () => upstream.close(),
  };
}

function routes(up: FakeUpstream, state: NotionState): void {
  const page = (id: string) => {
    const p = state.visiblePage(id);
    if (!p) throw notFound('page', id);
    return p;
  };
  const block = (id: string) => {
    const b = state.visibleBlock(id);
    if (b) return b;
    // A page is a block too.
    const p = state.visiblePage(id);
    if (p) {
      return {
        id: p.id,
        type: 'child_page',
        content: { title: state.pageTitle(p) },
        parent: p.parent,
        archived: p.archived,
        created_time: p.created_time,
        last_edited_time: p.last_edited_time,
      };
    }
    throw notFound('block', id);
  };
  const dataSource = (id: string) => {
    const ds = state.dataSources.get(id);
    if (!ds) throw notFound('data_source', id);
    return ds;
  };

  // Users
  up.route('GET', `${V}/users/me`, () => ok(userJson(state.users.get(state.botId)!, state)));
  up.route('GET', `${V}/users`, (req) => {
    const users = [...state.users.values()].map((u) => userJson(u, state));
    return ok(
      list(
        'user',
        pageOf(users, (u) => u.id, req.query.get('start_cursor') ?? undefined, req.query.get('page_size') ?? undefined),
      ),
    );
  });
  up.route('GET', `${V}/users/:id`, (req) => {
    const id = idParam(req.params.id, 'user_id');
    const user = state.users.get(id);
    if (!user) throw notFound('user', id);
    return ok(userJson(user, state));
  });

  // Search
  up.route('POST', `${V}/search`, (req) => {
    const body = bodyOf(req);
    const q = String(body.query ?? '').toLowerCase();
    const kind = body.filter?.value;
    if (kind !== undefined && kind !== 'page' && kind !== 'data_source') {
      throw invalid(
        'body.filter.value should be `"page"` or `"data_source"`, instead was `' + JSON.stringify(kind) + '`.',
      );
    }
    const items: Json[] = [];
    if (kind !== 'data_source') {
      for (const p of state.pages.values()) {
        if (p.hidden || p.archived) continue;
        if (state.pageTitle(p).toLowerCase().includes(q)) items.push(pageJson(p, state));
      }
    }
    if (kind !== 'page') {
      for (const ds of state.dataSources.values()) {
        if (!ds.archived && ds.title.toLowerCase().includes(q)) items.push(dataSourceJson(ds, state));
      }
    }
    const dir = body.sort?.direction === 'ascending' ? 1 : -1;
    items.sort(
      (a, b) => dir * String(a.last_edited_time).localeCompare(String(b.last_edited_time)) || a.id.localeCompare(b.id),
    );
    return ok(
      list(
        'page_or_data_source',
        pageOf(items, (i) => i.id, body.start_cursor, body.page_size),
      ),
    );
  });

  // Pages
  up.route('GET', `${V}/pages/:id`, (req) => ok(pageJson(page(idParam(req.params.id, 'page_id')), state)));
  up.route('POST', `${V}/pages`, (req) => {
    const body = bodyOf(req);
    const parent = body.parent as Json | undefined;
    let stored: Parent;
    if (parent?.page_id) {
      const id = idParam(String(parent.page_id), 'parent.page_id');
      page(id);
      stored = { type: 'page_id', page_id: id };
    } else if (parent?.data_source_id) {
      const id = idParam(String(parent.data_source_id), 'parent.data_source_id');
      const ds = dataSource(id);
      stored = { type: 'data_source_id', data_source_id: id, database_id: ds.database_id };
    } else if (parent?.database_id) {
      const id = idParam(String(parent.database_id), 'parent.database_id');
      const db = state.databases.get(id);
      if (!db) throw notFound('database', id);
      if (db.data_sources.length !== 1) {
        throw invalid('Databases with multiple data sources need parent.data_source_id.');
      }
      stored = { type: 'data_source_id', data_source_id: db.data_sources[0], database_id: id };
    } else {
      throw invalid('body.parent should define page_id, data_source_id or database_id.');
    }
    const created = createPage(state, stored, body.properties, {
      icon: body.icon,
      children: Array.isArray(body.children) ? body.children : undefined,
    });
    return ok(pageJson(created, state));
  });
  up.route('PATCH', `${V}/pages/:id`, (req) => {
    const id = idParam(req.params.id, 'page_id');
    const p = state.pages.get(id);
    if (!p || p.hidden) throw notFound('page', id);
    const body = bodyOf(req);
    const archive = body.in_trash ?? body.archived;
    if (p.archived && archive !== false) {
      throw invalid("Can't edit block that is archived. You must unarchive the block before editing.");
    }
    const schemas =
      p.parent.type === 'data_source_id'
        ? state.dataSources.get(String(p.parent.data_source_id))?.properties
        : undefined;
    if (body.properties) {
      // Outside a data source only the title exists; its key is `title` whatever the client calls it.
      p.properties = schemas
        ? pageProperties(state, schemas, body.properties, p.properties)
        : pageProperties(state, undefined, body.properties);
      const blockRec = state.blocks.get(id);
      if (blockRec?.type === 'child_page') blockRec.content = { title: state.pageTitle(p) };
    }
    if (body.icon !== undefined) p.icon = body.icon;
    if (typeof archive === 'boolean') {
      p.archived = archive;
      const blockRec = state.blocks.get(id);
      if (blockRec) blockRec.archived = archive;
    }
    p.last_edited_time = state.now();
    return ok(pageJson(p, state));
  });

  // Blocks
  up.route('GET', `${V}/blocks/:id/children`, (req) => {
    const id = idParam(req.params.id, 'block_id');
    block(id);
    const kids = state.liveChildren(id).map((b) => blockJson(b, state));
    return ok(
      list(
        'block',
        pageOf(kids, (b) => b.id, req.query.get('start_cursor') ?? undefined, req.query.get('page_size') ?? undefined),
      ),
    );
  });
  up.route('PATCH', `${V}/blocks/:id/children`, (req) => {
    const id = idParam(req.params.id, 'block_id');
    const target = block(id);
    if (target.archived)
      throw invalid("Can't edit block that is archived. You must unarchive the block before editing.");
    const body = bodyOf(req);
    if (!Array.isArray(body.children)) throw invalid('body.children should be an array.');
    checkBlockLimits(body.children);
    const after = body.after ? idParam(String(body.after), 'after') : undefined;
    const created = insertBlocks(state, id, body.children, {
      after,
      parentKind: state.pages.has(id) ? 'page' : 'block',
    });
    return ok(list('block', { results: created.map((b) => blockJson(b, state)), next_cursor: null, has_more: false }));
  });
  up.route('GET', `${V}/blocks/:id`, (req) => ok(blockJson(block(idParam(req.params.id, 'block_id')), state)));
  up.route('PATCH', `${V}/blocks/:id`, (req) => {
    const id = idParam(req.params.id, 'block_id');
    const b = state.visibleBlock(id);
    if (!b) throw notFound('block', id);
    const body = bodyOf(req);
    const archive = body.in_trash ?? body.archived;
    if (b.archived && archive !== false)
      throw invalid("Can't edit block that is archived. You must unarchive the block before editing.");
    if (body[b.type] !== undefined) {
      const { type, content } = blockContent(
        state,
        { type: b.type, [b.type]: { ...b.content, ...body[b.type] } },
        'body',
      );
      b.type = type;
      b.content = content;
    } else {
      const other = Object.keys(body).find((k) => k !== 'archived' && k !== 'in_trash');
      if (other)
        throw invalid(`body.${other} does not match the block's type (${b.type}); the type of a block cannot change.`);
    }
    if (typeof archive === 'boolean') b.archived = archive;
    b.last_edited_time = state.now();
    return ok(blockJson(b, state));
  });
  up.route('DELETE', `${V}/blocks/:id`, (req) => {
    const id = idParam(req.params.id, 'block_id');
    const b = state.visibleBlock(id);
    if (!b) throw notFound('block', id);
    b.archived = true;
    const p = state.pages.get(id);
    if (p) p.archived = true;
    return ok(blockJson(b, state));
  });

  // Databases and data sources
  up.route('GET', `${V}/databases/:id`, (req) => {
    const id = idParam(req.params.id, 'database_id');
    const db = state.databases.get(id);
    if (!db) throw notFound('database', id);
    return ok(databaseJson(db, state));
  });
  up.route('POST', `${V}/databases`, (req) => {
    const body = bodyOf(req);
    const parentId = body.parent?.page_id;
    if (!parentId) throw invalid('body.parent.page_id should be defined.');
    const pid = idParam(String(parentId), 'parent.page_id');
    page(pid);
    const title = plain(richText(state, body.title ?? [], 'body.title'));
    const props = body.initial_data_source?.properties;
    if (!props) throw invalid('body.initial_data_source.properties should be defined.');
    const { database } = createDatabase(state, pid, title, props, { inline: Boolean(body.is_inline) });
    return ok(databaseJson(database, state));
  });
  up.route('GET', `${V}/data_sources/:id`, (req) =>
    ok(dataSourceJson(dataSource(idParam(req.params.id, 'data_source_id')), state)),
  );
  up.route('POST', `${V}/data_sources`, (req) => {
    const body = bodyOf(req);
    const dbId = body.parent?.database_id;
    if (!dbId) throw invalid('body.parent.database_id should be defined.');
    const id = idParam(String(dbId), 'parent.database_id');
    if (!state.databases.has(id)) throw notFound('database', id);
    const title = plain(richText(state, body.title ?? [], 'body.title'));
    return ok(dataSourceJson(createDataSource(state, id, title, body.properties), state));
  });
  up.route('PATCH', `${V}/data_sources/:id`, (req) => {
    const ds = dataSource(idParam(req.params.id, 'data_source_id'));
    const body = bodyOf(req);
    if (body.title) ds.title = plain(richText(state, body.title, 'body.title'));
    if (body.properties) updateSchema(ds, body.properties);
    if (typeof body.in_trash === 'boolean') ds.archived = body.in_trash;
    ds.last_edited_time = state.now();
    return ok(dataSourceJson(ds, state));
  });
  up.route('POST', `${V}/data_sources/:id/query`, (req) => {
    const ds = dataSource(idParam(req.params.id, 'data_source_id'));
    const body = bodyOf(req);
    if (body.sorts !== undefined && !Array.isArray(body.sorts)) throw invalid('body.sorts should be an array.');
    const rows = [...state.pages.values()].filter(
      (p) => !p.archived && !p.hidden && p.parent.type === 'data_source_id' && p.parent.data_source_id === ds.id,
    );
    const filtered = rows.filter((p) => matches(p, body.filter, ds.properties));
    const sorted = sortPages(filtered, body.sorts, ds.properties);
    const json = sorted.map((p) => pageJson(p, state));
    return ok(
      list(
        'page_or_data_source',
        pageOf(json, (p) => p.id, body.start_cursor, body.page_size),
      ),
    );
  });

  // Comments
  up.route('GET', `${V}/comments`, (req) => {
    const id = idParam(req.query.get('block_id') ?? '', 'block_id');
    block(id);
    const items = state.comments
      .filter((c) => c.parent.page_id === id || c.parent.block_id === id)
      .map((c) => ({
        object: 'comment',
        id: c.id,
        parent: c.parent,
        discussion_id: c.discussion_id,
        created_time: c.created_time,
        last_edited_time: c.created_time,
        created_by: { object: 'user', id: c.created_by },
        rich_text: c.rich_text,
      }));
    return ok(
      list(
        'comment',
        pageOf(items, (c) => c.id, req.query.get('start_cursor') ?? undefined, req.query.get('page_size') ?? undefined),
      ),
    );
  });
  up.route('POST', `${V}/comments`, (req) => {
    const body = bodyOf(req);
    let parent: Parent;
    let discussion: string;
    if (body.discussion_id) {
      const existing = state.comments.find((c) => c.discussion_id === body.discussion_id);
      if (!existing) throw notFound('discussion', String(body.discussion_id));
      parent = existing.parent;
      discussion = existing.discussion_id;
    } else if (body.parent?.page_id) {
      const id = idParam(String(body.parent.page_id), 'parent.page_id');
      page(id);
      parent = { type: 'page_id', page_id: id };
      discussion = NotionState.newId();
    } else if (body.parent?.block_id) {
      const id = idParam(String(body.parent.block_id), 'parent.block_id');
      block(id);
      parent = { type: 'block_id', block_id: id };
      discussion = NotionState.newId();
    } else {
      throw invalid('body.parent or body.discussion_id should be defined.');
    }
    const comment = {
      id: NotionState.newId(),
      parent,
      discussion_id: discussion,
      rich_text: richText(state, body.rich_text, 'body.rich_text'),
      created_by: state.botId,
      created_time: state.now(),
    };
    state.comments.push(comment);
    return ok({
      object: 'comment',
      ...comment,
      last_edited_time: comment.created_time,
      created_by: { object: 'user', id: comment.created_by },
    });
  });
}
