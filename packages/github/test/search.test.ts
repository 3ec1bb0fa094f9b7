import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertRequestsConform } from '@switchboard-mcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchResources } from '../src/render.ts';
import { type GithubUnderTest, githubApi, startGithub, TRANSPORTS } from './helpers.ts';

describe('searchResources', () => {
  it('names the repositories a query can reach: repo qualifiers, owners, or every repository', () => {
    expect(searchResources('foo repo:acme/widgets')).toEqual(['repo:acme/widgets']);
    expect(searchResources('repo:a/b OR repo:c/d.js bar repo:a/b')).toEqual(['repo:a/b', 'repo:c/d.js']);
    expect(searchResources('foo -repo:acme/private-infra')).toEqual(['repo:*']);
    expect(searchResources('foo org:acme')).toEqual(['repo:acme/*']);
    expect(searchResources('foo user:octocat repo:acme/widgets')).toEqual(['repo:acme/widgets', 'repo:octocat/*']);
    expect(searchResources('crash')).toEqual(['repo:*']);
  });
});

describe.each(TRANSPORTS)('search toolset over %s', (transport) => {
  let gh: GithubUnderTest;
  let dir: string;
  const call = async (name: string, args: Record<string, unknown>) => {
    const res = await gh.harness.callTool(name, args);
    if (res.isError) throw new Error(`${name} failed: ${res.text}`);
    return res.text;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-search-'));
    const policy = join(dir, 'policy.json');
    // Searches scoped to a repository must pass the resource allow-list; unscoped searches are not repo-scoped.
    writeFileSync(
      policy,
      JSON.stringify({ toolsets: ['search', 'repos'], resources: { read: ['repo:acme/widgets', 'repo:octocat/*'] } }),
    );
    gh = await startGithub({ transport, args: ['--policy', policy] });
  }, 60_000);
  afterAll(async () => {
    await gh?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('search_code lists repo:path with the matching fragments fenced', async () => {
    const text = await call('search_code', { query: 'formatNumber repo:acme/widgets' });
    expect(text).toMatch(/^acme\/widgets:src\/utils\/format\.ts$/m);
    expect(text).toMatch(
      /^acme\/widgets:src\/utils\/format\.ts\n<untrusted from="match">\n(?:(?!<\/untrusted>)[\s\S])*formatNumber(?:(?!<\/untrusted>)[\s\S])*\n<\/untrusted>$/m,
    );
    expect(text).toMatch(/\(\d+ of \d+ shown; (end|more with cursor="2")\)/);
    expect(text).not.toMatch(/html_url|git_url|"score"/);
  });

  it('search_code outside the allowed repositories is denied before reaching GitHub', async () => {
    const before = gh.sandbox.upstream.requests.length;
    const res = await gh.harness.callTool('search_code', { query: 'terraform repo:acme/private-infra' });
    expect(res.isError).toBe(true);
    expect(res.text).toContain('repo:acme/private-infra');
    expect(gh.sandbox.upstream.requests.slice(before).filter((r) => r.path.startsWith('/search/code'))).toHaveLength(0);
  });

  it('search_repositories is scoped the same way', async () => {
    const res = await gh.harness.callTool('search_repositories', { query: 'infra repo:acme/private-infra' });
    expect(res.isError).toBe(true);
    expect(res.text).toContain('repo:acme/private-infra');
  });

  it('search_users lists logins and account types, and pages', async () => {
    const text = await call('search_users', { query: 'mona' });
    expect(text).toMatch(/^@monalisa User$/m);
    const orgs = await call('search_users', { query: 'acme type:org' });
    expect(orgs).toMatch(/^@acme Organization$/m);
    const first = await call('search_users', { query: 'type:user', limit: 1 });
    expect(first.split('\n')).toHaveLength(2);
    expect(first).toMatch(/\(1 of \d+ shown; more with cursor="2"\)$/);
    const second = await call('search_users', { query: 'type:user', limit: 1, cursor: '2' });
    expect(second.split('\n')[0]).not.toBe(first.split('\n')[0]);
  });

  it('lists the search tools as read-only', async () => {
    const tools = (await gh.harness.listTools()).filter((t) => t.name.startsWith('search_'));
    expect(tools.map((t) => t.name).sort()).toEqual(['search_code', 'search_repositories', 'search_users']);
    for (const t of tools) expect(t.annotations?.readOnlyHint).toBe(true);
  });

  it('sends only requests that GitHub documents', () => {
    expect(gh.sandbox.upstream.requests.some((r) => r.path === '/search/code')).toBe(true);
    assertRequestsConform(githubApi(), gh.sandbox.upstream.requests);
  });
});
