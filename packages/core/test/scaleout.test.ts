/**
 * Scale-out: two server processes share one Redis (SWITCHBOARD_REDIS_URL) in front of a fake upstream that
 * allows N requests per second per token and answers 429 beyond it. Together they stay within N and no 429
 * reaches the client; budgets are exact across both. The same traffic without Redis (each process alone)
 * does exceed the quota: the check can fail.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRedisState } from '@switchboard-mcp/core';
import {
  connectHttp,
  type FakeUpstream,
  type Harness,
  type RedisHandle,
  type ServerProcess,
  startFakeUpstream,
  startHttpServerProcess,
  startRedis,
} from '@switchboard-mcp/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const BIN = fileURLToPath(new URL('./fixtures/demo-bin.ts', import.meta.url));
const TOKEN = 'scaleout-token-0123456789';
const PER_SECOND = 10;
/**
 * The fake vendor counts arrivals in a sliding window a little shorter than a second. Replicas count a request
 * when they send it (their quota window is a second plus a 15% margin); arrival lags sending by event-loop and
 * network delay on a busy machine. With sends at most 10 per 1150 ms, 11 arrivals inside VENDOR_WINDOW_MS would
 * need a delay over 1150 - VENDOR_WINDOW_MS = 450 ms; two uncoordinated replicas send 20 per 1150 ms and trip it
 * at once (the negative control below).
 */
const VENDOR_WINDOW_MS = 700;

let redis: RedisHandle;
let upstream: FakeUpstream;
/** Times of requests the upstream accepted; and how many it refused with 429. */
let accepted: number[] = [];
let refused = 0;

beforeAll(async () => {
  redis = await startRedis();
  upstream = await startFakeUpstream();
  upstream.use(async (req, next) => {
    if (!req.path.startsWith('/projects/')) return next();
    const now = Date.now();
    const recent = accepted.filter((t) => t > now - VENDOR_WINDOW_MS);
    if (recent.length >= PER_SECOND) {
      refused++;
      return { status: 429, headers: { 'retry-after': '1' }, body: { message: 'slow down' } };
    }
    accepted.push(now);
    return next();
  });
  upstream.route('GET', '/projects/:p/items/:id', (req) => ({
    body: { id: Number(req.params.id), title: `item ${req.params.id}`, body: '' },
  }));
}, 60_000);

afterAll(async () => {
  await upstream?.close();
  await redis?.close();
});

async function replicas(env: Record<string, string>, args: string[] = []): Promise<ServerProcess[]> {
  return Promise.all(
    [0, 1].map(() =>
      startHttpServerProcess({
        command: process.execPath,
        args: ['--conditions=development', BIN, '--http', '--port', '0', ...args],
        env: { DEMO_TOKEN: TOKEN, DEMO_API_URL: upstream.url, SWITCHBOARD_LOG_LEVEL: 'info', ...env },
      }),
    ),
  );
}

/** `perReplica` concurrent get_item calls on each replica; the results' texts. */
async function burst(procs: ServerProcess[], perReplica: number): Promise<{ text: string; isError: boolean }[]> {
  const clients: Harness[] = await Promise.all(procs.map((p) => connectHttp({ url: `${p.url}/mcp` })));
  try {
    const calls = clients.flatMap((h, r) =>
      Array.from({ length: perReplica }, (_, i) => h.callTool('get_item', { project: 'p', id: r * 1000 + i })),
    );
    return await Promise.all(calls);
  } finally {
    await Promise.all(clients.map((h) => h.close()));
  }
}

function maxInVendorWindow(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= VENDOR_WINDOW_MS) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

