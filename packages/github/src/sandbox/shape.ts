/**
 * Records → the JSON GitHub actually sends, noise included (every *_url, node ids, avatars, `_links`,
 * reaction rollups): our benchmarks compare the MCP server's compact output against exactly this. Field order
 * follows GitHub's responses. URLs are built from the sandbox's own address: `api` (including any GHES base
 * path) for API links, `web` for html links.
 */
import { createHash } from 'node:crypto';
import type { FileChange, GitSignature } from './git.ts';
import { mergeability, pullBase, pullChanges, pullCommits, pullHead, testMergeSha } from './model.ts';
import type {
  AssetRecord,
  CommentRecord,
  IssueRecord,
  JobRecord,
  LabelRecord,
  MilestoneRecord,
  Reactions,
  ReleaseRecord,
  RepoRecord,
  ReviewCommentRecord,
  ReviewRecord,
  RunRecord,
  SandboxState,
  UserRecord,
  WorkflowRecord,
} from './state.ts';

type Json = Record<string, unknown>;

/** GitHub's newer global node ids look like `I_kwDOABCD...`; ours are deterministic from the record id. */
export function nodeId(prefix: string, id: number | string): string {
  return `${prefix}_kwDO${Buffer.from(String(id)).toString('base64url')}`;
}

/** Legacy node ids (still used for users): base64 of "04:User583231". */
function legacyNodeId(kind: string, id: number): string {
  const tag = kind === 'Organization' ? '012' : kind === 'Bot' ? '03' : '04';
  return Buffer.from(`${tag}:${kind}${id}`).toString('base64');
}

/** Base64 wrapped at 60 characters with a trailing newline, as the contents API sends it. */
export function wrappedBase64(data: Buffer): string {
  const b64 = data.toString('base64');
  let out = '';
  for (let i = 0; i < b64.length; i += 60) out += `${b64.slice(i, i + 60)}\n`;
  return out;
}

const enc = (path: string): string => path.split('/').map(encodeURIComponent).join('/');

export interface SandboxUrls {
  /** http://127.0.0.1:port */
  origin: string;
  /** origin + basePath: where the REST API lives. */
  api: string;
  /** Where html_url links point (the origin: like GHES, web pages live at the root). */
  web: string;
}

export class Shaper {
  readonly s: SandboxState;
  readonly urls: SandboxUrls;

  constructor(s: SandboxState, urls: SandboxUrls) {
    this.s = s;
    this.urls = urls;
  }

  api(path: string): string {
    return this.urls.api + path;
  }
  web(path: string): string {
    return this.urls.web + path;
  }
  private repoApi(r: RepoRecord, path = ''): string {
    return this.api(`/repos/${r.owner}/${r.name}${path}`);
  }
  private repoWeb(r: RepoRecord, path = ''): string {
    return this.web(`/${r.owner}/${r.name}${path}`);
  }

  // ---------------------------------------------------------------- users

  user(login: string): Json;
  user(login: string | null): Json | null;
  user(login: string | null): Json | null {
    if (login === null) return null;
    const u = this.s.user(login);
    if (!u) return this.ghostUser(login);
    return this.userRecord(u);
  }

  private userRecord(u: UserRecord): Json {
    const api = this.api(`/users/${encodeURIComponent(u.login)}`);
    const isBot = u.type === 'Bot';
    return {
      login: u.login,
      id: u.id,
      node_id: legacyNodeId(u.type, u.id),
      avatar_url: isBot
        ? `${this.urls.origin}/__avatars/in/${u.id % 100_000}?v=4`
        : `${this.urls.origin}/__avatars/u/${u.id}?v=4`,
      gravatar_id: '',
      url: api,
      html_url: isBot ? this.web(`/apps/${u.login.replace(/\[bot\]$/, '')}`) : this.web(`/${u.login}`),
      followers_url: `${api}/followers`,
      following_url: `${api}/following{/other_user}`,
      gists_url: `${api}/gists{/gist_id}`,
      starred_url: `${api}/starred{/owner}{/repo}`,
      subscriptions_url: `${api}/subscriptions`,
      organizations_url: `${api}/orgs`,
      repos_url: `${api}/repos`,
      events_url: `${api}/events{/privacy}`,
      received_events_url: `${api}/received_events`,
      type: u.type,
      user_view_type: 'public',
      site_admin: false,
    };
  }

  /** GitHub shows deleted accounts as "ghost". */
  private ghostUser(login: string): Json {
    const ghost = this.s.user('ghost');
    if (!ghost) throw new Error(`sandbox: unknown user ${login} and no ghost user seeded`);
    return this.userRecord(ghost);
  }

