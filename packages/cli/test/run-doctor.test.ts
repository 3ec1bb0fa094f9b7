/**
 * core's runDoctor (packages/core/src/doctor.ts) against a small server definition whose API is a fake upstream
 * over HTTP: whoami identity and scopes, scopes from response headers, upstream failures, timeouts, sandboxes.
 */
import { defineServer, type HttpClient, Policy, secret, setting, toolsFor } from '@switchboard-mcp/core';
import { type FakeUpstream, json, startFakeUpstream } from '@switchboard-mcp/testkit/upstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runDoctor } from '../../core/src/doctor.ts';

const KEY = 'acme_key_0123456789abcdef';

interface Acme {
  me(signal: AbortSignal): Promise<{ name: string; scopes?: string[] }>;
}

const tool = toolsFor<Acme>();
const noop = z.object({});
const run = async () => 'ok';
const things = {
  description: 'Things',
  tools: [
    tool({ name: 'list_things', title: 'List', description: 'List', access: 'read', input: noop, run }),
    tool({
      name: 'create_thing',
      title: 'Create',
      description: 'Create',
      access: 'write',
      input: noop,
      run,
      scopes: ['things:write', 'admin'],
    }),
  ],
};
const admin = {
  description: 'Admin',
  tools: [
    tool({
      name: 'drop',
      title: 'Drop',
      description: 'Drop',
      access: 'destructive',
      input: noop,
      run,
      scopes: ['admin'],
    }),
  ],
};

function acme(upstream: FakeUpstream, opts: { whoamiScopes: boolean; whoami?: boolean } = { whoamiScopes: true }) {
  return defineServer({
    name: 'acme',
    packageName: '@acme/things-mcp',
    version: '1.0.0',
    summary: 'Things',
    credentials: {
      key: secret('ACME_KEY', { aliases: ['THINGS_KEY'] }),
      apiUrl: setting('ACME_API_URL', 'https://api.acme.invalid'),
    },
    apiUrlCredential: 'apiUrl',
    client: ({ key, apiUrl }, http: HttpClient): Acme => ({
      async me(signal) {
        const res = await http.fetch(`${apiUrl}/me`, { headers: { authorization: `Bearer ${key}` }, signal });
        if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { status: res.status });
        return (await res.json()) as { name: string; scopes?: string[] };
      },
    }),
    toolsets: { things, admin },
    defaultToolsets: ['things'],
    scopes: { fromHeaders: (h) => h.get('x-acme-scopes')?.split(' ') },
    ...(opts.whoami === false
      ? {}
      : {
          whoami: async (client: Acme, signal: AbortSignal) => {
            const me = await client.me(signal);
            return { identity: me.name, ...(opts.whoamiScopes ? { scopes: me.scopes } : {}) };
          },
        }),
    sandbox: async () => ({ url: upstream.url, credentials: { ACME_KEY: KEY }, close: async () => {} }),
  });
}

let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeUpstream();
  upstream.route('GET', '/me', (req) =>
    req.headers.authorization === `Bearer ${KEY}`
      ? json(
          200,
          { name: 'Ada\u200b Lovelace', scopes: ['things:write', 'billing'] },
          { 'x-acme-scopes': 'read admin' },
        )
      : json(401, { message: 'bad key' }),
  );
});
afterAll(() => upstream.close());

const env = (extra: Record<string, string> = {}) => ({ ACME_API_URL: upstream.url, ...extra });

