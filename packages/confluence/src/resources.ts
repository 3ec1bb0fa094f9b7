/**
 * Policy resources: `space:<KEY>` and `page:<id>`. A page call names its page, and its space too when the policy
 * restricts resources (one lookup, cached per client; unscoped deployments pay nothing).
 */
import type { ResourceContext } from '@switchboard-mcp/core';
import { type Confluence, v1Get } from './client.ts';

/** The key of a space by id (Cloud v2 names spaces by id), cached per client. */
export async function spaceKey(client: Confluence, spaceId: string): Promise<string> {
  const known = client.spaceKeys.get(spaceId);
  if (known) return known;
  const space = await client.v2.space.getSpaceById({ id: Number(spaceId) });
  client.spaceKeys.set(spaceId, space.key ?? spaceId);
  return space.key ?? spaceId;
}

/** The space key of a page. */
export async function pageSpaceKey(client: Confluence, id: string): Promise<string> {
  if (client.deployment === 'datacenter') {
    const page = await v1Get<{ space?: { key?: string } }>(client, `/wiki/rest/api/content/${id}`, { expand: 'space' });
    return page.space?.key ?? '';
  }
  const page = await client.v2.page.getPageById({ id: Number(id) });
  return spaceKey(client, String(page.spaceId));
}

export async function pageResources(id: string, ctx: ResourceContext<Confluence>): Promise<string[]> {
  if (!ctx.scoped) return [`page:${id}`];
  const key = await pageSpaceKey(await ctx.client(), id);
  return [`space:${key}`, `page:${id}`];
}

/**
 * The spaces a CQL query can reach: each `space = KEY` / `space in (A, B)` (also `space.key`), or `space:*`
 * (every space) when it names none — so a read allow-list such as `space:ENG` also bounds search.
 */
export function cqlResources(cql: string): string[] {
  // Quoted text (a search phrase, a quoted key) is set aside first, so words inside it count for nothing.
  const quoted: string[] = [];
  const bare = cql.replace(/"(?:[^"\\]|\\.)*"/g, (q) => `"${quoted.push(q.slice(1, -1)) - 1}"`);
  const value = (v: string) => (/^"\d+"$/.test(v) ? (quoted[Number(v.slice(1, -1))] ?? '') : v);
  // OR and negations can widen the query past the named spaces, in words or symbols (|, ||, !). A single quote
  // left outside double quotes may open a string that hides double quotes, and with them an OR: not bounded.
  if (/\b(?:or|not)\b/i.test(bare) || /[|']|!(?![=~])/.test(bare)) return ['space:*'];
  const keys = new Set<string>();
  for (const m of bare.matchAll(/\bspace(?:\.key)?\s*=\s*("\d+"|[\w~-]+)/gi)) keys.add(value(m[1] ?? ''));
  for (const m of bare.matchAll(/\bspace(?:\.key)?\s+in\s*\(([^)]*)\)/gi)) {
    for (const k of (m[1] ?? '').split(',')) keys.add(value(k.trim()));
  }
  const list = [...keys].filter(Boolean).map((k) => `space:${k}`);
  return list.length ? list : ['space:*'];
}
