/** Comments on pages and blocks. */
import type { Toolset } from '@switchboard-mcp/core';
import { oneLine, SwitchboardError, untrusted } from '@switchboard-mcp/core';
import { z } from 'zod';
import type { Notion } from '../client.ts';
import { normalizeId, notionId } from '../ids.ts';
import { converters } from '../markdown/lazy.ts';
import { day, type Json, short } from '../render.ts';
import { pageResource } from '../resources.ts';
import { cursor, limit, more, tool } from './common.ts';

export const listComments = tool({
  name: 'list_comments',
  title: 'List comments',
  description: 'Open comments on a page or block',
  access: 'read',
  scopes: ['read_comments'],
  resource: (input, ctx) => pageResource(ctx, input.block_id, 'block'),
  input: z.object({ block_id: notionId('page or block'), limit: limit(100, 50), cursor }),
  run: async ({ client, input }) => {
    const r = (await client.api.comments.list({
      block_id: input.block_id,
      page_size: input.limit,
      ...(input.cursor ? { start_cursor: input.cursor } : {}),
    })) as Json;
    // Comments carry author ids only; names are looked up once per author.
    const ids = [...new Set((r.results as Json[]).map((c) => String(c.created_by?.id)))];
    const names = new Map<string, string>();
    await Promise.all(
      ids.map(async (id) => {
        try {
          const u = (await client.api.users.retrieve({ user_id: id })) as Json;
          names.set(id, oneLine(u.name, 60));
        } catch {
          // Without the user-information capability, authors stay ids.
        }
      }),
    );
    const md = await converters();
    const results = (r.results as Json[]).map((c) => ({ ...c, markdown: md.richTextToMarkdown(c.rich_text) }));
    return { results, next_cursor: r.next_cursor as string | null, names };
  },
  render: (r) => {
    const lines = (r.results as Json[]).map((c) => {
      const who = r.names.get(String(c.created_by?.id)) || `user ${short(c.created_by?.id)}`;
      return `[${short(c.discussion_id)}] ${who} ${day(c.created_time)}: ${c.markdown}`;
    });
    if (!lines.length) return 'no comments';
    return `${untrusted(lines.join('\n'), { source: 'comments' })}${more(r.next_cursor)}`;
  },
});

/** Discussions on one block looked through before a reply is refused as not on it. */
const MAX_COMMENT_PAGES = 10;

/** Fails unless the discussion is one of the block's, so the policy checked on the block covers the reply. */
async function assertDiscussionOn(client: Notion, blockId: string, discussionId: string): Promise<void> {
  let cursor: string | undefined;
  for (let n = 0; n < MAX_COMMENT_PAGES; n++) {
    const r = (await client.api.comments.list({
      block_id: blockId,
      page_size: 100,
      ...(cursor ? { start_cursor: cursor } : {}),
    })) as Json;
    if ((r.results as Json[]).some((c) => normalizeId(String(c.discussion_id)) === discussionId)) return;
    cursor = r.has_more ? (r.next_cursor ?? undefined) : undefined;
    if (!cursor) break;
  }
  throw new SwitchboardError('invalid', `discussion ${short(discussionId)} is not on ${short(blockId)}`, {
    hint: 'list_comments on the page or block shows its discussions; pass that page or block as block_id.',
  });
}

export const addComment = tool({
  name: 'add_comment',
  title: 'Add comment',
  description: 'Comment on a page or block, or reply in a discussion (Markdown inline text)',
  access: 'write',
  scopes: ['insert_comments'],
  // A reply names no page by itself: under resource allow-lists it must come with the block it is on, which
  // run() checks, or any discussion in the workspace could be answered.
  resource: (input, ctx) => {
    if (input.block_id) return pageResource(ctx, input.block_id, 'block');
    if (!ctx.scoped) return undefined;
    throw new SwitchboardError('policy_denied', 'under this policy a reply must name the page or block it is on', {
      rule: 'resources',
      hint: 'Pass block_id (the page or block given to list_comments) together with discussion_id.',
    });
  },
  input: z.object({
    block_id: notionId('page or block').optional(),
    discussion_id: notionId('discussion').optional().describe('reply in this thread'),
    markdown: z.string().min(1),
  }),
  run: async ({ client, input }) => {
    if (!input.block_id && !input.discussion_id) {
      throw new SwitchboardError('invalid', 'give block_id (new discussion) or discussion_id (reply)');
    }
    const rich_text = (await converters()).markdownToRichText(input.markdown);
    if (input.discussion_id) {
      if (input.block_id) await assertDiscussionOn(client, input.block_id, input.discussion_id);
      return (await client.api.comments.create({ discussion_id: input.discussion_id, rich_text } as never)) as Json;
    }
    // A page is addressed as page_id; other blocks as block_id. Which one it is, the block itself says.
    const target = (await client.api.blocks.retrieve({ block_id: input.block_id as string })) as Json;
    const parent = target.type === 'child_page' ? { page_id: input.block_id } : { block_id: input.block_id };
    return (await client.api.comments.create({ parent, rich_text } as never)) as Json;
  },
  render: (c) => `commented ${short(c.id)} in discussion ${short(c.discussion_id)}`,
});

export const comments: Toolset = {
  description: 'Read and add comments',
  tools: [listComments, addComment],
};
