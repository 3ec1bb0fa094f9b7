/**
 * A small content-addressed git object store: blobs, trees and commits hashed exactly the way git hashes them,
 * so SHAs look real and identical content gets identical SHAs. Diffs come from jsdiff and are printed the way
 * `git diff` (and GitHub's `patch` fields) print them.
 */
import { createHash } from 'node:crypto';
import { structuredPatch } from 'diff';

export type FileMode = '100644' | '100755' | '120000' | '160000';
export type EntryMode = FileMode | '040000';

export interface TreeEntry {
  name: string;
  mode: EntryMode;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
}

export interface GitSignature {
  name: string;
  email: string;
  /** ISO 8601, UTC, second precision (`2024-03-01T09:00:00Z`). */
  date: string;
}

export interface CommitObject {
  type: 'commit';
  tree: string;
  parents: string[];
  author: GitSignature;
  committer: GitSignature;
  message: string;
}
export interface BlobObject {
  type: 'blob';
  /** Byte length (known without materializing lazy blobs). */
  size: number;
  readonly data: Buffer;
}
export interface TreeObject {
  type: 'tree';
  entries: TreeEntry[];
}
export type GitObject = BlobObject | TreeObject | CommitObject;

/** A file in a flattened tree. */
export interface FlatFile {
  sha: string;
  mode: FileMode;
}

export type ChangeStatus = 'added' | 'removed' | 'modified';

export interface FileChange {
  filename: string;
  status: ChangeStatus;
  oldSha: string | null;
  newSha: string | null;
  mode: FileMode;
  additions: number;
  deletions: number;
  binary: boolean;
  /** Hunks only (from the first `@@`), as GitHub's `patch` field; undefined for binary or oversized files. */
  patch?: string;
}

/** GitHub leaves `patch` out for files it considers too big to diff. */
const MAX_PATCH_BYTES = 512 * 1024;

export function isBinary(data: Buffer): boolean {
  return data.subarray(0, 8000).includes(0);
}

/** Number of lines in a text (a final newline does not start a new line). */
export function lineCount(text: string): number {
  if (text === '') return 0;
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return text.endsWith('\n') ? n : n + 1;
}

function hashObject(type: string, body: Buffer): string {
  const h = createHash('sha1');
  h.update(`${type} ${body.length}\0`);
  h.update(body);
  return h.digest('hex');
}

function sigLine(sig: GitSignature): string {
  return `${sig.name} <${sig.email}> ${Math.floor(Date.parse(sig.date) / 1000)} +0000`;
}

/** git orders tree entries by name, comparing directories as if their name ended in '/'. */
function treeSortKey(e: TreeEntry): string {
  return e.type === 'tree' ? `${e.name}/` : e.name;
}

export class GitStore {
  readonly objects = new Map<string, GitObject>();
  private readonly flatCache = new Map<string, Map<string, FlatFile>>();
  private readonly changeCache = new Map<string, FileChange[]>();

  putBlob(data: Buffer | string): string {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const sha = hashObject('blob', buf);
    if (!this.objects.has(sha)) this.objects.set(sha, { type: 'blob', size: buf.length, data: buf });
    return sha;
  }

  /**
   * A blob whose SHA and size are known up front and whose bytes are produced on first read: large generated
   * fixtures then cost nothing at start-up. The caller vouches for the SHA (a test recomputes it).
   */
  putLazyBlob(sha: string, size: number, make: () => Buffer): string {
    if (this.objects.has(sha)) return sha;
    let data: Buffer | undefined;
    this.objects.set(sha, {
      type: 'blob',
      size,
      get data() {
        data ??= make();
        return data;
      },
    });
    return sha;
  }

  putTree(entries: TreeEntry[]): string {
    const sorted = [...entries].sort((a, b) => (treeSortKey(a) < treeSortKey(b) ? -1 : 1));
    // One buffer per tree: many tiny Buffer.from calls dominate seeding time otherwise.
    const heads = sorted.map((e) => `${e.mode === '040000' ? '40000' : e.mode} ${e.name}\0`);
    let size = 0;
    for (const h of heads) size += Buffer.byteLength(h, 'utf8') + 20;
    const body = Buffer.allocUnsafe(size);
    let off = 0;
    sorted.forEach((e, i) => {
      off += body.write(heads[i]!, off, 'utf8');
      off += body.write(e.sha, off, 'hex');
    });
    const sha = hashObject('tree', body);
    if (!this.objects.has(sha)) this.objects.set(sha, { type: 'tree', entries: sorted });
    return sha;
  }

