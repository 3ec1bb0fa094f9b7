/**
 * HTTP serving for production, end to end: the demo fixture server started with a deployment file (OAuth with a
 * local issuer and JWKS, or API keys; tenants with their own policies and vault credentials), driven by real MCP
 * clients and raw HTTP requests, against a fake upstream on 127.0.0.1 that records which credential each request
 * carried.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CredentialVault, FileVaultBackend, hashApiKey, parseKeyring } from '@switchboard-mcp/core/gateway';
import {
  connectHttp,
  type FakeUpstream,
  type Harness,
  type ServerProcess,
  startFakeUpstream,
  startHttpServerProcess,
} from '@switchboard-mcp/testkit';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const BIN = fileURLToPath(new URL('./fixtures/demo-bin.ts', import.meta.url));
const AUDIENCE = 'https://mcp.example.test/mcp';
const KEYRING = `k1:${randomBytes(32).toString('base64')}`;

let upstream: FakeUpstream;
let issuerKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let strangerKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let jwk: JWK;
/** Token value → tenant that owns it (the fake upstream answers with the owner, so leaks are visible). */
const owners = new Map<string, string>();

beforeAll(async () => {
  upstream = await startFakeUpstream();
  const pair = await generateKeyPair('RS256');
  issuerKey = pair.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  upstream.route('GET', '/.well-known/oauth-authorization-server', () => ({
    body: { issuer: upstream.url, jwks_uri: `${upstream.url}/jwks` },
  }));
  upstream.route('GET', '/jwks', () => ({ body: { keys: [jwk] } }));
  upstream.route('GET', '/projects/:p/items', (req) => {
    const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    const owner = owners.get(token);
    return owner ? { body: [{ id: 1, title: `owned-by-${owner}` }] } : { status: 401, body: { message: 'bad token' } };
  });
  upstream.route('POST', '/projects/:p/items', () => ({ status: 201, body: { id: 9 } }));
  upstream.route('GET', '/projects/:p/items/:id', async (req) => {
    if (req.params.id === '777') await new Promise((r) => setTimeout(r, 1500));
    return { body: { id: Number(req.params.id), title: 'slow', body: 'done' } };
  });
});

afterAll(async () => {
  await upstream?.close();
});

async function token(
  claims: Record<string, unknown>,
  opts: {
    key?: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
    issuer?: string;
    audience?: string;
    expiresIn?: string | number;
  } = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
    .setIssuer(opts.issuer ?? upstream.url)
    .setAudience(opts.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '5m')
    .sign(opts.key ?? issuerKey);
}

interface Deployed {
  proc: ServerProcess;
  base: string;
  dir: string;
  audit(): Record<string, any>[];
  close(): Promise<void>;
}

async function deploy(
  deployment: Record<string, unknown>,
  files: Record<string, unknown> = {},
  args: string[] = [],
): Promise<Deployed> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-gw-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(content));
  writeFileSync(join(dir, 'deploy.json'), JSON.stringify(deployment));
  const auditPath = join(dir, 'audit.log');
  const proc = await startHttpServerProcess({
    command: process.execPath,
    args: ['--conditions=development', BIN, '--http', '--port', '0', '--toolsets', 'all', ...args],
    env: {
      DEMO_API_URL: upstream.url,
      DEMO_TOKEN: 'env-token-never-for-tenants',
      SWITCHBOARD_CONFIG: join(dir, 'deploy.json'),
      SWITCHBOARD_CREDENTIAL_KEYS: KEYRING,
      SWITCHBOARD_AUDIT_LOG: auditPath,
      SWITCHBOARD_LOG_LEVEL: 'info',
    },
  });
  return {
    proc,
    dir,
    base: proc.url,
    audit: () =>
      readFileSync(auditPath, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
    close: () => proc.close(),
  };
}

const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
};

async function rawPost(url: string, headers: Record<string, string> = {}, body: unknown = INIT) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(body),
  });
}

async function seedVault(dir: string, entries: [tenant: string, value: string][]) {
  const vault = new CredentialVault(new FileVaultBackend(join(dir, 'creds.json')), parseKeyring(KEYRING));
  for (const [tenant, value] of entries) {
    await vault.put(tenant, 'demo', 'DEMO_TOKEN', value);
    owners.set(value, tenant);
  }
}

