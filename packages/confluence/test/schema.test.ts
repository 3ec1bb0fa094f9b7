/**
 * What the model sees of the Confluence server is pinned: every tool's schema is snapshotted in a checked-in file
 * (an unintended change fails CI), and the tool list stays within its token budget.
 */
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfluenceUnderTest, startConfluence } from './helpers.ts';

describe('tool list', () => {
  let all: ConfluenceUnderTest;
  let defaults: ConfluenceUnderTest;
  beforeAll(async () => {
    [all, defaults] = await Promise.all([
      startConfluence({ transport: 'stdio', args: ['--toolsets', 'all'] }),
      startConfluence({ transport: 'stdio' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([all?.close(), defaults?.close()]);
  });

  it('matches the checked-in schema snapshot', async () => {
    const tools = await all.harness.listTools();
    await expect(`${JSON.stringify(tools, null, 2)}\n`).toMatchFileSnapshot('./tools.snapshot.json');
  });

  it('stays within the token budgets (o200k): all toolsets ≤ 2000, default toolsets ≤ 1600', async () => {
    const allTools = await all.harness.listTools();
    const defaultTools = await defaults.harness.listTools();
    expect(allTools).toHaveLength(15);
    expect(defaultTools).toHaveLength(12);
    expect(defaultTools.map((t) => t.name).sort()).toEqual(
      [
        'add_comment',
        'create_page',
        'get_more_output',
        'get_me',
        'get_page',
        'get_page_ancestors',
        'get_page_children',
        'get_space',
        'list_comments',
        'list_spaces',
        'search',
        'update_page',
      ].sort(),
    );
    expect(encode(JSON.stringify(allTools)).length).toBeLessThanOrEqual(2000);
    expect(encode(JSON.stringify(defaultTools)).length).toBeLessThanOrEqual(1600);
  });

  it('marks reads read-only and writes non-destructive', async () => {
    for (const tool of await all.harness.listTools()) {
      const read = /^(get|list|search)/.test(tool.name);
      expect(tool.annotations?.readOnlyHint === true, tool.name).toBe(read);
      if (!read) expect(tool.annotations?.destructiveHint, tool.name).toBe(false);
    }
  });
});
