/**
 * The GitHub sandbox, driven by the real @octokit/rest v22 client: one representative call per area, GitHub's
 * cross-cutting behaviours (pagination, auth, rate limits, scopes, GHES base path), writes followed by reads,
 * and response bodies validated against GitHub's official OpenAPI description.
 */
import { createRequire } from 'node:module';
import { Octokit } from '@octokit/rest';
import { loadApiDescription } from '@switchboard-mcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitStore } from '../src/sandbox/git.ts';
import {
  DEFAULT_TOKEN,
  type GithubSandbox,
  type GithubSandboxOptions,
  startGithubSandbox,
} from '../src/sandbox/index.ts';
import { seed } from '../src/sandbox/seed.ts';
import { BIG_DATASET_FILE, FIXTURES_FILE } from '../src/sandbox/seed-files.ts';

const W = { owner: 'acme', repo: 'widgets' };
const P = { owner: 'acme', repo: 'sandbox-playground' };

interface HttpFailure {
  status: number;
  response: { data: Record<string, unknown> & { message: string }; headers: Record<string, string | undefined> };
}

/** The RequestError a call fails with (fails the test if it succeeds). */
async function failure(p: Promise<unknown>): Promise<HttpFailure> {
  try {
    await p;
  } catch (e) {
    return e as HttpFailure;
  }
  throw new Error('expected the request to fail');
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function client(sb: GithubSandbox, token = sb.token): Octokit {
  return new Octokit({ auth: token, baseUrl: sb.url, log: quiet });
}

async function withSandbox<T>(opts: GithubSandboxOptions, fn: (sb: GithubSandbox) => Promise<T>): Promise<T> {
  const sb = await startGithubSandbox(opts);
  try {
    return await fn(sb);
  } finally {
    await sb.close();
  }
}

describe('seed', () => {
  it('is deterministic: two worlds have identical histories', () => {
    const a = seed().getRepo('acme/widgets');
    const b = seed().getRepo('acme/widgets');
    expect([...a.refs]).toEqual([...b.refs]);
    expect([...a.issues.keys()]).toEqual([...b.issues.keys()]);
    expect(a.issues.get(33)!.pull!.reviewComments.map((c) => c.id)).toEqual(
      b.issues.get(33)!.pull!.reviewComments.map((c) => c.id),
    );
  });

  it('declares the right SHA and size for its lazily generated files', () => {
    for (const f of [BIG_DATASET_FILE, FIXTURES_FILE]) {
      const data = f.make();
      expect({ sha: new GitStore().putBlob(data), size: data.length }).toEqual({ sha: f.sha, size: f.size });
    }
  });

  it('hashes objects exactly like git', () => {
    const git = new GitStore();
    expect(git.putBlob('hello\n')).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    expect(git.putTree([])).toBe('4b825dc642cb6eb9a060e54bf8d69288fbee4904');
    // Incremental tree updates and building from scratch agree.
    const repo = seed().getRepo('acme/widgets');
    const tree = repo.git.commit(repo.refs.get('refs/heads/main')!)!.tree;
    expect(repo.git.buildTree(repo.git.flatten(tree))).toBe(tree);
  });

  it('has the promised shape', () => {
    const s = seed();
    const w = s.getRepo('acme/widgets');
    const issues = [...w.issues.values()];
    expect(issues.filter((i) => !i.pull).length).toBeGreaterThanOrEqual(35);
    expect(issues.filter((i) => i.pull).length).toBe(8);
    expect(w.git.log(w.refs.get('refs/heads/main')!).length).toBeGreaterThanOrEqual(40);
    expect(w.workflows).toHaveLength(3);
    expect(w.runs.length).toBeGreaterThanOrEqual(10);
    expect(s.getRepo('acme/private-infra').private).toBe(true);
    const pulls = [...s.pulls.values()].filter((p) => p.repo === 'acme/widgets');
    expect(pulls.some((p) => p.state === 'open' && p.mergeable === true && !p.draft)).toBe(true);
    expect(pulls.some((p) => p.state === 'open' && p.mergeable === false)).toBe(true);
    expect(pulls.some((p) => p.merged)).toBe(true);
    expect(pulls.some((p) => p.state === 'closed' && !p.merged)).toBe(true);
    // The outside contributor is not a collaborator.
    expect(s.role(w, 'drive-by-dev')).toBe('read');
    expect(w.collaborators.has('drive-by-dev')).toBe(false);
  });
});

describe('reading through octokit', () => {
  let sb: GithubSandbox;
  let gh: Octokit;
  beforeAll(async () => {
    sb = await startGithubSandbox();
    gh = client(sb);
  });
  afterAll(() => sb.close());

  it('users: the token owner and other accounts', async () => {
    const me = await gh.rest.users.getAuthenticated();
    expect(me.data.login).toBe('octocat');
    expect(me.data.avatar_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const other = await gh.rest.users.getByUsername({ username: 'drive-by-dev' });
    expect(other.data.type).toBe('User');
    expect((await failure(gh.rest.users.getByUsername({ username: 'nobody-here' }))).status).toBe(404);
  });

  it('repository and contents: files, directories, raw bytes and the 1 MB limit', async () => {
    const repo = await gh.rest.repos.get(W);
    expect(repo.data).toMatchObject({ full_name: 'acme/widgets', default_branch: 'main', private: false });
    expect(repo.data.permissions?.admin).toBe(true);

    const file = await gh.rest.repos.getContent({ ...W, path: 'src/index.ts' });
    const f = file.data as { type: string; encoding: string; content: string; sha: string; size: number };
    expect(f.type).toBe('file');
    const text = Buffer.from(f.content, 'base64').toString('utf8');
    expect(text.split('\n').length).toBeGreaterThanOrEqual(190);
    expect(f.size).toBe(Buffer.byteLength(text));

    const dir = await gh.rest.repos.getContent({ ...W, path: 'src' });
    expect((dir.data as Array<{ name: string; type: string }>).map((e) => `${e.type}:${e.name}`)).toEqual(
      expect.arrayContaining(['file:index.ts', 'dir:utils']),
    );

    const raw = await gh.rest.repos.getContent({ ...W, path: 'README.md', mediaType: { format: 'raw' } });
    expect(String(raw.data)).toMatch(/^# @acme\/widgets/);
    const readme = await gh.rest.repos.getContent({ ...W, path: 'README.md' });
    const download = await fetch((readme.data as { download_url: string }).download_url);
    expect(await download.text()).toBe(String(raw.data));

    const old = await gh.rest.repos.getContent({ ...W, path: 'package.json', ref: 'v0.1.0' });
    expect(Buffer.from((old.data as { content: string }).content, 'base64').toString()).toContain('"version": "0.1.0"');

    const big = await gh.rest.repos.getContent({ ...W, path: 'data/big-dataset.csv' });
    expect(big.data).toMatchObject({ encoding: 'none', content: '' });
    expect((big.data as { size: number }).size).toBeGreaterThan(1024 * 1024);

    expect((await failure(gh.rest.repos.getContent({ ...W, path: 'nope.txt' }))).status).toBe(404);
  });

  it('commits: history filters, files with patches, and the diff media type', async () => {
    const list = await gh.rest.repos.listCommits({ ...W, path: 'src/utils/format.ts', per_page: 100 });
    expect(list.data.length).toBeGreaterThanOrEqual(4);
    expect(list.data.every((c) => c.parents.length >= 1 || c.commit.message === 'Initial commit')).toBe(true);
    const byHubot = await gh.rest.repos.listCommits({ ...W, author: 'hubot', per_page: 100 });
    expect(byHubot.data.every((c) => c.author?.login === 'hubot')).toBe(true);

    const one = await gh.rest.repos.getCommit({ ...W, ref: list.data[0]!.sha });
    expect(one.data.files?.[0]?.filename).toBe('src/utils/format.ts');
    expect(one.data.files?.[0]?.patch).toMatch(/^@@ -\d+/);
    expect(one.data.stats?.total).toBeGreaterThan(0);

    const diff = await gh.rest.repos.getCommit({ ...W, ref: list.data[0]!.sha, mediaType: { format: 'diff' } });
    expect(String(diff.data)).toMatch(
      /^diff --git a\/src\/utils\/format\.ts b\/src\/utils\/format\.ts\nindex [0-9a-f]{7}\.\.[0-9a-f]{7} 100644\n--- a\//,
    );
  });

  it('branches, tags and releases', async () => {
    const branches = await gh.rest.repos.listBranches(W);
    expect(branches.data.map((b) => b.name)).toEqual(
      expect.arrayContaining(['main', 'feature/plugin-api', 'fix/format-locale']),
    );
    expect(branches.data.find((b) => b.name === 'main')?.protected).toBe(true);
    const tags = await gh.rest.repos.listTags(W);
    expect(tags.data.map((t) => t.name)).toContain('v1.0.0');
    const releases = await gh.rest.repos.listReleases(W);
    expect(releases.data.some((r) => r.draft)).toBe(true);
    const latest = await gh.rest.repos.getLatestRelease(W);
    expect(latest.data).toMatchObject({ tag_name: 'v1.1.0', prerelease: false, draft: false });
  });

  it('issues: filters, pull requests in the list, associations and untrusted text', async () => {
    const open = await gh.paginate(gh.rest.issues.listForRepo, { ...W, per_page: 100 });
    expect(open.every((i) => i.state === 'open')).toBe(true);
    expect(open.some((i) => i.pull_request)).toBe(true);
    const bugs = await gh.rest.issues.listForRepo({ ...W, labels: 'bug,priority:high', state: 'all' });
    expect(bugs.data.length).toBeGreaterThan(0);
    expect(bugs.data.every((i) => i.labels.some((l) => typeof l === 'object' && l.name === 'priority:high'))).toBe(
      true,
    );

    const all = await gh.paginate(gh.rest.issues.listForRepo, { ...W, state: 'all', per_page: 100 });
    const associations = new Set(all.map((i) => i.author_association));
    for (const a of ['MEMBER', 'COLLABORATOR', 'CONTRIBUTOR', 'NONE']) expect(associations).toContain(a);
    const owned = await gh.rest.issues.listForRepo({ owner: 'octocat', repo: 'hello-world' });
    expect(owned.data.find((i) => i.user?.login === 'octocat')?.author_association).toBe('OWNER');

    const injected = all.find(
      (i) => i.user?.login === 'drive-by-dev' && /ignore all previous instructions/i.test(i.body ?? ''),
    );
    expect(injected).toBeTruthy();
    expect(injected!.body).toMatch(/[\u200b\u202e]/);
    expect(injected!.body).toMatch(/[\u{e0000}-\u{e007f}]/u);
    const comments = await gh.rest.issues.listComments({ ...W, issue_number: injected!.number });
    expect(comments.data.find((c) => c.user?.login === 'drive-by-dev')?.author_association).toBe('NONE');
  });

  it('pull requests: mergeability, files, diff, reviews and review comments', async () => {
    const pulls = await gh.rest.pulls.list({ ...W, state: 'all', per_page: 100 });
    expect(pulls.data).toHaveLength(8);
    const clean = await gh.rest.pulls.get({ ...W, pull_number: 33 });
    expect(clean.data).toMatchObject({ mergeable: true, mergeable_state: 'clean', changed_files: 4, merged: false });
    const conflicting = await gh.rest.pulls.get({ ...W, pull_number: 30 });
    expect(conflicting.data).toMatchObject({ mergeable: false, mergeable_state: 'dirty' });
    const merged = await gh.rest.pulls.get({ ...W, pull_number: 9 });
    expect(merged.data).toMatchObject({ merged: true, state: 'closed' });

    const files = await gh.rest.pulls.listFiles({ ...W, pull_number: 33 });
    expect(files.data.map((f) => `${f.status}:${f.filename}`).sort()).toEqual([
      'added:docs/plugins.md',
      'added:src/plugins.ts',
      'added:test/plugins.test.ts',
      'modified:src/index.ts',
    ]);
    const diff = await gh.rest.pulls.get({ ...W, pull_number: 33, mediaType: { format: 'diff' } });
    expect(String(diff.data).match(/^diff --git /gm)).toHaveLength(4);

    const reviews = await gh.rest.pulls.listReviews({ ...W, pull_number: 33 });
    expect(reviews.data.map((r) => r.state)).toEqual(expect.arrayContaining(['COMMENTED', 'CHANGES_REQUESTED']));
    const comments = await gh.rest.pulls.listReviewComments({ ...W, pull_number: 33 });
    expect(comments.data.length).toBeGreaterThanOrEqual(3);
    for (const c of comments.data) {
      expect(c.diff_hunk).toMatch(/^@@ /);
      // The hunk ends at the commented line.
      const last = c.diff_hunk.split('\n').at(-1)!;
      const file = files.data.find((f) => f.filename === c.path)!;
      expect(file.patch!.split('\n')[c.position!]).toBe(last);
    }
    expect(comments.data.some((c) => c.in_reply_to_id)).toBe(true);
    expect(clean.data.requested_reviewers?.map((u) => u.login)).toEqual(['hubot']);
  });

  it('actions: workflows, runs, jobs and logs behind a redirect', async () => {
    const workflows = await gh.rest.actions.listRepoWorkflows(W);
    expect(workflows.data.total_count).toBe(3);
    const runs = await gh.rest.actions.listWorkflowRunsForRepo({ ...W, per_page: 100 });
    expect(runs.data.total_count).toBeGreaterThanOrEqual(10);
    const failed = await gh.rest.actions.listWorkflowRunsForRepo({ ...W, status: 'failure' });
    expect(failed.data.workflow_runs.length).toBeGreaterThan(0);
    expect(failed.data.workflow_runs.every((r) => r.conclusion === 'failure')).toBe(true);
    const ci = await gh.rest.actions.listWorkflowRuns({ ...W, workflow_id: 'ci.yml' });
    expect(ci.data.workflow_runs.every((r) => r.path === '.github/workflows/ci.yml')).toBe(true);

    const run = failed.data.workflow_runs.find((r) => r.event === 'pull_request')!;
    const jobs = await gh.rest.actions.listJobsForWorkflowRun({ ...W, run_id: run.id });
    const broken = jobs.data.jobs.find((j) => j.conclusion === 'failure')!;
    const log = await gh.rest.actions.downloadJobLogsForWorkflowRun({ ...W, job_id: broken.id });
    expect(log.url).toMatch(/\/__logs\//);
    const lines = String(log.data).trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(300);
    expect(lines.every((l) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z /.test(l))).toBe(true);
    expect(lines.some((l) => l.includes('##[error]Process completed with exit code 1.'))).toBe(true);

    const redirect = await fetch(`${sb.url}/repos/acme/widgets/actions/jobs/${broken.id}/logs`, {
      headers: { authorization: `token ${sb.token}` },
      redirect: 'manual',
    });
    expect(redirect.status).toBe(302);
    const tampered = `${redirect.headers.get('location')!.replace(/sig=[0-9a-f]+/, 'sig=0')}`;
    expect((await fetch(tampered)).status).toBe(403);
  });

  it('search: issues, code with text matches, repositories and users', async () => {
    const issues = await gh.rest.search.issuesAndPullRequests({ q: 'repo:acme/widgets is:pr is:open author:hubot' });
    expect(issues.data.items.length).toBeGreaterThan(0);
    expect(issues.data.items.every((i) => i.pull_request && i.user?.login === 'hubot' && i.state === 'open')).toBe(
      true,
    );
    const text = await gh.rest.search.issuesAndPullRequests({ q: 'layout cache in:title repo:acme/widgets' });
    expect(text.data.items.map((i) => i.title)).toContain(
      'Layout cache returns stale cells after a widget changes span',
    );
    const closedBugs = await gh.rest.search.issuesAndPullRequests({
      q: 'repo:acme/widgets is:issue state:closed label:bug',
    });
    expect(closedBugs.data.items.every((i) => i.state === 'closed' && !i.pull_request)).toBe(true);

    const code = await gh.rest.search.code({
      q: 'registerKind repo:acme/widgets language:TypeScript',
      headers: { accept: 'application/vnd.github.text-match+json' },
    });
    expect(code.data.items.map((i) => i.path)).toContain('src/index.ts');
    const hit = code.data.items.find((i) => i.path === 'src/index.ts')!;
    // Code search links through /repositories/{id}/..., which the sandbox serves too.
    const viaId = await gh.request(`GET ${hit.url}`);
    expect(viaId.data.sha).toBe(hit.sha);
    const tm = hit.text_matches![0]!;
    expect(tm.fragment).toContain('registerKind');
    expect(tm.matches![0]!.text).toBe('registerKind');
    const byPath = await gh.rest.search.code({ q: 'retry path:src/utils repo:acme/widgets' });
    expect(byPath.data.items.every((i) => i.path.startsWith('src/utils/'))).toBe(true);

    const repos = await gh.rest.search.repos({ q: 'widget org:acme' });
    expect(repos.data.items.map((r) => r.full_name)).toContain('acme/widgets');
    const users = await gh.rest.search.users({ q: 'octo' });
    expect(users.data.items.map((u) => u.login)).toContain('octocat');
  });

  it('private repositories are visible with the repo scope only', async () => {
    expect((await gh.rest.repos.get({ owner: 'acme', repo: 'private-infra' })).data.private).toBe(true);
    const token = 'ghp_publiconly0000000000000000000000000000';
    await withSandbox(
      { tokens: { [token]: { login: 'octocat', scopes: ['public_repo', 'read:org'] } } },
      async (other) => {
        const limited = client(other, token);
        expect((await failure(limited.rest.repos.get({ owner: 'acme', repo: 'private-infra' }))).status).toBe(404);
        const found = await limited.rest.search.issuesAndPullRequests({ q: 'org:acme is:issue certificate' });
        expect(found.data.total_count).toBe(0);
      },
    );
  });
});

describe('pagination', () => {
  it('follows Link headers with per_page (default 30, at most 100)', async () => {
    await withSandbox({}, async (sb) => {
      const gh = client(sb);
      const first = await gh.rest.issues.listForRepo({ ...W, state: 'all', per_page: 10 });
      expect(first.data).toHaveLength(10);
      const link = first.headers.link!;
      expect(link).toMatch(/<[^>]*[?&]page=2[^>]*>; rel="next"/);
      expect(link).toMatch(/<[^>]*[?&]page=5[^>]*>; rel="last"/);
      const all = await gh.paginate(gh.rest.issues.listForRepo, { ...W, state: 'all', per_page: 10 });
      expect(all).toHaveLength(sb.state.getRepo('acme/widgets').issues.size);
      expect(new Set(all.map((i) => i.number)).size).toBe(all.length);
      const dflt = await gh.rest.issues.listForRepo({ ...W, state: 'all' });
      expect(dflt.data).toHaveLength(30);
      const huge = await gh.rest.repos.listCommits({ ...W, per_page: 500 });
      expect(huge.data.length).toBeLessThanOrEqual(100);
      expect(huge.data.length).toBe(
        sb.state.getRepo('acme/widgets').git.log(sb.state.getRepo('acme/widgets').refs.get('refs/heads/main')!).length,
      );
      const runs = await gh.rest.actions.listWorkflowRunsForRepo({ ...W, per_page: 4, page: 2 });
      expect(runs.data.workflow_runs).toHaveLength(4);
      expect(runs.headers.link).toMatch(/rel="prev"/);
    });
  });
});

describe('writes followed by reads', () => {
  let sb: GithubSandbox;
  let gh: Octokit;
  beforeAll(async () => {
    sb = await startGithubSandbox();
    gh = client(sb);
  });
  afterAll(() => sb.close());

  it('creates and updates a file with the sha check', async () => {
    const created = await gh.rest.repos.createOrUpdateFileContents({
      ...P,
      path: 'docs/new.md',
      message: 'Add new doc',
      content: Buffer.from('first\n').toString('base64'),
    });
    expect(created.status).toBe(201);
    const read = await gh.rest.repos.getContent({ ...P, path: 'docs/new.md' });
    const sha = (read.data as { sha: string }).sha;
    expect(sha).toBe(created.data.content?.sha);

    const noSha = await failure(
      gh.rest.repos.createOrUpdateFileContents({ ...P, path: 'docs/new.md', message: 'x', content: 'c2Vjb25kCg==' }),
    );
    expect(noSha.status).toBe(422);
    const stale = await failure(
      gh.rest.repos.createOrUpdateFileContents({
        ...P,
        path: 'docs/new.md',
        message: 'x',
        content: 'c2Vjb25kCg==',
        sha: '0'.repeat(40),
      }),
    );
    expect(stale.status).toBe(409);
    expect(stale.response.data.message).toBe(`docs/new.md does not match ${'0'.repeat(40)}`);

    const updated = await gh.rest.repos.createOrUpdateFileContents({
      ...P,
      path: 'docs/new.md',
      message: 'Update',
      content: 'c2Vjb25kCg==',
      sha,
    });
    expect(updated.status).toBe(200);
    const commits = await gh.rest.repos.listCommits({ ...P, per_page: 1 });
    expect(commits.data[0]!.sha).toBe(updated.data.commit.sha);
    expect(commits.data[0]!.commit.message).toBe('Update');
  });

  it('creates branches and pushes several files through the git database', async () => {
    const main = await gh.rest.git.getRef({ ...P, ref: 'heads/main' });
    const base = main.data.object.sha;
    const ref = await gh.rest.git.createRef({ ...P, ref: 'refs/heads/feature/push', sha: base });
    expect(ref.status).toBe(201);
    const dup = await failure(gh.rest.git.createRef({ ...P, ref: 'refs/heads/feature/push', sha: base }));
    expect(dup.status).toBe(422);
    expect(dup.response.data.message).toBe('Reference already exists');

    const parent = await gh.rest.git.getCommit({ ...P, commit_sha: base });
    const blob = await gh.rest.git.createBlob({
      ...P,
      content: Buffer.from([0, 1, 2]).toString('base64'),
      encoding: 'base64',
    });
    const tree = await gh.rest.git.createTree({
      ...P,
      base_tree: parent.data.tree.sha,
      tree: [
        { path: 'src/a.py', mode: '100644', type: 'blob', content: 'A = 1\n' },
        { path: 'bin/data.bin', mode: '100644', type: 'blob', sha: blob.data.sha },
        { path: 'hello.py', mode: '100644', type: 'blob', sha: null },
      ],
    });
    const commit = await gh.rest.git.createCommit({
      ...P,
      message: 'Push two files',
      tree: tree.data.sha,
      parents: [base],
    });
    await gh.rest.git.updateRef({ ...P, ref: 'heads/feature/push', sha: commit.data.sha });

    const after = await gh.rest.git.getTree({ ...P, tree_sha: 'feature/push', recursive: 'true' });
    const paths = after.data.tree.filter((e) => e.type === 'blob').map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['src/a.py', 'bin/data.bin', 'README.md']));
    expect(paths).not.toContain('hello.py');
    const notFf = await failure(gh.rest.git.updateRef({ ...P, ref: 'heads/feature/push', sha: base }));
    expect(notFf.response.data.message).toBe('Update is not a fast forward');
    expect(
      (await gh.rest.git.updateRef({ ...P, ref: 'heads/feature/push', sha: base, force: true })).data.object.sha,
    ).toBe(base);
  });

  it('creates, lists, comments on and closes an issue', async () => {
    const missing = await failure(gh.rest.issues.create({ ...W, title: '' }));
    expect(missing.status).toBe(422);
    expect(missing.response.data.errors).toEqual([{ resource: 'Issue', field: 'title', code: 'missing_field' }]);

    const created = await gh.rest.issues.create({
      ...W,
      title: 'Sandbox issue',
      body: 'Made by a test',
      labels: ['bug', 'brand-new'],
      assignees: ['hubot'],
    });
    expect(created.status).toBe(201);
    expect(created.data.number).toBe(45); // after the 44 seeded issues and pull requests
    expect(created.data.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual(['bug', 'brand-new']);
    const badAssignee = await failure(gh.rest.issues.create({ ...W, title: 'x', assignees: ['drive-by-dev'] }));
    expect(badAssignee.status).toBe(422);

    const listed = await gh.rest.issues.listForRepo({ ...W, creator: 'octocat', sort: 'created', per_page: 1 });
    expect(listed.data[0]!.number).toBe(45);
    const comment = await gh.rest.issues.createComment({ ...W, issue_number: 45, body: 'A comment' });
    expect(comment.status).toBe(201);
    expect((await gh.rest.issues.get({ ...W, issue_number: 45 })).data.comments).toBe(1);
    const closed = await gh.rest.issues.update({
      ...W,
      issue_number: 45,
      state: 'closed',
      state_reason: 'not_planned',
    });
    expect(closed.data).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    expect(closed.data.closed_by?.login).toBe('octocat');
  });

  it('opens, reviews and merges pull requests', async () => {
    const conflict = await failure(gh.rest.pulls.merge({ ...W, pull_number: 30 }));
    expect(conflict.status).toBe(405);
    expect(conflict.response.data.message).toBe('Pull Request is not mergeable');
    const staleHead = await failure(gh.rest.pulls.merge({ ...W, pull_number: 32, sha: '1'.repeat(40) }));
    expect(staleHead.status).toBe(409);

    const own = await failure(gh.rest.pulls.requestReviewers({ ...W, pull_number: 33, reviewers: ['octocat'] }));
    expect(own.status).toBe(422);
    const outsider = await failure(
      gh.rest.pulls.requestReviewers({ ...W, pull_number: 32, reviewers: ['drive-by-dev'] }),
    );
    expect(outsider.response.data.message).toMatch(/only be requested from collaborators/);
    const requested = await gh.rest.pulls.requestReviewers({
      ...W,
      pull_number: 32,
      reviewers: ['octocat', 'monalisa'],
    });
    expect(requested.status).toBe(201);
    expect(requested.data.requested_reviewers?.map((u) => u.login)).toEqual(['monalisa', 'octocat']);

    const selfApprove = await failure(gh.rest.pulls.createReview({ ...W, pull_number: 33, event: 'APPROVE' }));
    expect(selfApprove.status).toBe(422);
    const review = await gh.rest.pulls.createReview({
      ...W,
      pull_number: 32,
      event: 'COMMENT',
      body: 'One note',
      comments: [{ path: 'src/utils/retry.ts', line: 5, body: 'Document the default?' }],
    });
    expect(review.data.state).toBe('COMMENTED');
    const comments = await gh.rest.pulls.listReviewComments({ ...W, pull_number: 32 });
    expect(comments.data.map((c) => c.body)).toContain('Document the default?');

    const before = sb.state.getRepo('acme/widgets').refs.get('refs/heads/main')!;
    const head = (await gh.rest.pulls.get({ ...W, pull_number: 32 })).data.head.sha;
    const merge = await gh.rest.pulls.merge({ ...W, pull_number: 32, sha: head, merge_method: 'squash' });
    expect(merge.data).toEqual({
      sha: expect.stringMatching(/^[0-9a-f]{40}$/),
      merged: true,
      message: 'Pull Request successfully merged',
    });
    const after = await gh.rest.pulls.get({ ...W, pull_number: 32 });
    expect(after.data).toMatchObject({ merged: true, state: 'closed', merge_commit_sha: merge.data.sha });
    expect(after.data.merged_by?.login).toBe('octocat');
    const mainNow = await gh.rest.repos.getBranch({ ...W, branch: 'main' });
    expect(mainNow.data.commit.sha).toBe(merge.data.sha);
    expect(mainNow.data.commit.parents.map((p) => p.sha)).toEqual([before]);
    const retry = await gh.rest.repos.getContent({ ...W, path: 'src/utils/retry.ts' });
    expect(Buffer.from((retry.data as { content: string }).content, 'base64').toString()).toContain('factor');
    expect((await failure(gh.rest.pulls.merge({ ...W, pull_number: 32 }))).status).toBe(405);

    await gh.rest.git.createRef({ ...W, ref: 'refs/heads/topic', sha: merge.data.sha });
    const noCommits = await failure(gh.rest.pulls.create({ ...W, title: 'Empty', head: 'topic', base: 'main' }));
    expect(noCommits.response.data.errors).toEqual([
      { resource: 'PullRequest', code: 'custom', message: 'No commits between main and topic' },
    ]);
    await gh.rest.repos.createOrUpdateFileContents({
      ...W,
      path: 'NOTES.md',
      message: 'notes',
      content: 'bm90ZXMK',
      branch: 'topic',
    });
    const next = sb.state.nextIssueNumber(sb.state.getRepo('acme/widgets'));
    const pr = await gh.rest.pulls.create({ ...W, title: 'Add notes', head: 'acme:topic', base: 'main' });
    expect(pr.status).toBe(201);
    expect(pr.data).toMatchObject({ number: next, mergeable: true, changed_files: 1, commits: 1 });
    expect((await gh.rest.issues.get({ ...W, issue_number: next })).data.pull_request?.url).toBe(pr.data.url);
    const again = await failure(gh.rest.pulls.create({ ...W, title: 'Again', head: 'topic', base: 'main' }));
    expect(again.response.data.errors).toEqual([
      { resource: 'PullRequest', code: 'custom', message: 'A pull request already exists for acme:topic.' },
    ]);
  });

  it('re-runs a workflow run', async () => {
    const failed = (await gh.rest.actions.listWorkflowRunsForRepo({ ...W, status: 'failure' })).data.workflow_runs[0]!;
    const res = await gh.rest.actions.reRunWorkflow({ ...W, run_id: failed.id });
    expect(res.status).toBe(201);
    const run = await gh.rest.actions.getWorkflowRun({ ...W, run_id: failed.id });
    expect(run.data).toMatchObject({ run_attempt: 2, status: 'queued', conclusion: null });
    const latest = await gh.rest.actions.listJobsForWorkflowRun({ ...W, run_id: failed.id });
    expect(latest.data.jobs.every((j) => j.status === 'queued' && j.run_attempt === 2)).toBe(true);
    const all = await gh.rest.actions.listJobsForWorkflowRun({ ...W, run_id: failed.id, filter: 'all' });
    expect(all.data.total_count).toBe(latest.data.total_count * 2);
    expect((await failure(gh.rest.actions.reRunWorkflow({ ...W, run_id: failed.id }))).status).toBe(403);
  });
});

describe('auth', () => {
  it('answers 401 for a missing or unknown token, GitHub-shaped, and accepts Bearer', async () => {
    await withSandbox({}, async (sb) => {
      const unknown = await failure(client(sb, 'ghp_doesnotexist').rest.repos.get(W));
      expect(unknown.status).toBe(401);
      expect(unknown.response.data).toEqual({
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
        status: '401',
      });
      const anonymous = await failure(new Octokit({ baseUrl: sb.url, log: quiet }).rest.repos.get(W));
      expect(anonymous.status).toBe(401);
      expect(anonymous.response.data.message).toBe('Requires authentication');
      const bearer = await fetch(`${sb.url}/user`, { headers: { authorization: `Bearer ${sb.token}` } });
      expect(bearer.status).toBe(200);
      expect(sb.credentials).toEqual({ GITHUB_TOKEN: DEFAULT_TOKEN, GITHUB_API_URL: sb.url });
    });
  });

  it('sends scope headers for classic tokens only and enforces scopes and permissions', async () => {
    const noRepo = 'ghp_norepo000000000000000000000000000000';
    const publicRepo = 'ghp_publicrepo0000000000000000000000000';
    const fineRead = 'github_pat_11AAAAAAA0readonly';
    const fineAll = 'github_pat_11AAAAAAA0everything';
    const tokens = {
      [DEFAULT_TOKEN]: { login: 'octocat', scopes: ['repo', 'read:org', 'workflow', 'user'] },
      [noRepo]: { login: 'octocat', scopes: ['read:org'] },
      [publicRepo]: { login: 'octocat', scopes: ['public_repo'] },
      [fineRead]: { login: 'octocat', scopes: ['issues:read', 'contents:read'] },
      [fineAll]: { login: 'hubot' },
    };
    await withSandbox({ tokens }, async (sb) => {
      const classic = await client(sb).rest.issues.listForRepo(W);
      expect(classic.headers['x-oauth-scopes']).toBe('read:org, repo, user, workflow');
      expect(classic.headers['x-accepted-oauth-scopes']).toBe('repo');

      const fine = await client(sb, fineRead).rest.issues.listForRepo(W);
      expect(fine.headers['x-oauth-scopes']).toBeUndefined();
      expect(fine.headers['x-accepted-oauth-scopes']).toBeUndefined();
      expect(fine.headers['x-accepted-github-permissions']).toBe('issues=read');
      const refused = await failure(client(sb, fineRead).rest.issues.create({ ...P, title: 'nope' }));
      expect(refused.status).toBe(403);
      expect(refused.response.data.message).toBe('Resource not accessible by personal access token');
      expect((await client(sb, fineAll).rest.issues.create({ ...P, title: 'by hubot' })).status).toBe(201);
      // main of acme/widgets is protected: writers other than admins must go through a pull request.
      const direct = await failure(
        client(sb, fineAll).rest.repos.createOrUpdateFileContents({
          ...W,
          path: 'x.md',
          message: 'x',
          content: 'eA==',
        }),
      );
      expect(direct.status).toBe(409);
      expect(
        (
          await client(sb, fineAll).rest.repos.createOrUpdateFileContents({
            ...P,
            path: 'x.md',
            message: 'x',
            content: 'eA==',
          })
        ).status,
      ).toBe(201);

      // Classic tokens without repo/public_repo cannot write: GitHub answers 404, not 403.
      expect((await failure(client(sb, noRepo).rest.issues.create({ ...P, title: 'nope' }))).status).toBe(404);
      expect((await client(sb, noRepo).rest.repos.get(W)).status).toBe(200);
      expect((await client(sb, publicRepo).rest.issues.create({ ...P, title: 'public ok' })).status).toBe(201);
      expect(
        (await failure(client(sb, publicRepo).rest.repos.get({ owner: 'acme', repo: 'private-infra' }))).status,
      ).toBe(404);
    });
  });
});

describe('rate limits', () => {
  it('counts per token and refuses with x-ratelimit-remaining: 0 when exhausted', async () => {
    let now = Date.UTC(2025, 0, 1);
    const other = 'ghp_other00000000000000000000000000000000';
    const tokens = { [DEFAULT_TOKEN]: {}, [other]: { login: 'hubot' } };
    await withSandbox({ tokens, rateLimit: { limit: 3, windowMs: 60_000 }, clock: () => now }, async (sb) => {
      const gh = client(sb);
      const first = await gh.rest.repos.get(W);
      expect(first.headers).toMatchObject({
        'x-ratelimit-limit': '3',
        'x-ratelimit-remaining': '2',
        'x-ratelimit-used': '1',
        'x-ratelimit-resource': 'core',
        'x-ratelimit-reset': String(Math.ceil((now + 60_000) / 1000)),
      });
      // A conditional request answered 304 is free.
      const etag = first.headers.etag!;
      const notModified = await fetch(`${sb.url}/repos/acme/widgets`, {
        headers: { authorization: `token ${sb.token}`, 'if-none-match': etag },
      });
      expect(notModified.status).toBe(304);
      expect(notModified.headers.get('x-ratelimit-remaining')).toBe('2');
      await gh.rest.repos.get(W);
      const third = await gh.rest.repos.get(W);
      expect(third.headers['x-ratelimit-remaining']).toBe('0');
      const refused = await failure(gh.rest.repos.get(W));
      expect(refused.status).toBe(403);
      expect(refused.response.headers['x-ratelimit-remaining']).toBe('0');
      expect(refused.response.data.message).toMatch(/^API rate limit exceeded for user ID 583231\./);
      // GET /rate_limit is free and reports the same counters.
      const status = await gh.rest.rateLimit.get();
      expect(status.data.resources.core).toMatchObject({ limit: 3, used: 3, remaining: 0 });
      // Other tokens and other resources have their own buckets.
      expect((await client(sb, other).rest.repos.get(W)).headers['x-ratelimit-remaining']).toBe('2');
      const search = await gh.rest.search.issuesAndPullRequests({ q: 'repo:acme/widgets is:issue' });
      expect(search.headers).toMatchObject({ 'x-ratelimit-resource': 'search', 'x-ratelimit-limit': '30' });
      // The window resets.
      now += 60_000;
      expect((await gh.rest.repos.get(W)).headers['x-ratelimit-remaining']).toBe('2');
    });
  });

  it('can answer exhaustion with 429', async () => {
    await withSandbox({ rateLimit: { limit: 1, status: 429 } }, async (sb) => {
      const gh = client(sb);
      await gh.rest.users.getAuthenticated();
      const refused = await failure(gh.rest.users.getAuthenticated());
      expect(refused.status).toBe(429);
      expect(refused.response.headers['x-ratelimit-remaining']).toBe('0');
    });
  });

  it('applies a secondary rate limit with retry-after', async () => {
    let now = Date.UTC(2025, 0, 1);
    await withSandbox(
      { secondaryRateLimit: { maxPerSecond: 2, retryAfterSeconds: 7 }, clock: () => now },
      async (sb) => {
        const gh = client(sb);
        await gh.rest.users.getAuthenticated();
        await gh.rest.users.getAuthenticated();
        const blocked = await failure(gh.rest.users.getAuthenticated());
        expect(blocked.status).toBe(403);
        expect(blocked.response.headers['retry-after']).toBe('7');
        expect(blocked.response.data.message).toMatch(/^You have exceeded a secondary rate limit/);
        expect(Number(blocked.response.headers['x-ratelimit-remaining'])).toBeGreaterThan(0);
        now += 3000;
        expect((await failure(gh.rest.users.getAuthenticated())).response.headers['retry-after']).toBe('4');
        now += 4000;
        expect((await gh.rest.users.getAuthenticated()).status).toBe(200);
      },
    );
    await withSandbox(
      { secondaryRateLimit: { maxPerSecond: 1, status: 429, retryAfterSeconds: 1 }, clock: () => now },
      async (sb) => {
        const gh = client(sb);
        await gh.rest.users.getAuthenticated();
        expect((await failure(gh.rest.users.getAuthenticated())).status).toBe(429);
      },
    );
  });
});

describe('GHES base path', () => {
  it('serves every route under /api/v3', async () => {
    await withSandbox({ basePath: '/api/v3' }, async (sb) => {
      expect(sb.url).toMatch(/\/api\/v3$/);
      const gh = client(sb);
      const repo = await gh.rest.repos.get(W);
      expect(repo.data.url).toBe(`${sb.url}/repos/acme/widgets`);
      expect(repo.data.html_url).toBe(`${sb.upstream.url}/acme/widgets`);
      expect(repo.headers['x-github-enterprise-version']).toBeTruthy();
      const page = await gh.rest.issues.listForRepo({ ...W, per_page: 5 });
      expect(page.headers.link).toContain(`${sb.url}/repos/acme/widgets/issues?`);
      const outside = await fetch(`${sb.upstream.url}/repos/acme/widgets`, {
        headers: { authorization: `token ${sb.token}` },
      });
      expect(outside.status).toBe(404);
    });
  });
});

// ------------------------------------------------------------------ OpenAPI conformance of responses

const github = loadApiDescription(
  createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json'),
);

/** What octokit hands back for a response, success or failure. */
interface Reply {
  status: number;
  url: string;
  headers: Record<string, unknown>;
  data: unknown;
}

/** The reply answers `operationId` (via `method` and its URL) with a status and body GitHub documents for it. */
function expectConforms(operationId: string, method: string, reply: Reply): void {
  const result = github.checkResponse({
    method,
    path: new URL(reply.url).pathname,
    status: reply.status,
    body: reply.data,
    contentType: String(reply.headers['content-type'] ?? ''),
  });
  expect(result.errors, operationId).toEqual([]);
  expect(result.operationId).toBe(operationId);
}

/** The reply of a call that must fail with an HTTP error. */
async function errorReply(p: Promise<unknown>): Promise<Reply> {
  return ((await failure(p)) as unknown as { response: Reply }).response;
}

describe('responses conform to the GitHub OpenAPI description', () => {
  let sb: GithubSandbox;
  let gh: Octokit;
  beforeAll(async () => {
    sb = await startGithubSandbox();
    gh = client(sb);
  });
  afterAll(() => sb.close());

  it('for reads', async () => {
    const jobs = await gh.rest.actions.listJobsForWorkflowRun({ ...W, run_id: 8_800_100_003 });
    const text = { headers: { accept: 'application/vnd.github.text-match+json' } };
    const calls: Array<[string, Promise<Reply>]> = [
      ['users/get-authenticated', gh.rest.users.getAuthenticated()],
      ['users/get-by-username', gh.rest.users.getByUsername({ username: 'monalisa' })],
      ['repos/get', gh.rest.repos.get(W)],
      ['repos/get', gh.rest.repos.get({ owner: 'octocat', repo: 'hello-world' })],
      ['repos/get-content', gh.rest.repos.getContent({ ...W, path: 'README.md' })],
      ['repos/get-content', gh.rest.repos.getContent({ ...W, path: 'src' })],
      ['repos/list-branches', gh.rest.repos.listBranches(W)],
      ['repos/get-branch', gh.rest.repos.getBranch({ ...W, branch: 'main' })],
      ['repos/list-commits', gh.rest.repos.listCommits({ ...W, per_page: 100 })],
      ['repos/get-commit', gh.rest.repos.getCommit({ ...W, ref: 'main' })],
      ['repos/list-tags', gh.rest.repos.listTags(W)],
      ['repos/list-releases', gh.rest.repos.listReleases(W)],
      ['repos/get-latest-release', gh.rest.repos.getLatestRelease(W)],
      ['issues/list-for-repo', gh.rest.issues.listForRepo({ ...W, state: 'all', per_page: 100 })],
      ['issues/get', gh.rest.issues.get({ ...W, issue_number: 31 })],
      ['issues/list-comments', gh.rest.issues.listComments({ ...W, issue_number: 31 })],
      ['issues/list-labels-for-repo', gh.rest.issues.listLabelsForRepo(W)],
      ['pulls/list', gh.rest.pulls.list({ ...W, state: 'all' })],
      ['pulls/get', gh.rest.pulls.get({ ...W, pull_number: 33 })],
      ['pulls/get', gh.rest.pulls.get({ ...W, pull_number: 9 })],
      ['pulls/list-files', gh.rest.pulls.listFiles({ ...W, pull_number: 33 })],
      ['pulls/list-reviews', gh.rest.pulls.listReviews({ ...W, pull_number: 33 })],
      ['pulls/list-review-comments', gh.rest.pulls.listReviewComments({ ...W, pull_number: 33 })],
      ['git/get-ref', gh.rest.git.getRef({ ...W, ref: 'heads/main' })],
      [
        'git/get-commit',
        gh.rest.git.getCommit({ ...W, commit_sha: sb.state.getRepo('acme/widgets').refs.get('refs/heads/main')! }),
      ],
      ['git/get-tree', gh.rest.git.getTree({ ...W, tree_sha: 'main', recursive: '1' })],
      ['actions/list-repo-workflows', gh.rest.actions.listRepoWorkflows(W)],
      ['actions/list-workflow-runs-for-repo', gh.rest.actions.listWorkflowRunsForRepo({ ...W, per_page: 100 })],
      ['actions/get-workflow-run', gh.rest.actions.getWorkflowRun({ ...W, run_id: 8_800_100_010 })],
      ['actions/list-jobs-for-workflow-run', Promise.resolve(jobs)],
      [
        'search/issues-and-pull-requests',
        gh.rest.search.issuesAndPullRequests({ q: 'repo:acme/widgets widget', ...text }),
      ],
      ['search/code', gh.rest.search.code({ q: 'formatNumber repo:acme/widgets', ...text })],
      ['search/repos', gh.rest.search.repos({ q: 'org:acme' })],
      ['search/users', gh.rest.search.users({ q: 'o' })],
    ];
    for (const [op, p] of calls) expectConforms(op, 'GET', await p);
  });

  it('for writes', async () => {
    const issue = await gh.rest.issues.create({ ...P, title: 'Conformance', labels: ['bug'] });
    expectConforms('issues/create', 'POST', issue);
    expectConforms(
      'issues/create-comment',
      'POST',
      await gh.rest.issues.createComment({ ...P, issue_number: issue.data.number, body: 'hi' }),
    );
    expectConforms(
      'issues/update',
      'PATCH',
      await gh.rest.issues.update({ ...P, issue_number: issue.data.number, state: 'closed' }),
    );
    const file = await gh.rest.repos.createOrUpdateFileContents({ ...P, path: 'c.txt', message: 'c', content: 'Yw==' });
    expectConforms('repos/create-or-update-file-contents', 'PUT', file);
    const ref = await gh.rest.git.createRef({ ...P, ref: 'refs/heads/conformance', sha: file.data.commit.sha! });
    expectConforms('git/create-ref', 'POST', ref);
    const tree = await gh.rest.git.createTree({
      ...P,
      base_tree: file.data.commit.tree!.sha!,
      tree: [{ path: 'd.txt', mode: '100644', type: 'blob', content: 'd' }],
    });
    expectConforms('git/create-tree', 'POST', tree);
    const commit = await gh.rest.git.createCommit({
      ...P,
      message: 'd',
      tree: tree.data.sha,
      parents: [file.data.commit.sha!],
    });
    expectConforms('git/create-commit', 'POST', commit);
    expectConforms(
      'git/update-ref',
      'PATCH',
      await gh.rest.git.updateRef({ ...P, ref: 'heads/conformance', sha: commit.data.sha }),
    );
    const pr = await gh.rest.pulls.create({ ...P, title: 'Conformance', head: 'conformance', base: 'main' });
    expectConforms('pulls/create', 'POST', pr);
    expectConforms(
      'pulls/create-review',
      'POST',
      await gh.rest.pulls.createReview({ ...W, pull_number: 34, event: 'COMMENT', body: 'ok' }),
    );
    expectConforms(
      'pulls/request-reviewers',
      'POST',
      await gh.rest.pulls.requestReviewers({ ...W, pull_number: 34, reviewers: ['monalisa'] }),
    );
    expectConforms('pulls/merge', 'PUT', await gh.rest.pulls.merge({ ...P, pull_number: pr.data.number }));
  });

  it('for errors', async () => {
    const notFound = await errorReply(gh.rest.repos.get({ owner: 'acme', repo: 'missing' }));
    expect(notFound.status).toBe(404);
    expectConforms('repos/get', 'GET', notFound);
    const invalid = await errorReply(gh.rest.issues.create({ ...W, title: '' }));
    expect(invalid.status).toBe(422);
    expectConforms('issues/create', 'POST', invalid);
  });
});
