import type { ToolDefinition } from '@switchboard-mcp/core';
import { SwitchboardError } from '@switchboard-mcp/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AtlassianApiError, atlassianMessage, mapAtlassianError } from '../src/errors.ts';
import { parseAtlassianRateLimit } from '../src/ratelimit.ts';

const tool = {
  name: 'create_issue',
  title: 'Create',
  description: '',
  access: 'write',
  input: z.object({}),
  scopes: ['CREATE_ISSUES'],
  run: async () => undefined,
} as ToolDefinition;

describe('atlassianMessage', () => {
  it('reads every Atlassian error body shape', () => {
    expect(atlassianMessage({ errorMessages: ['Issue does not exist'], errors: {} })).toBe('Issue does not exist');
    expect(atlassianMessage({ errorMessages: [], errors: { summary: 'You must specify a summary.' } })).toBe(
      'summary: You must specify a summary.',
    );
    expect(atlassianMessage({ statusCode: 404, message: 'No space with key ABC' })).toBe('No space with key ABC');
    expect(
      atlassianMessage({ errors: [{ status: 409, code: 'CONFLICT', title: 'Version conflict', detail: 'stale' }] }),
    ).toBe('Version conflict: stale');
    expect(atlassianMessage('<html><body>Bad gateway</body></html>')).toBe('Bad gateway');
    expect(atlassianMessage(undefined)).toBe('');
  });
});

describe('mapAtlassianError', () => {
  const map = (status: number, body: unknown, retryAfterMs?: number) =>
    mapAtlassianError(new AtlassianApiError(status, 'x', body, { retryAfterMs }), tool)!;

  it('maps statuses to the taxonomy with actionable hints', () => {
    expect(map(400, { errorMessages: ["Error in the JQL Query: Expecting ')'"] })).toMatchObject({ kind: 'invalid' });
    expect(map(401, 'Client must be authenticated').kind).toBe('auth');
    expect(map(401, { code: 401, message: 'Unauthorized; scope does not match' }).details.hint).toContain('scope');
    const forbidden = map(403, { errorMessages: ['You do not have permission to create issues in this project.'] });
    expect(forbidden.kind).toBe('permission');
    expect(forbidden.details.missingScopes).toEqual(['CREATE_ISSUES']);
    expect(map(404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'] }).kind).toBe(
      'not_found',
    );
    expect(map(409, { message: 'Version mismatch' }).toText()).toMatch(/^Conflict: .*re-read/);
    expect(map(410, { errorMessages: ['The requested API has been removed.'] }).toText()).toContain('removed');
    expect(map(503, {}).kind).toBe('upstream');
    expect(map(504, {}).kind).toBe('timeout');
  });

  it('carries Retry-After on 429', () => {
    const e = map(429, { message: 'Rate limit exceeded' }, 7000);
    expect(e.kind).toBe('rate_limited');
    expect(e.details.retryAfterMs).toBe(7000);
    expect(e.toText()).toContain('Retry after 7s');
  });

  it('unwraps a core error carried as a cause and ignores what it does not know', () => {
    const core = new SwitchboardError('timeout', 'deadline');
    expect(mapAtlassianError(Object.assign(new Error('fetch failed'), { cause: core }), tool)).toBe(core);
    expect(mapAtlassianError(new Error('boom'), tool)).toBeUndefined();
    expect(mapAtlassianError({ status: 418, body: {} }, tool)).toBeUndefined();
  });
});

describe('parseAtlassianRateLimit', () => {
  const now = Date.UTC(2026, 0, 5, 12, 0, 0);
  it('reads Retry-After on 429 and the ISO X-RateLimit-Reset window', () => {
    const headers = new Headers({
      'retry-after': '7',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '2026-01-05T12:01:00Z',
    });
    expect(parseAtlassianRateLimit(429, headers, now)).toEqual({
      blockedUntil: now + 7000,
      remaining: 0,
      resetAt: now + 60_000,
    });
  });

  it('ignores Retry-After on success and answers nothing without headers', () => {
    expect(
      parseAtlassianRateLimit(200, new Headers({ 'retry-after': '5', 'x-ratelimit-remaining': '40' }), now),
    ).toEqual({
      remaining: 40,
    });
    expect(parseAtlassianRateLimit(200, new Headers(), now)).toBeUndefined();
  });
});
