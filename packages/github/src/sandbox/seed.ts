/**
 * Deterministic seed data: no randomness, fixed timestamps, so two sandboxes are identical and SHAs are stable.
 * acme/widgets carries the interesting history (40-odd commits, tags, releases, issues, pull requests and
 * Actions); the other repositories are small.
 */
import { type FlatFile, type GitSignature, GitStore } from './git.ts';
import * as F from './seed-files.ts';
import { seedIssues } from './seed-issues.ts';
import { at } from './seed-time.ts';
import {
  emptyReactions,
  isoSeconds,
  type JobRecord,
  noreplyEmail,
  type RepoRecord,
  type RunRecord,
  SandboxState,
  type StepRecord,
  type UserRecord,
} from './state.ts';

export { at, SEED_EPOCH } from './seed-time.ts';

function user(u: Partial<UserRecord> & Pick<UserRecord, 'login' | 'id'>): UserRecord {
  return {
    type: 'User',
    name: null,
    email: null,
    company: null,
    blog: '',
    location: null,
    bio: null,
    twitter: null,
    hireable: null,
    followers: 0,
    following: 0,
    publicGists: 0,
    createdAt: '2011-01-25T18:44:36Z',
    updatedAt: '2024-02-20T11:02:13Z',
    ...u,
  };
}

function seedUsers(s: SandboxState): void {
  s.addUser(
    user({
      login: 'octocat',
      id: 583231,
      name: 'The Octocat',
      email: 'octocat@acme.example',
      company: '@acme',
      blog: 'https://acme.example/blog',
      location: 'San Francisco',
      bio: 'Maintainer of @acme/widgets.',
      twitter: 'octocat',
      followers: 17420,
      following: 9,
      publicGists: 8,
    }),
  );
  s.addUser(
    user({
      login: 'hubot',
      id: 480938,
      name: 'Hubot',
      email: 'hubot@acme.example',
      company: 'Acme Corp',
      location: 'The Internet',
      bio: 'Robot. Writes code, ships widgets.',
      followers: 1203,
      following: 4,
      createdAt: '2010-11-04T08:12:49Z',
    }),
  );
  s.addUser(
    user({
      login: 'monalisa',
      id: 2154917,
      name: 'Mona Lisa Octocat',
      email: 'mona@studio.example',
      company: 'Studio Mona',
      location: 'Lisbon, Portugal',
      bio: 'Freelance front-end developer; outside collaborator on acme/widgets.',
      hireable: true,
      followers: 318,
      following: 51,
      createdAt: '2012-08-14T10:31:02Z',
    }),
  );
  s.addUser(
    user({
      login: 'pat-contrib',
      id: 10137342,
      name: 'Pat Contributor',
      email: 'pat@contrib.example',
      location: 'Toronto',
      bio: 'Open source contributor.',
      followers: 42,
      following: 77,
      createdAt: '2014-12-01T16:20:00Z',
    }),
  );
  s.addUser(
    user({
      login: 'drive-by-dev',
      id: 87340912,
      name: 'Drive-by Dev',
      email: null,
      bio: null,
      followers: 2,
      following: 0,
      createdAt: '2023-06-30T22:14:51Z',
    }),
  );
  s.addUser(
    user({
      login: 'dependabot[bot]',
      id: 49699333,
      type: 'Bot',
      createdAt: '2019-04-16T22:34:25Z',
      updatedAt: '2024-01-04T16:01:12Z',
    }),
  );
  s.addUser(
    user({
      login: 'acme',
      id: 9919022,
      type: 'Organization',
      name: 'Acme Corp',
      email: 'opensource@acme.example',
      blog: 'https://acme.example',
      location: 'Worldwide',
      bio: 'We make widgets.',
      followers: 2301,
      createdAt: '2014-03-11T09:00:00Z',
    }),
  );
  // GitHub's own accounts: web-flow signs web commits and merges, ghost stands in for deleted users.
  s.addUser(user({ login: 'web-flow', id: 19864447, name: 'GitHub Web Flow', createdAt: '2016-06-14T20:29:09Z' }));
  s.addUser(user({ login: 'ghost', id: 10137, name: 'Deleted user', bio: 'Hi, I am all the deleted users.' }));
  s.orgs.set('acme', {
    login: 'acme',
    baseRole: 'read',
    members: new Map([
      ['octocat', 'admin'],
      ['hubot', 'member'],
    ]),
  });
}

interface RepoInit {
  id: number;
  owner: string;
  name: string;
  private?: boolean;
  description: string;
  homepage?: string | null;
  language: string | null;
  topics?: string[];
  license?: RepoRecord['license'];
  createdAt: string;
  stargazers?: number;
  subscribers?: number;
  forks?: number;
}

const MIT = { key: 'mit', name: 'MIT License', spdxId: 'MIT' };

function newRepo(init: RepoInit): RepoRecord {
  return {
    id: init.id,
    owner: init.owner,
    name: init.name,
    private: init.private ?? false,
    description: init.description,
    homepage: init.homepage ?? null,
    language: init.language,
    topics: init.topics ?? [],
    license: init.license ?? null,
    defaultBranch: 'main',
    createdAt: init.createdAt,
    updatedAt: init.createdAt,
    pushedAt: init.createdAt,
    stargazers: init.stargazers ?? 0,
    subscribers: init.subscribers ?? 1,
    forks: init.forks ?? 0,
    hasWiki: true,
    hasPages: false,
    hasDiscussions: false,
    archived: false,
    collaborators: new Map(),
    git: new GitStore(),
    refs: new Map(),
    protectedBranches: new Set(),
    issues: new Map(),
    labels: [],
    milestones: [],
    releases: [],
    workflows: [],
    runs: [],
  };
}

/** A mutable working tree that commits into a repository's object store. */
class WorkTree {
  readonly files: Map<string, Buffer | string | F.LazyFile>;
  head: string | undefined;
  private readonly s: SandboxState;
  private readonly repo: RepoRecord;
  /** Tree of `head`, and the paths touched since: commits only re-hash what changed (seeding must be fast). */
  private treeSha: string | null;
  private readonly dirty = new Set<string>();

  constructor(s: SandboxState, repo: RepoRecord, from?: WorkTree) {
    this.s = s;
    this.repo = repo;
    this.files = new Map(from?.files ?? []);
    this.head = from?.head;
    this.treeSha = from?.treeSha ?? null;
  }

