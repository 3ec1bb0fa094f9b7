/** Confluence Data Center / Server routes: REST v1 under `<context>/rest/api`, start/limit paging. */
import { type FakeRequest, type FakeUpstream, json } from '@switchboard-mcp/testkit/upstream';
import { CqlError, excerpt, parseCql, runCql } from './cql.ts';
import { limitOf, v1Error } from './http.ts';
import type { Page, SandboxState, SandboxUser, Space } from './state.ts';

interface Ctx {
  base: string;
  contextPath: string;
  me: (req: FakeRequest) => SandboxUser;
}

function startOf(req: FakeRequest): number {
  const n = Number.parseInt(req.query.get('start') ?? '', 10);
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

function spaceJson(space: Space, expand: string) {
  return {
    id: Number(space.id),
    key: space.key,
    name: space.name,
    type: space.type,
    status: space.status,
    ...(expand.includes('description')
      ? { description: { plain: { value: space.description, representation: 'plain' } } }
      : {}),
    ...(space.homepageId ? { homepage: { id: space.homepageId, type: 'page' } } : {}),
    _links: { webui: `/display/${space.key}` },
  };
}

function userJson(state: SandboxState, id: string) {
  const u = state.user(id);
  return {
    type: 'known',
    username: u?.username ?? 'unknown',
    userKey: u?.userKey ?? id,
    displayName: u?.displayName ?? id,
  };
}

/** Data Center storage names users by user key, not by Cloud account id. */
function dcStorage(state: SandboxState, storage: string): string {
  return storage.replace(/ri:account-id="([^"]+)"/g, (m, id: string) => {
    const user = state.user(id);
    return user ? `ri:userkey="${user.userKey}"` : m;
  });
}

function contentJson(state: SandboxState, page: Page, expand: string) {
  const space = state.space(page.spaceId);
  return {
    id: page.id,
    type: 'page',
    status: page.status,
    title: page.title,
    ...(expand.includes('space') && space ? { space: spaceJson(space, '') } : {}),
    ...(expand.includes('version')
      ? {
          version: {
            number: page.version.number,
            when: page.version.createdAt,
            message: page.version.message,
            by: userJson(state, page.version.authorId),
          },
        }
      : {}),
    ...(expand.includes('ancestors')
      ? { ancestors: state.ancestors(page).map((a) => ({ id: a.id, type: 'page', status: a.status, title: a.title })) }
      : {}),
    ...(expand.includes('body.storage')
      ? { body: { storage: { value: dcStorage(state, page.body), representation: 'storage' } } }
      : {}),
    _links: { webui: `/pages/viewpage.action?pageId=${page.id}`, tinyui: `/x/${page.id}` },
  };
}

/** v1 list envelope with a `next` link while more remain. */
function listJson<T>(req: FakeRequest, items: T[], ctx: Ctx) {
  const start = startOf(req);
  const limit = limitOf(req.query, 25, 200);
  const results = items.slice(start, start + limit);
  const links: Record<string, string> = { base: ctx.base, context: ctx.contextPath };
  if (start + limit < items.length) {
    const next = new URLSearchParams(req.query);
    next.set('start', String(start + limit));
    next.set('limit', String(limit));
    links.next = `${req.path.slice(ctx.contextPath.length)}?${next}`;
  }
  return { results, start, limit, size: results.length, _links: links };
}

function storageOf(body: unknown): string | undefined {
  const storage = (body as { storage?: { value?: unknown; representation?: unknown } } | undefined)?.storage;
  return storage?.representation === 'storage' && typeof storage.value === 'string' ? storage.value : undefined;
}

