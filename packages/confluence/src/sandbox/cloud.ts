/** Confluence Cloud routes: REST v2 (/wiki/api/v2) and the v1 endpoints v2 has no replacement for. */
import { type FakeRequest, type FakeResponse, type FakeUpstream, json } from '@switchboard-mcp/testkit/upstream';
import { CqlError, excerpt, parseCql, runCql } from './cql.ts';
import { decodeCursor, encodeCursor, limitOf, v1Error, v2Error } from './http.ts';
import type { Attachment, Comment, Label, Page, SandboxState, SandboxUser, Space } from './state.ts';

interface Ctx {
  /** Site URL including /wiki. */
  base: string;
  /** Path prefix before /wiki: '' on the site, `/ex/confluence/<cloudId>` through the OAuth gateway. */
  prefix: string;
  me: (req: FakeRequest) => SandboxUser;
}

function webui(state: SandboxState, page: Page): string {
  const key = state.space(page.spaceId)?.key ?? '';
  return `/spaces/${key}/pages/${page.id}/${encodeURIComponent(page.title).replace(/%20/g, '+')}`;
}

function version(v: Page['version']) {
  return { createdAt: v.createdAt, message: v.message, number: v.number, minorEdit: false, authorId: v.authorId };
}

export function pageJson(state: SandboxState, page: Page, bodyFormat?: string | null) {
  return {
    id: page.id,
    status: page.status,
    title: page.title,
    spaceId: page.spaceId,
    parentId: page.parentId ?? null,
    parentType: page.parentId ? 'page' : null,
    position: page.position,
    authorId: page.authorId,
    ownerId: page.authorId,
    lastOwnerId: null,
    createdAt: page.createdAt,
    version: version(page.version),
    body: bodyFormat === 'storage' ? { storage: { representation: 'storage', value: page.body } } : {},
    _links: {
      webui: webui(state, page),
      editui: `/pages/resumedraft.action?draftId=${page.id}`,
      tinyui: `/x/${page.id}`,
    },
  };
}

function spaceJson(space: Space, descriptionFormat?: string | null) {
  return {
    id: space.id,
    key: space.key,
    name: space.name,
    type: space.type,
    status: space.status,
    authorId: space.authorId,
    createdAt: space.createdAt,
    homepageId: space.homepageId ?? null,
    description:
      descriptionFormat === 'plain' ? { plain: { representation: 'plain', value: space.description } } : null,
    _links: { webui: `/spaces/${space.key}` },
  };
}

function commentJson(state: SandboxState, c: Comment, bodyFormat?: string | null) {
  const page = state.pages.get(c.pageId);
  return {
    id: c.id,
    status: 'current',
    title: `Re: ${page?.title ?? ''}`,
    pageId: c.pageId,
    version: version(c.version),
    body: bodyFormat === 'storage' ? { storage: { representation: 'storage', value: c.body } } : {},
    _links: { webui: `${page ? webui(state, page) : ''}?focusedCommentId=${c.id}` },
  };
}

function attachmentJson(a: Attachment) {
  return {
    id: a.id,
    status: 'current',
    title: a.title,
    createdAt: a.createdAt,
    pageId: a.pageId,
    mediaType: a.mediaType,
    mediaTypeDescription: '',
    comment: a.comment,
    fileId: `file-${a.id}`,
    fileSize: a.fileSize,
    webuiLink: `/pages/viewpageattachments.action?pageId=${a.pageId}&preview=${encodeURIComponent(a.title)}`,
    downloadLink: `/download/attachments/${a.pageId}/${encodeURIComponent(a.title)}?api=v2`,
    version: { number: 1, createdAt: a.createdAt, authorId: a.authorId, message: '', minorEdit: false },
    _links: { download: `/download/attachments/${a.pageId}/${encodeURIComponent(a.title)}?api=v2` },
  };
}

function labelJson(l: Label) {
  return { id: l.id, name: l.name, prefix: l.prefix };
}