  write(path: string, content: Buffer | string | F.LazyFile): this {
    this.files.set(path, content);
    this.dirty.add(path);
    return this;
  }
  remove(path: string): this {
    this.files.delete(path);
    this.dirty.add(path);
    return this;
  }
  /** Replace text that must be present (guards the seed script against drifting edits). */
  edit(path: string, from: string, to: string): this {
    const cur = this.files.get(path);
    if (typeof cur !== 'string' || !cur.includes(from)) throw new Error(`seed edit: ${path} lacks ${from}`);
    return this.write(path, cur.replace(from, to));
  }
  append(path: string, text: string): this {
    const cur = this.files.get(path);
    if (typeof cur !== 'string') throw new Error(`seed append: ${path} missing`);
    return this.write(path, cur + text);
  }

  /** Copy another work tree's files (e.g. a merged branch) into this one. */
  take(other: WorkTree): this {
    for (const [p, v] of other.files) if (this.files.get(p) !== v) this.write(p, v);
    for (const p of this.files.keys()) if (!other.files.has(p)) this.remove(p);
    return this;
  }

  tree(): string {
    const changes = new Map<string, FlatFile | null>();
    for (const p of this.dirty) {
      const c = this.files.get(p);
      if (c === undefined) {
        changes.set(p, null);
        continue;
      }
      const sha =
        typeof c === 'string' || Buffer.isBuffer(c)
          ? this.repo.git.putBlob(c)
          : this.repo.git.putLazyBlob(c.sha, c.size, c.make);
      changes.set(p, { sha, mode: '100644' });
    }
    this.dirty.clear();
    this.treeSha = this.repo.git.updateTree(this.treeSha, changes);
    return this.treeSha;
  }

  /** Commit the working tree; `by` is a login (or GitHub for web merges), `extraParents` for merges. */
  commit(message: string, by: string, date: string, opts: { web?: boolean; extraParents?: string[] } = {}): string {
    const author = sig(this.s, by, date);
    const committer: GitSignature = opts.web ? { name: 'GitHub', email: 'noreply@github.com', date } : author;
    const parents = [...(this.head ? [this.head] : []), ...(opts.extraParents ?? [])];
    this.head = this.repo.git.putCommit({ tree: this.tree(), parents, author, committer, message });
    return this.head;
  }
}

function sig(s: SandboxState, login: string, date: string): GitSignature {
  const u = s.user(login);
  if (!u) throw new Error(`seed: unknown user ${login}`);
  // Most people commit with their real email; the bot commits with its noreply address.
  return { name: u.name ?? u.login, email: u.type === 'Bot' ? noreplyEmail(u) : (u.email ?? noreplyEmail(u)), date };
}

/** Commits of acme/widgets' history that other seed parts refer to. */
export interface WidgetsHistory {
  main: string[];
  branches: Record<string, string>;
  /** PR head/base bookkeeping for seedIssues. */
  pulls: Record<string, { head: string; base: string; mergeCommit?: string }>;
}