describe('OAuth resource server', () => {
  let d: Deployed;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-gw-seed-'));
    d = await deploy(
      {
        auth: { mode: 'oauth', oauth: { issuer: upstream.url, audience: AUDIENCE } },
        credentials: { file: join(dir, 'creds.json') },
        tenants: {
          acme: {},
          readers: { policy: 'readers.json' },
          globex: { disabled: true },
          initech: { servers: ['slack'] },
        },
      },
      { 'readers.json': { readOnly: true } },
    );
    await seedVault(dir, [
      ['acme', `acme-${randomBytes(6).toString('hex')}`],
      ['readers', `readers-${randomBytes(6).toString('hex')}`],
    ]);
  });
  afterAll(async () => {
    await d?.close();
  });

  it('refuses requests without a valid token, with the right status and challenge', async () => {
    const prm = 'resource_metadata="https://mcp.example.test/.well-known/oauth-protected-resource/mcp"';
    const none = await rawPost(`${d.base}/mcp`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain(prm);
    const cases: [string, Promise<string>, RegExp][] = [
      ['expired', token({ sub: 'a', tenant: 'acme', scope: 'mcp:read' }, { expiresIn: -120 }), /expired/],
      ['wrong audience', token({ sub: 'a', tenant: 'acme', scope: 'mcp:read' }, { audience: 'https://other' }), /aud/],
      ['wrong issuer', token({ sub: 'a', tenant: 'acme', scope: 'mcp:read' }, { issuer: 'https://evil.test' }), /iss/],
      ['bad signature', token({ sub: 'a', tenant: 'acme', scope: 'mcp:read' }, { key: strangerKey }), /signature/],
    ];
    for (const [what, jwt, why] of cases) {
      const res = await rawPost(`${d.base}/mcp`, { authorization: `Bearer ${await jwt}` });
      expect(res.status, what).toBe(401);
      const challenge = res.headers.get('www-authenticate') ?? '';
      expect(challenge, what).toContain('error="invalid_token"');
      expect(challenge, what).toMatch(why);
      expect(challenge, what).toContain(prm);
    }
    const noScope = await rawPost(`${d.base}/mcp`, {
      authorization: `Bearer ${await token({ sub: 'a', tenant: 'acme', scope: 'profile' })}`,
    });
    expect(noScope.status).toBe(403);
    expect(noScope.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(noScope.headers.get('www-authenticate')).toContain('scope="mcp:read"');
  });

  it('serves RFC 9728 protected-resource metadata', async () => {
    // At the path the challenge names, and at any other resource path: under `serve` or a path-prefix proxy the
    // audience's path is not the mount's (`/api/mcp` in front of `/mcp`, one origin audience for `/github/mcp`).
    for (const path of [
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-protected-resource/api/mcp',
    ]) {
      const res = await fetch(`${d.base}${path}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        resource: AUDIENCE,
        authorization_servers: [upstream.url],
        scopes_supported: ['mcp:read', 'mcp:write'],
        bearer_methods_supported: ['header'],
      });
    }
    expect((await fetch(`${d.base}/.well-known/oauth-protected-resourcex`)).status).toBe(404);
  });

  it('refuses tenants that are unknown, disabled or not enabled for this server', async () => {
    for (const [tenant, why] of [
      ['nobody', /not configured/],
      ['globex', /disabled/],
      ['initech', /not enabled for the demo server/],
      // Names of Object's own members are not configured tenants.
      ['constructor', /not configured/],
      ['__proto__', /not configured/],
      ['toString', /not configured/],
    ] as const) {
      const res = await rawPost(`${d.base}/mcp`, {
        authorization: `Bearer ${await token({ sub: 'x', tenant, scope: 'mcp:write' })}`,
      });
      expect(res.status, tenant).toBe(403);
      expect(((await res.json()) as { error: string }).error).toMatch(why);
    }
    // A tenant claim that is not a tenant name (a list, a key separator) is refused before any tenant lookup.
    for (const tenant of [['acme'], 'acme:x', { name: 'acme' }]) {
      const res = await rawPost(`${d.base}/mcp`, {
        authorization: `Bearer ${await token({ sub: 'x', tenant, scope: 'mcp:write' })}`,
      });
      expect(res.status, JSON.stringify(tenant)).toBe(401);
      expect(res.headers.get('www-authenticate'), JSON.stringify(tenant)).toContain('claim is not a tenant name');
    }
  });

  it('reads scopes from `scp` as a list (Okta) or a space-separated string (Entra ID)', async () => {
    for (const scp of [['mcp:read'], 'profile mcp:read']) {
      const res = await rawPost(`${d.base}/mcp`, {
        authorization: `Bearer ${await token({ sub: 'x', tenant: 'acme', scp })}`,
      });
      expect(res.status, JSON.stringify(scp)).toBe(200);
    }
  });

  it('maps scopes to access: read-only tokens see and may call only reads', async () => {
    const jwt = await token({ sub: 'reader@acme', tenant: 'acme', scope: 'mcp:read' });
    const h = await connectHttp({ url: `${d.base}/mcp`, headers: { authorization: `Bearer ${jwt}` } });
    try {
      const names = (await h.listTools()).map((t) => t.name);
      expect(names).toContain('list_items');
      expect(names).not.toContain('create_item');
      const write = await h.callTool('create_item', { project: 'p', title: 't' });
      expect(write.isError).toBe(true);
      expect(write.text).toContain('rule: request.readOnly');
      const read = await h.callTool('list_items', { project: 'p' });
      expect(read.text).toContain('owned-by-acme');
    } finally {
      await h.close();
    }
    const writer = await token({ sub: 'writer@acme', tenant: 'acme', scope: 'mcp:read mcp:write' });
    const w = await connectHttp({ url: `${d.base}/mcp`, headers: { authorization: `Bearer ${writer}` } });
    try {
      expect((await w.callTool('create_item', { project: 'p', title: 't' })).text).toBe('created #9');
    } finally {
      await w.close();
    }
    await vi.waitFor(() => {
      const lines = d.audit().filter((l) => l.tool === 'create_item');
      expect(lines.map((l) => [l.principal, l.tenant, l.decision])).toEqual([
        ['oauth:reader@acme', 'acme', 'denied:request.readOnly'],
        ['oauth:writer@acme', 'acme', 'allowed'],
      ]);
    });
  });

  it("applies the tenant's policy file and lets requests narrow further, never widen", async () => {
    const jwt = await token({ sub: 'r', tenant: 'readers', scope: 'mcp:write' });
    const h = await connectHttp({ url: `${d.base}/mcp`, headers: { authorization: `Bearer ${jwt}` } });
    try {
      // The tenant policy is read-only: a write-scoped token does not widen it.
      expect((await h.listTools()).map((t) => t.name)).not.toContain('create_item');
      expect((await h.callTool('create_item', { project: 'p', title: 't' })).text).toContain('rule: readOnly');
    } finally {
      await h.close();
    }
    const acme = await token({ sub: 'n', tenant: 'acme', scope: 'mcp:write' });
    const narrowed = await connectHttp({
      url: `${d.base}/mcp/x/misc`,
      headers: { authorization: `Bearer ${acme}`, 'x-mcp-tools': 'big_*' },
    });
    try {
      expect((await narrowed.listTools()).map((t) => t.name).sort()).toEqual(['big_output', 'get_more_output']);
      expect((await narrowed.callTool('list_items', { project: 'p' })).text).toContain('request.toolsets');
    } finally {
      await narrowed.close();
    }
    const bad = await rawPost(`${d.base}/mcp/nope`, { authorization: `Bearer ${acme}` });
    expect(bad.status).toBe(404);
    // A token scoped to one toolset sees only that toolset, whatever the request asks for.
    const scoped = await token({ sub: 's', tenant: 'acme', scope: 'mcp:write mcp:toolset:misc' });
    const limited = await connectHttp({
      url: `${d.base}/mcp`,
      headers: { authorization: `Bearer ${scoped}`, 'x-mcp-toolsets': 'all' },
    });
    try {
      expect((await limited.listTools()).map((t) => t.name).sort()).toEqual([
        'big_output',
        'get_more_output',
        'whoami',
      ]);
    } finally {
      await limited.close();
    }
  });

  it('refuses a caller-supplied upstream token unless the tenant allows it', async () => {
    const res = await rawPost(`${d.base}/mcp`, {
      authorization: `Bearer ${await token({ sub: 'b', tenant: 'acme', scope: 'mcp:read' })}`,
      'x-upstream-token': 'my-own-token',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain('X-Upstream-Token');
  });
});

describe('API keys, tenant isolation, metrics and readiness', () => {
  const TENANTS = 20;
  const keys = Array.from({ length: TENANTS }, (_, i) => ({
    tenant: `t${i}`,
    key: `sbk_${randomBytes(24).toString('base64url')}`,
  }));
  const revoked = `sbk_${randomBytes(24).toString('base64url')}`;
  const emptyKey = `sbk_${randomBytes(24).toString('base64url')}`;
  const byoKey = `sbk_${randomBytes(24).toString('base64url')}`;
  let d: Deployed;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-gw-keys-'));
    d = await deploy({
      auth: {
        mode: 'api-keys',
        keys: [
          ...keys.map(({ tenant, key }) => ({ id: `${tenant}-bot`, sha256: hashApiKey(key), tenant })),
          { id: 'old', sha256: hashApiKey(revoked), tenant: 't0', revoked: true },
          { id: 'empty-bot', sha256: hashApiKey(emptyKey), tenant: 'empty' },
          { id: 'byo-bot', sha256: hashApiKey(byoKey), tenant: 'byo' },
        ],
      },
      credentials: { file: join(dir, 'creds.json') },
      tenants: Object.fromEntries([
        ...keys.map(({ tenant }) => [tenant, {}]),
        ['empty', {}],
        ['byo', { byoToken: true }],
      ]),
    });
    await seedVault(
      dir,
      keys.map(({ tenant }) => [tenant, `${tenant}-upstream-${randomBytes(6).toString('hex')}`]),
    );
  });
  afterAll(async () => {
    await d?.close();
  });

  it('accepts valid keys and refuses revoked and unknown ones', async () => {
    expect((await rawPost(`${d.base}/mcp`, { authorization: `Bearer ${revoked}` })).status).toBe(401);
    const unknown = await rawPost(`${d.base}/mcp`, { authorization: 'Bearer sbk_not-a-key' });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toContain('invalid_token');
    expect((await rawPost(`${d.base}/mcp`, { authorization: `Bearer ${keys[0]!.key}` })).status).toBe(200);
  });

  it('keeps 10,000 interleaved calls from 20 tenants on 200 connections to their own credentials', async () => {
    const upstreamBefore = upstream.requests.length;
    const connections = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const { tenant, key } = keys[i % TENANTS]!;
        return connectHttp({
          url: `${d.base}/mcp`,
          headers: { authorization: `Bearer ${key}` },
          timeoutMs: 120_000,
        }).then((h): [string, Harness] => [tenant, h]);
      }),
    );
    const wrong: string[] = [];
    try {
      // Every tenant asks the same question, so a cache entry crossing tenants would show the other owner.
      await Promise.all(
        connections.map(async ([tenant, h]) => {
          for (let i = 0; i < 50; i++) {
            const r = await h.callTool('list_items', { project: 'shared', state: i % 2 ? 'open' : 'closed' });
            if (r.text !== `#1 owned-by-${tenant}`) wrong.push(`${tenant}: ${r.text.slice(0, 120)}`);
          }
        }),
      );
    } finally {
      await Promise.all(connections.map(([, h]) => h.close()));
    }
    expect(wrong).toEqual([]);
    // Each request upstream carried exactly its tenant's credential (the fake answers 401 otherwise).
    const sent = upstream.requests.slice(upstreamBefore).filter((r) => r.path === '/projects/shared/items');
    expect(sent.length).toBeGreaterThanOrEqual(TENANTS * 2);
    await vi.waitFor(
      () => {
        const lines = d.audit().filter((l) => l.tool === 'list_items' && l.resource?.includes('project:shared'));
        expect(lines).toHaveLength(10_000);
        for (const line of lines) expect(line.principal).toBe(`key:${line.tenant}-bot`);
        // One credential fingerprint per tenant, none shared.
        const byTenant = new Map<string, Set<string>>();
        for (const line of lines)
          byTenant.set(line.tenant, (byTenant.get(line.tenant) ?? new Set()).add(line.credential));
        expect(byTenant.size).toBe(TENANTS);
        const all = [...byTenant.values()].map((s) => [...s]);
        expect(all.every((fps) => fps.length === 1)).toBe(true);
        expect(new Set(all.flat()).size).toBe(TENANTS);
      },
      { timeout: 10_000 },
    );
  }, 300_000);

  it('tells a tenant without stored credentials what the operator must do, and takes BYO tokens where allowed', async () => {
    const empty = await connectHttp({ url: `${d.base}/mcp`, headers: { authorization: `Bearer ${emptyKey}` } });
    try {
      const r = await empty.callTool('list_items', { project: 'p' });
      expect(r.isError).toBe(true);
      expect(r.text).toContain('no DEMO_TOKEN is stored for tenant "empty"');
      expect(r.text).toContain('switchboard credentials add empty demo DEMO_TOKEN');
      // The operator's environment credential is never used for a tenant that did not opt in.
      expect(upstream.requests.some((q) => q.headers.authorization === 'Bearer env-token-never-for-tenants')).toBe(
        false,
      );
    } finally {
      await empty.close();
    }
    const own = `byo-own-${randomBytes(6).toString('hex')}`;
    owners.set(own, 'byo-caller');
    const byo = await connectHttp({
      url: `${d.base}/mcp`,
      headers: { authorization: `Bearer ${byoKey}`, 'x-upstream-token': own },
    });
    try {
      expect((await byo.callTool('list_items', { project: 'p' })).text).toBe('#1 owned-by-byo-caller');
    } finally {
      await byo.close();
    }
  });

  it('serves /metrics on loopback and /readyz', async () => {
    const metrics = await (await fetch(`${d.base}/metrics`)).text();
    expect(metrics).toMatch(/switchboard_tool_calls_total\{server="demo",tool="list_items",outcome="ok"\} \d+/);
    expect(metrics).toContain('switchboard_http_auth_failures_total{reason="401"}');
    expect(metrics).toContain('switchboard_tool_call_duration_seconds_bucket');
    const ready = await fetch(`${d.base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { store: 'ok', credentials: 'ok' } });
  });
});

describe('slow clients', () => {
  it('drops a client that never finishes its headers (408), and keeps serving others', async () => {
    const d = await deploy({ timeouts: { headersSeconds: 1 } });
    try {
      const { connect } = await import('node:net');
      const port = Number(new URL(d.base).port);
      const started = Date.now();
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.write('POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
        let text = '';
        socket.on('data', (chunk) => {
          text += chunk.toString();
        });
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
        setTimeout(() => reject(new Error('the slow client was not dropped within 15 s')), 15_000).unref();
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect((await fetch(`${d.base}/healthz`)).status).toBe(200);
    } finally {
      await d.close();
    }
  });
});

describe('readiness off loopback', () => {
  it('says which check failed, but not why (that names tenants), to whoever reaches the port', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-gw-ready-'));
    // A record sealed with a key this replica does not have: the vault is not loadable.
    const other = new CredentialVault(
      new FileVaultBackend(join(dir, 'creds.json')),
      parseKeyring(`old:${randomBytes(32).toString('base64')}`),
    );
    await other.put('acme', 'demo', 'DEMO_TOKEN', 'acme-token-sealed-elsewhere');
    const key = `sbk_${randomBytes(24).toString('base64url')}`;
    const d = await deploy(
      {
        auth: { mode: 'api-keys', keys: [{ id: 'bot', sha256: hashApiKey(key), tenant: 'acme' }] },
        credentials: { file: join(dir, 'creds.json') },
        tenants: { acme: {} },
      },
      {},
      ['--host', '0.0.0.0', '--allowed-hosts', '127.0.0.1'],
    );
    try {
      const port = new URL(d.base).port;
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(res.status).toBe(503);
      const body = await res.text();
      expect(JSON.parse(body)).toEqual({ status: 'not ready', checks: { store: 'ok', credentials: 'failed' } });
      expect(body).not.toContain('acme');
    } finally {
      await d.close();
    }
  });
});
