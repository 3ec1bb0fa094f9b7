/**
 * Upstream trouble through a real MCP client: Notion's 429s with Retry-After (single, storm, and its
 * ~3 requests/s limit during a recursive read), 5xx, capability errors, malformed and hanging answers, and
 * pages not shared with the integration.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NotionSandbox, SEED, startNotionSandbox } from '../src/sandbox/index.ts';
import { type NotionUnderTest, startNotion } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'sb-notion-faults-'));
function policyFile(name: string, body: object): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(body));
  return path;
}

describe('upstream faults and rate limits', () => {
  let sandbox: NotionSandbox;
  let n: NotionUnderTest;
  beforeAll(async () => {
    sandbox = await startNotionSandbox();
    const policy = policyFile('faults.json', { callTimeoutSeconds: 3, cache: { enabled: false } });
    n = await startNotion({ transport: 'http', useSandbox: sandbox, args: ['--policy', policy] });
  });
  afterAll(async () => {
    await n?.close();
    await sandbox?.close();
  });

  const path = `/v1/data_sources/${SEED.tasks}`;
  async function withFault(fault: object, times = 1) {
    sandbox.upstream.clearRequests();
    sandbox.upstream.addFault({ fault: fault as any, match: { path }, times });
    const r = await n.harness.callTool('get_data_source', { data_source_id: SEED.tasks });
    sandbox.upstream.clearFaults();
    return { r, requests: sandbox.upstream.requests.filter((q) => q.path === path).length };
  }

  it('a 429 with Retry-After is waited out and retried once, transparently', async () => {
    const { r, requests } = await withFault({
      kind: 'rate_limit',
      status: 429,
      retryAfterSeconds: 1,
      body: { object: 'error', status: 429, code: 'rate_limited', message: 'You have been rate limited.' },
    });
    expect(r.isError, r.text).toBe(false);
    expect(requests).toBe(2);
  });

  it('a 429 storm ends as a rate-limited error that says when to retry, without hammering', async () => {
    const { r, requests } = await withFault(
      {
        kind: 'rate_limit',
        status: 429,
        retryAfterSeconds: 1,
        body: { object: 'error', status: 429, code: 'rate_limited', message: 'You have been rate limited.' },
      },
      Number.POSITIVE_INFINITY,
    );
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^Rate limited/);
    expect(r.text).toMatch(/Retry after \d+s/);
    expect(requests).toBeLessThanOrEqual(3);
  });

  it('5xx, capability errors, malformed JSON and a hanging API end with clear errors', async () => {
    const down = await withFault(
      {
        kind: 'status',
        status: 503,
        body: { object: 'error', status: 503, code: 'service_unavailable', message: 'Down' },
      },
      Number.POSITIVE_INFINITY,
    );
    expect(down.r.text).toMatch(/^Upstream error/);
    expect(down.requests).toBeLessThanOrEqual(3);
    const restricted = await withFault({
      kind: 'status',
      status: 403,
      body: { object: 'error', status: 403, code: 'restricted_resource', message: 'Insufficient permissions.' },
    });
    expect(restricted.r.text).toMatch(/^Permission denied/);
    expect(restricted.r.text).toContain('Read content');
    const malformed = await withFault({ kind: 'malformed_json' });
    expect(malformed.r.isError).toBe(true);
    expect(malformed.r.text).toContain('malformed JSON');
    const hang = await withFault({ kind: 'hang' });
    expect(hang.r.text).toMatch(/^Timed out/);
    const after = await n.harness.callTool('get_data_source', { data_source_id: SEED.tasks });
    expect(after.isError).toBe(false);
  });

  it('a long write that fails half-way says what it already wrote, so it is not sent twice', async () => {
    sandbox.upstream.addFault({
      fault: {
        kind: 'status',
        status: 400,
        body: { object: 'error', status: 400, code: 'validation_error', message: 'body.children[3] is invalid.' },
      } as any,
      match: { method: 'PATCH', path: '/v1/blocks/*/children' },
      times: 1,
    });
    const markdown = Array.from({ length: 130 }, (_, i) => `Paragraph ${i + 1}`).join('\n\n');
    const r = await n.harness.callTool('create_page', { parent_page_id: SEED.engineering, title: 'Half', markdown });
    sandbox.upstream.clearFaults();
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^Invalid arguments: Notion rejected the request: body.children\[3\] is invalid/);
    const id = /page ([0-9a-f]{32}) was created with its first 100 blocks/.exec(r.text)?.[1] as string;
    expect(id).toBeTruthy();
    expect(r.text).toContain('Do not send the whole Markdown again');
    const page = [...sandbox.state.pages.keys()].find((k) => k.replace(/-/g, '') === id) as string;
    expect(sandbox.state.liveChildren(page)).toHaveLength(100);
  });

  it('pages not shared with the integration say so, naming the integration', async () => {
    const r = await n.harness.callTool('get_page', { page_id: SEED.hidden });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^Not found: Notion: Could not find page/);
    expect(r.text).toContain('the integration named "Switchboard Sandbox"');
  });
});

describe('Notion’s request rate', () => {
  it('a recursive page read beyond 2 requests/s is slowed by 429 + Retry-After and still completes', async () => {
    const n = await startNotion({ transport: 'stdio', sandbox: { rateLimitPerSecond: 2, retryAfterSeconds: 1 } });
    try {
      const r = await n.harness.callTool('get_page', { page_id: SEED.engineering });
      expect(r.isError, r.text).toBe(false);
      expect(r.text).toContain('| Platform | Ada |');
      const statuses = n.sandbox.upstream.requests.map((q) => q.status);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
      expect(statuses.at(-1)).toBe(200);
    } finally {
      await n.close();
    }
  });
});
