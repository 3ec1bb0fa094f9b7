/** Code and user search across GitHub. Repository search lives in the repos toolset. */
import type { Octokit } from '@octokit/rest';
import type { Toolset } from '@switchboard-mcp/core';
import { toolsFor } from '@switchboard-mcp/core';
import { z } from 'zod';
import { authored, moreResults, oneLine, searchPaging, searchResources } from '../render.ts';

const tool = toolsFor<Octokit>();

const input = z.object({
  query: z.string(),
  cursor: z.string().optional(),
  limit: z.number().int().min(1).max(100).default(20),
});

type TextMatch = { fragment?: string; property?: string };

export const searchCode = tool({
  name: 'search_code',
  title: 'Search code',
  description: 'Search code (GitHub code search syntax); matching fragments included',
  access: 'read',
  resource: (args) => searchResources(args.query),
  input,
  run: async ({ client, input, signal }) =>
    client.rest.search.code({
      q: input.query,
      ...searchPaging(input),
      mediaType: { format: 'text-match' },
      request: { signal },
    }),
  render: (res, input) => {
    const lines: string[] = [];
    for (const item of res.data.items) {
      const where = `${item.repository.full_name}:${item.path}`;
      lines.push(where);
      const matches = ((item as { text_matches?: TextMatch[] }).text_matches ?? []).filter(
        (m) => m.fragment && (m.property ?? 'content') === 'content',
      );
      if (matches.length) lines.push(authored(matches.map((m) => m.fragment).join('\n…\n'), 'match'));
    }
    lines.push(moreResults(res, input));
    if (res.data.incomplete_results) lines.push('(search timed out upstream: results may be incomplete)');
    return lines.join('\n');
  },
});

export const searchUsers = tool({
  name: 'search_users',
  title: 'Search users',
  description: 'Search users and organizations (GitHub search syntax)',
  access: 'read',
  input,
  run: async ({ client, input, signal }) =>
    client.rest.search.users({
      q: input.query,
      ...searchPaging(input),
      request: { signal },
    }),
  render: (res, input) => {
    const lines = res.data.items.map((u) => `@${oneLine(u.login)} ${u.type}`);
    lines.push(moreResults(res, input));
    return lines.join('\n');
  },
});

export const search: Toolset = {
  description: 'Search code and users',
  tools: [searchCode, searchUsers],
};
