/**
 * Principal → tenant → runtime. Each tenant gets its own ServerRuntime: its own policy (the tenant's policy
 * file, narrowed by the operator's flags), its own vendor clients and credentials (from the encrypted vault, the
 * caller's own token when the tenant allows it, or the environment when the tenant opts in), and its own
 * keys in the shared store (cache, budgets, continuations are keyed by tenant). Tenants never share a client,
 * so no call can use another tenant's credential.
 */

import type { CredentialVault } from '../credentials/vault.ts';
import type { CredentialSpec, ServerDefinition } from '../define.ts';
import { SwitchboardError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { AuditSink } from '../pipeline/audit.ts';
import type { Caller } from '../pipeline/types.ts';
import { loadPolicyFile, Policy, type PolicyFile, type PolicyFlags } from '../policy.ts';
import { type CredentialProvider, ServerRuntime } from '../runtime.ts';
import type { SharedState } from '../state.ts';
import type { Deployment, TenantConfig } from './config.ts';

export const DEFAULT_TENANT = 'default';

/** Why a request cannot be served for its tenant (answered 403 before any MCP handling). */
export class TenantRefusal extends Error {
  override name = 'TenantRefusal';
}

export interface TenantDirectoryOptions {
  def: ServerDefinition;
  deployment?: Deployment;
  /** The operator's flags (narrow every tenant's policy). */
  flags: PolicyFlags;
  /** Policy for the single-tenant mode (no tenants in the deployment). */
  basePolicy: Policy;
  basePolicyFile?: PolicyFile;
  log: Logger;
  audit: AuditSink;
  state: SharedState;
  env: Record<string, string | undefined>;
  vault?: CredentialVault;
}

export class TenantDirectory {
  private readonly opts: TenantDirectoryOptions;
  private readonly runtimes = new Map<string, Promise<ServerRuntime>>();

  constructor(opts: TenantDirectoryOptions) {
    this.opts = opts;
  }

  /** Whether tenants are configured (otherwise every caller shares the operator's runtime). */
  get multiTenant(): boolean {
    return Boolean(this.opts.deployment?.tenants);
  }

  tenantConfig(tenant: string): TenantConfig | undefined {
    const tenants = this.opts.deployment?.tenants;
    // Own keys only: a token naming tenant "constructor" or "__proto__" must not find Object's members.
    return tenants && Object.hasOwn(tenants, tenant) ? tenants[tenant] : undefined;
  }

  /** The runtime serving a tenant; throws TenantRefusal when the tenant may not use this server. */
  async runtimeFor(tenant: string): Promise<ServerRuntime> {
    const name = this.opts.def.name;
    if (this.multiTenant) {
      const config = this.tenantConfig(tenant);
      if (!config) throw new TenantRefusal(`tenant "${tenant}" is not configured on this server`);
      if (config.disabled) throw new TenantRefusal(`tenant "${tenant}" is disabled`);
      if (config.servers && !config.servers.includes(name)) {
        throw new TenantRefusal(`tenant "${tenant}" is not enabled for the ${name} server`);
      }
    }
    let runtime = this.runtimes.get(tenant);
    if (!runtime) {
      runtime = this.build(tenant);
      runtime.catch(() => this.runtimes.delete(tenant));
      this.runtimes.set(tenant, runtime);
    }
    return runtime;
  }

  private async build(tenant: string): Promise<ServerRuntime> {
    const { def, log, audit, state, env, flags } = this.opts;
    const config = this.tenantConfig(tenant);
    const file = config?.policies?.[def.name] ?? config?.policy;
    const policy = config ? new Policy(def, file ? await loadPolicyFile(file) : {}, flags) : this.opts.basePolicy;
    return new ServerRuntime(def, {
      policy,
      log: log.child({ tenant }),
      audit,
      store: state.store,
      counters: state.counters,
      throttle: state.throttle,
      env,
      credentials: this.credentialProvider(tenant, config),
    });
  }

  private credentialProvider(tenant: string, config: TenantConfig | undefined): CredentialProvider {
    const { def, env, vault } = this.opts;
    const specs = Object.entries<CredentialSpec>(def.credentials);
    const fromEnv = (spec: CredentialSpec) =>
      [spec.env, ...(spec.aliases ?? [])].map((n) => env[n]).find((v) => v !== undefined && v !== '');
    const primarySecret = specs.find(([, spec]) => spec.kind === 'secret')?.[0];
    const useEnvSecrets = !this.multiTenant || config?.envCredentials === true;
    return async (caller: Caller) => {
      const out: Record<string, string | undefined> = {};
      // Settings (API URLs and the like) are the operator's, from the environment.
      for (const [key, spec] of specs) if (spec.kind !== 'secret') out[key] = fromEnv(spec) ?? spec.default;
      if (caller.upstreamToken) {
        if (!primarySecret) throw new SwitchboardError('invalid', `${def.name} takes no upstream token.`);
        out[primarySecret] = caller.upstreamToken;
        return out;
      }
      const stored = vault ? await vault.getAll(tenant, def.name) : {};
      for (const [key, spec] of specs) {
        if (spec.kind !== 'secret') continue;
        const names = [spec.env, ...(spec.aliases ?? [])];
        const value = names.map((n) => stored[n]).find(Boolean) ?? (useEnvSecrets ? fromEnv(spec) : undefined);
        out[key] = value ?? spec.default;
        if (spec.required && !out[key] && this.multiTenant) {
          throw new SwitchboardError('auth', `no ${spec.env} is stored for tenant "${tenant}" on ${def.name}.`, {
            hint: `An operator must add it (switchboard credentials add ${tenant} ${def.name} ${spec.env}); retrying will not help.`,
          });
        }
      }
      return out;
    };
  }

  /** Runtimes built so far (for shutdown and readiness). */
  async all(): Promise<ServerRuntime[]> {
    const settled = await Promise.allSettled(this.runtimes.values());
    return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  }
}