function seedWidgetsHistory(s: SandboxState, repo: RepoRecord): WidgetsHistory {
  const w = new WorkTree(s, repo);
  const main: string[] = [];
  const c = (day: number, by: string, message: string, opts?: { web?: boolean; extraParents?: string[] }): void => {
    main.push(w.commit(message, by, at(day, 1 + (main.length % 7), (main.length * 13) % 60), opts));
  };
  const changes: Array<[string, string, string[]]> = [];
  const log = (version: string, day: number, notes: string[]): void => {
    changes.unshift([version, at(day).slice(0, 10), notes]);
    w.write('CHANGELOG.md', F.changelog(changes));
  };

  w.write('README.md', F.README_MD)
    .write('LICENSE', F.LICENSE)
    .write('.gitignore', F.GITIGNORE)
    .write('package.json', F.packageJson('0.0.1'))
    .write('tsconfig.json', F.TSCONFIG)
    .write('src/index.ts', F.INDEX_TS)
    .write('src/widget.ts', F.WIDGET_TS)
    .write('src/utils/format.ts', F.FORMAT_TS)
    .write('test/widget.test.ts', F.WIDGET_TEST_TS);
  c(0, 'octocat', 'Initial commit');
  w.write('src/utils/retry.ts', F.RETRY_TS).edit(
    'src/index.ts',
    "import { formatLabel, formatNumber } from './utils/format.js';\n",
    "import { formatLabel, formatNumber } from './utils/format.js';\nexport { retry, type RetryOptions } from './utils/retry.js';\n",
  );
  c(1, 'hubot', 'Add retry helper');
  w.write('.github/workflows/ci.yml', F.CI_YML);
  c(2, 'octocat', 'Add CI workflow');
  w.write('test/format.test.ts', F.FORMAT_TEST_TS);
  c(3, 'monalisa', 'Add formatter tests');
  w.edit(
    'README.md',
    '## Usage\n',
    '## Install\n\n```sh\nnpm install @acme/widgets\n```\n\nRequires Node.js 18 or later.\n\n## Usage\n',
  );
  c(4, 'pat-contrib', 'Document installation in the README\n\nCloses #2');
  w.write('docs/images/logo.png', F.logoPng()).edit(
    'README.md',
    '# @acme/widgets\n',
    '# @acme/widgets\n\n<img src="docs/images/logo.png" alt="Acme widgets logo" width="64">\n',
  );
  c(5, 'octocat', 'Add logo');
  w.write('docs/guide.md', F.GUIDE_MD);
  c(6, 'hubot', 'Add user guide');
  w.write('package.json', F.packageJson('0.1.0'));
  log('0.1.0', 7, ['First release: grid layout, rendering, retry helper.']);
  c(7, 'octocat', 'Release 0.1.0');
  w.edit(
    'src/index.ts',
    '\nexport interface GridOptions {',
    '\n/** Register an extra widget kind (or override a built-in one). */\nexport function registerKind(kind: string, spec: KindSpec): void {\n  BUILTIN_KINDS[kind] = spec;\n}\n\nexport interface GridOptions {',
  );
  c(8, 'hubot', 'Support custom widget kinds\n\nCloses #3');
  w.edit('src/index.ts', 'if (column + span >= options.columns) {', 'if (column + span > options.columns) {');
  c(9, 'monalisa', 'Fix off-by-one when wrapping grid rows\n\nFixes #1');
  w.write('data/fixtures.json', F.FIXTURES_FILE);
  c(10, 'hubot', 'Add rendering fixtures');
  w.write('.github/workflows/release.yml', F.RELEASE_YML);
  c(11, 'octocat', 'Add release workflow');
  w.edit(
    'src/utils/format.ts',
    'export function formatLabel(label: string): string {\n  return label\n',
    "export function formatLabel(label: string | undefined): string {\n  if (!label) return '';\n  return label\n",
  );
  c(12, 'pat-contrib', 'Handle empty labels in formatLabel\n\nFixes #4');
  w.write('.github/workflows/nightly.yml', F.NIGHTLY_YML);
  c(13, 'hubot', 'Add nightly e2e workflow');
  w.write('data/big-dataset.csv', F.BIG_DATASET_FILE);
  c(14, 'hubot', 'Add benchmark dataset');
  w.write('package.json', F.packageJson('0.2.0'));
  log('0.2.0', 15, ['Custom widget kinds (`registerKind`).', 'Fix: rows wrapped one column too early.']);
  c(15, 'octocat', 'Release 0.2.0');
  w.append(
    'src/index.ts',
    '\ntype RenderHook = (html: string) => void;\nconst renderHooks: RenderHook[] = [];\n\n/** Be told every time `render` produces HTML (e.g. for analytics). */\nexport function onRender(hook: RenderHook): () => void {\n  renderHooks.push(hook);\n  return () => {\n    renderHooks.splice(renderHooks.indexOf(hook), 1);\n  };\n}\n',
  );
  c(16, 'octocat', 'Add onRender hook');

  // PR "Add theme support": branch off main, squash-merged two days later.
  const theme = new WorkTree(s, repo, w);
  theme
    .write('src/theme.ts', F.THEME_TS)
    .edit(
      'src/index.ts',
      'export type { WidgetOptions };\n',
      "export type { WidgetOptions };\nexport { currentTheme, setTheme, type Theme } from './theme.js';\n",
    );
  const themeBase = w.head!;
  theme.commit('Add Theme type and LIGHT theme', 'monalisa', at(16, 8));
  theme.edit(
    'src/theme.ts',
    'let current: Theme = LIGHT;',
    '/** The theme used when none is set. */\nlet current: Theme = LIGHT;',
  );
  const themeHead = theme.commit('Document the default theme', 'monalisa', at(16, 9));
  w.take(theme);
  c(17, 'monalisa', 'Add theme support (#9)\n\n* Add Theme type and LIGHT theme\n* Document the default theme', {
    web: true,
  });
  const themeMerge = main.at(-1)!;

  w.edit(
    'docs/guide.md',
    're-runs a failing async function;',
    're-runs a failing async function, waiting `delayMs` between attempts and rethrowing the last error;',
  );
  c(18, 'hubot', 'Clarify retry semantics in the guide');
  w.edit(
    'src/index.ts',
    'export type { WidgetOptions };\n',
    "export type { WidgetOptions };\n\nexport const VERSION = '0.2.0';\n",
  );
  c(19, 'octocat', 'Export VERSION constant');

  // PR "Add dark mode": merged with a merge commit, branch kept.
  const dark = new WorkTree(s, repo, w);
  const darkBase = w.head!;
  dark
    .edit(
      'src/theme.ts',
      'let current: Theme',
      "export const DARK: Theme = { name: 'dark', background: '#0d1117', foreground: '#e6edf3', accent: '#4493f8' };\n\nlet current: Theme",
    )
    .edit(
      'README.md',
      '## License\n',
      '## Themes\n\n`setTheme(DARK)` switches every widget to the dark palette.\n\n## License\n',
    );
  const darkHead = dark.commit('Add dark theme', 'hubot', at(20, 0, 30));
  w.take(dark);
  c(20, 'hubot', 'Merge pull request #11 from acme/feature/dark-mode\n\nAdd dark mode', {
    web: true,
    extraParents: [darkHead],
  });
  const darkMerge = main.at(-1)!;

  w.edit('tsconfig.json', '"strict": true', '"strict": true,\n    "noUncheckedIndexedAccess": true');
  c(21, 'monalisa', 'Enable noUncheckedIndexedAccess');
  w.write('package.json', F.packageJson('1.0.0')).edit('src/index.ts', "VERSION = '0.2.0'", "VERSION = '1.0.0'");
  log('1.0.0', 22, ['Themes, including a dark theme.', '`onRender` hook.', 'Stable API.']);
  c(22, 'octocat', 'Release 1.0.0');

  // PR "Experimental canvas renderer": closed without merging.
  const canvas = new WorkTree(s, repo, w);
  const canvasBase = w.head!;
  canvas.write('src/canvas.ts', F.CANVAS_TS);
  const canvasHead = canvas.commit('Experimental canvas renderer', 'octocat', at(22, 6));

  w.edit(
    'src/widget.ts',
    '  toJSON(): WidgetOptions {',
    '  /** Drop all listeners; call when the widget is removed. */\n  dispose(): void {\n    this.listeners = [];\n  }\n\n  toJSON(): WidgetOptions {',
  );
  c(23, 'hubot', 'Fix listener leak on dispose');
  w.edit(
    'src/index.ts',
    '    attrs.push(\'tabindex="0"\');\n  }\n',
    "    attrs.push('tabindex=\"0\"');\n  }\n  if (cell.widget.label) {\n    attrs.push('aria-label=\"' + label + '\"');\n  }\n",
  );
  c(24, 'monalisa', 'Add aria-label to labelled widgets');
  w.append(
    'docs/guide.md',
    '\n## Keyboard navigation\n\nFocusable widgets are reachable with Tab in document order. Use `disabled` to take a widget out of the\ntab order.\n',
  );
  c(25, 'pat-contrib', 'Document keyboard navigation');
  w.append(
    'src/utils/format.ts',
    "\n/** 1500 -> \"1.5s\", 90000 -> \"1m 30s\". */\nexport function formatDuration(ms: number): string {\n  if (ms < 1000) return ms + 'ms';\n  const s = ms / 1000;\n  if (s < 60) return Math.round(s * 10) / 10 + 's';\n  const m = Math.floor(s / 60);\n  return m + 'm ' + Math.round(s - m * 60) + 's';\n}\n",
  ).append(
    'test/format.test.ts',
    "\ndescribe('formatDuration', () => {\n  it('formats minutes', async () => {\n    const { formatDuration } = await import('../src/utils/format.js');\n    expect(formatDuration(90000)).toBe('1m 30s');\n  });\n});\n",
  );
  c(26, 'hubot', 'Add formatDuration');
  w.edit(
    'src/index.ts',
    "  const body = cells.map(renderCell).join('\\n');\n",
    "  const parts: string[] = [];\n  for (const cell of cells) {\n    parts.push(renderCell(cell));\n  }\n  const body = parts.join('\\n');\n",
  );
  c(27, 'octocat', 'Refactor render loop');
  w.write('package.json', F.packageJson('1.0.0', '^2.1.1', '^5.6.2'));
  c(28, 'hubot', 'Update dev dependencies');
  w.write('package.json', F.packageJson('1.1.0', '^2.1.1', '^5.6.2')).edit(
    'src/index.ts',
    "VERSION = '1.0.0'",
    "VERSION = '1.1.0'",
  );
  log('1.1.0', 29, ['Accessibility: `aria-label` for labelled widgets.', '`formatDuration`.', 'Fix: listener leak.']);
  c(29, 'octocat', 'Release 1.1.0');
  const release1x = main.at(-1)!;
  w.append(
    'src/index.ts',
    '\n/** Render several independent grids at once, e.g. one per dashboard tab. */\nexport function renderAll(groups: Widget[][], options: GridOptions = DEFAULT_GRID): string[] {\n  return groups.map((widgets) => render(widgets, options));\n}\n',
  );
  c(30, 'hubot', 'Add renderAll for batch rendering');
  w.edit(
    'src/index.ts',
    "throw new Error('unknown widget kind: ' + cell.widget.kind);",
    "throw new Error('unknown widget kind \"' + cell.widget.kind + '\" (widget ' + cell.widget.id + '); register it with registerKind()');",
  ).edit(
    'src/widget.ts',
    '    this.id = options.id;\n',
    "    if (!options.id) {\n      throw new Error('widget id is required');\n    }\n    this.id = options.id;\n",
  );
  c(31, 'monalisa', 'Improve error messages');
  w.edit(
    'README.md',
    '## License\n',
    '## Contributing\n\nIssues and pull requests are welcome. Run `npm test` before opening a PR; CI runs lint, tests on\nNode 20 and 22, and a build.\n\n## License\n',
  );
  c(32, 'octocat', 'Add contributing section to README');

  // PR "Locale-aware number formatting": branched here; main later rewrites the same function (conflict).
  const locale = new WorkTree(s, repo, w);
  const localeBase = w.head!;
  locale.edit(
    'src/utils/format.ts',
    "/** Group thousands with commas: 1234567 -> \"1,234,567\". */\nexport function formatNumber(n: number): string {\n  const [int, frac] = String(n).split('.');\n  const grouped = int.replace(/\\B(?=(\\d{3})+(?!\\d))/g, ',');\n  return frac ? grouped + '.' + frac : grouped;\n}",
    "/** Group thousands with the locale's separator: 1234567 -> \"1.234.567\" in de-DE. */\nexport function formatNumber(n: number, locale?: string): string {\n  const sep = locale?.startsWith('de') ? '.' : ',';\n  const [int, frac] = String(n).split('.');\n  const grouped = int.replace(/\\B(?=(\\d{3})+(?!\\d))/g, sep);\n  return frac ? grouped + (sep === '.' ? ',' : '.') + frac : grouped;\n}",
  );
  locale.commit('Support de-DE separators in formatNumber', 'monalisa', at(32, 9));
  locale.append(
    'test/format.test.ts',
    "\ndescribe('formatNumber locales', () => {\n  it('uses dots for de-DE', () => {\n    expect(formatNumber(1234.5, 'de-DE')).toBe('1.234,5');\n  });\n});\n",
  );
  const localeHead = locale.commit('Test de-DE formatting', 'monalisa', at(32, 10));

  w.edit(
    'src/index.ts',
    '/** Place widgets left to right',
    'const layoutCache = new WeakMap<Widget[], Cell[]>();\n\n/** Place widgets left to right',
  )
    .edit(
      'src/index.ts',
      '  const cells: Cell[] = [];\n  let row = 0;',
      '  const cached = layoutCache.get(widgets);\n  if (cached && options === DEFAULT_GRID) {\n    return cached;\n  }\n  const cells: Cell[] = [];\n  let row = 0;',
    )
    .edit(
      'src/index.ts',
      '    column += span;\n  }\n  return cells;',
      '    column += span;\n  }\n  if (options === DEFAULT_GRID) {\n    layoutCache.set(widgets, cells);\n  }\n  return cells;',
    );
  c(33, 'hubot', 'Cache computed layouts');
  w.edit(
    'test/widget.test.ts',
    "  it('wraps rows', () => {\n    const widgets = [1, 2, 3].map((i) => new Widget({ id: String(i), kind: 'card', span: 6 }));\n    expect(layout(widgets).map((c) => c.row)).toEqual([0, 0, 1]);",
    "  it('wraps rows', () => {\n    const widgets = [1, 2, 3].map((i) => new Widget({ id: 'w' + i, kind: 'card', span: 6 }));\n    expect(layout(widgets, { columns: 12, gap: 0, padding: 0 }).map((c) => c.row)).toEqual([0, 0, 1]);",
  );
  c(34, 'monalisa', 'Fix flaky layout test');

  // PR "Exponential backoff for retry": branched here; touches only retry files (mergeable).
  const backoff = new WorkTree(s, repo, w);
  const backoffBase = w.head!;
  backoff
    .edit(
      'src/utils/retry.ts',
      '  delayMs: number;\n}',
      '  delayMs: number;\n  /** Multiply the delay by this after each failure (default 1: constant delay). */\n  factor?: number;\n}',
    )
    .edit(
      'src/utils/retry.ts',
      '        await sleep(options.delayMs);',
      '        await sleep(options.delayMs * (options.factor ?? 1) ** (attempt - 1));',
    );
  backoff.commit('Add exponential backoff to retry', 'hubot', at(34, 7));
  backoff.write('test/retry.test.ts', F.RETRY_TEST_TS);
  const backoffHead = backoff.commit('Test retry backoff', 'hubot', at(34, 8));

  w.append(
    'src/utils/format.ts',
    "\nconst UNITS = ['B', 'KB', 'MB', 'GB'];\n\n/** 1536 -> \"1.5 KB\". */\nexport function formatBytes(bytes: number): string {\n  let value = bytes;\n  let unit = 0;\n  while (value >= 1024 && unit < UNITS.length - 1) {\n    value /= 1024;\n    unit++;\n  }\n  return (unit === 0 ? value : value.toFixed(1)) + ' ' + UNITS[unit];\n}\n",
  );
  c(35, 'pat-contrib', 'Add formatBytes');
  w.edit(
    'src/utils/format.ts',
    "/** Group thousands with commas: 1234567 -> \"1,234,567\". */\nexport function formatNumber(n: number): string {\n  const [int, frac] = String(n).split('.');\n  const grouped = int.replace(/\\B(?=(\\d{3})+(?!\\d))/g, ',');\n  return frac ? grouped + '.' + frac : grouped;\n}",
    '/** Group thousands the way the locale does: 1234567 -> "1,234,567" in en-US. */\nexport function formatNumber(n: number, locale = \'en-US\'): string {\n  return new Intl.NumberFormat(locale).format(n);\n}',
  );
  c(36, 'hubot', 'Use Intl.NumberFormat for locale-aware grouping');
  w.write('package.json', F.packageJson('1.2.0-rc.1', '^2.1.1', '^5.6.2')).edit(
    'src/index.ts',
    "VERSION = '1.1.0'",
    "VERSION = '1.2.0-rc.1'",
  );
  log('1.2.0-rc.1', 37, ['`renderAll`, layout cache, `formatBytes`.', 'Locale-aware `formatNumber`.']);
  c(37, 'octocat', 'Release 1.2.0-rc.1');

  // PR "Plugin API": multi-file, reviewed, mergeable.
  const plugins = new WorkTree(s, repo, w);
  const pluginsBase = w.head!;
  plugins.write('src/plugins.ts', F.PLUGINS_TS);
  plugins.commit('Add plugin registry', 'octocat', at(37, 8));
  plugins
    .edit(
      'src/index.ts',
      "import { formatLabel, formatNumber } from './utils/format.js';\n",
      "import { pluginKinds } from './plugins.js';\nimport { formatLabel, formatNumber } from './utils/format.js';\n",
    )
    .edit(
      'src/index.ts',
      '  const spec = BUILTIN_KINDS[cell.widget.kind];',
      '  const spec = BUILTIN_KINDS[cell.widget.kind] ?? pluginKinds()[cell.widget.kind];',
    )
    .append('src/index.ts', "\nexport { registerPlugin, unregisterPlugin, type Plugin } from './plugins.js';\n");
  plugins.commit('Resolve plugin kinds when rendering', 'octocat', at(37, 9));
  plugins.write('docs/plugins.md', F.PLUGINS_MD).write('test/plugins.test.ts', F.PLUGINS_TEST_TS);
  const pluginsHead = plugins.commit('Document and test plugins', 'octocat', at(38, 2));

  w.append(
    'docs/guide.md',
    '\n## Roadmap\n\n- Plugin API for third-party widget kinds (1.2)\n- Canvas renderer (exploring)\n',
  );
  c(38, 'octocat', 'Document plugin roadmap');

  // Draft PR "Rewrite the layout section of the guide".
  const guide = new WorkTree(s, repo, w);
  const guideBase = w.head!;
  guide.edit(
    'docs/guide.md',
    'Widgets are placed left to right on a 12-column grid.',
    'Widgets are placed left to right on a 12-column grid (see `DEFAULT_GRID`).\n\n```ts\nlayout([new Widget({ id: "a", kind: "card", span: 8 }), new Widget({ id: "b", kind: "card", span: 8 })]);\n// -> a on row 0, b wraps to row 1\n```\n\n',
  );
  const guideHead = guide.commit('WIP: rewrite layout section with examples', 'hubot', at(38, 5));

  w.edit(
    'README.md',
    '# @acme/widgets\n',
    '# @acme/widgets\n\n[![CI](https://github.com/acme/widgets/actions/workflows/ci.yml/badge.svg)](https://github.com/acme/widgets/actions/workflows/ci.yml) [![npm](https://img.shields.io/npm/v/@acme/widgets)](https://www.npmjs.com/package/@acme/widgets)\n',
  );
  c(39, 'hubot', 'Update README badges');

  // Dependabot PR on top of the latest main.
  const deps = new WorkTree(s, repo, w);
  const depsBase = w.head!;
  deps.write('package.json', F.packageJson('1.2.0-rc.1', '^3.2.4', '^5.6.2'));
  const depsHead = deps.commit(
    'chore(deps-dev): bump vitest from 2.1.1 to 3.2.4\n\nBumps [vitest](https://github.com/vitest-dev/vitest/tree/HEAD/packages/vitest) from 2.1.1 to 3.2.4.\n\nSigned-off-by: dependabot[bot] <support@github.com>',
    'dependabot[bot]',
    at(39, 6),
  );

  const branches: Record<string, string> = {
    main: w.head!,
    'release/1.x': release1x,
    'feature/dark-mode': darkHead,
    'experiment/canvas-renderer': canvasHead,
    'fix/format-locale': localeHead,
    'feature/retry-backoff': backoffHead,
    'feature/plugin-api': pluginsHead,
    'docs/guide-update': guideHead,
    'dependabot/npm_and_yarn/vitest-3.2.4': depsHead,
  };
  for (const [b, sha] of Object.entries(branches)) repo.refs.set(`refs/heads/${b}`, sha);
  repo.protectedBranches.add('main');
  repo.protectedBranches.add('release/1.x');
  const tags: Record<string, number> = { 'v0.1.0': 7, 'v0.2.0': 15, 'v1.0.0': 22, 'v1.1.0': 29, 'v1.2.0-rc.1': 37 };
  for (const [t, day] of Object.entries(tags)) {
    repo.refs.set(`refs/tags/${t}`, main[day]!);
  }
  repo.pushedAt = at(39, 8);
  repo.updatedAt = at(39, 8);

  return {
    main,
    branches,
    pulls: {
      theme: { head: themeHead, base: themeBase, mergeCommit: themeMerge },
      dark: { head: darkHead, base: darkBase, mergeCommit: darkMerge },
      canvas: { head: canvasHead, base: canvasBase },
      locale: { head: localeHead, base: localeBase },
      backoff: { head: backoffHead, base: backoffBase },
      plugins: { head: pluginsHead, base: pluginsBase },
      guide: { head: guideHead, base: guideBase },
      deps: { head: depsHead, base: depsBase },
    },
  };
}