  publicUser(u: UserRecord): Json {
    const publicRepos = [...this.s.repos.values()].filter(
      (r) => r.owner.toLowerCase() === u.login.toLowerCase() && !r.private,
    ).length;
    return {
      ...this.userRecord(u),
      name: u.name,
      company: u.company,
      blog: u.blog,
      location: u.location,
      email: u.email,
      hireable: u.hireable,
      bio: u.bio,
      twitter_username: u.twitter,
      public_repos: publicRepos,
      public_gists: u.publicGists,
      followers: u.followers,
      following: u.following,
      created_at: u.createdAt,
      updated_at: u.updatedAt,
    };
  }

  privateUser(u: UserRecord): Json {
    const owned = [...this.s.repos.values()].filter((r) => r.owner.toLowerCase() === u.login.toLowerCase());
    return {
      ...this.publicUser(u),
      notification_email: u.email,
      private_gists: 2,
      total_private_repos: owned.filter((r) => r.private).length,
      owned_private_repos: owned.filter((r) => r.private).length,
      disk_usage: 48_213,
      collaborators: 3,
      two_factor_authentication: true,
      plan: { name: 'pro', space: 976_562_499, collaborators: 0, private_repos: 9999 },
    };
  }

  // ---------------------------------------------------------------- repositories

  private license(r: RepoRecord): Json | null {
    if (!r.license) return null;
    return {
      key: r.license.key,
      name: r.license.name,
      spdx_id: r.license.spdxId,
      url: this.api(`/licenses/${r.license.key}`),
      node_id: 'MDc6TGljZW5zZTEz',
    };
  }

  private repoUrls(r: RepoRecord): Json {
    const a = this.repoApi(r);
    return {
      forks_url: `${a}/forks`,
      keys_url: `${a}/keys{/key_id}`,
      collaborators_url: `${a}/collaborators{/collaborator}`,
      teams_url: `${a}/teams`,
      hooks_url: `${a}/hooks`,
      issue_events_url: `${a}/issues/events{/number}`,
      events_url: `${a}/events`,
      assignees_url: `${a}/assignees{/user}`,
      branches_url: `${a}/branches{/branch}`,
      tags_url: `${a}/tags`,
      blobs_url: `${a}/git/blobs{/sha}`,
      git_tags_url: `${a}/git/tags{/sha}`,
      git_refs_url: `${a}/git/refs{/sha}`,
      trees_url: `${a}/git/trees{/sha}`,
      statuses_url: `${a}/statuses/{sha}`,
      languages_url: `${a}/languages`,
      stargazers_url: `${a}/stargazers`,
      contributors_url: `${a}/contributors`,
      subscribers_url: `${a}/subscribers`,
      subscription_url: `${a}/subscription`,
      commits_url: `${a}/commits{/sha}`,
      git_commits_url: `${a}/git/commits{/sha}`,
      comments_url: `${a}/comments{/number}`,
      issue_comment_url: `${a}/issues/comments{/number}`,
      contents_url: `${a}/contents/{+path}`,
      compare_url: `${a}/compare/{base}...{head}`,
      merges_url: `${a}/merges`,
      archive_url: `${a}/{archive_format}{/ref}`,
      downloads_url: `${a}/downloads`,
      issues_url: `${a}/issues{/number}`,
      pulls_url: `${a}/pulls{/number}`,
      milestones_url: `${a}/milestones{/number}`,
      notifications_url: `${a}/notifications{?since,all,participating}`,
      labels_url: `${a}/labels{/name}`,
      releases_url: `${a}/releases{/id}`,
      deployments_url: `${a}/deployments`,
    };
  }

  /** The head of every repository object: identity, owner and the *_url templates. */
  minimalRepo(r: RepoRecord): Json {
    return {
      id: r.id,
      node_id: nodeId('R', r.id).replace('_kwDO', '_kgDO'),
      name: r.name,
      full_name: `${r.owner}/${r.name}`,
      private: r.private,
      owner: this.user(r.owner),
      html_url: this.repoWeb(r),
      description: r.description,
      fork: false,
      url: this.repoApi(r),
      ...this.repoUrls(r),
    };
  }

  openIssuesCount(r: RepoRecord): number {
    let n = 0;
    for (const i of r.issues.values()) if (i.state === 'open') n++;
    return n;
  }

  /** Size in KB, as GitHub reports it (roughly the packed size; ours is the sum of blob sizes). */
  repoSize(r: RepoRecord): number {
    let bytes = 0;
    for (const o of r.git.objects.values()) if (o.type === 'blob') bytes += o.size;
    return Math.ceil(bytes / 1024);
  }

