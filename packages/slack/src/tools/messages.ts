/** Writing: post, reply, update, delete, schedule, react. Text is Markdown, converted to Slack mrkdwn. */
import { SwitchboardError, type Toolset } from '@switchboard-mcp/core';
import { z } from 'zod';
import { channelResources } from '../resources.ts';
import { isoMs, tsDateTime } from '../time.ts';
import { channelArg, channelIdFor, toMrkdwn, tool, tsArg } from './shared.ts';

const textArg = z.string().min(1).describe('Markdown');
const blocksArg = z.array(z.looseObject({})).max(50).optional().describe('Block Kit blocks (text is the fallback)');

interface Posted {
  channel?: string;
  ts?: string;
}

function posted(verb: string) {
  return (res: Posted) => `${verb} ts=${res.ts} in ${res.channel}`;
}

export const postMessage = tool({
  name: 'post_message',
  title: 'Post message',
  description: 'Post a message to a channel (or a user id for a DM)',
  access: 'write',
  scopes: ['chat:write'],
  resource: (input, ctx) => channelResources(input.channel, 'write', ctx),
  input: z.object({ channel: channelArg, text: textArg, blocks: blocksArg }),
  run: async ({ client, input }) => {
    const channel = await channelIdFor(client, input.channel);
    const res = await client.bot.chat.postMessage({
      channel,
      text: await toMrkdwn(input.text),
      mrkdwn: true,
      ...(input.blocks ? { blocks: input.blocks as never } : {}),
    });
    return res as Posted;
  },
  render: posted('posted'),
});

export const replyToThread = tool({
  name: 'reply_to_thread',
  title: 'Reply in thread',
  description: 'Reply in a thread; broadcast also posts it to the channel',
  access: 'write',
  scopes: ['chat:write'],
  resource: (input, ctx) => channelResources(input.channel, 'write', ctx),
  input: z.object({
    channel: channelArg,
    thread_ts: tsArg.describe('ts of the thread parent'),
    text: textArg,
    broadcast: z.boolean().default(false),
  }),
  run: async ({ client, input }) => {
    const channel = await channelIdFor(client, input.channel);
    const res = await client.bot.chat.postMessage({
      channel,
      thread_ts: input.thread_ts,
      text: await toMrkdwn(input.text),
      mrkdwn: true,
      reply_broadcast: input.broadcast,
    });
    return res as Posted;
  },
  render: posted('replied'),
});

export const updateMessage = tool({
  name: 'update_message',
  title: 'Edit message',
  description: "Replace the text (and blocks) of a bot's message",
  access: 'write',
  idempotent: true,
  scopes: ['chat:write'],
  resource: (input, ctx) => channelResources(input.channel, 'write', ctx),
  input: z.object({ channel: channelArg, ts: tsArg, text: textArg, blocks: blocksArg }),
  run: async ({ client, input }) => {
    const channel = await channelIdFor(client, input.channel);
    const res = await client.bot.chat.update({
      channel,
      ts: input.ts,
      text: await toMrkdwn(input.text),
      ...(input.blocks ? { blocks: input.blocks as never } : {}),
    });
    return res as Posted;
  },
  render: posted('updated'),
});

export const deleteMessage = tool({
  name: 'delete_message',
  title: 'Delete message',
  description: "Delete a bot's message",
  access: 'destructive',
  scopes: ['chat:write'],
  resource: (input, ctx) => channelResources(input.channel, 'write', ctx),
  input: z.object({ channel: channelArg, ts: tsArg }),
  run: async ({ client, input }) => {
    const channel = await channelIdFor(client, input.channel);
    return (await client.bot.chat.delete({ channel, ts: input.ts })) as Posted;
  },
  render: posted('deleted'),
});