/** One page of a v2 list: `results` and `_links.next` (also as a Link header), like Confluence. */
function list<T>(req: FakeRequest, items: T[], ctx: Ctx, def = 25): FakeResponse {
  const offset = decodeCursor(req.query.get('cursor'));
  if (offset === undefined) return v2Error(400, 'Invalid cursor', 'INVALID_REQUEST_PARAMETER');
  const limit = limitOf(req.query, def);
  const results = items.slice(offset, offset + limit);
  const links: Record<string, string> = { base: ctx.base };
  const headers: Record<string, string> = {};
  if (offset + limit < items.length) {
    const next = new URL(req.url.href);
    next.searchParams.set('cursor', encodeCursor(offset + limit));
    next.searchParams.set('limit', String(limit));
    links.next = `${next.pathname}${next.search}`;
    headers.link = `<${links.next}>; rel="next", <${ctx.base}>; rel="base"`;
  }
  return json(200, { results, _links: links }, headers);
}

function findPage(state: SandboxState, id: string | undefined): Page | undefined {
  const page = id ? state.pages.get(id) : undefined;
  return page && page.status !== 'trashed' ? page : undefined;
}

function storageValue(body: unknown): string | undefined {
  const b = body as { representation?: unknown; value?: unknown } | undefined;
  if (b?.representation !== 'storage' || typeof b.value !== 'string') return undefined;
  return b.value;
}

