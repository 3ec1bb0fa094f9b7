/**
 * Client authentication for HTTP serving, chosen by the operator:
 *  - `oauth`: an OAuth 2.1 resource server. Bearer JWTs are verified against the issuer's JWKS (jose): signature,
 *    issuer, audience bound to this server, expiry. Challenges and the RFC 9728 protected-resource metadata use
 *    the MCP SDK's helpers.
 *  - `api-keys`: static keys, stored only as SHA-256 hashes in the deployment file.
 *  - `none`: no client authentication; allowed on loopback only (the CLI refuses otherwise, loudly).
 * Token scopes map to access: `mcp:write` allows writes, `mcp:read` alone makes the connection read-only,
 * `mcp:toolset:<name>` (optional) limits the toolsets. A token with neither read nor write is refused (403).
 */
import { createHash } from 'node:crypto';
import {
  type AuthInfo,
  bearerAuthChallengeResponse,
  getOAuthProtectedResourceMetadataUrl,
  OAuthError,
  OAuthErrorCode,
  verifyBearerToken,
} from '@modelcontextprotocol/server';
import { Narrowing } from '../narrowing.ts';
import { type ApiKeyConfig, type AuthConfig, TENANT_NAME } from './config.ts';

export const SCOPE_READ = 'mcp:read';
export const SCOPE_WRITE = 'mcp:write';
export const SCOPE_TOOLSET_PREFIX = 'mcp:toolset:';

/** Who a request is, once authenticated. */
export interface Authenticated {
  principal: string;
  tenant: string;
  scopes: string[];
  /** What the token's scopes allow (read-only, toolsets). */
  narrowing?: Narrowing;
  expiresAt?: number;
}

export type AuthOutcome = { ok: true; who: Authenticated } | { ok: false; response: Response };