/** Epoch seconds for post_at: a duration ahead ("2h", "1d"), an ISO time, or epoch seconds. */
export function postAt(value: string, now = Date.now()): number {
  const text = value.trim();
  const ahead = /^(?:in\s*)?(\d+(?:\.\d+)?)\s*([mhdw])$/i.exec(text);
  const unit: Record<string, number> = { m: 60, h: 3600, d: 86400, w: 604800 };
  if (ahead) return Math.round(now / 1000 + Number(ahead[1]) * (unit[(ahead[2] as string).toLowerCase()] as number));
  if (/^\d{9,11}$/.test(text)) return Number(text);
  const ms = isoMs(text);
  if (ms === undefined) {
    throw new SwitchboardError('invalid', `post_at: "${text.slice(0, 40)}" is not a time`, {
      hint: 'Use a duration ahead (30m, 2h, 1d), an ISO time (2024-05-01T09:00Z) or epoch seconds.',
    });
  }
  return Math.round(ms / 1000);
}

export const scheduleMessage = tool({
  name: 'schedule_message',
  title: 'Schedule message',
  description: 'Schedule a message up to 120 days ahead',
  access: 'write',
  scopes: ['chat:write'],
  resource: (input, ctx) => channelResources(input.channel, 'write', ctx),
  input: z.object({
    channel: channelArg,
    text: textArg,
    post_at: z.string().min(1).describe('2h, ISO time or epoch s'),
    thread_ts: tsArg.optional(),
  }),
  run: async ({ client, input }) => {
    const channel = await channelIdFor(client, input.channel);
    const res = await client.bot.chat.scheduleMessage({
      channel,
      text: await toMrkdwn(input.text),
      post_at: postAt(input.post_at),
      ...(input.thread_ts ? { thread_ts: input.thread_ts } : {}),
    });
    return res as { channel?: string; scheduled_message_id?: string; post_at?: number };
  },
  render: (res) => `scheduled ${res.scheduled_message_id} in ${res.channel} for ${tsDateTime(res.post_at)}`,
});

const reactionInput = z.object({
  channel: channelArg,
  ts: tsArg,
  name: z
    .string()
    .min(1)
    .transform((n) => n.replace(/^:|:$/g, ''))
    .describe('Emoji name, e.g. thumbsup'),
});

/** Platform error code of a Slack SDK error, if it is one. */
function slackCode(error: unknown): string | undefined {
  return (error as { data?: { error?: string } })?.data?.error;
}

export const addReaction = tool({
  name: 'add_reaction',
  title: 'Add reaction',
  description: 'React to a message with an emoji',
  access: 'write',
  idempotent: true,
  scopes: ['reactions:write'],
  resource: (input, ctx) => channelResources(input.channel, 'write', ctx),
  input: reactionInput,
  run: async ({ client, input }) => {
    const channel = await channelIdFor(client, input.channel);
    try {
      await client.bot.reactions.add({ channel, timestamp: input.ts, name: input.name });
      return `added :${input.name}: to ${input.ts}`;
    } catch (error) {
      if (slackCode(error) === 'already_reacted') return `:${input.name}: was already there on ${input.ts}`;
      throw error;
    }
  },
  render: (text) => text,
});

export const removeReaction = tool({
  name: 'remove_reaction',
  title: 'Remove reaction',
  description: "Remove the bot's emoji reaction from a message",
  access: 'write',
  idempotent: true,
  scopes: ['reactions:write'],
  resource: (input, ctx) => channelResources(input.channel, 'write', ctx),
  input: reactionInput,
  run: async ({ client, input }) => {
    const channel = await channelIdFor(client, input.channel);
    try {
      await client.bot.reactions.remove({ channel, timestamp: input.ts, name: input.name });
      return `removed :${input.name}: from ${input.ts}`;
    } catch (error) {
      if (slackCode(error) === 'no_reaction') return `no :${input.name}: by the bot on ${input.ts}; nothing removed`;
      throw error;
    }
  },
  render: (text) => text,
});

export const messages: Toolset = {
  description: 'Post, reply, edit, delete, schedule and react',
  tools: [postMessage, replyToThread, updateMessage, deleteMessage, scheduleMessage, addReaction, removeReaction],
};
