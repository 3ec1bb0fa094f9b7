/**
 * Atlassian error answers mapped to core's taxonomy, with text an LLM can act on. Understands the body shapes
 * Jira and Confluence use: `{errorMessages, errors}` (Jira), `{message}` / `{statusCode, message}` (Confluence
 * v1, Agile, gateway), `{errors: [{title, detail}]}` (Confluence v2) and plain text.
 */
import { oneLine, SwitchboardError, type ToolDefinition } from '@switchboard-mcp/core';

/** A non-2xx Atlassian response, as thrown by `atlassianTransport`. */
export class AtlassianApiError extends Error {
  readonly status: number;
  readonly statusText: string;
  /** Parsed JSON body, or the raw text. */
  readonly body: unknown;
  /** From Retry-After, when the response carried it. */
  readonly retryAfterMs?: number;
  /** Method and path (no query), for messages. */
  readonly endpoint: string;

  constructor(
    status: number,
    statusText: string,
    body: unknown,
    opts: { retryAfterMs?: number; endpoint?: string } = {},
  ) {
    super(`Atlassian answered HTTP ${status}: ${atlassianMessage(body) || statusText}`);
    this.name = 'AtlassianApiError';
    this.status = status;
    this.statusText = statusText;
    this.body = body;
    this.retryAfterMs = opts.retryAfterMs;
    this.endpoint = opts.endpoint ?? '';
  }
}

interface StatusError {
  status: number;
  body?: unknown;
  retryAfterMs?: number;
}

/** AtlassianApiError, or jira.js / confluence.js ApiError (same fields), told apart without instanceof. */
function asStatusError(error: unknown): StatusError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { status?: unknown; body?: unknown; retryAfterMs?: unknown };
  if (typeof e.status !== 'number' || e.status < 400) return undefined;
  return {
    status: e.status,
    body: e.body,
    retryAfterMs: typeof e.retryAfterMs === 'number' ? e.retryAfterMs : undefined,
  };
}

/** The human part of an Atlassian error body, on one line ('' when there is none). */
export function atlassianMessage(body: unknown): string {
  if (typeof body === 'string') return oneLine(body.replace(/<[^>]+>/g, ' '), 300);
  if (typeof body !== 'object' || body === null) return '';
  const b = body as Record<string, unknown>;
  const parts: string[] = [];
  if (Array.isArray(b.errorMessages)) {
    for (const m of b.errorMessages) if (typeof m === 'string' && m) parts.push(m);
  }
  if (b.errors && typeof b.errors === 'object' && !Array.isArray(b.errors)) {
    for (const [field, m] of Object.entries(b.errors as Record<string, unknown>)) {
      if (typeof m === 'string') parts.push(`${field}: ${m}`);
    }
  }
  if (Array.isArray(b.errors)) {
    for (const e of b.errors) {
      if (typeof e === 'string') parts.push(e);
      else if (e && typeof e === 'object') {
        const { title, detail, message } = e as Record<string, unknown>;
        const text = [title, detail ?? message].filter((x) => typeof x === 'string' && x).join(': ');
        if (text) parts.push(text);
      }
    }
  }
  if (!parts.length) {
    for (const key of ['message', 'errorMessage', 'error_description', 'error', 'reason']) {
      const m = b[key];
      if (typeof m === 'string' && m) {
        parts.push(m);
        break;
      }
      if (m && typeof m === 'object' && typeof (m as { message?: unknown }).message === 'string') {
        parts.push((m as { message: string }).message);
        break;
      }
    }
  }
  return oneLine(parts.slice(0, 6).join('; '), 400);
}

/**
 * Map an Atlassian failure to a SwitchboardError; undefined for errors this does not recognise (core then uses
 * its generic mapping). A SwitchboardError wrapped as an SDK error's `cause` (core's deadline or rate limit
 * surfacing through an SDK's network error) is unwrapped and returned as it is.
 */
export function mapAtlassianError(error: unknown, tool: ToolDefinition): SwitchboardError | undefined {
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause instanceof SwitchboardError) return cause;
  const failure = asStatusError(error);
  if (!failure) {
    if ((error as Error | null)?.name === 'SchemaMismatchError') {
      return new SwitchboardError('upstream', `Atlassian answered ${tool.name} with an unexpected response shape.`, {
        hint: 'The site may run an older version; retrying will not help.',
        cause: error,
      });
    }
    return undefined;
  }
  const { status, body } = failure;
  const message = atlassianMessage(body) || `HTTP ${status}`;
  const details = { status, cause: error };
  if (status === 400 || status === 422) {
    return new SwitchboardError('invalid', `Atlassian rejected ${tool.name}: ${message}`, {
      ...details,
      hint: /jql|query|parse/i.test(message)
        ? 'Fix the query syntax and retry.'
        : 'Fix the named fields and retry; get_create_fields shows what a project and issue type accept.',
    });
  }
  if (status === 401) {
    const scope = /scope does not match/i.test(message);
    return new SwitchboardError('auth', `Atlassian rejected the credentials: ${message}`, {
      ...details,
      hint: scope
        ? 'The OAuth token lacks a scope this endpoint needs; the app must request it and the user consent again.'
        : 'Check the URL, email and API token (Cloud) or the personal access token (Data Center): invalid, expired or revoked. The user must fix them; retrying will not help.',
    });
  }
  if (status === 403) {
    return new SwitchboardError('permission', `Atlassian refused ${tool.name}: ${message}`, {
      ...details,
      missingScopes: tool.scopes,
      hint: tool.scopes?.length
        ? `The account needs the ${tool.scopes.join(' or ')} permission here; an admin must grant it. Do not retry with the same arguments.`
        : 'The account lacks permission for this; an admin must grant it. Do not retry with the same arguments.',
    });
  }
  if (status === 404) {
    return new SwitchboardError('not_found', `Atlassian found nothing for ${tool.name}: ${message}`, {
      ...details,
      hint: 'Check the key or id. Items the account may not see also answer 404.',
    });
  }
  if (status === 409 || status === 412) {
    return new SwitchboardError('conflict', `Atlassian reported a conflict: ${message}`, {
      ...details,
      hint: 'It changed since you read it: re-read the current version and retry with it.',
    });
  }
  if (status === 410) {
    return new SwitchboardError('upstream', `Atlassian removed this endpoint: ${message}`, {
      ...details,
      hint: 'The site no longer supports this operation; retrying will not help.',
    });
  }
  if (status === 429) {
    return new SwitchboardError('rate_limited', `Atlassian is rate limiting: ${message}`, {
      ...details,
      retryAfterMs: failure.retryAfterMs ?? 60_000,
    });
  }
  if (status === 413) {
    return new SwitchboardError('invalid', `Atlassian says the request is too large: ${message}`, {
      ...details,
      hint: 'Send less content at once.',
    });
  }
  if (status === 503 || status === 502 || status === 500) {
    return new SwitchboardError('upstream', `Atlassian failed with HTTP ${status}: ${message}`, {
      ...details,
      hint: 'This is on the Atlassian side; retry later.',
    });
  }
  if (status === 504) {
    return new SwitchboardError('timeout', 'Atlassian timed out (HTTP 504).', {
      ...details,
      hint: 'Retry later or narrow the request.',
    });
  }
  return undefined;
}
