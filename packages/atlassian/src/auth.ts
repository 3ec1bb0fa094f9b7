/**
 * Atlassian credentials shared by the Jira and Confluence servers. Three shapes:
 * Cloud with site URL + email + API token (Basic), Cloud with an OAuth 2.0 (3LO) access token (Bearer, through
 * api.atlassian.com with the site's cloud id), and Data Center / Server with a personal access token (Bearer).
 */
import { type CredentialSpec, SwitchboardError, secret, setting } from '@switchboard-mcp/core';

export type AtlassianProduct = 'JIRA' | 'CONFLUENCE';
export type Deployment = 'cloud' | 'datacenter';

/** The credential keys `atlassianCredentials` defines; values arrive under these keys. */
export type AtlassianCredentialSpecs = {
  url: CredentialSpec;
  email: CredentialSpec;
  apiToken: CredentialSpec;
  pat: CredentialSpec;
  oauthToken: CredentialSpec;
  cloudId: CredentialSpec;
  deployment: CredentialSpec;
};

/** Credential values as core hands them to `client()`. */
export type AtlassianCredentialValues = { [K in keyof AtlassianCredentialSpecs]?: string | undefined };

/**
 * Core credential specs for one product: `<PREFIX>_URL`, `_EMAIL`, `_API_TOKEN`, `_PAT`, `_OAUTH_TOKEN`,
 * `_CLOUD_ID`, `_DEPLOYMENT`, each falling back to the shared `ATLASSIAN_*` name. None is required on its own:
 * `atlassianAuth` checks the combination and names what is missing.
 */
export function atlassianCredentials(prefix: AtlassianProduct): AtlassianCredentialSpecs {
  const product = prefix === 'JIRA' ? 'Jira' : 'Confluence';
  const site = prefix === 'JIRA' ? 'https://your-site.atlassian.net' : 'https://your-site.atlassian.net/wiki';
  const alias = (name: string) => [`ATLASSIAN_${name}`];
  return {
    url: setting(`${prefix}_URL`, undefined, {
      aliases: alias('URL'),
      description: `${product} base URL: ${site} (Cloud) or your Data Center / Server URL.`,
    }),
    email: setting(`${prefix}_EMAIL`, undefined, {
      aliases: alias('EMAIL'),
      description: `Cloud: the Atlassian account email that owns ${prefix}_API_TOKEN.`,
    }),
    apiToken: secret(`${prefix}_API_TOKEN`, {
      required: false,
      aliases: alias('API_TOKEN'),
      description: `Cloud: an API token from https://id.atlassian.com/manage-profile/security/api-tokens (with ${prefix}_EMAIL).`,
    }),
    pat: secret(`${prefix}_PAT`, {
      required: false,
      aliases: [`${prefix}_PERSONAL_TOKEN`, 'ATLASSIAN_PAT'],
      description: 'Data Center / Server: a personal access token (profile > Personal Access Tokens).',
    }),
    oauthToken: secret(`${prefix}_OAUTH_TOKEN`, {
      required: false,
      aliases: alias('OAUTH_TOKEN'),
      description: `Cloud: an OAuth 2.0 (3LO) access token; needs ${prefix}_CLOUD_ID unless ${prefix}_URL already points at api.atlassian.com/ex/...`,
    }),
    cloudId: setting(`${prefix}_CLOUD_ID`, undefined, {
      aliases: alias('CLOUD_ID'),
      description:
        'Cloud + OAuth: the site cloud id (from https://api.atlassian.com/oauth/token/accessible-resources).',
    }),
    deployment: setting(`${prefix}_DEPLOYMENT`, undefined, {
      aliases: alias('DEPLOYMENT'),
      description: 'cloud or datacenter; inferred from the credentials when unset.',
    }),
  };
}

/** How to authenticate against one Atlassian site. */
export interface AtlassianAuth {
  kind: 'basic' | 'bearer';
  /** The complete Authorization header value (`Basic …` / `Bearer …`). Never log it. */
  header: string;
  deployment: Deployment;
  /** Base URL requests go to, without a trailing slash (the OAuth gateway URL under 3LO). */
  baseUrl: string;
}

function authError(message: string, hint: string): SwitchboardError {
  return new SwitchboardError('auth', message, {
    hint: `${hint} The user must configure it; retrying will not help.`,
  });
}

