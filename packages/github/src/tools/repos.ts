/** Repositories: metadata, files, branches and tags, commits, releases, and commits made through the API. */
import type { Octokit } from '@octokit/rest';
import type { Toolset } from '@switchboard-mcp/core';
import { SwitchboardError, toolsFor } from '@switchboard-mcp/core';
import { z } from 'zod';
import { fitDiff, listSome, patchFiles } from '../diff.ts';
import { explainFailure } from '../errors.ts';
import {
  authored,
  day,
  fileChangeLine,
  more,
  moreResults,
  nextCursor,
  oneLine,
  pageFromCursor,
  positiveInt,
  repoResource,
  searchPaging,
  searchResources,
  short,
  who,
} from '../render.ts';

const tool = toolsFor<Octokit>();

const owner = z.string();
const repo = z.string();
const cursor = z.string().optional();
const limit = (n: number) => z.number().int().min(1).max(100).default(n);
const WRITE_SCOPES = ['repo', 'public_repo'];

/** Lines of a file shown when no end_line is given, and the most one call returns. */
const DEFAULT_FILE_LINES = 300;
const MAX_FILE_LINES = 2000;
/** Character cap on file text in one result (minified files have few, very long lines). */
const MAX_FILE_CHARS = 60_000;
/** Larger blobs are not fetched at all: the agent gets size and sha. */
const MAX_FETCH_BYTES = 10 * 1024 * 1024;
const MAX_RELEASE_NOTES_CHARS = 6000;

/** Resolve a branch, tag or (short) sha to the full commit sha, in one cheap request. */
async function commitSha(client: Octokit, o: string, r: string, ref: string, signal: AbortSignal): Promise<string> {
  const res = await client.rest.repos.getCommit({
    owner: o,
    repo: r,
    ref,
    mediaType: { format: 'sha' },
    request: { signal },
  });
  // The sha media type answers with the bare sha; tolerate a JSON commit from servers that ignore it.
  const data = res.data as unknown;
  return typeof data === 'string' ? data.trim() : (data as { sha: string }).sha;
}

// --- repositories ----------------------------------------------------------------------------------------------

type Repo = {
  full_name: string;
  description?: string | null;
  stargazers_count?: number;
  language?: string | null;
  pushed_at?: string | null;
  archived?: boolean;
  fork?: boolean;
  private?: boolean;
};

function repoFlags(r: Repo): string {
  return [r.private && 'private', r.fork && 'fork', r.archived && 'archived'].filter(Boolean).join(', ');
}

export const searchRepositories = tool({
  name: 'search_repositories',
  title: 'Search repositories',
  description: 'Search repositories (GitHub search syntax)',
  access: 'read',
  resource: (input) => searchResources(input.query),
  input: z.object({
    query: z.string(),
    sort: z.enum(['stars', 'forks', 'updated']).optional(),
    cursor,
    limit: limit(20),
  }),
  run: async ({ client, input, signal }) =>
    client.rest.search.repos({
      q: input.query,
      sort: input.sort,
      ...searchPaging(input),
      request: { signal },
    }),
  render: (res, input) => {
    const lines = res.data.items.map((r) => {
      const parts = [`${r.full_name} ★${r.stargazers_count}`];
      if (r.language) parts.push(r.language);
      const desc = oneLine(r.description, 120);
      if (desc) parts.push(desc);
      parts.push(`pushed ${day(r.pushed_at)}`);
      const flags = repoFlags(r);
      if (flags) parts.push(flags);
      return parts.join(' · ');
    });
    lines.push(moreResults(res, input));
    return lines.join('\n');
  },
});

