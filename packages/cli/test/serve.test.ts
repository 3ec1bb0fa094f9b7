/**
 * `switchboard serve` (several servers, one port, one auth layer), `switchboard credentials` (the encrypted
 * vault) and `switchboard keys`, through the real bin.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectHttp, startHttpServerProcess } from '@switchboard-mcp/testkit';
import { describe, expect, it } from 'vitest';
import { BIN, cleanEnv, runCli, tempDir } from './helpers.ts';

const KEYRING = `k1:${randomBytes(32).toString('base64')}`;

describe('switchboard keys and credentials', () => {
  it('makes API keys whose hash matches, and master keys of the right size', async () => {
    const made = await runCli(['keys', 'new']);
    expect(made.code).toBe(0);
    const key = made.stdout.trim();
    expect(key).toMatch(/^sbk_[A-Za-z0-9_-]{43}$/);
    const sha = /sha256: ([0-9a-f]{64})/.exec(made.stderr)?.[1];
    const hashed = await runCli(['keys', 'hash'], { input: `${key}\n` });
    expect(hashed.stdout.trim()).toBe(sha);
    const master = await runCli(['keys', 'new-master', '--id', '2026-q4']);
    expect(master.stdout.trim()).toMatch(/^2026-q4:/);
    expect(Buffer.from(master.stdout.trim().split(':')[1]!, 'base64')).toHaveLength(32);
  });

  it('adds, lists (masked), rotates and removes credentials; nothing readable at rest or printed', async () => {
    const dir = tempDir();
    const config = join(dir, 'deploy.yaml');
    writeFileSync(config, 'auth: { mode: none }\ncredentials: { file: ./creds.json }\n');
    const env = { SWITCHBOARD_CREDENTIAL_KEYS: KEYRING };
    const secret = `ghp_${randomBytes(18).toString('hex')}`;
    const add = await runCli(['credentials', 'add', 'acme', 'github', 'GITHUB_TOKEN', '--config', config], {
      env,
      input: secret,
    });
    expect(add.code).toBe(0);
    expect(add.stdout + add.stderr).not.toContain(secret.slice(0, -4));
    expect(readFileSync(join(dir, 'creds.json'), 'utf8')).not.toContain(secret);
    const listed = await runCli(['credentials', 'list', '--config', config, '--json'], { env });
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({
        tenant: 'acme',
        server: 'github',
        name: 'GITHUB_TOKEN',
        masked: `••••${secret.slice(-4)}`,
      }),
    ]);
    // Rotation: a new primary key, the old one still listed, then re-seal; the old key can then go.
    const next = `k2:${randomBytes(32).toString('base64')}`;
    const rotated = await runCli(['credentials', 'rotate', '--config', config], {
      env: { SWITCHBOARD_CREDENTIAL_KEYS: `${next},${KEYRING}` },
    });
    expect(rotated.stdout).toContain('re-sealed 1 credential');
    const afterRotation = await runCli(['credentials', 'list', 'acme', '--config', config, '--json'], {
      env: { SWITCHBOARD_CREDENTIAL_KEYS: next },
    });
    expect(JSON.parse(afterRotation.stdout)[0].keyId).toBe('k2');
    const removed = await runCli(['credentials', 'remove', 'acme', 'github', 'GITHUB_TOKEN', '--config', config], {
      env: { SWITCHBOARD_CREDENTIAL_KEYS: next },
    });
    expect(removed.code).toBe(0);
    const again = await runCli(['credentials', 'remove', 'acme', 'github', 'GITHUB_TOKEN', '--config', config], {
      env: { SWITCHBOARD_CREDENTIAL_KEYS: next },
    });
    expect(again.code).toBe(1);
  });

  it('keeps the vault in Redis when the deployment says so', async () => {
    const { startRedis } = await import('@switchboard-mcp/testkit');
    const redis = await startRedis();
    try {
      const dir = tempDir();
      const config = join(dir, 'deploy.yaml');
      writeFileSync(config, 'credentials: { store: redis }\n');
      const noRedis = await runCli(['credentials', 'list', '--config', config], {
        env: { SWITCHBOARD_CREDENTIAL_KEYS: KEYRING },
      });
      expect(noRedis.code).toBe(2);
      expect(noRedis.stderr).toContain('SWITCHBOARD_REDIS_URL');
      const env = { SWITCHBOARD_CREDENTIAL_KEYS: KEYRING, SWITCHBOARD_REDIS_URL: redis.url };
      const add = await runCli(['credentials', 'add', 'acme', 'jira', 'JIRA_API_TOKEN', '--config', config], {
        env,
        input: 'atlassian-token-in-redis-42',
      });
      expect(add.code).toBe(0);
      const listed = await runCli(['credentials', 'list', '--config', config, '--json'], { env });
      expect(JSON.parse(listed.stdout)).toEqual([
        expect.objectContaining({ tenant: 'acme', server: 'jira', masked: '••••s-42' }),
      ]);
    } finally {
      await redis.close();
    }
  });

  it('explains what is missing: no config, no key, no value', async () => {
    expect((await runCli(['credentials', 'list'])).stderr).toContain('--config');
    const dir = tempDir();
    const config = join(dir, 'deploy.json');
    writeFileSync(config, JSON.stringify({ credentials: { file: 'creds.json' } }));
    const noKey = await runCli(['credentials', 'list', '--config', config]);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('SWITCHBOARD_CREDENTIAL_KEYS');
    const empty = await runCli(['credentials', 'add', 'acme', 'github', 'GITHUB_TOKEN', '--config', config], {
      env: { SWITCHBOARD_CREDENTIAL_KEYS: KEYRING },
      input: '',
    });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('standard input was empty');
  });
});

describe('switchboard serve', () => {
  it('serves several servers on one port behind one API-key layer, with per-server tenant policies', async () => {
    const dir = tempDir();
    const key = `sbk_${randomBytes(24).toString('base64url')}`;
    const { createHash } = await import('node:crypto');
    writeFileSync(join(dir, 'github-readonly.json'), JSON.stringify({ readOnly: true }));
    writeFileSync(
      join(dir, 'deploy.json'),
      JSON.stringify({
        auth: {
          mode: 'api-keys',
          keys: [{ id: 'acme-bot', sha256: createHash('sha256').update(key).digest('hex'), tenant: 'acme' }],
        },
        tenants: { acme: { envCredentials: true, policies: { github: 'github-readonly.json' } } },
      }),
    );
    const proc = await startHttpServerProcess({
      command: process.execPath,
      args: ['--conditions=development', BIN, 'serve', 'github,slack', '--sandbox', '--port', '0'],
      env: { ...cleanEnv(), SWITCHBOARD_CONFIG: join(dir, 'deploy.json'), SWITCHBOARD_LOG_LEVEL: 'info' },
      readyTimeoutMs: 30_000,
    });
    try {
      const health = await (await fetch(`${proc.url}/healthz`)).json();
      expect(health).toEqual({ status: 'ok', servers: ['github', 'slack'] });
      const refused = await fetch(`${proc.url}/github/mcp`, { method: 'POST', body: '{}' });
      expect(refused.status).toBe(401);
      const headers = { authorization: `Bearer ${key}` };
      const github = await connectHttp({ url: `${proc.url}/github/mcp`, headers });
      const slack = await connectHttp({ url: `${proc.url}/slack/mcp`, headers });
      try {
        const githubTools = (await github.listTools()).map((t) => t.name);
        expect(githubTools).toContain('get_issue');
        // The tenant's GitHub policy is read-only; Slack has no such policy.
        expect(githubTools).not.toContain('write_issue');
        expect((await slack.listTools()).map((t) => t.name)).toContain('post_message');
        expect((await github.callTool('get_me', {})).isError).toBe(false);
        expect((await slack.callTool('get_me', {})).isError).toBe(false);
      } finally {
        await github.close();
        await slack.close();
      }
      const unknown = await fetch(`${proc.url}/jira/mcp`, { method: 'POST', headers, body: '{}' });
      expect(unknown.status).toBe(404);
      expect(await unknown.text()).toContain('/github/mcp, /slack/mcp');
      const audit = proc
        .stderr()
        .split('\n')
        .filter((l) => l.startsWith('{"type":"audit"'))
        .map((l) => JSON.parse(l));
      expect(new Set(audit.map((l) => `${l.server}:${l.principal}:${l.tenant}`))).toEqual(
        new Set(['github:key:acme-bot:acme', 'slack:key:acme-bot:acme']),
      );
    } finally {
      await proc.close();
    }
  }, 90_000);

  it('refuses single-server flags and unknown servers', async () => {
    const flags = await runCli(['serve', 'github', '--toolsets', 'issues']);
    expect(flags.code).toBe(2);
    expect(flags.stderr).toContain('policies');
    const unknown = await runCli(['serve', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown server "nope"');
  });
});
