/**
 * One error taxonomy for every server, with text an LLM can act on: what was wrong, what to do next.
 * Vendor errors are mapped to these kinds once (by the server's mapError, else by HTTP status).
 */

export type ErrorKind =
  | 'invalid' // bad arguments
  | 'auth' // missing or rejected credentials
  | 'permission' // authenticated but not allowed (missing scope)
  | 'not_found'
  | 'conflict' // stale version, already exists, merge conflict
  | 'rate_limited' // upstream quota or our own budget
  | 'upstream' // vendor 5xx, malformed response, connection reset
  | 'timeout' // deadline exceeded
  | 'cancelled' // the client cancelled the call
  | 'policy_denied' // the operator's policy forbids it
  | 'confirmation_required' // destructive tool without confirmation
  | 'declined' // the human said no
  | 'internal'; // a bug on our side

export interface ErrorDetails {
  /** What to do next, addressed to the model. */
  hint?: string;
  /** When a retry can succeed (rate limits). */
  retryAfterMs?: number;
  /** Which policy rule decided (policy_denied). */
  rule?: string;
  /** Upstream HTTP status, when there was one. */
  status?: number;
  /** Scopes the call needed (permission). */
  missingScopes?: string[];
  cause?: unknown;
}

export class SwitchboardError extends Error {
  readonly kind: ErrorKind;
  readonly details: ErrorDetails;

  constructor(kind: ErrorKind, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SwitchboardError';
    this.kind = kind;
    this.details = details;
  }

  /** The text the model sees. */
  toText(): string {
    const message = /[.!?:)]$/.test(this.message) ? this.message : `${this.message}.`;
    const parts = [`${LABELS[this.kind]}: ${message}`];
    if (this.details.retryAfterMs !== undefined) {
      parts.push(`Retry after ${formatDelay(this.details.retryAfterMs)}.`);
    }
    if (this.details.hint) parts.push(this.details.hint);
    return parts.join(' ');
  }
}

const LABELS: Record<ErrorKind, string> = {
  invalid: 'Invalid arguments',
  auth: 'Authentication failed',
  permission: 'Permission denied',
  not_found: 'Not found',
  conflict: 'Conflict',
  rate_limited: 'Rate limited',
  upstream: 'Upstream error',
  timeout: 'Timed out',
  cancelled: 'Cancelled',
  policy_denied: 'Denied by policy',
  confirmation_required: 'Confirmation required',
  declined: 'Declined',
  internal: 'Internal error',
};

export function formatDelay(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))}ms`;
  const s = Math.ceil(ms / 1000);
  if (s < 120) return `${s}s`;
  return `${Math.ceil(s / 60)}min`;
}

export function isSwitchboardError(error: unknown): error is SwitchboardError {
  return error instanceof SwitchboardError;
}

/**
 * Generic mapping from an upstream HTTP status to the taxonomy, used when a server's mapError has no opinion.
 * `message` should already be the vendor's own message, trimmed.
 */
export function errorFromStatus(
  status: number,
  message: string,
  opts: { retryAfterMs?: number; credentialEnv?: string; resource?: string } = {},
): SwitchboardError {
  const what = opts.resource ? ` (${opts.resource})` : '';
  if (status === 400 || status === 422) {
    return new SwitchboardError('invalid', `${message}${what}`, {
      status,
      hint: 'Check the arguments against the tool schema and try again.',
    });
  }
  if (status === 401) {
    return new SwitchboardError('auth', `the upstream API rejected the credentials: ${message}`, {
      status,
      hint: opts.credentialEnv
        ? `Check that ${opts.credentialEnv} holds a valid, unexpired token; the user must fix it, retrying will not help.`
        : 'The credentials are invalid or expired; the user must fix them.',
    });
  }
  if (status === 403) {
    return new SwitchboardError('permission', `${message}${what}`, {
      status,
      hint: 'The token lacks access to this resource or operation; do not retry with the same arguments.',
    });
  }
  if (status === 404) {
    return new SwitchboardError('not_found', `${message}${what}`, {
      status,
      hint: 'Check the identifiers (owner, name, number); it may also be private and not visible to this token.',
    });
  }
  if (status === 409 || status === 412) {
    return new SwitchboardError('conflict', `${message}${what}`, {
      status,
      hint: 'Re-read the current state and retry with the latest version.',
    });
  }
  if (status === 429) {
    return new SwitchboardError('rate_limited', `the upstream API is rate limiting: ${message}`, {
      status,
      retryAfterMs: opts.retryAfterMs,
    });
  }
  if (status === 408 || status === 504) {
    return new SwitchboardError('timeout', `the upstream API timed out (HTTP ${status})`, {
      status,
      hint: 'Retry later or narrow the request.',
    });
  }
  if (status >= 500) {
    return new SwitchboardError('upstream', `the upstream API failed with HTTP ${status}: ${message}`, {
      status,
      hint: 'This is the vendor side; retry later.',
    });
  }
  return new SwitchboardError('upstream', `unexpected upstream HTTP ${status}: ${message}`, { status });
}
