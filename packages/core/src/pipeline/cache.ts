/**
 * Stage 6: opt-in cache for read tools, keyed by tenant + credential + tool + arguments, short TTL. It stores the
 * rendered text (what the model would see), so a hit costs no upstream call and no rendering. Any successful
 * write through the same credential on the same server invalidates what was cached before it.
 */
import type { Policy } from '../policy.ts';
import type { Counters } from '../state.ts';
import type { Store } from '../store.ts';
import type { Stage } from './types.ts';

export function cacheStage(policy: Policy, store: Store, counters: Counters, cachesReads: boolean): Stage {
  const enabled = policy.file.cache?.enabled !== false;
  const override = policy.file.cache?.ttlSeconds;
  // A server none of whose tools cache pays nothing here, not even the write bookkeeping.
  if (!cachesReads) return (_call, next) => next();
  return async (call, next) => {
    if (!enabled || !call.credentialFingerprint) return next();
    // A generation per tenant, credential and server: a successful write moves it on, so no read cached before
    // the write is served after it (in this replica or any other sharing the store).
    const generationKey = `cachegen:${JSON.stringify([call.caller.tenant, call.credentialFingerprint, call.server])}`;
    if (call.tool.access !== 'read') {
      const outcome = await next();
      if (outcome.type === 'text') await counters.incr(generationKey, 1, GENERATION_TTL_MS);
      return outcome;
    }
    // Caching is opt-in per tool; the policy can change the TTL of tools that opted in (0 turns it off).
    const ttl = call.tool.cacheTtlMs && override !== undefined ? override * 1000 : call.tool.cacheTtlMs;
    if (!ttl) return next();
    const generation = await counters.incr(generationKey, 0, GENERATION_TTL_MS);
    const key = `cache:${JSON.stringify([call.caller.tenant, call.credentialFingerprint, call.server, generation, call.tool.name])}:${stableJson(call.input)}`;
    const hit = await store.get<string>(key);
    if (hit !== undefined) {
      call.cache = 'hit';
      return { type: 'text', text: hit };
    }
    call.cache = 'miss';
    const outcome = await next();
    if (outcome.type === 'text') await store.set(key, outcome.text, ttl);
    return outcome;
  };
}

/** Longer than any cache TTL, so a generation never restarts while entries of an older one could live. */
const GENERATION_TTL_MS = 24 * 3600_000;

export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}
