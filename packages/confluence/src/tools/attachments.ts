/** Attachments of a page (names, types, sizes, download links): REST v2 on Cloud, v1 on Data Center. */
import { type Toolset, toolsFor } from '@switchboard-mcp/core';
import { z } from 'zod';
import { type Confluence, v1Get } from '../client.ts';
import { expectList } from '../errors.ts';
import { contentId, cursorInput, limitInput, more, nextCursor, oneLine, sizeOf, webLink } from '../render.ts';
import { pageResources } from '../resources.ts';

const tool = toolsFor<Confluence>();

interface RawAttachment {
  id?: string;
  title?: string;
  mediaType?: string;
  fileSize?: number;
  downloadLink?: string;
  /** Data Center. */
  extensions?: { mediaType?: string; fileSize?: number };
  _links?: { download?: string };
}

export const listAttachments = tool({
  name: 'list_attachments',
  title: 'List attachments',
  description: 'Files attached to a page: name, type, size, download link',
  access: 'read',
  scopes: ['read:attachment:confluence', 'read:confluence-content.all'],
  resource: (input, ctx) => pageResources(input.pageId, ctx),
  input: z.object({ pageId: contentId(), cursor: cursorInput(), limit: limitInput(25, 250) }),
  run: async ({ client, input }) => {
    const data =
      client.deployment === 'datacenter'
        ? await v1Get<unknown>(client, `/wiki/rest/api/content/${input.pageId}/child/attachment`, {
            start: input.cursor,
            limit: input.limit,
          })
        : await client.v2.attachment.getPageAttachments({
            id: Number(input.pageId),
            cursor: input.cursor,
            limit: input.limit,
          });
    const items = expectList<RawAttachment>(data, 'results', 'the attachment list').map((a) => ({
      id: a.id,
      title: a.title,
      mediaType: a.mediaType ?? a.extensions?.mediaType,
      fileSize: a.fileSize ?? a.extensions?.fileSize,
      url: webLink(client.siteUrl, a.downloadLink ?? a._links?.download),
    }));
    return { items, next: nextCursor(data) };
  },
  render: ({ items, next }) => {
    if (!items.length) return 'No attachments.';
    const lines = items.map((a) =>
      [oneLine(a.title, 200), a.mediaType, sizeOf(a.fileSize), `id ${a.id}`, a.url].filter(Boolean).join(' · '),
    );
    lines.push(more(next, items.length));
    return lines.join('\n');
  },
});

export const attachments: Toolset = { description: 'Page attachments', tools: [listAttachments] };
