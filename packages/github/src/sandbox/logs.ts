/**
 * Generated Actions job logs: several hundred timestamped lines in the runner's format (groups, test output,
 * `##[error]` lines for failures), deterministic per job and built on demand (never at start-up).
 */
import { prng } from './seed-files.ts';
import type { JobRecord, RepoRecord, RunRecord } from './state.ts';

const TEST_FILES = [
  'test/widget.test.ts',
  'test/format.test.ts',
  'test/layout.test.ts',
  'test/render.test.ts',
  'test/registry.test.ts',
  'test/theme.test.ts',
  'test/retry.test.ts',
  'test/serialize.test.ts',
  'test/validate.test.ts',
  'test/a11y.test.ts',
  'test/hooks.test.ts',
  'test/summary.test.ts',
];

const SUBJECTS = [
  'renders',
  'wraps',
  'escapes',
  'validates',
  'serializes',
  'handles empty input for',
  'keeps order of',
  'updates',
];
const OBJECTS = [
  'buttons',
  'labels',
  'nested panels',
  'span 12 widgets',
  'unicode labels',
  'disabled widgets',
  'custom kinds',
  'the grid',
];

function testLines(rand: () => number, failing: boolean): { lines: string[]; failed: number; total: number } {
  const lines: string[] = [];
  let total = 0;
  let failed = 0;
  for (const [fi, file] of TEST_FILES.entries()) {
    const suite = file.replace(/^test\/|\.test\.ts$/g, '');
    const count = 20 + Math.floor(rand() * 10);
    for (let t = 0; t < count; t++) {
      total++;
      const name = `${SUBJECTS[(fi + t) % SUBJECTS.length]} ${OBJECTS[(fi * 3 + t) % OBJECTS.length]} #${t + 1}`;
      const ms = 1 + Math.floor(rand() * 40);
      const fail = failing && file === 'test/format.test.ts' && t === 3;
      if (fail) failed++;
      lines.push(` ${fail ? '×' : '✓'} ${file} > ${suite} > ${name} ${ms}ms`);
    }
  }
  return { lines, failed, total };
}

function failureBlock(): string[] {
  return [
    '',
    '⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯ Failed Tests 1 ⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯',
    '',
    ' FAIL  test/format.test.ts > formatNumber locales > uses dots for de-DE',
    "AssertionError: expected '1,234.5' to be '1.234,5' // Object.is equality",
    '',
    '- Expected',
    '+ Received',
    '',
    '- 1.234,5',
    '+ 1,234.5',
    '',
    ' ❯ test/format.test.ts:27:44',
    "     25| describe('formatNumber locales', () => {",
    "     26|   it('uses dots for de-DE', () => {",
    "     27|     expect(formatNumber(1234.5, 'de-DE')).toBe('1.234,5');",
    '       |                                            ^',
    '     28|   });',
    '     29| });',
    '',
    '⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[1/1]⎯',
    '',
  ];
}

