/**
 * The sandbox's in-memory model of GitHub: users, orgs, repositories (with a real git object store), issues,
 * pull requests, releases and Actions. Records hold what GitHub stores; `shape.ts` turns them into the noisy
 * JSON GitHub sends. Everything is plain data so tests can inspect (and tweak) it through `sandbox.state`.
 */
import type { GitSignature, GitStore } from './git.ts';
import { mergeability } from './model.ts';

export type Role = 'admin' | 'maintain' | 'write' | 'triage' | 'read';
export type AuthorAssociation = 'OWNER' | 'MEMBER' | 'COLLABORATOR' | 'CONTRIBUTOR' | 'NONE';

const ROLE_RANK: Record<Role, number> = { read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

export function roleAtLeast(role: Role | undefined, needed: Role): boolean {
  return role !== undefined && ROLE_RANK[role] >= ROLE_RANK[needed];
}

export interface UserRecord {
  login: string;
  id: number;
  type: 'User' | 'Organization' | 'Bot';
  name: string | null;
  email: string | null;
  company: string | null;
  blog: string;
  location: string | null;
  bio: string | null;
  twitter: string | null;
  hireable: boolean | null;
  followers: number;
  following: number;
  publicGists: number;
  createdAt: string;
  updatedAt: string;
}

export interface Reactions {
  '+1': number;
  '-1': number;
  laugh: number;
  hooray: number;
  confused: number;
  heart: number;
  rocket: number;
  eyes: number;
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

export interface MilestoneRecord {
  id: number;
  number: number;
  title: string;
  description: string | null;
  state: 'open' | 'closed';
  creator: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  dueOn: string | null;
}

export interface CommentRecord {
  id: number;
  user: string;
  body: string;
  createdAt: string;
  updatedAt: string;
  reactions: Reactions;
}

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'PENDING' | 'DISMISSED';

export interface ReviewRecord {
  id: number;
  user: string;
  body: string;
  state: ReviewState;
  commitId: string;
  submittedAt: string | null;
}

export interface ReviewCommentRecord {
  id: number;
  reviewId: number | null;
  user: string;
  body: string;
  path: string;
  /** Line in the new file the comment is on (RIGHT side). */
  line: number;
  side: 'LEFT' | 'RIGHT';
  startLine: number | null;
  /** Position in the file's diff (1 = the line after the first @@); null until first computed (lazily). */
  position: number | null;
  diffHunk: string | null;
  commitId: string;
  originalCommitId: string;
  inReplyTo: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface PullRecord {
  id: number;
  headRef: string;
  /** Head commit when the branch is gone (merged/closed and deleted) or last seen. */
  headSha: string;
  baseRef: string;
  /** Base tip at creation or merge; open PRs report the live branch tip instead. */
  baseSha: string;
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  maintainerCanModify: boolean;
  requestedReviewers: string[];
  reviews: ReviewRecord[];
  reviewComments: ReviewCommentRecord[];
}

export interface IssueRecord {
  id: number;
  number: number;
  title: string;
  body: string | null;
  user: string;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'reopened' | 'duplicate' | null;
  labels: string[];
  assignees: string[];
  milestone: number | null;
  locked: boolean;
  activeLockReason: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: string | null;
  comments: CommentRecord[];
  reactions: Reactions;
  /** Present when this issue is a pull request (GitHub numbers both from one sequence). */
  pull?: PullRecord;
}

export interface AssetRecord {
  id: number;
  name: string;
  label: string | null;
  contentType: string;
  size: number;
  downloadCount: number;
  createdAt: string;
  updatedAt: string;
  uploader: string;
}

export interface ReleaseRecord {
  id: number;
  tagName: string;
  targetCommitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  author: string;
  createdAt: string;
  publishedAt: string | null;
  assets: AssetRecord[];
}

export interface WorkflowRecord {
  id: number;
  name: string;
  path: string;
  state: 'active' | 'disabled_manually';
  createdAt: string;
  updatedAt: string;
}

export type RunStatus = 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
export type Conclusion = 'success' | 'failure' | 'cancelled' | 'skipped' | 'timed_out' | 'neutral' | 'action_required';

export interface StepRecord {
  name: string;
  number: number;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: Conclusion | null;
  startedAt: string | null;
  completedAt: string | null;
}

export interface JobRecord {
  id: number;
  runId: number;
  runAttempt: number;
  name: string;
  status: RunStatus;
  conclusion: Conclusion | null;
  createdAt: string;
  startedAt: string;
  completedAt: string | null;
  steps: StepRecord[];
  labels: string[];
  runnerId: number | null;
  runnerName: string | null;
  /** What the generated log should show failing, if anything (see logs.ts). */
  failure?: 'test' | 'lint' | 'timeout';
}

export interface RunRecord {
  id: number;
  workflowId: number;
  runNumber: number;
  runAttempt: number;
  event: 'push' | 'pull_request' | 'schedule' | 'workflow_dispatch' | 'release';
  status: RunStatus;
  conclusion: Conclusion | null;
  headBranch: string;
  headSha: string;
  actor: string;
  triggeringActor: string;
  displayTitle: string;
  /** PR numbers the run belongs to. */
  pullRequests: number[];
  checkSuiteId: number;
  createdAt: string;
  updatedAt: string;
  runStartedAt: string;
  jobs: JobRecord[];
}

export interface RepoRecord {
  id: number;
  owner: string;
  name: string;
  private: boolean;
  description: string | null;
  homepage: string | null;
  language: string | null;
  topics: string[];
  license: { key: string; name: string; spdxId: string } | null;
  defaultBranch: string;
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
  stargazers: number;
  subscribers: number;
  forks: number;
  hasWiki: boolean;
  hasPages: boolean;
  hasDiscussions: boolean;
  archived: boolean;
  /** Explicit grants: outside collaborators and team access (org members otherwise get the org base role). */
  collaborators: Map<string, Role>;
  git: GitStore;
  /** Full ref name ('refs/heads/main', 'refs/tags/v1.0.0') → commit SHA. */
  refs: Map<string, string>;
  protectedBranches: Set<string>;
  issues: Map<number, IssueRecord>;
  labels: LabelRecord[];
  milestones: MilestoneRecord[];
  releases: ReleaseRecord[];
  workflows: WorkflowRecord[];
  runs: RunRecord[];
}

export interface OrgRecord {
  login: string;
  /** Role every member gets on every repository of the org. */
  baseRole: Role;
  members: Map<string, 'admin' | 'member'>;
}

/** A flattened, read-only view of one pull request (see SandboxState.pulls). */
export interface PullView {
  /** 'owner/name' */
  repo: string;
  number: number;
  title: string;
  user: string;
  state: 'open' | 'closed';
  merged: boolean;
  draft: boolean;
  /** null for closed pull requests, as GitHub reports. */
  mergeable: boolean | null;
  head: string;
  base: string;
}

/** A new, open issue record with no labels, assignees or comments (pull requests extend it with `pull`). */
export function newIssueRecord(id: number, number: number, user: string, now: string): IssueRecord {
  return {
    id,
    number,
    title: '',
    body: null,
    user,
    state: 'open',
    stateReason: null,
    labels: [],
    assignees: [],
    milestone: null,
    locked: false,
    activeLockReason: null,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    closedBy: null,
    comments: [],
    reactions: emptyReactions(),
  };
}

export function emptyReactions(): Reactions {
  return { '+1': 0, '-1': 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 };
}

/** Seconds-precision ISO timestamp, like GitHub's. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class SandboxState {
  readonly users = new Map<string, UserRecord>();
  readonly orgs = new Map<string, OrgRecord>();
  readonly repos = new Map<string, RepoRecord>();
  /** Monotonic id source for anything created after seeding. */
  private nextIdValue = 90_000_000;
  private readonly clock: () => number;
  private readonly contributorCache = new Map<string, { head: string; logins: Set<string> }>();

  constructor(clock: () => number = Date.now) {
    this.clock = clock;
  }

  nextId(): number {
    this.nextIdValue += 1;
    return this.nextIdValue;
  }

  /** Current time as GitHub formats it. */
  now(): string {
    return isoSeconds(this.clock());
  }

  nowMs(): number {
    return this.clock();
  }

  addUser(u: UserRecord): UserRecord {
    this.users.set(u.login.toLowerCase(), u);
    return u;
  }

  user(login: string): UserRecord | undefined {
    return this.users.get(login.toLowerCase());
  }

  /** The user a commit email belongs to (their email or their GitHub noreply address). */
  userByEmail(email: string): UserRecord | undefined {
    const e = email.toLowerCase();
    for (const u of this.users.values()) {
      if (u.email?.toLowerCase() === e) return u;
      if (noreplyEmail(u).toLowerCase() === e) return u;
    }
    return undefined;
  }

  addRepo(r: RepoRecord): RepoRecord {
    this.repos.set(`${r.owner}/${r.name}`.toLowerCase(), r);
    return r;
  }

  repo(owner: string, name: string): RepoRecord | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /**
   * Every pull request of every repository, keyed 'owner/name#number': a convenience view for tests (the
   * records themselves live in `repo.issues`, as pull requests share the issue sequence).
   */
  get pulls(): Map<string, PullView> {
    const out = new Map<string, PullView>();
    for (const r of this.repos.values()) {
      for (const i of r.issues.values()) {
        if (!i.pull) continue;
        const repo = `${r.owner}/${r.name}`;
        out.set(`${repo}#${i.number}`, {
          repo,
          number: i.number,
          title: i.title,
          user: i.user,
          state: i.state,
          merged: i.pull.merged,
          draft: i.pull.draft,
          mergeable: mergeability(this, r, i).mergeable,
          head: i.pull.headRef,
          base: i.pull.baseRef,
        });
      }
    }
    return out;
  }

  /** Repository by its full name, throwing when missing: convenient for tests poking at state. */
  getRepo(fullName: string): RepoRecord {
    const r = this.repos.get(fullName.toLowerCase());
    if (!r) throw new Error(`no sandbox repository ${fullName}`);
    return r;
  }

  /** The role a user has on a repository, or undefined when they cannot even see it. */
  role(repo: RepoRecord, login: string): Role | undefined {
    const l = login.toLowerCase();
    if (repo.owner.toLowerCase() === l) return 'admin';
    const org = this.orgs.get(repo.owner.toLowerCase());
    const member = org?.members.get(l);
    let role: Role | undefined;
    if (org && member === 'admin') role = 'admin';
    else if (org && member) role = org.baseRole;
    const explicit = [...repo.collaborators].find(([k]) => k.toLowerCase() === l)?.[1];
    if (explicit && (!role || ROLE_RANK[explicit] > ROLE_RANK[role])) role = explicit;
    if (!role && !repo.private) role = 'read';
    return role;
  }

  /** GitHub's author_association of `login` towards `repo`. */
  association(repo: RepoRecord, login: string): AuthorAssociation {
    const l = login.toLowerCase();
    if (repo.owner.toLowerCase() === l) return 'OWNER';
    if (this.orgs.get(repo.owner.toLowerCase())?.members.has(l)) return 'MEMBER';
    if ([...repo.collaborators.keys()].some((k) => k.toLowerCase() === l)) return 'COLLABORATOR';
    if (this.contributors(repo).has(l)) return 'CONTRIBUTOR';
    return 'NONE';
  }

  /** Logins (lower-cased) that authored a commit on the default branch. */
  contributors(repo: RepoRecord): Set<string> {
    const head = this.branchSha(repo, repo.defaultBranch) ?? '';
    const key = `${repo.owner}/${repo.name}`;
    const cached = this.contributorCache.get(key);
    if (cached && cached.head === head) return cached.logins;
    const logins = new Set<string>();
    for (const sha of head ? repo.git.ancestors(head) : []) {
      const u = this.userByEmail(repo.git.commit(sha)!.author.email);
      if (u) logins.add(u.login.toLowerCase());
    }
    this.contributorCache.set(key, { head, logins });
    return logins;
  }

  branchSha(repo: RepoRecord, branch: string): string | undefined {
    return repo.refs.get(`refs/heads/${branch}`);
  }

  /**
   * Resolve what GitHub accepts as a ref: branch, tag, 'heads/x', 'refs/heads/x', a full or abbreviated SHA.
   * Returns the commit SHA.
   */
  resolveRef(repo: RepoRecord, ref: string): string | undefined {
    const r = ref.replace(/^refs\//, '');
    const candidates = [`refs/heads/${r}`, `refs/tags/${r}`, `refs/${r}`];
    for (const c of candidates) {
      const sha = repo.refs.get(c);
      if (sha) return sha;
    }
    if (r === 'HEAD') return this.branchSha(repo, repo.defaultBranch);
    const sha = repo.git.expand(r);
    return sha && repo.git.commit(sha) ? sha : undefined;
  }

  issue(repo: RepoRecord, number: number): IssueRecord | undefined {
    return repo.issues.get(number);
  }

  nextIssueNumber(repo: RepoRecord): number {
    let max = 0;
    for (const n of repo.issues.keys()) if (n > max) max = n;
    return max + 1;
  }

  /** Current head SHA of a pull request: the live branch while open, the recorded SHA otherwise. */
  pullHeadSha(repo: RepoRecord, pr: PullRecord, state: 'open' | 'closed'): string {
    if (state === 'open') return this.branchSha(repo, pr.headRef) ?? pr.headSha;
    return pr.headSha;
  }

  pullBaseSha(repo: RepoRecord, pr: PullRecord, state: 'open' | 'closed'): string {
    if (state === 'open') return this.branchSha(repo, pr.baseRef) ?? pr.baseSha;
    return pr.baseSha;
  }

  /** Signature for a commit made by a user through the API (GitHub uses the noreply address). */
  signatureFor(login: string, date = this.now()): GitSignature {
    const u = this.user(login);
    return { name: u?.name ?? login, email: u ? noreplyEmail(u) : `${login}@users.noreply.github.com`, date };
  }
}

export function noreplyEmail(u: UserRecord): string {
  return `${u.id}+${u.login}@users.noreply.github.com`;
}
