/**
 * Display names for the users a page or comment mentions or was written by. Storage format and REST v2 name
 * users by id only; one bulk lookup (Cloud) or a few per-user ones (Data Center) make the Markdown readable.
 * Names are cached per client; a failed lookup only costs the names (ids stay in the links).
 */
import { type Confluence, v1Get } from './client.ts';

/** Data Center has no bulk lookup: beyond this many unknown users per call, the rest keep their ids. */
const DC_LOOKUPS = 10;

export async function userNames(
  client: Confluence,
  ids: Iterable<string>,
): Promise<(id: string) => string | undefined> {
  const names = client.userNames;
  const unknown = [...new Set(ids)].filter((id) => id && !names.has(id));
  try {
    if (unknown.length && client.deployment === 'cloud') {
      for (let i = 0; i < unknown.length; i += 250) {
        const data = (await client.v2.user.createBulkUserLookup({
          body: { accountIds: unknown.slice(i, i + 250) },
        })) as { results?: { accountId?: string; displayName?: string; publicName?: string }[] };
        for (const u of data.results ?? []) {
          if (u.accountId) names.set(u.accountId, u.displayName || u.publicName || '');
        }
      }
    } else if (unknown.length) {
      await Promise.allSettled(
        unknown.slice(0, DC_LOOKUPS).map(async (key) => {
          const u = await v1Get<{ displayName?: string }>(client, '/wiki/rest/api/user', { key });
          names.set(key, u.displayName ?? '');
        }),
      );
    }
  } catch {
    // Names are a nicety: without the user-read permission the ids remain.
  }
  return (id) => names.get(id) || undefined;
}
