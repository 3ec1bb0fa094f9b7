/**
 * Slack answers most failures with HTTP 200 and `{ ok: false, error: "<code>" }`; the SDK throws them as
 * platform errors. Each code the tools can meet is mapped to the core taxonomy with text the model can act on.
 */
import { SwitchboardError, type ToolDefinition } from '@switchboard-mcp/core';

interface SlackSdkError {
  code: string;
  data?: { error?: string; needed?: string; provided?: string; response_metadata?: { messages?: string[] } };
  original?: unknown;
  statusCode?: number;
  retryAfter?: number;
  body?: unknown;
}

function isSdkError(error: unknown): error is SlackSdkError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    (error as { code: string }).code.startsWith('slack_webapi_')
  );
}

type Mapped = { kind: SwitchboardError['kind']; hint: string };

const TOKEN_HINT =
  'SLACK_BOT_TOKEN (xoxb-…) or SLACK_USER_TOKEN (xoxp-…) is invalid, revoked or from an uninstalled app; the user must set a valid token. Retrying will not help.';

const CODES: Record<string, Mapped> = {
  not_authed: { kind: 'auth', hint: TOKEN_HINT },
  invalid_auth: { kind: 'auth', hint: TOKEN_HINT },
  account_inactive: { kind: 'auth', hint: TOKEN_HINT },
  token_revoked: { kind: 'auth', hint: TOKEN_HINT },
  token_expired: { kind: 'auth', hint: TOKEN_HINT },
  not_allowed_token_type: {
    kind: 'permission',
    hint: 'This method needs the other token type (search needs a user token, SLACK_USER_TOKEN).',
  },
  not_in_channel: {
    kind: 'permission',
    hint: 'The bot is not a member of this channel: a member must invite it (/invite @bot). Do not retry until then.',
  },
  restricted_action: {
    kind: 'permission',
    hint: 'A workspace or channel setting stops the bot from doing this here (e.g. a posting-restricted channel). Do not retry; ask a workspace admin.',
  },
  no_permission: {
    kind: 'permission',
    hint: 'The token lacks the permission this needs in this workspace. Do not retry; ask a workspace admin.',
  },
  access_denied: { kind: 'permission', hint: 'Slack denied access to this resource. Do not retry.' },
  ekm_access_denied: { kind: 'permission', hint: 'Enterprise Key Management denies access. Do not retry.' },
  channel_not_found: {
    kind: 'not_found',
    hint: 'Check the channel id or name with list_channels; private channels and DMs are visible only to members.',
  },
  thread_not_found: { kind: 'not_found', hint: 'Check thread_ts: it is the ts of the thread parent message.' },
  message_not_found: { kind: 'not_found', hint: 'Check the message ts (from get_channel_history) and the channel.' },
  user_not_found: { kind: 'not_found', hint: 'Check the user id, name or email with list_users.' },
  users_not_found: { kind: 'not_found', hint: 'No user has that email (or the email is hidden from this app).' },
  file_not_found: { kind: 'not_found', hint: 'The upload expired or failed; upload again.' },
  no_item_specified: { kind: 'invalid', hint: 'Name the message by channel and timestamp.' },
  is_archived: { kind: 'conflict', hint: 'The channel is archived; it cannot be posted to.' },
  msg_too_long: { kind: 'invalid', hint: 'Slack caps a message at 40,000 characters; shorten it or split it.' },
  no_text: { kind: 'invalid', hint: 'Give text (or blocks).' },
  invalid_blocks: { kind: 'invalid', hint: 'The blocks are not valid Block Kit; fix them or send text only.' },
  invalid_blocks_format: { kind: 'invalid', hint: 'blocks must be a JSON array of Block Kit blocks.' },
  too_many_attachments: { kind: 'invalid', hint: 'Send fewer attachments.' },
  cant_update_message: { kind: 'permission', hint: 'Only messages the bot posted can be updated.' },
  cant_delete_message: { kind: 'permission', hint: 'Only messages the bot posted can be deleted.' },
  edit_window_closed: { kind: 'conflict', hint: 'The workspace no longer allows editing this message.' },
  already_reacted: { kind: 'conflict', hint: 'The reaction is already there; nothing to do.' },
  no_reaction: { kind: 'conflict', hint: 'There is no such reaction by this bot to remove.' },
  invalid_name: { kind: 'invalid', hint: 'Use an emoji name without colons, e.g. thumbsup.' },
  too_many_reactions: { kind: 'conflict', hint: 'The message has the maximum number of reactions.' },
  time_in_past: { kind: 'invalid', hint: 'post_at must be in the future.' },
  time_too_far: { kind: 'invalid', hint: 'post_at must be within 120 days.' },
  restricted_too_many: { kind: 'conflict', hint: 'Too many messages are scheduled for this channel.' },
  invalid_cursor: { kind: 'invalid', hint: 'The cursor is stale or from another list; start again without it.' },
  invalid_ts_latest: { kind: 'invalid', hint: 'until must be a Slack timestamp, ISO date or duration.' },
  invalid_ts_oldest: { kind: 'invalid', hint: 'since must be a Slack timestamp, ISO date or duration.' },
  invalid_arguments: { kind: 'invalid', hint: 'Fix the arguments and retry.' },
  invalid_arg_name: { kind: 'invalid', hint: 'Fix the arguments and retry.' },
  ratelimited: { kind: 'rate_limited', hint: 'Wait before retrying; make fewer calls.' },
  fatal_error: { kind: 'upstream', hint: 'Slack failed; retry later.' },
  internal_error: { kind: 'upstream', hint: 'Slack failed; retry later.' },
  service_unavailable: { kind: 'upstream', hint: 'Slack is unavailable; retry later.' },
  request_timeout: { kind: 'timeout', hint: 'Retry later.' },
};

