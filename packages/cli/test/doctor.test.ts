import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GithubSandbox, startGithubSandbox } from '../../github/src/sandbox/index.ts';
import { runCli, tempDir } from './helpers.ts';

const EXACT = 'ghp_exact0000000000000000000000000000000';
const NONE = 'ghp_noscopes000000000000000000000000000';
const WIDE = 'ghp_wide00000000000000000000000000000000';
const FINE = 'github_pat_fine0000000000000000000000000000';
const WRITE_ISSUES = ['repo', 'public_repo'];

let sandbox: GithubSandbox;

beforeAll(async () => {
  sandbox = await startGithubSandbox({
    tokens: {
      [EXACT]: { login: 'exact', scopes: ['repo'] },
      [NONE]: { login: 'none', scopes: [] },
      [WIDE]: { login: 'wide', scopes: ['repo', 'delete_repo', 'admin:org'] },
      [FINE]: { login: 'fine' },
    },
  });
});
afterAll(() => sandbox.close());

const doctor = (token: string | undefined, args: string[] = [], env: Record<string, string> = {}) =>
  runCli(['doctor', 'github', '--json', ...args], {
    env: { GITHUB_API_URL: sandbox.url, ...(token ? { GITHUB_TOKEN: token } : {}), ...env },
  });

const report = (stdout: string) => JSON.parse(stdout).servers[0];
const statuses = (r: { checks: { status: string }[] }) => r.checks.map((c) => c.status);

