/**
 * The sandbox on its own, over HTTP: Slack's auth and scope errors, arguments from the query, a form or a JSON
 * body, cursor pagination, per-tier 429s, the external upload flow, and answers shaped like Slack's published
 * description says.
 */
import type { ObservedResponse } from '@switchboard-mcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import server from '../src/index.ts';
import { BOT_TOKEN, type SlackSandbox, startSlackSandbox, USER_TOKEN } from '../src/sandbox/index.ts';
import { slackApi } from './helpers.ts';

/** Methods the description (2016–2020) predates. */
const NEWER_METHODS = ['/files.getUploadURLExternal', '/files.completeUploadExternal', '/no.such'];
/**
 * Fields and error codes Slack sends today that the description predates (its schemas forbid unknown
 * properties): cursor metadata on history, app_id and thread locks on messages. (The not_in_channel answer of
 * conversations.history is not in its error enum either, so that answer is not checked.)
 */
const NEWER_THAN_DESCRIPTION = [
  /unknown property 'response_metadata'/,
  /unknown property 'app_id'/,
  /unknown property 'is_locked'/,
];

let sandbox: SlackSandbox;
const observed: ObservedResponse[] = [];

beforeAll(async () => {
  sandbox = await startSlackSandbox();
});
afterAll(async () => {
  await sandbox?.close();
});

async function call(
  method: string,
  args: Record<string, unknown> = {},
  opts: { token?: string | null; as?: 'form' | 'json' | 'query' } = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const token = opts.token === undefined ? BOT_TOKEN : opts.token;
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const as = opts.as ?? 'form';
  let url = `${sandbox.url}${method}`;
  let body: string | undefined;
  if (as === 'query') {
    url += `?${new URLSearchParams(args as Record<string, string>)}`;
  } else if (as === 'json') {
    headers['content-type'] = 'application/json; charset=utf-8';
    body = JSON.stringify(args);
  } else {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(
      Object.entries(args).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    ).toString();
  }
  const res = await fetch(url, { method: as === 'query' ? 'GET' : 'POST', headers, body });
  const json = await res.json();
  observed.push({ method: as === 'query' ? 'GET' : 'POST', path: `/api/${method}`, status: res.status, body: json });
  return { status: res.status, headers: res.headers, body: json };
}