  /** `repository` as embedded in pull requests and listed by /orgs/x/repos. */
  repo(r: RepoRecord, login?: string): Json {
    const host = new URL(this.urls.web).host;
    const open = this.openIssuesCount(r);
    const role = login ? this.s.role(r, login) : undefined;
    return {
      ...this.minimalRepo(r),
      created_at: r.createdAt,
      updated_at: r.updatedAt,
      pushed_at: r.pushedAt,
      git_url: `git://${host}/${r.owner}/${r.name}.git`,
      ssh_url: `git@${host}:${r.owner}/${r.name}.git`,
      clone_url: `${this.repoWeb(r)}.git`,
      svn_url: this.repoWeb(r),
      homepage: r.homepage,
      size: this.repoSize(r),
      stargazers_count: r.stargazers,
      watchers_count: r.stargazers,
      language: r.language,
      has_issues: true,
      has_projects: true,
      has_downloads: true,
      has_wiki: r.hasWiki,
      has_pages: r.hasPages,
      has_discussions: r.hasDiscussions,
      forks_count: r.forks,
      mirror_url: null,
      archived: r.archived,
      disabled: false,
      open_issues_count: open,
      license: this.license(r),
      allow_forking: true,
      is_template: false,
      web_commit_signoff_required: false,
      topics: r.topics,
      visibility: r.private ? 'private' : 'public',
      forks: r.forks,
      open_issues: open,
      watchers: r.stargazers,
      default_branch: r.defaultBranch,
      ...(role
        ? {
            permissions: {
              admin: role === 'admin',
              maintain: role === 'admin' || role === 'maintain',
              push: role === 'admin' || role === 'maintain' || role === 'write',
              triage: role !== 'read',
              pull: true,
            },
          }
        : {}),
    };
  }

  /** GET /repos/{owner}/{repo}: the full repository. */
  fullRepo(r: RepoRecord, login: string): Json {
    const role = this.s.role(r, login);
    const owner = this.s.user(r.owner);
    const admin = role === 'admin';
    return {
      ...this.repo(r, login),
      temp_clone_token: role === 'admin' || role === 'write' || role === 'maintain' ? '' : null,
      allow_squash_merge: true,
      allow_merge_commit: true,
      allow_rebase_merge: true,
      allow_auto_merge: false,
      delete_branch_on_merge: false,
      allow_update_branch: false,
      use_squash_pr_title_as_default: false,
      squash_merge_commit_message: 'COMMIT_MESSAGES',
      squash_merge_commit_title: 'COMMIT_OR_PR_TITLE',
      merge_commit_message: 'PR_TITLE',
      merge_commit_title: 'MERGE_MESSAGE',
      custom_properties: {},
      ...(owner?.type === 'Organization' ? { organization: this.user(r.owner) } : {}),
      ...(admin
        ? {
            security_and_analysis: {
              secret_scanning: { status: 'enabled' },
              secret_scanning_push_protection: { status: 'enabled' },
              dependabot_security_updates: { status: 'enabled' },
              secret_scanning_non_provider_patterns: { status: 'disabled' },
              secret_scanning_validity_checks: { status: 'disabled' },
            },
          }
        : {}),
      network_count: r.forks,
      subscribers_count: r.subscribers,
    };
  }

  repoSearchItem(r: RepoRecord, score: number): Json {
    const full = this.repo(r);
    return { ...full, score };
  }

  // ---------------------------------------------------------------- issues

  label(r: RepoRecord, l: LabelRecord): Json {
    return {
      id: l.id,
      node_id: nodeId('LA', l.id),
      url: this.repoApi(r, `/labels/${encodeURIComponent(l.name)}`),
      name: l.name,
      color: l.color,
      default: l.default,
      description: l.description,
    };
  }

  private labelsOf(r: RepoRecord, names: string[]): Json[] {
    return names.map((n) => {
      const l = r.labels.find((x) => x.name.toLowerCase() === n.toLowerCase());
      return l
        ? this.label(r, l)
        : this.label(r, { id: 0, name: n, color: 'ededed', description: null, default: false });
    });
  }

  milestone(r: RepoRecord, m: MilestoneRecord | null | undefined): Json | null {
    if (!m) return null;
    let open = 0;
    let closed = 0;
    for (const i of r.issues.values()) {
      if (i.milestone !== m.number) continue;
      if (i.state === 'open') open++;
      else closed++;
    }
    const url = this.repoApi(r, `/milestones/${m.number}`);
    return {
      url,
      html_url: this.repoWeb(r, `/milestone/${m.number}`),
      labels_url: `${url}/labels`,
      id: m.id,
      node_id: nodeId('MI', m.id),
      number: m.number,
      title: m.title,
      description: m.description,
      creator: this.user(m.creator),
      open_issues: open,
      closed_issues: closed,
      state: m.state,
      created_at: m.createdAt,
      updated_at: m.updatedAt,
      due_on: m.dueOn,
      closed_at: m.closedAt,
    };
  }

  reactions(url: string, r: Reactions): Json {
    const total = Object.values(r).reduce((a, b) => a + b, 0);
    return { url, total_count: total, ...r };
  }

  issueHtml(r: RepoRecord, i: IssueRecord): string {
    return this.repoWeb(r, `/${i.pull ? 'pull' : 'issues'}/${i.number}`);
  }

