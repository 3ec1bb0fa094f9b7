/**
 * The GitHub server as a whole, through a real MCP client: credentials, token scopes, policy, confirmation,
 * upstream faults, secret hygiene, audit, GHES base paths and request conformance to GitHub's OpenAPI description.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertRequestsConform } from '@switchboard-mcp/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type GithubSandbox, startGithubSandbox } from '../src/sandbox/index.ts';
import { auditLines, type GithubUnderTest, githubApi, startGithub, TRANSPORTS } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'sb-github-'));
function policyFile(name: string, body: object): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(body));
  return path;
}

describe('credentials', () => {
  it('lists tools but answers calls with an auth error naming GITHUB_TOKEN when no token is set', async () => {
    const g = await startGithub({ transport: 'stdio', env: { GITHUB_TOKEN: '' } });
    try {
      expect((await g.harness.listTools()).length).toBeGreaterThan(10);
      const r = await g.harness.callTool('get_me', {});
      expect(r.isError).toBe(true);
      expect(r.text).toContain('GITHUB_TOKEN or GITHUB_PERSONAL_ACCESS_TOKEN is not set');
    } finally {
      await g.close();
    }
  });

  it('accepts GITHUB_PERSONAL_ACCESS_TOKEN', async () => {
    const sandbox = await startGithubSandbox();
    const g = await startGithub({
      transport: 'stdio',
      useSandbox: sandbox,
      env: { GITHUB_TOKEN: '', GITHUB_PERSONAL_ACCESS_TOKEN: sandbox.token },
    });
    try {
      const r = await g.harness.callTool('get_me', {});
      expect(r.isError).toBe(false);
      expect(r.text).toContain('octocat');
    } finally {
      await g.close();
      await sandbox.close();
    }
  });

  it('reports a rejected token as an auth error, without echoing it', async () => {
    const bad = 'ghp_notARealToken0000000000000000000000000';
    const g = await startGithub({ transport: 'http', env: { GITHUB_TOKEN: bad } });
    try {
      const r = await g.harness.callTool('get_repository', { owner: 'acme', repo: 'widgets' });
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/^Authentication failed/);
      expect(r.text).toContain('GITHUB_TOKEN');
      expect(r.text + g.stderr()).not.toContain(bad);
    } finally {
      await g.close();
    }
  });
});

describe('token scopes', () => {
  it('hides tools a classic token cannot use once GitHub reports its scopes, without delaying start-up', async () => {
    const token = 'ghp_readonlyscopes00000000000000000000000';
    const g = await startGithub({
      transport: 'stdio',
      sandbox: { tokens: { [token]: { login: 'reader', scopes: ['read:org'] } } },
      env: { GITHUB_TOKEN: token },
    });
    try {
      // The background probe learns the scopes; poll the list until write tools disappear.
      let names: string[] = [];
      for (let i = 0; i < 50; i++) {
        names = (await g.harness.listTools()).map((t) => t.name);
        if (!names.includes('write_issue')) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(names).toContain('list_issues');
      expect(names).not.toContain('write_issue');
      const r = await g.harness.callTool('write_issue', { owner: 'acme', repo: 'widgets', title: 'x' });
      expect(r.isError).toBe(true);
      expect(r.text).toContain('Permission denied');
      expect(r.text).toContain('public_repo');
    } finally {
      await g.close();
    }
  });

  it('keeps every tool for fine-grained tokens, which report no scopes', async () => {
    const token = 'github_pat_finegrained0000000000000000000000';
    const g = await startGithub({
      transport: 'stdio',
      sandbox: { tokens: { [token]: { login: 'fine' } } },
      env: { GITHUB_TOKEN: token },
    });
    try {
      await g.harness.callTool('get_me', {});
      expect((await g.harness.listTools()).map((t) => t.name)).toContain('write_issue');
    } finally {
      await g.close();
    }
  });
});

describe.each(TRANSPORTS)('policy over %s', (transport) => {
  let g: GithubUnderTest;
  beforeAll(async () => {
    const policy = policyFile(`policy-${transport}.json`, {
      toolsets: ['all'],
      resources: { read: ['repo:acme/*'], write: ['repo:acme/sandbox-*'] },
      tools: { deny: ['rerun_*'] },
    });
    g = await startGithub({ transport, args: ['--policy', policy] });
  });
  afterAll(async () => {
    await g?.close();
  });

  it('scopes reads and writes by repository and names the rule', async () => {
    expect((await g.harness.callTool('list_issues', { owner: 'acme', repo: 'widgets' })).isError).toBe(false);
    const other = await g.harness.callTool('list_issues', { owner: 'evil', repo: 'elsewhere' });
    expect(other.text).toContain('rule: resources.read');
    const write = await g.harness.callTool('write_issue', { owner: 'acme', repo: 'widgets', title: 'blocked' });
    expect(write.text).toContain('rule: resources.write');
    const ok = await g.harness.callTool('write_issue', { owner: 'acme', repo: 'sandbox-playground', title: 'allowed' });
    expect(ok.isError).toBe(false);
    expect((await g.harness.listTools()).map((t) => t.name).filter((n) => n.startsWith('rerun_'))).toEqual([]);
  });

  it('bounds search by the read allow-list: unscoped queries are refused, owner- and repo-scoped ones run', async () => {
    const unscoped = await g.harness.callTool('search_issues', { query: 'crash' });
    expect(unscoped.text).toContain('rule: resources.read');
    expect(unscoped.text).toContain('repo:*');
    expect((await g.harness.callTool('search_issues', { query: 'org:acme crash' })).isError).toBe(false);
    expect((await g.harness.callTool('search_issues', { query: 'repo:acme/widgets crash' })).isError).toBe(false);
    expect((await g.harness.callTool('search_code', { query: 'org:evil token' })).text).toContain(
      'rule: resources.read',
    );
  });

  it('read-only narrowing from flags still applies on top of the file', async () => {
    const ro = await startGithub({ transport, args: ['--read-only', '--toolsets', 'issues'] });
    try {
      const names = (await ro.harness.listTools()).map((t) => t.name);
      expect(names).toContain('list_issues');
      expect(names.some((n) => /^(create|update|add|merge|write|push|rerun)_/.test(n))).toBe(false);
    } finally {
      await ro.close();
    }
  });
});

describe('confirmation of merges', () => {
  it('asks through elicitation and merges only when accepted', async () => {
    let accept = false;
    const g = await startGithub({
      transport: 'stdio',
      args: ['--toolsets', 'all'],
      onElicit: () => (accept ? { action: 'accept', content: { confirm: true } } : { action: 'decline' }),
    });
    try {
      const open = [...g.sandbox.state.pulls.values()].find(
        (p: any) => p.repo === 'acme/widgets' && p.state === 'open' && p.mergeable !== false,
      ) as any;
      expect(open).toBeTruthy();
      const declined = await g.harness.callTool('merge_pull_request', {
        owner: 'acme',
        repo: 'widgets',
        pull_number: open.number,
      });
      expect(declined.text).toMatch(/^Declined/);
      accept = true;
      const merged = await g.harness.callTool('merge_pull_request', {
        owner: 'acme',
        repo: 'widgets',
        pull_number: open.number,
      });
      expect(merged.isError).toBe(false);
    } finally {
      await g.close();
    }
  });
});

describe('upstream faults', () => {
  let sandbox: GithubSandbox;
  let g: GithubUnderTest;
  beforeAll(async () => {
    sandbox = await startGithubSandbox();
    const policy = policyFile('faults.json', { callTimeoutSeconds: 4, cache: { enabled: false } });
    g = await startGithub({ transport: 'http', useSandbox: sandbox, args: ['--policy', policy] });
  });
  afterAll(async () => {
    await g?.close();
    await sandbox?.close();
  });

  async function timed(fault: object, times = 1) {
    sandbox.upstream.clearRequests();
    sandbox.upstream.addFault({ fault: fault as any, match: { path: '/repos/acme/widgets' }, times });
    const started = Date.now();
    const r = await g.harness.callTool('get_repository', { owner: 'acme', repo: 'widgets' });
    sandbox.upstream.clearFaults();
    const requests = sandbox.upstream.requests.filter((q) => q.path === '/repos/acme/widgets').length;
    return { r, ms: Date.now() - started, requests };
  }

  it('5xx: retried a bounded number of times, then a clear upstream error', async () => {
    const { r, ms, requests } = await timed(
      { kind: 'status', status: 502, body: { message: 'Bad gateway' } },
      Number.POSITIVE_INFINITY,
    );
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^Upstream error/);
    expect(requests).toBeLessThanOrEqual(3);
    expect(ms).toBeLessThan(15_000);
  });

  it('a transient 503 is retried transparently', async () => {
    const { r, requests } = await timed({ kind: 'status', status: 503 }, 1);
    expect(r.isError).toBe(false);
    expect(requests).toBe(2);
  });

  it('429 storm with Retry-After: waits as told, never storms, then says when to retry', async () => {
    const { r, requests } = await timed(
      { kind: 'rate_limit', status: 429, retryAfterSeconds: 1 },
      Number.POSITIVE_INFINITY,
    );
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^Rate limited/);
    expect(r.text).toMatch(/Retry after \d+s/);
    expect(requests).toBeLessThanOrEqual(3);
  });

  it('connection reset, malformed JSON and hanging upstreams end in bounded time with a clear error', async () => {
    const reset = await timed({ kind: 'reset' }, Number.POSITIVE_INFINITY);
    expect(reset.r.isError).toBe(true);
    expect(reset.r.text).toMatch(/^Upstream error/);
    const malformed = await timed({ kind: 'malformed_json' }, 1);
    expect(malformed.r.isError).toBe(true);
    const hang = await timed({ kind: 'hang' }, 1);
    expect(hang.r.isError).toBe(true);
    expect(hang.r.text).toMatch(/^Timed out/);
    expect(hang.ms).toBeLessThan(10_000);
  });

  it('a 10 MB body is refused without exhausting the server', async () => {
    const { r, ms } = await timed({ kind: 'huge_body', bytes: 10 * 1024 * 1024 + 1 }, 1);
    expect(r.isError).toBe(true);
    expect(r.text).toContain('exceeds');
    expect(ms).toBeLessThan(10_000);
    const after = await g.harness.callTool('get_repository', { owner: 'acme', repo: 'widgets' });
    expect(after.isError).toBe(false);
  });

  it('odd GitHub error bodies still map to a clear error', async () => {
    const { r } = await timed(
      { kind: 'status', status: 422, body: { message: 'Validation Failed', errors: [null, 5, 'name is taken'] } },
      1,
    );
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^Invalid arguments: GitHub rejected the request: Validation Failed: name is taken/);
  });

  // Last: the throttle then remembers the credential is blocked for two minutes.
  it('Retry-After beyond the deadline fails fast with one request, and later calls do not hit GitHub', async () => {
    const { r, ms, requests } = await timed(
      { kind: 'rate_limit', status: 403, retryAfterSeconds: 120 },
      Number.POSITIVE_INFINITY,
    );
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^Rate limited/);
    expect(requests).toBe(1);
    expect(ms).toBeLessThan(4_000);
    sandbox.upstream.clearRequests();
    const again = await g.harness.callTool('get_repository', { owner: 'acme', repo: 'widgets' });
    expect(again.text).toMatch(/^Rate limited/);
    expect(sandbox.upstream.requests).toHaveLength(0);
  });
});

describe.each(TRANSPORTS)('hygiene over %s', (transport) => {
  it('never reveals the token in results, errors, logs or audit lines; audit lines carry the fields', async () => {
    const canary = 'ghp_CANARYcanaryCANARYcanary0123456789ab';
    const g = await startGithub({
      transport,
      args: ['--toolsets', 'all', '--log-level', 'debug'],
      sandbox: { tokens: { [canary]: { login: 'octocat', scopes: ['repo', 'workflow', 'read:org'] } } },
      env: { GITHUB_TOKEN: canary },
    });
    try {
      const calls: [string, Record<string, unknown>][] = [
        ['get_me', {}],
        ['get_repository', { owner: 'acme', repo: 'widgets' }],
        ['get_repository', { owner: 'acme', repo: canary }],
        ['list_issues', { owner: 'acme', repo: 'widgets' }],
        ['search_issues', { query: canary }],
        ['get_issue', { owner: 'acme', repo: 'widgets', issue_number: 999_999 }],
        ['write_issue', { owner: 'acme', repo: 'widgets', title: `leak ${canary}`, body: canary }],
      ];
      let all = '';
      for (const [name, args] of calls) {
        const r = await g.harness.callTool(name, args);
        all += r.text;
      }
      const forms = [canary, Buffer.from(canary).toString('base64').replace(/=+$/, ''), encodeURIComponent(canary)];
      // Audit lines (stderr) and results (stdout) travel on separate pipes: wait for the last line
      // before checking stderr, so a late line cannot escape the check.
      const lines = await vi.waitFor(() => {
        const found = auditLines(g.stderr());
        expect(found.length).toBe(calls.length);
        return found;
      });
      for (const form of forms) {
        expect(all).not.toContain(form);
        expect(g.stderr()).not.toContain(form);
      }
      for (const line of lines) {
        for (const key of [
          'time',
          'server',
          'tool',
          'principal',
          'tenant',
          'credential',
          'access',
          'decision',
          'outcome',
          'duration_ms',
          'upstream_calls',
        ]) {
          expect(line, JSON.stringify(line)).toHaveProperty(key);
        }
        expect(line.server).toBe('github');
      }
      expect(lines.find((l) => l.tool === 'get_repository' && l.outcome === 'ok')?.resource).toEqual([
        'repo:acme/widgets',
      ]);
      if (transport === 'stdio') {
        for (const line of g.harness.stdoutLines()) expect(JSON.parse(line).jsonrpc).toBe('2.0');
      }
    } finally {
      await g.close();
    }
  });
});

describe('GitHub Enterprise Server', () => {
  it('works against a /api/v3 base path', async () => {
    const g = await startGithub({ transport: 'stdio', sandbox: { basePath: '/api/v3' } });
    try {
      expect(g.sandbox.url).toMatch(/\/api\/v3$/);
      const r = await g.harness.callTool('get_repository', { owner: 'acme', repo: 'widgets' });
      expect(r.isError).toBe(false);
      expect(g.sandbox.upstream.requests.some((q) => q.path.startsWith('/api/v3/repos/acme/widgets'))).toBe(true);
      assertRequestsConform(githubApi(), g.sandbox.upstream.requests, { basePath: '/api/v3' });
    } finally {
      await g.close();
    }
  });
});

describe.each(TRANSPORTS)('2026-07-28 clients over %s', (transport) => {
  it('list tools and call them in the stateless era, with confirmation through input_required', async () => {
    let asked = 0;
    const g = await startGithub({
      transport,
      era: 'modern',
      args: ['--toolsets', 'all'],
      onElicit: () => {
        asked++;
        return { action: 'decline' };
      },
    });
    try {
      expect(g.harness.era).toBe('modern');
      expect((await g.harness.listTools()).map((t) => t.name)).toContain('merge_pull_request');
      const issue = await g.harness.callTool('get_issue', { owner: 'acme', repo: 'widgets', issue_number: 1 });
      expect(issue.isError).toBe(false);
      expect(issue.text).toContain('#1');
      const merge = await g.harness.callTool('merge_pull_request', { owner: 'acme', repo: 'widgets', pull_number: 32 });
      expect(merge.text).toMatch(/^Declined/);
      expect(asked).toBe(1);
    } finally {
      await g.close();
    }
  });
});
