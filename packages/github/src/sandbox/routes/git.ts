/** Git database: refs, commits, blobs and trees (what push_files-style tools use). */
import type { FileMode, FlatFile } from '../git.ts';
import type { Ctx, Router } from '../http.ts';
import { checkProtected } from './repos.ts';

const D = 'https://docs.github.com/rest/git';
const MODES = new Set(['100644', '100755', '040000', '160000', '120000']);

function refName(ctx: Ctx): string {
  return `refs/${ctx.param('ref').replace(/^refs\//, '')}`;
}

/** Protected branches refuse ref updates from non-admins (GitHub: 422 "Protected branch update failed"). */
function guardBranch(ctx: Ctx, ref: string): void {
  if (ref.startsWith('refs/heads/')) {
    checkProtected(ctx, ref.slice('refs/heads/'.length), 422, `Protected branch update failed for ${ref}.`);
  }
}

function signature(ctx: Ctx, v: unknown): { name: string; email: string; date: string } {
  const base = ctx.s.signatureFor(ctx.login);
  if (!v || typeof v !== 'object') return base;
  const o = v as { name?: unknown; email?: unknown; date?: unknown };
  return {
    name: typeof o.name === 'string' ? o.name : base.name,
    email: typeof o.email === 'string' ? o.email : base.email,
    date: typeof o.date === 'string' ? new Date(o.date).toISOString().replace(/\.\d{3}Z$/, 'Z') : base.date,
  };
}

