/**
 * Confluence Data Center / Server: a personal access token (Bearer), REST v1 under a context path, start/limit
 * paging; every tool works through REST v1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfluenceUnderTest, startConfluence } from './helpers.ts';

describe('Data Center over stdio', () => {
  let c: ConfluenceUnderTest;
  beforeAll(async () => {
    c = await startConfluence({
      transport: 'stdio',
      args: ['--toolsets', 'all'],
      sandbox: { deployment: 'datacenter', contextPath: '/confluence' },
      // Inferred from a PAT on a non-atlassian.net host; the sandbox also sets it explicitly.
      env: { CONFLUENCE_DEPLOYMENT: '' },
    });
  });
  afterAll(async () => {
    await c?.close();
  });
  const call = (name: string, args: Record<string, unknown> = {}) => c.harness.callTool(name, args);

  it('reads: who am I, spaces, search, pages and the tree', async () => {
    expect((await call('get_me')).text).toBe('Alice Example · username alice · Confluence Data Center');
    expect((await call('list_spaces', { limit: 2 })).text).toMatch(
      /^ENG Engineering \(global\)\nOPS [\s\S]*more with cursor="2"/,
    );
    expect((await call('list_spaces', { limit: 2, cursor: '2' })).text).toContain('~alice');
    expect((await call('get_space', { space: 'OPS' })).text).toMatch(
      /^OPS · Operations · global · id 98306 · home page/,
    );
    const hits = await call('search', { cql: 'space = ENG', limit: 2 });
    expect(hits.text).toContain('more with cursor="2"');
    const page = await call('get_page', { id: '1000002' });
    expect(page.text).toMatch(
      /^# Onboarding\npage 1000002 · space ENG · v1 2026-01-05 · parent 1000001 · http:\/\/127\.0\.0\.1:\d+\/confluence\/pages\/viewpage\.action\?pageId=1000002/,
    );
    expect(page.text).toContain('- [x] Get a laptop');
    expect(page.text).toContain('[macro: jira server="System JIRA" key=ENG-42]');
    expect((await call('get_page_children', { id: '1000001' })).text).toContain('1000004 Release notes');
    expect((await call('get_page_ancestors', { id: '1000005' })).text).toBe(
      '1000001 Engineering home > 1000004 Release notes > 1000005 Release 2.4',
    );
  });

  it('writes: create and update with versions, conflict on a stale one', async () => {
    const created = await call('create_page', { space: 'OPS', title: 'DC page', body: '*hello*', parentId: '1000006' });
    expect(created.text).toMatch(/^Created page (\d+) "DC page" in OPS \(v1\)/);
    const id = /^Created page (\d+)/.exec(created.text)?.[1] ?? '';
    expect(c.sandbox.state.pages.get(id)?.body).toBe('<p><em>hello</em></p>');
    expect((await call('update_page', { id, version: 1, body: 'v2 text' })).text).toContain('to v2');
    const stale = await call('update_page', { id, version: 1, body: 'lost' });
    expect(stale.text).toMatch(/^Conflict: page \d+ is at version 2, not 1/);
  });

  it('comments, labels and attachments through REST v1', async () => {
    const list = await call('list_comments', { pageId: '1000003' });
    expect(list.text).toMatch(
      /^comment \d+ · by Bob Builder · 2026-01-05\n<untrusted from="comment">\nShould the ledger own refunds\?/,
    );
    expect((await call('add_comment', { pageId: '1000003', body: 'From *DC*' })).text).toMatch(
      /^Added comment \d+ to page 1000003$/,
    );
    expect((await call('list_comments', { pageId: '1000003' })).text).toContain('From _DC_');
    expect((await call('list_labels', { pageId: '1000003' })).text).toBe('architecture, platform\n(2 shown; end)');
    expect((await call('add_label', { pageId: '1000003', labels: ['dc'] })).text).toBe(
      'Labels on page 1000003: architecture, platform, dc',
    );
    expect((await call('list_attachments', { pageId: '1000003' })).text).toMatch(
      /^architecture\.png · image\/png · 178 KB · id att\d+ · http:\/\/127\.0\.0\.1:\d+\/confluence\/download\/attachments\/1000003\/architecture\.png\?version=1&api=v2$/m,
    );
  });

  it('sent Bearer-authenticated requests to <context>/rest/api only', () => {
    const sent = c.sandbox.upstream.requests;
    expect(sent.length).toBeGreaterThan(5);
    for (const q of sent) {
      expect(q.path).toMatch(/^\/confluence\/rest\/api\//);
      expect(q.headers.authorization).toMatch(/^Bearer /);
    }
  });
});
