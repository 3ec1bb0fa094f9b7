/**
 * Stage 6: opt-in cache for read tools, keyed by tenant + credential + tool + arguments, short TTL. It stores the
 * rendered text (what the model would see), so a hit costs no upstream call and no rendering.
 */
import type { Policy } from '../policy.ts';
import type { Store } from '../store.ts';
import type { Stage } from './types.ts';

export function cacheStage(policy: Policy, store: Store): Stage {
  const enabled = policy.file.cache?.enabled !== false;
  const override = policy.file.cache?.ttlSeconds;
  return async (call, next) => {
    // Caching is opt-in per tool; the policy can change the TTL of tools that opted in (0 turns it off).
    const ttl = call.tool.cacheTtlMs && override !== undefined ? override * 1000 : call.tool.cacheTtlMs;
    if (!enabled || call.tool.access !== 'read' || !ttl) return next();
    // Without a usable credential there is nothing to cache; the terminal stage reports the problem.
    if (!call.credentialFingerprint) return next();
    const key = `cache:${call.caller.tenant}:${call.credentialFingerprint}:${call.server}:${call.tool.name}:${stableJson(call.input)}`;
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

export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}
