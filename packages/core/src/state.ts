/**
 * Shared state, in one place: the keyv store (cache, continuations), atomic counters (budgets), and the upstream
 * throttle (vendor rate-limit windows, Retry-After blocks, declared quotas). In memory for one process by
 * default; in Redis when SWITCHBOARD_REDIS_URL is set, so any number of replicas share budgets, throttles and
 * cache, and together stay under one vendor quota.
 */

import type { SealedRecord, VaultBackend } from './credentials/vault.ts';
import { MemoryThrottleStore, type RateLimitState, type ThrottleStore } from './http/throttle.ts';
import type { Logger } from './log.ts';
import { createMemoryStore, type Store } from './store.ts';

export interface Counters {
  /** Adds `by` to a counter that expires `ttlMs` after it was created; returns the new value. Atomic. */
  incr(key: string, by: number, ttlMs: number): Promise<number>;
}

export interface SharedState {
  kind: 'memory' | 'redis';
  store: Store;
  counters: Counters;
  throttle: ThrottleStore;
  /** Where the credential vault keeps its sealed records when the deployment says `credentials.store: redis`. */
  vault?: VaultBackend;
  /** Rejects when the backing store cannot be reached (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Counters in a bounded Map (one process: the event loop makes each increment atomic). */
export class MemoryCounters implements Counters {
  readonly #entries = new Map<string, { value: number; expiresAt: number }>();
  readonly #maxEntries: number;

  constructor(maxEntries = 100_000) {
    this.#maxEntries = maxEntries;
  }

  async incr(key: string, by: number, ttlMs: number): Promise<number> {
    const now = Date.now();
    let entry = this.#entries.get(key);
    if (!entry || entry.expiresAt <= now) {
      if (this.#entries.size >= this.#maxEntries) this.#prune(now);
      entry = { value: 0, expiresAt: now + ttlMs };
      this.#entries.set(key, entry);
    }
    entry.value += by;
    return entry.value;
  }

  #prune(now: number): void {
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
    for (const key of this.#entries.keys()) {
      if (this.#entries.size < this.#maxEntries) break;
      this.#entries.delete(key);
    }
  }
}

export function createMemoryState(): SharedState {
  return {
    kind: 'memory',
    store: createMemoryStore(),
    counters: new MemoryCounters(),
    throttle: new MemoryThrottleStore(),
    ping: async () => {},
    close: async () => {},
  };
}

/**
 * Sliding-window log of request times per key, in a sorted set: drop entries older than the window, then either
 * record this request (0 = send now) or answer how long until the oldest entry leaves the window. Time is Redis's
 * own clock: replicas' clocks differ, and a replica running ahead would see others' entries as expired.
 */
const TAKE_SCRIPT = `
local key = KEYS[1]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local member = ARGV[3]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count < limit then
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, window)
  return 0
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
`;

const INCR_SCRIPT = `
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value
`;

/** Connects to Redis (fails fast with a clear error when it cannot) and builds the shared state on it. */
export async function createRedisState(url: string, log?: Logger): Promise<SharedState> {
  const { default: KeyvRedis, createClient, Keyv } = await import('@keyv/redis');
  let connected = false;
  const client = createClient({
    url,
    socket: {
      connectTimeout: 5_000,
      // Start-up fails fast (a replica that cannot share state must not serve); later drops reconnect forever.
      reconnectStrategy: (retries: number, cause: Error) =>
        connected ? Math.min(retries * 200, 5_000) : retries >= 2 ? cause : 200,
    },
  });
  client.on('error', (error: Error) => {
    if (connected) log?.warn({ err: String(error.message) }, 'redis connection problem');
  });
  try {
    await client.connect();
    connected = true;
  } catch (error) {
    try {
      client.destroy();
    } catch {
      // already closed by the failed connect
    }
    throw new Error(`cannot connect to Redis at ${redactUrl(url)}: ${(error as Error).message}`);
  }
  const prefix = 'switchboard:';
  const store = new Keyv({
    store: new KeyvRedis(client as never, { namespace: undefined }),
    namespace: 'switchboard',
  }) as Store;
  let sequence = 0;
  const unique = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const throttle: ThrottleStore = {
    async get(key) {
      const text = await client.get(`${prefix}throttle:${key}`);
      return text ? (JSON.parse(text) as RateLimitState) : undefined;
    },
    async set(key, state, ttlMs) {
      await client.set(`${prefix}throttle:${key}`, JSON.stringify(state), { PX: Math.max(1, Math.ceil(ttlMs)) });
    },
    async take(key, limit, windowMs) {
      const wait = await client.eval(TAKE_SCRIPT, {
        keys: [`${prefix}quota:${key}`],
        arguments: [String(windowMs), String(limit), `${unique}-${sequence++}`],
      });
      return Number(wait);
    },
  };
  return {
    kind: 'redis',
    store,
    counters: {
      async incr(key, by, ttlMs) {
        const value = await client.eval(INCR_SCRIPT, {
          keys: [`${prefix}count:${key}`],
          arguments: [String(by), String(Math.max(1, Math.ceil(ttlMs)))],
        });
        return Number(value);
      },
    },
    throttle,
    // Sealed records (never plain values) in one hash, so every replica reads the same credentials.
    vault: {
      async get(key) {
        const text = await client.hGet(`${prefix}vault`, key);
        return text ? (JSON.parse(text) as SealedRecord) : undefined;
      },
      async set(key, record) {
        await client.hSet(`${prefix}vault`, key, JSON.stringify(record));
      },
      async delete(key) {
        return (await client.hDel(`${prefix}vault`, key)) > 0;
      },
      async keys(prefixOfKey) {
        return (await client.hKeys(`${prefix}vault`)).filter((k: string) => k.startsWith(prefixOfKey));
      },
    },
    ping: async () => {
      await client.ping();
    },
    close: async () => {
      await client.close().catch(() => {});
    },
  };
}

/** A Redis URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '****';
    return parsed.toString();
  } catch {
    return 'the configured URL';
  }
}

export async function createSharedState(env: Record<string, string | undefined>, log?: Logger): Promise<SharedState> {
  const url = env.SWITCHBOARD_REDIS_URL;
  return url ? createRedisState(url, log) : createMemoryState();
}
