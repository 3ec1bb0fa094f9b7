import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assertRequestsConform,
  assertResponsesConform,
  type CheckResult,
  loadApiDescription,
  specPath,
} from '../src/openapi.ts';
import { json, startFakeUpstream } from '../src/upstream.ts';

const require = createRequire(import.meta.url);
const GITHUB = join(dirname(require.resolve('@octokit/openapi/package.json')), 'generated/api.github.com.json');
const GHES = join(dirname(require.resolve('@octokit/openapi/package.json')), 'generated/ghes-3.17.json');
const JIRA = specPath('jira-cloud-platform.openapi.json');
const AGILE = specPath('jira-software-agile.openapi.json');
const CONFLUENCE = specPath('confluence-cloud-v2.openapi.json');
const SLACK = specPath('slack-web.openapi-v2.json');

const JSON_CT = { 'content-type': 'application/json; charset=utf-8' };
const FORM_CT = { 'content-type': 'application/x-www-form-urlencoded' };

function expectOk(r: CheckResult, operationId: string): void {
  expect(r.errors).toEqual([]);
  expect(r.ok).toBe(true);
  expect(r.operationId).toBe(operationId);
}

function expectError(r: CheckResult, pattern: RegExp): void {
  expect(r.ok).toBe(false);
  expect(r.errors.join('\n')).toMatch(pattern);
}

