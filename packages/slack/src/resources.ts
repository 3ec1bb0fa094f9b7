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

/** What one `in:` qualifier of a search names: a channel by id or by name (without '#'), or a DM (`@user`). */
export type SearchTarget = { kind: 'id'; id: string } | { kind: 'name'; name: string } | { kind: 'dm' };

/**
 * The `in:` qualifiers of a search query. Quoted phrases are skipped (Slack reads an `in:` there as text, so it
 * narrows nothing); `-in:` only excludes, so it is not a target either.
 */
export function searchTargets(query: string): SearchTarget[] {
  const bare = query.replace(/"[^"]*(?:"|$)/g, ' ');
  const targets: SearchTarget[] = [];
  for (const m of bare.matchAll(/(?:^|\s)in:(\S+)/gi)) {
    const ref = m[1] as string;
    const id = channelId(ref);
    if (id) targets.push({ kind: 'id', id });
    else if (ref.startsWith('@') || userTarget(ref)) targets.push({ kind: 'dm' });
    else targets.push({ kind: 'name', name: ref.replace(/^#/, '') });
  }
  return targets;
}

/**
 * What a search query can reach: the channels its `in:` qualifiers name (looked up, so they are named both ways,
 * when the policy restricts resources; `in:@user` as `im:*`), else every channel (`channel:*`, plus `im:*` and
 * `mpim:*` while SLACK_DMS lets DMs be read), so a read allow-list keeps search inside it. The tool drops any
 * result outside the named channels, so a qualifier read differently here and by Slack cannot widen a search.
 */
export async function searchResources(query: string, ctx: ResourceContext<SlackClient>): Promise<string[]> {
  const targets = searchTargets(query);
  const client = await ctx.client();
  if (!targets.length) return client.dms === 'off' ? ['channel:*'] : ['channel:*', 'im:*', 'mpim:*'];
  const named = await Promise.all(
    targets.map(async (t): Promise<string[]> => {
      if (t.kind === 'dm' || (t.kind === 'id' && t.id.startsWith('D'))) {
        const denied = dmDenied('read', client.dms);
        if (denied) throw denied;
        return [t.kind === 'id' ? `im:${t.id}` : 'im:*'];
      }
      if (!ctx.scoped) return [t.kind === 'id' ? `channel:${t.id}` : `channel:#${t.name}`];
      const info = await client.directory.channel(t.kind === 'id' ? t.id : t.name);
      if (info.kind === 'im' || info.kind === 'mpim') {
        const denied = dmDenied('read', client.dms);
        if (denied) throw denied;
      }
      return resourcesOf(info);
    }),
  );
  return named.flat();
}
