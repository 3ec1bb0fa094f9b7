/** File upload through Slack's external upload flow (getUploadURLExternal → upload → completeUploadExternal). */
import { SwitchboardError, type Toolset } from '@switchboard-mcp/core';
import { z } from 'zod';
import { oneLine } from '../render.ts';
import { channelResources } from '../resources.ts';
import { channelArg, channelIdFor, toMrkdwn, tool, tsArg } from './shared.ts';

/** Largest file accepted through a tool call (decoded bytes; base64 of it stays under MCP HTTP's 1 MiB body cap). */
export const MAX_UPLOAD_BYTES = 512 * 1024;

export const uploadFile = tool({
  name: 'upload_file',
  title: 'Upload file',
  description: `Share a file (text, or base64 for binary; max ${MAX_UPLOAD_BYTES / 1024} KiB) in a channel or thread`,
  access: 'write',
  scopes: ['files:write'],
  resource: (input, ctx) => channelResources(input.channel, 'write', ctx),
  input: z.object({
    channel: channelArg,
    filename: z.string().min(1),
    content: z.string().optional().describe('Text content'),
    content_base64: z.string().optional(),
    title: z.string().optional(),
    comment: z.string().optional().describe('Markdown message posted with the file'),
    thread_ts: tsArg.optional(),
  }),
  run: async ({ client, input }) => {
    if ((input.content === undefined) === (input.content_base64 === undefined)) {
      throw new SwitchboardError('invalid', 'give exactly one of content or content_base64', {
        hint: 'Text files: content. Binary files: content_base64.',
      });
    }
    const base64 = input.content_base64?.replace(/\s+/g, '');
    // Node decodes past invalid characters, which would share a corrupt file as if all went well.
    if (base64 !== undefined && !/^[A-Za-z0-9+/]*={0,2}$|^[A-Za-z0-9_-]*={0,2}$/.test(base64)) {
      throw new SwitchboardError('invalid', 'content_base64 is not valid base64', {
        hint: 'Encode the file bytes as base64, or pass text files as content.',
      });
    }
    const data = input.content !== undefined ? Buffer.from(input.content, 'utf8') : Buffer.from(base64 ?? '', 'base64');
    if (data.length === 0) throw new SwitchboardError('invalid', 'the file is empty', { hint: 'Give some content.' });
    if (data.length > MAX_UPLOAD_BYTES) {
      throw new SwitchboardError('invalid', `the file is ${data.length} bytes; the limit is ${MAX_UPLOAD_BYTES}`, {
        hint: 'Upload a smaller file, or share a link to it instead.',
      });
    }
    const channel = await channelIdFor(client, input.channel);
    const comment = input.comment ? await toMrkdwn(input.comment) : undefined;
    const res = await client.bot.filesUploadV2({
      channel_id: channel,
      file: data,
      filename: input.filename,
      title: input.title ?? input.filename,
      ...(comment ? { initial_comment: comment } : {}),
      ...(input.thread_ts ? { thread_ts: input.thread_ts } : {}),
    } as never);
    const files = (res.files ?? []).flatMap((f) => (f as { files?: { id?: string; name?: string }[] }).files ?? []);
    return { files, bytes: data.length, channel };
  },
  render: ({ files, bytes, channel }) =>
    files.map((f) => `uploaded ${f.id} ${oneLine(f.name)} (${bytes} bytes) to ${channel}`).join('\n') ||
    `uploaded ${bytes} bytes to ${channel}`,
});

export const files: Toolset = {
  description: 'Upload files',
  tools: [uploadFile],
};
