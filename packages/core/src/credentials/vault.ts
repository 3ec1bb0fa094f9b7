/**
 * Upstream credentials encrypted at rest: each value has its own random data key (AES-256-GCM); the data key is
 * wrapped by a master key (AES-256-GCM again: an envelope). Master keys form a keyring named by key id; the first
 * is primary and wraps new values, every key in the ring can unwrap. Rotation without downtime is therefore:
 * put the new key first (old key still listed), `rewrap()` every record, then drop the old key.
 *
 * Each ciphertext is bound (GCM additional data) to its slot `tenant/server/name`, so a record copied into
 * another tenant's slot does not decrypt. Records live in a small key-value backend: a JSON file by default
 * (written atomically), the shared Redis store for scale-out.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { SwitchboardError } from '../errors.ts';

export interface MasterKey {
  id: string;
  key: Buffer;
}

/** One stored credential value, as it sits at rest. */
export interface SealedRecord {
  v: 1;
  /** Master key id that wrapped the data key. */
  kid: string;
  /** Wrapped data key: iv.tag.ciphertext, base64url. */
  dek: string;
  /** The value: iv.tag.ciphertext, base64url. */
  data: string;
  updated: string;
}

export interface VaultBackend {
  get(key: string): Promise<SealedRecord | undefined>;
  set(key: string, record: SealedRecord): Promise<void>;
  delete(key: string): Promise<boolean>;
  keys(prefix: string): Promise<string[]>;
}

/**
 * Parses a keyring: `kid:base64key[,kid:base64key...]`, primary first; each key 32 bytes (e.g. `openssl rand
 * -base64 32`). Also accepts one key per line (key files).
 */
export function parseKeyring(text: string): MasterKey[] {
  const entries = text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('#'));
  if (!entries.length) throw new SwitchboardError('invalid', 'the credential keyring is empty.');
  const seen = new Set<string>();
  return entries.map((entry) => {
    const at = entry.indexOf(':');
    if (at <= 0) {
      throw new SwitchboardError('invalid', 'a credential key must be written as <key-id>:<base64 of 32 bytes>.');
    }
    const id = entry.slice(0, at);
    const key = Buffer.from(entry.slice(at + 1), 'base64');
    if (key.length !== 32) {
      throw new SwitchboardError('invalid', `credential key "${id}" is ${key.length} bytes; it must be 32 (base64).`);
    }
    if (seen.has(id)) throw new SwitchboardError('invalid', `credential key id "${id}" appears twice.`);
    seen.add(id);
    return { id, key };
  });
}

/** The keyring from SWITCHBOARD_CREDENTIAL_KEYS or the file named by SWITCHBOARD_CREDENTIAL_KEY_FILE. */
export function keyringFromEnv(env: Record<string, string | undefined> = process.env): MasterKey[] | undefined {
  if (env.SWITCHBOARD_CREDENTIAL_KEYS) return parseKeyring(env.SWITCHBOARD_CREDENTIAL_KEYS);
  if (env.SWITCHBOARD_CREDENTIAL_KEY_FILE)
    return parseKeyring(readFileSync(env.SWITCHBOARD_CREDENTIAL_KEY_FILE, 'utf8'));
  return undefined;
}

function seal(key: Buffer, plain: Buffer, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
  return [iv, cipher.getAuthTag(), ct].map((b) => b.toString('base64url')).join('.');
}

const TAG_BYTES = 16;

function open(key: Buffer, sealed: string, aad: string): Buffer {
  const [iv, tag, ct] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  // GCM would accept a truncated tag (as short as 4 bytes: a forgery in 2^32 tries); only full tags are ours.
  if (iv?.length !== 12 || tag?.length !== TAG_BYTES || !ct) throw new Error('malformed sealed value');
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ct), decipher.final()]);
}

const SLOT = /^[A-Za-z0-9_.-]{1,64}$/;

function slot(tenant: string, server: string, name: string): string {
  for (const [what, value] of [
    ['tenant', tenant],
    ['server', server],
    ['credential name', name],
  ] as const) {
    if (!SLOT.test(value)) {
      throw new SwitchboardError('invalid', `${what} "${value}" must be 1-64 letters, digits, '_', '.' or '-'.`);
    }
  }
  return `${tenant}/${server}/${name}`;
}

export interface VaultEntry {
  tenant: string;
  server: string;
  name: string;
  masked: string;
  keyId: string;
  updated: string;
}

export class CredentialVault {
  private readonly backend: VaultBackend;
  private readonly keys: MasterKey[];

  constructor(backend: VaultBackend, keys: MasterKey[]) {
    this.backend = backend;
    if (!keys.length) throw new SwitchboardError('invalid', 'the credential vault needs at least one master key.');
    this.keys = keys;
  }

  async put(tenant: string, server: string, name: string, value: string): Promise<void> {
    const where = slot(tenant, server, name);
    if (!value) throw new SwitchboardError('invalid', `the value for ${where} is empty.`);
    const primary = this.keys[0]!;
    const dataKey = randomBytes(32);
    const record: SealedRecord = {
      v: 1,
      kid: primary.id,
      dek: seal(primary.key, dataKey, `dek:${where}`),
      data: seal(dataKey, Buffer.from(value, 'utf8'), `val:${where}`),
      updated: new Date().toISOString(),
    };
    dataKey.fill(0);
    await this.backend.set(where, record);
  }

