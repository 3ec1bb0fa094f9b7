import { assertRequestsConform } from '@switchboard-mcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GithubUnderTest, githubApi, startGithub, TRANSPORTS } from './helpers.ts';

describe.each(TRANSPORTS)('context toolset over %s', (transport) => {
  let gh: GithubUnderTest;
  beforeAll(async () => {
    gh = await startGithub({ transport });
  }, 60_000);
  afterAll(async () => {
    await gh?.close();
  });

  it('get_me names the account behind the token, without noise', async () => {
    const res = await gh.harness.callTool('get_me', {});
    expect(res.isError).toBe(false);
    expect(res.text).toMatch(/^@octocat \(The Octocat\) · User/);
    expect(res.text).toContain('/octocat');
    expect(res.text).not.toMatch(/avatar|node_id|followers_url|gravatar/);
    expect(res.text.split('\n')).toHaveLength(1);
  });

  it('is listed as a read-only tool that takes no arguments', async () => {
    const tool = (await gh.harness.listTools()).find((t) => t.name === 'get_me');
    expect(tool?.annotations?.readOnlyHint).toBe(true);
    expect(Object.keys(tool?.inputSchema.properties ?? {})).toEqual([]);
  });

  it('sends only requests that GitHub documents', () => {
    const sent = gh.sandbox.upstream.requests.filter((r) => r.path === '/user');
    expect(sent.length).toBeGreaterThan(0);
    assertRequestsConform(githubApi(), gh.sandbox.upstream.requests);
  });
});
