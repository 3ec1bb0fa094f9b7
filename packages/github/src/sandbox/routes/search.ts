/** /search/*: issues and pull requests, code, repositories and users over the seeded (and written) data. */
import { isBinary } from '../git.ts';
import type { Ctx, Router } from '../http.ts';
import {
  inRange,
  languageOf,
  occurrences,
  type ParsedQuery,
  parseQuery,
  qualifiers,
  type TextMatch,
  textMatch,
} from '../query.ts';
import type { IssueRecord, RepoRecord, UserRecord } from '../state.ts';

const DOCS = {
  issues: 'https://docs.github.com/rest/search/search#search-issues-and-pull-requests',
  code: 'https://docs.github.com/rest/search/search#search-code',
  repos: 'https://docs.github.com/rest/search/search#search-repositories',
  users: 'https://docs.github.com/rest/search/search#search-users',
};

/** GitHub's legacy code search skips files over 384 KB. */
const MAX_INDEXED_BYTES = 384 * 1024;

/** Repositories the caller may see in search results (private ones need the `repo` scope on classic tokens). */
export function visibleRepos(ctx: Ctx): RepoRecord[] {
  const p = ctx.principal;
  return [...ctx.s.repos.values()].filter((r) => {
    if (!ctx.s.role(r, p.login)) return false;
    if (r.private && p.kind === 'classic' && !(p.scopes ?? []).includes('repo')) return false;
    return true;
  });
}

function requireQuery(ctx: Ctx): ParsedQuery {
  const q = ctx.query.get('q');
  if (q === null || q.trim() === '') {
    throw ctx.invalid([{ resource: 'Search', field: 'q', code: 'missing' }]);
  }
  return parseQuery(q);
}

/** Keep repositories matching repo:/org:/user:/owner: qualifiers (any of each kind). */
function scopeRepos(repos: RepoRecord[], p: ParsedQuery): RepoRecord[] {
  const repoQ = qualifiers(p, 'repo')
    .filter((q) => !q.negated)
    .map((q) => q.value.toLowerCase());
  const ownerQ = qualifiers(p, 'org', 'user', 'owner')
    .filter((q) => !q.negated)
    .map((q) => q.value.toLowerCase());
  return repos.filter((r) => {
    const full = `${r.owner}/${r.name}`.toLowerCase();
    if (repoQ.length > 0 && !repoQ.includes(full)) return false;
    if (ownerQ.length > 0 && !ownerQ.includes(r.owner.toLowerCase())) return false;
    return true;
  });
}

function order<T>(
  ctx: Ctx,
  items: Array<{ item: T; score: number }>,
  keys: Record<string, (x: T) => number | string>,
): T[] {
  const sort = ctx.query.get('sort');
  const asc = ctx.query.get('order') === 'asc';
  const key = sort ? keys[sort] : undefined;
  const sorted = [...items].sort((a, b) => {
    if (key) {
      const ka = key(a.item);
      const kb = key(b.item);
      if (ka !== kb) return (ka < kb ? -1 : 1) * (asc ? 1 : -1);
    }
    return b.score - a.score;
  });
  return sorted.map((x) => x.item);
}

