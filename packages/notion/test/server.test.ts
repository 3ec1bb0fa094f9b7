/**
 * The Notion server as a whole, through a real MCP client: credentials, policy scoping by page subtree,
 * secret hygiene, audit and read-only mode (faults: faults.test.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import server from '../src/index.ts';
import { SEED, startNotionSandbox } from '../src/sandbox/index.ts';
import { auditLines, type NotionUnderTest, startNotion, TRANSPORTS } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'sb-notion-'));
const rowIdDashed = (id: string) =>
  `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`;
function policyFile(name: string, body: object): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(body));
  return path;
}

describe('credentials', () => {
  it('lists tools but answers calls with an auth error naming NOTION_TOKEN when no token is set', async () => {
    const n = await startNotion({ transport: 'stdio', env: { NOTION_TOKEN: '' } });
    try {
      expect((await n.harness.listTools()).length).toBeGreaterThan(10);
      const r = await n.harness.callTool('get_me', {});
      expect(r.isError).toBe(true);
      expect(r.text).toContain('NOTION_TOKEN or NOTION_API_KEY is not set');
    } finally {
      await n.close();
    }
  });

  it('accepts NOTION_API_KEY, and reports a rejected token as an auth error without echoing it', async () => {
    const sandbox = await startNotionSandbox();
    const bad = 'ntn_notARealToken00000000000000000000000000000000';
    const [alias, wrong] = await Promise.all([
      startNotion({
        transport: 'stdio',
        useSandbox: sandbox,
        env: { NOTION_TOKEN: '', NOTION_API_KEY: sandbox.token },
      }),
      startNotion({ transport: 'http', useSandbox: sandbox, env: { NOTION_TOKEN: bad } }),
    ]);
    try {
      const me = await alias.harness.callTool('get_me', {});
      expect(me.isError, me.text).toBe(false);
      expect(me.text).toContain('Switchboard Sandbox');
      const r = await wrong.harness.callTool('get_page', { page_id: SEED.engineering });
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/^Authentication failed: Notion rejected the token/);
      expect(r.text).toContain('NOTION_TOKEN');
      expect(r.text + wrong.stderr()).not.toContain(bad);
    } finally {
      await Promise.all([alias.close(), wrong.close()]);
      await sandbox.close();
    }
  });
});

describe('sandbox mode and whoami', () => {
  it('--sandbox runs without credentials against the local fake', async () => {
    const n = await startNotion({
      transport: 'stdio',
      args: ['--sandbox'],
      env: { NOTION_TOKEN: '', NOTION_API_URL: '' },
    });
    try {
      const r = await n.harness.callTool('get_page', { page_id: SEED.roadmap });
      expect(r.isError, r.text).toBe(false);
      expect(r.text).toContain('# Roadmap');
    } finally {
      await n.close();
    }
  });

  it('whoami names the integration and its workspace', async () => {
    const sandbox = await startNotionSandbox();
    try {
      const client = await server.client({ token: sandbox.token, apiUrl: sandbox.url }, { fetch, key: 'test' });
      const who = await server.whoami?.(client, AbortSignal.timeout(5000));
      expect(who).toEqual({ identity: 'Switchboard Sandbox (bot) in workspace Acme' });
    } finally {
      await sandbox.close();
    }
  });
});

describe('request pacing', () => {
  it('paces Notion to about 3 requests/s, but not a loopback API such as the sandbox', () => {
    const quota = server.http?.quota;
    expect(quota?.(new URL('https://api.notion.com/v1/users/me'), 'GET')).toEqual({
      name: 'api',
      limit: 9,
      windowMs: 3000,
    });
    expect(quota?.(new URL('http://127.0.0.1:4321/v1/users/me'), 'GET')).toBeUndefined();
  });
});

describe.each(TRANSPORTS)('page-subtree policy over %s', (transport) => {
  let n: NotionUnderTest;
  const eng = SEED.engineering;
  beforeAll(async () => {
    const policy = policyFile(`subtree-${transport}.json`, {
      toolsets: ['all'],
      resources: {
        read: [`page:${eng}/**`, `datasource:${eng}/**`, `page:${SEED.sharedChild}/**`],
        write: [`page:${eng}/${SEED.roadmap}/**`, `datasource:${eng}/**`],
      },
    });
    n = await startNotion({ transport, args: ['--policy', policy] });
  });
  afterAll(async () => {
    await n?.close();
  });

  it('reads inside the subtree, at any depth and id form; refuses pages outside it, naming the rule', async () => {
    const root = await n.harness.callTool('get_page', { page_id: eng.replace(/-/g, '') });
    expect(root.isError, root.text).toBe(false);
    expect((await n.harness.callTool('get_page', { page_id: SEED.roadmap })).isError).toBe(false);
    const rows = await n.harness.callTool('query_data_source', { data_source_id: SEED.tasks });
    expect(rows.isError, rows.text).toBe(false);
    const rowId = /\n([0-9a-f]{32}) \|/.exec(rows.text)?.[1] as string;
    expect((await n.harness.callTool('get_page', { page_id: rowId, body: false })).isError).toBe(false);
    for (const outside of [SEED.private, SEED.handbook]) {
      const r = await n.harness.callTool('get_page', { page_id: outside });
      expect(r.isError).toBe(true);
      expect(r.text).toContain(`page:${outside} is outside the resources`);
      expect(r.text).toContain('rule: resources.read');
    }
    // A page inside a toggle block: the block is skipped in the path. A page shared on its own under a page
    // the integration cannot see: its path starts at itself.
    expect((await n.harness.callTool('get_page', { page_id: SEED.spec })).isError).toBe(false);
    const shared = await n.harness.callTool('get_page', { page_id: SEED.sharedChild });
    expect(shared.isError, shared.text).toBe(false);
    expect(shared.text).toContain('Shared with the integration on its own.');
    if (transport === 'stdio') {
      const resources = await vi.waitFor(() => {
        const found = auditLines(n.stderr())
          .filter((l) => l.tool === 'get_page' && l.outcome === 'ok')
          .map((l) => l.resource?.[0]);
        expect(found).toContain(`page:${SEED.sharedChild}`);
        return found;
      });
      expect(resources).toContain(`page:${eng}/${SEED.roadmap}/${SEED.spec}`);
      expect(resources).toContain(`page:${eng}/${SEED.tasksDatabase}/${SEED.tasks}/${rowIdDashed(rowId)}`);
    }
    // Search reaches the whole workspace, so a subtree-scoped agent cannot use it.
    const search = await n.harness.callTool('search', { query: 'salary' });
    expect(search.text).toContain('rule: resources.read');
    // No resource: always fine.
    expect((await n.harness.callTool('get_me', {})).isError).toBe(false);
  });

  it('writes only in the writable subtree; the audit line names the resolved path', async () => {
    const inside = await n.harness.callTool('append_markdown', { block_id: SEED.roadmap, markdown: 'Allowed' });
    expect(inside.isError, inside.text).toBe(false);
    const roadmapBlock = n.sandbox.state.liveChildren(SEED.roadmap)[0]?.id as string;
    const edit = await n.harness.callTool('update_block', {
      block_id: roadmapBlock,
      markdown: '## Q3 plan',
      confirm: true,
    });
    expect(edit.isError, edit.text).toBe(false);
    const outside = await n.harness.callTool('append_markdown', { block_id: eng, markdown: 'Denied' });
    expect(outside.isError).toBe(true);
    expect(outside.text).toContain('rule: resources.write');
    expect(n.sandbox.state.liveChildren(eng).some((b) => b.content.rich_text?.[0]?.plain_text === 'Denied')).toBe(
      false,
    );
    const created = await n.harness.callTool('create_page', { parent_page_id: SEED.roadmap, title: 'Child' });
    expect(created.isError, created.text).toBe(false);
    const row = await n.harness.callTool('create_page', { data_source_id: SEED.tasks, title: 'Row' });
    expect(row.isError, row.text).toBe(false);
    if (transport === 'stdio') {
      const lines = await vi.waitFor(() => {
        const found = auditLines(n.stderr()).filter((l) => l.tool === 'append_markdown');
        expect(found).toHaveLength(2);
        return found;
      });
      expect(lines[0]?.resource).toEqual([`page:${eng}/${SEED.roadmap}`]);
      expect(lines[1]?.decision).toBe('denied:resources.write');
    }
  });
});

describe('comment replies under resource allow-lists', () => {
  it('need the block the discussion is on, inside the policy, so no discussion elsewhere can be answered', async () => {
    const sandbox = await startNotionSandbox();
    const foreign = 'd0000000-0000-4000-8000-0000000000f0';
    sandbox.state.comments.push({
      id: 'c0000000-0000-4000-8000-0000000000f0',
      parent: { type: 'page_id', page_id: SEED.private },
      discussion_id: foreign,
      rich_text: [],
      created_by: SEED.ada,
      created_time: sandbox.state.now(),
    });
    // Only a read list: writes must stay inside it too.
    const policy = policyFile('comments.json', {
      toolsets: ['all'],
      resources: { read: [`page:${SEED.engineering}/**`] },
    });
    const n = await startNotion({ transport: 'stdio', useSandbox: sandbox, args: ['--policy', policy] });
    try {
      const before = sandbox.state.comments.length;
      const bare = await n.harness.callTool('add_comment', { discussion_id: foreign, markdown: 'sneaky' });
      expect(bare.isError).toBe(true);
      expect(bare.text).toContain('block_id');
      const disguised = await n.harness.callTool('add_comment', {
        block_id: SEED.roadmap,
        discussion_id: foreign,
        markdown: 'sneaky',
      });
      expect(disguised.isError).toBe(true);
      expect(disguised.text).toContain('is not on');
      expect(sandbox.state.comments.length).toBe(before);
      const reply = await n.harness.callTool('add_comment', {
        block_id: SEED.roadmap,
        discussion_id: 'd0000000-0000-4000-8000-000000000001',
        markdown: 'Fine',
      });
      expect(reply.isError, reply.text).toBe(false);
      expect(sandbox.state.comments.at(-1)?.discussion_id).toBe('d0000000-0000-4000-8000-000000000001');
    } finally {
      await n.close();
      await sandbox.close();
    }
  });
});

describe.each(TRANSPORTS)('hygiene over %s', (transport) => {
  it('never reveals the token in results, errors, logs or audit lines; stdout carries only JSON-RPC', async () => {
    const canary = 'ntn_CANARYcanaryCANARYcanary0123456789abcdefABCDEFGH';
    const n = await startNotion({
      transport,
      args: ['--toolsets', 'all', '--log-level', 'debug'],
      sandbox: { tokens: [canary] },
      env: { NOTION_TOKEN: canary },
    });
    try {
      const calls: [string, Record<string, unknown>][] = [
        ['get_me', {}],
        ['search', { query: canary }],
        ['get_page', { page_id: SEED.engineering }],
        ['append_markdown', { block_id: SEED.roadmap, markdown: `leak ${canary}` }],
        ['get_page', { page_id: SEED.roadmap }],
        ['get_page', { page_id: SEED.hidden }],
      ];
      let all = '';
      for (const [name, args] of calls) all += (await n.harness.callTool(name, args)).text;
      await vi.waitFor(() => expect(auditLines(n.stderr()).length).toBe(calls.length));
      const forms = [canary, Buffer.from(canary).toString('base64').replace(/=+$/, ''), encodeURIComponent(canary)];
      for (const form of forms) {
        expect(all).not.toContain(form);
        expect(n.stderr()).not.toContain(form);
      }
      expect(all).toContain('leak');
      if (transport === 'stdio') {
        for (const line of n.harness.stdoutLines()) expect(JSON.parse(line).jsonrpc).toBe('2.0');
      }
    } finally {
      await n.close();
    }
  });
});

describe('read-only mode', () => {
  it('--read-only leaves only read tools', async () => {
    const n = await startNotion({ transport: 'stdio', args: ['--read-only', '--toolsets', 'all'] });
    try {
      const names = (await n.harness.listTools()).map((t) => t.name);
      expect(names).toContain('get_page');
      expect(names).toContain('query_data_source');
      expect(names.some((t) => /^(create|update|append|delete|archive|add)_/.test(t))).toBe(false);
    } finally {
      await n.close();
    }
  });
});

describe('2026-07-28 clients', () => {
  it('call tools statelessly over HTTP; destructive edits ask the user through input_required', async () => {
    let asked = 0;
    const n = await startNotion({
      transport: 'http',
      era: 'modern',
      onElicit: () => {
        asked++;
        return { action: 'decline' };
      },
    });
    try {
      expect(n.harness.era).toBe('modern');
      const page = await n.harness.callTool('get_page', { page_id: SEED.roadmap });
      expect(page.isError, page.text).toBe(false);
      const target = n.sandbox.state.liveChildren(SEED.roadmap)[0]?.id as string;
      const del = await n.harness.callTool('delete_block', { block_id: target });
      expect(del.text).toMatch(/^Declined/);
      expect(asked).toBe(1);
      expect(n.sandbox.state.blocks.get(target)?.archived).toBe(false);
    } finally {
      await n.close();
    }
  });
});