export const getRepository = tool({
  name: 'get_repository',
  title: 'Get repository',
  description: 'Repository details',
  access: 'read',
  // Rarely changes within a conversation; cached briefly per credential.
  cacheTtlMs: 60_000,
  resource: repoResource,
  input: z.object({ owner, repo }),
  run: async ({ client, input, signal }) =>
    (await client.rest.repos.get({ owner: input.owner, repo: input.repo, request: { signal } })).data,
  render: (r) => {
    const lines = [`${r.full_name} · ${r.visibility ?? (r.private ? 'private' : 'public')} · ${r.html_url}`];
    const desc = oneLine(r.description, 300);
    if (desc) lines.push(desc);
    lines.push(
      [
        `default branch ${r.default_branch}`,
        `★${r.stargazers_count}`,
        `forks ${r.forks_count}`,
        `open issues+PRs ${r.open_issues_count}`,
        r.language,
        r.license?.spdx_id && `license ${r.license.spdx_id}`,
      ]
        .filter(Boolean)
        .join(' · '),
    );
    const dates = [`created ${day(r.created_at)}`, `pushed ${day(r.pushed_at)}`];
    const flags = [r.archived && 'archived', r.is_template && 'template', r.fork && `fork of ${r.parent?.full_name}`];
    lines.push([...dates, ...flags].filter(Boolean).join(' · '));
    if (r.topics?.length) lines.push(`topics: ${r.topics.join(', ')}`);
    if (r.homepage) lines.push(`homepage: ${oneLine(r.homepage, 200)}`);
    return lines.join('\n');
  },
});

// --- files -----------------------------------------------------------------------------------------------------

type Entry = { name: string; type: string; size: number };
type FileResult =
  | { kind: 'dir'; path: string; entries: Entry[] }
  | { kind: 'file'; path: string; sha: string; size: number; text?: string; binary?: boolean; tooLarge?: boolean }
  | { kind: 'symlink'; path: string; sha: string; target: string }
  | { kind: 'submodule'; path: string; sha: string; url: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text, or undefined for binary content (a NUL byte early on, as git decides, or invalid UTF-8). */
function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.subarray(0, 8000).includes(0)) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

export const getFileContents = tool({
  name: 'get_file_contents',
  title: 'Get file or directory',
  description: `File with line numbers and blob sha (first ${DEFAULT_FILE_LINES} lines unless a range is given), or directory listing`,
  access: 'read',
  resource: repoResource,
  input: z.object({
    owner,
    repo,
    path: z.string().optional(),
    ref: z.string().optional(),
    start_line: positiveInt().optional(),
    end_line: positiveInt().optional(),
  }),
  run: async ({ client, input, signal }): Promise<FileResult> => {
    if (input.start_line && input.end_line && input.end_line < input.start_line) {
      throw new SwitchboardError('invalid', 'end_line is before start_line');
    }
    const path = (input.path ?? '').replace(/^\/+|\/+$/g, '');
    const { data } = await client.rest.repos.getContent({
      owner: input.owner,
      repo: input.repo,
      path,
      ref: input.ref,
      request: { signal },
    });
    if (Array.isArray(data)) {
      return { kind: 'dir', path, entries: data.map((e) => ({ name: e.name, type: e.type, size: e.size })) };
    }
    if (data.type === 'symlink' && 'target' in data) {
      return { kind: 'symlink', path: data.path, sha: data.sha, target: String(data.target) };
    }
    if (data.type === 'submodule' && 'submodule_git_url' in data) {
      return { kind: 'submodule', path: data.path, sha: data.sha, url: String(data.submodule_git_url) };
    }
    const file = data as { path: string; sha: string; size: number; content?: string; encoding?: string };
    const base = { kind: 'file' as const, path: file.path, sha: file.sha, size: file.size };
    let content = file.content ?? '';
    // Files over 1 MB come without content (encoding "none"); the blob API serves them up to 100 MB.
    if (file.size > 0 && (!content || file.encoding === 'none')) {
      if (file.size > MAX_FETCH_BYTES) return { ...base, tooLarge: true };
      const blob = await client.rest.git.getBlob({
        owner: input.owner,
        repo: input.repo,
        file_sha: file.sha,
        request: { signal },
      });
      content = blob.data.content;
    }
    const text = decodeText(Buffer.from(content, 'base64'));
    return text === undefined ? { ...base, binary: true } : { ...base, text };
  },
  render: (result, input) => {
    const at = input.ref ? ` @ ${input.ref}` : '';
    const where = `${input.owner}/${input.repo}:${result.path || '/'}${at}`;
    switch (result.kind) {
      case 'dir':
        return renderDir(where, result.entries);
      case 'symlink':
        return `${where} · symlink → ${oneLine(result.target)} · sha ${result.sha}`;
      case 'submodule':
        return `${where} · submodule ${oneLine(result.url)} at commit ${result.sha}`;
      case 'file':
        return renderFile(where, result, input);
    }
  },
});

