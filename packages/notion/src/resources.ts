/**
 * Policy resources with ancestry. Unscoped deployments get `page:<id>` / `datasource:<id>` at no cost; when the
 * policy restricts resources, the id's ancestor chain is resolved upstream (bounded depth, parent links cached
 * for a minute) and the resource becomes a path, `page:<root>/<child>/<id>`, so `page:<root>/**` scopes a
 * subtree. Path segments are dashed lower-case ids of pages, databases and data sources; plain blocks between
 * them are skipped, except the block a call targets, which ends its path. An integration usually cannot see
 * the parents of the page it was shared at: the path then starts at the highest ancestor it can see.
 */
import type { ResourceContext } from '@switchboard-mcp/core';
import { SwitchboardError } from '@switchboard-mcp/core';
import { type Notion, type ParentLink, parentLink } from './client.ts';
import { notionFailure } from './errors.ts';

/** Deeper trees than this are refused rather than half-resolved (fail closed). */
export const MAX_DEPTH = 24;

type Kind = ParentLink['kind'];

async function lookup(notion: Notion, kind: Kind, id: string): Promise<{ link: ParentLink; kind: Kind }> {
  const cached = notion.cachedParent(id);
  if (cached && (cached.kind === kind || kind === 'block')) return cached;
  let link: ParentLink;
  let actual: Kind = kind;
  if (kind === 'page') {
    link = parentLink(((await notion.api.pages.retrieve({ page_id: id })) as any).parent);
  } else if (kind === 'database') {
    link = parentLink(((await notion.api.databases.retrieve({ database_id: id })) as any).parent);
  } else if (kind === 'data_source') {
    link = parentLink(((await notion.api.dataSources.retrieve({ data_source_id: id })) as any).parent);
  } else {
    const block = (await notion.api.blocks.retrieve({ block_id: id })) as any;
    link = parentLink(block.parent);
    if (block.type === 'child_page') actual = 'page';
    else if (block.type === 'child_database') actual = 'database';
  }
  notion.rememberParent(id, actual, link);
  return { link, kind: actual };
}

/**
 * The ancestor path of an object, root first, ending with the object itself: ids of pages, databases and data
 * sources, plus the target when it is a plain block.
 */
export async function ancestry(notion: Notion, kind: Kind, id: string): Promise<string[]> {
  const path: string[] = [];
  let current: ParentLink = { kind, id };
  let first = true;
  for (let depth = 0; depth <= MAX_DEPTH; depth++) {
    if (current.kind === 'workspace' || !current.id) return path.reverse();
    let found: Awaited<ReturnType<typeof lookup>>;
    try {
      found = await lookup(notion, current.kind, current.id);
    } catch (error) {
      const code = notionFailure(error)?.code;
      // Above the page the integration was shared at: the path starts below.
      if (!first && (code === 'object_not_found' || code === 'restricted_resource')) return path.reverse();
      throw error;
    }
    const { link, kind: actual } = found;
    if (actual !== 'block' || first) path.push(current.id);
    first = false;
    current = link;
  }
  throw new SwitchboardError('policy_denied', `the page tree above ${id} is deeper than ${MAX_DEPTH} levels`, {
    rule: 'resources',
    hint: 'Ancestry could not be resolved, so the policy cannot scope this call; ask the operator.',
  });
}

/** `page:<path>` for a page or block (blocks end with their own id); `page:<id>` when unscoped. */
export async function pageResource(
  ctx: ResourceContext<Notion>,
  id: string,
  kind: 'page' | 'block' = 'page',
): Promise<string> {
  if (!ctx.scoped) return `page:${id}`;
  return `page:${(await ancestry(await ctx.client(), kind, id)).join('/')}`;
}

/** `datasource:<path>` for a data source or database; `datasource:<id>` when unscoped. */
export async function dataSourceResource(
  ctx: ResourceContext<Notion>,
  id: string,
  kind: 'data_source' | 'database' = 'data_source',
): Promise<string> {
  if (!ctx.scoped) return `datasource:${id}`;
  return `datasource:${(await ancestry(await ctx.client(), kind, id)).join('/')}`;
}
