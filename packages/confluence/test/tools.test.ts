/**
 * Every Confluence tool through a real MCP client, over stdio and HTTP, against the Cloud sandbox; the requests
 * the server sent are checked against Atlassian's REST v2 description at the end.
 */
import { assertRequestsConform } from '@switchboard-mcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfluenceUnderTest, confluenceApi, startConfluence, TRANSPORTS, V1_ALLOW } from './helpers.ts';

/** Seeded page ids (see src/sandbox/seed.ts). */
const HOME = '1000001';
const ONBOARDING = '1000002';
const ARCH = '1000003';
const NOTES = '1000004';
const RELEASE = '1000005';

describe.each(TRANSPORTS)('tools over %s', (transport) => {
  let c: ConfluenceUnderTest;
  beforeAll(async () => {
    c = await startConfluence({ transport, args: ['--toolsets', 'all'] });
  });
  afterAll(async () => {
    await c?.close();
  });
  const call = (name: string, args: Record<string, unknown> = {}) => c.harness.callTool(name, args);

  it('get_me names the account', async () => {
    const r = await call('get_me');
    expect(r.isError).toBe(false);
    expect(r.text).toBe(
      'Alice Example · accountId 557058:a1ice000-0000-4000-8000-000000000001 · alice@example.com · Confluence Cloud',
    );
  });

  it('list_spaces pages with a cursor; get_space shows key, home page and description', async () => {
    const first = await call('list_spaces', { limit: 2 });
    expect(first.text).toContain('ENG Engineering (global)\nOPS Operations (global)');
    const cursor = /cursor="([^"]+)"/.exec(first.text)?.[1];
    expect(cursor).toBeTruthy();
    const second = await call('list_spaces', { limit: 2, cursor });
    expect(second.text).toBe('~alice Alice Example (personal)\n(1 shown; end)');
    const eng = await call('get_space', { space: 'ENG' });
    expect(eng.text).toMatch(
      /^ENG · Engineering · global · id 98305 · home page 1000001 · http:\/\/127\.0\.0\.1:\d+\/wiki\/spaces\/ENG/,
    );
    expect(eng.text).toContain('<untrusted from="space description">\nHow we build things.\n</untrusted>');
    const none = await call('get_space', { space: 'NOPE' });
    expect(none.isError).toBe(true);
    expect(none.text).toMatch(/^Not found: no space with key NOPE\. .*list_spaces/);
  });

  it('search runs CQL and answers compact hits with clean excerpts', async () => {
    const r = await call('search', { cql: 'text ~ "ledger" AND space = ENG' });
    expect(r.isError).toBe(false);
    expect(r.text).toContain(`${ARCH} Architecture overview · ENG · 2026-01-05`);
    expect(r.text).not.toContain('@@@hl@@@');
    expect(r.text).toMatch(/\(1 shown; end\) of 1$/);
    const paged = await call('search', { cql: 'space = ENG order by title asc', limit: 2 });
    expect(paged.text).toContain('Architecture overview');
    const cursor = /cursor="([^"]+)"/.exec(paged.text)?.[1];
    const next = await call('search', { cql: 'space = ENG order by title asc', limit: 2, cursor });
    expect(next.text).toContain('Onboarding');
    expect(next.text).not.toContain('Architecture overview');
    const empty = await call('search', { cql: 'title ~ "zzzz-nothing"' });
    expect(empty.text).toBe('No results.');
    const bad = await call('search', { cql: 'space === ENG' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/^Invalid arguments: .*Could not parse cql.*Fix the CQL and retry/);
  });

  it('get_page gives Markdown with macros as placeholders, in parts when long', async () => {
    const r = await call('get_page', { id: ARCH, maxChars: 2000 });
    expect(r.isError).toBe(false);
    expect(r.text).toMatch(
      /^# Architecture overview\npage 1000003 · space ENG · v1 2026-01-05 · parent 1000001 · http/,
    );
    expect(r.text).toContain('[status: IN REVIEW (Yellow)]');
    expect(r.text).toContain('Owner: [@Alice Example](user:557058:a1ice000-0000-4000-8000-000000000001).');
    expect(r.text).toContain('[macro: toc minLevel=2 maxLevel=3]');
    expect(r.text).toContain('> [!INFO]');
    expect(r.text).toContain('[architecture.png](attachment:architecture.png)');
    expect(r.text).toContain('<untrusted from="page body">');
    const cursor = /more with cursor="(\d+)"/.exec(r.text)?.[1];
    expect(Number(cursor)).toBeGreaterThan(1000);
    const next = await call('get_page', { id: ARCH, cursor, maxChars: 2000 });
    expect(next.text).toContain(`(chars ${cursor}-`);
    expect(next.text).toContain('```typescript');
    let text = '';
    let at: string | undefined = '0';
    for (let i = 0; at !== undefined && i < 40; i++) {
      const part = await call('get_page', { id: ARCH, cursor: at, maxChars: 100_000 });
      text += part.text;
      at = /more with cursor="(\d+)"/.exec(part.text)?.[1];
    }
    expect(text).toContain('## 24. The scheduler-3 service');
    const past = await call('get_page', { id: ARCH, cursor: '999999' });
    expect(past.text).toMatch(/\(cursor 999999 is past the end: the page has \d+ characters\)$/);
    const missing = await call('get_page', { id: '999' });
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/^Not found/);
    const bad = await call('get_page', { id: 'abc' });
    expect(bad.text).toMatch(/^Invalid arguments: id: a numeric content id/);
  });

  it('accepts content ids as numbers, as the schema says, and refuses other shapes', async () => {
    const tools = await c.harness.listTools();
    const id = (tools.find((t) => t.name === 'get_page')!.inputSchema as any).properties.id;
    expect(id.anyOf.map((s: { type: string }) => s.type)).toEqual(['string', 'integer']);
    expect((await call('get_page_ancestors', { id: Number(RELEASE) })).text).toContain('1000005 Release 2.4');
    for (const wrong of [[Number(RELEASE)], [RELEASE], true, -5, 1.5]) {
      const r = await call('get_page_ancestors', { id: wrong });
      expect(r.text, JSON.stringify(wrong)).toMatch(/^Invalid arguments: id: a numeric content id/);
    }
  });

  it('get_page_children and get_page_ancestors walk the tree', async () => {
    const kids = await call('get_page_children', { id: HOME, limit: 2 });
    expect(kids.text).toMatch(
      /^1000002 Onboarding\n1000003 Architecture overview\n\(2 shown; more with cursor="[^"]+"\)$/,
    );
    const cursor = /cursor="([^"]+)"/.exec(kids.text)?.[1];
    expect((await call('get_page_children', { id: HOME, limit: 2, cursor })).text).toBe(
      '1000004 Release notes\n(1 shown; end)',
    );
    expect((await call('get_page_children', { id: RELEASE })).text).toBe('No child pages.');
    expect((await call('get_page_ancestors', { id: RELEASE })).text).toBe(
      '1000001 Engineering home > 1000004 Release notes > 1000005 Release 2.4',
    );
    expect((await call('get_page_ancestors', { id: HOME })).text).toBe(
      '1000001 Engineering home (top level of its space)',
    );
  });

  it('create_page turns Markdown into storage format under the given parent', async () => {
    const title = `Runbook ${transport}`;
    const md = '# Steps\n\n> [!WARNING]\n> Careful\n\n- [ ] check [status: OK (Green)]\n\n```bash\nmake deploy\n```';
    const r = await call('create_page', { space: 'ENG', title, body: md, parentId: NOTES });
    expect(r.isError).toBe(false);
    expect(r.text).toMatch(new RegExp(`^Created page (\\d+) "${title}" in ENG \\(v1\\): http`));
    const id = /^Created page (\d+)/.exec(r.text)?.[1] ?? '';
    const page = c.sandbox.state.pages.get(id);
    expect(page?.parentId).toBe(NOTES);
    expect(page?.body).toContain('<ac:structured-macro ac:name="warning">');
    expect(page?.body).toContain('<ac:task-list>');
    expect(page?.body).toContain('<ac:parameter ac:name="language">bash</ac:parameter>');
    const read = await call('get_page', { id });
    expect(read.text).toContain('> [!WARNING]\n>\n> Careful');
    const dup = await call('create_page', { space: 'ENG', title, body: 'again' });
    expect(dup.isError).toBe(true);
    expect(dup.text).toMatch(/^Invalid arguments: .*already exists.*Fix what Confluence named and retry/);
    const nospace = await call('create_page', { space: 'NOPE', title: 'x', body: 'x' });
    expect(nospace.text).toMatch(/^Not found: no space with key NOPE/);
  });

  it('update_page replaces the body at the next version and refuses a stale version', async () => {
    const id = transport === 'stdio' ? ONBOARDING : RELEASE;
    const before = await call('get_page', { id });
    const version = Number(/ · v(\d+) /.exec(before.text)?.[1]);
    const r = await call('update_page', { id, version, body: 'New text with [macro: toc]', message: 'rewrite' });
    expect(r.isError).toBe(false);
    expect(r.text).toContain(`to v${version + 1}`);
    expect(c.sandbox.state.pages.get(id)?.body).toBe(
      '<p>New text with <ac:structured-macro ac:name="toc"></ac:structured-macro></p>',
    );
    const stale = await call('update_page', { id, version, body: 'lost update' });
    expect(stale.isError).toBe(true);
    expect(stale.text).toMatch(/^Conflict: page \d+ is at version \d+, not \d+.*get_page/);
    const renamed = await call('update_page', { id, title: `Renamed ${transport}` });
    expect(renamed.text).toContain(`"Renamed ${transport}" to v${version + 2}`);
    expect(c.sandbox.state.pages.get(id)?.body).toContain('New text with');
    const nothing = await call('update_page', { id });
    expect(nothing.text).toMatch(/^Invalid arguments: nothing to update/);
  });

  it('comments: list as Markdown, add from Markdown', async () => {
    const list = await call('list_comments', { pageId: ARCH });
    expect(list.text).toMatch(
      /^comment \d+ · by Bob Builder · 2026-01-05\n<untrusted from="comment">\nShould the ledger own refunds\?/,
    );
    expect(list.text).toContain(
      "Yes, see [@Bob Builder](user:557058:b0b00000-0000-4000-8000-000000000002)'s proposal.",
    );
    const added = await call('add_comment', { pageId: ARCH, body: `Agreed **${transport}**` });
    expect(added.text).toMatch(new RegExp(`^Added comment \\d+ to page ${ARCH}$`));
    expect((await call('list_comments', { pageId: ARCH, limit: 50 })).text).toContain(`Agreed **${transport}**`);
  });

  it('labels: list and add', async () => {
    expect((await call('list_labels', { pageId: ONBOARDING })).text).toMatch(/^onboarding/);
    const r = await call('add_label', { pageId: ONBOARDING, labels: [`t-${transport}`, 'howto'] });
    expect(r.text).toContain(`Labels on page ${ONBOARDING}: onboarding, t-${transport}, howto`);
    const bad = await call('add_label', { pageId: ONBOARDING, labels: ['two words'] });
    expect(bad.text).toMatch(/^Invalid arguments: labels/);
  });

  it('list_attachments shows names, types, sizes and download links', async () => {
    const r = await call('list_attachments', { pageId: ARCH });
    expect(r.text).toMatch(
      /^architecture\.png · image\/png · 178 KB · id att\d+ · http:\/\/127\.0\.0\.1:\d+\/wiki\/download\/attachments\/1000003\/architecture\.png\?api=v2$/m,
    );
    expect((await call('list_attachments', { pageId: HOME })).text).toBe('No attachments.');
  });

  it('sent only requests the Confluence REST v2 description (plus the named v1 operations) allows', () => {
    const sent = c.sandbox.upstream.requests;
    expect(sent.some((q) => q.path.startsWith('/wiki/api/v2/'))).toBe(true);
    expect(sent.every((q) => q.headers.authorization?.startsWith('Basic '))).toBe(true);
    assertRequestsConform(confluenceApi(), sent, { allow: V1_ALLOW });
  });
});