function seedReleases(repo: RepoRecord): void {
  const rel = (
    id: number,
    tag: string,
    day: number,
    body: string,
    extra: Partial<(typeof repo.releases)[number]> = {},
  ): void => {
    repo.releases.push({
      id,
      tagName: tag,
      targetCommitish: 'main',
      name: tag,
      body,
      draft: false,
      prerelease: false,
      author: 'octocat',
      createdAt: at(day, 2),
      publishedAt: at(day, 3),
      assets: [
        {
          id: id + 500_000,
          name: `widgets-${tag.slice(1)}.tgz`,
          label: null,
          contentType: 'application/gzip',
          size: 18_211 + (id % 1000) * 13,
          downloadCount: 40 + (id % 97),
          createdAt: at(day, 3),
          updatedAt: at(day, 3),
          uploader: 'octocat',
        },
      ],
      ...extra,
    });
  };
  rel(151_000_001, 'v0.1.0', 7, "## What's Changed\n* First release: grid layout, rendering and a retry helper.\n");
  rel(
    151_000_002,
    'v0.2.0',
    15,
    "## What's Changed\n* Support custom widget kinds by @hubot\n* Fix off-by-one when wrapping grid rows by @monalisa\n* Handle empty labels in formatLabel by @pat-contrib in #4\n\n**Full Changelog**: https://github.com/acme/widgets/compare/v0.1.0...v0.2.0\n",
  );
  rel(
    151_000_003,
    'v1.0.0',
    22,
    "## What's Changed\n* Add theme support by @monalisa in #9\n* Add dark mode by @hubot in #11\n* `onRender` hook\n\nThe API is now stable.\n\n**Full Changelog**: https://github.com/acme/widgets/compare/v0.2.0...v1.0.0\n",
  );
  rel(
    151_000_004,
    'v1.1.0',
    29,
    "## What's Changed\n* Add aria-label to labelled widgets by @monalisa\n* Add formatDuration by @hubot\n* Fix listener leak on dispose by @hubot\n\n**Full Changelog**: https://github.com/acme/widgets/compare/v1.0.0...v1.1.0\n",
  );
  rel(
    151_000_005,
    'v1.2.0-rc.1',
    37,
    "## What's Changed\n* `renderAll` for batch rendering\n* Layout cache\n* Locale-aware `formatNumber`\n\nRelease candidate: please test and report regressions.\n",
    { prerelease: true, name: 'v1.2.0 release candidate 1' },
  );
  rel(151_000_006, 'v1.2.0', 39, "## What's Changed\n* Plugin API (#33)\n\n_Draft: waiting for the plugin PR._\n", {
    draft: true,
    publishedAt: null,
    assets: [],
  });
}

