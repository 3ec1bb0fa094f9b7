/**
 * The sandbox's data: users, pages, blocks (with ordered children), databases, data sources with typed
 * property schemas, and comments, shaped the way Notion's API (version 2025-09-03) answers.
 */
import { randomUUID } from 'node:crypto';

export type Json = Record<string, any>;

export interface Parent {
  type: 'workspace' | 'page_id' | 'block_id' | 'database_id' | 'data_source_id';
  [key: string]: unknown;
}

export interface PageRecord {
  id: string;
  parent: Parent;
  properties: Record<string, Json>;
  icon: Json | null;
  archived: boolean;
  created_time: string;
  last_edited_time: string;
  created_by: string;
  last_edited_by: string;
  /** Not shared with the integration: answers 404 like Notion does. */
  hidden?: boolean;
}

export interface BlockRecord {
  id: string;
  type: string;
  content: Json;
  parent: Parent;
  archived: boolean;
  created_time: string;
  last_edited_time: string;
}

export interface PropertySchema {
  id: string;
  name: string;
  type: string;
  config: Json;
}

export interface DataSourceRecord {
  id: string;
  database_id: string;
  title: string;
  properties: Record<string, PropertySchema>;
  created_time: string;
  last_edited_time: string;
  archived: boolean;
}

export interface DatabaseRecord {
  id: string;
  parent: Parent;
  title: string;
  is_inline: boolean;
  data_sources: string[];
  created_time: string;
  last_edited_time: string;
  archived: boolean;
}

export interface CommentRecord {
  id: string;
  parent: Parent;
  discussion_id: string;
  rich_text: Json[];
  created_by: string;
  created_time: string;
}

export interface UserRecord {
  id: string;
  type: 'person' | 'bot';
  name: string;
  email?: string;
}

export class NotionState {
  readonly users = new Map<string, UserRecord>();
  readonly pages = new Map<string, PageRecord>();
  readonly blocks = new Map<string, BlockRecord>();
  /** Ordered child block ids of a page or block. */
  readonly children = new Map<string, string[]>();
  readonly databases = new Map<string, DatabaseRecord>();
  readonly dataSources = new Map<string, DataSourceRecord>();
  readonly comments: CommentRecord[] = [];
  botId = '';
  workspaceName = 'Acme';
  private tick = 0;
  private readonly clock: () => number;

  constructor(clock: () => number = Date.now) {
    this.clock = clock;
  }

  /** Strictly increasing timestamps, so sorting by time is deterministic. */
  now(): string {
    const base = Math.floor(this.clock() / 60_000) * 60_000;
    return new Date(base + this.tick++ * 1000).toISOString().replace(/\.\d{3}Z$/, '.000Z');
  }

  static newId(): string {
    return randomUUID();
  }

  childIds(parentId: string): string[] {
    let list = this.children.get(parentId);
    if (!list) {
      list = [];
      this.children.set(parentId, list);
    }
    return list;
  }

  /** Live (not archived) child blocks of a page or block. */
  liveChildren(parentId: string): BlockRecord[] {
    return this.childIds(parentId)
      .map((id) => this.blocks.get(id))
      .filter((b): b is BlockRecord => Boolean(b && !b.archived));
  }

  hasChildren(id: string): boolean {
    return this.liveChildren(id).length > 0;
  }

  /** The title of a page (its title property's plain text). */
  pageTitle(page: PageRecord): string {
    const title = Object.values(page.properties).find((p) => p.type === 'title');
    return (title?.title ?? []).map((t: Json) => t.plain_text ?? '').join('');
  }

  /**
   * A block the integration can see: the nearest page at or above it decides (a page shared on its own is
   * visible under an unshared one; blocks of an unshared page are not).
   */
  visibleBlock(id: string): BlockRecord | undefined {
    const block = this.blocks.get(id);
    let current: string | undefined = id;
    for (let depth = 0; current && depth < 100; depth++) {
      const page = this.pages.get(current);
      if (page) return page.hidden ? undefined : block;
      const parent: Parent | undefined = this.blocks.get(current)?.parent;
      current =
        parent?.type === 'block_id' || parent?.type === 'page_id'
          ? String(parent.block_id ?? parent.page_id)
          : undefined;
    }
    return block;
  }

  /** Archived pages, pages under archived ancestors, and hidden pages are invisible to reads. */
  visiblePage(id: string): PageRecord | undefined {
    const page = this.pages.get(id);
    if (!page || page.hidden) return undefined;
    return page;
  }
}

export function parentOf(kind: 'page' | 'block' | 'database' | 'data_source' | 'workspace', id?: string): Parent {
  switch (kind) {
    case 'page':
      return { type: 'page_id', page_id: id };
    case 'block':
      return { type: 'block_id', block_id: id };
    case 'database':
      return { type: 'database_id', database_id: id };
    case 'data_source':
      return { type: 'data_source_id', data_source_id: id };
    default:
      return { type: 'workspace', workspace: true };
  }
}
