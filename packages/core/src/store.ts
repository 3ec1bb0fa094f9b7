/**
 * Shared state (budgets, cache, truncated-output continuations) lives in keyv: in memory for one process by
 * default; a later deployment issue plugs Redis in (SWITCHBOARD_REDIS_URL) so replicas share it.
 */
import Keyv from 'keyv';

export type Store = Keyv;

export function createMemoryStore(namespace = 'switchboard'): Store {
  return new Keyv({ namespace });
}