const STEP_NAMES: Record<string, string[]> = {
  lint: ['Run npm run lint'],
  test: ['Run npm test'],
  build: ['Run npm run build'],
  publish: ['Run npm publish --provenance'],
  e2e: ['Run npm run test -- --project e2e'],
};

function makeJob(
  id: number,
  run: Omit<RunRecord, 'jobs'>,
  name: string,
  offsetMin: number,
  durationMin: number,
  outcome: 'success' | 'failure' | 'cancelled' | 'skipped' | 'timed_out' | 'in_progress' | 'queued',
  failure?: JobRecord['failure'],
): JobRecord {
  const start = Date.parse(run.runStartedAt) + offsetMin * 60_000;
  const end = start + durationMin * 60_000;
  const kind = name.split(' ')[0]!;
  const main = STEP_NAMES[kind] ?? ['Run npm test'];
  const names = [
    'Set up job',
    'Run actions/checkout@v4',
    ...(kind === 'publish' ? [] : ['Run actions/setup-node@v4', 'Run npm ci']),
    ...main,
    ...(kind === 'publish' ? [] : ['Post Run actions/setup-node@v4']),
    'Post Run actions/checkout@v4',
    'Complete job',
  ];
  const mainIndex = names.indexOf(main[0]!);
  const stepSpan = (end - start) / names.length;
  const steps: StepRecord[] = names.map((n, i) => {
    const sStart = isoSeconds(start + i * stepSpan);
    const sEnd = isoSeconds(start + (i + 1) * stepSpan);
    if (outcome === 'queued') {
      return { name: n, number: i + 1, status: 'queued', conclusion: null, startedAt: null, completedAt: null };
    }
    if (outcome === 'in_progress') {
      if (i < mainIndex)
        return {
          name: n,
          number: i + 1,
          status: 'completed',
          conclusion: 'success',
          startedAt: sStart,
          completedAt: sEnd,
        };
      if (i === mainIndex)
        return {
          name: n,
          number: i + 1,
          status: 'in_progress',
          conclusion: null,
          startedAt: sStart,
          completedAt: null,
        };
      return { name: n, number: i + 1, status: 'queued', conclusion: null, startedAt: null, completedAt: null };
    }
    if (outcome === 'skipped') {
      return { name: n, number: i + 1, status: 'completed', conclusion: 'skipped', startedAt: null, completedAt: null };
    }
    let conclusion: StepRecord['conclusion'] = 'success';
    if (i === mainIndex && outcome !== 'success') conclusion = outcome === 'timed_out' ? 'cancelled' : outcome;
    if (i > mainIndex && i < names.length - 1 && outcome !== 'success') conclusion = 'skipped';
    return { name: n, number: i + 1, status: 'completed', conclusion, startedAt: sStart, completedAt: sEnd };
  });
  const done = outcome !== 'queued' && outcome !== 'in_progress';
  return {
    id,
    runId: run.id,
    runAttempt: run.runAttempt,
    name,
    status: done ? 'completed' : outcome,
    conclusion: done ? outcome : null,
    createdAt: run.createdAt,
    startedAt: outcome === 'queued' ? run.createdAt : isoSeconds(start),
    completedAt: done ? isoSeconds(outcome === 'skipped' ? start : end) : null,
    steps,
    labels: ['ubuntu-latest'],
    runnerId: outcome === 'queued' || outcome === 'skipped' ? null : 1_000_000 + (id % 1000),
    runnerName: outcome === 'queued' || outcome === 'skipped' ? null : `GitHub Actions ${1_000_000 + (id % 1000)}`,
    ...(failure ? { failure } : {}),
  };
}

