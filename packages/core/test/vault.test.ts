/** The encrypted credential vault: nothing readable at rest, slot binding, rotation without downtime. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialVault, FileVaultBackend, parseKeyring } from '@switchboard-mcp/core/gateway';
import { describe, expect, it } from 'vitest';

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

function setup() {
  const path = join(mkdtempSync(join(tmpdir(), 'sb-vault-')), 'creds.json');
  return { path, backend: new FileVaultBackend(path) };
}

describe('CredentialVault', () => {
  it('stores nothing readable at rest, and the file is private', async () => {
    const { path, backend } = setup();
    const vault = new CredentialVault(backend, parseKeyring(key('k1')));
    const secret = `ghp_${randomBytes(18).toString('hex')}`;
    await vault.put('acme', 'github', 'GITHUB_TOKEN', secret);
    const raw = readFileSync(path, 'utf8');
    for (const form of [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url')]) {
      expect(raw).not.toContain(form);
    }
    expect(raw).not.toContain(secret.slice(4, 20));
    // Not even the tail shown by `list`: the mask is made by decrypting.
    expect(raw).not.toContain(secret.slice(-4));
    expect(statSync(path).mode & 0o077).toBe(0);
    expect(await vault.get('acme', 'github', 'GITHUB_TOKEN')).toBe(secret);
    expect(await vault.getAll('acme', 'github')).toEqual({ GITHUB_TOKEN: secret });
    expect(await vault.list()).toEqual([
      expect.objectContaining({ tenant: 'acme', server: 'github', name: 'GITHUB_TOKEN', keyId: 'k1' }),
    ]);
    expect((await vault.list())[0]!.masked).toBe(`••••${secret.slice(-4)}`);
  });

  it('does not open with the wrong key, nor a record moved to another tenant', async () => {
    const { path, backend } = setup();
    const ring = key('k1');
    const vault = new CredentialVault(backend, parseKeyring(ring));
    await vault.put('acme', 'slack', 'SLACK_BOT_TOKEN', 'xoxb-acme-secret-value');
    const impostor = new CredentialVault(backend, parseKeyring(key('k1')));
    await expect(impostor.get('acme', 'slack', 'SLACK_BOT_TOKEN')).rejects.toThrow(/does not decrypt/);
    // Copy acme's record into globex's slot: the ciphertext is bound to its slot.
    const file = JSON.parse(readFileSync(path, 'utf8'));
    file.records['globex/slack/SLACK_BOT_TOKEN'] = file.records['acme/slack/SLACK_BOT_TOKEN'];
    writeFileSync(path, JSON.stringify(file));
    await expect(vault.get('globex', 'slack', 'SLACK_BOT_TOKEN')).rejects.toThrow(/does not decrypt/);
    expect(await vault.get('acme', 'slack', 'SLACK_BOT_TOKEN')).toBe('xoxb-acme-secret-value');
    expect(await vault.get('globex', 'slack', 'OTHER')).toBeUndefined();
  });

  it('refuses a truncated GCM tag (which GCM alone would accept)', async () => {
    const { path, backend } = setup();
    const vault = new CredentialVault(backend, parseKeyring(key('k1')));
    await vault.put('acme', 'github', 'GITHUB_TOKEN', 'ghp_truncation-target-value');
    const file = JSON.parse(readFileSync(path, 'utf8'));
    const record = file.records['acme/github/GITHUB_TOKEN'];
    const shorten = (sealed: string) => {
      const [iv, tag, ct] = sealed.split('.') as [string, string, string];
      return [iv, Buffer.from(tag, 'base64url').subarray(0, 4).toString('base64url'), ct].join('.');
    };
    for (const field of ['dek', 'data'] as const) {
      const altered = structuredClone(file);
      altered.records['acme/github/GITHUB_TOKEN'][field] = shorten(record[field]);
      writeFileSync(path, JSON.stringify(altered));
      await expect(vault.get('acme', 'github', 'GITHUB_TOKEN'), field).rejects.toThrow(/does not decrypt/);
    }
  });

  it('verifies every record against the keyring (readiness), and lists what does not decrypt', async () => {
    const { backend } = setup();
    const vault = new CredentialVault(backend, parseKeyring(key('k1')));
    await vault.put('acme', 'github', 'GITHUB_TOKEN', 'ghp_readiness-check-value');
    expect(await vault.verify()).toBe(1);
    const stranger = new CredentialVault(backend, parseKeyring(key('k2')));
    await expect(stranger.verify()).rejects.toThrow(/sealed with key "k1", which is not in the keyring/);
    const impostor = new CredentialVault(backend, parseKeyring(key('k1')));
    await expect(impostor.verify()).rejects.toThrow(/does not decrypt/);
    expect((await impostor.list())[0]!.masked).toBe('•••• (does not decrypt with this keyring)');
  });

  it('rotates keys without downtime: every credential stays usable at every step', async () => {
    const { backend } = setup();
    const old = key('2025');
    const next = key('2026');
    const values = Object.fromEntries(
      Array.from({ length: 5 }, (_, i) => [`t${i}`, `token-${i}-${randomBytes(8).toString('hex')}`]),
    );
    const v1 = new CredentialVault(backend, parseKeyring(old));
    for (const [tenant, value] of Object.entries(values)) await v1.put(tenant, 'jira', 'JIRA_API_TOKEN', value);
    const readAll = async (vault: CredentialVault) => {
      for (const [tenant, value] of Object.entries(values))
        expect(await vault.get(tenant, 'jira', 'JIRA_API_TOKEN')).toBe(value);
    };
    // Step 1: new key first, old key still listed: old records read, new ones are written with the new key.
    const v2 = new CredentialVault(backend, parseKeyring(`${next},${old}`));
    await readAll(v2);
    await readAll(v1);
    // Step 2: rewrap moves every record to the new key.
    expect(await v2.rewrap()).toBe(5);
    expect(new Set((await v2.list()).map((e) => e.keyId))).toEqual(new Set(['2026']));
    expect(await v2.rewrap()).toBe(0);
    // Step 3: the old key can go.
    await readAll(new CredentialVault(backend, parseKeyring(next)));
    await expect(v1.get('t0', 'jira', 'JIRA_API_TOKEN')).rejects.toThrow(/not in the keyring/);
  });

  it('refuses malformed keyrings and slots with clear messages', async () => {
    expect(() => parseKeyring('nocolon')).toThrow(/<key-id>:<base64/);
    expect(() => parseKeyring(`k:${randomBytes(16).toString('base64')}`)).toThrow(/16 bytes; it must be 32/);
    expect(() => parseKeyring(`${key('a')},${key('a')}`)).toThrow(/appears twice/);
    const vault = new CredentialVault(setup().backend, parseKeyring(key('k')));
    await expect(vault.put('../etc', 'github', 'X', 'v')).rejects.toThrow(/tenant "..\/etc"/);
    await expect(vault.put('acme', 'github', 'X', '')).rejects.toThrow(/empty/);
  });
});