function product(values: AtlassianCredentialValues, prefix?: AtlassianProduct): string {
  return prefix ?? (values.url?.includes('/wiki') ? 'CONFLUENCE' : 'JIRA');
}

/**
 * Decides the auth header and deployment from credential values. Throws SwitchboardError('auth') naming the
 * missing variable when the combination is incomplete (e.g. an API token without an email, or no URL).
 * `prefix` only improves the variable names in messages.
 */
export function atlassianAuth(values: AtlassianCredentialValues, prefix?: AtlassianProduct): AtlassianAuth {
  const p = product(values, prefix);
  const declared = values.deployment
    ?.trim()
    .toLowerCase()
    .replace(/[\s_-]/g, '');
  if (declared && !['cloud', 'datacenter', 'server', 'dc'].includes(declared)) {
    throw authError(`${p}_DEPLOYMENT is "${values.deployment}".`, `Set ${p}_DEPLOYMENT to cloud or datacenter.`);
  }
  const deploymentOverride: Deployment | undefined = declared
    ? declared === 'cloud'
      ? 'cloud'
      : 'datacenter'
    : undefined;
  const rawUrl = values.url?.trim();
  if (values.oauthToken) {
    const baseUrl = oauthBaseUrl(rawUrl, values.cloudId, p);
    return {
      kind: 'bearer',
      header: `Bearer ${values.oauthToken}`,
      deployment: deploymentOverride ?? 'cloud',
      baseUrl,
    };
  }
  if (!rawUrl) {
    throw authError(
      `${p}_URL is not set.`,
      `Set ${p}_URL (or ATLASSIAN_URL) to the site URL, e.g. https://your-site.atlassian.net.`,
    );
  }
  const baseUrl = checkedUrl(rawUrl, p);
  if (values.apiToken) {
    if (!values.email) {
      throw authError(
        `${p}_API_TOKEN is set but ${p}_EMAIL is not.`,
        `Cloud API tokens authenticate together with the account email: set ${p}_EMAIL (or ATLASSIAN_EMAIL). On Data Center use ${p}_PAT instead.`,
      );
    }
    return {
      kind: 'basic',
      header: `Basic ${Buffer.from(`${values.email}:${values.apiToken}`, 'utf8').toString('base64')}`,
      deployment: deploymentOverride ?? 'cloud',
      baseUrl,
    };
  }
  if (values.pat) {
    const cloudHost = /\.atlassian\.net$|\.jira\.com$/i.test(new URL(baseUrl).hostname);
    return {
      kind: 'bearer',
      header: `Bearer ${values.pat}`,
      deployment: deploymentOverride ?? (cloudHost ? 'cloud' : 'datacenter'),
      baseUrl,
    };
  }
  throw authError(
    `no ${p === 'JIRA' ? 'Jira' : 'Confluence'} credentials are set.`,
    `Cloud: set ${p}_EMAIL and ${p}_API_TOKEN (or ${p}_OAUTH_TOKEN with ${p}_CLOUD_ID). Data Center / Server: set ${p}_PAT. Each falls back to ATLASSIAN_*.`,
  );
}

function checkedUrl(raw: string, p: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw authError(
      `${p}_URL is not a URL: "${raw}".`,
      `Set ${p}_URL to the site URL, e.g. https://your-site.atlassian.net.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw authError(
      `${p}_URL must be an http(s) URL.`,
      `Set ${p}_URL to the site URL, e.g. https://your-site.atlassian.net.`,
    );
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function oauthBaseUrl(rawUrl: string | undefined, cloudId: string | undefined, p: string): string {
  if (rawUrl && /\/ex\/(jira|confluence)\/[^/]+/.test(rawUrl)) return checkedUrl(rawUrl, p);
  if (cloudId) {
    return `https://api.atlassian.com/ex/${p === 'JIRA' ? 'jira' : 'confluence'}/${encodeURIComponent(cloudId)}`;
  }
  throw authError(
    `${p}_OAUTH_TOKEN is set but ${p}_CLOUD_ID is not.`,
    `OAuth 2.0 requests go through https://api.atlassian.com/ex/${p === 'JIRA' ? 'jira' : 'confluence'}/<cloudId>: set ${p}_CLOUD_ID (or ATLASSIAN_CLOUD_ID).`,
  );
}
