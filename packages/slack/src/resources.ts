/**
 * Policy resources. A channel is named both ways, `channel:<id>` and `channel:#<name>`, once the policy
 * restricts resources (so names are looked up only then); DMs are `im:<id>` / `mpim:<id>` and are refused
 * unless SLACK_DMS allows them for the call's access.
 */
import type { Access, ResourceContext } from '@switchboard-mcp/core';
import { SwitchboardError } from '@switchboard-mcp/core';
import { type ChannelInfo, channelId, type SlackClient, userTarget } from './client.ts';

export function dmDenied(access: Access, dms: SlackClient['dms']): SwitchboardError | undefined {
  if (dms === 'write' || (dms === 'read' && access === 'read')) return undefined;
  return new SwitchboardError(
    'policy_denied',
    `direct messages are off for ${access === 'read' ? 'reading' : 'writing'} (rule: SLACK_DMS=${dms})`,
    {
      rule: 'SLACK_DMS',
      hint: 'Only the operator can allow DMs (SLACK_DMS=read or write). Do not retry; use a channel instead.',
    },
  );
}

export function resourcesOf(info: ChannelInfo): string[] {
  if (info.kind === 'im' || info.kind === 'mpim') return [`${info.kind}:${info.id}`];
  return [`channel:${info.id}`, `channel:#${info.name}`];
}

/** Resources for a call on `ref` (id, #name, name, or a user id for a DM). */
export async function channelResources(
  ref: string,
  access: Access,
  ctx: ResourceContext<SlackClient>,
): Promise<string[]> {
  const client = await ctx.client();
  const user = userTarget(ref);
  if (user) {
    const denied = dmDenied(access, client.dms);
    if (denied) throw denied;
    return [`im:${user}`];
  }
  const id = channelId(ref);
  if (id?.startsWith('D')) {
    const denied = dmDenied(access, client.dms);
    if (denied) throw denied;
    return [`im:${id}`];
  }
  // Legacy G… ids are private channels or group DMs: only a lookup tells which.
  const needsLookup = ctx.scoped || (id?.startsWith('G') && client.dms !== 'write');
  if (!needsLookup) return [id ? `channel:${id}` : `channel:#${ref.replace(/^#/, '')}`];
  const info = await client.directory.channel(ref);
  if (info.kind === 'im' || info.kind === 'mpim') {
    const denied = dmDenied(access, client.dms);
    if (denied) throw denied;
  }
  return resourcesOf(info);
}

/**
 * What a search query can reach: the channels its `in:` qualifiers name (looked up, so they are named both ways,
 * when the policy restricts resources), else every channel (`channel:*`), so a read allow-list keeps search
 * inside it.
 */
export async function searchResources(query: string, ctx: ResourceContext<SlackClient>): Promise<string[]> {
  const refs: string[] = [];
  for (const m of query.matchAll(/(?:^|\s)in:(<#[CG][A-Z0-9]+(?:\|[^>]*)?>|#?[\w.-]+)/g)) refs.push(m[1] as string);
  if (!refs.length) return ['channel:*'];
  if (!ctx.scoped)
    return refs.map((r) => (channelId(r) ? `channel:${channelId(r)}` : `channel:#${r.replace(/^#/, '')}`));
  const client = await ctx.client();
  const infos = await Promise.all(refs.map((r) => client.directory.channel(r)));
  return infos.flatMap(resourcesOf);
}
