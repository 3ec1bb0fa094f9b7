/**
 * Block trees in and out of Notion within its per-request limits: reads page through children (recursively,
 * within an output budget, with a cursor to continue); writes go in requests of at most 100 blocks per array,
 * 1,000 blocks in all and two levels of nesting, deeper or longer parts being appended, in order, once their
 * parents exist. Request bodies stay under Notion's 500 KB payload limit.
 */
import type { Notion } from './client.ts';
import type { Block, BlockInput } from './markdown/types.ts';

export const MAX_CHILDREN = 100;
/** Levels of nested children one request may carry. */
export const MAX_NESTING = 2;
const MAX_BLOCKS_PER_REQUEST = 1000;
/** Notion refuses request bodies over 500 KB; stay well below. */
const MAX_REQUEST_BYTES = 400_000;
/** How deep reads recurse; deeper children are shown as not loaded. */
export const MAX_READ_DEPTH = 6;
/** Blocks with children whose subtrees are loaded at once while reading (as many as requests in flight). */
const READ_AHEAD = 3;

// ---------- reading ----------

export interface ReadResult {
  blocks: Block[];
  /** Id of the first top-level block not included; pass back as `cursor`. */
  nextCursor?: string;
}

/** Children of a block, up to `limit`; beyond it a `truncated` marker keeps the cut visible. */
async function listAll(notion: Notion, blockId: string, startCursor?: string, limit = 1000): Promise<Block[]> {
  const out: Block[] = [];
  let cursor = startCursor;
  do {
    const page = await notion.api.blocks.children.list({
      block_id: blockId,
      page_size: 100,
      ...(cursor ? { start_cursor: cursor } : {}),
    });
    out.push(...(page.results as unknown as Block[]));
    cursor = page.has_more ? (page.next_cursor ?? undefined) : undefined;
  } while (cursor && out.length < limit);
  if (cursor) out.push({ id: blockId, type: 'truncated', truncated: { limit } });
  return out;
}

/** Child pages and databases are separate documents, shown as links; everything else is expanded. */
function expandable(block: Block): boolean {
  return Boolean(block.has_children) && block.type !== 'child_page' && block.type !== 'child_database';
}

async function loadChildren(notion: Notion, blocks: Block[], depth: number): Promise<void> {
  if (depth > MAX_READ_DEPTH) return;
  await Promise.all(
    blocks.filter(expandable).map(async (block) => {
      block.children = await listAll(notion, block.id);
      await loadChildren(notion, block.children, depth + 1);
    }),
  );
}

/** A rough size of a block tree as Markdown: its text plus a little syntax per block. */
export function estimateChars(block: Block): number {
  const content = block[block.type] ?? {};
  let n = 8;
  for (const t of content.rich_text ?? []) n += (t.plain_text ?? t.text?.content ?? '').length;
  for (const cell of content.cells ?? []) for (const t of cell) n += (t.plain_text ?? '').length + 3;
  for (const child of block.children ?? []) n += estimateChars(child);
  return n;
}

/**
 * A page's (or block's) content from `cursor`, recursively, until about `maxChars` of Markdown. `measure` gives
 * a block tree's size as it will be shown (links and file URLs included); by default a rough estimate.
 */
export async function readTree(
  notion: Notion,
  id: string,
  maxChars: number,
  cursor?: string,
  measure: (block: Block) => number = estimateChars,
): Promise<ReadResult> {
  const blocks: Block[] = [];
  let used = 0;
  let next = cursor;
  for (;;) {
    const page = await notion.api.blocks.children.list({
      block_id: id,
      page_size: 100,
      ...(next ? { start_cursor: next } : {}),
    });
    const batch = page.results as unknown as Block[];
    // Children are loaded a few blocks ahead only: a page of a hundred toggles costs the requests of what fits.
    for (let start = 0; start < batch.length; ) {
      let end = start;
      for (let ahead = 0; end < batch.length && ahead < READ_AHEAD; end++) {
        if (expandable(batch[end] as Block)) ahead++;
      }
      const window = batch.slice(start, end);
      await loadChildren(notion, window, 1);
      for (const block of window) {
        const size = measure(block);
        if (blocks.length > 0 && used + size > maxChars) return { blocks, nextCursor: block.id };
        blocks.push(block);
        used += size;
      }
      start = end;
    }
    if (!page.has_more || !page.next_cursor) return { blocks };
    next = page.next_cursor;
  }
}

// ---------- writing ----------

interface Deferred {
  /** Indices from the request's top-level array down to the block whose children are still to append. */
  path: number[];
  rest: BlockInput[];
}

interface Chunk {
  blocks: BlockInput[];
  deferred: Deferred[];
}

function childrenOf(block: BlockInput): BlockInput[] {
  const kids = block[block.type]?.children;
  return Array.isArray(kids) ? kids : [];
}

function withChildren(block: BlockInput, children: BlockInput[] | undefined): BlockInput {
  const { children: _drop, ...body } = block[block.type] ?? {};
  return { type: block.type, [block.type]: children?.length ? { ...body, children } : body };
}

/** Blocks Notion creates only together with their children (a table with its rows). */
const needsChildren = (block: BlockInput) => block.type === 'table' && childrenOf(block).length > 0;

function trim(block: BlockInput, depth: number, path: number[], deferred: Deferred[]): BlockInput {
  const kids = childrenOf(block);
  if (!kids.length) return block;
  if (depth >= MAX_NESTING) {
    deferred.push({ path, rest: kids });
    return withChildren(block, undefined);
  }
  // A table at the last level would lose its rows: it and the siblings after it go in a later request.
  let cut = Math.min(kids.length, MAX_CHILDREN);
  if (depth + 1 >= MAX_NESTING) {
    const table = kids.findIndex(needsChildren);
    if (table >= 0 && table < cut) cut = table;
  }
  const sent = kids.slice(0, cut).map((k, i) => trim(k, depth + 1, [...path, i], deferred));
  if (kids.length > cut) deferred.push({ path, rest: kids.slice(cut) });
  return withChildren(block, sent);
}

