/** The sandbox's live data: spaces, pages (storage-format bodies, versions), comments, labels, attachments. */

export interface SandboxUser {
  accountId: string;
  /** Data Center identity. */
  username: string;
  userKey: string;
  displayName: string;
  email: string;
}

export interface Space {
  id: string;
  key: string;
  name: string;
  type: 'global' | 'personal';
  status: 'current' | 'archived';
  description: string;
  homepageId?: string;
  createdAt: string;
  authorId: string;
}

export interface Version {
  number: number;
  createdAt: string;
  authorId: string;
  message: string;
}

export interface Page {
  id: string;
  spaceId: string;
  parentId?: string;
  title: string;
  status: 'current' | 'draft' | 'trashed';
  body: string;
  version: Version;
  createdAt: string;
  authorId: string;
  /** Ordering among siblings (creation order). */
  position: number;
}

export interface Comment {
  id: string;
  pageId: string;
  body: string;
  version: Version;
}

export interface Label {
  id: string;
  name: string;
  prefix: 'global' | 'my' | 'team';
}

export interface Attachment {
  id: string;
  pageId: string;
  title: string;
  mediaType: string;
  fileSize: number;
  comment: string;
  createdAt: string;
  authorId: string;
}

export class SandboxState {
  readonly users: SandboxUser[] = [];
  readonly spaces: Space[] = [];
  readonly pages = new Map<string, Page>();
  readonly comments: Comment[] = [];
  readonly labels = new Map<string, Label[]>();
  readonly attachments: Attachment[] = [];
  private nextId = 1_000_000;
  private tick = 0;
  private readonly epoch: number;

  constructor(epoch = Date.UTC(2026, 0, 5, 9, 0, 0)) {
    this.epoch = epoch;
  }

  id(): string {
    this.nextId += 1;
    return String(this.nextId);
  }

  /** Deterministic, increasing timestamps. */
  now(): string {
    this.tick += 1;
    return new Date(this.epoch + this.tick * 60_000).toISOString();
  }

  space(idOrKey: string): Space | undefined {
    return this.spaces.find((s) => s.id === idOrKey || s.key === idOrKey);
  }

  user(accountIdOrKey: string): SandboxUser | undefined {
    return this.users.find((u) => u.accountId === accountIdOrKey || u.userKey === accountIdOrKey);
  }

  /** Pages under a parent in sibling order (undefined parent: the space's top level). */
  children(parentId: string): Page[] {
    return [...this.pages.values()]
      .filter((p) => p.parentId === parentId && p.status === 'current')
      .sort((a, b) => a.position - b.position);
  }

  ancestors(page: Page): Page[] {
    const out: Page[] = [];
    let at = page.parentId ? this.pages.get(page.parentId) : undefined;
    while (at) {
      out.unshift(at);
      at = at.parentId ? this.pages.get(at.parentId) : undefined;
    }
    return out;
  }

  addPage(input: { spaceId: string; parentId?: string; title: string; body: string; authorId: string }): Page {
    const at = this.now();
    const page: Page = {
      id: this.id(),
      spaceId: input.spaceId,
      parentId: input.parentId,
      title: input.title,
      status: 'current',
      body: input.body,
      version: { number: 1, createdAt: at, authorId: input.authorId, message: '' },
      createdAt: at,
      authorId: input.authorId,
      position: this.pages.size,
    };
    this.pages.set(page.id, page);
    return page;
  }

  addComment(pageId: string, body: string, authorId: string): Comment {
    const comment: Comment = {
      id: this.id(),
      pageId,
      body,
      version: { number: 1, createdAt: this.now(), authorId, message: '' },
    };
    this.comments.push(comment);
    return comment;
  }

  addLabel(pageId: string, name: string, prefix: Label['prefix'] = 'global'): Label {
    const list = this.labels.get(pageId) ?? [];
    const existing = list.find((l) => l.name === name && l.prefix === prefix);
    if (existing) return existing;
    const label: Label = { id: this.id(), name, prefix };
    list.push(label);
    this.labels.set(pageId, list);
    return label;
  }

  /** Title must be unique within a space, as on Confluence. */
  titleTaken(spaceId: string, title: string, except?: string): boolean {
    return [...this.pages.values()].some(
      (p) => p.spaceId === spaceId && p.status === 'current' && p.id !== except && p.title === title,
    );
  }
}
