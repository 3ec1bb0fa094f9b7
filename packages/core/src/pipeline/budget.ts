/**
 * Stage 4: per-principal call budgets (calls per minute / per day per tool glob), counted in the shared store
 * so that replicas share them. Counting is read-modify-write: exact for one process, approximate across
 * replicas until the store offers atomic increments.
 */
import picomatch from 'picomatch';
import { SwitchboardError } from '../errors.ts';
import type { Policy } from '../policy.ts';
import type { Store } from '../store.ts';
import type { Call, Outcome, Stage } from './types.ts';

const WINDOWS = [
  { field: 'perMinute', ms: 60_000, label: 'minute' },
  { field: 'perDay', ms: 86_400_000, label: 'day' },
] as const;

export function budgetStage(policy: Policy, store: Store): Stage {
  const rules = policy.budgets.map((rule, index) => ({ rule, index, match: picomatch(rule.tools) }));
  if (!rules.length) return (_call, next) => next();
  // Check-and-count is a read-modify-write on the store: calls of one principal are serialised through it so
  // concurrent calls cannot all read the same count (exact within a process; across replicas it needs the
  // store's atomic increment, which the Redis deployment issue brings).
  const queues = new Map<string, Promise<unknown>>();
  const serialised = <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const previous = queues.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    queues.set(key, settled);
    void settled.then(() => {
      if (queues.get(key) === settled) queues.delete(key);
    });
    return run;
  };
  return async (call, next) => {
    const denied = await serialised(`${call.caller.tenant}:${call.caller.principal}`, () => count(call));
    return denied ?? next();
  };

  async function count(call: Call): Promise<Outcome | undefined> {
    const now = Date.now();
    const counters: { key: string; ttl: number; count: number }[] = [];
    for (const { rule, index, match } of rules) {
      if (!match(call.tool.name)) continue;
      for (const w of WINDOWS) {
        const limit = rule[w.field];
        if (limit === undefined) continue;
        const bucket = Math.floor(now / w.ms);
        const key = `budget:${call.caller.tenant}:${call.caller.principal}:${index}:${w.label}:${bucket}`;
        const count = ((await store.get<number>(key)) ?? 0) + 1;
        if (count > limit) {
          call.decision = `denied:budgets[${index}].${w.field}`;
          const retryAfterMs = (bucket + 1) * w.ms - now;
          return {
            type: 'error',
            error: new SwitchboardError(
              'rate_limited',
              `the operator's budget allows ${limit} call(s) per ${w.label} for ${[rule.tools].flat().join(', ')} (rule: budgets[${index}].${w.field})`,
              {
                rule: `budgets[${index}].${w.field}`,
                retryAfterMs,
              },
            ),
          };
        }
        counters.push({ key, ttl: (bucket + 1) * w.ms - now + 1000, count });
      }
    }
    await Promise.all(counters.map((c) => store.set(c.key, c.count, c.ttl)));
    return undefined;
  }
}
