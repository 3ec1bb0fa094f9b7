/**
 * Confluence-specific readings of Atlassian errors, before the shared mapping: a stale page version says how to
 * re-read and retry; a response missing its list is an error, never an empty result (410 Gone is mapped by the
 * shared mapper).
 */
import { mapAtlassianError } from '@switchboard-mcp/atlassian';
import { SwitchboardError, type ToolDefinition } from '@switchboard-mcp/core';

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

export function mapConfluenceError(error: unknown, tool: ToolDefinition): SwitchboardError | undefined {
  const status = statusOf(error);
  if (status === 409 && tool.name === 'update_page') {
    const current = /Current Version is: (\d+)/i.exec(JSON.stringify((error as { body?: unknown }).body ?? ''))?.[1];
    return new SwitchboardError(
      'conflict',
      `the page changed since it was read${current ? `; it is now at version ${current}` : ''}`,
      {
        status,
        hint: 'Re-read it with get_page, reapply your change to the current text, and call update_page again with the version get_page shows.',
        cause: error,
      },
    );
  }
  const mapped = mapAtlassianError(error, tool);
  // The shared hints name Jira tools and scopes; say what applies to Confluence instead.
  if (mapped?.kind === 'invalid' && (status === 400 || status === 422)) {
    return new SwitchboardError('invalid', mapped.message, {
      status,
      cause: error,
      hint:
        tool.name === 'search'
          ? 'Fix the CQL and retry: field operator value clauses joined by AND/OR, strings in double quotes, e.g. space = ENG AND text ~ "deploy".'
          : 'Fix what Confluence named and retry (page titles must be unique within a space).',
    });
  }
  if (mapped?.kind === 'permission') {
    return new SwitchboardError('permission', mapped.message, {
      status,
      cause: error,
      missingScopes: tool.scopes,
      hint: `The account lacks the Confluence permission for this (space permissions or page restrictions${
        tool.scopes?.length ? `; OAuth apps need one of the scopes ${tool.scopes.join(', ')}` : ''
      }). A space or site admin must grant it; do not retry with the same arguments.`,
    });
  }
  return mapped;
}

/** A response without the list it must carry: an API change, reported as an error rather than as "no results". */
export function expectList<T>(data: unknown, key: string, what: string): T[] {
  const list = (data as Record<string, unknown> | null | undefined)?.[key];
  if (!Array.isArray(list)) {
    throw new SwitchboardError('upstream', `Confluence answered ${what} without a ${key} list`, {
      hint: 'The endpoint may have been changed or removed by Atlassian; this is not an empty result. Retrying will not help.',
    });
  }
  return list as T[];
}