  issue(r: RepoRecord, i: IssueRecord): Json {
    const url = this.repoApi(r, `/issues/${i.number}`);
    const ms = i.milestone === null ? null : r.milestones.find((m) => m.number === i.milestone);
    const out: Json = {
      url,
      repository_url: this.repoApi(r),
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: this.issueHtml(r, i),
      id: i.id,
      node_id: nodeId(i.pull ? 'PR' : 'I', i.id),
      number: i.number,
      title: i.title,
      user: this.user(i.user),
      labels: this.labelsOf(r, i.labels),
      state: i.state,
      locked: i.locked,
      assignee: this.user(i.assignees[0] ?? null),
      assignees: i.assignees.map((a) => this.user(a)),
      milestone: this.milestone(r, ms),
      comments: i.comments.length,
      created_at: i.createdAt,
      updated_at: i.updatedAt,
      closed_at: i.closedAt,
      author_association: this.s.association(r, i.user),
      type: null,
      active_lock_reason: i.activeLockReason,
    };
    if (i.pull) {
      out.draft = i.pull.draft;
      out.pull_request = {
        url: this.repoApi(r, `/pulls/${i.number}`),
        html_url: this.repoWeb(r, `/pull/${i.number}`),
        diff_url: this.repoWeb(r, `/pull/${i.number}.diff`),
        patch_url: this.repoWeb(r, `/pull/${i.number}.patch`),
        merged_at: i.pull.mergedAt,
      };
    } else {
      out.sub_issues_summary = { total: 0, completed: 0, percent_completed: 0 };
      out.issue_dependencies_summary = { blocked_by: 0, total_blocked_by: 0, blocking: 0, total_blocking: 0 };
    }
    out.body = i.body;
    out.closed_by = this.user(i.closedBy);
    out.reactions = this.reactions(`${url}/reactions`, i.reactions);
    out.timeline_url = `${url}/timeline`;
    out.performed_via_github_app = null;
    out.state_reason = i.stateReason;
    return out;
  }

  issueSearchItem(r: RepoRecord, i: IssueRecord, score: number): Json {
    return { ...this.issue(r, i), score };
  }

  comment(r: RepoRecord, i: IssueRecord, c: CommentRecord): Json {
    const url = this.repoApi(r, `/issues/comments/${c.id}`);
    return {
      url,
      html_url: `${this.issueHtml(r, i)}#issuecomment-${c.id}`,
      issue_url: this.repoApi(r, `/issues/${i.number}`),
      id: c.id,
      node_id: nodeId('IC', c.id),
      user: this.user(c.user),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      body: c.body,
      author_association: this.s.association(r, c.user),
      pin: null,
      reactions: this.reactions(`${url}/reactions`, c.reactions),
      performed_via_github_app: null,
    };
  }

  // ---------------------------------------------------------------- pull requests

  private pullLinks(r: RepoRecord, i: IssueRecord): Json {
    const self = this.repoApi(r, `/pulls/${i.number}`);
    const head = pullHead(this.s, r, i);
    return {
      self: { href: self },
      html: { href: this.repoWeb(r, `/pull/${i.number}`) },
      issue: { href: this.repoApi(r, `/issues/${i.number}`) },
      comments: { href: this.repoApi(r, `/issues/${i.number}/comments`) },
      review_comments: { href: `${self}/comments` },
      review_comment: { href: this.repoApi(r, '/pulls/comments{/number}') },
      commits: { href: `${self}/commits` },
      statuses: { href: this.repoApi(r, `/statuses/${head}`) },
    };
  }

  private branchEnd(r: RepoRecord, ref: string, sha: string): Json {
    return { label: `${r.owner}:${ref}`, ref, sha, user: this.user(r.owner), repo: this.repo(r) };
  }

  pullSimple(r: RepoRecord, i: IssueRecord): Json {
    const pr = i.pull!;
    const url = this.repoApi(r, `/pulls/${i.number}`);
    const head = pullHead(this.s, r, i);
    const ms = i.milestone === null ? null : r.milestones.find((m) => m.number === i.milestone);
    return {
      url,
      id: pr.id,
      node_id: nodeId('PR', pr.id),
      html_url: this.repoWeb(r, `/pull/${i.number}`),
      diff_url: this.repoWeb(r, `/pull/${i.number}.diff`),
      patch_url: this.repoWeb(r, `/pull/${i.number}.patch`),
      issue_url: this.repoApi(r, `/issues/${i.number}`),
      number: i.number,
      state: i.state,
      locked: i.locked,
      title: i.title,
      user: this.user(i.user),
      body: i.body,
      created_at: i.createdAt,
      updated_at: i.updatedAt,
      closed_at: i.closedAt,
      merged_at: pr.mergedAt,
      merge_commit_sha: testMergeSha(this.s, r, i),
      assignee: this.user(i.assignees[0] ?? null),
      assignees: i.assignees.map((a) => this.user(a)),
      requested_reviewers: pr.requestedReviewers.map((a) => this.user(a)),
      requested_teams: [],
      labels: this.labelsOf(r, i.labels),
      milestone: this.milestone(r, ms),
      draft: pr.draft,
      commits_url: `${url}/commits`,
      review_comments_url: `${url}/comments`,
      review_comment_url: this.repoApi(r, '/pulls/comments{/number}'),
      comments_url: this.repoApi(r, `/issues/${i.number}/comments`),
      statuses_url: this.repoApi(r, `/statuses/${head}`),
      head: this.branchEnd(r, pr.headRef, head),
      base: this.branchEnd(r, pr.baseRef, pullBase(this.s, r, i)),
      _links: this.pullLinks(r, i),
      author_association: this.s.association(r, i.user),
      auto_merge: null,
      active_lock_reason: i.activeLockReason,
    };
  }

