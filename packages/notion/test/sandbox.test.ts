/**
 * The sandbox behaves like Notion where the server depends on it: auth, the Notion-Version header,
 * Notion-shaped errors, cursor paging, block limits, query filters and sorts, and 429 with Retry-After.
 */
import { readFileSync } from 'node:fs';
import { assertResponsesConform, type ObservedResponse } from '@switchboard-mcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NotionSandbox, SEED, startNotionSandbox } from '../src/sandbox/index.ts';
import { notionApi, notionApiFile } from './helpers.ts';

/**
 * Fields of `example` absent from `actual`, recursively; objects of another `type` (union variants such as a
 * bot owned by the workspace rather than by a user) are not compared.
 */
function missingFields(example: unknown, actual: unknown, at: string): string[] {
  if (Array.isArray(example)) {
    return Array.isArray(actual) && example.length && actual.length
      ? missingFields(example[0], actual[0], `${at}[0]`)
      : [];
  }
  if (!example || typeof example !== 'object') return [];
  if (!actual || typeof actual !== 'object') return [at];
  const e = example as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  if ('type' in e && 'type' in a && e.type !== a.type) return [];
  return Object.keys(e).flatMap((k) => (k in a ? missingFields(e[k], a[k], `${at}.${k}`) : [`${at}.${k}`]));
}

