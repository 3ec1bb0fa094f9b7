/**
 * The call object that flows through the pipeline stages, and the stage signature. Stages are composed like
 * middleware: each may answer on its own (a denial, a cache hit) or call `next()` and look at the outcome.
 */
import type { InputRequiredResult } from '@modelcontextprotocol/server';
import type { CallContext } from '../context.ts';
import type { ToolDefinition } from '../define.ts';
import type { SwitchboardError } from '../errors.ts';
import type { HttpClient } from '../http/client.ts';
import type { Logger } from '../log.ts';
import type { Narrowing } from '../narrowing.ts';

export interface Caller {
  /** Who is calling: the authenticated principal over HTTP, the local OS user over stdio. */
  principal: string;
  /** Tenant whose credentials and state the call uses (single-tenant: "default"). */
  tenant: string;
  session?: string;
  client?: { name?: string; version?: string };
  /** Client declared the elicitation capability (for the confirm stage). */
  canElicit: boolean;
  /** Responses to input requests on a retried call (2026-07-28 input_required flow, or the SDK's legacy shim). */
  inputResponses?: Record<string, unknown>;
  /** The request state echoed back with those responses (opaque to the client, checked by the server). */
  requestState?: string;
  /** What this request narrowed itself to (token scopes, headers, path): applied after the policy. */
  narrowing?: Narrowing;
  /** The caller's own upstream token ("bring your own token"), when the operator allows it. */
  upstreamToken?: string;
  /** W3C trace context the client sent in the request's `_meta`, continued by the call's span. */
  traceparent?: string;
}

export interface Call {
  id: string;
  server: string;
  tool: ToolDefinition;
  toolset: string;
  /** Arguments as received (after JSON-string decoding). */
  args: Record<string, unknown>;
  /** Validated input; set by the validate stage. */
  input?: any;
  /** `confirm: true` was passed. */
  confirmArg: boolean;
  resources: string[];
  caller: Caller;
  startedAt: number;
  deadline: number;
  signal: AbortSignal;
  /** Upstream accounting for this call (shared with core's HTTP client through AsyncLocalStorage). */
  context: CallContext;
  /** Credential fingerprint (never the secret). */
  credentialFingerprint?: string;
  /** What the policy/confirm/budget stages decided, for the audit line. */
  decision: string;
  cache?: 'hit' | 'miss';
  log: Logger;
  /** Redacts secrets from text headed for logs. */
  redact: (text: string) => string;
  /** Filled by the runtime: builds (or reuses) the vendor client for the caller's credentials. */
  resolveClient: () => Promise<{ client: unknown; http: HttpClient; fingerprint: string }>;
}

export type Outcome =
  | { type: 'text'; text: string; truncated?: boolean }
  | { type: 'error'; error: SwitchboardError }
  | { type: 'input_required'; result: InputRequiredResult };

export type Stage = (call: Call, next: () => Promise<Outcome>) => Promise<Outcome>;

export function compose(stages: Stage[], terminal: (call: Call) => Promise<Outcome>): (call: Call) => Promise<Outcome> {
  return (call) => {
    const dispatch = (i: number): Promise<Outcome> => {
      const stage = stages[i];
      return stage ? stage(call, () => dispatch(i + 1)) : terminal(call);
    };
    return dispatch(0);
  };
}
