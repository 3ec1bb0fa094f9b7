/**
 * The sandbox workspace "Acme": an Engineering page tree (with a Roadmap subpage and a Tasks database),
 * a Handbook page of 200+ blocks (the read benchmark), a Private page outside the Engineering subtree (policy
 * tests), people, a comment, and an "Inbox" page carrying testkit's INJECTION_FIXTURE (a prompt-injection
 * attempt, read by the hardening suite). Ids are fixed so tests and docs can name them.
 */
import { INJECTION_FIXTURE } from '@switchboard-mcp/testkit/upstream';
import { markdownToBlocks } from '../markdown/to-blocks.ts';
import type { BlockInput } from '../markdown/types.ts';
import type { Json, NotionState } from './state.ts';
import { createDatabase, createPage, insertBlocks } from './store.ts';

export const SEED = {
  bot: 'b0000000-0000-4000-8000-000000000001',
  ada: 'a0000000-0000-4000-8000-00000000000a',
  grace: 'a0000000-0000-4000-8000-00000000000b',
  engineering: '10000000-0000-4000-8000-000000000001',
  roadmap: '10000000-0000-4000-8000-000000000002',
  tasksDatabase: '20000000-0000-4000-8000-000000000001',
  tasks: '30000000-0000-4000-8000-000000000001',
  handbook: '10000000-0000-4000-8000-000000000003',
  private: '10000000-0000-4000-8000-000000000004',
  hidden: '10000000-0000-4000-8000-000000000005',
  /** A shared page under the unshared one: its ancestry starts at itself. */
  sharedChild: '10000000-0000-4000-8000-000000000006',
  /** A page inside the Roadmap's toggle block (parent type block_id). */
  spec: '10000000-0000-4000-8000-000000000007',
  /** A shared page whose text came from outside (a form submission): testkit's INJECTION_FIXTURE. */
  inbox: '10000000-0000-4000-8000-000000000008',
} as const;

const title = (text: string) => ({ title: [{ type: 'text', text: { content: text } }] });

const ENGINEERING = `# Engineering

Welcome to the **engineering** wiki. See the [style guide](https://example.com/style) and \`CONTRIBUTING.md\`.

## Principles

- Ship small changes
- Review everything
  - Even *tiny* fixes
- [ ] Write the on-call guide
- [x] Set up CI

> 💡 Ask in #eng when in doubt.

\`\`\`typescript
export const answer = 42;
\`\`\`

| Team | Lead |
| - | - |
| Platform | Ada |
| Product | Grace |
`;

const ROADMAP = `## Q3

1. Search revamp
2. Billing v2

<details>
<summary>Parked ideas</summary>

- Dark mode

</details>
`;

/** 200+ blocks of mixed content for the read benchmark. */
function handbook(): BlockInput[] {
  const parts: string[] = [];
  for (let s = 1; s <= 20; s++) {
    parts.push(`## Section ${s}`);
    parts.push(
      `Section ${s} explains how the team handles topic ${s}: who owns it, how decisions are made and where to find the details. Read it before your first on-call shift.`,
    );
    parts.push(`- Owner: team ${s % 4}\n- Review cadence: every ${s % 3 ? 'month' : 'quarter'}\n- Status: **active**`);
    parts.push(`1. Read the runbook\n2. Pair with a buddy\n3. Ask questions in #handbook-${s}`);
    parts.push(`> 💡 Tip ${s}: write things down.`);
    if (s % 5 === 0) parts.push('```shell\nmake check && make deploy\n```');
    else parts.push(`- [ ] Checklist item ${s}`);
  }
  return markdownToBlocks(parts.join('\n\n'));
}