describe('two replicas sharing Redis', () => {
  it('stay within the vendor quota together and surface no 429', async () => {
    const procs = await replicas({ SWITCHBOARD_REDIS_URL: redis.url, DEMO_QUOTA_PER_SECOND: String(PER_SECOND) });
    try {
      accepted = [];
      refused = 0;
      const results = await burst(procs, 20);
      expect(results.filter((r) => r.isError).map((r) => r.text)).toEqual([]);
      expect(refused).toBe(0);
      expect(accepted).toHaveLength(40);
      expect(maxInVendorWindow(accepted)).toBeLessThanOrEqual(PER_SECOND);
    } finally {
      await Promise.all(procs.map((p) => p.close()));
    }
  }, 60_000);

  it('without shared state, the same traffic exceeds the quota (the check above can fail)', async () => {
    const procs = await replicas({ DEMO_QUOTA_PER_SECOND: String(PER_SECOND) });
    try {
      accepted = [];
      refused = 0;
      await burst(procs, 20);
      expect(refused).toBeGreaterThan(0);
    } finally {
      await Promise.all(procs.map((p) => p.close()));
    }
  }, 60_000);

  it('count budgets exactly across replicas', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-scale-'));
    const policy = join(dir, 'policy.json');
    writeFileSync(policy, JSON.stringify({ budgets: [{ tools: 'get_item', perMinute: 7 }] }));
    const procs = await replicas({ SWITCHBOARD_REDIS_URL: redis.url }, ['--policy', policy]);
    try {
      const results = await burst(procs, 6);
      expect(results.filter((r) => !r.isError)).toHaveLength(7);
      const denied = results.filter((r) => r.isError);
      expect(denied).toHaveLength(5);
      for (const r of denied) expect(r.text).toContain('budgets[0].perMinute');
    } finally {
      await Promise.all(procs.map((p) => p.close()));
    }
  }, 60_000);

  it('keep the credential vault in Redis: sealed at rest, readable by every replica, rotatable', async () => {
    const { createRedisState } = await import('@switchboard-mcp/core');
    const { CredentialVault, parseKeyring } = await import('@switchboard-mcp/core/gateway');
    const { createClient } = await import('@keyv/redis');
    const [a, b] = await Promise.all([createRedisState(redis.url), createRedisState(redis.url)]);
    const raw = createClient({ url: redis.url });
    await raw.connect();
    try {
      const old = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
      const next = `k2:${Buffer.alloc(32, 9).toString('base64')}`;
      const secret = 'xoxb-vault-in-redis-0123456789';
      await new CredentialVault(a.vault!, parseKeyring(old)).put('acme', 'slack', 'SLACK_BOT_TOKEN', secret);
      const stored = JSON.stringify(await raw.hGetAll('switchboard:vault'));
      expect(stored).toContain('acme/slack/SLACK_BOT_TOKEN');
      expect(stored).not.toContain(secret);
      expect(stored).not.toContain(Buffer.from(secret).toString('base64'));
      // Another replica reads it; rotation through one is seen by the other.
      const rotating = new CredentialVault(b.vault!, parseKeyring(`${next},${old}`));
      expect(await rotating.get('acme', 'slack', 'SLACK_BOT_TOKEN')).toBe(secret);
      expect(await rotating.rewrap()).toBe(1);
      expect(await new CredentialVault(a.vault!, parseKeyring(next)).getAll('acme', 'slack')).toEqual({
        SLACK_BOT_TOKEN: secret,
      });
    } finally {
      await raw.close();
      await a.close();
      await b.close();
    }
  });

  it("count declared quotas on Redis's clock, so a replica whose clock runs ahead does not overspend", async () => {
    const [a, b] = await Promise.all([createRedisState(redis.url), createRedisState(redis.url)]);
    try {
      const key = `skew-${process.pid}-${Date.now()}`;
      expect(await a.throttle.take(key, 1, 1000)).toBe(0);
      // Replica b's clock is 5 s ahead: by its own time a's request left the window long ago.
      const ahead = Date.now() + 5_000;
      const spy = vi.spyOn(Date, 'now').mockReturnValue(ahead);
      try {
        expect(await b.throttle.take(key, 1, 1000)).toBeGreaterThan(0);
      } finally {
        spy.mockRestore();
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('refuses to start when Redis cannot be reached, naming it without the password', async () => {
    const { spawnSync } = await import('node:child_process');
    const run = spawnSync(process.execPath, ['--conditions=development', BIN, '--http', '--port', '0'], {
      encoding: 'utf8',
      env: { ...process.env, DEMO_TOKEN: TOKEN, SWITCHBOARD_REDIS_URL: 'redis://user:hunter2@127.0.0.1:1' },
      timeout: 30_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('cannot connect to Redis at redis://user:****@127.0.0.1:1');
    expect(run.stderr).not.toContain('hunter2');
  }, 40_000);
});
