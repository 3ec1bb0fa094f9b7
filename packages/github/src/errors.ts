/**
 * GitHub's error answers mapped to the core taxonomy with text an LLM can act on: which env var, which scope is
 * missing, when the rate limit resets, which fields GitHub rejected.
 */
import { type ErrorKind, oneLine, SwitchboardError, type ToolDefinition } from '@switchboard-mcp/core';

interface GithubRequestError {
  status: number;
  message: string;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
}

function isRequestError(error: unknown): error is GithubRequestError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { status?: unknown }).status === 'number' &&
    (error as Error).name === 'HttpError'
  );
}

function githubMessage(error: GithubRequestError): string {
  const data = error.response?.data as
    | { message?: string; errors?: { resource?: string; field?: string; code?: string; message?: string }[] }
    | undefined;
  const base = (typeof data?.message === 'string' ? data.message : error.message)
    .replace(/ - https:\/\/docs\.github\.com\S*/, '')
    .slice(0, 300);
  // `errors` is usually a list of objects, sometimes of strings; anything else is ignored rather than trusted.
  const details = (Array.isArray(data?.errors) ? data.errors : [])
    .slice(0, 5)
    .map((e) => {
      if (typeof e === 'string') return e;
      if (!e || typeof e !== 'object') return '';
      return typeof e.message === 'string'
        ? e.message
        : [e.resource, e.field, e.code].filter((x) => typeof x === 'string').join(' ');
    })
    .filter(Boolean);
  return details.length ? `${base}: ${details.join('; ')}` : base;
}

export function mapGithubError(error: unknown, tool: ToolDefinition): SwitchboardError | undefined {
  if (!isRequestError(error)) return undefined;
  const headers = error.response?.headers ?? {};
  const message = githubMessage(error);
  const status = error.status;
  const remaining = headers['x-ratelimit-remaining'];
  const reset = Number(headers['x-ratelimit-reset']);
  const retryAfter = Number(headers['retry-after']);
  if (status === 429 || (status === 403 && (remaining === '0' || /rate limit/i.test(message)))) {
    const retryAfterMs =
      Number.isFinite(retryAfter) && retryAfter > 0
        ? retryAfter * 1000
        : Number.isFinite(reset) && reset > 0
          ? Math.max(0, reset * 1000 - Date.now())
          : 60_000;
    return new SwitchboardError('rate_limited', `GitHub rate limit: ${message}`, { status, retryAfterMs });
  }
  if (status === 401) {
    return new SwitchboardError('auth', `GitHub rejected the token (${message}).`, {
      status,
      hint: 'GITHUB_TOKEN (or GITHUB_PERSONAL_ACCESS_TOKEN) is invalid, expired or revoked; the user must set a valid token. Retrying will not help.',
    });
  }
  if (status === 403) {
    const granted = headers['x-oauth-scopes'];
    const accepted = headers['x-accepted-oauth-scopes'];
    const needed = (accepted ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const missing =
      granted !== undefined &&
      needed.length &&
      !needed.some((s) =>
        granted
          .split(',')
          .map((g) => g.trim())
          .includes(s),
      )
        ? needed
        : tool.scopes;
    return new SwitchboardError('permission', `GitHub refused ${tool.name}: ${message}`, {
      status,
      missingScopes: missing,
      hint: missing?.length
        ? `The token needs one of these scopes: ${missing.join(', ')} (fine-grained tokens: the matching repository permission). The user must grant it.`
        : 'The token lacks access to this repository or operation; the user must grant it.',
    });
  }
  if (status === 404) {
    return new SwitchboardError('not_found', `GitHub found nothing for ${tool.name}: ${message}.`, {
      status,
      hint: 'Check owner, repo and numbers (get_repository / list tools help). Private repositories also answer 404 when the token cannot see them.',
    });
  }
  if (status === 405) {
    return new SwitchboardError('conflict', `GitHub refused the operation: ${message}.`, {
      status,
      hint: 'For a merge: the pull request is not mergeable now (conflicts, failing required checks or reviews). Check get_pull_request and resolve first.',
    });
  }
  if (status === 409) {
    return new SwitchboardError('conflict', `GitHub reported a conflict: ${message}.`, {
      status,
      hint: 'The branch or file changed since you read it: re-read it (for files, the current sha via get_file_contents) and retry.',
    });
  }
  if (status === 422) {
    return new SwitchboardError('invalid', `GitHub rejected the request: ${message}.`, {
      status,
      hint: /sha/i.test(message)
        ? 'Updating an existing file needs its current blob sha: get it with get_file_contents.'
        : 'Fix the named fields and retry.',
    });
  }
  return undefined;
}

/** What GitHub answered to a failed call. */
export interface GithubFailure {
  status: number;
  /** GitHub's message and field errors, on one line. */
  message: string;
}

/** Status and message of an Octokit RequestError; undefined for anything else (network errors, bugs). */
export function githubFailure(error: unknown): GithubFailure | undefined {
  return isRequestError(error) ? { status: error.status, message: oneLine(githubMessage(error), 500) } : undefined;
}

/** What a failure means for the call at hand, where the generic mapping above cannot know it. */
export interface Explanation {
  kind: ErrorKind;
  message: string;
  hint: string;
}

/**
 * Await a GitHub call; a failure `explain` recognises is thrown as a SwitchboardError carrying that explanation
 * (which path, which branch, why a merge was refused), with GitHub's status and the original error as cause.
 * Anything else is rethrown as it is, for mapGithubError.
 */
export async function explainFailure<T>(
  call: Promise<T>,
  explain: (failure: GithubFailure) => Explanation | undefined | Promise<Explanation | undefined>,
): Promise<T> {
  try {
    return await call;
  } catch (error) {
    const failure = githubFailure(error);
    const explained = failure ? await explain(failure) : undefined;
    if (!failure || !explained) throw error;
    throw new SwitchboardError(explained.kind, explained.message, {
      status: failure.status,
      hint: explained.hint,
      cause: error,
    });
  }
}
