/**
 * GitHub meters search apart from the core quota: using up the search quota must fail further searches fast
 * (without sending them) and leave every other call alone. Driven through the real MCP server over stdio.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GithubUnderTest, startGithub } from './helpers.ts';

describe('rate-limit buckets', () => {
  let gh: GithubUnderTest;

  beforeAll(async () => {
    // One search per 10 minutes: the window outlasts any call's deadline, so the throttle must fail fast.
    gh = await startGithub({ transport: 'stdio', sandbox: { rateLimit: { search: { limit: 1, windowMs: 600_000 } } } });
  }, 60_000);
  afterAll(async () => {
    await gh?.close();
  });

  const sent = (prefix: string) => gh.sandbox.upstream.requests.filter((r) => r.path.startsWith(prefix)).length;

  it('an exhausted search quota fails searches fast and does not hold back other calls', async () => {
    const first = await gh.harness.callTool('search_repositories', { query: 'widgets' });
    expect(first.isError, first.text).toBeFalsy();
    expect(sent('/search/')).toBe(1);

    // The core quota is untouched: get_repository is sent and answered.
    const before = sent('/repos/acme/widgets');
    const repo = await gh.harness.callTool('get_repository', { owner: 'acme', repo: 'widgets' });
    expect(repo.isError, repo.text).toBeFalsy();
    expect(repo.text).toContain('acme/widgets');
    expect(sent('/repos/acme/widgets')).toBe(before + 1);

    // The search quota is used up: the next search is refused without a request, saying when to retry.
    const second = await gh.harness.callTool('search_repositories', { query: 'gadgets' });
    expect(second.isError).toBe(true);
    expect(second.text).toMatch(/^Rate limited: the search rate limit at 127\.0\.0\.1:\d+ for this credential/);
    expect(second.text).toMatch(/Retry after 1[01]min\./);
    expect(sent('/search/')).toBe(1);

    // And still nothing else is held back.
    const again = await gh.harness.callTool('get_repository', { owner: 'acme', repo: 'widgets' });
    expect(again.isError, again.text).toBeFalsy();
  });
});