  pull(r: RepoRecord, i: IssueRecord): Json {
    const pr = i.pull!;
    const m = mergeability(this.s, r, i);
    const files = pullChanges(this.s, r, i);
    return {
      ...this.pullSimple(r, i),
      merged: pr.merged,
      mergeable: m.mergeable,
      rebaseable: m.mergeable,
      mergeable_state: m.state,
      merged_by: this.user(pr.mergedBy),
      comments: i.comments.length,
      review_comments: pr.reviewComments.length,
      maintainer_can_modify: pr.maintainerCanModify,
      commits: pullCommits(this.s, r, i).length,
      additions: files.reduce((a, f) => a + f.additions, 0),
      deletions: files.reduce((a, f) => a + f.deletions, 0),
      changed_files: files.length,
    };
  }

  diffEntry(r: RepoRecord, f: FileChange, commit: string): Json {
    const out: Json = {
      sha: f.newSha ?? f.oldSha,
      filename: f.filename,
      status: f.status,
      additions: f.additions,
      deletions: f.deletions,
      changes: f.additions + f.deletions,
      blob_url: this.repoWeb(r, `/blob/${commit}/${enc(f.filename)}`),
      raw_url: this.repoWeb(r, `/raw/${commit}/${enc(f.filename)}`),
      contents_url: this.repoApi(r, `/contents/${enc(f.filename)}?ref=${commit}`),
    };
    if (f.patch !== undefined) out.patch = f.patch;
    return out;
  }

  review(r: RepoRecord, i: IssueRecord, rv: ReviewRecord): Json {
    const html = this.repoWeb(r, `/pull/${i.number}#pullrequestreview-${rv.id}`);
    const prUrl = this.repoApi(r, `/pulls/${i.number}`);
    return {
      id: rv.id,
      node_id: nodeId('PRR', rv.id),
      user: this.user(rv.user),
      body: rv.body,
      state: rv.state,
      html_url: html,
      pull_request_url: prUrl,
      author_association: this.s.association(r, rv.user),
      _links: { html: { href: html }, pull_request: { href: prUrl } },
      ...(rv.submittedAt ? { submitted_at: rv.submittedAt } : {}),
      commit_id: rv.commitId,
    };
  }

  reviewComment(r: RepoRecord, i: IssueRecord, c: ReviewCommentRecord): Json {
    const url = this.repoApi(r, `/pulls/comments/${c.id}`);
    const html = this.repoWeb(r, `/pull/${i.number}#discussion_r${c.id}`);
    const prUrl = this.repoApi(r, `/pulls/${i.number}`);
    return {
      url,
      pull_request_review_id: c.reviewId,
      id: c.id,
      node_id: nodeId('PRRC', c.id),
      diff_hunk: c.diffHunk ?? '',
      path: c.path,
      commit_id: c.commitId,
      original_commit_id: c.originalCommitId,
      user: this.user(c.user),
      body: c.body,
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      html_url: html,
      pull_request_url: prUrl,
      author_association: this.s.association(r, c.user),
      _links: { self: { href: url }, html: { href: html }, pull_request: { href: prUrl } },
      reactions: this.reactions(`${url}/reactions`, {
        '+1': 0,
        '-1': 0,
        laugh: 0,
        hooray: 0,
        confused: 0,
        heart: 0,
        rocket: 0,
        eyes: 0,
      }),
      start_line: c.startLine,
      original_start_line: c.startLine,
      start_side: c.startLine === null ? null : c.side,
      line: c.line,
      original_line: c.line,
      side: c.side,
      ...(c.inReplyTo !== null ? { in_reply_to_id: c.inReplyTo } : {}),
      original_position: c.position ?? 1,
      position: c.position ?? 1,
      subject_type: 'line',
    };
  }

  // ---------------------------------------------------------------- git

  private verification(sig: GitSignature, payload: string): Json {
    if (sig.email !== 'noreply@github.com') {
      return { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null };
    }
    // Web-flow commits are signed by GitHub.
    const fake = createHash('sha256').update(payload).digest('base64');
    return {
      verified: true,
      reason: 'valid',
      signature: `-----BEGIN PGP SIGNATURE-----\n\nwsFcBAABCAAQBQJ${fake}\n=${fake.slice(0, 4)}\n-----END PGP SIGNATURE-----\n`,
      payload,
      verified_at: sig.date,
    };
  }