function renderDir(where: string, entries: Entry[]): string {
  const rank = (e: Entry) => (e.type === 'dir' ? 0 : 1);
  const sorted = [...entries].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  const lines = [`${where} · ${entries.length} entries (dirs end in /, files show bytes)`];
  for (const e of sorted) {
    const name = oneLine(e.name);
    if (e.type === 'dir') lines.push(`${name}/`);
    else if (e.type === 'file') lines.push(`${name} ${e.size}`);
    else lines.push(`${name} (${e.type})`);
  }
  return lines.join('\n');
}

function renderFile(
  where: string,
  file: Extract<FileResult, { kind: 'file' }>,
  input: { start_line?: number; end_line?: number },
): string {
  const head = `${where} · ${file.size} bytes · sha ${file.sha}`;
  if (file.tooLarge) return `${head} · too large to show (over ${MAX_FETCH_BYTES} bytes); clone the repository instead`;
  if (file.binary) return `${head} · binary, content not shown`;
  const text = file.text ?? '';
  if (!text) return `${head} · empty`;
  const all = text.split('\n');
  if (all.at(-1) === '') all.pop();
  const total = all.length;
  const start = input.start_line ?? 1;
  if (start > total) return `${head} · ${total} lines; start_line ${start} is past the end`;
  const wanted = Math.min(input.end_line ?? start + DEFAULT_FILE_LINES - 1, start + MAX_FILE_LINES - 1, total);
  const shown: string[] = [];
  let chars = 0;
  let end = start - 1;
  for (let n = start; n <= wanted; n++) {
    let line = (all[n - 1] ?? '').replace(/\r$/, '');
    const room = MAX_FILE_CHARS - chars;
    if (line.length > room) {
      if (shown.length) break;
      line = `${line.slice(0, room)}… (line cut at ${room} of ${line.length} chars)`;
    }
    shown.push(`${n}\t${line}`);
    chars += line.length + 1;
    end = n;
  }
  const out = [`${head} · lines ${start}-${end} of ${total}`, authored(shown.join('\n'), where)];
  if (end < total && (input.end_line === undefined || end < input.end_line)) {
    out.push(`(lines ${end + 1}-${total} not shown; continue with start_line=${end + 1})`);
  }
  return out.join('\n');
}

/*
 * create_or_update_file is 'write', not 'destructive': an update must carry the blob sha the agent last read,
 * which GitHub checks (a stale sha is refused), so it cannot clobber content it has not seen; and the previous
 * version stays in the branch history. Deleting files or force-moving refs would be destructive; nothing here does.
 */