export function gitRoutes(router: Router): void {
  const read = { permission: 'contents' as const };

  router.get('/repos/:owner/:repo/git/ref/*ref', { ...read, docs: `${D}/refs#get-a-reference` }, (ctx) => {
    const ref = refName(ctx);
    const sha = ctx.repo.refs.get(ref);
    if (!sha) throw ctx.notFound();
    return { status: 200, body: ctx.shape.gitRef(ctx.repo, ref, sha) };
  });

  router.get(
    '/repos/:owner/:repo/git/matching-refs/*ref',
    { ...read, docs: `${D}/refs#list-matching-references` },
    (ctx) => {
      const prefix = refName(ctx);
      const refs = [...ctx.repo.refs].filter(([ref]) => ref.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : 1));
      return ctx.list(refs, ([ref, sha]) => ctx.shape.gitRef(ctx.repo, ref, sha));
    },
  );

  router.post(
    '/repos/:owner/:repo/git/refs',
    { permission: 'contents', docs: `${D}/refs#create-a-reference` },
    (ctx) => {
      ctx.requireRole('write');
      const r = ctx.repo;
      const { ref, sha } = ctx.body;
      if (typeof ref !== 'string') throw ctx.invalid([{ resource: 'Reference', field: 'ref', code: 'missing_field' }]);
      if (typeof sha !== 'string') throw ctx.invalid([{ resource: 'Reference', field: 'sha', code: 'missing_field' }]);
      if (!ref.startsWith('refs/') || ref.split('/').length < 3) {
        throw ctx.error(422, "Reference name must start with 'refs/' and have at least two slashes.");
      }
      if (!r.git.commit(sha)) throw ctx.error(422, 'Object does not exist');
      if (r.refs.has(ref)) throw ctx.error(422, 'Reference already exists');
      r.refs.set(ref, sha);
      r.pushedAt = ctx.s.now();
      const body = ctx.shape.gitRef(r, ref, sha);
      return { status: 201, body, headers: { location: String(body.url) } };
    },
  );

  router.patch(
    '/repos/:owner/:repo/git/refs/*ref',
    { permission: 'contents', docs: `${D}/refs#update-a-reference` },
    (ctx) => {
      ctx.requireRole('write');
      const r = ctx.repo;
      const ref = refName(ctx);
      const { sha, force } = ctx.body;
      if (typeof sha !== 'string') throw ctx.invalid([{ resource: 'Reference', field: 'sha', code: 'missing_field' }]);
      const cur = r.refs.get(ref);
      if (!cur) throw ctx.error(422, 'Reference does not exist');
      if (!r.git.commit(sha)) throw ctx.error(422, 'Object does not exist');
      guardBranch(ctx, ref);
      if (force !== true && !r.git.isAncestor(cur, sha)) throw ctx.error(422, 'Update is not a fast forward');
      r.refs.set(ref, sha);
      r.pushedAt = ctx.s.now();
      r.updatedAt = r.pushedAt;
      return { status: 200, body: ctx.shape.gitRef(r, ref, sha) };
    },
  );

  router.delete(
    '/repos/:owner/:repo/git/refs/*ref',
    { permission: 'contents', docs: `${D}/refs#delete-a-reference` },
    (ctx) => {
      ctx.requireRole('write');
      const ref = refName(ctx);
      if (!ctx.repo.refs.has(ref)) throw ctx.error(422, 'Reference does not exist');
      guardBranch(ctx, ref);
      if (ref === `refs/heads/${ctx.repo.defaultBranch}`) throw ctx.error(422, 'Cannot delete the default branch');
      ctx.repo.refs.delete(ref);
      return { status: 204 };
    },
  );

  router.get('/repos/:owner/:repo/git/commits/:sha', { ...read, docs: `${D}/commits#get-a-commit-object` }, (ctx) => {
    const sha = ctx.repo.git.expand(ctx.param('sha'));
    if (!sha || !ctx.repo.git.commit(sha)) throw ctx.notFound();
    return { status: 200, body: ctx.shape.gitCommit(ctx.repo, sha) };
  });

  router.post(
    '/repos/:owner/:repo/git/commits',
    { permission: 'contents', docs: `${D}/commits#create-a-commit` },
    (ctx) => {
      ctx.requireRole('write');
      const r = ctx.repo;
      const { message, tree, parents } = ctx.body;
      if (typeof message !== 'string')
        throw ctx.invalid([{ resource: 'Commit', field: 'message', code: 'missing_field' }]);
      if (typeof tree !== 'string') throw ctx.invalid([{ resource: 'Commit', field: 'tree', code: 'missing_field' }]);
      if (!r.git.tree(tree)) throw ctx.error(422, 'Tree SHA does not exist');
      const ps = Array.isArray(parents) ? parents : [];
      for (const p of ps) {
        if (typeof p !== 'string' || !r.git.commit(p))
          throw ctx.error(422, 'Parent SHA does not exist or is not a commit object');
      }
      const committer = signature(ctx, ctx.body.committer);
      const author = ctx.body.author ? signature(ctx, ctx.body.author) : committer;
      const sha = r.git.putCommit({ tree, parents: ps as string[], author, committer, message });
      const body = ctx.shape.gitCommit(r, sha);
      return { status: 201, body, headers: { location: String(body.url) } };
    },
  );

  router.post('/repos/:owner/:repo/git/blobs', { permission: 'contents', docs: `${D}/blobs#create-a-blob` }, (ctx) => {
    ctx.requireRole('write');
    const { content, encoding } = ctx.body;
    if (typeof content !== 'string') throw ctx.error(422, `Invalid request.\n\n"content" wasn't supplied.`);
    if (encoding !== undefined && encoding !== 'utf-8' && encoding !== 'base64') {
      throw ctx.error(422, `encoding must be "utf-8" or "base64"`);
    }
    const data = encoding === 'base64' ? Buffer.from(content, 'base64') : Buffer.from(content, 'utf8');
    const sha = ctx.repo.git.putBlob(data);
    const url = ctx.shape.api(`/repos/${ctx.repo.owner}/${ctx.repo.name}/git/blobs/${sha}`);
    return { status: 201, body: { sha, url }, headers: { location: url } };
  });

  const getBlob = (ctx: Ctx) => {
    const sha = ctx.repo.git.expand(ctx.param('sha'));
    if (!sha || !ctx.repo.git.blob(sha)) throw ctx.notFound();
    if (ctx.media.param === 'raw') return { status: 200, body: ctx.repo.git.blob(sha)!.data };
    return { status: 200, body: ctx.shape.blob(ctx.repo, sha) };
  };
  router.get('/repos/:owner/:repo/git/blobs/:sha', { ...read, docs: `${D}/blobs#get-a-blob` }, getBlob);
  router.get('/repositories/:id/git/blobs/:sha', { ...read, docs: `${D}/blobs#get-a-blob` }, getBlob);

  router.post('/repos/:owner/:repo/git/trees', { permission: 'contents', docs: `${D}/trees#create-a-tree` }, (ctx) => {
    ctx.requireRole('write');
    const r = ctx.repo;
    const { tree, base_tree } = ctx.body;
    if (!Array.isArray(tree)) throw ctx.invalid([{ resource: 'Tree', field: 'tree', code: 'missing_field' }]);
    let base: string | null = null;
    if (typeof base_tree === 'string' && base_tree !== '') {
      const t = r.git.tree(base_tree) ? base_tree : r.git.commit(base_tree)?.tree;
      if (!t) throw ctx.error(422, 'base_tree is not a valid tree oid');
      base = t;
    }
    const changes = new Map<string, FlatFile | null>();
    for (const [i, raw] of tree.entries()) {
      const e = raw as { path?: unknown; mode?: unknown; type?: unknown; sha?: unknown; content?: unknown };
      if (typeof e.path !== 'string' || e.path === '') throw ctx.error(422, `tree.${i}.path is missing`);
      const path = e.path.replace(/^\/+|\/+$/g, '');
      if (typeof e.mode !== 'string' || !MODES.has(e.mode))
        throw ctx.error(422, `tree.${i}.mode must be one of 100644, 100755, 040000, 160000, 120000`);
      if (e.sha === null) {
        changes.set(path, null);
        continue;
      }
      if (e.type === 'tree' || e.mode === '040000') {
        if (typeof e.sha !== 'string' || !r.git.tree(e.sha))
          throw ctx.error(422, `tree.sha ${String(e.sha)} is not a valid tree`);
        for (const [sub, f] of r.git.flatten(e.sha)) changes.set(`${path}/${sub}`, f);
        continue;
      }
      let sha: string;
      if (typeof e.content === 'string') sha = r.git.putBlob(e.content);
      else if (typeof e.sha === 'string' && r.git.blob(e.sha)) sha = e.sha;
      else throw ctx.error(422, `tree.sha ${String(e.sha)} is not a valid blob`);
      changes.set(path, { sha, mode: e.mode as FileMode });
    }
    const sha = r.git.updateTree(base, changes);
    const body = ctx.shape.gitTree(r, sha, false);
    return { status: 201, body, headers: { location: String(body.url) } };
  });

  router.get('/repos/:owner/:repo/git/trees/*sha', { ...read, docs: `${D}/trees#get-a-tree` }, (ctx) => {
    const r = ctx.repo;
    const ref = ctx.param('sha');
    const direct = r.git.expand(ref);
    let tree = direct && r.git.tree(direct) ? direct : undefined;
    if (!tree) {
      const commit = direct && r.git.commit(direct) ? direct : ctx.s.resolveRef(r, ref);
      tree = commit ? r.git.commit(commit)?.tree : undefined;
    }
    if (!tree) throw ctx.notFound();
    // As on GitHub, any value (even 0 or "false") turns recursion on; only omitting it turns it off.
    const recursive = ctx.query.has('recursive');
    return { status: 200, body: ctx.shape.gitTree(r, tree, recursive) };
  });
}