export function cloudRoutes(upstream: FakeUpstream, state: SandboxState, ctx: Ctx): void {
  const V1 = `${ctx.prefix}/wiki/rest/api`;
  const V2 = `${ctx.prefix}/wiki/api/v2`;
  const notFound = () => v2Error(404, 'Not Found', 'NOT_FOUND');

  upstream.route('GET', `${V1}/user/current`, (req) => {
    const u = ctx.me(req);
    return json(200, {
      type: 'known',
      accountId: u.accountId,
      accountType: 'atlassian',
      email: u.email,
      publicName: u.displayName,
      displayName: u.displayName,
      profilePicture: { path: '/wiki/aa-avatar/default.png', width: 48, height: 48, isDefault: true },
      isExternalCollaborator: false,
      _links: { self: `${ctx.base}/rest/api/user?accountId=${u.accountId}`, base: ctx.base, context: '/wiki' },
    });
  });

  upstream.route('GET', `${V1}/search`, (req) => {
    const cql = req.query.get('cql');
    if (!cql) return v1Error(400, 'Either cql or cqlcontext parameter is required');
    let hits: Page[];
    try {
      hits = runCql(state, parseCql(cql));
    } catch (e) {
      if (e instanceof CqlError) return v1Error(400, e.message);
      throw e;
    }
    const offset = decodeCursor(req.query.get('cursor'));
    if (offset === undefined) return v1Error(400, 'Invalid cursor');
    const limit = limitOf(req.query, 25, 100);
    const results = hits.slice(offset, offset + limit).map((p) => {
      const space = state.space(p.spaceId);
      return {
        content: {
          id: p.id,
          type: 'page',
          status: 'current',
          title: p.title,
          space: space ? { key: space.key, name: space.name } : undefined,
          _links: { webui: webui(state, p), self: `${ctx.base}/rest/api/content/${p.id}` },
        },
        title: p.title,
        excerpt: excerpt(p, cql),
        url: webui(state, p),
        resultGlobalContainer: { title: space?.name ?? '', displayUrl: `/spaces/${space?.key ?? ''}` },
        breadcrumbs: [],
        entityType: 'content',
        iconCssClass: 'aui-icon content-type-page',
        lastModified: p.version.createdAt,
        friendlyLastModified: p.version.createdAt.slice(0, 10),
        score: 0,
      };
    });
    const links: Record<string, string> = { base: ctx.base, context: '/wiki' };
    if (offset + limit < hits.length) {
      const next = new URLSearchParams({
        cql,
        limit: String(limit),
        cursor: encodeCursor(offset + limit),
        next: 'true',
      });
      links.next = `/rest/api/search?${next}`;
    }
    return json(200, {
      results,
      start: offset,
      limit,
      size: results.length,
      totalSize: hits.length,
      cqlQuery: cql,
      searchDuration: 12,
      _links: links,
    });
  });

  upstream.route('POST', `${V1}/content/:id/label`, (req) => {
    const page = findPage(state, req.params.id);
    if (!page) return v1Error(404, `No content found with id: ContentId{id=${req.params.id}}`);
    const body = Array.isArray(req.body) ? req.body : [req.body];
    for (const l of body as { name?: unknown; prefix?: unknown }[]) {
      if (typeof l?.name !== 'string' || !/^[^\s!#&()*,.:;<>?@[\]^]+$/.test(l.name)) {
        return v1Error(400, `Label name '${String(l?.name)}' contains invalid characters or spaces`);
      }
    }
    for (const l of body as { name: string; prefix?: string }[]) {
      state.addLabel(page.id, l.name.toLowerCase(), (l.prefix as Label['prefix']) ?? 'global');
    }
    const labels = (state.labels.get(page.id) ?? []).map((l) => ({ ...labelJson(l), label: l.name }));
    return json(200, { results: labels, start: 0, limit: 200, size: labels.length });
  });

  upstream.route('POST', `${V2}/users-bulk`, (req) => {
    const ids = (req.body as { accountIds?: unknown } | undefined)?.accountIds;
    if (!Array.isArray(ids) || !ids.length || ids.length > 250) {
      return v2Error(400, 'accountIds must list 1 to 250 account ids', 'INVALID_REQUEST_PARAMETER');
    }
    const results = ids
      .map((id) => state.users.find((u) => u.accountId === id))
      .filter((u) => u !== undefined)
      .map((u) => ({
        accountId: u.accountId,
        accountType: 'atlassian',
        accountStatus: 'active',
        displayName: u.displayName,
        publicName: u.displayName,
        email: u.email,
        isExternalCollaborator: false,
      }));
    return json(200, { results, _links: { base: ctx.base } });
  });

  upstream.route('GET', `${V2}/pages`, (req) => {
    const ids = req.query.getAll('id').flatMap((v) => v.split(','));
    const spaceIds = req.query.getAll('space-id').flatMap((v) => v.split(','));
    const title = req.query.get('title');
    const pages = [...state.pages.values()].filter(
      (p) =>
        p.status === 'current' &&
        (!ids.length || ids.includes(p.id)) &&
        (!spaceIds.length || spaceIds.includes(p.spaceId)) &&
        (!title || p.title === title),
    );
    return list(
      req,
      pages.map((p) => pageJson(state, p, req.query.get('body-format'))),
      ctx,
    );
  });

  upstream.route('POST', `${V2}/pages`, (req) => {
    const body = req.body as {
      spaceId?: unknown;
      title?: unknown;
      parentId?: unknown;
      status?: unknown;
      body?: unknown;
    };
    const space = typeof body?.spaceId === 'string' ? state.spaces.find((s) => s.id === body.spaceId) : undefined;
    if (!space) return v2Error(400, 'Invalid or missing spaceId', 'INVALID_REQUEST_PARAMETER');
    if (typeof body.title !== 'string' || !body.title.trim()) {
      return v2Error(400, 'Title is required for a published page', 'INVALID_REQUEST_PARAMETER');
    }
    if (state.titleTaken(space.id, body.title)) {
      return v2Error(
        400,
        `A page with this title already exists: A page already exists with the same TITLE in this space`,
        'INVALID_REQUEST_PARAMETER',
      );
    }
    const parentId = typeof body.parentId === 'string' ? body.parentId : space.homepageId;
    const parent = findPage(state, parentId);
    if (parentId && (!parent || parent.spaceId !== space.id)) {
      return v2Error(400, `Parent page ${parentId} is not in space ${space.key}`, 'INVALID_REQUEST_PARAMETER');
    }
    const value = body.body === undefined ? '' : storageValue(body.body);
    if (value === undefined) return v2Error(400, 'Unsupported body representation', 'INVALID_REQUEST_PARAMETER');
    const page = state.addPage({
      spaceId: space.id,
      parentId,
      title: body.title,
      body: value,
      authorId: ctx.me(req).accountId,
    });
    return json(200, pageJson(state, page, 'storage'));
  });

  upstream.route('GET', `${V2}/pages/:id`, (req) => {
    const page = findPage(state, req.params.id);
    if (!page) return notFound();
    return json(200, pageJson(state, page, req.query.get('body-format')));
  });

  upstream.route('PUT', `${V2}/pages/:id`, (req) => {
    const page = findPage(state, req.params.id);
    if (!page) return notFound();
    const body = req.body as { id?: unknown; title?: unknown; status?: unknown; body?: unknown; version?: unknown };
    const v = body?.version as { number?: unknown; message?: unknown } | undefined;
    if (body?.id !== page.id || typeof body.title !== 'string' || typeof v?.number !== 'number') {
      return v2Error(400, 'id, status, title, body and version are required', 'INVALID_REQUEST_PARAMETER');
    }
    if (v.number !== page.version.number + 1) {
      return v2Error(
        409,
        `Version must be incremented on update. Current Version is: ${page.version.number}`,
        'CONFLICT',
      );
    }
    const value = storageValue(body.body);
    if (value === undefined) return v2Error(400, 'Unsupported body representation', 'INVALID_REQUEST_PARAMETER');
    if (state.titleTaken(page.spaceId, body.title, page.id)) {
      return v2Error(400, 'A page with this title already exists', 'INVALID_REQUEST_PARAMETER');
    }
    page.title = body.title;
    page.body = value;
    page.version = {
      number: v.number,
      createdAt: state.now(),
      authorId: ctx.me(req).accountId,
      message: typeof v.message === 'string' ? v.message : '',
    };
    return json(200, pageJson(state, page, 'storage'));
  });

  upstream.route('GET', `${V2}/pages/:id/children`, (req) => {
    const page = findPage(state, req.params.id);
    if (!page) return notFound();
    const kids = state.children(page.id).map((p) => ({
      id: p.id,
      status: p.status,
      title: p.title,
      spaceId: p.spaceId,
      childPosition: p.position,
    }));
    return list(req, kids, ctx);
  });

  upstream.route('GET', `${V2}/pages/:id/ancestors`, (req) => {
    const page = findPage(state, req.params.id);
    if (!page) return notFound();
    const results = state.ancestors(page).map((p) => ({ id: p.id, type: 'page' }));
    return json(200, { results: results.slice(-limitOf(req.query, 25)), _links: { base: ctx.base } });
  });

  upstream.route('GET', `${V2}/pages/:id/footer-comments`, (req) => {
    const page = findPage(state, req.params.id);
    if (!page) return notFound();
    const comments = state.comments
      .filter((c) => c.pageId === page.id)
      .map((c) => commentJson(state, c, req.query.get('body-format')));
    return list(req, comments, ctx);
  });

  upstream.route('POST', `${V2}/footer-comments`, (req) => {
    const body = req.body as { pageId?: unknown; body?: unknown };
    const page = typeof body?.pageId === 'string' ? findPage(state, body.pageId) : undefined;
    if (!page) return v2Error(404, 'Page not found', 'NOT_FOUND');
    const value = storageValue(body.body);
    if (!value) return v2Error(400, 'Comment body is required', 'INVALID_REQUEST_PARAMETER');
    const comment = state.addComment(page.id, value, ctx.me(req).accountId);
    return json(201, commentJson(state, comment, 'storage'));
  });

  upstream.route('GET', `${V2}/pages/:id/labels`, (req) => {
    const page = findPage(state, req.params.id);
    if (!page) return notFound();
    return list(req, (state.labels.get(page.id) ?? []).map(labelJson), ctx);
  });

  upstream.route('GET', `${V2}/pages/:id/attachments`, (req) => {
    const page = findPage(state, req.params.id);
    if (!page) return notFound();
    return list(req, state.attachments.filter((a) => a.pageId === page.id).map(attachmentJson), ctx, 50);
  });

  upstream.route('GET', `${V2}/spaces`, (req) => {
    const keys = req.query.getAll('keys').flatMap((v) => v.split(','));
    const ids = req.query.getAll('ids').flatMap((v) => v.split(','));
    const type = req.query.get('type');
    const spaces = state.spaces.filter(
      (s) =>
        (!keys.length || keys.includes(s.key)) && (!ids.length || ids.includes(s.id)) && (!type || s.type === type),
    );
    return list(
      req,
      spaces.map((s) => spaceJson(s, req.query.get('description-format'))),
      ctx,
    );
  });

  upstream.route('GET', `${V2}/spaces/:id`, (req) => {
    const space = state.spaces.find((s) => s.id === req.params.id);
    if (!space) return notFound();
    return json(200, spaceJson(space, req.query.get('description-format')));
  });
}
