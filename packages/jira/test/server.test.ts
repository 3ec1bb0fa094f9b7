/**
 * The Jira server as a whole: credentials (Cloud and Data Center shapes), permissions, project policy,
 * upstream faults, and the Data Center v2 paths. Secret hygiene is checked in tools.test.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertRequestsConform } from '@switchboard-mcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOUD_ID, type JiraSandbox, startJiraSandbox } from '../src/sandbox/index.ts';
import { agileApi, agileRequests, type JiraUnderTest, platformApi, startJira, TRANSPORTS } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'sb-jira-'));
function policyFile(name: string, body: object): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(body));
  return path;
}

describe('credentials', () => {
  it('lists tools but answers calls with an auth error naming the variables when none are set', async () => {
    const j = await startJira({ transport: 'stdio', env: {} });
    try {
      expect((await j.harness.listTools()).length).toBeGreaterThan(10);
      const r = await j.harness.callTool('get_me', {});
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/^Authentication failed: no Jira credentials are set/);
      expect(r.text).toContain('JIRA_API_TOKEN');
      expect(r.text).toContain('JIRA_PAT');
    } finally {
      await j.close();
    }
  });

  it('accepts the shared ATLASSIAN_* names, and reports a rejected token without echoing it', async () => {
    const sandbox = await startJiraSandbox();
    const good = await startJira({
      transport: 'stdio',
      useSandbox: sandbox,
      env: {
        JIRA_URL: '',
        ATLASSIAN_URL: sandbox.url,
        ATLASSIAN_EMAIL: sandbox.email,
        ATLASSIAN_API_TOKEN: sandbox.token,
      },
    });
    const bad = 'ATATT3xFfGF0wrongwrongwrongwrongwrongwrong';
    const rejected = await startJira({
      transport: 'http',
      useSandbox: sandbox,
      env: { JIRA_EMAIL: sandbox.email, JIRA_API_TOKEN: bad },
    });
    try {
      expect((await good.harness.callTool('get_me', {})).text).toContain('Ada Lovelace');
      const r = await rejected.harness.callTool('get_issue', { key: 'ABC-1' });
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/^Authentication failed: Atlassian rejected the credentials/);
      expect(r.text + rejected.stderr()).not.toContain(bad);
    } finally {
      await good.close();
      await rejected.close();
      await sandbox.close();
    }
  });
});

describe('Cloud with an OAuth 2.0 access token', () => {
  it('sends the bearer through the /ex/jira/<cloudId> gateway path', async () => {
    const sandbox = await startJiraSandbox();
    const j = await startJira({
      transport: 'stdio',
      useSandbox: sandbox,
      env: { JIRA_URL: `${sandbox.url}/ex/jira/${CLOUD_ID}`, JIRA_OAUTH_TOKEN: sandbox.pat },
    });
    try {
      expect((await j.harness.callTool('get_me', {})).text).toContain('Jira Cloud');
      const issue = await j.harness.callTool('get_issue', { key: 'ABC-1', comments: 0 });
      expect(issue.isError, issue.text).toBe(false);
      expect(issue.text).not.toContain('/browse/');
      const requests = sandbox.upstream.requests;
      expect(requests.every((r) => r.path.startsWith(`/ex/jira/${CLOUD_ID}/rest/api/3/`))).toBe(true);
      expect(requests.every((r) => r.headers.authorization === `Bearer ${sandbox.pat}`)).toBe(true);
    } finally {
      await j.close();
      await sandbox.close();
    }
  });
});

describe.each(TRANSPORTS)('Data Center (personal access token, REST v2) over %s', (transport) => {
  let j: JiraUnderTest;
  beforeAll(async () => {
    j = await startJira({ transport, dataCenter: true, args: ['--toolsets', 'all'] });
  });
  afterAll(async () => {
    await j?.close();
  });

  it('authenticates with a Bearer PAT and uses v2 paths, startAt search and wiki-markup bodies', async () => {
    const me = await j.harness.callTool('get_me', {});
    expect(me.text).toContain('Jira Data Center');
    expect(me.text).toContain('username ada');
    const search = await j.harness.callTool('search_issues', { jql: 'project = WEB ORDER BY key ASC', limit: 10 });
    expect(search.text).toMatch(/^WEB-1 /);
    expect(search.text).toContain('(10 of 12 shown; more with cursor="10")');
    const rest = await j.harness.callTool('search_issues', { jql: 'project = WEB ORDER BY key ASC', cursor: '10' });
    expect(rest.text).toContain('(2 of 12 shown; end)');
    const created = await j.harness.callTool('create_issue', {
      project: 'WEB',
      type: 'Story',
      summary: 'DC story',
      description: 'Plain **text**',
      assignee: 'grace',
    });
    expect(created.isError, created.text).toBe(false);
    const key = /Created (WEB-\d+)/.exec(created.text)![1]!;
    const issue = await j.harness.callTool('get_issue', { key });
    expect(issue.text).toContain('Plain **text**');
    const meta = await j.harness.callTool('get_create_fields', { project: 'WEB', type: 'Story' });
    expect(meta.text).toContain('Required (1):\n- Summary: string');
    expect((await j.harness.callTool('assign_issue', { key, assignee: 'alan.turing@example.com' })).text).toBe(
      `Assigned ${key} to Alan Turing`,
    );
    const requests = j.sandbox.upstream.requests;
    expect(requests.every((r) => r.headers.authorization === `Bearer ${j.sandbox.pat}`)).toBe(true);
    const paths = requests.map((r) => r.path);
    expect(paths).toContain('/rest/api/2/search');
    expect(paths.some((p) => p.startsWith('/rest/api/3/'))).toBe(false);
    const create = requests.find((r) => r.method === 'POST' && r.path === '/rest/api/2/issue')!;
    expect((create.body as { fields: { description: unknown; assignee: unknown } }).fields).toMatchObject({
      description: 'Plain *text*',
      assignee: { name: 'grace' },
    });
    // Atlassian publishes the shared v2/v3 resources once, under /rest/api/3: check v2 requests at those paths.
    // Its v2 startAt search is gone from Cloud (and so from the description); Data Center still serves it.

    // A description written on Cloud (ADF in the sandbox) is served by v2 as wiki markup and still reads well.
    const rich = (await j.harness.callTool('get_issue', { key: 'ABC-2' })).text;
    expect(rich).toContain('## Context\n\nUsers on **Safari 17** hit `ERR_TOO_MANY_REDIRECTS`.');
    expect(rich).toContain('> [!WARNING]\n> Do not roll back the cookie change.');
    expect(rich).toContain('1. Sign in\n2. Wait for expiry\n   - 30 minutes on staging');
    expect(rich).toContain('| Browser | Affected |');
    const asV3 = requests
      .filter((r) => r.path !== '/rest/api/2/search')
      .map((r) => ({ ...r, path: r.path.replace(/^\/rest\/api\/2\//, '/rest/api/3/') }));
    assertRequestsConform(platformApi(), asV3);
  });

  it('writes Markdown as wiki markup and reads wiki markup back as Markdown', async () => {
    const markdown = [
      '## Rollout',
      '',
      'Ship **behind a flag**, see [runbook](https://wiki.example.com/run_book) and ask [@grace](username:grace).',
      '',
      '- step one',
      '  - nested `step`',
      '',
      '| Env | Ready |',
      '| - | - |',
      '| staging | yes |',
      '',
      '```ts',
      'const on = flags.get("rollout");',
      '```',
      '',
      'Literal {braces} and \\[brackets] stay text.',
    ].join('\n');
    const created = await j.harness.callTool('create_issue', {
      project: 'WEB',
      type: 'Task',
      summary: 'Wiki round trip',
      description: markdown,
      fields: { 'Acceptance Criteria': 'No **loop**' },
    });
    expect(created.isError, created.text).toBe(false);
    const key = /Created (WEB-\d+)/.exec(created.text)![1]!;
    const requests = j.sandbox.upstream.requests;
    const sent = requests.findLast((r) => r.method === 'POST' && r.path === '/rest/api/2/issue')!;
    expect((sent.body as { fields: { description: string } }).fields.description).toBe(
      [
        'h2. Rollout',
        '',
        'Ship *behind a flag*, see [runbook|https://wiki.example.com/run_book] and ask [~grace].',
        '',
        '* step one',
        '** nested {{step}}',
        '',
        '||Env||Ready||',
        '|staging|yes|',
        '',
        '{code:ts}',
        'const on = flags.get("rollout");',
        '{code}',
        '',
        'Literal \\{braces\\} and \\[brackets\\] stay text.',
      ].join('\n'),
    );
    expect((sent.body as { fields: Record<string, unknown> }).fields.customfield_10040).toBe('No *loop*');
    const issue = await j.harness.callTool('get_issue', { key });
    expect(issue.text).toContain(markdown);
    expect(issue.text).toMatch(/Acceptance Criteria:\n<untrusted[^>]*>\nNo \*\*loop\*\*\n<\/untrusted>/);

    // A comment written in Jira's own editor (wiki markup), read through list_comments and get_issue.
    const wiki =
      'h3. From Jira\n{color:red}Blocked{color} on [~ada], see {{auth.ts}}:\n{code:java}\nint x = 1;\n{code}';
    const res = await fetch(`${j.sandbox.url}/rest/api/2/issue/${key}/comment`, {
      method: 'POST',
      headers: { authorization: `Bearer ${j.sandbox.pat}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body: wiki }),
    });
    expect(res.status).toBe(201);
    const expected = [
      '### From Jira',
      '',
      '<span style="color:red">Blocked</span> on [@ada](username:ada), see `auth.ts`:',
      '',
      '```java',
      'int x = 1;',
      '```',
    ].join('\n');
    const listed = await j.harness.callTool('list_comments', { key });
    expect(listed.text).toContain(expected);
    expect((await j.harness.callTool('get_issue', { key })).text).toContain(expected);

    const commented = await j.harness.callTool('add_comment', { key, body: 'Done: *all* green ~~maybe~~' });
    expect(commented.isError, commented.text).toBe(false);
    const comment = requests.findLast((r) => r.method === 'POST' && r.path === `/rest/api/2/issue/${key}/comment`)!;
    expect(comment.body).toEqual({ body: 'Done: _all_ green -maybe-' });
    expect((await j.harness.callTool('list_comments', { key })).text).toContain('Done: _all_ green ~~maybe~~');

    const logged = await j.harness.callTool('add_worklog', { key, time_spent: '1h', comment: 'Paired on **auth**' });
    expect(logged.isError, logged.text).toBe(false);
    const worklog = requests.findLast((r) => r.method === 'POST' && r.path === `/rest/api/2/issue/${key}/worklog`)!;
    expect((worklog.body as { comment: string }).comment).toBe('Paired on *auth*');

    // A description written on Cloud (ADF in the sandbox) is served by v2 as wiki markup and still reads well.
    const rich = (await j.harness.callTool('get_issue', { key: 'ABC-2' })).text;
    expect(rich).toContain('## Context\n\nUsers on **Safari 17** hit `ERR_TOO_MANY_REDIRECTS`.');
    expect(rich).toContain('> [!WARNING]\n> Do not roll back the cookie change.');
    expect(rich).toContain('1. Sign in\n2. Wait for expiry\n   - 30 minutes on staging');
    expect(rich).toContain('| Browser | Affected |');
    const asV3 = requests
      .filter((r) => r.path !== '/rest/api/2/search')
      .map((r) => ({ ...r, path: r.path.replace(/^\/rest\/api\/2\//, '/rest/api/3/') }));
    assertRequestsConform(platformApi(), asV3);
  });
});

describe('permissions', () => {
  it('a browse-only account: get_me shows it, writes fail naming the permission', async () => {
    const token = 'ATATT3xFfGF0readonly000000000000000000000';
    const j = await startJira({
      transport: 'stdio',
      sandbox: { tokens: { [token]: { accountId: '5b10a2844c20165700ede21a', permissions: ['BROWSE_PROJECTS'] } } },
      env: { JIRA_EMAIL: 'ada@example.com', JIRA_API_TOKEN: token },
    });
    try {
      expect((await j.harness.callTool('get_me', {})).text).toContain('Permissions: BROWSE_PROJECTS');
      expect((await j.harness.callTool('get_issue', { key: 'ABC-1' })).isError).toBe(false);
      const r = await j.harness.callTool('create_issue', { project: 'ABC', type: 'Task', summary: 'nope' });
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/^Permission denied: .*You do not have permission to create issues in project ABC/);
      expect(r.text).toContain('CREATE_ISSUES');
    } finally {
      await j.close();
    }
  });
});

describe('project policy', () => {
  let j: JiraUnderTest;
  beforeAll(async () => {
    const policy = policyFile('policy.json', {
      toolsets: ['all'],
      resources: { read: ['project:ABC', 'project:WEB'], write: ['project:ABC'] },
    });
    j = await startJira({ transport: 'http', args: ['--policy', policy] });
  });
  afterAll(async () => {
    await j?.close();
  });

  it('scopes issues, JQL and writes by project key', async () => {
    expect((await j.harness.callTool('get_issue', { key: 'WEB-1' })).isError).toBe(false);
    expect((await j.harness.callTool('get_issue', { key: 'OPS-1' })).text).toContain('rule: resources.read');
    expect((await j.harness.callTool('search_issues', { jql: 'project = ABC AND status = Done' })).isError).toBe(false);
    expect((await j.harness.callTool('search_issues', { jql: 'project in (ABC, WEB)' })).isError).toBe(false);
    const unscoped = await j.harness.callTool('search_issues', { jql: 'status = Done' });
    expect(unscoped.text).toContain('rule: resources.read');
    expect(unscoped.text).toContain('project:*');
    const widened = await j.harness.callTool('search_issues', { jql: 'project = ABC OR project = OPS' });
    expect(widened.text).toContain('rule: resources.read');
    expect((await j.harness.callTool('search_issues', { jql: 'status = Done', project: 'WEB' })).isError).toBe(false);
    const write = await j.harness.callTool('add_comment', { key: 'WEB-2', body: 'hi' });
    expect(write.text).toContain('rule: resources.write');
    const link = await j.harness.callTool('link_issues', { from: 'ABC-5', to: 'WEB-2' });
    expect(link.text).toContain('rule: resources.write');
    expect((await j.harness.callTool('add_comment', { key: 'ABC-5', body: 'hi' })).isError).toBe(false);
    expect((await j.harness.callTool('list_boards', { project: 'OPS' })).text).toContain('rule: resources.read');
  });

  it("scopes a board's sprints by the board's project", async () => {
    j.sandbox.state.boards.push({ id: 9, name: 'OPS board', type: 'scrum', project: 'OPS' });
    j.sandbox.state.sprints.push({ id: 99, boardId: 9, name: 'OPS secret sprint', state: 'active' });
    const denied = await j.harness.callTool('list_sprints', { board_id: 9 });
    expect(denied.text).toContain('rule: resources.read');
    expect(denied.text).toContain('project:OPS');
    expect(denied.text).not.toContain('OPS secret sprint');
    const allowed = await j.harness.callTool('list_sprints', { board_id: 1 });
    expect(allowed.isError, allowed.text).toBe(false);
    expect(allowed.text).toContain('sprint 1 ');
    const boardLookups = agileRequests(j.sandbox.upstream.requests).filter((q) => /\/board\/\d+$/.test(q.path));
    expect(boardLookups.map((q) => q.path)).toEqual(['/rest/agile/1.0/board/9', '/rest/agile/1.0/board/1']);
    assertRequestsConform(agileApi(), boardLookups);
  });

  it('keeps JQL inside the allowed projects however it is spelled', async () => {
    for (const jql of ['project = ABC || status = Done', 'project in (ABC, 10002)', 'summary ~ "project = ABC"']) {
      const r = await j.harness.callTool('search_issues', { jql });
      expect(r.text, jql).toContain('rule: resources.read');
    }
    // `project` scopes the query; JQL closing its parenthesis early must not reach past it.
    for (const [tool, args] of [
      ['search_issues', { jql: 'status = Done) OR (project = OPS', project: 'WEB' }],
      ['get_sprint_issues', { sprint_id: 1, jql: 'status = Done) OR (project = OPS', project: 'ABC' }],
    ] as const) {
      const r = await j.harness.callTool(tool, args);
      expect(r.isError, tool).toBe(true);
      expect(r.text).toContain('unbalanced parentheses');
      expect(r.text).not.toMatch(/OPS-\d/);
    }
  });
});

describe('upstream faults', () => {
  let sandbox: JiraSandbox;
  let j: JiraUnderTest;
  beforeAll(async () => {
    sandbox = await startJiraSandbox();
    const policy = policyFile('faults.json', { callTimeoutSeconds: 4, cache: { enabled: false } });
    j = await startJira({ transport: 'http', useSandbox: sandbox, args: ['--policy', policy] });
    // Warm up: the first call loads the SDK, which must not eat into the short deadlines below.
    await j.harness.callTool('get_me', {});
  });
  afterAll(async () => {
    await j?.close();
    await sandbox?.close();
  });

  async function withFault(fault: object, times = 1) {
    sandbox.upstream.clearRequests();
    sandbox.upstream.addFault({ fault: fault as never, match: { path: '/rest/api/3/issue/ABC-1' }, times });
    const r = await j.harness.callTool('get_issue', { key: 'ABC-1' });
    sandbox.upstream.clearFaults();
    return { r, requests: sandbox.upstream.requests.filter((q) => q.path === '/rest/api/3/issue/ABC-1').length };
  }

  it('a transient 503 is retried transparently', async () => {
    const { r, requests } = await withFault({ kind: 'status', status: 503 });
    expect(r.isError).toBe(false);
    expect(requests).toBe(2);
  });

  it('a persistent 500 with an Atlassian body: bounded retries, then the message', async () => {
    const { r, requests } = await withFault(
      { kind: 'status', status: 500, body: { errorMessages: ['Internal server error'], errors: {} } },
      Number.POSITIVE_INFINITY,
    );
    expect(r.text).toMatch(/^Upstream error: Atlassian failed with HTTP 500: Internal server error/);
    expect(requests).toBeLessThanOrEqual(3);
  });

  it('429 with Retry-After: waits as told, never storms, then says when to retry', async () => {
    const { r, requests } = await withFault(
      { kind: 'rate_limit', status: 429, retryAfterSeconds: 1 },
      Number.POSITIVE_INFINITY,
    );
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^Rate limited/);
    expect(r.text).toMatch(/Retry after \d+s/);
    expect(requests).toBeLessThanOrEqual(3);
  });

  it('a hanging upstream ends at the call deadline with a clear error', async () => {
    const { r } = await withFault({ kind: 'hang' });
    expect(r.text).toMatch(/^Timed out/);
  });

  it('a removed endpoint (410) or an answer without issues is an error, never an empty result', async () => {
    const search = async (fault: object) => {
      sandbox.upstream.addFault({ fault: fault as never, match: { path: '/rest/api/3/search/jql' } });
      const r = await j.harness.callTool('search_issues', { jql: 'project = ABC' });
      sandbox.upstream.clearFaults();
      return r;
    };
    const gone = await search({
      kind: 'status',
      status: 410,
      body: {
        errorMessages: ['The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.'],
      },
    });
    expect(gone.text).toMatch(/^Upstream error: Atlassian removed this endpoint: The requested API has been removed/);
    const empty = await search({ kind: 'status', status: 200, body: { values: [] } });
    expect(empty.isError).toBe(true);
    expect(empty.text).toContain('without its "issues" list');
    // Not "no transitions available" / "no link type matches" when the answer lacks its list.
    sandbox.upstream.addFault({
      fault: { kind: 'status', status: 200, body: {} } as never,
      match: { path: '/rest/api/3/issue/ABC-1/transitions' },
    });
    const transitions = await j.harness.callTool('list_transitions', { key: 'ABC-1' });
    sandbox.upstream.clearFaults();
    expect(transitions.isError, transitions.text).toBe(true);
    expect(transitions.text).toContain('without its "transitions" list');
    sandbox.upstream.addFault({
      fault: { kind: 'status', status: 200, body: {} } as never,
      match: { path: '/rest/api/3/issueLinkType' },
    });
    const link = await j.harness.callTool('link_issues', { from: 'ABC-1', to: 'ABC-2' });
    sandbox.upstream.clearFaults();
    expect(link.isError, link.text).toBe(true);
    expect(link.text).toContain('without its "issueLinkTypes" list');
  });

  it('malformed JSON is an error, never an empty result', async () => {
    const { r } = await withFault({ kind: 'malformed_json' });
    expect(r.isError).toBe(true);
  });
});
