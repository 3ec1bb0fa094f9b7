/**
 * Every Jira tool through a real MCP client, over stdio and HTTP, against the sandbox; afterwards every request
 * the server sent is checked against Atlassian's published API descriptions.
 */
import { assertRequestsConform } from '@switchboard-mcp/testkit';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  agileApi,
  agileRequests,
  auditLines,
  type JiraUnderTest,
  platformApi,
  platformRequests,
  startJira,
  TRANSPORTS,
} from './helpers.ts';

describe.each(TRANSPORTS)('jira tools over %s', (transport) => {
  let j: JiraUnderTest;
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const r = await j.harness.callTool(name, args);
    results += r.text;
    return r;
  };
  const ok = async (name: string, args: Record<string, unknown> = {}) => {
    const r = await call(name, args);
    expect(r.isError, r.text).toBe(false);
    return r.text;
  };
  const issue = (key: string) => j.sandbox.state.issues.find((i) => i.key === key)!;

  // The API token is a canary: it must never appear in results, errors, logs or audit lines.
  const canary = 'ATATT3xFfGF0CANARYcanaryCANARYcanary0123456789';
  let results = '';
  beforeAll(async () => {
    j = await startJira({
      transport,
      args: ['--toolsets', 'all', '--log-level', 'debug'],
      sandbox: { tokens: { [canary]: { accountId: '5b10a2844c20165700ede21a' } } },
      env: { JIRA_EMAIL: 'ada@example.com', JIRA_API_TOKEN: canary },
    });
  });
  afterAll(async () => {
    await j?.close();
  });

  it('lists every tool with access annotations', async () => {
    const tools = await j.harness.listTools();
    const names = tools.map((t) => t.name).filter((n) => n !== 'get_more_output');
    expect(names.sort()).toEqual(
      [
        'add_comment',
        'add_worklog',
        'assign_issue',
        'create_issue',
        'get_create_fields',
        'get_issue',
        'get_me',
        'get_project',
        'get_sprint_issues',
        'link_issues',
        'list_boards',
        'list_comments',
        'list_projects',
        'list_sprints',
        'list_transitions',
        'search_issues',
        'transition_issue',
        'update_issue',
      ].sort(),
    );
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect(byName.get('search_issues')?.annotations?.readOnlyHint).toBe(true);
    expect(byName.get('create_issue')?.annotations?.readOnlyHint).not.toBe(true);
    expect(byName.get('update_issue')?.annotations?.idempotentHint).toBe(true);
  });

  it('matches the checked-in schema snapshot and stays within the token budget (o200k ≤ 2400)', async () => {
    const tools = await j.harness.listTools();
    if (transport === 'stdio')
      await expect(`${JSON.stringify(tools, null, 2)}\n`).toMatchFileSnapshot('./tools.snapshot.json');
    expect(encode(JSON.stringify(tools)).length).toBeLessThanOrEqual(2400);
  });

  it('get_me: account and the Jira permissions it holds', async () => {
    const text = await ok('get_me');
    expect(text).toContain('Ada Lovelace <ada@example.com>');
    expect(text).toContain('Jira Cloud');
    expect(text).toMatch(/Permissions: BROWSE_PROJECTS, CREATE_ISSUES/);
  });

  it('search_issues: compact rows through the enhanced search, paged by nextPageToken', async () => {
    const before = j.sandbox.upstream.requests.length;
    const first = await ok('search_issues', { jql: 'project = ABC ORDER BY key ASC' });
    const rows = first.split('\n').filter((l) => /^ABC-\d+ /.test(l));
    expect(rows).toHaveLength(25);
    expect(rows[0]).toMatch(/^ABC-1 \[In Progress\] Login reliability · Epic · Medium · Ada Lovelace · 2026-01-05$/);
    const cursor = /cursor="([^"]+)"/.exec(first)?.[1];
    expect(cursor).toBeTruthy();
    const second = await ok('search_issues', { jql: 'project = ABC ORDER BY key ASC', cursor });
    const more = second.split('\n').filter((l) => /^ABC-\d+ /.test(l));
    expect(more[0]).toMatch(/^ABC-26 /);
    expect(second).toContain('shown; end)');
    const paths = j.sandbox.upstream.requests.slice(before).map((r) => r.path);
    expect(paths.every((p) => p === '/rest/api/3/search/jql')).toBe(true);
  });

  it('search_issues: extra fields by name, project scoping, no results and JQL errors', async () => {
    const text = await ok('search_issues', {
      jql: 'labels = customer',
      project: 'abc',
      fields: ['Story Points'],
      limit: 3,
    });
    expect(text).toMatch(/Story Points=\d/);
    const sent = j.sandbox.upstream.requests.at(-1)!;
    expect(sent.query.jql).toBe('project = "ABC" AND (labels = customer)');
    expect(await ok('search_issues', { jql: 'project = OPS AND status = Done' })).toMatch(/^No issues match/);
    const bad = await call('search_issues', { jql: 'project = ABC AND' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/^Invalid arguments: .*JQL/);
    const unknownField = await call('search_issues', { jql: 'project = ABC', fields: ['Velocity'] });
    expect(unknownField.text).toContain('no field is named "Velocity"');
  });

  it('get_issue: fields by name, Markdown description and comments, links, subtasks, attachments', async () => {
    const text = await ok('get_issue', { key: 'ABC-2', comments: 2 });
    expect(text).toMatch(/^ABC-2 \[To Do\] Fix login redirect loops after session expiry/);
    expect(text).toContain('Story Points: 1');
    expect(text).toContain('Team: Platform');
    expect(text).toContain('Sprint: ABC Sprint 1');
    expect(text).toContain(
      'Acceptance Criteria:\n<untrusted from="Acceptance Criteria of ABC-2">\nNo redirect loop after 30 minutes idle.\n</untrusted>',
    );
    expect(text).toContain('<untrusted from="description of ABC-2">');
    expect(text).toContain('## Context');
    expect(text).toContain('> [!WARNING]');
    expect(text).toContain('| Safari | yes |');
    expect(text).toContain('[status/blue: IN PROGRESS]');
    expect(text).toContain('[unsupported: extension jira-chart]');
    expect(text).toContain('- ABC-44 [To Do] Write a regression test for the redirect loop');
    expect(text).toContain('- is blocked by ABC-3');
    expect(text).toContain('redirect-trace.har (47 KB)');
    expect(text).toContain('Comments (last 2 of 8; list_comments for more)');
    expect(text).toContain('<untrusted from="comments on ABC-2">');
    const none = await ok('get_issue', { key: 'ABC-2', comments: 0 });
    expect(none).toContain('Comments: 8 (list_comments reads them)');
    expect(none).not.toContain('comments on ABC-2');
    expect(text).toContain(`${j.sandbox.url}/browse/ABC-2`);
    const missing = await call('get_issue', { key: 'ABC-999' });
    expect(missing.text).toMatch(/^Not found: .*Issue does not exist/);
    const badKey = await call('get_issue', { key: 'not a key' });
    expect(badKey.isError).toBe(true);
    expect(badKey.text).toContain('issue key');
  });

  it('create_issue: Markdown to ADF, custom fields by name, people by email', async () => {
    const text = await ok('create_issue', {
      project: 'ABC',
      type: 'Bug',
      summary: `Checkout fails (${transport})`,
      description: '## Steps\n\n1. Add to cart\n2. Pay\n\n| a | b |\n| --- | --- |\n| 1 | 2 |',
      priority: 'High',
      labels: ['checkout'],
      components: ['Billing'],
      assignee: 'grace@example.com',
      fields: { 'Story Points': 3, Team: 'Payments', 'Acceptance Criteria': 'It **works**' },
    });
    const key = /^Created (ABC-\d+)/.exec(text)?.[1];
    expect(key).toBeTruthy();
    const created = issue(key!);
    expect(created.description?.content.map((n) => n.type)).toEqual(['heading', 'orderedList', 'table']);
    expect(created.custom).toMatchObject({ customfield_10016: 3, customfield_10030: 'Payments' });
    expect(JSON.stringify(created.custom.customfield_10040)).toContain('"strong"');
    expect(created.assignee).toBe('557058:f58131cb-b67d-43c7-b30d-6b58d40bd077');
    expect(created.components).toEqual(['Billing']);
    const badOption = await call('create_issue', {
      project: 'ABC',
      type: 'Task',
      summary: 'x',
      fields: { Team: 'Nope' },
    });
    expect(badOption.text).toMatch(/^Invalid arguments: .*customfield_10030: Option value 'Nope' is not valid/);
    const badType = await call('create_issue', { project: 'OPS', type: 'Bug', summary: 'x' });
    expect(badType.text).toContain('issuetype');
  });

  it('update_issue: only the given fields; nothing to update is an error', async () => {
    expect(await ok('update_issue', { key: 'ABC-10', summary: 'Renamed', labels: ['a', 'b'], due: '2026-03-01' })).toBe(
      'Updated ABC-10: summary, labels, duedate',
    );
    expect(issue('ABC-10')).toMatchObject({ summary: 'Renamed', labels: ['a', 'b'], duedate: '2026-03-01' });
    expect((await call('update_issue', { key: 'ABC-10' })).text).toMatch(/^Invalid arguments: nothing to update/);
  });

  it('transitions: list with required fields; transition by status name, resolution and comment', async () => {
    const list = await ok('list_transitions', { key: 'ABC-12' });
    expect(list).toContain("41 Done → Done · needs Resolution (Done, Won't Do, Duplicate)");
    const missing = await call('transition_issue', { key: 'ABC-12', transition: 'done' });
    expect(missing.text).toMatch(/^Invalid arguments: .*Resolution is required/);
    expect(
      await ok('transition_issue', {
        key: 'ABC-12',
        transition: 'Done',
        resolution: "Won't Do",
        comment: 'Closing: **dup**',
      }),
    ).toBe('ABC-12: Done → Done');
    expect(issue('ABC-12')).toMatchObject({ status: '10002', resolution: "Won't Do" });
    expect(JSON.stringify(issue('ABC-12').comments.at(-1)?.body)).toContain('"strong"');
    const unknown = await call('transition_issue', { key: 'ABC-12', transition: 'Teleport' });
    expect(unknown.text).toContain('Available: 11 To Do → To Do');
  });

  it('comments: add Markdown, list newest first with a cursor', async () => {
    expect(
      await ok('add_comment', { key: 'ABC-12', body: 'Looks like `ERR_42`, see [log](https://logs.test/1)' }),
    ).toMatch(/^Commented on ABC-12 \(comment id \d+\)$/);
    const stored = issue('ABC-12').comments.at(-1)!;
    expect(JSON.stringify(stored.body)).toContain('"code"');
    const listed = await ok('list_comments', { key: 'ABC-12' });
    expect(listed).toContain('Looks like `ERR_42`, see [log](https://logs.test/1)');
    const page = await ok('list_comments', { key: 'ABC-2', limit: 3 });
    expect(page).toContain('(3 of 8 shown; more with cursor="3")');
    const next = await ok('list_comments', { key: 'ABC-2', limit: 3, cursor: '6' });
    expect(next).toContain('(2 of 8 shown; end)');
  });

  it('assign_issue: by name or email, ambiguous names listed, unassign', async () => {
    const ambiguous = await call('assign_issue', { key: 'ABC-13', assignee: 'Alan' });
    expect(ambiguous.text).toMatch(/^Invalid arguments: "Alan" matches 2 users: Alan Turing .*; Alan Kay/);
    expect(await ok('assign_issue', { key: 'ABC-13', assignee: 'alan.kay@example.com' })).toBe(
      'Assigned ABC-13 to Alan Kay',
    );
    expect(issue('ABC-13').assignee).toBe('5b109f2e9729b51b54dc274d');
    expect(await ok('assign_issue', { key: 'ABC-13', assignee: null })).toBe('Unassigned ABC-13');
    expect(issue('ABC-13').assignee).toBeNull();
    expect((await call('assign_issue', { key: 'ABC-13', assignee: 'nobody-here' })).text).toMatch(/^Not found: /);
  });

  it('link_issues: by type name or either phrase, with the direction kept', async () => {
    expect(await ok('link_issues', { from: 'ABC-14', to: 'ABC-15', type: 'is blocked by' })).toBe(
      'Linked: ABC-15 blocks ABC-14',
    );
    expect(await ok('get_issue', { key: 'ABC-14', comments: 0 })).toContain('- is blocked by ABC-15');
    const bad = await call('link_issues', { from: 'ABC-14', to: 'ABC-15', type: 'haunts' });
    expect(bad.text).toContain('Blocks (blocks / is blocked by)');
  });

  it('add_worklog: Jira durations, bad durations refused before any request', async () => {
    expect(await ok('add_worklog', { key: 'ABC-16', time_spent: '1h 30m', started: '2026-01-06T09:00:00Z' })).toMatch(
      /^Logged 1h 30m on ABC-16/,
    );
    expect(issue('ABC-16').worklogs.at(-1)).toMatchObject({
      timeSpentSeconds: 5400,
      started: '2026-01-06T09:00:00.000+0000',
    });
    const bad = await call('add_worklog', { key: 'ABC-16', time_spent: 'a while' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toContain('time_spent');
  });

  it('get_create_fields: issue types, then required and optional fields with allowed values', async () => {
    expect(await ok('get_create_fields', { project: 'ABC' })).toMatch(
      /^Issue types in ABC: Epic, Story, Task, Bug, Subtask \(subtask\)/,
    );
    const bug = await ok('get_create_fields', { project: 'ABC', type: 'bug' });
    expect(bug).toContain(
      'Required (2):\n- Summary: string\n- Team (customfield_10030): option one of Platform, Payments, Growth',
    );
    expect(bug).toContain('- Story Points (customfield_10016): number');
    expect((await call('get_create_fields', { project: 'OPS', type: 'Bug' })).text).toContain('Issue types: Task');
  });

  it('projects: list and describe', async () => {
    const list = await ok('list_projects');
    expect(list).toContain('ABC Alpha Backend · software · lead Ada Lovelace');
    expect(list).toContain('WEB Web Frontend · software · team-managed · lead Grace Hopper');
    expect(await ok('list_projects', { query: 'ops' })).toMatch(/^OPS Operations/);
    const abc = await ok('get_project', { project: 'abc' });
    expect(abc).toContain('Issue types: Epic, Story, Task, Bug, Subtask (subtask)');
    expect(abc).toContain('Components: Auth, Billing, Search');
    expect(abc).toContain('Versions: 1.0 (released), 1.1 (due 2026-02-27)');
    expect((await call('get_project', { project: 'NOPE' })).text).toMatch(/^Not found: .*NOPE/);
  });

  it('agile: boards, sprints and sprint issues', async () => {
    expect(await ok('list_boards', { project: 'ABC' })).toContain('board 1 ABC board · scrum · project ABC');
    expect(await ok('list_sprints', { board_id: 1, state: ['active'] })).toMatch(
      /^sprint 2 ABC Sprint 2 \[active\] · 2026-01-05 → 2026-01-19 · goal: Fix login loops/,
    );
    const kanban = await call('list_sprints', { board_id: 2 });
    expect(kanban.text).toMatch(/^Invalid arguments: .*does not support sprints/);
    const issues = await ok('get_sprint_issues', { sprint_id: 2, limit: 5 });
    expect(issues.split('\n').filter((l) => /^ABC-\d+ /.test(l))).toHaveLength(5);
    expect(issues).toMatch(/\(5 of 15 shown; more with cursor="5"\)/);
    const mine = await ok('get_sprint_issues', { sprint_id: 2, jql: 'assignee = currentUser()' });
    expect(mine).toContain('Ada Lovelace');
    expect(mine).not.toContain('Grace Hopper');
  });

  it('never reveals the token; audit lines name the project; stdout carries only protocol', async () => {
    const echoed = await call('search_issues', { jql: `summary ~ "${canary}"` });
    expect(echoed.text).not.toContain(canary);
    await call('add_comment', { key: 'ABC-3', body: `leak ${canary}` });
    expect((await call('list_comments', { key: 'ABC-3' })).text).toContain('[REDACTED]');
    const lines = await vi.waitFor(() => {
      const found = auditLines(j.stderr());
      expect(found.some((l) => l.tool === 'list_comments' && l.outcome === 'ok')).toBe(true);
      return found;
    });
    const basic = Buffer.from(`ada@example.com:${canary}`).toString('base64');
    for (const form of [canary, basic, Buffer.from(canary).toString('base64').replace(/=+$/, '')]) {
      expect(results).not.toContain(form);
      expect(j.stderr()).not.toContain(form);
    }
    expect(lines.find((l) => l.tool === 'get_issue' && l.outcome === 'ok')?.resource).toEqual(['project:ABC']);
    expect(lines.every((l) => l.server === 'jira')).toBe(true);
    if (transport === 'stdio') {
      for (const line of j.harness.stdoutLines()) expect(JSON.parse(line).jsonrpc).toBe('2.0');
    }
  });

  it('sent only requests that Atlassian documents', () => {
    // Unassigning sends accountId: null, which the operation's description documents ("null, the issue is set
    // to unassigned") while its schema types the field as a string: checked here, the rest against the schema.
    const unassign = (r: { path: string; body: unknown }) =>
      r.path.endsWith('/assignee') && (r.body as { accountId?: unknown })?.accountId === null;
    const requests = j.sandbox.upstream.requests;
    expect(requests.filter(unassign)).toHaveLength(1);
    expect(platformRequests(requests).length).toBeGreaterThan(20);
    assertRequestsConform(
      platformApi(),
      platformRequests(requests).filter((r) => !unassign(r)),
    );
    assertRequestsConform(agileApi(), agileRequests(requests));
  });
});