function seedActions(repo: RepoRecord, h: WidgetsHistory): void {
  repo.workflows.push(
    {
      id: 61_234_501,
      name: 'CI',
      path: '.github/workflows/ci.yml',
      state: 'active',
      createdAt: at(2, 2),
      updatedAt: at(2, 2),
    },
    {
      id: 61_234_502,
      name: 'Release',
      path: '.github/workflows/release.yml',
      state: 'active',
      createdAt: at(11, 2),
      updatedAt: at(11, 2),
    },
    {
      id: 61_234_503,
      name: 'Nightly',
      path: '.github/workflows/nightly.yml',
      state: 'active',
      createdAt: at(13, 2),
      updatedAt: at(13, 2),
    },
  );
  const CI = 61_234_501;
  const REL = 61_234_502;
  const NIGHTLY = 61_234_503;
  const main = h.main;
  const title = (sha: string): string => repo.git.commit(sha)!.message.split('\n')[0]!;
  type Outcome = Parameters<typeof makeJob>[5];
  interface RunSpec {
    id: number;
    workflowId: number;
    runNumber: number;
    event: RunRecord['event'];
    branch: string;
    sha: string;
    actor: string;
    day: number;
    hour: number;
    title: string;
    prs?: number[];
    jobs: Array<[name: string, outcome: Outcome, failure?: JobRecord['failure']]>;
  }
  const runs: RunSpec[] = [
    {
      id: 8_800_100_001,
      workflowId: REL,
      runNumber: 4,
      event: 'push',
      branch: 'v1.1.0',
      sha: main[29]!,
      actor: 'octocat',
      day: 29,
      hour: 9,
      title: title(main[29]!),
      jobs: [
        ['build', 'success'],
        ['publish', 'success'],
      ],
    },
    {
      id: 8_800_100_002,
      workflowId: NIGHTLY,
      runNumber: 31,
      event: 'schedule',
      branch: 'main',
      sha: main[38]!,
      actor: 'octocat',
      day: 38,
      hour: 18,
      title: 'Nightly',
      jobs: [['e2e', 'timed_out', 'timeout']],
    },
    {
      id: 8_800_100_003,
      workflowId: CI,
      runNumber: 52,
      event: 'pull_request',
      branch: 'fix/format-locale',
      sha: h.branches['fix/format-locale']!,
      actor: 'monalisa',
      day: 32,
      hour: 10,
      title: 'Locale-aware number formatting',
      prs: [30],
      jobs: [
        ['lint', 'success'],
        ['test (20)', 'failure', 'test'],
        ['test (22)', 'failure', 'test'],
        ['build', 'skipped'],
      ],
    },
    {
      id: 8_800_100_004,
      workflowId: CI,
      runNumber: 53,
      event: 'pull_request',
      branch: 'feature/retry-backoff',
      sha: h.branches['feature/retry-backoff']!,
      actor: 'hubot',
      day: 34,
      hour: 9,
      title: 'Exponential backoff for retry',
      prs: [32],
      jobs: [
        ['lint', 'success'],
        ['test (20)', 'success'],
        ['test (22)', 'success'],
        ['build', 'success'],
      ],
    },
    {
      id: 8_800_100_005,
      workflowId: CI,
      runNumber: 54,
      event: 'push',
      branch: 'main',
      sha: main[38]!,
      actor: 'octocat',
      day: 38,
      hour: 6,
      title: title(main[38]!),
      jobs: [
        ['lint', 'failure', 'lint'],
        ['test (20)', 'success'],
        ['test (22)', 'success'],
        ['build', 'skipped'],
      ],
    },
    {
      id: 8_800_100_006,
      workflowId: CI,
      runNumber: 55,
      event: 'workflow_dispatch',
      branch: 'main',
      sha: main[38]!,
      actor: 'octocat',
      day: 38,
      hour: 7,
      title: 'CI',
      jobs: [
        ['lint', 'success'],
        ['test (20)', 'cancelled'],
        ['test (22)', 'cancelled'],
        ['build', 'skipped'],
      ],
    },
    {
      id: 8_800_100_007,
      workflowId: NIGHTLY,
      runNumber: 32,
      event: 'schedule',
      branch: 'main',
      sha: main[39]!,
      actor: 'octocat',
      day: 39,
      hour: 18,
      title: 'Nightly',
      jobs: [['e2e', 'success']],
    },
    {
      id: 8_800_100_008,
      workflowId: CI,
      runNumber: 56,
      event: 'push',
      branch: 'main',
      sha: main[39]!,
      actor: 'hubot',
      day: 39,
      hour: 9,
      title: title(main[39]!),
      jobs: [
        ['lint', 'success'],
        ['test (20)', 'success'],
        ['test (22)', 'success'],
        ['build', 'success'],
      ],
    },
    {
      id: 8_800_100_009,
      workflowId: CI,
      runNumber: 57,
      event: 'pull_request',
      branch: 'dependabot/npm_and_yarn/vitest-3.2.4',
      sha: h.branches['dependabot/npm_and_yarn/vitest-3.2.4']!,
      actor: 'dependabot[bot]',
      day: 39,
      hour: 10,
      title: 'chore(deps-dev): bump vitest from 2.1.1 to 3.2.4',
      prs: [36],
      jobs: [
        ['lint', 'success'],
        ['test (20)', 'success'],
        ['test (22)', 'success'],
        ['build', 'success'],
      ],
    },
    {
      id: 8_800_100_010,
      workflowId: CI,
      runNumber: 58,
      event: 'pull_request',
      branch: 'feature/plugin-api',
      sha: h.branches['feature/plugin-api']!,
      actor: 'octocat',
      day: 40,
      hour: 1,
      title: 'Plugin API',
      prs: [33],
      jobs: [
        ['lint', 'success'],
        ['test (20)', 'in_progress'],
        ['test (22)', 'queued'],
        ['build', 'queued'],
      ],
    },
    {
      id: 8_800_100_011,
      workflowId: CI,
      runNumber: 59,
      event: 'pull_request',
      branch: 'docs/guide-update',
      sha: h.branches['docs/guide-update']!,
      actor: 'hubot',
      day: 40,
      hour: 2,
      title: 'Rewrite the layout section of the guide',
      prs: [34],
      jobs: [
        ['lint', 'queued'],
        ['test (20)', 'queued'],
        ['test (22)', 'queued'],
        ['build', 'queued'],
      ],
    },
  ];
  let jobId = 24_100_200_000;
  for (const r of runs) {
    const createdAt = at(r.day, r.hour);
    const base = {
      id: r.id,
      workflowId: r.workflowId,
      runNumber: r.runNumber,
      runAttempt: 1,
      event: r.event,
      headBranch: r.branch,
      headSha: r.sha,
      actor: r.actor,
      triggeringActor: r.actor,
      displayTitle: r.title,
      pullRequests: r.prs ?? [],
      checkSuiteId: 22_000_000_000 + (r.id % 100_000),
      createdAt,
      runStartedAt: createdAt,
    };
    const outcomes = r.jobs.map((j) => j[1]);
    const status: RunRecord['status'] = outcomes.every((o) => o === 'queued')
      ? 'queued'
      : outcomes.some((o) => o === 'in_progress' || o === 'queued')
        ? 'in_progress'
        : 'completed';
    const conclusion: RunRecord['conclusion'] =
      status !== 'completed'
        ? null
        : outcomes.includes('timed_out')
          ? 'timed_out'
          : outcomes.includes('failure')
            ? 'failure'
            : outcomes.includes('cancelled')
              ? 'cancelled'
              : 'success';
    const partial = { ...base, status, conclusion, updatedAt: createdAt };
    const jobs = r.jobs.map(([name, outcome, failure], i) => {
      const kind = name.split(' ')[0]!;
      const offset = kind === 'build' || kind === 'publish' ? 4 : 0;
      const duration = outcome === 'timed_out' ? 30 : kind === 'test' ? 3 + i : 1 + (i % 2);
      return makeJob(jobId++, partial, name, offset, duration, outcome, failure);
    });
    const last =
      jobs
        .map((j) => j.completedAt ?? j.startedAt)
        .sort()
        .at(-1) ?? createdAt;
    repo.runs.push({ ...partial, updatedAt: status === 'completed' ? last : createdAt, jobs });
  }
}

