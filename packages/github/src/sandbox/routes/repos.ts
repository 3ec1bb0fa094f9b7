/** Repository, contents, branches, commits, tags and releases. */
import { isBinary, unifiedDiff } from '../git.ts';
import type { Ctx, Router } from '../http.ts';
import { roleAtLeast } from '../state.ts';

const D = 'https://docs.github.com/rest/repos';
const CONTENTS_DOCS = `${D}/contents#get-repository-content`;
const PUT_DOCS = `${D}/contents#create-or-update-file-contents`;

/** Decode a base64 request field strictly (GitHub refuses invalid base64). */
function decodeBase64(ctx: Ctx, field: string, value: unknown): Buffer {
  if (typeof value !== 'string') throw ctx.error(422, `Invalid request.\n\n"${field}" wasn't supplied.`);
  const clean = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) {
    throw ctx.error(422, `${field} is not valid Base64`);
  }
  return Buffer.from(clean, 'base64');
}

function requireString(ctx: Ctx, field: string, value: unknown): string {
  if (typeof value !== 'string' || value === '')
    throw ctx.error(422, `Invalid request.\n\n"${field}" wasn't supplied.`);
  return value;
}

/** A commit on `branch` changing one path (write or delete), moving the branch. Returns the commit SHA. */
function commitPath(ctx: Ctx, branch: string, path: string, blob: string | null, message: string): string {
  const r = ctx.repo;
  const parent = ctx.s.branchSha(r, branch)!;
  const tree = r.git.updateTree(
    r.git.commit(parent)!.tree,
    new Map([[path, blob ? { sha: blob, mode: '100644' } : null]]),
  );
  const body = ctx.body;
  const sig = ctx.s.signatureFor(ctx.login);
  const person = (v: unknown): typeof sig =>
    v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string'
      ? {
          name: String((v as { name: string }).name),
          email: String((v as { email?: string }).email ?? sig.email),
          date: sig.date,
        }
      : sig;
  const committer = person(body.committer);
  const author = body.author ? person(body.author) : committer;
  const sha = r.git.putCommit({ tree, parents: [parent], author, committer, message });
  r.refs.set(`refs/heads/${branch}`, sha);
  r.pushedAt = ctx.s.now();
  r.updatedAt = r.pushedAt;
  return sha;
}

/** Branch protection as the sandbox models it: admins bypass, everyone else must use a pull request. */
export function checkProtected(
  ctx: Ctx,
  branch: string,
  status = 409,
  message = 'Changes must be made through a pull request.',
): void {
  if (ctx.repo.protectedBranches.has(branch) && !roleAtLeast(ctx.role, 'admin')) throw ctx.error(status, message);
}

function getContent(ctx: Ctx, path: string) {
  const r = ctx.repo;
  const ref = ctx.query.get('ref') || r.defaultBranch;
  const commit = ctx.s.resolveRef(r, ref);
  if (!commit) throw ctx.error(404, `No commit found for the ref ${ref}`);
  const clean = path.replace(/^\/+|\/+$/g, '');
  const entry = r.git.entryAt(r.git.commit(commit)!.tree, clean);
  if (!entry) throw ctx.notFound();
  if (entry.type === 'tree') {
    const entries = r.git
      .tree(entry.sha)!
      .entries.map((e) =>
        ctx.shape.contentEntry(
          r,
          clean ? `${clean}/${e.name}` : e.name,
          ref,
          e.type === 'tree' ? 'dir' : e.type === 'commit' ? 'submodule' : e.mode === '120000' ? 'symlink' : 'file',
          e.sha,
        ),
      );
    if (ctx.media.param === 'object') {
      const self = ctx.shape.contentEntry(r, clean, ref, 'dir', entry.sha);
      return { status: 200, body: { ...self, entries } };
    }
    return { status: 200, body: entries };
  }
  const data = r.git.blob(entry.sha)!.data;
  if (ctx.media.param === 'raw') {
    const binary = isBinary(data);
    return {
      status: 200,
      body: data,
      headers: {
        'content-type': binary ? 'application/octet-stream' : 'text/plain; charset=utf-8',
        etag: `"${entry.sha}"`,
      },
    };
  }
  return { status: 200, body: ctx.shape.contentFile(r, clean, ref, entry.sha) };
}

