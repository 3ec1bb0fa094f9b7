/**
 * The sandbox itself, over plain HTTP: Atlassian's auth answers, error bodies, the removed search endpoint,
 * enhanced-search paging and the JQL subset; plus the policy resources a JQL query maps to.
 */
import { assertResponsesConform, type ObservedResponse } from '@switchboard-mcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JiraSandbox, startJiraSandbox } from '../src/sandbox/index.ts';
import { jqlResources, scopeJql } from '../src/tools/issues.ts';
import { platformApi } from './helpers.ts';

let sandbox: JiraSandbox;
let basic: string;
const observed: ObservedResponse[] = [];

async function get(path: string, auth = basic) {
  const res = await fetch(`${sandbox.url}${path}`, { headers: { authorization: auth, accept: 'application/json' } });
  const text = await res.text();
  const body = res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  observed.push({
    method: 'GET',
    path: path.split('?')[0]!,
    status: res.status,
    body,
    contentType: res.headers.get('content-type') ?? undefined,
  });
  return { status: res.status, body, headers: res.headers };
}

const search = (jql: string, extra = '') =>
  get(`/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}&fields=summary${extra}`);
const keys = (body: { issues: { key: string }[] }) => body.issues.map((i) => i.key);

beforeAll(async () => {
  sandbox = await startJiraSandbox();
  basic = `Basic ${Buffer.from(`${sandbox.email}:${sandbox.token}`).toString('base64')}`;
});
afterAll(async () => {
  await sandbox?.close();
});

describe('jira sandbox', () => {
  it('answers unauthenticated and wrong-email requests with 401 text, as Jira Cloud does', async () => {
    expect((await get('/rest/api/3/myself', '')).status).toBe(401);
    const wrong = `Basic ${Buffer.from(`grace@example.com:${sandbox.token}`).toString('base64')}`;
    const r = await get('/rest/api/3/myself', wrong);
    expect(r.status).toBe(401);
    expect(r.body).toBe('Client must be authenticated to access this resource.');
    expect((await get('/rest/api/2/myself', `Bearer ${sandbox.pat}`)).body).toMatchObject({ name: 'ada' });
  });

  it('answers the removed /rest/api/3/search with 410 and a migration message, never an empty result', async () => {
    const r = await get('/rest/api/3/search?jql=project%20%3D%20ABC');
    expect(r.status).toBe(410);
    expect(r.body.errorMessages[0]).toContain('/rest/api/3/search/jql');
  });

  it('enhanced search: ids only by default, unbounded queries refused, tokens page and are checked', async () => {
    const bare = await get('/rest/api/3/search/jql?jql=project%20%3D%20OPS');
    expect(bare.body.issues[0]).toEqual({ id: expect.any(String) });
    expect((await get('/rest/api/3/search/jql?jql=order%20by%20key')).body.errorMessages[0]).toContain('Unbounded');
    const first = await search('project = WEB ORDER BY key ASC', '&maxResults=5');
    expect(keys(first.body)).toEqual(['WEB-1', 'WEB-2', 'WEB-3', 'WEB-4', 'WEB-5']);
    expect(first.body.isLast).toBe(false);
    const second = await search(
      'project = WEB ORDER BY key ASC',
      `&maxResults=10&nextPageToken=${first.body.nextPageToken}`,
    );
    expect(keys(second.body)[0]).toBe('WEB-6');
    expect(second.body.isLast).toBe(true);
    expect(second.body.nextPageToken).toBeUndefined();
    const stale = await search('project = OPS', `&nextPageToken=${first.body.nextPageToken}`);
    expect(stale.status).toBe(400);
  });

  it('evaluates the JQL subset: boolean logic, functions, dates, text, custom fields', async () => {
    expect(
      keys((await search('project = ABC AND assignee = currentUser() AND statusCategory = Done')).body).length,
    ).toBeGreaterThan(0);
    expect(keys((await search('key in (ABC-3, WEB-2) ORDER BY key DESC')).body)).toEqual(['WEB-2', 'ABC-3']);
    expect(
      keys((await search('project = ABC AND (labels = customer OR "Story Points" >= 8) AND NOT status = Done')).body)
        .length,
    ).toBeGreaterThan(0);
    expect(keys((await search('sprint in openSprints() AND project = ABC')).body)).toHaveLength(15);
    expect(keys((await search('text ~ "HAR" AND project = ABC')).body)).toEqual(['ABC-2']);
    expect(keys((await search('project = OPS AND updated >= -1d')).body)).toEqual([]);
    expect(keys((await search('project = OPS AND created >= "2026-01-01"')).body).length).toBe(4);
    expect(keys((await search('assignee is EMPTY AND project = ABC')).body).length).toBeGreaterThan(0);
    const unknown = await search('velocity > 3');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errorMessages[0]).toBe(
      "Field 'velocity' does not exist or you do not have permission to view it.",
    );
    expect((await search('project = "ABC')).body.errorMessages[0]).toContain('has not been completed');
  });

  it('answers in the shapes Atlassian documents', async () => {
    observed.length = 0;
    await get('/rest/api/3/myself');
    await get('/rest/api/3/issue/ABC-2?expand=names');
    await get('/rest/api/3/issue/ABC-2/transitions?expand=transitions.fields');
    await get('/rest/api/3/issue/ABC-2/comment?maxResults=2');
    await get('/rest/api/3/field');
    await get('/rest/api/3/project/search?expand=lead');
    await get('/rest/api/3/issueLinkType');
    await get('/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS');
    await search('project = ABC');
    expect(observed.every((o) => o.status === 200)).toBe(true);
    assertResponsesConform(platformApi(), observed);
  });
});

