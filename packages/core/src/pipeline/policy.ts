/** Stage 2: the operator's policy: tool visibility (toolsets, globs, read-only) and resource allow-lists. */
import { runInCall } from '../context.ts';
import { SwitchboardError } from '../errors.ts';
import type { Decision, Policy } from '../policy.ts';
import type { Call, Stage } from './types.ts';

export function policyStage(
  policy: Policy,
  isHiddenByScopes: (toolName: string) => string | undefined,
  mapFailure: (call: Call, error: unknown) => SwitchboardError,
): Stage {
  return async (call, next) => {
    let decision: Decision = policy.toolDecision(call.tool, call.toolset);
    if (decision.allowed && call.caller.narrowing) decision = call.caller.narrowing.decide(call.tool, call.toolset);
    if (decision.allowed) {
      const name = call.tool.resource;
      let resources: string | string[] | undefined;
      try {
        // Inside the call context, so upstream lookups count against the call; only async answers are awaited.
        const named = name
          ? runInCall(call.context, () =>
              name(call.input, {
                scoped: policy.scopesResources(call.tool.access),
                client: async () => (await call.resolveClient()).client,
                signal: call.signal,
              }),
            )
          : undefined;
        resources = named instanceof Promise ? await named : named;
      } catch (error) {
        // Naming the resource needed upstream (e.g. a page's ancestry) and that failed: fail closed.
        call.decision = 'denied:resource-lookup';
        return { type: 'error', error: mapFailure(call, error) };
      }
      call.resources = resources === undefined ? [] : Array.isArray(resources) ? resources : [resources];
      decision = call.resources.length
        ? policy.resourceDecision(call.tool.access, call.resources)
        : policy.unscopedDecision(call.tool.access, call.tool.name);
    }
    if (!decision.allowed) {
      call.decision = `denied:${decision.rule}`;
      return {
        type: 'error',
        error: new SwitchboardError('policy_denied', `${decision.message} (rule: ${decision.rule})`, {
          rule: decision.rule,
          hint: decision.hint,
        }),
      };
    }
    const missingScope = isHiddenByScopes(call.tool.name);
    if (missingScope) {
      call.decision = 'denied:scopes';
      return {
        type: 'error',
        error: new SwitchboardError('permission', missingScope, {
          hint: 'The user must grant the scope to the token; retrying will not help.',
        }),
      };
    }
    call.decision = 'allowed';
    return next();
  };
}
