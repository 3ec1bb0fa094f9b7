/**
 * Upstream faults (5xx, 429 + Retry-After, removed endpoints, answers without their list, write-time version
 * conflicts, hangs) and secret hygiene (the token never appears anywhere; audit lines name the resources).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ConfluenceSandbox, startConfluenceSandbox } from '../src/sandbox/index.ts';
import { auditLines, type ConfluenceUnderTest, startConfluence, TRANSPORTS } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'sb-confluence-faults-'));
function policyFile(name: string, body: object): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(body));
  return path;
}

describe('upstream faults', () => {
  let sandbox: ConfluenceSandbox;
  let c: ConfluenceUnderTest;
  beforeAll(async () => {
    sandbox = await startConfluenceSandbox();
    const policy = policyFile('faults.json', { callTimeoutSeconds: 4, cache: { enabled: false } });
    c = await startConfluence({ transport: 'http', useSandbox: sandbox, args: ['--policy', policy] });
  });
  afterAll(async () => {
    await c?.close();
    await sandbox?.close();
  });

  async function withFault(
    path: string,
    fault: object,
    times: number,
    call: () => Promise<{ text: string; isError: boolean }>,
    method?: string,
  ) {
    sandbox.upstream.clearRequests();
    sandbox.upstream.addFault({ fault: fault as any, match: { path, method }, times });
    const r = await call();
    sandbox.upstream.clearFaults();
    return { r, requests: sandbox.upstream.requests.filter((q) => q.path === path).length };
  }
  const getPage = () => c.harness.callTool('get_page', { id: '1000002' });

  it('a transient 503 is retried transparently; a 5xx storm ends in a clear upstream error', async () => {
    const once = await withFault('/wiki/api/v2/pages/1000002', { kind: 'status', status: 503 }, 1, getPage);
    expect(once.r.isError).toBe(false);
    expect(once.requests).toBe(2);
    const storm = await withFault(
      '/wiki/api/v2/pages/1000002',
      { kind: 'status', status: 500, body: { errors: [{ status: 500, title: 'Internal Server Error' }] } },
      Number.POSITIVE_INFINITY,
      getPage,
    );
    expect(storm.r.text).toMatch(/^Upstream error: Atlassian failed with HTTP 500: Internal Server Error/);
    expect(storm.requests).toBeLessThanOrEqual(3);
  });

  it('429 with Retry-After: waits as told, never storms, then says when to retry', async () => {
    const { r, requests } = await withFault(
      '/wiki/api/v2/pages/1000002',
      { kind: 'rate_limit', status: 429, retryAfterSeconds: 1 },
      Number.POSITIVE_INFINITY,
      getPage,
    );
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^Rate limited/);
    expect(r.text).toMatch(/Retry after \d+s/);
    expect(requests).toBeLessThanOrEqual(3);
  });

  it('a removed search endpoint or an answer without results is an error, never "no results"', async () => {
    const search = () => c.harness.callTool('search', { cql: 'space = ENG' });
    const gone = await withFault(
      '/wiki/rest/api/search',
      { kind: 'status', status: 410, body: { statusCode: 410, message: 'This endpoint has been removed' } },
      1,
      search,
    );
    expect(gone.r.isError).toBe(true);
    expect(gone.r.text).toMatch(/^Upstream error: Atlassian removed this endpoint/);
    const empty = await withFault(
      '/wiki/rest/api/search',
      { kind: 'status', status: 200, body: { size: 0 } },
      1,
      search,
    );
    expect(empty.r.isError).toBe(true);
    expect(empty.r.text).toMatch(/^Upstream error: Confluence answered the search without a results list/);
  });

  it('a 403 names the Confluence permission and the OAuth scopes that would do', async () => {
    const { r } = await withFault(
      '/wiki/api/v2/pages/1000002',
      {
        kind: 'status',
        status: 403,
        body: { errors: [{ status: 403, code: 'PERMISSION_DENIED', title: 'Not permitted to view' }] },
      },
      1,
      getPage,
    );
    expect(r.text).toBe(
      'Permission denied: Atlassian refused get_page: Not permitted to view. The account lacks the Confluence permission for this (space permissions or page restrictions; OAuth apps need one of the scopes read:page:confluence, read:confluence-content.all). A space or site admin must grant it; do not retry with the same arguments.',
    );
  });

  it('a version conflict at write time explains how to re-read and retry', async () => {
    const { r } = await withFault(
      '/wiki/api/v2/pages/1000004',
      {
        kind: 'status',
        status: 409,
        body: {
          errors: [
            { status: 409, code: 'CONFLICT', title: 'Version must be incremented on update. Current Version is: 7' },
          ],
        },
      },
      1,
      () => c.harness.callTool('update_page', { id: '1000004', body: 'racing edit' }),
      'PUT',
    );
    expect(r.text).toBe(
      'Conflict: the page changed since it was read; it is now at version 7. Re-read it with get_page, reapply your change to the current text, and call update_page again with the version get_page shows.',
    );
  });

  it('a hanging upstream ends in bounded time with a timeout', async () => {
    const started = Date.now();
    const { r } = await withFault('/wiki/api/v2/pages/1000002', { kind: 'hang' }, 1, getPage);
    expect(r.text).toMatch(/^Timed out/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  // Last in this block: it leaves the server's throttle closed for a minute.
  it("reads Confluence's ISO X-RateLimit-Reset: an exhausted window fails fast instead of sending", async () => {
    const reset = new Date(Date.now() + 60_000).toISOString();
    const first = await withFault(
      '/wiki/api/v2/pages/1000002',
      {
        kind: 'status',
        status: 200,
        headers: { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': reset },
        body: { id: '1000002', title: 'Onboarding', version: { number: 1 }, body: { storage: { value: '<p>x</p>' } } },
      },
      1,
      getPage,
    );
    expect(first.r.isError, first.r.text).toBe(false);
    sandbox.upstream.clearRequests();
    const next = await getPage();
    expect(next.isError).toBe(true);
    expect(next.text).toMatch(/^Rate limited/);
    expect(sandbox.upstream.requests).toHaveLength(0);
  });
});

describe.each(TRANSPORTS)('hygiene over %s', (transport) => {
  it('never reveals the token in results, errors, logs or audit lines; audit lines carry the resources', async () => {
    const canary = 'ATATT3xFfGF0CANARYcanaryCANARY0123456789abcdef';
    const c = await startConfluence({
      transport,
      args: ['--toolsets', 'all', '--log-level', 'debug'],
      sandbox: { apiToken: canary },
    });
    try {
      const calls: [string, Record<string, unknown>][] = [
        ['get_me', {}],
        ['get_page', { id: '1000002' }],
        ['search', { cql: `text ~ "${canary}"` }],
        ['create_page', { space: 'ENG', title: `leak ${canary}`, body: canary }],
        ['get_page', { id: '424242' }],
      ];
      let all = '';
      for (const [name, args] of calls) all += (await c.harness.callTool(name, args)).text;
      expect(all).toContain('Alice Example');
      const lines = await vi.waitFor(() => {
        const found = auditLines(c.stderr());
        expect(found.length).toBe(calls.length);
        return found;
      });
      for (const form of [
        canary,
        Buffer.from(`alice@example.com:${canary}`).toString('base64'),
        encodeURIComponent(canary),
      ]) {
        expect(all).not.toContain(form);
        expect(c.stderr()).not.toContain(form);
      }
      expect(lines.find((l) => l.tool === 'get_page' && l.outcome === 'ok')?.resource).toEqual(['page:1000002']);
      expect(lines.find((l) => l.tool === 'create_page')?.resource).toEqual(['space:ENG']);
      expect(lines.every((l) => l.server === 'confluence')).toBe(true);
      if (transport === 'stdio') {
        for (const line of c.harness.stdoutLines()) expect(JSON.parse(line).jsonrpc).toBe('2.0');
      }
    } finally {
      await c.close();
    }
  });
});
