/**
 * What the tools get as their client: the official SDK (with core's fetch, so throttling, retries and deadlines
 * are core's) plus the integration's name for "share the page with …" hints and a short-lived cache of parent
 * links for policy ancestry.
 */
import type { Client } from '@notionhq/client';

export interface ParentLink {
  kind: 'page' | 'block' | 'database' | 'data_source' | 'workspace';
  id?: string;
}

/** Parent links rarely change; a minute bounds how long a moved page keeps its old ancestry for policy. */
const PARENT_TTL_MS = 60_000;

export class Notion {
  readonly api: Client;
  readonly #parents = new Map<string, { link: ParentLink; kind: ParentLink['kind']; at: number }>();
  #botName: Promise<string | undefined> | undefined;

  constructor(api: Client) {
    this.api = api;
  }

  /** The integration's name as Notion shows it in the Connections menu (cached; undefined if unknown). */
  botName(): Promise<string | undefined> {
    this.#botName ??= this.api.users.me({}).then(
      (me) => me.name ?? undefined,
      () => {
        this.#botName = undefined;
        return undefined;
      },
    );
    return this.#botName;
  }

  cachedParent(id: string): { link: ParentLink; kind: ParentLink['kind'] } | undefined {
    const hit = this.#parents.get(id);
    if (!hit) return undefined;
    if (Date.now() - hit.at > PARENT_TTL_MS) {
      this.#parents.delete(id);
      return undefined;
    }
    return hit;
  }

  rememberParent(id: string, kind: ParentLink['kind'], link: ParentLink): void {
    if (this.#parents.size > 5000) this.#parents.clear();
    this.#parents.set(id, { link, kind, at: Date.now() });
  }
}

/** A Notion `parent` object as a link. */
export function parentLink(parent: Record<string, any> | undefined): ParentLink {
  switch (parent?.type) {
    case 'page_id':
      return { kind: 'page', id: parent.page_id };
    case 'block_id':
      return { kind: 'block', id: parent.block_id };
    case 'database_id':
      return { kind: 'database', id: parent.database_id };
    case 'data_source_id':
      return { kind: 'data_source', id: parent.data_source_id };
    default:
      return { kind: 'workspace' };
  }
}
