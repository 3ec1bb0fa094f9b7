/** Message search (Slack search syntax, passed through); needs a user token. */
import { SwitchboardError, type Toolset } from '@switchboard-mcp/core';
import { z } from 'zod';
import { more, oneLine, readable, type SlackMessage, untrusted, userIdsOf } from '../render.ts';
import { type SearchTarget, searchResources, searchTargets } from '../resources.ts';
import { tsDateTime } from '../time.ts';
import { tool } from './shared.ts';

type MatchChannel = { id?: string; name?: string; is_im?: boolean; is_mpim?: boolean };

interface Match extends SlackMessage {
  channel?: MatchChannel;
}

function isDm(c: MatchChannel | undefined): boolean {
  return Boolean(c?.is_im || c?.is_mpim || c?.id?.startsWith('D') || c?.name?.startsWith('mpdm-'));
}

/** Whether a result lies in a channel the query's `in:` qualifiers name (what policy checked). */
export function inSearchScope(targets: SearchTarget[], c: MatchChannel | undefined): boolean {
  if (!targets.length) return true;
  return targets.some((t) =>
    t.kind === 'dm'
      ? Boolean(c?.is_im || c?.id?.startsWith('D'))
      : t.kind === 'id'
        ? c?.id === t.id
        : c?.name?.toLowerCase() === t.name.toLowerCase(),
  );
}

export const searchMessages = tool({
  name: 'search_messages',
  title: 'Search messages',
  description: 'Search messages (Slack syntax: in:#channel from:@user before:/after:YYYY-MM-DD "phrase")',
  access: 'read',
  resource: (input, ctx) => searchResources(input.query, ctx),
  input: z.object({
    query: z.string().min(1).max(500),
    sort: z.enum(['relevance', 'newest']).default('relevance'),
    limit: z.number().int().min(1).max(100).default(20),
    cursor: z.string().regex(/^\d+$/).optional().describe('Page number from a previous result'),
  }),
  run: async ({ client, input }) => {
    if (!client.user) {
      throw new SwitchboardError('auth', 'search needs a user token: SLACK_USER_TOKEN is not set', {
        hint: 'Slack allows search.messages only with a user token (xoxp-, scope search:read). The user must set SLACK_USER_TOKEN; retrying will not help.',
      });
    }
    const res = await client.user.search.messages({
      query: input.query,
      count: input.limit,
      page: input.cursor ? Number(input.cursor) : 1,
      sort: input.sort === 'newest' ? 'timestamp' : 'score',
      sort_dir: 'desc',
    });
    const all = (res.messages?.matches ?? []) as Match[];
    const targets = searchTargets(input.query);
    const inScope = all.filter((m) => inSearchScope(targets, m.channel));
    const outside = all.length - inScope.length;
    const dmsHidden = client.dms === 'off' ? inScope.filter((m) => isDm(m.channel)).length : 0;
    const matches = dmsHidden ? inScope.filter((m) => !isDm(m.channel)) : inScope;
    const names = await client.directory.userNames(userIdsOf(matches));
    const paging = res.messages?.paging ?? res.messages?.pagination;
    const page = Number((paging as { page?: number })?.page ?? 1);
    const pages = Number((paging as { pages?: number; page_count?: number })?.pages ?? 1);
    const total = res.messages?.total ?? all.length;
    return { matches, names, total, next: page < pages ? String(page + 1) : undefined, dmsHidden, outside };
  },
  render: ({ matches, names, total, next, dmsHidden, outside }) => {
    const lines = matches.map((m) => {
      const where = m.channel?.is_im ? 'DM' : `#${oneLine(m.channel?.name, 80)} ${m.channel?.id ?? ''}`;
      const who = m.user ? `@${names.get(m.user) ?? m.user}` : (m.username ?? '?');
      const text = readable(m.text ?? '', names).replace(/\s*\n\s*/g, ' ⏎ ');
      return `${where} ${m.ts} ${tsDateTime(m.ts)} ${who}: ${text}`;
    });
    const out = [`${total} matches`];
    if (lines.length) out.push(untrusted(lines.join('\n'), { source: 'slack search results' }));
    if (outside) out.push(`(${outside} results outside the in: channels dropped)`);
    if (dmsHidden) out.push(`(${dmsHidden} results in DMs hidden: SLACK_DMS=off)`);
    out.push(more(next, matches.length));
    return out.join('\n');
  },
});

export const search: Toolset = {
  description: 'Search messages (user token)',
  tools: [searchMessages],
};