describe('GitHub (OpenAPI 3.0, @octokit/openapi)', () => {
  const gh = loadApiDescription(GITHUB);

  it('lists operations and caches the parsed file', () => {
    expect(gh.operations().length).toBeGreaterThan(900);
    expect(gh.operations()).toContainEqual({
      method: 'GET',
      path: '/repos/{owner}/{repo}/issues',
      operationId: 'issues/list-for-repo',
    });
    expect(loadApiDescription(GITHUB)).toBe(gh);
  });

  it('accepts correct requests', () => {
    expectOk(
      gh.check({ method: 'GET', path: '/repos/octo/hello/issues', query: { state: 'open', per_page: '30' } }),
      'issues/list-for-repo',
    );
    expectOk(
      gh.check({ method: 'get', path: '/repos/octo/hello/issues?state=all&labels=bug,ui' }),
      'issues/list-for-repo',
    );
    expectOk(
      gh.check({
        method: 'POST',
        path: '/repos/octo/hello/issues',
        headers: JSON_CT,
        body: { title: 'Crash', labels: ['bug'], milestone: null },
      }),
      'issues/create',
    );
    expectOk(gh.check({ method: 'GET', path: '/repos/octo/hello/contents/dir%2Ffile.txt' }), 'repos/get-content');
    expectOk(
      gh.check({ method: 'GET', path: '/search/issues', query: new URLSearchParams('q=is:open') }),
      'search/issues-and-pull-requests',
    );
  });

  it('prefers literal segments over templated ones', () => {
    expectOk(gh.check({ method: 'GET', path: '/repos/o/r/issues/comments' }), 'issues/list-comments-for-repo');
    expectOk(gh.check({ method: 'GET', path: '/repos/o/r/issues/12' }), 'issues/get');
  });

  it('rejects a wrong method, naming the methods the path has', () => {
    expectError(
      gh.check({ method: 'PUT', path: '/repos/octo/hello/issues' }),
      /PUT is not an operation of \/repos\/\{owner\}\/\{repo\}\/issues .*\(it has GET, POST\)/,
    );
  });

  it('rejects an unknown path, suggesting the closest', () => {
    expectError(
      gh.check({ method: 'GET', path: '/repos/octo/hello/isues' }),
      /no path .* matches \/repos\/octo\/hello\/isues \(closest: \/repos\/\{owner\}\/\{repo\}\/issues/,
    );
    // extra segments do not match a final {param} unless asked to
    expectError(gh.check({ method: 'GET', path: '/repos/octo/hello/contents/dir/file.txt' }), /no path/);
  });

  it('matches multi-segment params when configured', () => {
    const d = loadApiDescription(GITHUB, { multiSegmentParams: ['path'] });
    expectOk(
      d.check({ method: 'GET', path: '/repos/octo/hello/contents/dir/file.txt', query: { ref: 'main' } }),
      'repos/get-content',
    );
    expectError(d.check({ method: 'GET', path: '/repos/octo/hello/isues' }), /no path/);
  });

  it('rejects a missing required query parameter', () => {
    expectError(gh.check({ method: 'GET', path: '/search/issues' }), /missing required query parameter 'q'/);
  });

  it('rejects bad enum values and types in query and path', () => {
    const r = gh.check({ method: 'GET', path: '/repos/octo/hello/issues?state=opened&per_page=x' });
    expectError(r, /query parameter 'state' must be one of 'open', 'closed', 'all' \(got 'opened'\)/);
    expectError(r, /query parameter 'per_page' must be integer \(got 'x'\)/);
    expectError(
      gh.check({ method: 'GET', path: '/repos/octo/hello/issues/abc' }),
      /path parameter 'issue_number' must be integer \(got 'abc'\)/,
    );
  });

  it('reports unknown and repeated query parameters', () => {
    expectError(
      gh.check({ method: 'GET', path: '/repos/o/r/issues', query: { stat: 'open' } }),
      /unknown query parameter 'stat' \(known: .*state/,
    );
    expectError(
      gh.check({ method: 'GET', path: '/repos/o/r/issues', query: { state: ['open', 'closed'] } }),
      /query parameter 'state' is given 2 times/,
    );
  });

  it('validates the JSON body against the operation schema', () => {
    expectError(
      gh.check({ method: 'POST', path: '/repos/o/r/issues', headers: JSON_CT, body: { title: 'x', labels: 'bug' } }),
      /body\.labels must be array \(got 'bug'\)/,
    );
    expectError(
      gh.check({ method: 'POST', path: '/repos/o/r/issues', body: { body: 'no title' } }),
      /body is missing required property 'title'/,
    );
    expectError(
      gh.check({ method: 'PATCH', path: '/repos/o/r/pulls/3', body: { state: 'merged' } }),
      /body\.state must be one of 'open', 'closed' \(got 'merged'\)/,
    );
    expectError(gh.check({ method: 'POST', path: '/repos/o/r/issues' }), /missing required request body/);
    expectError(
      gh.check({ method: 'POST', path: '/repos/o/r/issues', headers: { 'content-type': 'text/plain' }, body: 'x' }),
      /content type 'text\/plain' is not accepted \(accepted: application\/json\)/,
    );
    expectError(
      gh.check({ method: 'GET', path: '/user', body: { x: 1 } }),
      /users\/get-authenticated takes no request body/,
    );
    // a JSON string body is parsed first
    expectOk(
      gh.check({ method: 'POST', path: '/repos/o/r/issues', headers: JSON_CT, body: '{"title":"t"}' }),
      'issues/create',
    );
  });

  it('strips the server base path (GHES /api/v3) and an explicit one', () => {
    const ghes = loadApiDescription(GHES);
    expectOk(ghes.check({ method: 'GET', path: '/api/v3/repos/o/r/issues' }), 'issues/list-for-repo');
    expect(() =>
      assertRequestsConform(gh, [{ method: 'GET', path: '/prefix/repos/o/r' }], { basePath: '/prefix' }),
    ).not.toThrow();
  });
});

describe('Jira and Confluence (OpenAPI 3.0, Atlassian)', () => {
  const jira = loadApiDescription(JIRA);
  const confluence = loadApiDescription(CONFLUENCE);
  const agile = loadApiDescription(AGILE);

  it('accepts correct requests', () => {
    expectOk(
      jira.check({
        method: 'GET',
        path: '/rest/api/3/search/jql',
        query: { jql: 'project = X', maxResults: '50', fields: 'summary,status' },
      }),
      'searchAndReconsileIssuesUsingJql',
    );
    expectOk(
      jira.check({ method: 'GET', path: '/rest/api/3/issue/ABC-1', query: { fields: ['summary', 'status'] } }),
      'getIssue',
    );
    expectOk(
      jira.check({
        method: 'POST',
        path: '/rest/api/3/issue',
        headers: JSON_CT,
        body: { fields: { summary: 'x', project: { key: 'P' }, issuetype: { name: 'Bug' } } },
      }),
      'createIssue',
    );
    expectOk(
      agile.check({ method: 'GET', path: '/rest/agile/1.0/board/7/sprint', query: { state: 'active' } }),
      'getAllSprints',
    );
    // the server URL's path (/wiki/api/v2) is stripped; its oneOf body branches overlap and both are accepted
    expectOk(
      confluence.check({
        method: 'POST',
        path: '/wiki/api/v2/pages',
        body: { spaceId: '1', status: 'current', title: 't', body: { representation: 'storage', value: '<p/>' } },
      }),
      'createPage',
    );
    expectOk(
      confluence.check({ method: 'GET', path: '/wiki/api/v2/pages', query: { 'space-id': '1', limit: '25' } }),
      'getPages',
    );
  });

  it('rejects wrong method, unknown path, missing param, bad enum, bad body type', () => {
    expectError(jira.check({ method: 'DELETE', path: '/rest/api/3/search/jql' }), /DELETE is not an operation/);
    expectError(
      jira.check({ method: 'GET', path: '/rest/api/3/serch/jql' }),
      /no path .* \(closest: .*\/rest\/api\/3\/search\/jql/,
    );
    expectError(
      jira.check({ method: 'GET', path: '/rest/api/3/issuetype/project' }),
      /missing required query parameter 'projectId'/,
    );
    expectError(
      jira.check({ method: 'GET', path: '/rest/api/3/issuetype/project', query: { projectId: 'ten' } }),
      /query parameter 'projectId' must be integer \(got 'ten'\)/,
    );
    expectError(
      jira.check({ method: 'POST', path: '/rest/api/3/issue/ABC-1/transitions', body: { transition: 5 } }),
      /body\.transition must be object \(got 5\)/,
    );
    expectError(
      confluence.check({ method: 'GET', path: '/wiki/api/v2/pages', query: { 'body-format': 'html' } }),
      /query parameter 'body-format' must be one of 'storage', 'atlas_doc_format' \(got 'html'\)/,
    );
    expectError(
      confluence.check({ method: 'POST', path: '/wiki/api/v2/pages', body: { title: 't' } }),
      /body is missing required property 'spaceId'/,
    );
    expectError(
      confluence.check({ method: 'GET', path: '/wiki/api/v2/pages/abc' }),
      /path parameter 'id' must be integer \(got 'abc'\)/,
    );
  });
});

describe('Slack (Swagger 2.0)', () => {
  const slack = loadApiDescription(SLACK, { rpc: true, ignoreParams: ['token'] });

  it('accepts form and JSON bodies, GET or POST, with the basePath stripped', () => {
    expectOk(
      slack.check({ method: 'POST', path: '/api/chat.postMessage', headers: FORM_CT, body: 'channel=C1&text=hi' }),
      'chat_postMessage',
    );
    expectOk(
      slack.check({
        method: 'POST',
        path: '/api/chat.postMessage',
        headers: JSON_CT,
        body: { channel: 'C1', blocks: [{ type: 'section' }] },
      }),
      'chat_postMessage',
    );
    expectOk(
      slack.check({
        method: 'POST',
        path: '/api/conversations.history',
        headers: FORM_CT,
        body: { channel: 'C1', limit: '20' },
      }),
      'conversations_history',
    );
    expectOk(
      slack.check({ method: 'GET', path: '/api/conversations.history', query: { channel: 'C1' } }),
      'conversations_history',
    );
  });

  it('rejects missing required params, bad types and unknown fields', () => {
    const r = slack.check({
      method: 'POST',
      path: '/api/chat.postMessage',
      headers: FORM_CT,
      body: { text: 'hi', mrkdwn: 'maybe', color: 'red' },
    });
    expectError(r, /missing required form parameter 'channel'/);
    expectError(r, /form parameter 'mrkdwn' must be boolean \(got 'maybe'\)/);
    expectError(r, /unknown form field 'color'/);
    expectError(
      slack.check({ method: 'GET', path: '/api/conversations.history', query: { channel: 'C1', limit: 'lots' } }),
      /query parameter 'limit' must be integer \(got 'lots'\)/,
    );
  });

  it('without rpc, methods and parameter locations are as described', () => {
    const strict = loadApiDescription(SLACK);
    expectError(
      strict.check({ method: 'POST', path: '/api/conversations.history', body: { channel: 'C1' } }),
      /POST is not an operation of \/conversations\.history .*\(it has GET\)/,
    );
    // token is a required header parameter there; header parameters are not checked
    expectOk(
      strict.check({ method: 'POST', path: '/api/chat.postMessage', headers: FORM_CT, body: { channel: 'C1' } }),
      'chat_postMessage',
    );
  });

  it('assertRequestsConform lists every failure, except allow-listed newer methods', () => {
    const reqs = [
      {
        method: 'POST',
        path: '/api/files.getUploadURLExternal',
        body: { filename: 'a', length: '1' },
        headers: FORM_CT,
      },
      { method: 'POST', path: '/api/canvases.create', body: {}, headers: FORM_CT },
      { method: 'POST', path: '/api/chat.postMessage', body: { channel: 'C1' }, headers: FORM_CT },
    ];
    expect(() => assertRequestsConform(slack, reqs)).toThrow(
      /2 of 3 request\(s\) do not conform to Slack Web API:\n {2}- POST \/api\/files\.getUploadURLExternal: no path.*\n {2}- POST \/api\/canvases\.create/,
    );
    expect(() =>
      assertRequestsConform(slack, reqs, { allow: ['POST /files.getUploadURLExternal', '* /canvases.*'] }),
    ).not.toThrow();
  });
});

describe('assertRequestsConform with a fake upstream', () => {
  it('checks what a client really sent, and allows by operationId', async () => {
    const up = await startFakeUpstream();
    try {
      up.route('*', '/*rest', () => json(200, {}));
      await fetch(`${up.url}/repos/o/r/issues?state=open`);
      await fetch(`${up.url}/repos/o/r/issues`, {
        method: 'POST',
        headers: JSON_CT,
        body: JSON.stringify({ title: 1.5 }),
      });
      await fetch(`${up.url}/repos/o/r/labels/bug`, {
        method: 'PATCH',
        headers: JSON_CT,
        body: JSON.stringify({ color: 7 }),
      });
      const gh = loadApiDescription(GITHUB);
      let message = '';
      try {
        assertRequestsConform(gh, up.requests);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/^2 of 3 request\(s\) do not conform/);
      expect(message).toMatch(/POST \/repos\/o\/r\/issues: body\.title must be string \(got 1\.5\)/);
      expect(message).toMatch(/PATCH \/repos\/o\/r\/labels\/bug: body\.color must be string \(got 7\)/);
      expect(() =>
        assertRequestsConform(gh, up.requests, { allow: ['issues/create', 'issues/update-label'] }),
      ).not.toThrow();
    } finally {
      await up.close();
    }
  });
});

describe('schema dialects', () => {
  const base = {
    info: { title: 'Tiny', version: '1' },
    components: {
      schemas: {
        Label: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
        Node: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
          },
        },
      },
    },
  };

  it('OpenAPI 3.0: nullable on types, enums, $refs; boolean exclusiveMinimum; recursive refs', () => {
    const d = loadApiDescription({
      ...base,
      openapi: '3.0.3',
      paths: {
        '/things': {
          post: {
            operationId: 'create',
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    additionalProperties: false,
                    properties: {
                      n: { type: 'integer', nullable: true, minimum: 0, exclusiveMinimum: true },
                      e: { type: 'string', enum: ['a', 'b'], nullable: true },
                      label: { allOf: [{ $ref: '#/components/schemas/Label' }], nullable: true },
                      free: { nullable: true, description: 'anything' },
                      tree: { $ref: '#/components/schemas/Node' },
                    },
                  },
                },
              },
            },
          },
        },
      },
    });
    const body = (b: unknown) => d.check({ method: 'POST', path: '/things', body: b });
    expectOk(
      body({ n: null, e: null, label: null, free: null, tree: { children: [{ name: 'x', children: [] }] } }),
      'create',
    );
    expectOk(body({ n: 1, e: 'a', label: { name: 'l' } }), 'create');
    expectError(body({ n: 0 }), /body\.n must be > 0/);
    expectError(body({ e: 'c' }), /body\.e must be one of 'a', 'b', null/);
    expectError(body({ label: {} }), /body\.label is missing required property 'name'/);
    expectError(body({ tree: { children: [{ name: 3 }] } }), /body\.tree\.children\.0\.name must be string/);
    expectError(body({ extra: 1 }), /body has unknown property 'extra'/);
  });

  it('OpenAPI 3.1: JSON Schema 2020-12 type unions and $defs-style refs', () => {
    const d = loadApiDescription({
      ...base,
      openapi: '3.1.0',
      paths: {
        '/things/{id}': {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          put: {
            operationId: 'put',
            parameters: [
              {
                name: 'tags',
                in: 'query',
                style: 'form',
                explode: false,
                schema: { type: 'array', items: { enum: ['x', 'y'] } },
              },
            ],
            requestBody: {
              content: {
                'application/json': {
                  schema: { type: ['object', 'null'], properties: { label: { $ref: '#/components/schemas/Label' } } },
                },
              },
            },
          },
        },
      },
    });
    expectOk(d.check({ method: 'PUT', path: '/things/3?tags=x,y', body: { label: { name: 'a' } } }), 'put');
    expectOk(d.check({ method: 'PUT', path: '/things/3', body: null }), 'put');
    expectError(
      d.check({ method: 'PUT', path: '/things/3?tags=x,z' }),
      /query parameter 'tags'\.1 must be one of 'x', 'y' \(got 'z'\)/,
    );
    expectError(
      d.check({ method: 'PUT', path: '/things/3', body: { label: { name: 1 } } }),
      /body\.label\.name must be string/,
    );
  });

  it('OpenAPI 3: form-urlencoded bodies are checked with string coercion', () => {
    const d = loadApiDescription({
      openapi: '3.0.0',
      info: { title: 'Forms', version: '1' },
      paths: {
        '/oauth/token': {
          post: {
            operationId: 'token',
            requestBody: {
              required: true,
              content: {
                'application/x-www-form-urlencoded': {
                  schema: {
                    type: 'object',
                    required: ['grant_type'],
                    properties: { grant_type: { enum: ['client_credentials'] }, ttl: { type: 'integer' } },
                  },
                },
              },
            },
          },
        },
      },
    });
    expectOk(
      d.check({ method: 'POST', path: '/oauth/token', headers: FORM_CT, body: 'grant_type=client_credentials&ttl=60' }),
      'token',
    );
    expectError(
      d.check({ method: 'POST', path: '/oauth/token', headers: FORM_CT, body: { ttl: 'soon' } }),
      /body\.ttl must be integer \(got 'soon'\)/,
    );
    expectError(
      d.check({ method: 'POST', path: '/oauth/token', headers: FORM_CT, body: { ttl: '1' } }),
      /body is missing required property 'grant_type'/,
    );
    expectError(
      d.check({ method: 'POST', path: '/oauth/token', headers: JSON_CT, body: { grant_type: 'client_credentials' } }),
      /content type 'application\/json' is not accepted/,
    );
  });

  it('Swagger 2.0: body parameter, csv arrays, basePath', () => {
    const d = loadApiDescription({
      swagger: '2.0',
      info: { title: 'Old', version: '1' },
      basePath: '/v1',
      definitions: { Pet: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
      paths: {
        '/pets': {
          post: {
            operationId: 'addPet',
            parameters: [
              { name: 'body', in: 'body', required: true, schema: { $ref: '#/definitions/Pet' } },
              { name: 'tags', in: 'query', type: 'array', items: { type: 'integer' } },
            ],
          },
        },
      },
    });
    expectOk(d.check({ method: 'POST', path: '/v1/pets?tags=1,2', body: { name: 'rex' } }), 'addPet');
    expectError(d.check({ method: 'POST', path: '/v1/pets', body: { name: 1 } }), /body\.name must be string/);
    expectError(
      d.check({ method: 'POST', path: '/v1/pets?tags=1,b', body: { name: 'a' } }),
      /query parameter 'tags'\.1 must be integer/,
    );
    expectError(d.check({ method: 'POST', path: '/v1/pets' }), /missing required request body/);
  });

  it('rejects documents that are not OpenAPI or Swagger', () => {
    expect(() => loadApiDescription({ info: {}, paths: {} })).toThrow(/not an OpenAPI 3 or Swagger 2 document/);
  });
});