  private commitPayload(sha: string, r: RepoRecord): string {
    const c = r.git.commit(sha)!;
    const line = (s: GitSignature): string => `${s.name} <${s.email}> ${Math.floor(Date.parse(s.date) / 1000)} +0000`;
    return [
      `tree ${c.tree}`,
      ...c.parents.map((p) => `parent ${p}`),
      `author ${line(c.author)}`,
      `committer ${line(c.committer)}`,
      '',
      c.message,
    ].join('\n');
  }

  /** The GitHub account a git signature belongs to (matched by email), or null. */
  private sigUser(sig: GitSignature): Json | null {
    if (sig.email === 'noreply@github.com') return this.user('web-flow');
    const u = this.s.userByEmail(sig.email);
    return u ? this.user(u.login) : null;
  }

  /** GET /repos/{o}/{r}/commits and /commits/{ref}: the "commit" object (with files when `files`). */
  commit(r: RepoRecord, sha: string, withFiles = false): Json {
    const c = r.git.commit(sha)!;
    const url = this.repoApi(r, `/commits/${sha}`);
    const out: Json = {
      sha,
      node_id: nodeId('C', sha.slice(0, 12)),
      commit: {
        author: { ...c.author },
        committer: { ...c.committer },
        message: c.message,
        tree: { sha: c.tree, url: this.repoApi(r, `/git/trees/${c.tree}`) },
        url: this.repoApi(r, `/git/commits/${sha}`),
        comment_count: 0,
        verification: this.verification(c.committer, this.commitPayload(sha, r)),
      },
      url,
      html_url: this.repoWeb(r, `/commit/${sha}`),
      comments_url: `${url}/comments`,
      author: this.sigUser(c.author),
      committer: this.sigUser(c.committer),
      parents: c.parents.map((p) => ({
        sha: p,
        url: this.repoApi(r, `/commits/${p}`),
        html_url: this.repoWeb(r, `/commit/${p}`),
      })),
    };
    if (withFiles) {
      const files = r.git.commitChanges(sha);
      const additions = files.reduce((a, f) => a + f.additions, 0);
      const deletions = files.reduce((a, f) => a + f.deletions, 0);
      out.stats = { total: additions + deletions, additions, deletions };
      out.files = files.map((f) => this.diffEntry(r, f, sha));
    }
    return out;
  }

  gitCommit(r: RepoRecord, sha: string): Json {
    const c = r.git.commit(sha)!;
    return {
      sha,
      node_id: nodeId('C', sha.slice(0, 12)),
      url: this.repoApi(r, `/git/commits/${sha}`),
      html_url: this.repoWeb(r, `/commit/${sha}`),
      author: { ...c.author },
      committer: { ...c.committer },
      tree: { sha: c.tree, url: this.repoApi(r, `/git/trees/${c.tree}`) },
      message: c.message,
      parents: c.parents.map((p) => ({
        sha: p,
        url: this.repoApi(r, `/git/commits/${p}`),
        html_url: this.repoWeb(r, `/commit/${p}`),
      })),
      verification: this.verification(c.committer, this.commitPayload(sha, r)),
    };
  }

  gitRef(r: RepoRecord, ref: string, sha: string): Json {
    return {
      ref,
      node_id: nodeId('REF', `${r.id}:${ref}`),
      url: this.repoApi(r, `/git/${enc(ref)}`),
      object: { sha, type: 'commit', url: this.repoApi(r, `/git/commits/${sha}`) },
    };
  }

  gitTree(r: RepoRecord, sha: string, recursive: boolean): Json {
    const tree: Json[] = [];
    const walk = (treeSha: string, prefix: string): void => {
      for (const e of r.git.tree(treeSha)?.entries ?? []) {
        const path = prefix + e.name;
        if (e.type === 'tree') {
          tree.push({ path, mode: e.mode, type: 'tree', sha: e.sha, url: this.repoApi(r, `/git/trees/${e.sha}`) });
          if (recursive) walk(e.sha, `${path}/`);
        } else if (e.type === 'blob') {
          const size = r.git.blob(e.sha)?.size ?? 0;
          tree.push({
            path,
            mode: e.mode,
            type: 'blob',
            sha: e.sha,
            size,
            url: this.repoApi(r, `/git/blobs/${e.sha}`),
          });
        } else {
          tree.push({ path, mode: e.mode, type: 'commit', sha: e.sha });
        }
      }
    };
    walk(sha, '');
    return { sha, url: this.repoApi(r, `/git/trees/${sha}`), tree, truncated: false };
  }

  blob(r: RepoRecord, sha: string): Json {
    const data = r.git.blob(sha)!.data;
    return {
      sha,
      node_id: nodeId('B', sha.slice(0, 12)),
      size: data.length,
      url: this.repoApi(r, `/git/blobs/${sha}`),
      content: wrappedBase64(data),
      encoding: 'base64',
    };
  }

