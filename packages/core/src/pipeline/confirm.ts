/**
 * Stage 3: destructive tools (and any the policy names) never run silently. A client that supports elicitation
 * is asked to confirm through MCP (the SDK serves it as an input_required result on 2026-07-28 and as a
 * server-initiated elicitation on 2025-era connections); otherwise the call needs `confirm: true`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { inputRequired, inputResponse } from '@modelcontextprotocol/server';
import { SwitchboardError } from '../errors.ts';
import type { Policy } from '../policy.ts';
import type { Redactor } from '../redact.ts';
import { stripInvisible } from '../text.ts';
import { stableJson } from './cache.ts';
import type { Call, Stage } from './types.ts';

export const CONFIRM_KEY = 'confirm';

export function confirmStage(policy: Policy, redactor: Redactor): Stage {
  return async (call, next) => {
    if (!policy.needsConfirmation(call.tool)) return next();
    // `confirm: true` is the model's word, not the user's: it counts only when the client cannot ask the user.
    if (call.confirmArg && !call.caller.canElicit) {
      call.decision = 'confirmed:argument';
      return next();
    }
    const answer = inputResponse(call.caller.inputResponses, CONFIRM_KEY);
    // An answer counts only for the exact call the user was shown: the request state minted with the question
    // binds tool and arguments, so a retry with other arguments is asked again instead of riding on the approval.
    const bound = call.caller.requestState === confirmationState(call);
    if (answer.kind === 'elicit' && bound) {
      if (answer.action === 'accept' && answer.content?.[CONFIRM_KEY] === true) {
        call.decision = 'confirmed:elicitation';
        return next();
      }
      call.decision = `declined:${answer.action}`;
      return {
        type: 'error',
        error: new SwitchboardError(
          'declined',
          `the user did not approve ${call.tool.name} (${answer.action === 'accept' ? 'unchecked' : answer.action}).`,
          {
            hint: 'Do not retry unless the user asks for it again.',
          },
        ),
      };
    }
    if (call.caller.canElicit) {
      call.decision = 'confirm:asked';
      return {
        type: 'input_required',
        result: inputRequired({
          requestState: confirmationState(call),
          inputRequests: {
            [CONFIRM_KEY]: inputRequired.elicit({
              // Shown to a human: no invisible characters that could disguise the target, no secrets.
              message: redactor.redact(stripInvisible(confirmationMessage(call))),
              requestedSchema: {
                type: 'object',
                properties: { [CONFIRM_KEY]: { type: 'boolean', title: 'Approve', description: 'Run this action' } },
                required: [CONFIRM_KEY],
              },
            }),
          },
        }),
      };
    }
    call.decision = 'confirm:required';
    return {
      type: 'error',
      error: new SwitchboardError('confirmation_required', `${confirmationMessage(call)} needs the user's approval.`, {
        hint: 'Ask the user to approve this exact action, then call again with the same arguments plus "confirm": true.',
      }),
    };
  };
}

/** Per-process key for the confirmation state (stateless replicas share it through SWITCHBOARD_STATE_KEY). */
const STATE_KEY = process.env.SWITCHBOARD_STATE_KEY || randomBytes(32).toString('hex');

/** HMAC over server, tool, caller and canonical arguments: what the user approves is exactly what runs. */
export function confirmationState(call: Call): string {
  const what = [
    call.server,
    call.tool.name,
    call.caller.tenant,
    call.caller.principal,
    stableJson(call.input ?? {}),
  ].join('\n');
  return `sbc1.${createHmac('sha256', STATE_KEY).update(what).digest('base64url')}`;
}

function confirmationMessage(call: Call): string {
  const target = call.resources.length ? ` on ${call.resources.join(', ')}` : '';
  const args = JSON.stringify(call.input ?? {});
  const shown = args.length > 2000 ? `${args.slice(0, 1997)}... (arguments cut at 2000 characters)` : args;
  return `${call.server}: ${call.tool.title} (${call.tool.name})${target} with ${shown}`;
}