export function mapSlackError(error: unknown, tool: ToolDefinition): SwitchboardError | undefined {
  if (!isSdkError(error)) return undefined;
  if (error.code === 'slack_webapi_request_error') {
    if (error.original instanceof SwitchboardError) return error.original;
    const message = error.original instanceof Error ? error.original.message : 'request failed';
    return new SwitchboardError('upstream', `the request to Slack failed: ${message.slice(0, 200)}`, {
      hint: 'Retry later.',
      cause: error,
    });
  }
  if (error.code === 'slack_webapi_rate_limited_error') {
    return new SwitchboardError('rate_limited', `Slack is rate limiting ${tool.name}`, {
      retryAfterMs: (error.retryAfter ?? 60) * 1000,
      status: 429,
      hint: 'Make fewer calls, or wait before retrying.',
    });
  }
  if (error.code === 'slack_webapi_http_error') {
    const status = error.statusCode ?? 0;
    // Slack says most refusals with HTTP 200 and ok: false, but a plain 401/403 (from its edge or a proxy in front
    // of it) is still about the token or its access, not a failing service.
    const kind = status === 401 ? 'auth' : status === 403 ? 'permission' : status === 404 ? 'not_found' : 'upstream';
    const hints: Partial<Record<SwitchboardError['kind'], string>> = {
      auth: TOKEN_HINT,
      permission: `The token is not allowed to call this (${tool.name}): the Slack app or the workspace must grant access. Retrying will not help.`,
      not_found: 'Check SLACK_API_URL.',
    };
    return new SwitchboardError(kind, `Slack answered HTTP ${status}`, {
      status,
      hint: hints[kind] ?? 'Retry later.',
    });
  }
  if (error.code !== 'slack_webapi_platform_error') return undefined;
  const code = String(error.data?.error ?? 'unknown_error').slice(0, 80);
  if (code === 'missing_scope') {
    const needed = (error.data?.needed ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const provided = error.data?.provided ?? 'none';
    const missing = needed.length ? needed : tool.scopes;
    return new SwitchboardError('permission', `Slack refused ${tool.name}: missing_scope (token has: ${provided})`, {
      missingScopes: missing,
      hint: `The Slack app needs the ${missing?.join(' or ') ?? 'right'} scope: add it under OAuth & Permissions and reinstall the app. Retrying will not help.`,
    });
  }
  const known = CODES[code];
  const detail = error.data?.response_metadata?.messages?.slice(0, 3).join('; ');
  const message = `Slack refused ${tool.name}: ${code}${detail ? ` (${detail.slice(0, 300)})` : ''}`;
  if (known) return new SwitchboardError(known.kind, message, { hint: known.hint });
  return new SwitchboardError('invalid', message, {
    hint: 'See https://docs.slack.dev/reference/methods for what this error code means; fix the request before retrying.',
  });
}
