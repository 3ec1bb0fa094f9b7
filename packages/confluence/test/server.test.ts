/**
 * The Confluence server as a whole, through a real MCP client: credentials (missing ones named, rejected ones
 * never echoed, the ATLASSIAN_* fallback), space/page policy, and 2026-era clients. Data Center: datacenter.test.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfluenceSandbox, startConfluenceSandbox } from '../src/sandbox/index.ts';
import { type ConfluenceUnderTest, startConfluence, TRANSPORTS } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'sb-confluence-'));
function policyFile(name: string, body: object): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(body));
  return path;
}

describe('credentials', () => {
  let sandbox: ConfluenceSandbox;
  beforeAll(async () => {
    sandbox = await startConfluenceSandbox();
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('names what is missing, accepts ATLASSIAN_* names and OAuth bearers, never echoes a rejected token', async () => {
    const bad = 'ATATT3xFfGF0notarealtoken0000000000000000';
    const blank = { CONFLUENCE_URL: '', CONFLUENCE_EMAIL: '', CONFLUENCE_API_TOKEN: '' };
    const [none, shared, rejected, oauth] = await Promise.all([
      startConfluence({ transport: 'stdio', useSandbox: sandbox, env: blank }),
      startConfluence({
        transport: 'stdio',
        useSandbox: sandbox,
        env: {
          ...blank,
          ATLASSIAN_URL: sandbox.url,
          ATLASSIAN_EMAIL: 'bob@example.com',
          ATLASSIAN_API_TOKEN: sandbox.credentials.CONFLUENCE_API_TOKEN ?? '',
        },
      }),
      startConfluence({ transport: 'http', useSandbox: sandbox, env: { CONFLUENCE_API_TOKEN: bad } }),
      startConfluence({
        transport: 'stdio',
        sandbox: { oauth: { cloudId: 'c0ffee-42', token: 'oauth-access-token' } },
      }),
    ]);
    try {
      expect((await none.harness.listTools()).length).toBeGreaterThan(5);
      const missing = await none.harness.callTool('get_me', {});
      expect(missing.isError).toBe(true);
      expect(missing.text).toMatch(/^Authentication failed: CONFLUENCE_URL is not set/);
      expect((await shared.harness.callTool('get_me', {})).text).toMatch(/^Bob Builder · accountId /);
      const r = await rejected.harness.callTool('get_page', { id: '1000001' });
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/^Authentication failed: Atlassian rejected the credentials/);
      expect(r.text + rejected.stderr()).not.toContain(bad);
      // OAuth 2.0 (3LO): a bearer token through the gateway path /ex/confluence/<cloudId>.
      expect((await oauth.harness.callTool('get_page', { id: '1000002' })).text).toContain('# Onboarding');
      const sent = oauth.sandbox.upstream.requests;
      expect(sent.length).toBeGreaterThan(0);
      for (const q of sent) {
        expect(q.path).toMatch(/^\/ex\/confluence\/c0ffee-42\/wiki\/api\/v2\//);
        expect(q.headers.authorization).toBe('Bearer oauth-access-token');
      }
    } finally {
      await Promise.all([none.close(), shared.close(), rejected.close(), oauth.close()]);
    }
  });
});

describe.each(TRANSPORTS)('policy over %s', (transport) => {
  let c: ConfluenceUnderTest;
  beforeAll(async () => {
    const policy = policyFile(`policy-${transport}.json`, {
      toolsets: ['all'],
      resources: { read: ['space:ENG', 'space:OPS', 'page:*'], write: ['space:ENG', 'page:*'] },
    });
    c = await startConfluence({ transport, args: ['--policy', policy] });
  });
  afterAll(async () => {
    await c?.close();
  });

  it('scopes page calls by the space the page lives in, and names the rule', async () => {
    expect((await c.harness.callTool('get_page', { id: '1000003' })).isError).toBe(false);
    const personal = await c.harness.callTool('get_page', { id: '1000008' });
    expect(personal.isError).toBe(true);
    expect(personal.text).toContain('rule: resources.read');
    expect(personal.text).toContain('space:~alice');
    const opsWrite = await c.harness.callTool('update_page', { id: '1000007', body: 'x' });
    expect(opsWrite.text).toContain('rule: resources.write');
    expect(c.sandbox.state.pages.get('1000007')?.body).not.toBe('<p>x</p>');
    expect((await c.harness.callTool('create_page', { space: 'OPS', title: 'no', body: 'x' })).text).toContain(
      'rule: resources.write',
    );
    expect(
      (await c.harness.callTool('create_page', { space: 'ENG', title: `ok ${transport}`, body: 'x' })).isError,
    ).toBe(false);
  });

  it('bounds CQL search by the spaces it names', async () => {
    expect((await c.harness.callTool('search', { cql: 'space = ENG AND text ~ "ledger"' })).isError).toBe(false);
    expect((await c.harness.callTool('search', { cql: 'space in (ENG, OPS)' })).isError).toBe(false);
    expect((await c.harness.callTool('search', { cql: 'space = ENG AND text ~ "this or that"' })).isError).toBe(false);
    expect((await c.harness.callTool('search', { cql: 'space = ENG AND type != blogpost' })).isError).toBe(false);
    for (const cql of [
      'text ~ "ledger"',
      'space = ENG OR space = "~alice"',
      'space = "~alice"',
      'text ~ "space = ENG"',
      'NOT space = OPS',
      'space = ENG || space = "~alice"',
      '!(space = ENG AND type = blogpost)',
      `space = ENG AND title ~ 'a"' OR space = "~alice" OR title ~ '"'`,
    ]) {
      const r = await c.harness.callTool('search', { cql });
      expect(r.text, cql).toContain('rule: resources.read');
    }
  });
});

describe('2026-07-28 clients', () => {
  it('list and call tools in the stateless era', async () => {
    const c = await startConfluence({ transport: 'http', era: 'modern' });
    try {
      expect(c.harness.era).toBe('modern');
      expect((await c.harness.listTools()).map((t) => t.name)).toContain('get_page');
      expect((await c.harness.callTool('get_page', { id: '1000002' })).text).toContain('# Onboarding');
    } finally {
      await c.close();
    }
  });
});