function count(block: BlockInput): number {
  return 1 + childrenOf(block).reduce((n, c) => n + count(c), 0);
}

/** Splits blocks into requests Notion accepts; what does not fit is deferred to follow-up appends. */
export function planWrites(blocks: BlockInput[]): Chunk[] {
  const chunks: Chunk[] = [];
  let current: Chunk = { blocks: [], deferred: [] };
  let size = 0;
  let bytes = 0;
  for (const block of blocks) {
    const deferred: Deferred[] = [];
    const trimmed = trim(block, 0, [0], deferred);
    const n = count(trimmed);
    const b = Buffer.byteLength(JSON.stringify(trimmed));
    const full =
      current.blocks.length >= MAX_CHILDREN || size + n > MAX_BLOCKS_PER_REQUEST || bytes + b > MAX_REQUEST_BYTES;
    if (current.blocks.length && full) {
      chunks.push(current);
      current = { blocks: [], deferred: [] };
      size = 0;
      bytes = 0;
    }
    const index = current.blocks.length;
    current.blocks.push(trimmed);
    current.deferred.push(...deferred.map((d) => ({ ...d, path: [index, ...d.path.slice(1)] })));
    size += n;
    bytes += b;
  }
  if (current.blocks.length) chunks.push(current);
  return chunks;
}

/** Blocks created so far by one write that spans several requests. */
interface Progress {
  written: number;
}

/**
 * A write that failed after some of its requests succeeded: what exists now must not be sent again, so the
 * error says how far it got (`cause` is the failure itself).
 */
export class PartialWrite extends Error {
  readonly written: number;
  /** The page the write created, when it created one. */
  readonly pageId: string | undefined;

  constructor(written: number, cause: unknown, pageId?: string) {
    super(`the write failed after ${written} blocks`, { cause });
    this.name = 'PartialWrite';
    this.written = written;
    this.pageId = pageId;
  }
}

async function tracked(progress: Progress, write: () => Promise<void>, pageId?: string): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (progress.written > 0 || pageId) throw new PartialWrite(progress.written, error, pageId);
    throw error;
  }
}

/** Appends the deferred parts of a chunk once its blocks exist (`ids`: the chunk's created top-level ids). */
async function finish(notion: Notion, ids: string[], deferred: Deferred[], progress: Progress): Promise<void> {
  const listings = new Map<string, string[]>();
  for (const d of deferred) {
    let id = ids[d.path[0] ?? 0];
    for (const index of d.path.slice(1)) {
      if (!id) break;
      let kids = listings.get(id);
      if (!kids) {
        kids = (await listAll(notion, id, undefined, MAX_CHILDREN))
          .filter((b) => b.type !== 'truncated')
          .map((b) => b.id);
        listings.set(id, kids);
      }
      id = kids[index];
    }
    if (!id) throw new Error('could not locate a block just created to append its nested content');
    await appendAll(notion, id, d.rest, undefined, progress);
  }
}

/** One request, then its deferred parts; returns the id of the last top-level block it created. */
async function appendChunk(
  notion: Notion,
  parentId: string,
  chunk: Chunk,
  after: string | undefined,
  progress: Progress,
) {
  const response = await notion.api.blocks.children.append({
    block_id: parentId,
    children: chunk.blocks as never,
    ...(after ? { after } : {}),
  });
  progress.written += chunk.blocks.reduce((n, b) => n + count(b), 0);
  const ids = (response.results as Array<{ id: string }>).map((r) => r.id);
  await finish(notion, ids, chunk.deferred, progress);
  return ids.at(-1);
}

async function appendAll(
  notion: Notion,
  parentId: string,
  blocks: BlockInput[],
  after: string | undefined,
  progress: Progress,
): Promise<void> {
  let anchor = after;
  for (const chunk of planWrites(blocks)) {
    const last = await appendChunk(notion, parentId, chunk, anchor, progress);
    if (anchor) anchor = last ?? anchor;
  }
}

/**
 * Appends blocks under a page or block, after `after` or at the end; returns how many blocks were written.
 * Fails with PartialWrite when some requests succeeded before one failed.
 */
export async function appendBlocks(
  notion: Notion,
  parentId: string,
  blocks: BlockInput[],
  after?: string,
): Promise<number> {
  const progress: Progress = { written: 0 };
  await tracked(progress, () => appendAll(notion, parentId, blocks, after, progress));
  return progress.written;
}

/**
 * Creates a page with its first request's worth of blocks in the create call and the rest appended after.
 * `create` receives the children to send and returns the new page's id. Once the page exists, a failure is a
 * PartialWrite naming it.
 */
export async function createWithBlocks(
  notion: Notion,
  blocks: BlockInput[],
  create: (children: BlockInput[] | undefined) => Promise<string>,
): Promise<{ id: string; written: number }> {
  const [first, ...rest] = planWrites(blocks);
  const id = await create(first?.blocks);
  const progress: Progress = { written: first ? first.blocks.reduce((n, b) => n + count(b), 0) : 0 };
  await tracked(
    progress,
    async () => {
      if (first?.deferred.length) {
        const ids = (await listAll(notion, id, undefined, MAX_CHILDREN))
          .filter((b) => b.type !== 'truncated')
          .map((b) => b.id);
        await finish(notion, ids, first.deferred, progress);
      }
      for (const chunk of rest) await appendChunk(notion, id, chunk, undefined, progress);
    },
    id,
  );
  return { id, written: progress.written };
}
