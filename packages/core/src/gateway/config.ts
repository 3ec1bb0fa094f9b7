/**
 * The deployment file for serving over HTTP in production (`--config FILE`, SWITCHBOARD_CONFIG): how clients
 * authenticate, which tenants exist, their policies and which servers each may use. Without it, HTTP serving is
 * the single-tenant loopback mode of the foundation (no client authentication, credentials from the environment).
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { readConfigFile } from '../config-file.ts';

/** Tenant names: they become parts of vault slots and shared-store keys. */
export const TENANT_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

const ApiKeySchema = z
  .object({
    /** Names the key in audit lines (`key:<id>`) and in revocation. */
    id: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/),
    /** SHA-256 of the key, hex (`switchboard keys hash` or `printf %s "$KEY" | sha256sum`). Never the key. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters (SHA-256 of the key)'),
    tenant: z.string().regex(TENANT_NAME),
    /** Access this key grants: the same scope names as OAuth (`mcp:read`, `mcp:write`, `mcp:toolset:<name>`). */
    scopes: z.array(z.string()).default(['mcp:read', 'mcp:write']),
    revoked: z.boolean().default(false),
  })
  .strict();

const OAuthSchema = z
  .object({
    /** The authorization server's issuer identifier (the `iss` claim). */
    issuer: z.url(),
    /** Where its signing keys are; default: discovered from the issuer's metadata. */
    jwksUri: z.url().optional(),
    /** This server's resource identifier: tokens must carry it in `aud`. Usually the public MCP URL. */
    audience: z.string().min(1),
    /** Asymmetric only: the keys come from a published JWKS, so a shared-secret (HS*) algorithm makes no sense. */
    algorithms: z
      .array(
        z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519']),
      )
      .min(1)
      .default(['RS256', 'ES256', 'PS256', 'EdDSA']),
    /** Claim naming the tenant; tokens without it use `defaultTenant` (or are refused when none is set). */
    tenantClaim: z.string().default('tenant'),
    principalClaim: z.string().default('sub'),
    defaultTenant: z.string().regex(TENANT_NAME).optional(),
    /** Allowed clock skew in seconds for exp/nbf. */
    clockToleranceSeconds: z.number().int().min(0).max(300).default(30),
  })
  .strict();

const AuthSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('none') }).strict(),
  z.object({ mode: z.literal('api-keys'), keys: z.array(ApiKeySchema).min(1) }).strict(),
  z.object({ mode: z.literal('oauth'), oauth: OAuthSchema }).strict(),
]);

const TenantSchema = z
  .object({
    /** Policy file for this tenant (relative to the deployment file). Default: the server's defaults. */
    policy: z.string().optional(),
    /** Policy files per server (`switchboard serve` runs several; toolset names differ), over `policy`. */
    policies: z.record(z.string(), z.string()).optional(),
    /** Servers this tenant may use; default all. */
    servers: z.array(z.string()).optional(),
    disabled: z.boolean().default(false),
    /** Accept the caller's own upstream token in the X-Upstream-Token header. Off unless turned on. */
    byoToken: z.boolean().default(false),
    /** Use the server's environment credentials when the vault holds none (single-operator setups). */
    envCredentials: z.boolean().default(false),
  })
  .strict();

export const DeploymentSchema = z
  .object({
    auth: AuthSchema.default({ mode: 'none' }),
    tenants: z.record(z.string().regex(TENANT_NAME), TenantSchema).optional(),
    /**
     * The encrypted credential vault (keys from SWITCHBOARD_CREDENTIAL_KEYS): a file (relative to the deployment
     * file), or the shared Redis (SWITCHBOARD_REDIS_URL) so replicas need no shared volume.
     */
    credentials: z
      .union([z.object({ file: z.string() }).strict(), z.object({ store: z.literal('redis') }).strict()])
      .optional(),
    metrics: z
      .object({
        /** Bearer token a scraper must send to /metrics when the server is not on loopback. */
        tokenEnv: z.string().default('SWITCHBOARD_METRICS_TOKEN'),
      })
      .strict()
      .default({ tokenEnv: 'SWITCHBOARD_METRICS_TOKEN' }),
    /** Seconds to let calls in flight finish on SIGTERM before closing. */
    drainSeconds: z.number().min(0).max(600).default(25),
    /** Slow clients: seconds for the request headers to arrive, and for the whole request. */
    timeouts: z
      .object({
        headersSeconds: z.number().min(1).max(120).default(30),
        requestSeconds: z.number().min(1).max(3600).default(300),
      })
      .strict()
      .default({ headersSeconds: 30, requestSeconds: 300 }),
  })
  .strict();

export type Deployment = z.output<typeof DeploymentSchema>;
export type AuthConfig = Deployment['auth'];
export type TenantConfig = z.output<typeof TenantSchema>;
export type ApiKeyConfig = z.output<typeof ApiKeySchema>;

/** Loads a deployment file; relative paths inside it resolve against its directory. */
export async function loadDeployment(path: string): Promise<Deployment> {
  const deployment = await readConfigFile(path, DeploymentSchema, 'deployment file');
  const base = dirname(resolve(path));
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  for (const tenant of Object.values(deployment.tenants ?? {})) {
    if (tenant.policy) tenant.policy = abs(tenant.policy);
    for (const [server, file] of Object.entries(tenant.policies ?? {})) tenant.policies![server] = abs(file);
  }
  if (deployment.credentials && 'file' in deployment.credentials) {
    deployment.credentials.file = abs(deployment.credentials.file);
  }
  return deployment;
}
