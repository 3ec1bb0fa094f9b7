/**
 * Assembles HTTP serving for production from the deployment file: the authenticator and the credential vault
 * (one per process), and per server the tenant directory that routes each caller to its tenant's runtime.
 * Without a deployment file: no client authentication (loopback only), one tenant, credentials from the
 * environment.
 */

import { CredentialVault, FileVaultBackend, keyringFromEnv, type VaultBackend } from '../credentials/vault.ts';
import type { ServerDefinition } from '../define.ts';
import type { Logger } from '../log.ts';
import type { AuditSink } from '../pipeline/audit.ts';
import type { Policy, PolicyFlags } from '../policy.ts';
import type { ServerRuntime } from '../runtime.ts';
import type { SharedState } from '../state.ts';
import type { RuntimeSource } from '../transport/http.ts';
import { HttpSetupError } from '../transport/http.ts';
import { type Authenticator, createAuthenticator } from './auth.ts';
import { type Deployment, loadDeployment } from './config.ts';
import { TenantDirectory } from './tenants.ts';

/** What one process serves with, whatever the number of servers. */
export interface Gateway {
  deployment?: Deployment;
  auth: Authenticator;
  vault?: CredentialVault;
  readiness: Record<string, () => Promise<unknown>>;
  metricsToken?: string;
  drainMs?: number;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/** Loads the deployment file (when given) and opens its credential vault with the keyring from the environment. */
export async function prepareGateway(args: {
  configPath?: string;
  state: SharedState;
  env: Record<string, string | undefined>;
}): Promise<Gateway> {
  const deployment = args.configPath ? await loadDeployment(args.configPath) : undefined;
  let vault: CredentialVault | undefined;
  if (deployment?.credentials) {
    let keys: ReturnType<typeof keyringFromEnv>;
    try {
      keys = keyringFromEnv(args.env);
    } catch (error) {
      throw new HttpSetupError(`the credential keyring is unusable: ${(error as Error).message}`);
    }
    if (!keys) {
      throw new HttpSetupError(
        'the deployment file stores credentials, but no key is set: put the keyring in SWITCHBOARD_CREDENTIAL_KEYS (kid:base64-32-bytes, primary first) or a file named by SWITCHBOARD_CREDENTIAL_KEY_FILE',
      );
    }
    vault = new CredentialVault(vaultBackend(deployment.credentials, args.state), keys);
  }
  const readiness: Record<string, () => Promise<unknown>> = { store: () => args.state.ping() };
  // Loadable means decryptable with this replica's keyring, not just a readable file.
  if (vault) readiness.credentials = () => vault.verify();
  return {
    deployment,
    auth: createAuthenticator(deployment?.auth ?? { mode: 'none' }),
    vault,
    readiness,
    metricsToken: args.env[deployment?.metrics.tokenEnv ?? 'SWITCHBOARD_METRICS_TOKEN'] || undefined,
    drainMs: deployment ? deployment.drainSeconds * 1000 : undefined,
    headersTimeoutMs: deployment ? deployment.timeouts.headersSeconds * 1000 : undefined,
    requestTimeoutMs: deployment ? deployment.timeouts.requestSeconds * 1000 : undefined,
  };
}

/** The listener options a gateway fixes (auth, metrics, readiness, timeouts); callers add host, port and the rest. */
export function listenerOptions(gateway: Gateway) {
  return {
    auth: gateway.auth,
    metricsToken: gateway.metricsToken,
    readiness: gateway.readiness,
    drainMs: gateway.drainMs,
    headersTimeoutMs: gateway.headersTimeoutMs,
    requestTimeoutMs: gateway.requestTimeoutMs,
  };
}

/** Why the HTTP listener did not start, in words an operator can act on. */
export function listenError(error: NodeJS.ErrnoException, host: string, port: number): string {
  if (error.name === 'HttpSetupError') return error.message;
  if (error.code === 'EADDRINUSE') {
    return `port ${port} on ${host} is already in use; pick another with --port N (0 for any free port)`;
  }
  if (error.code === 'EACCES') return `no permission to listen on ${host}:${port}; use a port above 1024`;
  return `cannot listen on ${host}:${port}: ${error.message}`;
}

/** The vault's storage: the file the deployment names, or the shared Redis. */
export function vaultBackend(credentials: NonNullable<Deployment['credentials']>, state: SharedState): VaultBackend {
  if ('file' in credentials) return new FileVaultBackend(credentials.file);
  if (!state.vault) {
    throw new HttpSetupError(
      'the deployment keeps credentials in Redis (credentials.store: redis) but SWITCHBOARD_REDIS_URL is not set',
    );
  }
  return state.vault;
}

/**
 * Where one server's calls run: with tenants configured, each tenant's own runtime; otherwise every caller shares
 * the operator's runtime (its cache, budgets and audit stay keyed by tenant and principal all the same).
 */
export function tenantRuntimes(args: {
  def: ServerDefinition;
  gateway: Gateway;
  flags: PolicyFlags;
  basePolicy: Policy;
  baseRuntime: ServerRuntime;
  log: Logger;
  audit: AuditSink;
  state: SharedState;
  env: Record<string, string | undefined>;
}): RuntimeSource {
  const directory = new TenantDirectory({
    def: args.def,
    deployment: args.gateway.deployment,
    flags: args.flags,
    basePolicy: args.basePolicy,
    log: args.log,
    audit: args.audit,
    state: args.state,
    env: args.env,
    vault: args.gateway.vault,
  });
  const single = !directory.multiTenant;
  return {
    runtimeFor: single ? async () => args.baseRuntime : (tenant) => directory.runtimeFor(tenant),
    allowsOwnToken: (tenant) => directory.tenantConfig(tenant)?.byoToken === true,
    shared: single,
  };
}
