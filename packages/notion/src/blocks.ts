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

/** A page's (or block's) content from `cursor`, recursively, until about `maxChars` of Markdown. */
export async function readTree(notion: Notion, id: string, maxChars: number, cursor?: string): Promise<ReadResult> {
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
    await loadChildren(notion, batch, 1);
    for (let i = 0; i < batch.length; i++) {
      const block = batch[i] as Block;
      const size = estimateChars(block);
      if (blocks.length > 0 && used + size > maxChars) return { blocks, nextCursor: block.id };
      blocks.push(block);
      used += size;
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

function trim(block: BlockInput, depth: number, path: number[], deferred: Deferred[]): BlockInput {
  const kids = childrenOf(block);
  if (!kids.length) return block;
  if (depth >= MAX_NESTING) {
    deferred.push({ path, rest: kids });
    return withChildren(block, undefined);
  }
  const sent = kids.slice(0, MAX_CHILDREN).map((k, i) => trim(k, depth + 1, [...path, i], deferred));
  if (kids.length > MAX_CHILDREN) deferred.push({ path, rest: kids.slice(MAX_CHILDREN) });
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

/** Appends the deferred parts of a chunk once its blocks exist (`ids`: the chunk's created top-level ids). */
async function finish(notion: Notion, ids: string[], deferred: Deferred[]): Promise<number> {
  const listings = new Map<string, string[]>();
  let written = 0;
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
    written += await appendBlocks(notion, id, d.rest);
  }
  return written;
}

async function appendChunk(notion: Notion, parentId: string, chunk: Chunk, after?: string) {
  const response = await notion.api.blocks.children.append({
    block_id: parentId,
    children: chunk.blocks as never,
    ...(after ? { after } : {}),
  });
  const ids = (response.results as Array<{ id: string }>).map((r) => r.id);
  const written = chunk.blocks.reduce((n, b) => n + count(b), 0) + (await finish(notion, ids, chunk.deferred));
  return { written, last: ids.at(-1) };
}

/** Appends blocks under a page or block, after `after` or at the end; returns how many blocks were written. */
export async function appendBlocks(
  notion: Notion,
  parentId: string,
  blocks: BlockInput[],
  after?: string,
): Promise<number> {
  let written = 0;
  let anchor = after;
  for (const chunk of planWrites(blocks)) {
    const result = await appendChunk(notion, parentId, chunk, anchor);
    written += result.written;
    if (anchor) anchor = result.last ?? anchor;
  }
  return written;
}

/**
 * Creates a page with its first request's worth of blocks in the create call and the rest appended after.
 * `create` receives the children to send and returns the new page's id.
 */
export async function createWithBlocks(
  notion: Notion,
  blocks: BlockInput[],
  create: (children: BlockInput[] | undefined) => Promise<string>,
): Promise<{ id: string; written: number }> {
  const [first, ...rest] = planWrites(blocks);
  const id = await create(first?.blocks);
  let written = first ? first.blocks.reduce((n, b) => n + count(b), 0) : 0;
  if (first?.deferred.length) {
    const ids = (await listAll(notion, id, undefined, MAX_CHILDREN))
      .filter((b) => b.type !== 'truncated')
      .map((b) => b.id);
    written += await finish(notion, ids, first.deferred);
  }
  for (const chunk of rest) written += (await appendChunk(notion, id, chunk)).written;
  return { id, written };
}