describe('switchboard doctor: least privilege against the GitHub sandbox', () => {
  it('reaches every level when the token has exactly the scopes the enabled tools need (exit 0)', async () => {
    const r = await runCli(['doctor', 'github', '--json', '--toolsets', 'issues'], {
      env: { GITHUB_API_URL: sandbox.url, GITHUB_PERSONAL_ACCESS_TOKEN: EXACT },
    });
    expect(r.code, r.stderr).toBe(0);
    const g = report(r.stdout);
    expect(g.reached).toBe('least-privilege');
    expect(statuses(g)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(g.checks[0].evidence).toEqual([
      'GITHUB_TOKEN is set (as GITHUB_PERSONAL_ACCESS_TOKEN)',
      'GITHUB_API_URL is set',
      'flags valid: toolsets issues; 6 tools enabled',
    ]);
    expect(g.checks[1].evidence[1]).toMatch(/^tools\/list: \d+ tools$/);
    expect(g.scopes).toEqual({ granted: ['repo'], needed: ['public_repo', 'repo'], missing: [], excess: [] });
    expect(r.stderr).toContain('github: starting switchboard-github over stdio…');
    expect(r.stderr).toContain('github: one harmless read against the API…');
  });

  it('names each tool a scope-less token cannot use (exit 1)', async () => {
    const r = await doctor(NONE, ['--toolsets', 'issues']);
    expect(r.code).toBe(1);
    const g = report(r.stdout);
    expect(g.reached).toBe('integration-smoke-tested');
    expect(g.scopes).toEqual({
      granted: [],
      needed: ['public_repo', 'repo'],
      missing: [
        { tool: 'write_issue', anyOf: WRITE_ISSUES },
        { tool: 'add_issue_comment', anyOf: WRITE_ISSUES },
      ],
      excess: [],
    });
    expect(g.checks[3]).toEqual({
      level: 'least-privilege',
      status: 'fail',
      evidence: [
        'granted: none; needed: public_repo, repo',
        'missing: write_issue needs one of repo, public_repo',
        'missing: add_issue_comment needs one of repo, public_repo',
      ],
    });
  });

  it('names excess scopes as risk (exit 3)', async () => {
    const r = await runCli(['doctor', 'github', '--toolsets', 'issues'], {
      env: { GITHUB_API_URL: sandbox.url, GITHUB_TOKEN: WIDE },
    });
    expect(r.code).toBe(3);
    expect(
      r.stdout
        .split('\n')
        .filter((l) => !l.startsWith('       '))
        .join('\n'),
    ).toBe(
      [
        'github: reached integration-smoke-tested',
        '  ok   config-validated',
        '  ok   runtime-validated',
        '  ok   integration-smoke-tested',
        '  warn least-privilege',
        '',
      ].join('\n'),
    );
    expect(r.stdout).toContain(
      [
        '       granted: admin:org, delete_repo, repo; needed: public_repo, repo',
        '       excess (risk): admin:org is granted but no enabled tool uses it',
        '       excess (risk): delete_repo is granted but no enabled tool uses it',
      ].join('\n'),
    );
  });

  it('says when the vendor does not report scopes (fine-grained token, exit 3)', async () => {
    const r = await doctor(FINE);
    expect(r.code).toBe(3);
    const g = report(r.stdout);
    expect(g.reached).toBe('integration-smoke-tested');
    expect(g.checks[3].status).toBe('warn');
    expect(g.checks[3].evidence[0]).toMatch(/^the vendor did not report the granted scopes; review them by hand/);
  });

  it('fails the smoke test on a rejected token, without printing it (exit 1)', async () => {
    const bad = 'ghp_rejected00000000000000000000000000000';
    const r = await doctor(bad);
    expect(r.code).toBe(1);
    const g = report(r.stdout);
    expect(g.reached).toBe('runtime-validated');
    expect(statuses(g)).toEqual(['pass', 'pass', 'fail', 'skip']);
    expect(g.checks[2].evidence[0]).toMatch(/^Authentication failed: .*GITHUB_TOKEN/);
    expect(r.stdout + r.stderr).not.toContain(bad);
  });
});

describe('switchboard doctor: config and runtime levels', () => {
  it('reaches every level against --sandbox without credentials or network', async () => {
    const r = await runCli(['doctor', 'github', '--sandbox', '--json']);
    const g = report(r.stdout);
    expect(g.checks[0].evidence[0]).toBe('credentials: supplied by the sandbox');
    expect(statuses(g)).toEqual(['pass', 'pass', 'pass', 'warn']);
    // The sandbox's default token is a classic token with repo, read:org, workflow and user.
    expect(g.scopes.excess).toEqual(['read:org', 'user', 'workflow']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).exitCode).toBe(3);
  });

  it('fails config-validated when a required credential is missing, naming it and its aliases (exit 1)', async () => {
    const r = await runCli(['doctor', 'github']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^github: reached none\n {2}FAIL config-validated\n/);
    expect(r.stdout).toContain('GITHUB_TOKEN or GITHUB_PERSONAL_ACCESS_TOKEN is not set: A GitHub token');
    expect(r.stdout).toContain('skip runtime-validated');
  });

  it('checks the policy file and the flags as the server would', async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'readOnly: maybe\n');
    const policy = await doctor(EXACT, ['--policy', bad]);
    expect(policy.code).toBe(1);
    expect(report(policy.stdout).checks[0].evidence).toContain(
      `policy file ${bad} is invalid: readOnly: Invalid input: expected boolean, received string`,
    );
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ toolsets: ['issues', 'repos'] }));
    // Flags narrow the file: only issues, read-only. Read tools need no scopes, so repo is excess.
    const ok = await doctor(EXACT, ['--policy', good, '--toolsets', 'issues', '--read-only']);
    expect(report(ok.stdout).checks[0].evidence).toEqual([
      'GITHUB_TOKEN is set',
      'GITHUB_API_URL is set',
      `policy ${good} parses`,
      'flags valid: toolsets issues, read-only; 4 tools enabled',
    ]);
    expect(report(ok.stdout).scopes.excess).toEqual(['repo']);
    const toolset = await doctor(EXACT, ['--toolsets', 'wiki']);
    expect(toolset.code).toBe(1);
    expect(report(toolset.stdout).checks[0].evidence.at(-1)).toMatch(
      /^--toolsets: unknown toolset "wiki"; github has:/,
    );
  });

  it('fails runtime-validated when the server does not start, with its reason (exit 1)', async () => {
    const r = await doctor(EXACT, [], { SWITCHBOARD_AUDIT_LOG: '/nonexistent/dir/audit.log' });
    expect(r.code).toBe(1);
    const g = report(r.stdout);
    expect(statuses(g)).toEqual(['pass', 'fail', 'skip', 'skip']);
    expect(g.checks[1].evidence[0]).toContain('cannot open the audit log /nonexistent/dir/audit.log');
  });

  it('exits 2 on usage errors', async () => {
    for (const args of [
      ['doctor', 'gitlab'],
      ['doctor', 'github', '--bogus'],
      ['doctor', 'github', '--timeout', 'x'],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
    }
  });
});