function seedSmallRepo(
  s: SandboxState,
  repo: RepoRecord,
  files: Record<string, string>,
  by: string,
  day: number,
): string {
  const w = new WorkTree(s, repo);
  for (const [p, c] of Object.entries(files)) w.write(p, c);
  const sha = w.commit('Initial commit', by, at(day));
  repo.refs.set('refs/heads/main', sha);
  repo.pushedAt = at(day);
  repo.updatedAt = at(day);
  return sha;
}

/** Build the whole seeded world. Pure and deterministic; takes a few milliseconds. */
export function seed(clock?: () => number): SandboxState {
  const s = new SandboxState(clock);
  seedUsers(s);

  const widgets = s.addRepo(
    newRepo({
      id: 771_234_501,
      owner: 'acme',
      name: 'widgets',
      description: 'A tiny, dependency-free widget toolkit',
      homepage: 'https://widgets.acme.example',
      language: 'TypeScript',
      topics: ['typescript', 'ui', 'widgets', 'accessibility'],
      license: MIT,
      createdAt: at(0, 0),
      stargazers: 1287,
      subscribers: 41,
      forks: 96,
    }),
  );
  widgets.collaborators.set('hubot', 'write');
  widgets.collaborators.set('monalisa', 'write');
  const history = seedWidgetsHistory(s, widgets);
  seedReleases(widgets);
  seedIssues(widgets, history);
  seedActions(widgets, history);

  const playground = s.addRepo(
    newRepo({
      id: 771_234_502,
      owner: 'acme',
      name: 'sandbox-playground',
      description: 'Scratch repository: safe to write to',
      language: 'Python',
      license: MIT,
      createdAt: at(5, 0),
      stargazers: 3,
    }),
  );
  playground.collaborators.set('hubot', 'write');
  seedSmallRepo(s, playground, F.PLAYGROUND_FILES, 'octocat', 5);
  playground.labels.push(
    { id: 6_100_000_101, name: 'bug', color: 'd73a4a', description: "Something isn't working", default: true },
    { id: 6_100_000_102, name: 'enhancement', color: 'a2eeef', description: 'New feature or request', default: true },
  );
  playground.issues.set(1, {
    id: 2_210_000_001,
    number: 1,
    title: 'Try creating an issue through the API',
    body: 'This repository is a scratch space. Feel free to comment, label and close this issue.',
    user: 'octocat',
    state: 'open',
    stateReason: null,
    labels: ['enhancement'],
    assignees: [],
    milestone: null,
    locked: false,
    activeLockReason: null,
    createdAt: at(5, 3),
    updatedAt: at(5, 3),
    closedAt: null,
    closedBy: null,
    comments: [],
    reactions: emptyReactions(),
  });

  const infra = s.addRepo(
    newRepo({
      id: 771_234_503,
      owner: 'acme',
      name: 'private-infra',
      private: true,
      description: 'Production infrastructure (Terraform). Internal.',
      language: 'HCL',
      createdAt: at(1, 0),
    }),
  );
  seedSmallRepo(s, infra, F.INFRA_FILES, 'octocat', 1);
  infra.issues.set(1, {
    id: 2_210_000_101,
    number: 1,
    title: 'Rotate CDN TLS certificate before expiry',
    body: 'The widgets.acme.example certificate expires on 2024-06-01. Rotate it and update the runbook.',
    user: 'hubot',
    state: 'open',
    stateReason: null,
    labels: [],
    assignees: ['octocat'],
    milestone: null,
    locked: false,
    activeLockReason: null,
    createdAt: at(20, 3),
    updatedAt: at(20, 3),
    closedAt: null,
    closedBy: null,
    comments: [],
    reactions: emptyReactions(),
  });

  const hello = s.addRepo(
    newRepo({
      id: 1_296_269,
      owner: 'octocat',
      name: 'hello-world',
      description: 'My first repository on GitHub!',
      language: 'JavaScript',
      createdAt: '2011-01-26T19:01:12Z',
      stargazers: 2690,
      subscribers: 1650,
      forks: 2410,
    }),
  );
  seedSmallRepo(s, hello, F.HELLO_FILES, 'octocat', 0);
  const helloIssue = (number: number, title: string, by: string, body: string, day: number): void => {
    hello.issues.set(number, {
      id: 2_210_000_200 + number,
      number,
      title,
      body,
      user: by,
      state: 'open',
      stateReason: null,
      labels: [],
      assignees: [],
      milestone: null,
      locked: false,
      activeLockReason: null,
      createdAt: at(day),
      updatedAt: at(day),
      closedAt: null,
      closedBy: null,
      comments: [],
      reactions: emptyReactions(),
    });
  };
  helloIssue(1, 'Add a .gitignore', 'octocat', 'Ignore node_modules.', 2);
  helloIssue(2, 'Translate the greeting', 'drive-by-dev', 'Could the greeting be in Portuguese too?', 3);
  return s;
}