export function datacenterRoutes(upstream: FakeUpstream, state: SandboxState, ctx: Ctx): void {
  const api = `${ctx.contextPath}/rest/api`;
  const find = (id: string | undefined) => {
    const page = id ? state.pages.get(id) : undefined;
    return page && page.status === 'current' ? page : undefined;
  };
  const missing = (id: string | undefined) => v1Error(404, `No content found with id: ContentId{id=${id}}`);

  upstream.route('GET', `${api}/user/current`, (req) => json(200, userJson(state, ctx.me(req).accountId)));

  upstream.route('GET', `${api}/user`, (req) => {
    const key = req.query.get('key') ?? req.query.get('username') ?? '';
    const user = state.users.find((u) => u.userKey === key || u.username === key);
    if (!user) return v1Error(404, `No user found with key: ${key}`);
    return json(200, userJson(state, user.accountId));
  });

  upstream.route('GET', `${api}/search`, (req) => {
    const cql = req.query.get('cql');
    if (!cql) return v1Error(400, 'Either cql or cqlcontext parameter is required');
    let hits: Page[];
    try {
      hits = runCql(state, parseCql(cql));
    } catch (e) {
      if (e instanceof CqlError) return v1Error(400, e.message);
      throw e;
    }
    const body = listJson(
      req,
      hits.map((p) => ({
        content: contentJson(state, p, 'space'),
        title: p.title,
        excerpt: excerpt(p, cql),
        url: `/pages/viewpage.action?pageId=${p.id}`,
        resultGlobalContainer: { title: state.space(p.spaceId)?.name ?? '', displayUrl: '' },
        entityType: 'content',
        lastModified: p.version.createdAt,
      })),
      ctx,
    );
    return json(200, { ...body, totalSize: hits.length, cqlQuery: cql });
  });

  upstream.route('GET', `${api}/content/:id`, (req) => {
    const page = find(req.params.id);
    if (!page) return missing(req.params.id);
    return json(200, contentJson(state, page, req.query.get('expand') ?? ''));
  });

  upstream.route('GET', `${api}/content/:id/child/page`, (req) => {
    const page = find(req.params.id);
    if (!page) return missing(req.params.id);
    return json(
      200,
      listJson(
        req,
        state.children(page.id).map((p) => contentJson(state, p, '')),
        ctx,
      ),
    );
  });

  upstream.route('GET', `${api}/content/:id/child/comment`, (req) => {
    const page = find(req.params.id);
    if (!page) return missing(req.params.id);
    const expand = req.query.get('expand') ?? '';
    const comments = state.comments
      .filter((c) => c.pageId === page.id)
      .map((c) => ({
        id: c.id,
        type: 'comment',
        status: 'current',
        title: `Re: ${page.title}`,
        ...(expand.includes('version')
          ? { version: { number: 1, when: c.version.createdAt, by: userJson(state, c.version.authorId) } }
          : {}),
        ...(expand.includes('body.storage')
          ? { body: { storage: { value: dcStorage(state, c.body), representation: 'storage' } } }
          : {}),
      }));
    return json(200, listJson(req, comments, ctx));
  });

  upstream.route('GET', `${api}/content/:id/child/attachment`, (req) => {
    const page = find(req.params.id);
    if (!page) return missing(req.params.id);
    const files = state.attachments
      .filter((a) => a.pageId === page.id)
      .map((a) => ({
        id: a.id,
        type: 'attachment',
        status: 'current',
        title: a.title,
        metadata: { mediaType: a.mediaType, comment: a.comment },
        extensions: { mediaType: a.mediaType, fileSize: a.fileSize, comment: a.comment },
        _links: { download: `/download/attachments/${page.id}/${encodeURIComponent(a.title)}?version=1&api=v2` },
      }));
    return json(200, listJson(req, files, ctx));
  });

  upstream.route('GET', `${api}/content/:id/label`, (req) => {
    const page = find(req.params.id);
    if (!page) return missing(req.params.id);
    return json(200, listJson(req, state.labels.get(page.id) ?? [], ctx));
  });

  upstream.route('POST', `${api}/content/:id/label`, (req) => {
    const page = find(req.params.id);
    if (!page) return missing(req.params.id);
    const labels = (Array.isArray(req.body) ? req.body : [req.body]) as { name?: unknown; prefix?: unknown }[];
    if (labels.some((l) => typeof l?.name !== 'string' || /\s/.test(l.name))) {
      return v1Error(400, 'Label names cannot contain spaces');
    }
    for (const l of labels) state.addLabel(page.id, String(l.name).toLowerCase());
    return json(200, listJson(req, state.labels.get(page.id) ?? [], ctx));
  });

  upstream.route('POST', `${api}/content`, (req) => {
    const body = req.body as {
      type?: unknown;
      title?: unknown;
      space?: { key?: unknown };
      ancestors?: unknown;
      body?: unknown;
      container?: { id?: unknown };
    };
    if (body?.type === 'comment') {
      const page = typeof body.container?.id === 'string' ? find(body.container.id) : undefined;
      if (!page) return v1Error(400, 'A comment needs a container page that exists');
      const value = storageOf(body.body);
      if (!value) return v1Error(400, 'body.storage with representation storage is required');
      const comment = state.addComment(page.id, value, ctx.me(req).accountId);
      return json(200, { id: comment.id, type: 'comment', status: 'current', title: `Re: ${page.title}` });
    }
    if (body?.type !== 'page') return v1Error(400, 'Only pages and comments are supported here');
    const space = typeof body.space?.key === 'string' ? state.space(body.space.key) : undefined;
    if (!space) return v1Error(400, 'A valid space key is required');
    if (typeof body.title !== 'string' || !body.title.trim()) return v1Error(400, 'Title is required');
    if (state.titleTaken(space.id, body.title)) {
      return v1Error(400, 'A page with this title already exists: A page already exists with the title in this space');
    }
    const ancestor = Array.isArray(body.ancestors) ? (body.ancestors[0] as { id?: unknown } | undefined) : undefined;
    const parentId = typeof ancestor?.id === 'string' ? ancestor.id : space.homepageId;
    if (parentId && find(parentId)?.spaceId !== space.id)
      return v1Error(400, `Parent ${parentId} is not in ${space.key}`);
    const value = storageOf(body.body);
    if (value === undefined) return v1Error(400, 'body.storage with representation storage is required');
    const page = state.addPage({
      spaceId: space.id,
      parentId,
      title: body.title,
      body: value,
      authorId: ctx.me(req).accountId,
    });
    return json(200, contentJson(state, page, 'space,version,body.storage'));
  });

  upstream.route('PUT', `${api}/content/:id`, (req) => {
    const page = find(req.params.id);
    if (!page) return missing(req.params.id);
    const body = req.body as { title?: unknown; version?: { number?: unknown; message?: unknown }; body?: unknown };
    if (typeof body?.title !== 'string' || typeof body.version?.number !== 'number') {
      return v1Error(400, 'title and version.number are required');
    }
    if (body.version.number !== page.version.number + 1) {
      return v1Error(409, `Version must be incremented on update. Current Version is: ${page.version.number}`);
    }
    const value = storageOf(body.body);
    if (value === undefined) return v1Error(400, 'body.storage with representation storage is required');
    page.title = body.title;
    page.body = value;
    page.version = {
      number: body.version.number,
      createdAt: state.now(),
      authorId: ctx.me(req).accountId,
      message: typeof body.version.message === 'string' ? body.version.message : '',
    };
    return json(200, contentJson(state, page, 'space,version,body.storage'));
  });

  upstream.route('GET', `${api}/space`, (req) =>
    json(
      200,
      listJson(
        req,
        state.spaces.map((s) => spaceJson(s, req.query.get('expand') ?? '')),
        ctx,
      ),
    ),
  );

  upstream.route('GET', `${api}/space/:key`, (req) => {
    const space = state.space(req.params.key ?? '');
    if (!space || space.key !== req.params.key) return v1Error(404, `No space with key : ${req.params.key}`);
    return json(200, spaceJson(space, req.query.get('expand') ?? ''));
  });
}