describe('notion sandbox', () => {
  let sb: NotionSandbox;
  beforeAll(async () => {
    sb = await startNotionSandbox();
  });
  afterAll(async () => {
    await sb?.close();
  });

  async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${sb.url}/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${sb.token}`,
        'notion-version': '2025-09-03',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, json: (await res.json()) as any };
  }

  it('requires a valid bearer token and the Notion-Version header, answering Notion-shaped errors', async () => {
    const noAuth = await api('GET', '/users/me', undefined, { authorization: 'Bearer nope' });
    expect(noAuth.status).toBe(401);
    expect(noAuth.json).toMatchObject({ object: 'error', status: 401, code: 'unauthorized' });
    const res = await fetch(`${sb.url}/v1/users/me`, { headers: { authorization: `Bearer ${sb.token}` } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ object: 'error', code: 'missing_version' });
  });

  it('accepts ids with or without dashes and 404s unknown or unshared pages', async () => {
    expect((await api('GET', `/pages/${SEED.roadmap.replace(/-/g, '')}`)).json.id).toBe(SEED.roadmap);
    const hidden = await api('GET', `/pages/${SEED.hidden}`);
    expect(hidden.status).toBe(404);
    expect(hidden.json.code).toBe('object_not_found');
    expect(hidden.json.message).toContain('shared with your integration');
    expect((await api('GET', '/pages/not-a-uuid')).json.code).toBe('validation_error');
    // The blocks of an unshared page are as invisible as the page; a page shared on its own under it is not.
    const secret = sb.state.liveChildren(SEED.hidden).find((b) => b.type === 'paragraph')?.id as string;
    for (const [method, path] of [
      ['GET', `/blocks/${secret}`],
      ['GET', `/blocks/${SEED.hidden}/children`],
      ['PATCH', `/blocks/${secret}`],
      ['DELETE', `/blocks/${secret}`],
    ] as const) {
      const r = await api(method, path, method === 'PATCH' ? { paragraph: { rich_text: [] } } : undefined);
      expect(r.status, `${method} ${path}`).toBe(404);
    }
    expect(sb.state.blocks.get(secret)?.archived).toBe(false);
    expect((await api('GET', `/blocks/${SEED.sharedChild}/children`)).status).toBe(200);
  });

  it('pages block children with start_cursor / has_more / next_cursor', async () => {
    const first = await api('GET', `/blocks/${SEED.handbook}/children?page_size=50`);
    expect(first.json.results).toHaveLength(50);
    expect(first.json.has_more).toBe(true);
    const second = await api(
      'GET',
      `/blocks/${SEED.handbook}/children?page_size=50&start_cursor=${first.json.next_cursor}`,
    );
    expect(second.json.results[0].id).toBe(first.json.next_cursor);
    expect((await api('GET', `/blocks/${SEED.handbook}/children?page_size=500`)).status).toBe(400);
  });

  it('enforces Notion’s write limits: 100 children, two levels of nesting, 2,000 characters', async () => {
    const para = (text: string) => ({
      type: 'paragraph',
      paragraph: { rich_text: [{ type: 'text', text: { content: text } }] },
    });
    const tooMany = await api('PATCH', `/blocks/${SEED.private}/children`, {
      children: Array.from({ length: 101 }, () => para('x')),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.message).toContain('≤ `100`');
    const nest = (d: number): object =>
      d === 0 ? para('leaf') : { type: 'toggle', toggle: { rich_text: [], children: [nest(d - 1)] } };
    expect((await api('PATCH', `/blocks/${SEED.private}/children`, { children: [nest(2)] })).status).toBe(200);
    const deep = await api('PATCH', `/blocks/${SEED.private}/children`, { children: [nest(3)] });
    expect(deep.status).toBe(400);
    expect(deep.json.message).toContain('nested more than 2 levels');
    const long = await api('PATCH', `/blocks/${SEED.private}/children`, { children: [para('x'.repeat(2001))] });
    expect(long.status).toBe(400);
    expect(long.json.message).toContain('2000');
  });

  it('filters and sorts data source queries', async () => {
    const r = await api('POST', `/data_sources/${SEED.tasks}/query`, {
      filter: {
        or: [
          { property: 'Tags', multi_select: { contains: 'docs' } },
          { property: 'Blocked', checkbox: { equals: true } },
        ],
      },
      sorts: [{ property: 'Name', direction: 'descending' }],
    });
    expect(r.json.results.map((p: any) => p.properties.Name.title[0].plain_text)).toEqual([
      'Write API docs',
      'Upgrade database',
      'Onboarding guide',
    ]);
    const bad = await api('POST', `/data_sources/${SEED.tasks}/query`, {
      filter: { property: 'Due', number: { equals: 1 } },
    });
    expect(bad.status).toBe(400);
  });

  it('answers in the shapes Notion’s OpenAPI description documents', async () => {
    const calls: [string, string, unknown?][] = [
      ['GET', '/users/me'],
      ['GET', '/users'],
      ['GET', `/pages/${SEED.roadmap}`],
      ['GET', `/blocks/${SEED.engineering}`],
      ['GET', `/blocks/${SEED.engineering}/children`],
      ['GET', `/databases/${SEED.tasksDatabase}`],
      ['GET', `/data_sources/${SEED.tasks}`],
      ['POST', `/data_sources/${SEED.tasks}/query`, {}],
      ['POST', '/search', { query: '' }],
      ['GET', `/comments?block_id=${SEED.roadmap}`],
    ];
    const observed: ObservedResponse[] = [];
    for (const [method, path, body] of calls) {
      const r = await api(method, path, body);
      expect(r.status, path).toBe(200);
      observed.push({ method, path: `/v1${path}`, status: r.status, body: r.json });
    }
    // The description's 200 schemas are bare objects, so this checks documented statuses and JSON bodies…
    assertResponsesConform(notionApi(), observed);
    // …and where it gives an example, every field of the example is in the sandbox's answer too.
    const doc = JSON.parse(readFileSync(notionApiFile(), 'utf8'));
    const example = (path: string, method: string) =>
      Object.values(doc.paths[path][method].responses['200'].content['application/json'].examples as object).map(
        (e: any) => e.value,
      )[0];
    const missing = [
      ...missingFields(example('/v1/users/me', 'get'), observed[0]?.body, 'users/me'),
      ...missingFields(example('/v1/comments', 'get'), observed[9]?.body, 'comments'),
    ];
    expect(missing).toEqual([]);
  });

  it('answers 429 with Retry-After beyond its request rate', async () => {
    const limited = await startNotionSandbox({ rateLimitPerSecond: 1, retryAfterSeconds: 2 });
    try {
      const get = () =>
        fetch(`${limited.url}/v1/users/me`, {
          headers: { authorization: `Bearer ${limited.token}`, 'notion-version': '2025-09-03' },
        });
      expect((await get()).status).toBe(200);
      const second = await get();
      expect(second.status).toBe(429);
      expect(second.headers.get('retry-after')).toBe('2');
      expect(await second.json()).toMatchObject({ object: 'error', code: 'rate_limited' });
    } finally {
      await limited.close();
    }
  });
});