function issueMatches(ctx: Ctx, r: RepoRecord, i: IssueRecord, p: ParsedQuery): number | undefined {
  const login = ctx.login.toLowerCase();
  const eq = (a: string | null | undefined, b: string): boolean =>
    (a ?? '').toLowerCase() === (b === '@me' ? login : b.toLowerCase());
  for (const q of p.quals) {
    const v = q.value.toLowerCase();
    let ok = true;
    switch (q.key) {
      case 'repo':
      case 'org':
      case 'user':
      case 'owner':
        continue;
      case 'is':
      case 'type':
      case 'state':
        if (v === 'issue') ok = !i.pull;
        else if (v === 'pr' || v === 'pull-request') ok = !!i.pull;
        else if (v === 'open' || v === 'closed') ok = i.state === v;
        else if (v === 'merged') ok = !!i.pull?.merged;
        else if (v === 'unmerged') ok = !!i.pull && !i.pull.merged && i.state === 'closed';
        else if (v === 'draft') ok = !!i.pull?.draft;
        else if (v === 'locked') ok = i.locked;
        else if (v === 'unlocked') ok = !i.locked;
        else if (v === 'public' || v === 'private') ok = r.private === (v === 'private');
        break;
      case 'label':
        ok = v.split(',').some((l) => i.labels.some((x) => x.toLowerCase() === l.trim()));
        break;
      case 'author':
        ok = eq(i.user, q.value);
        break;
      case 'assignee':
        ok = i.assignees.some((a) => eq(a, q.value));
        break;
      case 'mentions':
        ok = (i.body ?? '').toLowerCase().includes(`@${v === '@me' ? login : v}`);
        break;
      case 'commenter':
        ok = i.comments.some((c) => eq(c.user, q.value));
        break;
      case 'involves':
        ok =
          eq(i.user, q.value) ||
          i.assignees.some((a) => eq(a, q.value)) ||
          i.comments.some((c) => eq(c.user, q.value)) ||
          (i.body ?? '').toLowerCase().includes(`@${v}`);
        break;
      case 'review-requested':
        ok = !!i.pull?.requestedReviewers.some((a) => eq(a, q.value));
        break;
      case 'reviewed-by':
        ok = !!i.pull?.reviews.some((rv) => eq(rv.user, q.value));
        break;
      case 'milestone':
        ok = r.milestones.some((m) => m.number === i.milestone && m.title.toLowerCase() === v);
        break;
      case 'no':
        if (v === 'label') ok = i.labels.length === 0;
        else if (v === 'assignee') ok = i.assignees.length === 0;
        else if (v === 'milestone') ok = i.milestone === null;
        break;
      case 'head':
        ok = i.pull?.headRef.toLowerCase() === v;
        break;
      case 'base':
        ok = i.pull?.baseRef.toLowerCase() === v;
        break;
      case 'created':
        ok = inRange(q.value, i.createdAt);
        break;
      case 'updated':
        ok = inRange(q.value, i.updatedAt);
        break;
      case 'closed':
        ok = inRange(q.value, i.closedAt);
        break;
      case 'merged':
        ok = inRange(q.value, i.pull?.mergedAt ?? null);
        break;
      case 'comments':
        ok = inRange(q.value, i.comments.length);
        break;
      default:
        continue;
    }
    if (ok === q.negated) return undefined;
  }
  if (p.terms.length === 0) return 1;
  const where = qualifiers(p, 'in').map((q) => q.value.toLowerCase());
  const inTitle = where.length === 0 || where.includes('title');
  const inBody = where.length === 0 || where.includes('body');
  const inComments = where.length === 0 || where.includes('comments');
  let score = 0;
  for (const t of p.terms) {
    const n =
      (inTitle ? occurrences(i.title, t) * 2 : 0) +
      (inBody ? occurrences(i.body ?? '', t) : 0) +
      (inComments ? i.comments.reduce((a, c) => a + occurrences(c.body, t), 0) : 0);
    if (n === 0) return undefined;
    score += n;
  }
  return score;
}