/** Log lines without timestamps, in step order. */
function body(repo: RepoRecord, run: RunRecord, job: JobRecord): string[] {
  const rand = prng(job.id % 2_147_483_647);
  const kind = job.name.split(' ')[0]!;
  const node = /\((\d+)\)/.exec(job.name)?.[1] ?? (kind === 'e2e' ? '22' : '20');
  const commit = repo.git.commit(run.headSha);
  const out: string[] = [
    "Current runner version: '2.319.1'",
    '##[group]Operating System',
    'Ubuntu',
    '22.04.4',
    'LTS',
    '##[endgroup]',
    '##[group]Runner Image',
    'Image: ubuntu-22.04',
    'Version: 20240407.1.0',
    'Included Software: https://github.com/actions/runner-images/blob/ubuntu22/20240407.1/images/ubuntu/Ubuntu2204-Readme.md',
    'Image Release: https://github.com/actions/runner-images/releases/tag/ubuntu22%2F20240407.1',
    '##[endgroup]',
    '##[group]Runner Image Provisioner',
    '2.0.369.1',
    '##[endgroup]',
    '##[group]GITHUB_TOKEN Permissions',
    'Contents: read',
    'Metadata: read',
    'PullRequests: read',
    '##[endgroup]',
    'Secret source: Actions',
    'Prepare workflow directory',
    'Prepare all required actions',
    'Getting action download info',
    "Download action repository 'actions/checkout@v4' (SHA:0ad4b8fadaa221de15dcec353f45205ec38ea70b)",
    "Download action repository 'actions/setup-node@v4' (SHA:60edb5dd545a775178f52524783378180af0d1f8)",
    `Complete job name: ${job.name}`,
    '##[group]Run actions/checkout@v4',
    'with:',
    `  repository: ${repo.owner}/${repo.name}`,
    '  token: ***',
    '  ssh-strict: true',
    '  ssh-user: git',
    '  persist-credentials: true',
    '  clean: true',
    '  sparse-checkout-cone-mode: true',
    '  fetch-depth: 1',
    '  fetch-tags: false',
    '  show-progress: true',
    '  lfs: false',
    '  submodules: false',
    '  set-safe-directory: true',
    '##[endgroup]',
    `Syncing repository: ${repo.owner}/${repo.name}`,
    '##[group]Getting Git version info',
    `Working directory is '/home/runner/work/${repo.name}/${repo.name}'`,
    '[command]/usr/bin/git version',
    'git version 2.44.0',
    '##[endgroup]',
    "Temporarily overriding HOME='/home/runner/work/_temp/5f1e6a3c' before making global git config changes",
    `[command]/usr/bin/git config --global --add safe.directory /home/runner/work/${repo.name}/${repo.name}`,
    `Deleting the contents of '/home/runner/work/${repo.name}/${repo.name}'`,
    '##[group]Initializing the repository',
    '[command]/usr/bin/git init /home/runner/work/widgets/widgets',
    "hint: Using 'master' as the name for the initial branch. This default branch name",
    'hint: is subject to change. To configure the initial branch name to use in all',
    'hint: of your new repositories, which will suppress this warning, call:',
    `Initialized empty Git repository in /home/runner/work/${repo.name}/${repo.name}/.git/`,
    `[command]/usr/bin/git remote add origin https://github.com/${repo.owner}/${repo.name}`,
    '##[endgroup]',
    '##[group]Fetching the repository',
    `[command]/usr/bin/git -c protocol.version=2 fetch --no-tags --prune --no-recurse-submodules --depth=1 origin +${run.headSha}:refs/remotes/origin/${run.headBranch}`,
    `From https://github.com/${repo.owner}/${repo.name}`,
    ` * [new ref]         ${run.headSha} -> origin/${run.headBranch}`,
    '##[endgroup]',
    '##[group]Checking out the ref',
    `[command]/usr/bin/git checkout --progress --force -B ${run.headBranch} refs/remotes/origin/${run.headBranch}`,
    `Switched to a new branch '${run.headBranch}'`,
    '##[endgroup]',
    `[command]/usr/bin/git log -1 --format='%H'`,
    `'${run.headSha}'`,
  ];
  if (kind !== 'publish') {
    out.push(
      '##[group]Run actions/setup-node@v4',
      'with:',
      `  node-version: ${node}`,
      '  cache: npm',
      '  always-auth: false',
      '  check-latest: false',
      '  token: ***',
      '##[endgroup]',
      `Found in cache @ /opt/hostedtoolcache/node/${node}.12.1/x64`,
      '##[group]Environment details',
      `node: v${node}.12.1`,
      'npm: 10.5.0',
      'yarn: 1.22.22',
      '##[endgroup]',
      '[command]/opt/hostedtoolcache/node/20.12.1/x64/bin/npm config get cache',
      '/home/runner/.npm',
      'Cache hit for: node-cache-Linux-x64-npm-5c1d4e0f9b2a',
      'Received 31457280 of 48211934 (65.2%), 30.0 MBs/sec',
      'Received 48211934 of 48211934 (100.0%), 33.1 MBs/sec',
      'Cache Size: ~46 MB (48211934 B)',
      '[command]/usr/bin/tar -xf /home/runner/work/_temp/cache.tzst -P -C /home/runner/work/widgets/widgets --use-compress-program unzstd',
      'Cache restored successfully',
      'Cache restored from key: node-cache-Linux-x64-npm-5c1d4e0f9b2a',
      '##[group]Run npm ci',
      'npm ci',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      'npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory. Do not use it.',
      'npm warn deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported',
      'npm warn deprecated @humanwhocodes/config-array@0.11.14: Use @eslint/config-array instead',
      'npm warn deprecated rimraf@3.0.2: Rimraf versions prior to v4 are no longer supported',
      '',
      `added ${300 + Math.floor(rand() * 40)} packages, and audited ${341 + Math.floor(rand() * 40)} packages in ${6 + Math.floor(rand() * 6)}s`,
      '',
      '98 packages are looking for funding',
      '  run `npm fund` for details',
      '',
      'found 0 vulnerabilities',
    );
  }
  const script =
    kind === 'lint'
      ? 'npm run lint'
      : kind === 'build'
        ? 'npm run build'
        : kind === 'publish'
          ? 'npm publish --provenance'
          : kind === 'e2e'
            ? 'npm run test -- --project e2e'
            : 'npm test';
  out.push(`##[group]Run ${script}`, script, 'shell: /usr/bin/bash -e {0}', '##[endgroup]');
  const version = commit?.message.startsWith('Release') ? commit.message.split(' ')[1] : '1.2.0-rc.1';
  if (kind === 'lint') {
    out.push('', `> @acme/widgets@${version} lint`, '> eslint src test', '');
    if (job.failure === 'lint') {
      out.push(
        '/home/runner/work/widgets/widgets/src/index.ts',
        "  214:7  error  'renderHooks' is assigned a value but never used  @typescript-eslint/no-unused-vars",
        '  231:3  error  Unexpected console statement                        no-console',
        '',
        '/home/runner/work/widgets/widgets/src/utils/format.ts',
        '  31:10  warning  Unexpected any. Specify a different type  @typescript-eslint/no-explicit-any',
        '',
        '✖ 3 problems (2 errors, 1 warning)',
        '',
        '##[error]Process completed with exit code 1.',
      );
    }
  } else if (kind === 'test' || kind === 'e2e') {
    const failing = job.failure === 'test';
    out.push(
      '',
      `> @acme/widgets@${version} test`,
      kind === 'e2e' ? '> vitest run --project e2e' : '> vitest run',
      '',
      ` RUN  v2.1.1 /home/runner/work/widgets/widgets`,
      '',
    );
    const t = testLines(rand, failing);
    if (job.failure === 'timeout') {
      out.push(...t.lines.slice(0, 180));
      for (let i = 0; i < 120; i++)
        out.push(
          ` ⠙ test/e2e/dashboard.e2e.ts > dashboard > renders tab ${i % 12} (waiting for browser, attempt ${1 + Math.floor(i / 12)})`,
        );
      out.push(
        `##[error]The job running on runner ${job.runnerName ?? 'GitHub Actions'} has exceeded the maximum execution time of 30 minutes.`,
        '##[error]The operation was canceled.',
      );
      return out;
    }
    out.push(...t.lines);
    if (failing) out.push(...failureBlock());
    out.push(
      '',
      ` Test Files  ${failing ? `1 failed | ${TEST_FILES.length - 1} passed` : `${TEST_FILES.length} passed`} (${TEST_FILES.length})`,
      `      Tests  ${failing ? `${t.failed} failed | ${t.total - t.failed} passed` : `${t.total} passed`} (${t.total})`,
      `   Start at  ${job.startedAt.slice(11, 19)}`,
      `   Duration  ${(3 + rand() * 3).toFixed(2)}s (transform 412ms, setup 0ms, collect 1.21s, tests 2.03s, environment 1ms, prepare 1.87s)`,
      '',
    );
    if (failing) out.push('##[error]Process completed with exit code 1.');
  } else if (kind === 'build') {
    out.push('', `> @acme/widgets@${version} build`, '> tsc -p tsconfig.json', '');
  } else if (kind === 'publish') {
    out.push(
      `npm notice 📦  @acme/widgets@${version}`,
      'npm notice Tarball Contents',
      'npm notice 1.1kB LICENSE',
      'npm notice 1.3kB README.md',
      'npm notice 7.9kB dist/index.js',
      'npm notice 451B package.json',
      'npm notice Publishing to https://registry.npmjs.org/ with tag latest and public access',
      `+ @acme/widgets@${version}`,
    );
  }
  out.push(
    'Post job cleanup.',
    '[command]/usr/bin/git version',
    'git version 2.44.0',
    `[command]/usr/bin/git config --local --name-only --get-regexp core\\.sshCommand`,
    `[command]/usr/bin/git submodule foreach --recursive sh -c "git config --local --name-only --get-regexp 'core\\.sshCommand' && git config --local --unset-all 'core.sshCommand' || :"`,
    `[command]/usr/bin/git config --local --name-only --get-regexp http\\.https\\:\\/\\/github\\.com\\/\\.extraheader`,
    'http.https://github.com/.extraheader',
    `[command]/usr/bin/git config --local --unset-all http.https://github.com/.extraheader`,
    'Cleaning up orphan processes',
  );
  return out;
}

/** Runner-style timestamp with 7 fractional digits. */
function stamp(ms: number, i: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19)}.${String((ms % 1000) * 10_000 + ((i * 7919) % 10_000)).padStart(7, '0')}Z`;
}

/**
 * The job's log, or undefined when the job has not started. An in-progress job's log stops at the step it is
 * running.
 */
export function jobLog(repo: RepoRecord, run: RunRecord, job: JobRecord): string | undefined {
  if (job.status === 'queued' || job.status === 'waiting' || job.status === 'pending') return undefined;
  let lines = body(repo, run, job);
  if (job.status === 'in_progress') {
    const cut = lines.findIndex((l) => l.startsWith('##[group]Run npm ') && !l.includes('npm ci'));
    lines = lines.slice(0, cut < 0 ? lines.length : cut + 4);
  }
  const start = Date.parse(job.startedAt);
  const end = job.completedAt ? Date.parse(job.completedAt) : start + 90_000;
  const step = (end - start) / Math.max(1, lines.length);
  return `${lines.map((l, i) => `${stamp(Math.floor(start + i * step), i)} ${l}`).join('\n')}\n`;
}
