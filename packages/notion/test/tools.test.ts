/**
 * Every Notion tool through a real MCP client, over stdio and HTTP, against the stateful sandbox: what the
 * model reads, what lands in the workspace, and that every request the server sent matches Notion's
 * OpenAPI description.
 */
import { assertRequestsConform } from '@switchboard-mcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../src/sandbox/index.ts';
import type { NotionState } from '../src/sandbox/state.ts';
import { type NotionUnderTest, notionApi, startNotion, TRANSPORTS } from './helpers.ts';

const compact = (id: string) => id.replace(/-/g, '');

/** Plain text of a sandbox block's rich text. */
function textOf(state: NotionState, id: string): string {
  const b = state.blocks.get(id);
  return (b?.content.rich_text ?? []).map((t: any) => t.plain_text).join('');
}

describe.each(TRANSPORTS)('notion tools over %s', (transport) => {
  let n: NotionUnderTest;
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const r = await n.harness.callTool(name, args);
    return r;
  };
  const ok = async (name: string, args: Record<string, unknown> = {}) => {
    const r = await call(name, args);
    expect(r.isError, r.text).toBeFalsy();
    return r.text;
  };

  beforeAll(async () => {
    n = await startNotion({ transport, args: ['--toolsets', 'all'] });
  });
  afterAll(async () => {
    await n?.close();
  });

  it('get_me, list_users and get_user name the bot and the people', async () => {
    expect(await ok('get_me')).toBe(`${compact(SEED.bot)} Switchboard Sandbox (bot) · workspace Acme`);
    const users = await ok('list_users');
    expect(users).toContain('Ada Lovelace <ada@acme.test>');
    expect(users.split('\n')).toHaveLength(3);
    expect(await ok('get_user', { user_id: compact(SEED.grace) })).toContain('Grace Hopper');
  });

  it('search finds pages and data sources by title, filters by type and pages with a cursor', async () => {
    const all = await ok('search', { query: 'tasks' });
    expect(all).toContain(`data_source ${compact(SEED.tasks)} Tasks`);
    const pagesOnly = await ok('search', { query: 'road', type: 'page' });
    expect(pagesOnly).toMatch(/^page 10000000000040008000000000000002 Roadmap · in page 1000/);
    const first = await ok('search', { query: '', limit: 2 });
    const cursor = /more: cursor=(\S+)/.exec(first)?.[1];
    expect(cursor).toBeTruthy();
    const second = await ok('search', { query: '', limit: 2, cursor });
    expect(second.split('\n')[0]).not.toBe(first.split('\n')[0]);
  });

  it('get_page renders properties and the body as Markdown, child pages and databases as links', async () => {
    const text = await ok('get_page', {
      page_id: `https://www.notion.so/acme/Engineering-${compact(SEED.engineering)}`,
    });
    expect(text).toContain('# 🛠️ Engineering');
    expect(text).toContain('<untrusted from="page body">');
    expect(text).toContain('Welcome to the **engineering** wiki');
    expect(text).toContain('- Review everything\n  - Even *tiny* fixes');
    expect(text).toContain('[x] Set up CI');
    expect(text).toContain('> 💡 Ask in #eng when in doubt.');
    expect(text).toContain('```typescript\nexport const answer = 42;\n```');
    expect(text).toContain('| Platform | Ada |');
    expect(text).toContain(`[📄 Roadmap](https://www.notion.so/${compact(SEED.roadmap)})`);
    expect(text).toContain(`[🗃 Tasks](https://www.notion.so/${compact(SEED.tasksDatabase)})`);
    const row = await ok('query_data_source', {
      data_source_id: SEED.tasks,
      filter: { property: 'Name', title: { equals: 'Fix login bug' } },
    });
    const rowId = /\n([0-9a-f]{32}) \| Fix login bug/.exec(row)?.[1] as string;
    const props = await ok('get_page', { page_id: rowId, body: false });
    expect(props).toContain('Status: In progress');
    expect(props).toContain('Tags: backend');
    expect(props).toContain('Assignee: Ada Lovelace');
  });

  it('get_page pages a long body with a cursor, in order and without gaps', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let rounds = 0;
    do {
      const text = await ok('get_page', { page_id: SEED.handbook, max_chars: 2000, ...(cursor ? { cursor } : {}) });
      seen.push(...[...text.matchAll(/## Section (\d+)/g)].map((m) => m[1] as string));
      cursor = /more: cursor=(\S+)/.exec(text)?.[1];
      rounds++;
    } while (cursor && rounds < 50);
    expect(rounds).toBeGreaterThan(2);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => String(i + 1)));
  });

  it('get_page refuses a cursor without the body instead of answering with nothing', async () => {
    const r = await call('get_page', { page_id: SEED.handbook, body: false, cursor: 'abc' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^Invalid arguments: cursor: continues the page body/);
  });

  it('get_page loads nested children only for what fits the budget, and continues from the cursor', async () => {
    const toggles = Array.from(
      { length: 40 },
      (_, i) =>
        `<details>\n<summary>Toggle ${i + 1}</summary>\n\nInside ${i + 1}: ${'words '.repeat(30)}\n\n</details>`,
    ).join('\n\n');
    const created = await ok('create_page', { parent_page_id: SEED.engineering, title: 'Toggles', markdown: toggles });
    const id = /created page ([0-9a-f]{32})/.exec(created)?.[1] as string;
    const from = n.sandbox.upstream.requests.length;
    const first = await ok('get_page', { page_id: id, max_chars: 1000 });
    expect(first).toContain('Inside 1: words');
    const cursor = /more: cursor=(\S+)/.exec(first)?.[1];
    expect(cursor).toBeTruthy();
    const listings = n.sandbox.upstream.requests.slice(from).filter((r) => r.path.endsWith('/children'));
    // The page's own listing plus the toggles shown (and a few read ahead), not all forty.
    expect(listings.length).toBeLessThan(20);
    const shown = [...first.matchAll(/Inside (\d+)/g)].length;
    const next = await ok('get_page', { page_id: id, max_chars: 1000, cursor });
    expect(next).toContain(`<summary>Toggle ${shown + 1}</summary>`);
    expect(next).toContain(`Inside ${shown + 1}: words`);
  });

  it('get_page measures the budget as shown, long file URLs included', async () => {
    const images = Array.from({ length: 30 }, (_, i) => `![](https://files.test/${i}/${'a'.repeat(300)}.png)`);
    const created = await ok('create_page', {
      parent_page_id: SEED.engineering,
      title: 'Images',
      markdown: images.join('\n\n'),
    });
    const id = /created page ([0-9a-f]{32})/.exec(created)?.[1] as string;
    const text = await ok('get_page', { page_id: id, max_chars: 2000 });
    const shown = [...text.matchAll(/https:\/\/files\.test\/(\d+)\//g)].map((m) => Number(m[1]));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThanOrEqual(6);
    const cursor = /more: cursor=(\S+)/.exec(text)?.[1];
    const next = await ok('get_page', { page_id: id, max_chars: 2000, cursor });
    expect(next).toContain(`https://files.test/${shown.length}/`);
  });

  it('create_page: a data source row from short property values (even JSON-encoded) with a nested Markdown body', async () => {
    const deep = '- level 1\n  - level 2\n    - level 3\n      - level 4\n        - level 5';
    const many = Array.from({ length: 130 }, (_, i) => `Paragraph ${i + 1}`).join('\n\n');
    const text = await ok('create_page', {
      data_source_id: compact(SEED.tasks),
      title: 'Ship the Notion server',
      // Some clients send objects as JSON strings: core decodes them.
      properties: JSON.stringify({
        Status: 'Done',
        Tags: ['docs', 'backend'],
        Due: '2025-09-01',
        Estimate: 5,
        Blocked: false,
      }),
      markdown: `# Plan\n\n${deep}\n\n${many}`,
      icon: '🚀',
    });
    const id = /created page ([0-9a-f]{32})/.exec(text)?.[1] as string;
    expect(id).toBeTruthy();
    const dashed = `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`;
    const page = n.sandbox.state.pages.get(dashed);
    expect(page?.properties.Status?.status?.name).toBe('Done');
    expect(page?.properties.Tags?.multi_select.map((o: any) => o.name)).toEqual(['docs', 'backend']);
    expect(page?.icon).toEqual({ type: 'emoji', emoji: '🚀' });
    // 1 heading + 1 list + 130 paragraphs at the top level; the list nests five levels.
    const top = n.sandbox.state.liveChildren(dashed);
    expect(top).toHaveLength(132);
    expect(textOf(n.sandbox.state, top[131]?.id as string)).toBe('Paragraph 130');
    let level = top[1];
    for (let depth = 1; depth <= 5; depth++) {
      expect(textOf(n.sandbox.state, level?.id as string)).toBe(`level ${depth}`);
      level = n.sandbox.state.liveChildren(level?.id as string)[0];
    }
    // And it reads back as the same Markdown.
    const read = await ok('get_page', { page_id: id, max_chars: 100_000 });
    expect(read).toContain(deep);
    expect(read).toContain('Paragraph 130');
  });

  it('create_page under a page, update_page and archive_page (destructive, confirmed)', async () => {
    const created = await ok('create_page', { parent_page_id: SEED.engineering, title: 'Scratch', markdown: 'Hello' });
    const id = /created page ([0-9a-f]{32})/.exec(created)?.[1] as string;
    expect(await ok('update_page', { page_id: id, title: 'Scratch v2', icon: '📝' })).toContain('"Scratch v2"');
    const row = await ok('query_data_source', {
      data_source_id: SEED.tasks,
      filter: { property: 'Name', title: { equals: 'Write API docs' } },
    });
    const rowId = /\n([0-9a-f]{32}) \|/.exec(row)?.[1] as string;
    const updated = await ok('update_page', { page_id: rowId, properties: { Status: 'In progress', Estimate: 8 } });
    expect(updated).toContain('Status: In progress');
    expect(updated).toContain('Estimate: 8');
    const unconfirmed = await call('archive_page', { page_id: id });
    expect(unconfirmed.isError).toBe(true);
    expect(unconfirmed.text).toMatch(/^Confirmation required/);
    expect(await ok('archive_page', { page_id: id, confirm: true })).toContain('archived page');
    expect(
      n.sandbox.state.pages.get(
        Object.keys(Object.fromEntries(n.sandbox.state.pages)).find((k) => compact(k) === id) as string,
      )?.archived,
    ).toBe(true);
    expect(await ok('archive_page', { page_id: id, restore: true, confirm: true })).toContain('restored page');
  });

  it('bad property values and names come back as actionable errors', async () => {
    const unknown = await call('create_page', {
      data_source_id: SEED.tasks,
      title: 'x',
      properties: { Colour: 'red' },
    });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toContain('no property named "Colour"');
    expect(unknown.text).toContain('Properties: Name, Status');
    const badStatus = await call('create_page', {
      data_source_id: SEED.tasks,
      title: 'x',
      properties: { Status: 'Nope' },
    });
    expect(badStatus.isError).toBe(true);
    expect(badStatus.text).toMatch(/^Invalid arguments: Notion rejected the request: .*Nope/);
    const badId = await call('get_page', { page_id: 'not-an-id' });
    expect(badId.isError).toBe(true);
    expect(badId.text).toContain('page_id');
  });

  it('append_markdown at the end and after a block; update_block and delete_block by id', async () => {
    const created = await ok('create_page', {
      parent_page_id: SEED.engineering,
      title: 'Edits',
      markdown: 'First\n\nLast',
    });
    const id = /created page ([0-9a-f]{32})/.exec(created)?.[1] as string;
    const withIds = await ok('get_page', { page_id: id, ids: true });
    const ids = [...withIds.matchAll(/<!-- ([0-9a-f]{32}) -->/g)].map((m) => m[1] as string);
    expect(ids).toHaveLength(2);
    expect(await ok('append_markdown', { block_id: id, markdown: 'Middle\n\n- item', after: ids[0] })).toBe(
      `appended 2 blocks to ${id}`,
    );
    await ok('append_markdown', { block_id: id, markdown: '> 💡 Tail callout' });
    let body = await ok('get_page', { page_id: id });
    expect(body).toMatch(/First\n\nMiddle\n\n- item\n\nLast\n\n> 💡 Tail callout/);
    const changed = await call('update_block', { block_id: ids[1], markdown: 'Last, **edited**', confirm: true });
    expect(changed.isError, changed.text).toBe(false);
    const wrongType = await call('update_block', { block_id: ids[1], markdown: '# Heading', confirm: true });
    expect(wrongType.text).toContain('block is paragraph; the Markdown gives heading_1');
    const item = /- <!-- ([0-9a-f]{32}) -->item/.exec(await ok('get_page', { page_id: id, ids: true }))?.[1];
    expect(item).toBeTruthy();
    // Nested Markdown would be dropped by an update: refused, nothing changes.
    const nested = await call('update_block', { block_id: item, markdown: '- item 2\n  - nested', confirm: true });
    expect(nested.isError).toBe(true);
    expect(nested.text).toContain('nested blocks');
    expect(await ok('delete_block', { block_id: ids[0], confirm: true })).toBe(`deleted paragraph ${ids[0]}`);
    body = await ok('get_page', { page_id: id });
    expect(body).not.toContain('First');
    expect(body).toContain('Last, **edited**');
    // Within Notion's limits: a table two levels down (sent with its rows), 130 styled words (> 100 rich texts).
    const styled = Array.from({ length: 130 }, (_, i) => `**w${i}**`).join(' ');
    await ok('append_markdown', {
      block_id: id,
      markdown: `- a\n  - b\n\n    | x |\n    | - |\n    | y |\n\n${styled}`,
    });
    body = await ok('get_page', { page_id: id });
    expect(body).toContain('- a\n  - b\n    | x |\n    | - |\n    | y |');
    expect(body).toContain('**w0**');
    expect(body).toContain('**w129**');
    expect(body).not.toContain('&#x20;');
  });

  it('get_database and get_data_source show the schema compactly', async () => {
    const db = await ok('get_database', { database_id: SEED.tasksDatabase });
    expect(db).toContain(`- ${compact(SEED.tasks)} Tasks`);
    const ds = await ok('get_data_source', { data_source_id: SEED.tasks });
    expect(ds).toContain('Name: title');
    expect(ds).toContain('Status: status [Not started, In progress, Done]');
    expect(ds).toContain('Estimate: number');
  });

  it('query_data_source takes filters and sorts (also as JSON strings), columns and a cursor', async () => {
    const done = await ok('query_data_source', {
      data_source_id: SEED.tasks,
      filter: JSON.stringify({
        and: [
          { property: 'Priority', select: { equals: 'High' } },
          { property: 'Estimate', number: { greater_than: 10 } },
        ],
      }),
      sorts: JSON.stringify([{ property: 'Estimate', direction: 'ascending' }]),
      columns: ['Priority', 'Estimate'],
    });
    const lines = done.split('\n').filter((l) => /^[0-9a-f]{32} \|/.test(l));
    expect(lines.map((l) => l.split(' | ')[1])).toEqual(['Upgrade database', 'Search revamp']);
    expect(done).toContain('id | Name | Priority | Estimate');
    const page1 = await ok('query_data_source', { data_source_id: SEED.tasks, limit: 4 });
    const cursor = /more: cursor=(\S+)/.exec(page1)?.[1];
    expect(cursor).toBeTruthy();
    const page2 = await ok('query_data_source', { data_source_id: SEED.tasks, limit: 4, cursor });
    expect(page2).not.toContain('more: cursor');
    const bad = await call('query_data_source', {
      data_source_id: SEED.tasks,
      filter: { property: 'Nope', select: { equals: 'x' } },
    });
    expect(bad.isError).toBe(true);
    expect(bad.text).toContain('Nope');
  });

  it('create_data_source and update_data_source change schemas', async () => {
    const created = await ok('create_data_source', {
      parent_page_id: SEED.engineering,
      title: 'Bugs',
      properties: { Title: 'title', Severity: 'select:S1,S2,S3', Fixed: 'checkbox', Points: 'number' },
    });
    expect(created).toContain('Severity: select [S1, S2, S3]');
    const id = /data source ([0-9a-f]{32})/.exec(created)?.[1] as string;
    expect(await ok('get_data_source', { data_source_id: id })).toContain('Fixed: checkbox');
    const updated = await ok('update_data_source', {
      data_source_id: id,
      title: 'Bug tracker',
      properties: { Fixed: null, Points: { name: 'Story points' }, Owner: 'people' },
      confirm: true,
    });
    expect(updated).toContain('"Bug tracker"');
    expect(updated).not.toContain('Fixed');
    expect(updated).toContain('Story points: number');
    expect(updated).toContain('Owner: people');
    // A schema read right after the change shows it.
    const reread = await ok('get_data_source', { data_source_id: id });
    expect(reread).toContain('Story points: number');
    expect(reread).not.toContain('Fixed');
    const row = await ok('create_page', {
      data_source_id: id,
      title: 'Crash',
      properties: { Severity: 'S1', Owner: [SEED.ada] },
    });
    expect(row).toContain('"Crash"');
  });

  it('list_comments and add_comment (new discussion and reply)', async () => {
    const list = await ok('list_comments', { block_id: SEED.roadmap });
    expect(list).toContain('Grace Hopper');
    expect(list).toContain('Can we move billing earlier?');
    const discussion = /\[([0-9a-f]{32})\]/.exec(list)?.[1] as string;
    expect(await ok('add_comment', { discussion_id: discussion, markdown: 'Yes, **next sprint**.' })).toContain(
      `discussion ${discussion}`,
    );
    await ok('add_comment', { block_id: SEED.roadmap, markdown: 'New thread' });
    const after = await ok('list_comments', { block_id: SEED.roadmap });
    expect(after).toContain('Switchboard Sandbox');
    expect(after).toContain('Yes, **next sprint**.');
    expect(after).toContain('New thread');
  });

  it('sent only requests that conform to Notion’s OpenAPI description, always with Notion-Version', () => {
    const requests = n.sandbox.upstream.requests;
    expect(requests.length).toBeGreaterThan(30);
    for (const r of requests) expect(r.headers['notion-version']).toBe('2025-09-03');
    // POST /v1/databases (create a database with its first data source) is newer than the description.
    assertRequestsConform(notionApi(), requests, { allow: ['POST /v1/databases'] });
  });
});