export function seed(state: NotionState): void {
  state.botId = SEED.bot;
  state.users.set(SEED.bot, { id: SEED.bot, type: 'bot', name: 'Switchboard Sandbox' });
  state.users.set(SEED.ada, { id: SEED.ada, type: 'person', name: 'Ada Lovelace', email: 'ada@acme.test' });
  state.users.set(SEED.grace, { id: SEED.grace, type: 'person', name: 'Grace Hopper', email: 'grace@acme.test' });

  const engineering = createPage(
    state,
    { type: 'workspace', workspace: true },
    { title: title('Engineering') },
    {
      icon: { type: 'emoji', emoji: '🛠️' },
      createdBy: SEED.ada,
    },
  );
  rekey(state, engineering.id, SEED.engineering);
  insertBlocks(state, SEED.engineering, markdownToBlocks(ENGINEERING) as Json[]);

  const roadmap = createPage(
    state,
    { type: 'page_id', page_id: SEED.engineering },
    { title: title('Roadmap') },
    {
      createdBy: SEED.grace,
    },
  );
  rekey(state, roadmap.id, SEED.roadmap);
  insertBlocks(state, SEED.roadmap, markdownToBlocks(ROADMAP) as Json[]);
  const toggle = state.liveChildren(SEED.roadmap).find((b) => b.type === 'toggle');
  const spec = createPage(state, { type: 'block_id', block_id: toggle?.id }, { title: title('Dark mode spec') });
  rekey(state, spec.id, SEED.spec);

  createDatabase(
    state,
    SEED.engineering,
    'Tasks',
    {
      Name: { title: {} },
      Status: {
        status: { options: [{ name: 'Not started' }, { name: 'In progress' }, { name: 'Done' }] },
      },
      Priority: { select: { options: [{ name: 'High' }, { name: 'Medium' }, { name: 'Low' }] } },
      Tags: { multi_select: { options: [{ name: 'backend' }, { name: 'frontend' }, { name: 'docs' }] } },
      Due: { date: {} },
      Assignee: { people: {} },
      Estimate: { number: { format: 'number' } },
      Blocked: { checkbox: {} },
    },
    { id: SEED.tasksDatabase, dataSourceId: SEED.tasks },
  );
  const tasks: Array<[string, string, string, string[], string | null, string | null, number | null]> = [
    ['Fix login bug', 'In progress', 'High', ['backend'], '2025-07-01', SEED.ada, 3],
    ['Write API docs', 'Not started', 'Medium', ['docs'], '2025-07-15', SEED.grace, 5],
    ['Redesign settings', 'Done', 'Low', ['frontend'], '2025-06-10', SEED.grace, 8],
    ['Upgrade database', 'Not started', 'High', ['backend'], null, null, 13],
    ['Search revamp', 'In progress', 'High', ['backend', 'frontend'], '2025-08-01', SEED.ada, 21],
    ['Onboarding guide', 'Done', 'Medium', ['docs'], '2025-05-20', null, 2],
  ];
  for (const [name, status, priority, tags, due, who, estimate] of tasks) {
    createPage(
      state,
      { type: 'data_source_id', data_source_id: SEED.tasks, database_id: SEED.tasksDatabase },
      {
        Name: title(name),
        Status: { status: { name: status } },
        Priority: { select: { name: priority } },
        Tags: { multi_select: tags.map((t) => ({ name: t })) },
        ...(due ? { Due: { date: { start: due } } } : {}),
        ...(who ? { Assignee: { people: [{ id: who }] } } : {}),
        Estimate: { number: estimate },
        Blocked: { checkbox: name === 'Upgrade database' },
      },
    );
  }

  const hb = createPage(state, { type: 'workspace', workspace: true }, { title: title('Handbook') });
  rekey(state, hb.id, SEED.handbook);
  insertBlocks(state, SEED.handbook, handbook() as Json[]);

  const priv = createPage(state, { type: 'workspace', workspace: true }, { title: title('Private notes') });
  rekey(state, priv.id, SEED.private);
  insertBlocks(state, SEED.private, markdownToBlocks('Salary bands are **confidential**.') as Json[]);

  const hidden = createPage(state, { type: 'workspace', workspace: true }, { title: title('Not shared') });
  rekey(state, hidden.id, SEED.hidden);
  state.pages.get(SEED.hidden)!.hidden = true;
  insertBlocks(state, SEED.hidden, markdownToBlocks('Not for the integration.') as Json[]);
  const shared = createPage(state, { type: 'page_id', page_id: SEED.hidden }, { title: title('Shared subtree') });
  rekey(state, shared.id, SEED.sharedChild);
  insertBlocks(state, SEED.sharedChild, markdownToBlocks('Shared with the integration on its own.') as Json[]);

  const inbox = createPage(state, { type: 'workspace', workspace: true }, { title: title('Inbox') });
  rekey(state, inbox.id, SEED.inbox);
  insertBlocks(
    state,
    SEED.inbox,
    INJECTION_FIXTURE.paragraphs.map((content) => ({
      type: 'paragraph',
      paragraph: { rich_text: [{ type: 'text', text: { content } }] },
    })),
  );

  state.comments.push({
    id: 'c0000000-0000-4000-8000-000000000001',
    parent: { type: 'page_id', page_id: SEED.roadmap },
    discussion_id: 'd0000000-0000-4000-8000-000000000001',
    rich_text: [
      {
        type: 'text',
        text: { content: 'Can we move billing earlier?', link: null },
        annotations: {
          bold: false,
          italic: false,
          strikethrough: false,
          underline: false,
          code: false,
          color: 'default',
        },
        plain_text: 'Can we move billing earlier?',
        href: null,
      },
    ],
    created_by: SEED.grace,
    created_time: state.now(),
  });
}

/** Gives a seeded page its fixed id (pages are created with random ids). */
function rekey(state: NotionState, from: string, to: string): void {
  const page = state.pages.get(from);
  if (!page) return;
  state.pages.delete(from);
  page.id = to;
  state.pages.set(to, page);
  const block = state.blocks.get(from);
  if (block) {
    state.blocks.delete(from);
    block.id = to;
    state.blocks.set(to, block);
    const parentId = String(block.parent.page_id ?? block.parent.block_id ?? '');
    const siblings = state.childIds(parentId);
    const i = siblings.indexOf(from);
    if (i >= 0) siblings[i] = to;
  }
  const kids = state.children.get(from);
  if (kids) {
    state.children.delete(from);
    state.children.set(to, kids);
  }
}