export const createOrUpdateFile = tool({
  name: 'create_or_update_file',
  title: 'Create or update file',
  description: 'Commit one file; updates need the current blob sha from get_file_contents',
  access: 'write',
  idempotent: false,
  scopes: WRITE_SCOPES,
  resource: repoResource,
  input: z.object({
    owner,
    repo,
    path: z.string(),
    content: z.string(),
    message: z.string(),
    branch: z.string().optional(),
    sha: z.string().optional(),
  }),
  run: async ({ client, input, signal }) => {
    const write = client.rest.repos.createOrUpdateFileContents({
      owner: input.owner,
      repo: input.repo,
      path: input.path.replace(/^\/+/, ''),
      message: input.message,
      content: Buffer.from(input.content, 'utf8').toString('base64'),
      branch: input.branch,
      sha: input.sha,
      request: { signal },
    });
    const res = await explainFailure(write, ({ status, message }) => {
      const file = `${input.path}${input.branch ? ` on ${input.branch}` : ''}`;
      // GitHub: 422 `"sha" wasn't supplied` when the file exists; 409 when the sha is not the current one.
      if (!input.sha && status === 422 && /\bsha\b/i.test(message)) {
        return {
          kind: 'conflict',
          message: `${file} already exists, so updating it needs its sha`,
          hint: 'Call get_file_contents for this path and ref, then retry with sha set to the blob sha it shows.',
        };
      }
      if (input.sha && status === 409) {
        return {
          kind: 'conflict',
          message: `${file} changed since sha ${short(input.sha)} was read`,
          hint: 'Call get_file_contents again, re-apply the change to the current content, and retry with the new sha.',
        };
      }
      return undefined;
    });
    return res.data;
  },
  render: (data, input) => {
    const verb = input.sha ? 'Updated' : 'Created';
    const ref = input.branch ? ` on ${input.branch}` : '';
    return `${verb} ${data.content?.path ?? input.path}${ref}: commit ${data.commit.sha} · new blob sha ${data.content?.sha} · ${data.content?.html_url ?? data.commit.html_url}`;
  },
});

export const pushFiles = tool({
  name: 'push_files',
  title: 'Push files',
  description: 'Commit several text files to a branch in one commit',
  access: 'write',
  scopes: WRITE_SCOPES,
  resource: repoResource,
  input: z.object({
    owner,
    repo,
    branch: z.string(),
    message: z.string(),
    files: z
      .array(z.object({ path: z.string(), content: z.string() }))
      .min(1)
      .max(100),
  }),
  run: async ({ client, input, signal }) => {
    const request = { signal };
    const where = { owner: input.owner, repo: input.repo };
    const ref = `heads/${input.branch}`;
    const head = (await client.rest.git.getRef({ ...where, ref, request })).data.object.sha;
    const parent = (await client.rest.git.getCommit({ ...where, commit_sha: head, request })).data;
    // Serially, as GitHub asks of content-creating requests (its secondary rate limits punish concurrency).
    const tree: { path: string; mode: '100644'; type: 'blob'; sha: string }[] = [];
    for (const file of input.files) {
      const blob = await client.rest.git.createBlob({ ...where, content: file.content, encoding: 'utf-8', request });
      tree.push({ path: file.path.replace(/^\/+/, ''), mode: '100644', type: 'blob', sha: blob.data.sha });
    }
    const newTree = await client.rest.git.createTree({ ...where, base_tree: parent.tree.sha, tree, request });
    const commit = await client.rest.git.createCommit({
      ...where,
      message: input.message,
      tree: newTree.data.sha,
      parents: [head],
      request,
    });
    // GitHub refuses a ref update that is not a fast-forward with 422 (409 on some versions).
    await explainFailure(
      client.rest.git.updateRef({ ...where, ref, sha: commit.data.sha, force: false, request }),
      ({ status, message }) =>
        status === 409 || (status === 422 && /fast.forward/i.test(message))
          ? {
              kind: 'conflict',
              message: `${input.branch} moved while the commit was being made`,
              hint: 'Nothing was pushed. Re-read the changed files if they overlap yours, then call push_files again.',
            }
          : undefined,
    );
    return { sha: commit.data.sha, parent: head, url: commit.data.html_url };
  },
  render: (res, input) =>
    `Pushed ${input.files.length} file(s) to ${input.branch}: commit ${res.sha} (parent ${short(res.parent)}) · ${res.url}`,
});

// --- branches, tags, commits, releases --------------------------------------------------------------------------

