/**
 * What the model sees of the Notion server is pinned: every tool's schema is snapshotted in a checked-in file,
 * and the tool list stays within its token budget (the official server's list costs about 17,500 tokens).
 */
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NotionUnderTest, startNotion } from './helpers.ts';

describe('tool list', () => {
  let all: NotionUnderTest;
  beforeAll(async () => {
    all = await startNotion({ transport: 'stdio', args: ['--toolsets', 'all'] });
  });
  afterAll(async () => {
    await all?.close();
  });

  it('matches the checked-in schema snapshot', async () => {
    const tools = await all.harness.listTools();
    await expect(`${JSON.stringify(tools, null, 2)}\n`).toMatchFileSnapshot('./tools.snapshot.json');
  });

  it('costs at most a quarter of the official server’s list: all toolsets ≤ 4,000 tokens (o200k)', async () => {
    const tools = await all.harness.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      [
        'add_comment',
        'append_markdown',
        'archive_page',
        'create_data_source',
        'create_page',
        'delete_block',
        'get_data_source',
        'get_database',
        'get_me',
        'get_more_output',
        'get_page',
        'get_user',
        'list_comments',
        'list_users',
        'query_data_source',
        'search',
        'update_block',
        'update_data_source',
        'update_page',
      ].sort(),
    );
    expect(encode(JSON.stringify(tools)).length).toBeLessThanOrEqual(4000);
  });

  it('offers confirm only on destructive tools', async () => {
    for (const tool of await all.harness.listTools()) {
      const props = Object.keys((tool.inputSchema as { properties?: object }).properties ?? {});
      const destructive = tool.annotations?.readOnlyHint !== true && tool.annotations?.destructiveHint !== false;
      expect(props.includes('confirm'), tool.name).toBe(destructive);
    }
  });
});