function codeQualifiersMatch(p: ParsedQuery, path: string): boolean {
  const name = path.split('/').pop()!;
  const ext = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
  for (const q of p.quals) {
    const v = q.value.toLowerCase();
    let ok = true;
    switch (q.key) {
      case 'path': {
        const pv = v.replace(/^\//, '');
        if (pv.includes('*')) {
          const re = new RegExp(
            `^${pv
              .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
              .replace(/\*\*/g, '\u0000')
              .replace(/\*/g, '[^/]*')
              .replace(/\u0000/g, '.*')}$`,
          );
          ok = re.test(path.toLowerCase());
        } else {
          ok =
            path.toLowerCase().startsWith(pv) ||
            path.toLowerCase().includes(`/${pv}`) ||
            path.toLowerCase().includes(pv);
        }
        break;
      }
      case 'language':
        ok = (languageOf(path) ?? '').toLowerCase() === v;
        break;
      case 'extension':
        ok = ext === v.replace(/^\./, '');
        break;
      case 'filename':
        ok = name.toLowerCase() === v;
        break;
      default:
        continue;
    }
    if (ok === q.negated) return false;
  }
  return true;
}

export function searchRoutes(router: Router): void {
  router.get('/search/issues', { docs: DOCS.issues }, (ctx) => {
    const p = requireQuery(ctx);
    const found: Array<{ item: [RepoRecord, IssueRecord]; score: number }> = [];
    for (const r of scopeRepos(visibleRepos(ctx), p)) {
      for (const i of r.issues.values()) {
        const score = issueMatches(ctx, r, i, p);
        if (score !== undefined) found.push({ item: [r, i], score });
      }
    }
    const items = order(ctx, found, {
      created: ([, i]) => i.createdAt,
      updated: ([, i]) => i.updatedAt,
      comments: ([, i]) => i.comments.length,
      reactions: ([, i]) => Object.values(i.reactions).reduce((a, b) => a + b, 0),
      interactions: ([, i]) => i.comments.length + Object.values(i.reactions).reduce((a, b) => a + b, 0),
    });
    const scores = new Map(found.map((f) => [f.item[1], f.score]));
    return ctx.wrappedList(
      'items',
      items,
      ([r, i]) => {
        const out = ctx.shape.issueSearchItem(r, i, scores.get(i) ?? 1);
        if (ctx.media.textMatch) {
          const matches: TextMatch[] = [];
          const url = ctx.shape.api(`/repos/${r.owner}/${r.name}/issues/${i.number}`);
          for (const [property, text] of [
            ['title', i.title],
            ['body', i.body ?? ''],
          ] as const) {
            const m = textMatch(text, p.terms, { object_url: url, object_type: 'Issue', property });
            if (m) matches.push(m);
          }
          out.text_matches = matches;
        }
        return out;
      },
      {
        incomplete_results: false,
        // The sandbox only searches lexically; asked for semantic or hybrid, it says it fell back.
        search_type: 'lexical',
        ...(['semantic', 'hybrid'].includes(ctx.query.get('search_type') ?? '')
          ? { lexical_fallback_reason: ['service_unavailable'] }
          : {}),
      },
    );
  });

  router.get('/search/code', { docs: DOCS.code }, (ctx) => {
    const p = requireQuery(ctx);
    const inPath = qualifiers(p, 'in').some((q) => q.value.toLowerCase() === 'path');
    const found: Array<{
      item: { r: RepoRecord; path: string; sha: string; commit: string; text: string };
      score: number;
    }> = [];
    for (const r of scopeRepos(visibleRepos(ctx), p)) {
      const head = ctx.s.branchSha(r, r.defaultBranch);
      if (!head) continue;
      for (const [path, f] of r.git.flatten(r.git.commit(head)!.tree)) {
        if (!codeQualifiersMatch(p, path)) continue;
        const blob = r.git.blob(f.sha);
        if (!blob || blob.size > MAX_INDEXED_BYTES || isBinary(blob.data)) continue;
        const data = blob.data;
        const text = data.toString('utf8');
        let score = 0;
        let ok = true;
        for (const t of p.terms) {
          const n = inPath ? occurrences(path, t) : occurrences(text, t) + occurrences(path, t);
          if (n === 0) {
            ok = false;
            break;
          }
          score += n;
        }
        if (ok) found.push({ item: { r, path, sha: f.sha, commit: head, text }, score: Math.max(score, 1) });
      }
    }
    const items = order(ctx, found, {});
    const scores = new Map(found.map((f) => [f.item, f.score]));
    return ctx.wrappedList(
      'items',
      items,
      (it) => {
        const name = it.path.split('/').pop()!;
        const repoApi = ctx.shape.api(`/repositories/${it.r.id}`);
        const out: Record<string, unknown> = {
          name,
          path: it.path,
          sha: it.sha,
          url: `${repoApi}/contents/${it.path}?ref=${it.commit}`,
          git_url: `${repoApi}/git/blobs/${it.sha}`,
          html_url: ctx.shape.web(`/${it.r.owner}/${it.r.name}/blob/${it.commit}/${it.path}`),
          repository: ctx.shape.minimalRepo(it.r),
          score: scores.get(it) ?? 1,
        };
        if (ctx.media.textMatch) {
          const m = textMatch(it.text, p.terms, {
            object_url: out.url as string,
            object_type: 'FileContent',
            property: 'content',
          });
          out.text_matches = m ? [m] : [];
        }
        return out;
      },
      { incomplete_results: false },
    );
  });

  router.get('/search/repositories', { docs: DOCS.repos }, (ctx) => {
    const p = requireQuery(ctx);
    const found: Array<{ item: RepoRecord; score: number }> = [];
    for (const r of scopeRepos(visibleRepos(ctx), p)) {
      let ok = true;
      for (const q of p.quals) {
        const v = q.value.toLowerCase();
        let m = true;
        switch (q.key) {
          case 'is':
            m = v === 'private' ? r.private : v === 'public' ? !r.private : true;
            break;
          case 'language':
            m = (r.language ?? '').toLowerCase() === v;
            break;
          case 'topic':
            m = r.topics.includes(v);
            break;
          case 'stars':
            m = inRange(q.value, r.stargazers);
            break;
          case 'forks':
            m = inRange(q.value, r.forks);
            break;
          case 'archived':
            m = r.archived === (v === 'true');
            break;
          case 'fork':
            m = v !== 'only';
            break;
          default:
            continue;
        }
        if (m === q.negated) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      const where = qualifiers(p, 'in').map((q) => q.value.toLowerCase());
      let score = 1;
      for (const t of p.terms) {
        const n =
          (where.length === 0 || where.includes('name') ? occurrences(r.name, t) * 3 : 0) +
          (where.length === 0 || where.includes('description') ? occurrences(r.description ?? '', t) : 0) +
          (where.length === 0 || where.includes('topics') ? r.topics.filter((x) => x.includes(t)).length : 0);
        if (n === 0) {
          ok = false;
          break;
        }
        score += n;
      }
      if (ok) found.push({ item: r, score });
    }
    const items = order(ctx, found, {
      stars: (r) => r.stargazers,
      forks: (r) => r.forks,
      'help-wanted-issues': (r) => [...r.issues.values()].filter((i) => i.labels.includes('help wanted')).length,
      updated: (r) => r.updatedAt,
    });
    const scores = new Map(found.map((f) => [f.item, f.score]));
    return ctx.wrappedList('items', items, (r) => ctx.shape.repoSearchItem(r, scores.get(r) ?? 1), {
      incomplete_results: false,
    });
  });

  router.get('/search/users', { docs: DOCS.users }, (ctx) => {
    const p = requireQuery(ctx);
    const where = qualifiers(p, 'in').map((q) => q.value.toLowerCase());
    const found: Array<{ item: UserRecord; score: number }> = [];
    for (const u of ctx.s.users.values()) {
      if (u.login === 'ghost' || u.login === 'web-flow') continue;
      let ok = true;
      for (const q of p.quals) {
        const v = q.value.toLowerCase();
        let m = true;
        switch (q.key) {
          case 'type':
            m = v === 'org' ? u.type === 'Organization' : u.type === 'User' || u.type === 'Bot';
            break;
          case 'location':
            m = (u.location ?? '').toLowerCase().includes(v);
            break;
          case 'followers':
            m = inRange(q.value, u.followers);
            break;
          case 'user':
          case 'org':
            m = u.login.toLowerCase() === v;
            break;
          default:
            continue;
        }
        if (m === q.negated) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      let score = 1;
      for (const t of p.terms) {
        const n =
          (where.length === 0 || where.includes('login') ? occurrences(u.login, t) * 2 : 0) +
          (where.length === 0 || where.includes('name') ? occurrences(u.name ?? '', t) : 0) +
          (where.includes('email') ? occurrences(u.email ?? '', t) : 0);
        if (n === 0) {
          ok = false;
          break;
        }
        score += n;
      }
      if (ok) found.push({ item: u, score });
    }
    const items = order(ctx, found, {
      followers: (u) => u.followers,
      joined: (u) => u.createdAt,
      repositories: (u) => [...ctx.s.repos.values()].filter((r) => r.owner === u.login).length,
    });
    const scores = new Map(found.map((f) => [f.item, f.score]));
    return ctx.wrappedList(
      'items',
      items,
      (u) => {
        const { user_view_type, ...rest } = ctx.shape.user(u.login);
        return { ...rest, user_view_type, score: scores.get(u) ?? 1 };
      },
      { incomplete_results: false },
    );
  });
}
