/**
 * Notion's error answers (`{ object: 'error', status, code, message }`, thrown by the SDK as APIResponseError)
 * mapped to the core taxonomy with text an LLM can act on: which env var, which capability, and for pages the
 * integration cannot see, that the page must be shared with the integration by name.
 */
import { SwitchboardError, type ToolDefinition } from '@switchboard-mcp/core';
import type { Notion } from './client.ts';

interface NotionApiFailure {
  code: string;
  status: number;
  message: string;
  headers?: unknown;
}

const CAPABILITY: Record<string, string> = {
  read_content: 'Read content',
  update_content: 'Update content',
  insert_content: 'Insert content',
  read_comments: 'Read comments',
  insert_comments: 'Insert comments',
  read_user_information: 'Read user information',
};

/** An APIResponseError (or UnknownHTTPResponseError) from @notionhq/client, recognised without importing it. */
export function notionFailure(error: unknown): NotionApiFailure | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as Partial<NotionApiFailure> & { name?: string };
  if (typeof e.code !== 'string' || typeof e.status !== 'number') return undefined;
  if (e.name !== 'APIResponseError' && e.name !== 'UnknownHTTPResponseError') return undefined;
  return { code: e.code, status: e.status, message: String(e.message ?? '').slice(0, 400), headers: e.headers };
}

function header(headers: unknown, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  if (headers && typeof headers === 'object') {
    const entry = Object.entries(headers).find(([k]) => k.toLowerCase() === name);
    return entry ? String(entry[1]) : undefined;
  }
  return undefined;
}

const SHARE_HINT = (name: string | undefined) =>
  `If it exists, the integration${name ? ` named "${name}"` : ''} cannot see it: the user must share the page (or a parent page) with it in Notion (⋯ menu → Connections → add the integration). Otherwise check the id (search finds pages by title).`;

export function mapNotionError(error: unknown, tool: ToolDefinition): SwitchboardError | undefined {
  const failure = notionFailure(error);
  if (!failure) {
    const code = (error as { code?: unknown })?.code;
    if (code === 'notionhq_client_request_timeout') {
      return new SwitchboardError('timeout', 'Notion did not answer in time', { hint: 'Retry later.' });
    }
    return undefined;
  }
  const { code, status, message } = failure;
  switch (code) {
    case 'unauthorized':
      return new SwitchboardError('auth', `Notion rejected the token (${message})`, {
        status,
        hint: 'NOTION_TOKEN (or NOTION_API_KEY) is invalid or revoked; the user must set a valid integration token. Retrying will not help.',
      });
    case 'restricted_resource': {
      const needed = (tool.scopes ?? []).map((s) => CAPABILITY[s] ?? s);
      return new SwitchboardError('permission', `Notion refused ${tool.name}: ${message}`, {
        status,
        missingScopes: tool.scopes,
        hint: needed.length
          ? `The integration needs the capability ${needed.join(' or ')} (Notion → Settings → Integrations → Capabilities). The user must enable it.`
          : 'The integration lacks a capability for this; the user must enable it.',
      });
    }
    case 'object_not_found':
      return new SwitchboardError('not_found', `Notion: ${message.replace(/ Make sure the relevant.*$/, '')}`, {
        status,
        hint: SHARE_HINT(undefined),
      });
    case 'validation_error':
    case 'invalid_json':
    case 'invalid_request':
    case 'invalid_request_url':
    case 'missing_version':
      return new SwitchboardError('invalid', `Notion rejected the request: ${message}`, {
        status,
        hint: 'Fix the named fields and retry (get_data_source shows property names, types and options).',
      });
    case 'conflict_error':
      return new SwitchboardError('conflict', `Notion reported a conflict: ${message}`, {
        status,
        hint: 'Someone else changed it at the same time; re-read and retry.',
      });
    case 'rate_limited': {
      const seconds = Number(header(failure.headers, 'retry-after'));
      return new SwitchboardError('rate_limited', 'Notion is rate limiting this integration (about 3 requests/s)', {
        status,
        retryAfterMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000,
      });
    }
    default:
      return undefined;
  }
}

/**
 * Object-not-found errors name the integration the page must be shared with. This needs a request (users/me,
 * cached per client), so it runs in the tool, not in the synchronous mapper.
 */
export async function explainNotFound(notion: Notion, error: unknown): Promise<unknown> {
  const failure = notionFailure(error);
  if (failure?.code !== 'object_not_found') return error;
  const name = await notion.botName();
  return new SwitchboardError('not_found', `Notion: ${failure.message.replace(/ Make sure the relevant.*$/, '')}`, {
    status: failure.status,
    hint: SHARE_HINT(name),
    cause: error,
  });
}
