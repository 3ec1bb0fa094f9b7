/**
 * Stage 4: per-principal call budgets (calls per minute / per day per tool glob), counted with atomic counters:
 * in memory for one process, in Redis (INCRBY) when replicas share state, so the count is exact either way.
 */
import picomatch from 'picomatch';
import { SwitchboardError } from '../errors.ts';
import type { Policy } from '../policy.ts';
import type { Counters } from '../state.ts';
import type { Call, Outcome, Stage } from './types.ts';

const WINDOWS = [
  { field: 'perMinute', ms: 60_000, label: 'minute' },
  { field: 'perDay', ms: 86_400_000, label: 'day' },
] as const;

export function budgetStage(policy: Policy, counters: Counters): Stage {
  const rules = policy.budgets.map((rule, index) => ({ rule, index, match: picomatch(rule.tools) }));
  if (!rules.length) return (_call, next) => next();
  return async (call, next) => (await count(call)) ?? next();

  /** Counts the call in every window it falls under; a denied call takes its counts back. */
  async function count(call: Call): Promise<Outcome | undefined> {
    const now = Date.now();
    const taken: { key: string; ttl: number }[] = [];
    for (const { rule, index, match } of rules) {
      if (!match(call.tool.name)) continue;
      for (const w of WINDOWS) {
        const limit = rule[w.field];
        if (limit === undefined) continue;
        const bucket = Math.floor(now / w.ms);
        const key = `budget:${JSON.stringify([call.server, call.caller.tenant, call.caller.principal, index, w.label, bucket])}`;
        const ttl = (bucket + 1) * w.ms - now + 1000;
        const value = await counters.incr(key, 1, ttl);
        taken.push({ key, ttl });
        if (value > limit) {
          await Promise.all(taken.map((t) => counters.incr(t.key, -1, t.ttl)));
          call.decision = `denied:budgets[${index}].${w.field}`;
          return {
            type: 'error',
            error: new SwitchboardError(
              'rate_limited',
              `the operator's budget allows ${limit} call(s) per ${w.label} for ${[rule.tools].flat().join(', ')} (rule: budgets[${index}].${w.field})`,
              { rule: `budgets[${index}].${w.field}`, retryAfterMs: (bucket + 1) * w.ms - now },
            ),
          };
        }
      }
    }
    return undefined;
  }
}