  putCommit(c: Omit<CommitObject, 'type'>): string {
    const lines = [`tree ${c.tree}`, ...c.parents.map((p) => `parent ${p}`)];
    lines.push(`author ${sigLine(c.author)}`, `committer ${sigLine(c.committer)}`, '', c.message);
    const sha = hashObject('commit', Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
    if (!this.objects.has(sha)) this.objects.set(sha, { type: 'commit', ...c, parents: [...c.parents] });
    return sha;
  }

  get(sha: string): GitObject | undefined {
    return this.objects.get(sha);
  }
  blob(sha: string): BlobObject | undefined {
    const o = this.objects.get(sha);
    return o?.type === 'blob' ? o : undefined;
  }
  tree(sha: string): TreeObject | undefined {
    const o = this.objects.get(sha);
    return o?.type === 'tree' ? o : undefined;
  }
  commit(sha: string): CommitObject | undefined {
    const o = this.objects.get(sha);
    return o?.type === 'commit' ? o : undefined;
  }

  /** A full SHA for an unambiguous prefix of at least 7 hex digits. */
  expand(prefix: string): string | undefined {
    const p = prefix.toLowerCase();
    if (!/^[0-9a-f]{7,40}$/.test(p)) return undefined;
    if (p.length === 40) return this.objects.has(p) ? p : undefined;
    let found: string | undefined;
    for (const sha of this.objects.keys()) {
      if (sha.startsWith(p)) {
        if (found) return undefined;
        found = sha;
      }
    }
    return found;
  }

  /** Every file (blob or link) under a tree, keyed by full path. Trees are immutable, so this is cached. */
  flatten(treeSha: string): Map<string, FlatFile> {
    const cached = this.flatCache.get(treeSha);
    if (cached) return cached;
    const out = new Map<string, FlatFile>();
    const walk = (sha: string, prefix: string): void => {
      const t = this.tree(sha);
      if (!t) return;
      for (const e of t.entries) {
        const path = prefix + e.name;
        if (e.type === 'tree') walk(e.sha, `${path}/`);
        else out.set(path, { sha: e.sha, mode: e.mode as FileMode });
      }
    };
    walk(treeSha, '');
    this.flatCache.set(treeSha, out);
    return out;
  }

  /** Build (and store) the nested trees for a flat path → file map; returns the root tree SHA. */
  buildTree(files: Map<string, FlatFile>): string {
    interface Dir {
      files: TreeEntry[];
      dirs: Map<string, Dir>;
    }
    const root: Dir = { files: [], dirs: new Map() };
    for (const [path, f] of files) {
      const parts = path.split('/');
      const name = parts.pop()!;
      let d = root;
      for (const p of parts) {
        let next = d.dirs.get(p);
        if (!next) {
          next = { files: [], dirs: new Map() };
          d.dirs.set(p, next);
        }
        d = next;
      }
      d.files.push({ name, mode: f.mode, type: f.mode === '160000' ? 'commit' : 'blob', sha: f.sha });
    }
    const write = (d: Dir): string => {
      const entries = [...d.files];
      for (const [name, sub] of d.dirs) entries.push({ name, mode: '040000', type: 'tree', sha: write(sub) });
      return this.putTree(entries);
    };
    const sha = write(root);
    if (!this.flatCache.has(sha)) this.flatCache.set(sha, new Map(files));
    return sha;
  }

  /**
   * A new tree: `base` with files set (or, for null, deleted) at the given paths. Only directories on a changed
   * path are rebuilt, as git does; empty directories disappear.
   */
  updateTree(base: string | null, changes: Map<string, FlatFile | null>): string {
    const entries = new Map<string, TreeEntry>();
    for (const e of base ? (this.tree(base)?.entries ?? []) : []) entries.set(e.name, e);
    const sub = new Map<string, Map<string, FlatFile | null>>();
    for (const [path, f] of changes) {
      const i = path.indexOf('/');
      if (i < 0) {
        if (f)
          entries.set(path, { name: path, mode: f.mode, type: f.mode === '160000' ? 'commit' : 'blob', sha: f.sha });
        else entries.delete(path);
        continue;
      }
      const dir = path.slice(0, i);
      let m = sub.get(dir);
      if (!m) {
        m = new Map();
        sub.set(dir, m);
      }
      m.set(path.slice(i + 1), f);
    }
    for (const [dir, m] of sub) {
      const cur = entries.get(dir);
      const t = this.updateTree(cur?.type === 'tree' ? cur.sha : null, m);
      if (this.tree(t)!.entries.length === 0) entries.delete(dir);
      else entries.set(dir, { name: dir, mode: '040000', type: 'tree', sha: t });
    }
    return this.putTree([...entries.values()]);
  }

  /** The entry at `path` inside a tree ('' is the tree itself). */
  entryAt(treeSha: string, path: string): TreeEntry | undefined {
    const parts = path.split('/').filter((p) => p !== '');
    let cur: TreeEntry = { name: '', mode: '040000', type: 'tree', sha: treeSha };
    for (const p of parts) {
      if (cur.type !== 'tree') return undefined;
      const next = this.tree(cur.sha)?.entries.find((e) => e.name === p);
      if (!next) return undefined;
      cur = next;
    }
    return cur;
  }

  /** All commits reachable from `sha` (inclusive). */
  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (seen.has(s)) continue;
      const c = this.commit(s);
      if (!c) continue;
      seen.add(s);
      stack.push(...c.parents);
    }
    return seen;
  }

  isAncestor(ancestor: string, of: string): boolean {
    return this.ancestors(of).has(ancestor);
  }

  /** The most recent common ancestor (by commit date) of two commits, if any. */
  mergeBase(a: string, b: string): string | undefined {
    const fromA = this.ancestors(a);
    let best: string | undefined;
    let bestDate = '';
    for (const s of this.ancestors(b)) {
      if (!fromA.has(s)) continue;
      const d = this.commit(s)!.committer.date;
      if (best === undefined || d > bestDate) {
        best = s;
        bestDate = d;
      }
    }
    return best;
  }

  /** Commits reachable from `start`, newest first (by committer date, then author date). */
  log(start: string): string[] {
    const all = [...this.ancestors(start)];
    return all.sort((x, y) => {
      const cx = this.commit(x)!;
      const cy = this.commit(y)!;
      if (cx.committer.date !== cy.committer.date) return cx.committer.date < cy.committer.date ? 1 : -1;
      return cx.author.date < cy.author.date ? 1 : cx.author.date > cy.author.date ? -1 : 0;
    });
  }

  /** Paths that differ between two trees (no diff text; cheap). */
  changedPaths(baseTree: string | null, headTree: string): string[] {
    const base = baseTree ? this.flatten(baseTree) : new Map<string, FlatFile>();
    const head = this.flatten(headTree);
    const out: string[] = [];
    for (const [p, f] of head) if (base.get(p)?.sha !== f.sha) out.push(p);
    for (const p of base.keys()) if (!head.has(p)) out.push(p);
    return out.sort();
  }

  /** File-level changes between two trees, with stats and patches (cached). */
  diffTrees(baseTree: string | null, headTree: string): FileChange[] {
    const key = `${baseTree ?? ''}..${headTree}`;
    const cached = this.changeCache.get(key);
    if (cached) return cached;
    const base = baseTree ? this.flatten(baseTree) : new Map<string, FlatFile>();
    const head = this.flatten(headTree);
    const out: FileChange[] = [];
    for (const path of this.changedPaths(baseTree, headTree)) {
      const a = base.get(path);
      const b = head.get(path);
      out.push(this.fileChange(path, a, b));
    }
    this.changeCache.set(key, out);
    return out;
  }

  /** Changes a commit introduced relative to its first parent (the root commit against the empty tree). */
  commitChanges(sha: string): FileChange[] {
    const c = this.commit(sha);
    if (!c) return [];
    const parent = c.parents[0] ? this.commit(c.parents[0]) : undefined;
    return this.diffTrees(parent?.tree ?? null, c.tree);
  }

  private fileChange(path: string, a: FlatFile | undefined, b: FlatFile | undefined): FileChange {
    const oldData = a ? (this.blob(a.sha)?.data ?? Buffer.alloc(0)) : Buffer.alloc(0);
    const newData = b ? (this.blob(b.sha)?.data ?? Buffer.alloc(0)) : Buffer.alloc(0);
    const status: ChangeStatus = !a ? 'added' : !b ? 'removed' : 'modified';
    const change: FileChange = {
      filename: path,
      status,
      oldSha: a?.sha ?? null,
      newSha: b?.sha ?? null,
      mode: (b ?? a)!.mode,
      additions: 0,
      deletions: 0,
      binary: isBinary(oldData) || isBinary(newData),
    };
    if (change.binary) return change;
    const oldText = oldData.toString('utf8');
    const newText = newData.toString('utf8');
    if (oldData.length + newData.length > MAX_PATCH_BYTES) {
      // Too big to diff: count lines the cheap way, like GitHub's summary for huge files.
      change.additions = status === 'removed' ? 0 : lineCount(newText);
      change.deletions = status === 'added' ? 0 : lineCount(oldText);
      return change;
    }
    const patch = structuredPatch(path, path, oldText, newText, undefined, undefined, { context: 3 });
    const out: string[] = [];
    for (const h of patch.hunks) {
      const oldStart = h.oldLines === 0 ? h.oldStart - 1 : h.oldStart;
      const newStart = h.newLines === 0 ? h.newStart - 1 : h.newStart;
      const range = (start: number, n: number): string => (n === 1 ? `${start}` : `${start},${n}`);
      out.push(`@@ -${range(oldStart, h.oldLines)} +${range(newStart, h.newLines)} @@`);
      for (const line of h.lines) {
        if (line.startsWith('+')) change.additions++;
        else if (line.startsWith('-')) change.deletions++;
        out.push(line);
      }
    }
    change.patch = out.join('\n');
    return change;
  }
}