  // ---------------------------------------------------------------- contents

  private contentLinks(r: RepoRecord, path: string, ref: string, type: string, sha: string): Json {
    const self = this.repoApi(r, `/contents/${enc(path)}?ref=${encodeURIComponent(ref)}`);
    const git = type === 'dir' ? this.repoApi(r, `/git/trees/${sha}`) : this.repoApi(r, `/git/blobs/${sha}`);
    const html = this.repoWeb(r, `/${type === 'dir' ? 'tree' : 'blob'}/${ref}/${enc(path)}`);
    return { self, git, html };
  }

  rawUrl(r: RepoRecord, ref: string, path: string): string {
    return `${this.urls.origin}/__raw/${r.owner}/${r.name}/${ref}/${enc(path)}`;
  }

  contentEntry(
    r: RepoRecord,
    path: string,
    ref: string,
    type: 'file' | 'dir' | 'symlink' | 'submodule',
    sha: string,
  ): Json {
    const links = this.contentLinks(r, path, ref, type, sha);
    const size = type === 'file' ? (r.git.blob(sha)?.size ?? 0) : 0;
    return {
      name: path.split('/').pop() ?? path,
      path,
      sha,
      size,
      url: links.self,
      html_url: links.html,
      git_url: links.git,
      download_url: type === 'file' ? this.rawUrl(r, ref, path) : null,
      type,
      _links: links,
    };
  }

  /** A file from the contents API; files over 1 MB come back with empty content and encoding "none". */
  contentFile(r: RepoRecord, path: string, ref: string, sha: string): Json {
    const blob = r.git.blob(sha)!;
    const entry = this.contentEntry(r, path, ref, 'file', sha);
    const big = blob.size > 1024 * 1024;
    const { _links, ...rest } = entry;
    return { ...rest, content: big ? '' : wrappedBase64(blob.data), encoding: big ? 'none' : 'base64', _links };
  }

  fileCommit(r: RepoRecord, path: string, branch: string, blobSha: string | null, commitSha: string): Json {
    const g = this.gitCommit(r, commitSha);
    const { verification, ...rest } = g;
    return {
      content: blobSha ? this.contentEntry(r, path, branch, 'file', blobSha) : null,
      commit: { ...rest, verification },
    };
  }

  // ---------------------------------------------------------------- refs, tags, releases

  branch(r: RepoRecord, name: string, sha: string): Json {
    return { name, commit: { sha, url: this.repoApi(r, `/commits/${sha}`) }, protected: r.protectedBranches.has(name) };
  }

  tag(r: RepoRecord, name: string, sha: string): Json {
    return {
      name,
      zipball_url: this.repoApi(r, `/zipball/refs/tags/${name}`),
      tarball_url: this.repoApi(r, `/tarball/refs/tags/${name}`),
      commit: { sha, url: this.repoApi(r, `/commits/${sha}`) },
      node_id: Buffer.from(`03:Ref${r.id}:refs/tags/${name}`).toString('base64'),
    };
  }

  asset(r: RepoRecord, rel: ReleaseRecord, a: AssetRecord): Json {
    return {
      url: this.repoApi(r, `/releases/assets/${a.id}`),
      id: a.id,
      node_id: nodeId('RA', a.id),
      name: a.name,
      label: a.label,
      uploader: this.user(a.uploader),
      content_type: a.contentType,
      state: 'uploaded',
      size: a.size,
      digest: `sha256:${createHash('sha256').update(`${a.id}`).digest('hex')}`,
      download_count: a.downloadCount,
      created_at: a.createdAt,
      updated_at: a.updatedAt,
      browser_download_url: this.repoWeb(r, `/releases/download/${rel.tagName}/${a.name}`),
    };
  }

  release(r: RepoRecord, rel: ReleaseRecord): Json {
    const url = this.repoApi(r, `/releases/${rel.id}`);
    const tagPath = rel.draft
      ? `untagged-${createHash('sha1').update(String(rel.id)).digest('hex').slice(0, 20)}`
      : rel.tagName;
    return {
      url,
      assets_url: `${url}/assets`,
      upload_url: `${this.urls.origin}/__uploads/repos/${r.owner}/${r.name}/releases/${rel.id}/assets{?name,label}`,
      html_url: this.repoWeb(r, `/releases/tag/${tagPath}`),
      id: rel.id,
      author: this.user(rel.author),
      node_id: nodeId('RE', rel.id),
      tag_name: rel.tagName,
      target_commitish: rel.targetCommitish,
      name: rel.name,
      draft: rel.draft,
      immutable: false,
      prerelease: rel.prerelease,
      created_at: rel.createdAt,
      updated_at: rel.publishedAt ?? rel.createdAt,
      published_at: rel.publishedAt,
      assets: rel.assets.map((a) => this.asset(r, rel, a)),
      tarball_url: rel.draft ? null : this.repoApi(r, `/tarball/${rel.tagName}`),
      zipball_url: rel.draft ? null : this.repoApi(r, `/zipball/${rel.tagName}`),
      body: rel.body,
    };
  }

