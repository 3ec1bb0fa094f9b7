/**
 * Stage 5 (terminal): build or reuse the vendor client for the caller's credentials, run the tool inside the
 * call context (deadline, cancellation, upstream accounting for core's HTTP client), render the result, and
 * map any failure to the error taxonomy once.
 */

import { runInCall } from '../context.ts';
import type { ServerDefinition } from '../define.ts';
import { errorFromStatus, isSwitchboardError, SwitchboardError } from '../errors.ts';
import type { Call, Outcome } from './types.ts';

export function upstreamTerminal(server: ServerDefinition) {
  return async (call: Call): Promise<Outcome> => {
    try {
      const { client, http, fingerprint } = await call.resolveClient();
      call.credentialFingerprint = fingerprint;
      const result = await runInCall(call.context, () =>
        call.tool.run({
          client,
          http,
          input: call.input,
          signal: call.signal,
          log: call.log,
          principal: call.caller.principal,
          tenant: call.caller.tenant,
        }),
      );
      const text = call.tool.render ? call.tool.render(result, call.input) : defaultRender(result);
      return { type: 'text', text };
    } catch (error) {
      return { type: 'error', error: mapError(server, call, error) };
    }
  };
}

function defaultRender(result: unknown): string {
  if (typeof result === 'string') return result;
  return JSON.stringify(result);
}

export function mapError(server: ServerDefinition, call: Call, error: unknown): SwitchboardError {
  if (call.signal.aborted) {
    const reason = call.signal.reason;
    // The tool's own explanation (e.g. what a half-done write already changed) wins over the bare deadline.
    if (isSwitchboardError(reason)) {
      const own = isSwitchboardError(error) && error.kind !== 'timeout' && error.kind !== 'cancelled';
      return own ? error : reason;
    }
  }
  if (isSwitchboardError(error)) return error;
  // SDKs wrap our fetch errors (Octokit: RequestError with .cause / .response); find ours first.
  const nested = findNested(error);
  if (nested) return nested;
  const mapped = server.mapError?.(error, call.tool);
  if (mapped) return mapped;
  const status = (error as { status?: unknown })?.status;
  if (typeof status === 'number' && status >= 400) {
    return errorFromStatus(status, String((error as Error).message ?? 'request failed').slice(0, 500), {
      resource: call.resources[0],
    });
  }
  call.log.error(
    { err: call.redact(String((error as Error)?.stack ?? error)), tool: call.tool.name },
    'tool failed unexpectedly',
  );
  // A TypeError after the vendor answered is most often an answer of another shape than documented (an API
  // change, a proxy or gateway answering 200 with its own JSON); still reported as internal, since it may be ours.
  const afterAnswer = error instanceof TypeError && call.context.upstreamCalls > 0;
  return new SwitchboardError(
    'internal',
    `${call.tool.name} failed unexpectedly: ${(error as Error)?.message ?? String(error)}`,
    {
      hint: afterAnswer
        ? 'The upstream answer did not have the shape this tool expects (a changed API, or a proxy answering for it), or this is a bug in the server. Retry once; if it persists, try another way or report it.'
        : 'This is likely a bug in the server; try another way or report it.',
    },
  );
}

function findNested(error: unknown): SwitchboardError | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (isSwitchboardError(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