  /** The plain value, or undefined when none is stored. Throws when it cannot be decrypted (wrong key, tampering). */
  async get(tenant: string, server: string, name: string): Promise<string | undefined> {
    const where = slot(tenant, server, name);
    const record = await this.backend.get(where);
    if (!record) return undefined;
    return this.unseal(where, record).toString('utf8');
  }

  /** All values stored for a tenant and server, by credential name. */
  async getAll(tenant: string, server: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    const prefix = `${slot(tenant, server, 'any').slice(0, -'any'.length)}`;
    for (const key of await this.backend.keys(prefix)) {
      const record = await this.backend.get(key);
      if (record) out[key.split('/')[2]!] = this.unseal(key, record).toString('utf8');
    }
    return out;
  }

  async remove(tenant: string, server: string, name: string): Promise<boolean> {
    return this.backend.delete(slot(tenant, server, name));
  }

  /**
   * Stored credentials, masked: never the value, at most its last four characters (of values longer than 12),
   * read by decrypting, so nothing of a value sits in the file in plain text.
   */
  async list(tenant?: string): Promise<VaultEntry[]> {
    const out: VaultEntry[] = [];
    for (const key of (await this.backend.keys(tenant ? `${tenant}/` : '')).sort()) {
      const record = await this.backend.get(key);
      if (!record) continue;
      const [t, s, n] = key.split('/') as [string, string, string];
      let masked = '••••';
      try {
        const value = this.unseal(key, record).toString('utf8');
        if (value.length > 12) masked += value.slice(-4);
      } catch {
        masked += ' (does not decrypt with this keyring)';
      }
      out.push({ tenant: t, server: s, name: n, masked, keyId: record.kid, updated: record.updated });
    }
    return out;
  }

  /** Decrypts every record once (readiness): throws the first problem, e.g. a key missing from the keyring. */
  async verify(): Promise<number> {
    const keys = await this.backend.keys('');
    for (const key of keys) {
      const record = await this.backend.get(key);
      if (record) this.unseal(key, record).fill(0);
    }
    return keys.length;
  }

  /** Re-wraps every data key with the primary key (values untouched); returns how many records changed. */
  async rewrap(): Promise<number> {
    const primary = this.keys[0]!;
    let changed = 0;
    for (const key of await this.backend.keys('')) {
      const record = await this.backend.get(key);
      if (!record || record.kid === primary.id) continue;
      const dataKey = this.dataKey(key, record);
      await this.backend.set(key, { ...record, kid: primary.id, dek: seal(primary.key, dataKey, `dek:${key}`) });
      dataKey.fill(0);
      changed++;
    }
    return changed;
  }

  private dataKey(where: string, record: SealedRecord): Buffer {
    const master = this.keys.find((k) => k.id === record.kid);
    if (!master) {
      throw new SwitchboardError(
        'auth',
        `the credential for ${where} is sealed with key "${record.kid}", which is not in the keyring.`,
        { hint: 'Add that key back to SWITCHBOARD_CREDENTIAL_KEYS (after the primary) and run the rewrap.' },
      );
    }
    try {
      return open(master.key, record.dek, `dek:${where}`);
    } catch {
      throw new SwitchboardError('auth', `the credential for ${where} does not decrypt with key "${record.kid}".`, {
        hint: 'The key or the stored record is wrong; store the credential again.',
      });
    }
  }

  private unseal(where: string, record: SealedRecord): Buffer {
    const dataKey = this.dataKey(where, record);
    try {
      return open(dataKey, record.data, `val:${where}`);
    } catch {
      throw new SwitchboardError('auth', `the credential for ${where} does not decrypt.`, {
        hint: 'The stored record was altered or moved from another slot; store the credential again.',
      });
    } finally {
      dataKey.fill(0);
    }
  }
}

/** A JSON file of sealed records, rewritten atomically (temp file + rename) with mode 0600. */
export class FileVaultBackend implements VaultBackend {
  private readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  private read(): Record<string, SealedRecord> {
    if (!existsSync(this.path)) return {};
    const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as { records?: Record<string, SealedRecord> };
    return parsed.records ?? {};
  }

  private write(records: Record<string, SealedRecord>): void {
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ version: 1, records }, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.path);
  }

  async get(key: string): Promise<SealedRecord | undefined> {
    return this.read()[key];
  }

  async set(key: string, record: SealedRecord): Promise<void> {
    const records = this.read();
    records[key] = record;
    this.write(records);
  }

  async delete(key: string): Promise<boolean> {
    const records = this.read();
    if (!(key in records)) return false;
    delete records[key];
    this.write(records);
    return true;
  }

  async keys(prefix: string): Promise<string[]> {
    return Object.keys(this.read()).filter((k) => k.startsWith(prefix));
  }
}
