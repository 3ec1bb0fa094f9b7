/**
 * The Slack server as a whole, through a real MCP client: start-up cost, credentials, token scopes, channel
 * policy (read vs post, ids and names), DMs, Slack's rate limits, upstream faults and secret hygiene.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type SlackSandbox, startSlackSandbox } from '../src/sandbox/index.ts';
import { auditLines, type SlackUnderTest, startSlack, TRANSPORTS } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'sb-slack-'));
function policyFile(name: string, body: object): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(body));
  return path;
}

describe.each(TRANSPORTS)('start-up over %s', (transport) => {
  it('makes no Slack calls for initialize and tools/list; the first tool call does', async () => {
    const s = await startSlack({ transport });
    try {
      const names = (await s.harness.listTools()).map((t) => t.name);
      expect(names).toContain('get_channel_history');
      expect(names).not.toContain('upload_file');
      // Whatever start-up might do in the background has had time to happen.
      await new Promise((r) => setTimeout(r, 300));
      expect(s.sandbox.upstream.requests).toEqual([]);
      await s.ok('get_me');
      expect(s.sandbox.calls()).toEqual(['auth.test', 'auth.test']);
    } finally {
      await s.close();
    }
  });
});

describe('credentials', () => {
  it('names SLACK_BOT_TOKEN when it is missing, and SLACK_USER_TOKEN when search needs it', async () => {
    const s = await startSlack({ transport: 'stdio', env: { SLACK_BOT_TOKEN: '', SLACK_USER_TOKEN: '' } });
    try {
      const r = await s.harness.callTool('list_channels', {});
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/^Authentication failed: SLACK_BOT_TOKEN is not set/);
      expect(r.text).toContain('xoxb-');
    } finally {
      await s.close();
    }
    const botOnly = await startSlack({ transport: 'stdio', env: { SLACK_USER_TOKEN: '' } });
    try {
      const r = await botOnly.harness.callTool('search_messages', { query: 'deploy' });
      expect(r.text).toMatch(/^Authentication failed: search needs a user token: SLACK_USER_TOKEN is not set/);
      expect(botOnly.sandbox.upstream.requests).toEqual([]);
    } finally {
      await botOnly.close();
    }
  });

  it('reports a rejected token as an auth error, without echoing it', async () => {
    const bad = 'xoxb-1111111111-2222222222-notARealTokenAtAll00000';
    const s = await startSlack({ transport: 'http', env: { SLACK_BOT_TOKEN: bad } });
    try {
      const r = await s.harness.callTool('get_channel_info', { channel: 'C0ENGINEER' });
      expect(r.text).toMatch(/^Authentication failed: Slack refused get_channel_info: invalid_auth/);
      expect(r.text).toContain('SLACK_BOT_TOKEN');
      expect(r.text + s.stderr()).not.toContain(bad);
    } finally {
      await s.close();
    }
  });
});

describe('token scopes', () => {
  it('maps missing_scope to the scope needed, then hides tools the bot token cannot use', async () => {
    const token = 'xoxb-3333333333-4444444444-readOnlyBotToken000000';
    const s = await startSlack({
      transport: 'stdio',
      sandbox: { tokens: { [token]: { kind: 'bot', scopes: ['channels:read', 'channels:history', 'users:read'] } } },
      env: { SLACK_BOT_TOKEN: token },
    });
    try {
      // The first tools/list is answered before anything else happens (no Slack calls).
      expect((await s.harness.listTools()).map((t) => t.name)).toContain('post_message');
      const pins = await s.harness.callTool('list_pins', { channel: 'C0ENGINEER' });
      expect(pins.text).toMatch(/^Permission denied: Slack refused list_pins: missing_scope/);
      expect(pins.text).toContain('needs the pins:read scope');
      const names = await vi.waitFor(async () => {
        const listed = (await s.harness.listTools()).map((t) => t.name);
        expect(listed).not.toContain('post_message');
        return listed;
      });
      expect(names).toContain('get_channel_history');
      const post = await s.harness.callTool('post_message', { channel: 'C0ENGINEER', text: 'x' });
      expect(post.text).toMatch(/^Permission denied: post_message needs one of the token scopes chat:write/);
      // A search answered with the user token does not replace what is known about the bot token.
      await s.ok('search_messages', { query: 'deploy' });
      expect((await s.harness.listTools()).map((t) => t.name)).not.toContain('post_message');
    } finally {
      await s.close();
    }
  });
});

describe.each(TRANSPORTS)('channel policy over %s', (transport) => {
  let s: SlackUnderTest;
  beforeAll(async () => {
    const policy = policyFile(`policy-${transport}.json`, {
      resources: {
        read: ['channel:#eng*', 'channel:#general', 'channel:[CG]*'],
        write: ['channel:#eng-backend', 'channel:[CG]*'],
      },
    });
    s = await startSlack({ transport, args: ['--policy', policy, '--toolsets', 'all'] });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('reads allowed channels by id or name; others are refused naming the rule', async () => {
    expect(await s.ok('get_channel_history', { channel: 'C0ENGINEER', limit: 1 })).toContain('C0ENGINEER');
    expect(await s.ok('get_channel_info', { channel: '#general' })).toContain('#general');
    const other = await s.harness.callTool('get_channel_history', { channel: 'C0RANDOM01' });
    expect(other.text).toMatch(/^Denied by policy: channel:#random is outside/);
    expect(other.text).toContain('rule: resources.read');
    const byName = await s.harness.callTool('get_channel_history', { channel: '#leadership' });
    expect(byName.text).toContain('rule: resources.read');
  });

  it('posts only where writes are allowed', async () => {
    expect(await s.ok('post_message', { channel: 'C0BACKEND1', text: 'allowed' })).toMatch(/^posted/);
    const engineering = await s.harness.callTool('post_message', { channel: '#engineering', text: 'blocked' });
    expect(engineering.text).toMatch(/^Denied by policy: channel:#engineering is read-only under the policy/);
    expect(engineering.text).toContain('rule: resources.write');
    const upload = await s.harness.callTool('upload_file', { channel: 'C0GENERAL1', filename: 'a', content: 'a' });
    expect(upload.text).toContain('rule: resources.write');
  });

  it('keeps search inside the allow-list', async () => {
    const unscoped = await s.harness.callTool('search_messages', { query: 'deploy' });
    expect(unscoped.text).toContain('channel:* is outside');
    expect(await s.ok('search_messages', { query: 'deploy in:#engineering' })).toMatch(/^\d+ matches/);
    const random = await s.harness.callTool('search_messages', { query: 'lunch in:#random' });
    expect(random.text).toContain('rule: resources.read');
    // Slack reads modifiers in any case, and an in: inside a quoted phrase as text: neither may slip through.
    const mixed = await s.harness.callTool('search_messages', { query: 'deploy in:#engineering IN:#random' });
    expect(mixed.text).toContain('channel:#random is outside');
    const quoted = await s.harness.callTool('search_messages', { query: '"in:#engineering" deploy' });
    expect(quoted.text).toContain('channel:* is outside');
  });

  it('refuses DMs while SLACK_DMS is off', async () => {
    const history = await s.harness.callTool('get_channel_history', { channel: 'D0ALICEBOT' });
    expect(history.text).toMatch(/^Denied by policy: direct messages are off for reading \(rule: SLACK_DMS=off\)/);
    const dm = await s.harness.callTool('post_message', { channel: 'U0ALICE001', text: 'hi' });
    expect(dm.text).toContain('direct messages are off for writing');
    const mpim = await s.harness.callTool('get_channel_history', { channel: 'G0MPIM0001' });
    expect(mpim.text).toContain('direct messages are off');
    const list = await s.harness.callTool('list_channels', { types: ['im'] });
    expect(list.text).toContain('SLACK_DMS');
  });
});

describe('id-style allow-lists and DM settings', () => {
  it('an allow-list of ids (with any name) works; SLACK_DMS=read allows reading DMs but not writing them', async () => {
    const policy = policyFile('ids.json', { resources: { read: ['channel:C0ENGINEER', 'channel:#*', 'im:*'] } });
    const s = await startSlack({ transport: 'stdio', args: ['--policy', policy], env: { SLACK_DMS: 'read' } });
    try {
      expect(await s.ok('get_channel_history', { channel: '#engineering', limit: 1 })).toContain('1 messages');
      expect((await s.harness.callTool('get_channel_history', { channel: '#general' })).text).toContain(
        'channel:C0GENERAL1 is outside',
      );
      expect(await s.ok('get_channel_history', { channel: 'D0ALICEBOT' })).toContain('@alice');
      const search = await s.ok('search_messages', { query: 'in:#engineering deploy' });
      expect(search).toMatch(/^\d+ matches/);
      const write = await s.harness.callTool('post_message', { channel: 'D0ALICEBOT', text: 'hi' });
      expect(write.text).toContain('direct messages are off for writing (rule: SLACK_DMS=read)');
    } finally {
      await s.close();
    }
  });
});

describe('search with DMs readable', () => {
  it('reaches DMs only where the policy allows im:*, even when it allows every channel', async () => {
    const policy = policyFile('channels-only.json', { resources: { read: ['channel:*'] } });
    const s = await startSlack({ transport: 'stdio', args: ['--policy', policy], env: { SLACK_DMS: 'read' } });
    try {
      const { state } = s.sandbox;
      const dm = state.channels.get('D0ALICEBOT')!;
      state.addMessage(dm, { ts: state.nextTs(), user: 'U0ALICE001', text: 'salary zebra', reactions: [] });
      const everywhere = await s.harness.callTool('search_messages', { query: 'zebra' });
      expect(everywhere.text).toMatch(/^Denied by policy: im:\* is outside/);
      expect(everywhere.text).not.toContain('salary');
      const withAlice = await s.harness.callTool('search_messages', { query: 'zebra in:@alice' });
      expect(withAlice.text).toMatch(/^Denied by policy: im:\* is outside/);
      expect(await s.ok('search_messages', { query: 'deploy in:#engineering', limit: 1 })).toMatch(/^\d+ matches/);
    } finally {
      await s.close();
    }
  });
});

describe("Slack's rate limits", () => {
  let sandbox: SlackSandbox;
  let s: SlackUnderTest;
  beforeAll(async () => {
    // Two history calls per 1.5 s window per token, as a tier would allow per minute.
    sandbox = await startSlackSandbox({ rateLimits: { 'conversations.history': 2 }, rateLimitWindowMs: 1500 });
    const policy = policyFile('limits.json', { callTimeoutSeconds: 8, cache: { enabled: false } });
    s = await startSlack({ transport: 'stdio', useSandbox: sandbox, args: ['--policy', policy] });
  });
  afterAll(async () => {
    await s?.close();
    await sandbox?.close();
  });

  const count = (method: string) => sandbox.calls().filter((c) => c === method).length;
  const statuses = (method: string) =>
    sandbox.upstream.requests.filter((r) => r.path === `/api/${method}`).map((r) => r.status);

  it('a tier window used up: the call waits for Retry-After and succeeds', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await s.harness.callTool('get_channel_history', { channel: 'C0ENGINEER', limit: 5 });
      expect(r.isError, r.text).toBe(false);
    }
    expect(statuses('conversations.history')).toEqual([200, 200, 429, 200]);
  });

  it('a 429 storm on conversations.history is ridden out by waiting, not by failing', async () => {
    sandbox.upstream.clearRequests();
    sandbox.upstream.addFault({
      fault: { kind: 'rate_limit', status: 429, retryAfterSeconds: 1, body: { ok: false, error: 'ratelimited' } },
      match: { path: '/api/conversations.history' },
      times: 2,
    });
    const r = await s.harness.callTool('get_channel_history', { channel: 'C0BACKEND1', limit: 5 });
    expect(r.isError, r.text).toBe(false);
    expect(r.text).toContain('5 messages');
    expect(statuses('conversations.history')).toEqual([429, 429, 200]);
  });

  it('a long Retry-After fails history fast, naming the method, and holds back only that method', async () => {
    sandbox.upstream.clearRequests();
    sandbox.upstream.addFault({
      fault: { kind: 'rate_limit', status: 429, retryAfterSeconds: 120, body: { ok: false, error: 'ratelimited' } },
      match: { path: '/api/conversations.history' },
      times: Number.POSITIVE_INFINITY,
    });
    const r = await s.harness.callTool('get_channel_history', { channel: 'C0GENERAL1' });
    expect(r.text).toMatch(/^Rate limited: .* \(HTTP 429\) Retry after 2min\./);
    expect(count('conversations.history')).toBe(1);
    const again = await s.harness.callTool('get_channel_history', { channel: 'C0GENERAL1' });
    expect(again.text).toMatch(/^Rate limited: the conversations\.history \(tier 3\) rate limit/);
    expect(count('conversations.history')).toBe(1);
    // Other methods are not held back.
    expect(await s.ok('post_message', { channel: 'C0ENGINEER', text: 'still posting' })).toMatch(/^posted/);
    expect(
      await s.ok('get_thread_replies', {
        channel: 'C0ENGINEER',
        thread_ts: sandbox.state.channels.get('C0ENGINEER')!.messages.find((m) => m.thread_ts === m.ts)!.ts,
      }),
    ).toContain('thread');
    sandbox.upstream.clearFaults();
  });

  it('5xx (retried for reads) and malformed JSON end in a clear error', async () => {
    sandbox.upstream.addFault({ fault: { kind: 'status', status: 503 }, match: { path: '/api/users.list' }, times: 1 });
    expect(await s.ok('list_users', { limit: 2 })).toContain('U0ALICE001');
    sandbox.upstream.addFault({
      fault: { kind: 'status', status: 500, body: 'oops' },
      match: { path: '/api/users.list' },
      times: Number.POSITIVE_INFINITY,
    });
    const down = await s.harness.callTool('list_users', { limit: 3 });
    expect(down.text).toMatch(/^Upstream error/);
    sandbox.upstream.clearFaults();
    sandbox.upstream.addFault({ fault: { kind: 'malformed_json' }, match: { path: '/api/users.info' }, times: 1 });
    const malformed = await s.harness.callTool('get_user', { user: 'U0BOB00002' });
    expect(malformed.text).toMatch(/^Upstream error: .*malformed JSON/);
  });
});

describe.each(TRANSPORTS)('hygiene over %s', (transport) => {
  it('never reveals xoxb-/xoxp- tokens in results, errors, logs or audit lines', async () => {
    const bot = 'xoxb-9999999999-8888888888-CANARYcanaryCANARYcanary01';
    const user = 'xoxp-9999999999-7777777777-6666666666-CANARYcanaryCANARYcanaryCANARY02';
    const s = await startSlack({
      transport,
      args: ['--toolsets', 'all', '--log-level', 'debug'],
      sandbox: { tokens: { [bot]: { kind: 'bot' }, [user]: { kind: 'user' } } },
      env: { SLACK_BOT_TOKEN: bot, SLACK_USER_TOKEN: user },
    });
    try {
      const calls: [string, Record<string, unknown>][] = [
        ['get_me', {}],
        ['get_channel_history', { channel: 'C0ENGINEER', limit: 3 }],
        ['get_channel_info', { channel: `#${bot}` }],
        ['search_messages', { query: user }],
        ['post_message', { channel: 'C0ENGINEER', text: `leak ${bot} ${user}` }],
        ['get_user', { user: bot }],
      ];
      let all = '';
      for (const [name, args] of calls) all += (await s.harness.callTool(name, args)).text;
      const lines = await vi.waitFor(() => {
        const found = auditLines(s.stderr());
        expect(found.length).toBe(calls.length);
        return found;
      });
      for (const secret of [bot, user]) {
        for (const form of [
          secret,
          Buffer.from(secret).toString('base64').replace(/=+$/, ''),
          encodeURIComponent(secret),
        ]) {
          expect(all).not.toContain(form);
          expect(s.stderr()).not.toContain(form);
        }
      }
      expect(lines.find((l) => l.tool === 'get_channel_history')).toMatchObject({
        server: 'slack',
        outcome: 'ok',
        resource: ['channel:C0ENGINEER'],
      });
      if (transport === 'stdio') {
        for (const line of s.harness.stdoutLines()) expect(JSON.parse(line).jsonrpc).toBe('2.0');
      }
    } finally {
      await s.close();
    }
  });
});