describe('responses', () => {
  // GitHub's own examples are realistic bodies; parse the file once here to reach them
  const doc = JSON.parse(readFileSync(GITHUB, 'utf8')) as { components: { examples: Record<string, { value: any }> } };
  const example = (name: string) => structuredClone(doc.components.examples[name]!.value);
  const gh = loadApiDescription(doc);
  const issue = (status: number, body: unknown, contentType = 'application/json; charset=utf-8') =>
    gh.checkResponse({ method: 'GET', path: '/repos/octocat/Hello-World/issues/1347', status, body, contentType });

  it('GitHub: conforming responses pass (JSON text or parsed, $ref responses, bodiless 204, GHES base path)', () => {
    expectOk(issue(200, example('issue')), 'issues/get');
    expectOk(issue(200, JSON.stringify(example('issue'))), 'issues/get');
    expectOk(
      gh.checkResponse({
        method: 'GET',
        path: '/repos/o/r/issues?state=all',
        status: 200,
        body: example('issue-items'),
      }),
      'issues/list-for-repo',
    );
    // 404 is `$ref: #/components/responses/not_found`
    expectOk(
      issue(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' }),
      'issues/get',
    );
    expectOk(
      gh.checkResponse({ method: 'DELETE', path: '/repos/o/r/labels/bug', status: 204, body: undefined }),
      'issues/delete-label',
    );
    expectOk(
      loadApiDescription(GHES).checkResponse({
        method: 'GET',
        path: '/api/v3/repos/o/r/issues/1',
        status: 200,
        body: example('issue'),
      }),
      'issues/get',
    );
  });

  it('GitHub: a missing required field fails, naming its JSON pointer', () => {
    const noTitle = example('issue');
    delete noTitle.title;
    expectError(
      issue(200, noTitle),
      /^GET \/repos\/octocat\/Hello-World\/issues\/1347 -> 200: response body is missing required property 'title'$/,
    );
    const noLogin = example('issue');
    delete noLogin.user.login;
    expectError(issue(200, noLogin), /response body at \/user is missing required property 'login'/);
    const items = example('issue-items');
    items.push({ ...items[0] });
    delete items[1].number;
    expectError(
      gh.checkResponse({ method: 'GET', path: '/repos/o/r/issues', status: 200, body: items }),
      /response body at \/1 is missing required property 'number'/,
    );
  });

  it('GitHub: a wrong type fails, naming the JSON pointer and the value', () => {
    const r = issue(200, { ...example('issue'), number: '1347', locked: 'no', labels: 'bug' });
    expectError(r, /response body at \/number must be integer \(got '1347'\)/);
    expectError(r, /response body at \/locked must be boolean \(got 'no'\)/);
    expectError(r, /response body at \/labels must be array \(got 'bug'\)/);
    expectError(issue(404, { message: 404 }), /-> 404: response body at \/message must be string \(got 404\)/);
  });

  it('GitHub: an undeclared status or content type, an empty or unparsable body fail', () => {
    expectError(
      issue(418, { message: 'teapot' }),
      /-> 418: status 418 is not a documented response of issues\/get \(documented: 200, 301, 304, 404, 410\)/,
    );
    expectError(
      issue(200, '<html/>', 'text/html'),
      /content type 'text\/html' is not documented for response 200 of issues\/get \(documented: application\/json\)/,
    );
    expectError(issue(200, ''), /response body is empty, but response 200 of issues\/get describes/);
    expectError(issue(200, '{"id": 1,'), /response body is not valid JSON/);
    // the request side is matched exactly as `check` does
    expectError(
      gh.checkResponse({ method: 'GET', path: '/repos/o/r/isues', status: 200, body: [] }),
      /no path .* matches \/repos\/o\/r\/isues \(closest: \/repos\/\{owner\}\/\{repo\}\/issues/,
    );
    expectError(
      gh.checkResponse({ method: 'PUT', path: '/repos/o/r/issues', status: 200, body: [] }),
      /PUT is not an operation of \/repos\/\{owner\}\/\{repo\}\/issues/,
    );
  });

  it('picks the exact status, then its range, then default', () => {
    const shape = (prop: string) => ({
      content: {
        'application/json': {
          schema: { type: 'object', required: [prop], properties: { [prop]: { type: 'string' } } },
        },
      },
    });
    const d = loadApiDescription({
      openapi: '3.0.3',
      info: { title: 'Ranges', version: '1' },
      paths: {
        '/a': {
          get: { operationId: 'a', responses: { '200': shape('ok'), '2XX': shape('other'), default: shape('error') } },
        },
        '/b': { get: { operationId: 'b', responses: { '2xx': shape('ok') } } },
      },
    });
    const res = (path: string, status: number, body: unknown) => d.checkResponse({ method: 'GET', path, status, body });
    expectOk(res('/a', 200, { ok: 'y' }), 'a');
    expectError(res('/a', 200, { other: 'y' }), /-> 200: response body is missing required property 'ok'/);
    expectOk(res('/a', 201, { other: 'y' }), 'a');
    expectError(res('/a', 201, { ok: 'y' }), /missing required property 'other'/);
    expectOk(res('/a', 503, { error: 'down' }), 'a');
    expectError(res('/a', 404, {}), /missing required property 'error'/);
    expectOk(res('/b', 204, { ok: 'y' }), 'b');
    expectError(res('/b', 500, {}), /status 500 is not a documented response of b \(documented: 2xx\)/);
  });

  it('assertResponsesConform lists every failure, except allow-listed operations', () => {
    const responses = [
      { method: 'GET', path: '/repos/o/r/issues/1', status: 200, body: example('issue') },
      { method: 'GET', path: '/repos/o/r/issues/2', status: 200, body: { ...example('issue'), id: 'x' } },
      { method: 'GET', path: '/repos/o/r', status: 418, body: {} },
      { method: 'GET', path: '/prefix/repos/o/r/issues/3', status: 404, body: { message: 'Not Found' } },
    ];
    let message = '';
    try {
      assertResponsesConform(gh, responses, { basePath: '/prefix' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(
      [
        `2 of 4 response(s) do not conform to ${gh.title}:`,
        "  - GET /repos/o/r/issues/2 -> 200: response body at /id must be integer (got 'x')",
        '  - GET /repos/o/r -> 418: status 418 is not a documented response of repos/get (documented: 200, 301, 403, 404)',
      ].join('\n'),
    );
    expect(() =>
      assertResponsesConform(gh, responses, {
        basePath: '/prefix',
        allow: ['issues/get', 'GET /repos/{owner}/{repo}'],
      }),
    ).not.toThrow();
  });

  it('Slack (Swagger 2): the schema sits under responses[status].schema; rpc accepts in-band errors', () => {
    const slack = loadApiDescription(SLACK, { rpc: true, ignoreParams: ['token'] });
    const posted = {
      ok: true,
      channel: 'C0123456789',
      ts: '1503435956.000247',
      message: { type: 'message', text: 'hi', ts: '1503435956.000247', user: 'U0123456789' },
    };
    const post = (d: typeof slack, body: unknown) =>
      d.checkResponse({
        method: 'POST',
        path: '/api/chat.postMessage',
        status: 200,
        body,
        contentType: 'application/json',
      });
    expectOk(post(slack, posted), 'chat_postMessage');
    const { ts: _ts, ...noTs } = posted;
    expectError(post(slack, noTs), /-> 200: response body is missing required property 'ts'/);
    expectError(
      post(slack, { ...posted, channel: 'general' }),
      /response body at \/channel must match pattern "\^\[CGD\]\[A-Z0-9\]\{8,\}\$" \(got 'general'\)/,
    );
    expectError(post(slack, { ...posted, extra: 1 }), /response body has unknown property 'extra'/);
    // Slack answers errors with 200 and `ok: false`; the description keeps their schema under `default`
    expectOk(post(slack, { ok: false, error: 'channel_not_found' }), 'chat_postMessage');
    expectError(post(slack, { ok: false, error: 'no_such_error' }), /-> 200: response body/);
    expectError(
      post(loadApiDescription(SLACK), { ok: false, error: 'channel_not_found' }),
      /missing required property 'ts'/,
    );
  });

  it('Jira and Confluence (OpenAPI 3.0, Atlassian)', () => {
    const jira = loadApiDescription(JIRA);
    const created = (status: number, body: unknown) =>
      jira.checkResponse({ method: 'POST', path: '/rest/api/3/issue', status, body, contentType: 'application/json' });
    const ok = { id: '10000', key: 'ED-24', self: 'https://example.atlassian.net/rest/api/3/issue/10000' };
    expectOk(created(201, ok), 'createIssue');
    expectOk(created(400, { errorMessages: ["Field 'priority' is required"], errors: {} }), 'createIssue');
    expectError(created(201, { ...ok, id: 10000 }), /-> 201: response body at \/id must be string \(got 10000\)/);
    expectError(created(201, { ...ok, url: 'x' }), /response body has unknown property 'url'/);
    expectError(
      created(400, { errors: { summary: 1 } }),
      /response body at \/errors\/summary must be string \(got 1\)/,
    );
    expectError(
      created(200, ok),
      /status 200 is not a documented response of createIssue \(documented: 201, 400, 401, 403, 422\)/,
    );

    const confluence = loadApiDescription(CONFLUENCE);
    const page = (status: number, body: unknown) =>
      confluence.checkResponse({ method: 'GET', path: '/wiki/api/v2/pages/123', status, body });
    const p = { id: '123', status: 'current', title: 'Home', spaceId: '9', createdAt: '2025-01-02T03:04:05.000Z' };
    expectOk(page(200, p), 'getPageById');
    expectError(
      page(200, { ...p, status: 'live' }),
      /response body at \/status must be one of 'current', .*\(got 'live'\)/,
    );
    expectError(
      page(200, { ...p, createdAt: 'yesterday' }),
      /response body at \/createdAt must match format "date-time"/,
    );
    // its error responses document no body: not checked
    expectOk(page(404, { errors: [{ status: 404, code: 'NOT_FOUND' }] }), 'getPageById');
  });
});
