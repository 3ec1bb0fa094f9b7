/**
 * Repository behaviour shared by routes and shapes: merging, pull request diffs and mergeability,
 * review comment positions.
 */
import { createHash } from 'node:crypto';
import { type FileChange, type FlatFile, locateInPatch } from './git.ts';
import type { IssueRecord, PullRecord, RepoRecord, ReviewCommentRecord, SandboxState } from './state.ts';

export interface MergeResult {
  /** Paths changed differently on both sides since the merge base. */
  conflicts: string[];
  /** Root tree of the merged result (only meaningful without conflicts). */
  tree: string;
}

/**
 * File-level three-way merge of `head` into `base`: a path changed on only one side takes that side;
 * changed identically on both is fine; changed differently on both is a conflict. (GitHub merges lines;
 * file granularity is a deliberate, predictable simplification.)
 */
export function threeWayMerge(repo: RepoRecord, base: string, head: string): MergeResult {
  const git = repo.git;
  const mb = git.mergeBase(base, head);
  const baseTree = git.commit(base)!.tree;
  const headTree = git.commit(head)!.tree;
  const o = mb ? git.flatten(git.commit(mb)!.tree) : new Map<string, FlatFile>();
  const b = git.flatten(baseTree);
  const h = git.flatten(headTree);
  const conflicts: string[] = [];
  const changes = new Map<string, FlatFile | null>();
  for (const path of new Set([...o.keys(), ...b.keys(), ...h.keys()])) {
    const os = o.get(path)?.sha;
    const bs = b.get(path)?.sha;
    const hs = h.get(path)?.sha;
    if (hs === os || hs === bs) continue;
    if (bs === os) changes.set(path, h.get(path) ?? null);
    else conflicts.push(path);
  }
  return { conflicts: conflicts.sort(), tree: git.updateTree(baseTree, changes) };
}

export function pullHead(s: SandboxState, repo: RepoRecord, issue: IssueRecord): string {
  return s.pullHeadSha(repo, issue.pull!, issue.state);
}

export function pullBase(s: SandboxState, repo: RepoRecord, issue: IssueRecord): string {
  return s.pullBaseSha(repo, issue.pull!, issue.state);
}

/** Files a pull request changes: merge base → head, as GitHub's "Files changed" tab. */
export function pullChanges(s: SandboxState, repo: RepoRecord, issue: IssueRecord): FileChange[] {
  const head = pullHead(s, repo, issue);
  const base = pullBase(s, repo, issue);
  const mb = repo.git.mergeBase(base, head);
  return repo.git.diffTrees(mb ? repo.git.commit(mb)!.tree : null, repo.git.commit(head)!.tree);
}

/** Commits on the head side only (oldest first, as GitHub lists PR commits). */
export function pullCommits(s: SandboxState, repo: RepoRecord, issue: IssueRecord): string[] {
  const head = pullHead(s, repo, issue);
  const base = pullBase(s, repo, issue);
  const onBase = repo.git.ancestors(base);
  return repo.git
    .log(head)
    .filter((c) => !onBase.has(c))
    .reverse();
}

export interface Mergeability {
  mergeable: boolean | null;
  state: 'clean' | 'dirty' | 'draft' | 'unknown';
  conflicts: string[];
}

export function mergeability(s: SandboxState, repo: RepoRecord, issue: IssueRecord): Mergeability {
  const pr = issue.pull!;
  if (pr.merged || issue.state === 'closed') return { mergeable: null, state: 'unknown', conflicts: [] };
  const { conflicts } = threeWayMerge(repo, pullBase(s, repo, issue), pullHead(s, repo, issue));
  if (conflicts.length > 0) return { mergeable: false, state: 'dirty', conflicts };
  return { mergeable: true, state: pr.draft ? 'draft' : 'clean', conflicts };
}

/** GitHub reports a test-merge commit for open pull requests; ours is a stable stand-in SHA. */
export function testMergeSha(s: SandboxState, repo: RepoRecord, issue: IssueRecord): string | null {
  const pr = issue.pull!;
  if (pr.merged) return pr.mergeCommitSha;
  if (issue.state === 'closed') return null;
  return createHash('sha1')
    .update(`merge ${pullBase(s, repo, issue)} ${pullHead(s, repo, issue)}`)
    .digest('hex');
}

/** Fill in `position` and `diff_hunk` of a review comment from the pull request's diff (memoized). */
export function ensureHunk(s: SandboxState, repo: RepoRecord, issue: IssueRecord, c: ReviewCommentRecord): void {
  if (c.position !== null && c.diffHunk !== null) return;
  const change = pullChanges(s, repo, issue).find((f) => f.filename === c.path);
  const loc = change?.patch ? locateInPatch(change.patch, c.line, c.side) : undefined;
  c.position = loc?.position ?? 1;
  c.diffHunk = loc?.diffHunk ?? change?.patch?.split('\n')[0] ?? '';
}

export function openPullFor(repo: RepoRecord, head: string, base: string): IssueRecord | undefined {
  for (const i of repo.issues.values()) {
    if (i.pull && i.state === 'open' && i.pull.headRef === head && i.pull.baseRef === base) return i;
  }
  return undefined;
}

export function isPull(i: IssueRecord): i is IssueRecord & { pull: PullRecord } {
  return i.pull !== undefined;
}
