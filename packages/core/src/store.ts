/**
 * Shared state (budgets, cache, truncated-output continuations) lives in keyv: in memory for one process by
 * default; a later deployment issue plugs Redis in (SWITCHBOARD_REDIS_URL) so replicas share it.
 *
 * keyv's own in-memory Map never evicts an expired entry unless that key is read again, so a long-running server
 * would keep every truncated remainder, cache entry and budget window forever. The memory store here is an LRU
 * (lru-cache) bounded by entry count and total size, whose entries expire on their own.
 */
import Keyv from 'keyv';
import { LRUCache } from 'lru-cache';

export type Store = Keyv;

export interface MemoryStoreOptions {
  namespace?: string;
  /** Most entries kept (least recently used go first). Default 100,000. */
  maxEntries?: number;
  /** Most characters kept across all values (approximate). Default 64 Mi. */
  maxChars?: number;
}

/** The Map-like shape keyv's memory adapter drives: set(key, entry, ttlMs). */
export class ExpiringMap {
  private readonly lru: LRUCache<string, object>;

  constructor(maxEntries: number, maxChars: number) {
    this.lru = new LRUCache<string, object>({
      max: maxEntries,
      maxSize: maxChars,
      sizeCalculation: (entry) => {
        const value = (entry as { value?: unknown }).value;
        return Math.max(1, typeof value === 'string' ? value.length : (JSON.stringify(value)?.length ?? 1));
      },
      ttlAutopurge: true,
    });
  }

  get(key: string): object | undefined {
    return this.lru.get(key);
  }

  set(key: string, value: object, ttlMs?: number): this {
    this.lru.set(key, value, ttlMs && ttlMs > 0 ? { ttl: ttlMs } : undefined);
    return this;
  }

  has(key: string): boolean {
    return this.lru.has(key);
  }

  delete(key: string): boolean {
    return this.lru.delete(key);
  }

  clear(): void {
    this.lru.clear();
  }

  keys(): IterableIterator<string> {
    return this.lru.keys();
  }

  entries(): IterableIterator<[string, object]> {
    return this.lru.entries();
  }

  get size(): number {
    return this.lru.size;
  }
}

export function createMemoryStore(opts: MemoryStoreOptions = {}): Store {
  const map = new ExpiringMap(opts.maxEntries ?? 100_000, opts.maxChars ?? 64 * 1024 * 1024);
  return new Keyv({ store: map, namespace: opts.namespace ?? 'switchboard' });
}
