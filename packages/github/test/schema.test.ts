/**
 * What the model sees of the GitHub server is pinned: every tool's schema is snapshotted in a checked-in file
 * (an unintended change fails CI), and the tool list stays within its token budget.
 */
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GithubUnderTest, startGithub } from './helpers.ts';

describe('tool list', () => {
  let all: GithubUnderTest;
  let defaults: GithubUnderTest;
  beforeAll(async () => {
    [all, defaults] = await Promise.all([
      startGithub({ transport: 'stdio', args: ['--toolsets', 'all'] }),
      startGithub({ transport: 'stdio' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([all?.close(), defaults?.close()]);
  });

  it('matches the checked-in schema snapshot', async () => {
    const tools = await all.harness.listTools();
    await expect(`${JSON.stringify(tools, null, 2)}\n`).toMatchFileSnapshot('./tools.snapshot.json');
  });

  it('stays within the token budgets (o200k): all toolsets ≤ 4000, default toolsets ≤ 2500', async () => {
    const allTokens = encode(JSON.stringify(await all.harness.listTools())).length;
    const defaultTokens = encode(JSON.stringify(await defaults.harness.listTools())).length;
    expect(allTokens).toBeLessThanOrEqual(4000);
    expect(defaultTokens).toBeLessThanOrEqual(2500);
  });

  it('derives annotations from access and offers confirm only on destructive tools', async () => {
    for (const tool of await all.harness.listTools()) {
      const props = Object.keys((tool.inputSchema as { properties?: object }).properties ?? {});
      const destructive = tool.annotations?.readOnlyHint !== true && tool.annotations?.destructiveHint !== false;
      expect(props.includes('confirm'), tool.name).toBe(destructive);
    }
  });
});
