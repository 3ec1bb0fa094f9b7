/** Footer comments on a page, bodies as Markdown: REST v2 on Cloud, v1 content children on Data Center. */
import { markdownToStorage, mentionedUsers, storageToMarkdown } from '@switchboard-mcp/atlassian/storage';
import { type Toolset, toolsFor, untrusted } from '@switchboard-mcp/core';
import { z } from 'zod';
import { type Confluence, v1Get, v1Send } from '../client.ts';
import { expectList } from '../errors.ts';
import { contentId, cursorInput, day, limitInput, more, nextCursor, oneLine } from '../render.ts';
import { pageResources } from '../resources.ts';
import { userNames } from '../users.ts';

const tool = toolsFor<Confluence>();

interface RawComment {
  id?: string | number;
  /** Cloud: authorId and createdAt; Data Center: by and when. */
  version?: { authorId?: string; createdAt?: string; by?: { displayName?: string; username?: string }; when?: string };
  body?: { storage?: { value?: string } };
}

interface CommentView {
  id: string;
  author: string;
  date: string;
  markdown: string;
}

/** Comments with authors and mentions named (one lookup for all of them). */
async function views(client: Confluence, comments: RawComment[]): Promise<CommentView[]> {
  const ids = comments.flatMap((c) => [
    ...(c.version?.authorId ? [c.version.authorId] : []),
    ...mentionedUsers(c.body?.storage?.value ?? ''),
  ]);
  const name = await userNames(client, ids);
  return comments.map((c) => {
    const v = c.version;
    const authorId = v?.authorId;
    const author = authorId ? (name(authorId) ?? authorId) : (v?.by?.displayName ?? v?.by?.username ?? 'unknown');
    return {
      id: String(c.id ?? ''),
      author: oneLine(author, 100),
      date: day(v?.createdAt ?? v?.when),
      markdown: storageToMarkdown(c.body?.storage?.value ?? '', { userName: name }),
    };
  });
}

export const listComments = tool({
  name: 'list_comments',
  title: 'List comments',
  description: 'Footer comments on a page, oldest first, as Markdown',
  access: 'read',
  scopes: ['read:comment:confluence', 'read:confluence-content.all'],
  resource: (input, ctx) => pageResources(input.pageId, ctx),
  input: z.object({ pageId: contentId(), cursor: cursorInput(), limit: limitInput(10, 100) }),
  run: async ({ client, input }) => {
    const data =
      client.deployment === 'datacenter'
        ? await v1Get<unknown>(client, `/wiki/rest/api/content/${input.pageId}/child/comment`, {
            expand: 'body.storage,version',
            start: input.cursor,
            limit: input.limit,
          })
        : await client.v2.comment.getPageFooterComments({
            id: Number(input.pageId),
            bodyFormat: 'storage',
            cursor: input.cursor,
            limit: input.limit,
          });
    const comments = await views(client, expectList<RawComment>(data, 'results', 'the comment list'));
    return { comments, next: nextCursor(data) };
  },
  render: ({ comments, next }) => {
    if (!comments.length) return 'No comments.';
    const lines = comments.map((c) => {
      return `comment ${c.id} · by ${c.author} · ${c.date}\n${untrusted(c.markdown, { source: 'comment' })}`;
    });
    lines.push(more(next, comments.length));
    return lines.join('\n');
  },
});

export const addComment = tool({
  name: 'add_comment',
  title: 'Add comment',
  description: 'Add a footer comment (Markdown) to a page',
  access: 'write',
  scopes: ['write:comment:confluence', 'write:confluence-content'],
  resource: (input, ctx) => pageResources(input.pageId, ctx),
  input: z.object({ pageId: contentId(), body: z.string().min(1).describe('Markdown') }),
  run: async ({ client, input }) => {
    const value = markdownToStorage(input.body);
    if (client.deployment === 'datacenter') {
      return v1Send<RawComment>(client, 'POST', '/wiki/rest/api/content', {
        type: 'comment',
        container: { id: input.pageId, type: 'page' },
        body: { storage: { value, representation: 'storage' } },
      });
    }
    return (await client.v2.comment.createFooterComment({
      pageId: input.pageId,
      body: { representation: 'storage', value },
    })) as RawComment;
  },
  render: (c, input) => `Added comment ${c.id} to page ${input.pageId}`,
});

export const comments: Toolset = { description: 'Page comments', tools: [listComments, addComment] };
