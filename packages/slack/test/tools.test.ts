/**
 * Every tool through a real MCP client, over stdio and HTTP, against the sandbox; the requests the server sent
 * must conform to Slack's published Web API description.
 */
import { assertRequestsConform } from '@switchboard-mcp/testkit';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEWER_METHODS, type SlackUnderTest, slackApi, startSlack, TRANSPORTS } from './helpers.ts';

describe.each(TRANSPORTS)('tools over %s', (transport) => {
  let s: SlackUnderTest;
  beforeAll(async () => {
    s = await startSlack({ transport, args: ['--toolsets', 'all'], env: { SLACK_DMS: 'write' } });
  });
  afterAll(async () => {
    await s?.close();
  });

  const engineering = () => s.sandbox.state.channels.get('C0ENGINEER')!;

  it('get_me names the team, the bot, both tokens and their scopes', async () => {
    const text = await s.ok('get_me');
    expect(text).toContain('team: Sandbox Co (T0SANDBOX1)');
    expect(text).toContain('bot: @switchboard (U0BOTSWB01, B0BOTSWB01)');
    expect(text).toMatch(/bot scopes: .*chat:write/);
    expect(text).toMatch(/user scopes: .*search:read/);
  });

  it('list_channels: compact, filtered by name and membership, paged', async () => {
    const all = await s.ok('list_channels', {});
    expect(all).toContain('C0ENGINEER #engineering (9 members, member)');
    expect(all).toContain('G0LEADERS1 #leadership (private, 3 members, member)');
    expect(all).not.toContain('old-project');
    expect(all).not.toContain('topic');
    const filtered = await s.ok('list_channels', { name: 'eng' });
    expect(filtered.split('\n').filter((l) => l.startsWith('C'))).toHaveLength(2);
    const member = await s.ok('list_channels', { member_only: true });
    expect(member).not.toContain('#random');
    expect(member).toContain('#general');
    const first = await s.ok('list_channels', { limit: 2 });
    const cursor = /cursor="([^"]+)"/.exec(first)?.[1];
    expect(cursor).toBeTruthy();
    const second = await s.ok('list_channels', { limit: 2, cursor });
    expect(second).not.toContain(first.split('\n')[0]);
    // A name filter honours limit, and its cursor continues exactly where the page left off.
    const everyE = (await s.ok('list_channels', { name: 'e', limit: 200 })).split('\n').filter((l) => /^[CG]0/.test(l));
    expect(everyE.length).toBeGreaterThan(4);
    const paged: string[] = [];
    let next: string | undefined;
    for (let i = 0; i < everyE.length; i++) {
      const page = await s.ok('list_channels', { name: 'e', limit: 2, ...(next ? { cursor: next } : {}) });
      const lines = page.split('\n').filter((l) => /^[CG]0/.test(l));
      expect(lines.length).toBeLessThanOrEqual(2);
      paged.push(...lines);
      next = /cursor="([^"]+)"/.exec(page)?.[1];
      if (!next) break;
    }
    expect(paged).toEqual(everyE);
    const archived = await s.ok('list_channels', { include_archived: true, name: 'old' });
    expect(archived).toContain('#old-project (8 members, archived)');
  });

  it('with SLACK_DMS=write: DMs listed with the other user named, readable, and a user id posts as a DM', async () => {
    const text = await s.ok('list_channels', { types: ['im'] });
    expect(text).toContain('D0ALICEBOT @alice');
    expect(await s.ok('get_channel_history', { channel: 'D0ALICEBOT' })).toContain('@alice');
    expect(await s.ok('post_message', { channel: 'U0BOB00002', text: 'hello' })).toMatch(/^posted ts=\S+ in D\w+$/);
  });

  it.runIf(transport === 'stdio')(
    'tool schemas match the checked-in snapshot and stay within the token budget',
    async () => {
      const tools = await s.harness.listTools();
      await expect(`${JSON.stringify(tools, null, 2)}\n`).toMatchFileSnapshot('./tools.snapshot.json');
      // o200k tokens for the whole list (all toolsets): what every conversation pays up front.
      expect(encode(JSON.stringify(tools)).length).toBeLessThanOrEqual(2200);
      for (const tool of tools) {
        const props = Object.keys((tool.inputSchema as { properties?: object }).properties ?? {});
        const destructive = tool.annotations?.readOnlyHint !== true && tool.annotations?.destructiveHint !== false;
        expect(props.includes('confirm'), tool.name).toBe(destructive);
      }
    },
  );

  it('get_channel_info by #name: kind, members, creator and fenced topic', async () => {
    const text = await s.ok('get_channel_info', { channel: '#engineering' });
    expect(text).toMatch(/^C0ENGINEER #engineering \(public, 9 members, bot is member\)/);
    expect(text).toContain('by @alice');
    expect(text).toContain('<untrusted from="channel topic/purpose">\ntopic: Deploys, reviews, incidents');
    expect(await s.ok('get_channel_info', { channel: '#Engineering' })).toMatch(/^C0ENGINEER #engineering/);
  });

  it('get_channel_history: names resolved, threads as reply counts, window and paging', async () => {
    const text = await s.ok('get_channel_history', { channel: 'C0ENGINEER', limit: 100 });
    const lines = text.split('\n').filter((l) => /^\d{10}\.\d{6} /.test(l));
    expect(lines).toHaveLength(100);
    expect(text).not.toMatch(/@U0[A-Z0-9]+:/);
    expect(text).toMatch(/\d+ repl(y|ies)/);
    // Oldest first within the page.
    const ts = lines.map((l) => Number.parseFloat(l));
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
    // Replies are not listed in the channel, only counted.
    const reply = engineering().messages.find((m) => m.thread_ts && m.thread_ts !== m.ts)!;
    expect(text).not.toContain(reply.ts);
    const cursor = /cursor="([^"]+)"/.exec(text)?.[1];
    expect(cursor).toBeTruthy();
    const older = await s.ok('get_channel_history', { channel: 'C0ENGINEER', limit: 100, cursor });
    expect(older).toMatch(/\(\d+ shown; end\)/);

    const day = await s.ok('get_channel_history', { channel: '#engineering', since: '24h', limit: 200 });
    const cutoff = Date.now() / 1000 - 86_400;
    const dayTs = day
      .split('\n')
      .filter((l) => /^\d{10}\./.test(l))
      .map((l) => Number.parseFloat(l));
    expect(dayTs.length).toBeGreaterThan(0);
    expect(dayTs.every((t) => t >= cutoff - 5)).toBe(true);
    expect(dayTs.length).toBeLessThan(lines.length);
  });

  it('get_channel_history refuses a bad time window with the accepted forms', async () => {
    const r = await s.harness.callTool('get_channel_history', { channel: 'C0ENGINEER', since: 'yesterday-ish' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^Invalid arguments: since:/);
    expect(r.text).toContain('24h');
  });

  it('get_thread_replies: parent then replies', async () => {
    const parent = engineering().messages.find((m) => m.thread_ts === m.ts)!;
    const text = await s.ok('get_thread_replies', { channel: 'C0ENGINEER', thread_ts: parent.ts });
    const lines = text.split('\n').filter((l) => /^\d{10}\./.test(l));
    expect(lines[0]).toContain(parent.ts);
    expect(lines.length).toBe(1 + s.sandbox.state.replies(engineering(), parent.ts).length);
  });

  it('get_permalink and list_pins', async () => {
    const m = engineering().messages[0]!;
    expect(await s.ok('get_permalink', { channel: 'C0ENGINEER', ts: m.ts })).toBe(
      `https://sandbox-co.slack.com/archives/C0ENGINEER/p${m.ts.replace('.', '')}`,
    );
    const pins = await s.ok('list_pins', { channel: 'C0ENGINEER' });
    expect(pins).toContain('C0ENGINEER: 2 pins');
    expect(pins).toContain(engineering().pins[0]);
  });

  it('search_messages passes Slack syntax through and pages by number', async () => {
    const text = await s.ok('search_messages', { query: 'deploy in:#engineering', limit: 2 });
    expect(text).toMatch(/^\d+ matches/);
    expect(text).toContain('#engineering C0ENGINEER');
    expect(text).toContain('cursor="2"');
    const second = await s.ok('search_messages', { query: 'deploy in:#engineering', limit: 2, cursor: '2' });
    expect(second).not.toEqual(text);
    const from = await s.ok('search_messages', { query: 'from:@carol', sort: 'newest', limit: 5 });
    const fromLines = from.split('\n').filter((l) => / \d{10}\.\d{6} /.test(l));
    expect(fromLines).toHaveLength(5);
    expect(fromLines.every((l) => l.includes('@carol:'))).toBe(true);
  });

  it('post_message converts Markdown to mrkdwn and keeps mentions', async () => {
    const text = await s.ok('post_message', {
      channel: '#eng-backend',
      text: '## Deploy done\n**v2** is _live_, see [runbook](https://example.com/rb) <@U0BOB00002> & `a<b`',
    });
    const ts = /ts=(\S+)/.exec(text)?.[1] ?? '';
    expect(text).toBe(`posted ts=${ts} in C0BACKEND1`);
    const posted = s.sandbox.state.findMessage(s.sandbox.state.channels.get('C0BACKEND1')!, ts)!;
    expect(posted.text).toBe(
      '*Deploy done*\n\n*v2* is _live_, see <https://example.com/rb|runbook> <@U0BOB00002> &amp; `a&lt;b`',
    );
  });

  it('post_message with blocks, and Slack errors mapped to actionable text', async () => {
    const ok = await s.ok('post_message', {
      channel: 'C0ENGINEER',
      text: 'fallback',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }],
    });
    expect(ok).toMatch(/^posted ts=/);
    const notIn = await s.harness.callTool('post_message', { channel: '#random', text: 'hi' });
    expect(notIn.isError).toBe(true);
    expect(notIn.text).toMatch(/^Permission denied: Slack refused post_message: not_in_channel/);
    expect(notIn.text).toContain('/invite');
    const missing = await s.harness.callTool('post_message', { channel: '#no-such-channel', text: 'hi' });
    expect(missing.text).toMatch(/^Not found: no channel named #no-such-channel/);
    const unknownId = await s.harness.callTool('post_message', { channel: 'C0NOPE0000', text: 'hi' });
    expect(unknownId.text).toMatch(/^Not found: Slack refused post_message: channel_not_found/);
    const archived = await s.harness.callTool('post_message', { channel: 'C0OLDPROJ1', text: 'hi' });
    expect(archived.text).toMatch(/^Conflict: .*is_archived/);
    const badBlocks = await s.harness.callTool('post_message', {
      channel: 'C0ENGINEER',
      text: 'x',
      blocks: [{ nope: 1 }],
    });
    expect(badBlocks.text).toMatch(/^Invalid arguments: Slack refused post_message: invalid_blocks/);
  });

  it('reply_to_thread, update_message, reactions and delete_message (confirmed)', async () => {
    const parent = engineering().messages.find((m) => !m.thread_ts)!;
    const reply = await s.ok('reply_to_thread', {
      channel: 'C0ENGINEER',
      thread_ts: parent.ts,
      text: 'on it',
      broadcast: true,
    });
    const ts = /ts=(\S+)/.exec(reply)?.[1] ?? '';
    expect(s.sandbox.state.findMessage(engineering(), ts)).toMatchObject({ thread_ts: parent.ts, broadcast: true });
    expect(await s.ok('update_message', { channel: 'C0ENGINEER', ts, text: 'done **now**' })).toBe(
      `updated ts=${ts} in C0ENGINEER`,
    );
    expect(s.sandbox.state.findMessage(engineering(), ts)?.text).toBe('done *now*');
    expect(await s.ok('add_reaction', { channel: 'C0ENGINEER', ts, name: ':white_check_mark:' })).toBe(
      `added :white_check_mark: to ${ts}`,
    );
    expect(await s.ok('add_reaction', { channel: 'C0ENGINEER', ts, name: 'white_check_mark' })).toContain(
      'was already there',
    );
    expect(await s.ok('remove_reaction', { channel: 'C0ENGINEER', ts, name: 'white_check_mark' })).toBe(
      `removed :white_check_mark: from ${ts}`,
    );
    const others = await s.harness.callTool('update_message', { channel: 'C0ENGINEER', ts: parent.ts, text: 'x' });
    expect(others.text).toMatch(/^Permission denied: .*cant_update_message/);
    const unconfirmed = await s.harness.callTool('delete_message', { channel: 'C0ENGINEER', ts });
    expect(unconfirmed.isError).toBe(true);
    expect(unconfirmed.text).toMatch(/^Confirmation required/);
    expect(await s.ok('delete_message', { channel: 'C0ENGINEER', ts, confirm: true })).toBe(
      `deleted ts=${ts} in C0ENGINEER`,
    );
    expect(s.sandbox.state.findMessage(engineering(), ts)).toBeUndefined();
  });

  it('schedule_message: ahead durations and ISO times; past times refused', async () => {
    const text = await s.ok('schedule_message', { channel: '#engineering', text: 'standup in 5', post_at: '2h' });
    expect(text).toMatch(/^scheduled Q\w+ in C0ENGINEER for \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    const scheduled = s.sandbox.state.scheduled.at(-1)!;
    expect(Math.abs(scheduled.post_at - (Date.now() / 1000 + 7200))).toBeLessThan(60);
    const past = await s.harness.callTool('schedule_message', {
      channel: 'C0ENGINEER',
      text: 'x',
      post_at: '2020-01-01T00:00:00Z',
    });
    expect(past.text).toMatch(/^Invalid arguments: .*time_in_past/);
  });

  it('list_users and get_user by id, handle and email', async () => {
    const list = await s.ok('list_users', {});
    expect(list).toContain('U0ALICE001 @alice (Alice Nakamura) [owner]');
    expect(list).toContain('U0BOTSWB01 @switchboard (Switchboard) [bot]');
    expect(list).not.toContain('ivan');
    expect(await s.ok('list_users', { query: 'díaz' })).toMatch(/^U0CAROL003 @carol/);
    expect(await s.ok('list_users', { include_deleted: true, query: 'ivan' })).toContain('[deactivated]');
    const byId = await s.ok('get_user', { user: 'U0CAROL003' });
    expect(byId).toContain('title: SRE');
    expect(byId).toContain('status: :pager: On call');
    expect(await s.ok('get_user', { user: '@bob' })).toMatch(/^U0BOB00002 @bob/);
    expect(await s.ok('get_user', { user: 'dave@sandbox-co.example' })).toMatch(/^U0DAVE0004 @dave/);
    const none = await s.harness.callTool('get_user', { user: 'nobody@sandbox-co.example' });
    expect(none.text).toMatch(/^Not found: .*users_not_found/);
  });

  it('upload_file uses the external upload flow and bounds the size', async () => {
    const text = await s.ok('upload_file', {
      channel: 'C0ENGINEER',
      filename: 'report.csv',
      content: 'a,b\n1,2\n',
      comment: 'Weekly **report**',
    });
    expect(text).toMatch(/^uploaded F\w+ report\.csv \(8 bytes\) to C0ENGINEER$/);
    const last = engineering().messages.at(-1)!;
    expect(last.text).toBe('Weekly *report*');
    expect(s.sandbox.state.files.get(last.files![0]!)).toMatchObject({ size: 8, uploaded: true });
    const binary = await s.ok('upload_file', {
      channel: 'C0ENGINEER',
      filename: 'x.bin',
      content_base64: Buffer.from([0, 1, 2, 3]).toString('base64'),
    });
    expect(binary).toContain('(4 bytes)');
    const notBase64 = await s.harness.callTool('upload_file', {
      channel: 'C0ENGINEER',
      filename: 'x.png',
      content_base64: 'this is not base64!',
    });
    expect(notBase64.text).toMatch(/^Invalid arguments: content_base64 is not valid base64/);
    s.sandbox.upstream.addFault({ fault: { kind: 'status', status: 500 }, match: { path: '/__upload/*' }, times: 1 });
    const refused = await s.harness.callTool('upload_file', { channel: 'C0ENGINEER', filename: 'x.txt', content: 'x' });
    expect(refused.text).toMatch(/^Upstream error: Slack answered HTTP 500/);
    const big = await s.harness.callTool('upload_file', {
      channel: 'C0ENGINEER',
      filename: 'big.txt',
      content: 'x'.repeat(512 * 1024 + 1),
    });
    expect(big.text).toMatch(/^Invalid arguments: the file is 524289 bytes; the limit is 524288/);
    const both = await s.harness.callTool('upload_file', {
      channel: 'C0ENGINEER',
      filename: 'a',
      content: 'a',
      content_base64: 'YQ==',
    });
    expect(both.text).toContain('exactly one of content or content_base64');
  });

  it('bad input names the field and the allowed values', async () => {
    const r = await s.harness.callTool('list_channels', { types: ['public', 'dm'], limit: 1000 });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^Invalid arguments/);
    expect(r.text).toContain('types');
    expect(r.text).toContain('limit');
    const ts = await s.harness.callTool('add_reaction', { channel: 'C0ENGINEER', ts: 'yesterday', name: 'x' });
    expect(ts.text).toContain('ts');
  });

  it('every request conforms to the Slack Web API description', () => {
    expect(s.sandbox.upstream.requests.length).toBeGreaterThan(30);
    assertRequestsConform(slackApi(), s.sandbox.upstream.requests, { allow: NEWER_METHODS });
  });
});