/** `git diff` text for a set of changes (what `Accept: application/vnd.github.diff` returns). */
export function unifiedDiff(changes: FileChange[]): string {
  const out: string[] = [];
  for (const c of changes) {
    out.push(`diff --git a/${c.filename} b/${c.filename}`);
    if (c.status === 'added') out.push(`new file mode ${c.mode}`);
    if (c.status === 'removed') out.push(`deleted file mode ${c.mode}`);
    const idx = `index ${(c.oldSha ?? '0'.repeat(40)).slice(0, 7)}..${(c.newSha ?? '0'.repeat(40)).slice(0, 7)}`;
    out.push(c.status === 'modified' ? `${idx} ${c.mode}` : idx);
    if (c.binary) {
      const from = c.status === 'added' ? '/dev/null' : `a/${c.filename}`;
      const to = c.status === 'removed' ? '/dev/null' : `b/${c.filename}`;
      out.push(`Binary files ${from} and ${to} differ`);
      continue;
    }
    out.push(c.status === 'added' ? '--- /dev/null' : `--- a/${c.filename}`);
    out.push(c.status === 'removed' ? '+++ /dev/null' : `+++ b/${c.filename}`);
    // An oversized text file keeps its headers but, as on GitHub, no hunks.
    if (c.patch) out.push(c.patch);
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

/**
 * Where a line of a file sits in its patch: GitHub's `position` (1 = the line after the first `@@`) and the
 * `diff_hunk` shown with a review comment (from the enclosing `@@` header through the commented line).
 */
export function locateInPatch(
  patch: string,
  line: number,
  side: 'LEFT' | 'RIGHT' = 'RIGHT',
): { position: number; diffHunk: string } | undefined {
  const lines = patch.split('\n');
  let oldLine = 0;
  let newLine = 0;
  let hunkStart = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const m = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(l);
    if (m) {
      oldLine = Number(m[1]);
      newLine = Number(m[2]);
      hunkStart = i;
      continue;
    }
    if (l.startsWith('\\')) continue;
    const isOld = l.startsWith('-');
    const isNew = l.startsWith('+');
    const hit = side === 'RIGHT' ? !isOld && newLine === line : !isNew && oldLine === line;
    if (hit) return { position: i, diffHunk: lines.slice(hunkStart, i + 1).join('\n') };
    if (!isNew) oldLine++;
    if (!isOld) newLine++;
  }
  return undefined;
}
