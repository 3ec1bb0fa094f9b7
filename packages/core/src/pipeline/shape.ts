/**
 * Stage 7: what leaves the process. Every text (results and errors) is redacted; results over the output budget
 * are cut at a line boundary and the rest is kept for `get_more_output` with a cursor, never dropped silently.
 */
import { randomBytes } from 'node:crypto';
import { SwitchboardError } from '../errors.ts';
import type { Redactor } from '../redact.ts';
import type { Store } from '../store.ts';
import { FENCE_TAG, unclosedFence } from '../text.ts';
import type { Call, Outcome, Stage } from './types.ts';

export const MORE_TTL_MS = 15 * 60_000;
/** Largest continuation kept for get_more_output (memory is bounded per entry, not only in total). */
export const MAX_REMAINDER_CHARS = 2_000_000;

export function shapeStage(
  redactor: Redactor,
  store: Store,
  maxChars: number,
  toError: (call: Call, error: unknown) => SwitchboardError,
): Stage {
  return async (call, next) => {
    let outcome: Outcome;
    try {
      // The deadline and the client's cancellation end the call here even when some step ignores the signal;
      // whatever that step still does is discarded.
      outcome = await Promise.race([next(), whenAborted(call)]);
    } catch (error) {
      // A stage threw instead of answering: still a clear tool error, still audited.
      outcome = { type: 'error', error: toError(call, error) };
    }
    if (outcome.type === 'error') {
      const e = outcome.error;
      const clean = new SwitchboardError(e.kind, redactor.redact(e.message), {
        ...e.details,
        hint: e.details.hint ? redactor.redact(e.details.hint) : undefined,
        cause: undefined,
      });
      return { type: 'error', error: clean };
    }
    if (outcome.type !== 'text') return outcome;
    const text = redactor.redact(outcome.text);
    if (text.length <= maxChars) return { type: 'text', text };
    return { type: 'text', text: await truncate(call, store, text, maxChars), truncated: true };
  };
}

/** Cut at the last line break before the budget; store the rest under a cursor scoped to the caller. */
export async function truncate(call: Call, store: Store, text: string, maxChars: number): Promise<string> {
  let cut = text.lastIndexOf('\n', maxChars);
  if (cut < maxChars * 0.5) cut = maxChars;
  let head = text.slice(0, cut);
  let rest = text.slice(cut).replace(/^\n/, '');
  // A cut inside an <untrusted> fence closes it here and reopens it in the continuation, so that neither our
  // own notice below nor the rest of the third-party text ever sits outside the fence.
  const fence = unclosedFence(head);
  if (fence) {
    head += `\n</${FENCE_TAG}>`;
    rest = `${fence}\n${rest}`;
  }
  if (rest.length > MAX_REMAINDER_CHARS) {
    rest = `${rest.slice(0, MAX_REMAINDER_CHARS)}\n[the rest of this output (${rest.length - MAX_REMAINDER_CHARS} characters) was dropped: narrow the request to see it]`;
  }
  const cursor = randomBytes(9).toString('base64url');
  await store.set(moreKey(call.caller.tenant, call.caller.principal, cursor), rest, MORE_TTL_MS);
  return `${head}\n[output truncated: ${rest.length} more characters. Call get_more_output with cursor="${cursor}" to continue (valid 15 minutes).]`;
}

export function moreKey(tenant: string, principal: string, cursor: string): string {
  // Each part JSON-quoted: a principal or cursor containing ':' cannot reach another caller's key.
  return `more:${JSON.stringify([tenant, principal, cursor])}`;
}

function whenAborted(call: Call): Promise<Outcome> {
  return new Promise((resolve) => {
    const settle = () => {
      const reason = call.signal.reason;
      resolve({
        type: 'error',
        error:
          reason instanceof SwitchboardError
            ? reason
            : new SwitchboardError('cancelled', `${call.tool.name} was cancelled.`),
      });
    };
    if (call.signal.aborted) settle();
    else call.signal.addEventListener('abort', settle, { once: true });
  });
}