export const createBranch = tool({
  name: 'create_branch',
  title: 'Create branch',
  description: 'Create a branch from a branch, tag or sha (default: the default branch)',
  access: 'write',
  scopes: WRITE_SCOPES,
  resource: repoResource,
  input: z.object({ owner, repo, branch: z.string(), from: z.string().optional() }),
  run: async ({ client, input, signal }) => {
    const where = { owner: input.owner, repo: input.repo };
    const meta = (await client.rest.repos.get({ ...where, request: { signal } })).data;
    const from = input.from ?? meta.default_branch;
    const sha = await commitSha(client, input.owner, input.repo, from, signal);
    await client.rest.git.createRef({ ...where, ref: `refs/heads/${input.branch}`, sha, request: { signal } });
    return { from, sha, url: `${meta.html_url}/tree/${input.branch.split('/').map(encodeURIComponent).join('/')}` };
  },
  render: (res, input) => `Created branch ${input.branch} from ${res.from} at ${short(res.sha)} · ${res.url}`,
});

export const listCommits = tool({
  name: 'list_commits',
  title: 'List commits',
  description: 'Commits, newest first',
  access: 'read',
  resource: repoResource,
  input: z.object({
    owner,
    repo,
    sha: z.string().optional().describe('Branch, tag or sha'),
    path: z.string().optional(),
    author: z.string().optional(),
    since: z.string().optional(),
    until: z.string().optional(),
    cursor,
    limit: limit(20),
  }),
  run: async ({ client, input, signal }) =>
    client.rest.repos.listCommits({
      owner: input.owner,
      repo: input.repo,
      sha: input.sha,
      path: input.path,
      author: input.author,
      since: input.since,
      until: input.until,
      per_page: input.limit,
      page: pageFromCursor(input.cursor),
      request: { signal },
    }),
  render: (res, input) => {
    const lines = res.data.map((c) => {
      const by = c.author?.login ? `@${c.author.login}` : oneLine(c.commit.author?.name, 60);
      const subject = oneLine(c.commit.message.split('\n', 1)[0], 120);
      return `${short(c.sha)} ${day(c.commit.author?.date)} ${by} ${subject}`;
    });
    const shown = (pageFromCursor(input.cursor) - 1) * input.limit + res.data.length;
    lines.push(more(nextCursor(res.headers.link), shown));
    return lines.join('\n');
  },
});

export const getCommit = tool({
  name: 'get_commit',
  title: 'Get commit',
  description: 'Commit message, stats, changed files and diff',
  access: 'read',
  resource: repoResource,
  input: z.object({
    owner,
    repo,
    sha: z.string(),
    max_lines: z.number().int().min(0).max(5000).default(300).describe('Diff lines to show'),
  }),
  run: async ({ client, input, signal }) => {
    // An empty ref would turn GET /repos/{o}/{r}/commits/{ref} into the commit list.
    if (!input.sha.trim()) {
      throw new SwitchboardError('invalid', 'sha: empty; name a commit sha, branch or tag', {
        hint: 'list_commits lists commits.',
      });
    }
    return (
      await client.rest.repos.getCommit({ owner: input.owner, repo: input.repo, ref: input.sha, request: { signal } })
    ).data;
  },
  render: (c, input) => {
    const author = c.author?.login ? who(c.author) : oneLine(c.commit.author?.name, 60);
    const files = c.files ?? [];
    const lines = [
      `commit ${c.sha} by ${author} on ${day(c.commit.author?.date)} · ${c.html_url}`,
      `parents ${c.parents.map((p) => short(p.sha)).join(' ') || '(none)'} · +${c.stats?.additions ?? 0} -${c.stats?.deletions ?? 0} in ${files.length} file(s)`,
      authored(c.commit.message, 'commit message'),
    ];
    lines.push(...files.map(fileChangeLine));
    if (input.max_lines > 0 && files.length) lines.push(...renderDiff(files, input.max_lines, c.sha));
    return lines.filter(Boolean).join('\n');
  },
});

/** The commit's patches within max_lines, shared fairly between files (as PR diffs are). */
function renderDiff(files: { filename: string; patch?: string }[], max: number, sha: string): string[] {
  const fitted = fitDiff(patchFiles(files), max);
  const out = [authored(fitted.text, 'diff')];
  if (fitted.shown < fitted.total) {
    const what = [
      `${fitted.shown} of ${fitted.total} lines shown`,
      fitted.cut.length && `cut (lines shown of total): ${listSome(fitted.cut)}`,
      fitted.omitted.length && `omitted (lines): ${listSome(fitted.omitted)}`,
    ];
    out.push(
      `(diff cut at max_lines=${max}: ${what.filter(Boolean).join('; ')}; raise max_lines or read files with get_file_contents ref=${short(sha)})`,
    );
  }
  return out;
}