  // ---------------------------------------------------------------- actions

  workflow(r: RepoRecord, w: WorkflowRecord): Json {
    return {
      id: w.id,
      node_id: nodeId('W', w.id),
      name: w.name,
      path: w.path,
      state: w.state,
      created_at: w.createdAt,
      updated_at: w.updatedAt,
      url: this.repoApi(r, `/actions/workflows/${w.id}`),
      html_url: this.repoWeb(r, `/blob/${r.defaultBranch}/${w.path}`),
      badge_url: this.repoWeb(r, `/workflows/${encodeURIComponent(w.name)}/badge.svg`),
    };
  }

  private prMinimal(r: RepoRecord, n: number): Json | null {
    const i = r.issues.get(n);
    if (!i?.pull) return null;
    const repoRef = { id: r.id, url: this.repoApi(r), name: r.name };
    return {
      url: this.repoApi(r, `/pulls/${n}`),
      id: i.pull.id,
      number: n,
      head: { ref: i.pull.headRef, sha: pullHead(this.s, r, i), repo: repoRef },
      base: { ref: i.pull.baseRef, sha: pullBase(this.s, r, i), repo: repoRef },
    };
  }

  run(r: RepoRecord, run: RunRecord): Json {
    const wf = r.workflows.find((w) => w.id === run.workflowId)!;
    const url = this.repoApi(r, `/actions/runs/${run.id}`);
    const c = r.git.commit(run.headSha);
    return {
      id: run.id,
      name: wf.name,
      node_id: nodeId('WFR', run.id).replace('_kwDO', '_kwLO'),
      head_branch: run.headBranch,
      head_sha: run.headSha,
      path: wf.path,
      display_title: run.displayTitle,
      run_number: run.runNumber,
      event: run.event,
      status: run.status,
      conclusion: run.conclusion,
      workflow_id: wf.id,
      check_suite_id: run.checkSuiteId,
      check_suite_node_id: nodeId('CS', run.checkSuiteId),
      url,
      html_url: this.repoWeb(r, `/actions/runs/${run.id}`),
      pull_requests: run.pullRequests.map((n) => this.prMinimal(r, n)).filter((p) => p !== null),
      created_at: run.createdAt,
      updated_at: run.updatedAt,
      actor: this.user(run.actor),
      run_attempt: run.runAttempt,
      referenced_workflows: [],
      run_started_at: run.runStartedAt,
      triggering_actor: this.user(run.triggeringActor),
      jobs_url: `${url}/jobs`,
      logs_url: `${url}/logs`,
      check_suite_url: this.repoApi(r, `/check-suites/${run.checkSuiteId}`),
      artifacts_url: `${url}/artifacts`,
      cancel_url: `${url}/cancel`,
      rerun_url: `${url}/rerun`,
      previous_attempt_url: run.runAttempt > 1 ? `${url}/attempts/${run.runAttempt - 1}` : null,
      workflow_url: this.repoApi(r, `/actions/workflows/${wf.id}`),
      head_commit: c
        ? {
            id: run.headSha,
            tree_id: c.tree,
            message: c.message,
            timestamp: c.committer.date,
            author: { name: c.author.name, email: c.author.email },
            committer: { name: c.committer.name, email: c.committer.email },
          }
        : null,
      repository: this.minimalRepo(r),
      head_repository: this.minimalRepo(r),
    };
  }

  job(r: RepoRecord, run: RunRecord, j: JobRecord): Json {
    const wf = r.workflows.find((w) => w.id === run.workflowId)!;
    return {
      id: j.id,
      run_id: run.id,
      workflow_name: wf.name,
      head_branch: run.headBranch,
      run_url: this.repoApi(r, `/actions/runs/${run.id}`),
      run_attempt: j.runAttempt,
      node_id: nodeId('CR', j.id),
      head_sha: run.headSha,
      url: this.repoApi(r, `/actions/jobs/${j.id}`),
      html_url: this.repoWeb(r, `/actions/runs/${run.id}/job/${j.id}`),
      status: j.status,
      conclusion: j.conclusion,
      created_at: j.createdAt,
      started_at: j.startedAt,
      completed_at: j.completedAt,
      name: j.name,
      steps: j.steps.map((st) => ({
        name: st.name,
        status: st.status,
        conclusion: st.conclusion,
        number: st.number,
        started_at: st.startedAt,
        completed_at: st.completedAt,
      })),
      check_run_url: this.repoApi(r, `/check-runs/${j.id}`),
      labels: j.labels,
      runner_id: j.runnerId,
      runner_name: j.runnerName,
      runner_group_id: j.runnerId === null ? null : 0,
      runner_group_name: j.runnerId === null ? null : 'GitHub Actions',
    };
  }
}