describe('Slack sandbox', () => {
  it('authenticates by bearer token or token argument; errors are ok:false with Slack codes', async () => {
    expect((await call('auth.test', {}, { token: null })).body).toEqual({ ok: false, error: 'not_authed' });
    expect((await call('auth.test', {}, { token: 'xoxb-nope' })).body).toEqual({ ok: false, error: 'invalid_auth' });
    const viaArg = await call('auth.test', { token: USER_TOKEN }, { token: null });
    expect(viaArg.body).toMatchObject({ ok: true, user: 'alice', team_id: 'T0SANDBOX1' });
    expect(viaArg.headers.get('x-oauth-scopes')).toContain('search:read');
    expect((await call('search.messages', { query: 'deploy' })).body).toEqual({
      ok: false,
      error: 'not_allowed_token_type',
    });
    const missing = await call('pins.list', { channel: 'C0ENGINEER' }, { token: USER_TOKEN });
    expect(missing.body).toMatchObject({ ok: false, error: 'missing_scope', needed: 'pins:read' });
    expect(missing.body.provided).toContain('search:read');
    expect(missing.headers.get('x-accepted-oauth-scopes')).toBe('pins:read');
    expect((await call('no.such', {})).body).toMatchObject({ ok: false, error: 'unknown_method' });
  });

  it('takes arguments from the query string, a form body or a JSON body alike', async () => {
    for (const as of ['query', 'form', 'json'] as const) {
      const res = await call('conversations.info', { channel: 'C0ENGINEER', include_num_members: 'true' }, { as });
      expect(res.body.channel).toMatchObject({ id: 'C0ENGINEER', name: 'engineering', num_members: 9 });
    }
    const blocks = await call(
      'chat.postMessage',
      { channel: 'C0ENGINEER', text: 'hi', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }] },
      { as: 'json' },
    );
    expect(blocks.body).toMatchObject({ ok: true, channel: 'C0ENGINEER' });
  });

  it('pages with cursors in response_metadata until next_cursor is empty', async () => {
    const ids: string[] = [];
    let cursor = '';
    for (let i = 0; i < 10; i++) {
      const res = await call('users.list', { limit: '4', ...(cursor ? { cursor } : {}) });
      ids.push(...res.body.members.map((m: { id: string }) => m.id));
      cursor = res.body.response_metadata.next_cursor;
      if (!cursor) break;
    }
    expect(new Set(ids).size).toBe(sandbox.state.users.size);
    expect((await call('users.list', { cursor: 'garbage' })).body).toMatchObject({
      ok: false,
      error: 'invalid_cursor',
    });
  });

  it('history is newest first, within oldest/latest, threads summarised; replies list the thread', async () => {
    const c = sandbox.state.channels.get('C0ENGINEER')!;
    const res = await call('conversations.history', { channel: 'C0ENGINEER', limit: '20' });
    const ts = res.body.messages.map((m: { ts: string }) => Number.parseFloat(m.ts));
    expect([...ts].sort((a: number, b: number) => b - a)).toEqual(ts);
    expect(res.body.has_more).toBe(true);
    const parent = c.messages.find((m) => m.thread_ts === m.ts)!;
    const replies = await call('conversations.replies', { channel: 'C0ENGINEER', ts: parent.ts });
    expect(replies.body.messages[0]).toMatchObject({ ts: parent.ts, reply_count: replies.body.messages.length - 1 });
    const windowed = await call('conversations.history', {
      channel: 'C0ENGINEER',
      oldest: c.messages[10]!.ts,
      latest: c.messages[20]!.ts,
      inclusive: 'true',
    });
    for (const m of windowed.body.messages) {
      expect(Number.parseFloat(m.ts)).toBeGreaterThanOrEqual(Number.parseFloat(c.messages[10]!.ts));
      expect(Number.parseFloat(m.ts)).toBeLessThanOrEqual(Number.parseFloat(c.messages[20]!.ts));
    }
    expect((await call('conversations.history', { channel: 'C0RANDOM01' })).body.error).toBe('not_in_channel');
    expect((await call('conversations.history', { channel: 'G0NOTMINE1' })).body.error).toBe('channel_not_found');
  });

  it('search understands in:, from:, phrases and dates, and pages by number', async () => {
    const res = await call(
      'search.messages',
      { query: 'in:#engineering from:@carol', count: '5' },
      { token: USER_TOKEN },
    );
    expect(res.body.messages.matches.length).toBeGreaterThan(0);
    for (const m of res.body.messages.matches)
      expect(m).toMatchObject({ user: 'U0CAROL003', channel: { id: 'C0ENGINEER' } });
    const phrase = await call('search.messages', { query: '"error budget"' }, { token: USER_TOKEN });
    expect(phrase.body.messages.matches.every((m: { text: string }) => /error budget/i.test(m.text))).toBe(true);
    const none = await call('search.messages', { query: 'after:2999-01-01 deploy' }, { token: USER_TOKEN });
    expect(none.body.messages.total).toBe(0);
  });

  it('the external upload flow: URL, upload, complete shares the file', async () => {
    const url = await call('files.getUploadURLExternal', { filename: 'notes.txt', length: '5' });
    expect(url.body).toMatchObject({ ok: true, file_id: expect.stringMatching(/^F/) });
    const early = await call('files.completeUploadExternal', { files: [{ id: url.body.file_id }] });
    expect(early.body.error).toBe('file_not_found');
    const upload = await fetch(url.body.upload_url, { method: 'POST', body: 'hello' });
    expect(await upload.text()).toBe('OK - 5');
    const done = await call('files.completeUploadExternal', {
      files: [{ id: url.body.file_id, title: 'Notes' }],
      channel_id: 'C0BACKEND1',
      initial_comment: 'see notes',
    });
    expect(done.body.files[0]).toMatchObject({ id: url.body.file_id, title: 'Notes', size: 5 });
    const last = sandbox.state.channels.get('C0BACKEND1')!.messages.at(-1)!;
    expect(last).toMatchObject({ text: 'see notes', files: [url.body.file_id] });
  });

  it("answers match the response schemas of Slack's published description, but for what is newer than it", () => {
    expect(observed.length).toBeGreaterThan(15);
    const errors = observed
      .filter((r) => !NEWER_METHODS.some((m) => r.path.endsWith(m)))
      .filter((r) => (r.body as { error?: string }).error !== 'not_in_channel')
      .flatMap((r) => slackApi().checkResponse(r).errors)
      .filter((e) => !NEWER_THAN_DESCRIPTION.some((re) => re.test(e)));
    expect(errors).toEqual([]);
  });
});

describe('Slack sandbox tiers', () => {
  it("enforces a method's tier per token with 429 and Retry-After; other methods and tokens go on", async () => {
    const limited = await startSlackSandbox({ rateLimits: true });
    try {
      const get = (method: string, token = BOT_TOKEN) =>
        fetch(`${limited.url}${method}?limit=1`, { headers: { authorization: `Bearer ${token}` } });
      // users.list is Tier 2: 20 per minute.
      for (let i = 0; i < 20; i++) expect((await get('users.list')).status).toBe(200);
      const refused = await get('users.list');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.json()).toEqual({ ok: false, error: 'ratelimited' });
      expect((await get('users.info')).status).toBe(200);
      expect((await get('users.list', USER_TOKEN)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('whoami (switchboard doctor)', () => {
  it('names the bot and workspace and reports the bot scopes with one auth.test', async () => {
    const own = await startSlackSandbox();
    try {
      const client = await server.client(
        { botToken: own.botToken, userToken: undefined, apiUrl: own.url, dms: undefined },
        { fetch: globalThis.fetch, key: 'whoami-test' },
      );
      const me = await server.whoami!(client, AbortSignal.timeout(5000));
      expect(me.identity).toBe('@switchboard (U0BOTSWB01) in Sandbox Co (T0SANDBOX1)');
      expect(me.scopes).toContain('chat:write');
      expect(own.calls()).toEqual(['auth.test']);
    } finally {
      await own.close();
    }
  });
});
