/**
 * `switchboard credentials` and `switchboard keys`: manage the encrypted credential vault a deployment file names
 * (`credentials.file`) with the keyring in SWITCHBOARD_CREDENTIAL_KEYS / SWITCHBOARD_CREDENTIAL_KEY_FILE, and the
 * hashed API keys clients authenticate with. Secret values are read from standard input, never from arguments
 * (which shells keep in history and other users can see in the process list), and never printed.
 */
import { randomBytes } from 'node:crypto';
import { createRedisState } from '@switchboard-mcp/core';
import {
  CredentialVault,
  FileVaultBackend,
  hashApiKey,
  keyringFromEnv,
  loadDeployment,
  vaultBackend,
} from '@switchboard-mcp/core/gateway';
import { CliError } from '../registry.ts';

export async function openVault(configPath: string | undefined, env: NodeJS.ProcessEnv): Promise<CredentialVault> {
  const path = configPath ?? env.SWITCHBOARD_CONFIG;
  if (!path) throw new CliError('name the deployment file with --config FILE (or SWITCHBOARD_CONFIG)');
  const deployment = await loadDeployment(path).catch((error: Error) => {
    throw new CliError(error.message);
  });
  if (!deployment.credentials) {
    throw new CliError(
      `${path} has no credentials section: add credentials: { file: ./credentials.json } (or { store: redis })`,
    );
  }
  let keys: ReturnType<typeof keyringFromEnv>;
  try {
    keys = keyringFromEnv(env);
  } catch (error) {
    throw new CliError(`the credential keyring is unusable: ${(error as Error).message}`);
  }
  if (!keys) {
    throw new CliError(
      'no credential key: set SWITCHBOARD_CREDENTIAL_KEYS=kid:base64 (32 bytes; `switchboard keys new-master` makes one) or SWITCHBOARD_CREDENTIAL_KEY_FILE',
    );
  }
  if ('file' in deployment.credentials) {
    return new CredentialVault(new FileVaultBackend(deployment.credentials.file), keys);
  }
  if (!env.SWITCHBOARD_REDIS_URL) {
    throw new CliError(`${path} keeps credentials in Redis: set SWITCHBOARD_REDIS_URL`);
  }
  const state = await createRedisState(env.SWITCHBOARD_REDIS_URL).catch((error: Error) => {
    throw new CliError(error.message);
  });
  // The CLI exits when the command is done; the connection goes with it.
  return new CredentialVault(vaultBackend(deployment.credentials, state), keys);
}

/** The whole of standard input, without one trailing newline. */
export async function readSecret(stdin: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<string> {
  if (stdin.isTTY) throw new CliError('pipe the secret on standard input, e.g. printf %s "$TOKEN" | switchboard ...');
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
  const value = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (!value) throw new CliError('standard input was empty: pipe the secret value in');
  return value;
}

export function newApiKey(): { key: string; sha256: string } {
  const key = `sbk_${randomBytes(32).toString('base64url')}`;
  return { key, sha256: hashApiKey(key) };
}

export function newMasterKey(id: string): string {
  if (!/^[A-Za-z0-9_.-]{1,32}$/.test(id)) throw new CliError(`key id "${id}" must be 1-32 letters, digits, _ . -`);
  return `${id}:${randomBytes(32).toString('base64')}`;
}

export { hashApiKey };
