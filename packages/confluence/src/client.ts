/**
 * The Confluence client tools receive: confluence.js's v1 and v2 clients on the shared Atlassian transport
 * (core's fetch underneath: throttle, Retry-After, deadline, redaction), plus what a tool needs to know about
 * the site (Cloud or Data Center, the web UI base for links) and a small space id ↔ key cache.
 */
import {
  type AtlassianCredentialValues,
  type AtlassianTransport,
  atlassianAuth,
  atlassianTransport,
  type Deployment,
} from '@switchboard-mcp/atlassian';
import type { HttpClient } from '@switchboard-mcp/core';
import type { V1Client, V2Client } from 'confluence.js';

export interface Confluence {
  deployment: Deployment;
  v1: V1Client;
  v2: V2Client;
  /** For Data Center's v1 content endpoints, which confluence.js (following the Cloud spec) no longer has. */
  transport: AtlassianTransport;
  /** Base of web UI links: the site URL including /wiki on Cloud; '' through the OAuth gateway. */
  siteUrl: string;
  /** Space id → key (Cloud v2 names spaces by id). */
  spaceKeys: Map<string, string>;
  /** Account id (Cloud) or user key (Data Center) → display name. */
  userNames: Map<string, string>;
}

export async function createConfluence(
  values: AtlassianCredentialValues,
  http: HttpClient,
  userAgent: string,
): Promise<Confluence> {
  const auth = atlassianAuth(values, 'CONFLUENCE');
  const { createV1Client, createV2Client } = await import('confluence.js');
  const cloud = auth.deployment === 'cloud';
  // confluence.js paths start with /wiki (Cloud); users may configure the site with or without it.
  const gateway = /\/ex\/confluence\//.test(auth.baseUrl);
  const base = cloud && !gateway ? auth.baseUrl.replace(/\/wiki$/, '') : auth.baseUrl;
  const transport = atlassianTransport({
    baseUrl: base,
    authorization: auth.header,
    fetch: http.fetch,
    userAgent,
    // Data Center serves REST v1 at <context>/rest/api, without Cloud's /wiki prefix.
    rewritePath: cloud ? undefined : (path) => path.replace(/^\/wiki\/rest\//, '/rest/'),
  });
  return {
    deployment: auth.deployment,
    v1: createV1Client(transport),
    v2: createV2Client(transport),
    transport,
    siteUrl: gateway ? '' : cloud ? `${base}/wiki` : base,
    spaceKeys: new Map(),
    userNames: new Map(),
  };
}

/** A Data Center v1 call through the same transport (paths as on Cloud, /wiki/rest/...; rewritten for DC). */
export function v1Get<T>(client: Confluence, url: string, searchParams?: Record<string, unknown>): Promise<T> {
  return client.transport.sendRequest<T>({ url, method: 'GET', searchParams });
}

export function v1Send<T>(client: Confluence, method: 'POST' | 'PUT', url: string, body: unknown): Promise<T> {
  return client.transport.sendRequest<T>({ url, method, body });
}