type Ref = { name: string; sha: string; protected: boolean };
type RefsResult =
  | { kind: 'refs'; items: Ref[]; next?: string }
  | { kind: 'releases'; items: Release[]; next?: string }
  | { kind: 'latest'; release: Release & { body?: string | null } };

/** Branches, tags and releases share one tool: the same repo-scoped "what versions exist" question. */
export const listRefs = tool({
  name: 'list_refs',
  title: 'List branches, tags or releases',
  description: 'Branches, tags or releases; latest_release gives the latest release with notes',
  access: 'read',
  resource: repoResource,
  input: z.object({
    owner,
    repo,
    type: z.enum(['branch', 'tag', 'release', 'latest_release']).default('branch'),
    cursor,
    limit: limit(30),
  }),
  run: async ({ client, input, signal }): Promise<RefsResult> => {
    const where = { owner: input.owner, repo: input.repo, request: { signal } };
    if (input.type === 'latest_release') {
      return { kind: 'latest', release: (await client.rest.repos.getLatestRelease(where)).data };
    }
    const params = { ...where, per_page: input.limit, page: pageFromCursor(input.cursor) };
    if (input.type === 'release') {
      const res = await client.rest.repos.listReleases(params);
      return { kind: 'releases', items: res.data, next: nextCursor(res.headers.link) };
    }
    const res =
      input.type === 'tag' ? await client.rest.repos.listTags(params) : await client.rest.repos.listBranches(params);
    const items = res.data.map((r) => ({
      name: r.name,
      sha: r.commit.sha,
      protected: 'protected' in r && r.protected === true,
    }));
    return { kind: 'refs', items, next: nextCursor(res.headers.link) };
  },
  render: (res, input) => {
    if (res.kind === 'latest') return renderLatestRelease(res.release);
    const lines =
      res.kind === 'releases'
        ? res.items.map(releaseLine)
        : res.items.map((r) => `${oneLine(r.name)} ${short(r.sha)}${r.protected ? ' (protected)' : ''}`);
    lines.push(more(res.next, (pageFromCursor(input.cursor) - 1) * input.limit + res.items.length));
    return lines.join('\n');
  },
});

function renderLatestRelease(r: Release & { body?: string | null }): string {
  let notes = r.body ?? '';
  const cut = notes.length > MAX_RELEASE_NOTES_CHARS;
  if (cut) notes = notes.slice(0, MAX_RELEASE_NOTES_CHARS);
  return [
    releaseLine(r),
    authored(notes, `release notes by ${who(r.author)}`),
    cut ? `(notes cut at ${MAX_RELEASE_NOTES_CHARS} chars; full notes at ${r.html_url})` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

type Release = {
  tag_name: string;
  name?: string | null;
  draft: boolean;
  prerelease: boolean;
  published_at?: string | null;
  created_at: string;
  author?: { login?: string } | null;
  html_url: string;
};

function releaseLine(r: Release): string {
  const name = oneLine(r.name, 120);
  const flags = [r.draft && 'draft', r.prerelease && 'prerelease'].filter(Boolean).join(', ');
  return [
    `${oneLine(r.tag_name)}${name && name !== r.tag_name ? ` "${name}"` : ''}`,
    day(r.published_at ?? r.created_at),
    who(r.author),
    flags,
    r.html_url,
  ]
    .filter(Boolean)
    .join(' · ');
}

export const repos: Toolset = {
  description: 'Repositories, files, branches, commits and releases',
  tools: [
    searchRepositories,
    getRepository,
    getFileContents,
    listRefs,
    listCommits,
    getCommit,
    createBranch,
    createOrUpdateFile,
    pushFiles,
  ],
};