describe('JQL policy resources', () => {
  it('names the projects a query is bounded to, and project:* when it is not', () => {
    expect(jqlResources('project = ABC AND status = Done')).toEqual(['project:ABC']);
    expect(jqlResources('project in (abc, "WEB") ORDER BY key')).toEqual(['project:ABC', 'project:WEB']);
    expect(jqlResources('key = ABC-12')).toEqual(['project:ABC']);
    expect(jqlResources('status = Done')).toEqual(['project:*']);
    expect(jqlResources('project = ABC OR project = OPS')).toEqual(['project:*']);
    expect(jqlResources('project != ABC')).toEqual(['project:*']);
    expect(jqlResources('project = ABC AND summary ~ "a OR b"')).toEqual(['project:ABC']);
    expect(jqlResources('anything', 'web')).toEqual(['project:WEB']);
  });

  it('reads OR and NOT in every JQL spelling, and names or ids as any project', () => {
    // Jira reads || and | as OR, ! as NOT.
    expect(jqlResources('project = ABC || project = OPS')).toEqual(['project:*']);
    expect(jqlResources('project = ABC | project = OPS')).toEqual(['project:*']);
    expect(jqlResources('!(project = ABC AND status = Done)')).toEqual(['project:*']);
    // A project name or id can be any project, whatever word it starts with.
    expect(jqlResources('project = "ABC Operations"')).toEqual(['project:*']);
    expect(jqlResources('project = 10002')).toEqual(['project:*']);
    expect(jqlResources('project in (ABC, 10002)')).toEqual(['project:*']);
    expect(jqlResources('project in (ABC, "Web Frontend")')).toEqual(['project:*']);
    // Text inside a string names no project; single quotes are strings too.
    expect(jqlResources('summary ~ "project = ABC"')).toEqual(['project:*']);
    expect(jqlResources("project = ABC AND summary ~ 'x\" OR project = OPS'")).toEqual(['project:ABC']);
    expect(jqlResources('summary ~ "x\'" OR project = ABC AND labels = "y\'"')).toEqual(['project:*']);
    expect(jqlResources('project = ABC AND summary ~ "open')).toEqual(['project:*']);
  });

  it('refuses to scope a query whose parentheses or quotes would escape the project clause', () => {
    const escapes = [
      'status = Done) OR (project = OPS',
      'summary ~ "x order by" ) OR project = OPS OR summary ~ "z"',
      'status = Done) OR project = OPS ORDER BY key',
      'summary ~ "open',
    ];
    for (const jql of escapes) expect(() => scopeJql(jql, 'ABC'), jql).toThrow(/unbalanced parentheses/);
    expect(scopeJql('summary ~ "a ) order by b" ORDER BY key', 'abc')).toBe(
      'project = "ABC" AND (summary ~ "a ) order by b") ORDER BY key',
    );
  });

  it('scopes a query to a project, keeping ORDER BY last', () => {
    expect(scopeJql('status = Done OR labels = x ORDER BY key', 'abc')).toBe(
      'project = "ABC" AND (status = Done OR labels = x) ORDER BY key',
    );
    expect(scopeJql('order by created DESC', 'ABC')).toBe('project = "ABC" order by created DESC');
  });
});
