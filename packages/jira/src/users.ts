/** People by name, email or account id, for assignee and user fields. */
import { SwitchboardError } from '@switchboard-mcp/core';
import type { JiraClient } from './client.ts';
import type { JiraUser } from './render.ts';

/** Cloud account ids: `557058:uuid` or 24 hex characters. */
const ACCOUNT_ID = /^(?:\d+:[0-9a-f-]{36}|[0-9a-f]{24})$/i;

/**
 * One active user matching `who` (account id, email, or display-name fragment). Several matches are an error
 * listing them, so the model asks or narrows instead of assigning the wrong person.
 */
export async function resolveUser(client: JiraClient, who: string): Promise<JiraUser> {
  const query = who.trim().replace(/^@/, '');
  if (client.deployment === 'cloud' && ACCOUNT_ID.test(query)) return { accountId: query };
  const found = (
    client.deployment === 'cloud'
      ? await client.api.findUsers(client.t, { query, maxResults: 20 })
      : await client.t.sendRequest<JiraUser[]>({
          url: '/rest/api/2/user/search',
          method: 'GET',
          searchParams: { username: query, maxResults: 20 },
        })
  ) as JiraUser[];
  const active = found.filter((u) => u.active !== false);
  const lower = query.toLowerCase();
  const exact = active.filter(
    (u) => u.emailAddress?.toLowerCase() === lower || u.displayName?.toLowerCase() === lower || u.name === query,
  );
  const pick = exact.length === 1 ? exact : active;
  if (pick.length === 1) return pick[0]!;
  if (!pick.length) {
    throw new SwitchboardError('not_found', `no active Jira user matches "${query}".`, {
      hint: 'Check the spelling, or use the email address or account id.',
    });
  }
  const names = pick
    .slice(0, 8)
    .map((u) => `${u.displayName ?? u.name}${u.emailAddress ? ` <${u.emailAddress}>` : ''} (${u.accountId ?? u.name})`);
  throw new SwitchboardError('invalid', `"${query}" matches ${pick.length} users: ${names.join('; ')}.`, {
    hint: 'Repeat with the email address or account id of the one you mean.',
  });
}
