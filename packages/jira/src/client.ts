/**
 * The Jira client the tools use: jira.js's flat API functions (cloud platform + agile) driven by the shared
 * Atlassian transport on core's fetch, plus what the tools need to know about the site (deployment, browse URL)
 * and a per-credential cache of the field catalogue (names ↔ ids for custom fields).
 */
import {
  type AtlassianCredentialValues,
  type AtlassianTransport,
  atlassianAuth,
  atlassianTransport,
  type Deployment,
} from '@switchboard-mcp/atlassian';
import type { HttpClient } from '@switchboard-mcp/core';

export type CloudApi = typeof import('./api.ts');
export type AgileApi = typeof import('./agile-api.ts');

/** A field of the site's catalogue (GET /field), the parts the tools use. */
export interface JiraField {
  id: string;
  key?: string;
  name: string;
  custom?: boolean;
  schema?: { type?: string; items?: string; custom?: string; system?: string };
}

export interface JiraClient {
  /** jira.js `Client`: pass as the first argument of `api.*` / `agile.*` functions. */
  t: AtlassianTransport;
  api: CloudApi;
  agile: AgileApi;
  deployment: Deployment;
  /** Site URL for browse links (`<site>/browse/KEY`); undefined under OAuth without JIRA_URL. */
  siteUrl: string | undefined;
  /** The field catalogue, fetched once per credential set. */
  fields(): Promise<JiraField[]>;
}

/**
 * Data Center / Server has no REST v3: the same resources live under v2 (text fields as wiki-markup strings
 * instead of ADF). Agile stays at /rest/agile/1.0 on both.
 */
export function dataCenterPath(path: string): string {
  return path.replace(/^\/rest\/api\/3\//, '/rest/api/2/');
}

export async function createJiraClient(
  values: AtlassianCredentialValues,
  http: HttpClient,
  userAgent: string,
): Promise<JiraClient> {
  const auth = atlassianAuth(values, 'JIRA');
  const [api, agile] = await Promise.all([import('./api.ts'), import('./agile-api.ts')]);
  const t = atlassianTransport({
    baseUrl: auth.baseUrl,
    authorization: auth.header,
    fetch: http.fetch,
    userAgent,
    rewritePath: auth.deployment === 'datacenter' ? dataCenterPath : undefined,
  });
  let catalogue: Promise<JiraField[]> | undefined;
  // Behind the OAuth gateway, browse links need the site URL: JIRA_URL when it is not the gateway URL itself.
  const gateway = /\/ex\/jira\//;
  const given = values.url?.trim().replace(/\/+$/, '');
  const siteUrl = !gateway.test(auth.baseUrl) ? auth.baseUrl : given && !gateway.test(given) ? given : undefined;
  return {
    t,
    api,
    agile,
    deployment: auth.deployment,
    siteUrl,
    fields() {
      catalogue ??= (api.getFields(t) as Promise<JiraField[]>).catch((error: unknown) => {
        catalogue = undefined;
        throw error;
      });
      return catalogue;
    },
  };
}