describe('runDoctor', () => {
  it('reports who the key belongs to and compares whoami scopes with the enabled tools', async () => {
    const report = await runDoctor(acme(upstream), { env: env({ THINGS_KEY: KEY }) });
    expect(report).toEqual({
      server: 'acme',
      sandbox: false,
      missingCredentials: [],
      enabledTools: 2,
      smoke: { status: 'ok', via: 'whoami', identity: 'Ada Lovelace' },
      privilege: {
        known: true,
        granted: ['billing', 'things:write'],
        needed: ['admin', 'things:write'],
        missing: [],
        excess: ['billing'],
      },
    });
  });

  it('falls back to the scopes in response headers and follows the policy', async () => {
    const def = acme(upstream, { whoamiScopes: false });
    const policy = new Policy(def, {}, { toolsets: ['all'] });
    const report = await runDoctor(def, { env: env({ ACME_KEY: KEY }), policy });
    expect(report.enabledTools).toBe(3);
    expect(report.privilege).toEqual({
      known: true,
      granted: ['admin', 'read'],
      needed: ['admin', 'things:write'],
      missing: [],
      excess: ['read'],
    });
    const readOnly = await runDoctor(def, { env: env({ ACME_KEY: KEY }), policy: new Policy(def, { readOnly: true }) });
    expect(readOnly.privilege?.excess).toEqual(['admin', 'read']);
  });

  it('names the tools a key cannot use', async () => {
    const def = acme(upstream, { whoamiScopes: true });
    upstream.addFault({
      match: { path: '/me' },
      fault: { kind: 'status', status: 200, body: { name: 'Ada', scopes: ['read'] } },
    });
    const report = await runDoctor(def, {
      env: env({ ACME_KEY: KEY }),
      policy: new Policy(def, { toolsets: ['all'] }),
    });
    expect(report.privilege?.missing).toEqual([
      { tool: 'create_thing', anyOf: ['things:write', 'admin'] },
      { tool: 'drop', anyOf: ['admin'] },
    ]);
    expect(report.privilege?.excess).toEqual(['read']);
  });

  it('maps a rejected key to an auth failure that names the variable and never shows the key', async () => {
    const wrong = 'acme_key_wrong_wrong_wrong';
    const report = await runDoctor(acme(upstream), { env: env({ ACME_KEY: wrong }) });
    expect(report.smoke.status).toBe('failed');
    expect(report.smoke.errorKind).toBe('auth');
    expect(report.smoke.error).toContain('ACME_KEY');
    expect(JSON.stringify(report)).not.toContain(wrong);
    expect(report.privilege).toBeUndefined();
  });

  it('bounds the read: a hanging API is a timeout, a failing one an upstream error', async () => {
    upstream.addFault({ match: { path: '/me' }, fault: { kind: 'hang' }, times: 5 });
    const hung = await runDoctor(acme(upstream), { env: env({ ACME_KEY: KEY }), timeoutMs: 300 });
    expect(hung.smoke).toMatchObject({ status: 'failed', errorKind: 'timeout' });
    upstream.clearFaults();
    upstream.addFault({ match: { path: '/me' }, fault: { kind: 'status', status: 503 }, times: 5 });
    const down = await runDoctor(acme(upstream), { env: env({ ACME_KEY: KEY }), timeoutMs: 3000 });
    expect(down.smoke).toMatchObject({ status: 'failed', errorKind: 'upstream' });
    upstream.clearFaults();
  });

  it('skips the read when a required secret is missing, and says when there is no read to make', async () => {
    const missing = await runDoctor(acme(upstream), { env: env() });
    expect(missing.missingCredentials).toEqual(['ACME_KEY or THINGS_KEY']);
    expect(missing.smoke).toEqual({ status: 'skipped', errorKind: 'auth', error: 'not set: ACME_KEY or THINGS_KEY' });
    const none = await runDoctor(acme(upstream, { whoamiScopes: false, whoami: false }), {
      env: env({ ACME_KEY: KEY }),
    });
    expect(none.smoke).toEqual({ status: 'unavailable', error: 'acme defines no whoami read' });
  });

  it('runs against the server sandbox with its credentials and URL', async () => {
    const report = await runDoctor(acme(upstream), { env: {}, sandbox: true });
    expect(report.sandbox).toBe(true);
    expect(report.smoke).toEqual({ status: 'ok', via: 'whoami', identity: 'Ada Lovelace' });
  });
});
