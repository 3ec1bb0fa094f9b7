/** Block-level edits: append Markdown, rewrite one block, delete a block. */
import type { Toolset } from '@switchboard-mcp/core';
import { SwitchboardError, untrusted } from '@switchboard-mcp/core';
import { z } from 'zod';
import { appendBlocks } from '../blocks.ts';
import { notionId } from '../ids.ts';
import { converters } from '../markdown/lazy.ts';
import type { Block } from '../markdown/types.ts';
import { type Json, short } from '../render.ts';
import { pageResource } from '../resources.ts';
import { tool } from './common.ts';

export const appendMarkdown = tool({
  name: 'append_markdown',
  title: 'Append Markdown',
  description: 'Add Markdown as blocks to a page or block, at the end or after a given block',
  access: 'write',
  scopes: ['insert_content'],
  resource: (input, ctx) => pageResource(ctx, input.block_id, 'block'),
  input: z.object({
    block_id: notionId('page or block'),
    markdown: z.string().min(1),
    after: notionId('block').optional().describe('sibling block id to insert after'),
  }),
  run: async ({ client, input }) => {
    const blocks = (await converters()).markdownToBlocks(input.markdown);
    if (!blocks.length) throw new SwitchboardError('invalid', 'the Markdown holds no content');
    return { written: await appendBlocks(client, input.block_id, blocks, input.after) };
  },
  render: (r, input) => `appended ${r.written} blocks to ${short(input.block_id)}`,
});

/** Fields of a block body Notion lets an update change, besides rich text. */
const KEEP = ['checked', 'language', 'icon', 'expression', 'external', 'caption', 'is_toggleable'];

export const updateBlock = tool({
  name: 'update_block',
  title: 'Update block',
  description: 'Replace one block’s content with Markdown of the same block type (ids from get_page ids=true)',
  access: 'destructive',
  idempotent: true,
  scopes: ['update_content'],
  resource: (input, ctx) => pageResource(ctx, input.block_id, 'block'),
  input: z.object({ block_id: notionId('block'), markdown: z.string() }),
  run: async ({ client, input }) => {
    const md = await converters();
    const [next, ...extra] = md.markdownToBlocks(input.markdown);
    if (!next || extra.length) {
      throw new SwitchboardError('invalid', `the Markdown gives ${extra.length + (next ? 1 : 0)} blocks; give one`, {
        hint: 'To add blocks use append_markdown.',
      });
    }
    if (next[next.type]?.children?.length) {
      throw new SwitchboardError(
        'invalid',
        'update_block sets one block’s own content; the Markdown has nested blocks',
        {
          hint: 'Update the block without them, then append_markdown with block_id set to this block to nest them.',
        },
      );
    }
    const current = (await client.api.blocks.retrieve({ block_id: input.block_id })) as Json;
    if (next.type !== current.type) {
      throw new SwitchboardError('invalid', `block is ${current.type}; the Markdown gives ${next.type}`, {
        hint: 'Notion cannot change a block’s type: delete_block and append_markdown instead.',
      });
    }
    const body: Json = {};
    const content = next[next.type] ?? {};
    if (content.rich_text) body.rich_text = content.rich_text;
    for (const key of KEEP) if (key in content) body[key] = content[key];
    if (current.type === 'table_row' || current.type === 'table') {
      throw new SwitchboardError('invalid', 'tables are edited as a whole: delete_block and append_markdown');
    }
    const block = (await client.api.blocks.update({ block_id: input.block_id, [next.type]: body } as never)) as Json;
    return { block, markdown: md.blocksToMarkdown([block as Block]) };
  },
  render: ({ block, markdown }) =>
    `updated ${block.type} ${short(block.id)}:\n${untrusted(markdown.slice(0, 500), { source: 'block' })}`,
});

export const deleteBlock = tool({
  name: 'delete_block',
  title: 'Delete block',
  description: 'Move a block (or a child page) to the trash',
  access: 'destructive',
  idempotent: true,
  scopes: ['update_content'],
  resource: (input, ctx) => pageResource(ctx, input.block_id, 'block'),
  input: z.object({ block_id: notionId('block') }),
  run: async ({ client, input }) => (await client.api.blocks.delete({ block_id: input.block_id })) as Json,
  render: (block) => `deleted ${block.type} ${short(block.id)}`,
});

export const blocks: Toolset = {
  description: 'Edit page content block by block',
  tools: [appendMarkdown, updateBlock, deleteBlock],
};