export interface Authenticator {
  mode: AuthConfig['mode'];
  authenticate(request: Request): Promise<AuthOutcome>;
  /** RFC 9728 document, when OAuth is on. */
  protectedResourceMetadata?(request: Request): Record<string, unknown>;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Access that scopes grant, or an OAuthError (403 insufficient_scope) when they grant none. */
export function narrowingFromScopes(scopes: string[]): Narrowing | undefined {
  const write = scopes.includes(SCOPE_WRITE);
  if (!write && !scopes.includes(SCOPE_READ)) {
    throw new OAuthError(OAuthErrorCode.InsufficientScope, `the token needs the ${SCOPE_READ} or ${SCOPE_WRITE} scope`);
  }
  const toolsets = scopes
    .filter((s) => s.startsWith(SCOPE_TOOLSET_PREFIX))
    .map((s) => s.slice(SCOPE_TOOLSET_PREFIX.length));
  if (write && !toolsets.length) return undefined;
  return new Narrowing({ readOnly: !write, toolsets: toolsets.length ? toolsets : undefined });
}

function publicUrl(request: Request, configured?: string): URL {
  if (configured && /^https?:\/\//.test(configured)) return new URL(configured);
  const url = new URL(request.url);
  return new URL('/mcp', url.origin);
}

export function createAuthenticator(config: AuthConfig, fetchImpl: typeof fetch = fetch): Authenticator {
  if (config.mode === 'none') {
    return {
      mode: 'none',
      authenticate: async () => ({ ok: true, who: { principal: 'http:anonymous', tenant: 'default', scopes: [] } }),
    };
  }
  if (config.mode === 'api-keys') return apiKeyAuthenticator(config.keys);
  return oauthAuthenticator(config.oauth, fetchImpl);
}

function apiKeyAuthenticator(keys: ApiKeyConfig[]): Authenticator {
  const byHash = new Map(keys.map((k) => [k.sha256, k]));
  const verifier = {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const key = byHash.get(hashApiKey(token));
      if (!key) throw new OAuthError(OAuthErrorCode.InvalidToken, 'unknown API key');
      if (key.revoked) throw new OAuthError(OAuthErrorCode.InvalidToken, `API key "${key.id}" has been revoked`);
      // API keys do not expire; the SDK's verifier requires an expiry, so give it the next hour.
      return {
        token: '',
        clientId: `key:${key.id}`,
        scopes: key.scopes,
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
        extra: { tenant: key.tenant },
      };
    },
  };
  return {
    mode: 'api-keys',
    async authenticate(request) {
      try {
        const info = await verifyBearerToken(request.headers.get('authorization'), { verifier });
        return {
          ok: true,
          who: {
            principal: info.clientId,
            tenant: String(info.extra?.tenant),
            scopes: info.scopes,
            narrowing: narrowingFromScopes(info.scopes),
          },
        };
      } catch (error) {
        return { ok: false, response: bearerAuthChallengeResponse(error, { requiredScopes: [SCOPE_READ] }) };
      }
    },
  };
}

type OAuthConfig = Extract<AuthConfig, { mode: 'oauth' }>['oauth'];

function oauthAuthenticator(config: OAuthConfig, fetchImpl: typeof fetch): Authenticator {
  let jwks: Promise<Awaited<ReturnType<typeof loadJwks>>> | undefined;
  const keySet = () => {
    jwks ??= loadJwks(config, fetchImpl);
    // A failed discovery is retried on the next request rather than cached forever.
    jwks.catch(() => {
      jwks = undefined;
    });
    return jwks;
  };
  const verifier = {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const { jwtVerify, errors } = await import('jose');
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(token, await keySet(), {
          issuer: config.issuer,
          audience: config.audience,
          algorithms: config.algorithms,
          clockTolerance: config.clockToleranceSeconds,
          requiredClaims: ['exp'],
        }));
      } catch (error) {
        if (error instanceof OAuthError) throw error;
        const why =
          error instanceof errors.JWTExpired
            ? 'the token has expired'
            : error instanceof errors.JWTClaimValidationFailed
              ? `the token's ${error.claim} claim is not accepted (${error.reason})`
              : error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey
                ? 'the token signature does not verify against the issuer keys'
                : error instanceof errors.JOSEError
                  ? `the token is not valid (${error.code})`
                  : 'the token could not be verified';
        throw new OAuthError(OAuthErrorCode.InvalidToken, why);
      }
      // `scope` (RFC 9068) or `scp`: an array (Okta) or a space-separated string (Entra ID).
      const granted = payload.scope ?? payload.scp;
      const scopes =
        typeof granted === 'string'
          ? granted.split(' ').filter(Boolean)
          : Array.isArray(granted)
            ? granted.map(String)
            : [];
      const claimed = payload[config.tenantClaim];
      const tenant = claimed === undefined ? config.defaultTenant : claimed;
      if (tenant === undefined) {
        throw new OAuthError(
          OAuthErrorCode.InvalidToken,
          `the token has no ${config.tenantClaim} claim naming its tenant`,
        );
      }
      // Tenant names key credentials, cache, budgets and continuations: only the names a deployment file allows.
      if (typeof tenant !== 'string' || !TENANT_NAME.test(tenant)) {
        throw new OAuthError(
          OAuthErrorCode.InvalidToken,
          `the token's ${config.tenantClaim} claim is not a tenant name`,
        );
      }
      const subject = payload[config.principalClaim];
      if (typeof subject !== 'string' || !subject) {
        throw new OAuthError(OAuthErrorCode.InvalidToken, `the token has no ${config.principalClaim} claim`);
      }
      return {
        token: '',
        clientId: `oauth:${subject}`,
        scopes,
        expiresAt: payload.exp as number,
        extra: { tenant },
      };
    },
  };
  const prmUrl = (request: Request) => getOAuthProtectedResourceMetadataUrl(publicUrl(request, config.audience));
  return {
    mode: 'oauth',
    async authenticate(request) {
      const resourceMetadataUrl = prmUrl(request);
      try {
        const info = await verifyBearerToken(request.headers.get('authorization'), { verifier, resourceMetadataUrl });
        return {
          ok: true,
          who: {
            principal: info.clientId,
            tenant: String(info.extra?.tenant),
            scopes: info.scopes,
            narrowing: narrowingFromScopes(info.scopes),
            expiresAt: info.expiresAt,
          },
        };
      } catch (error) {
        return {
          ok: false,
          response: bearerAuthChallengeResponse(error, { requiredScopes: [SCOPE_READ], resourceMetadataUrl }),
        };
      }
    },
    protectedResourceMetadata(request) {
      return {
        resource: publicUrl(request, config.audience).href,
        authorization_servers: [config.issuer],
        scopes_supported: [SCOPE_READ, SCOPE_WRITE],
        bearer_methods_supported: ['header'],
        resource_name: 'Switchboard MCP server',
      };
    },
  };
}

async function loadJwks(config: OAuthConfig, fetchImpl: typeof fetch) {
  const { createRemoteJWKSet } = await import('jose');
  let uri = config.jwksUri;
  if (!uri) {
    // RFC 8414 first, then OpenID Connect discovery.
    const issuer = config.issuer.replace(/\/$/, '');
    const { pathname, origin } = new URL(issuer);
    const candidates = [
      `${origin}/.well-known/oauth-authorization-server${pathname === '/' ? '' : pathname}`,
      `${issuer}/.well-known/openid-configuration`,
    ];
    for (const candidate of candidates) {
      const response = await fetchImpl(candidate, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
      if (!response?.ok) continue;
      const metadata = (await response.json().catch(() => ({}))) as { jwks_uri?: string };
      if (metadata.jwks_uri) {
        uri = metadata.jwks_uri;
        break;
      }
    }
    if (!uri) throw new OAuthError(OAuthErrorCode.ServerError, 'cannot discover the issuer signing keys');
  }
  return createRemoteJWKSet(new URL(uri), { timeoutDuration: 10_000, cooldownDuration: 30_000 });
}
