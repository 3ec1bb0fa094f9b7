/** Arguments and helpers shared by the Slack tools. */
import { toolsFor } from '@switchboard-mcp/core';
import { z } from 'zod';
import { channelId, type SlackClient, userTarget } from '../client.ts';

export const tool = toolsFor<SlackClient>();

export const channelArg = z.string().min(1).describe('Channel id (C…) or #name');
// A refinement, not a regex: it validates without adding a pattern to every schema the model reads.
export const tsArg = z
  .string()
  .refine((v) => /^\d{9,11}\.\d{1,6}$/.test(v), 'expected a Slack message ts like 1714000000.123456')
  .describe('Message ts');
export const cursorArg = z.string().optional();

/** The id to send for `ref`: channel ids and user ids (DMs) as they are, names looked up. */
export async function channelIdFor(client: SlackClient, ref: string): Promise<string> {
  return channelId(ref) ?? userTarget(ref) ?? (await client.directory.channel(ref)).id;
}

/** `#name` when the caller named it so, else the id. */
export function channelLabel(ref: string): string {
  return channelId(ref) ?? userTarget(ref) ?? `#${ref.replace(/^#/, '')}`;
}

/** Markdown to mrkdwn, loaded on first use (the Markdown parser is not needed at start-up). */
export async function toMrkdwn(markdown: string): Promise<string> {
  const { markdownToMrkdwn } = await import('../mrkdwn.ts');
  return markdownToMrkdwn(markdown);
}