export function repoRoutes(router: Router): void {
  const repoGet = (ctx: Ctx) => ({ status: 200, body: ctx.shape.fullRepo(ctx.repo, ctx.login) });
  router.get('/repos/:owner/:repo', { docs: `${D}/repos#get-a-repository` }, repoGet);
  router.get('/repositories/:id', { docs: `${D}/repos#get-a-repository` }, repoGet);

  const contents = { permission: 'contents' as const, docs: CONTENTS_DOCS };
  router.get('/repos/:owner/:repo/contents', contents, (ctx) => getContent(ctx, ''));
  router.get('/repos/:owner/:repo/contents/*path', contents, (ctx) => getContent(ctx, ctx.param('path')));
  router.get('/repositories/:id/contents/*path', contents, (ctx) => getContent(ctx, ctx.param('path')));

  router.put('/repos/:owner/:repo/contents/*path', { permission: 'contents', docs: PUT_DOCS }, (ctx) => {
    ctx.requireRole('write');
    const r = ctx.repo;
    const body = ctx.body;
    const path = ctx.param('path').replace(/^\/+|\/+$/g, '');
    const message = requireString(ctx, 'message', body.message);
    const content = decodeBase64(ctx, 'content', body.content);
    const branch = typeof body.branch === 'string' && body.branch ? body.branch : r.defaultBranch;
    const head = ctx.s.branchSha(r, branch);
    if (!head) throw ctx.error(404, `Branch ${branch} not found`);
    checkProtected(ctx, branch);
    const existing = r.git.entryAt(r.git.commit(head)!.tree, path);
    if (existing?.type === 'tree') throw ctx.error(422, `Invalid request.\n\n"${path}" is a directory.`);
    if (existing) {
      if (body.sha === undefined || body.sha === null || body.sha === '') {
        throw ctx.error(422, `Invalid request.\n\n"sha" wasn't supplied.`);
      }
      if (body.sha !== existing.sha) throw ctx.error(409, `${path} does not match ${String(body.sha)}`);
    }
    const blob = r.git.putBlob(content);
    const sha = commitPath(ctx, branch, path, blob, message);
    return { status: existing ? 200 : 201, body: ctx.shape.fileCommit(r, path, branch, blob, sha) };
  });

  router.delete(
    '/repos/:owner/:repo/contents/*path',
    { permission: 'contents', docs: `${D}/contents#delete-a-file` },
    (ctx) => {
      ctx.requireRole('write');
      const r = ctx.repo;
      const body = ctx.body;
      const path = ctx.param('path').replace(/^\/+|\/+$/g, '');
      const message = requireString(ctx, 'message', body.message);
      const sha = requireString(ctx, 'sha', body.sha);
      const branch = typeof body.branch === 'string' && body.branch ? body.branch : r.defaultBranch;
      const head = ctx.s.branchSha(r, branch);
      if (!head) throw ctx.error(404, `Branch ${branch} not found`);
      checkProtected(ctx, branch);
      const existing = r.git.entryAt(r.git.commit(head)!.tree, path);
      if (!existing || existing.type === 'tree') throw ctx.notFound();
      if (existing.sha !== sha) throw ctx.error(409, `${path} does not match ${sha}`);
      const commit = commitPath(ctx, branch, path, null, message);
      return { status: 200, body: ctx.shape.fileCommit(r, path, branch, null, commit) };
    },
  );

  router.get('/repos/:owner/:repo/branches', { permission: 'contents', docs: `${D}/branches#list-branches` }, (ctx) => {
    const r = ctx.repo;
    const filter = ctx.query.get('protected');
    const branches = [...r.refs]
      .filter(([ref]) => ref.startsWith('refs/heads/'))
      .map(([ref, sha]) => ({ name: ref.slice('refs/heads/'.length), sha }))
      .filter((b) => filter === null || (filter === 'true') === r.protectedBranches.has(b.name))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    return ctx.list(branches, (b) => ctx.shape.branch(r, b.name, b.sha));
  });

  router.get(
    '/repos/:owner/:repo/branches/*branch',
    { permission: 'contents', docs: `${D}/branches#get-a-branch` },
    (ctx) => {
      const r = ctx.repo;
      const name = ctx.param('branch');
      const sha = ctx.s.branchSha(r, name);
      if (!sha) throw ctx.error(404, 'Branch not found');
      const isProtected = r.protectedBranches.has(name);
      const self = ctx.shape.api(`/repos/${r.owner}/${r.name}/branches/${name}`);
      return {
        status: 200,
        body: {
          name,
          commit: ctx.shape.commit(r, sha),
          _links: { self, html: ctx.shape.web(`/${r.owner}/${r.name}/tree/${name}`) },
          protected: isProtected,
          protection: isProtected
            ? {
                enabled: true,
                required_status_checks: {
                  enforcement_level: 'non_admins',
                  contexts: ['test (20)'],
                  checks: [{ context: 'test (20)', app_id: 15368 }],
                },
              }
            : { enabled: false, required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] } },
          protection_url: `${self}/protection`,
        },
      };
    },
  );

  router.get('/repos/:owner/:repo/commits', { permission: 'contents', docs: `${D}/commits#list-commits` }, (ctx) => {
    const r = ctx.repo;
    const from = ctx.query.get('sha') || r.defaultBranch;
    const start = ctx.s.resolveRef(r, from);
    if (!start) {
      if (r.refs.size === 0) throw ctx.error(409, 'Git Repository is empty.');
      throw ctx.error(404, `No commit found for SHA: ${from}`);
    }
    const path = ctx.query.get('path')?.replace(/^\/+|\/+$/g, '');
    const author = ctx.query.get('author')?.toLowerCase();
    const committer = ctx.query.get('committer')?.toLowerCase();
    const since = ctx.query.get('since');
    const until = ctx.query.get('until');
    const who = (sig: { name: string; email: string }, q: string): boolean => {
      const u = ctx.s.userByEmail(sig.email);
      return u?.login.toLowerCase() === q || sig.email.toLowerCase() === q || sig.name.toLowerCase() === q;
    };
    const shas = r.git.log(start).filter((sha) => {
      const c = r.git.commit(sha)!;
      if (author && !who(c.author, author)) return false;
      if (committer && !who(c.committer, committer)) return false;
      if (since && c.committer.date < since) return false;
      if (until && c.committer.date > until) return false;
      if (path) {
        const parent = c.parents[0] ? r.git.commit(c.parents[0])!.tree : null;
        if (!r.git.changedPaths(parent, c.tree).some((p) => p === path || p.startsWith(`${path}/`))) return false;
      }
      return true;
    });
    return ctx.list(shas, (sha) => ctx.shape.commit(r, sha));
  });

  router.get(
    '/repos/:owner/:repo/commits/*ref',
    { permission: 'contents', docs: `${D}/commits#get-a-commit` },
    (ctx) => {
      const r = ctx.repo;
      const ref = ctx.param('ref');
      const sha = ctx.s.resolveRef(r, ref);
      if (!sha) throw ctx.error(422, `No commit found for SHA: ${ref}`);
      const textType = (t: string): Record<string, string> => ({
        'content-type': `application/vnd.github.${t}; charset=utf-8`,
      });
      if (ctx.media.param === 'diff') {
        return { status: 200, body: unifiedDiff(r.git.commitChanges(sha)), headers: textType('diff') };
      }
      if (ctx.media.param === 'patch') {
        const c = r.git.commit(sha)!;
        const [subject, ...rest] = c.message.split('\n');
        const header = `From ${sha} Mon Sep 17 00:00:00 2001\nFrom: ${c.author.name} <${c.author.email}>\nDate: ${new Date(c.author.date).toUTCString().replace('GMT', '+0000')}\nSubject: [PATCH] ${subject}\n${rest.join('\n')}\n---\n\n`;
        return { status: 200, body: header + unifiedDiff(r.git.commitChanges(sha)), headers: textType('patch') };
      }
      if (ctx.media.param === 'sha') return { status: 200, body: sha, headers: textType('sha') };
      return { status: 200, body: ctx.shape.commit(r, sha, true) };
    },
  );

  router.get('/repos/:owner/:repo/tags', { permission: 'contents', docs: `${D}/repos#list-repository-tags` }, (ctx) => {
    const r = ctx.repo;
    const tags = [...r.refs]
      .filter(([ref]) => ref.startsWith('refs/tags/'))
      .map(([ref, sha]) => ({ name: ref.slice('refs/tags/'.length), sha }))
      .sort((a, b) => {
        const da = r.git.commit(a.sha)!.committer.date;
        const db = r.git.commit(b.sha)!.committer.date;
        return da === db ? (a.name < b.name ? 1 : -1) : da < db ? 1 : -1;
      });
    return ctx.list(tags, (t) => ctx.shape.tag(r, t.name, t.sha));
  });

  const visibleReleases = (ctx: Ctx) =>
    ctx.repo.releases
      .filter((rel) => !rel.draft || roleAtLeast(ctx.role, 'write'))
      .sort((a, b) => (a.createdAt === b.createdAt ? b.id - a.id : a.createdAt < b.createdAt ? 1 : -1));

  router.get('/repos/:owner/:repo/releases', { permission: 'contents', docs: `${D}/releases#list-releases` }, (ctx) =>
    ctx.list(visibleReleases(ctx), (rel) => ctx.shape.release(ctx.repo, rel)),
  );

  router.get(
    '/repos/:owner/:repo/releases/latest',
    { permission: 'contents', docs: `${D}/releases#get-the-latest-release` },
    (ctx) => {
      const latest = visibleReleases(ctx).find((rel) => !rel.draft && !rel.prerelease);
      if (!latest) throw ctx.notFound();
      return { status: 200, body: ctx.shape.release(ctx.repo, latest) };
    },
  );

  router.get(
    '/repos/:owner/:repo/releases/tags/*tag',
    { permission: 'contents', docs: `${D}/releases#get-a-release-by-tag-name` },
    (ctx) => {
      const rel = visibleReleases(ctx).find((x) => x.tagName === ctx.param('tag') && !x.draft);
      if (!rel) throw ctx.notFound();
      return { status: 200, body: ctx.shape.release(ctx.repo, rel) };
    },
  );

  router.get(
    '/repos/:owner/:repo/releases/:id',
    { permission: 'contents', docs: `${D}/releases#get-a-release` },
    (ctx) => {
      const id = ctx.int('id');
      const rel = visibleReleases(ctx).find((x) => x.id === id);
      if (!rel) throw ctx.notFound();
      return { status: 200, body: ctx.shape.release(ctx.repo, rel) };
    },
  );
}
