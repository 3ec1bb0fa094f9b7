/**
 * The request layer for jira.js and confluence.js. Both SDKs call the global `fetch` themselves and accept no
 * custom fetch, but both accept any object with `sendRequest(options)` as their client. This is that object,
 * built on core's fetch so every request gets core's throttle, Retry-After handling, deadline and redaction.
 * A failed fetch (core's rate-limit or deadline error) propagates as it is instead of being wrapped.
 */
import { AtlassianApiError } from './errors.ts';

/** What jira.js / confluence.js pass to `Client.sendRequest` (structurally the SDKs' SendRequestOptions). */
// biome-ignore lint/correctness/noUnusedVariables: T mirrors the SDKs' generic so their Client type matches.
export interface SendRequestOptions<T = unknown> {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  searchParams?: Record<string, unknown>;
  /** The SDK's response schema; deliberately not applied (see `atlassianTransport`). */
  schema?: unknown;
}

/** Structurally the SDKs' `Client`: pass it to `createCloudClient(...)`, `createAgileClient(...)`, etc. */
export interface AtlassianTransport {
  sendRequest<T>(options: SendRequestOptions<T>): Promise<T>;
}

export interface AtlassianTransportOptions {
  /** Site base URL without trailing slash (from `atlassianAuth`). */
  baseUrl: string;
  /** Authorization header value (from `atlassianAuth`). */
  authorization: string;
  /** Core's fetch (`http.fetch` in `client()`). */
  fetch: typeof globalThis.fetch;
  userAgent?: string;
  /** Rewrite a request path before sending, e.g. `/rest/api/3/` → `/rest/api/2/` on Data Center. */
  rewritePath?: (path: string) => string;
}

/** Query serialisation as jira.js does it: arrays repeat the key, objects are JSON. */
export function searchParamsOf(params: Record<string, unknown> | undefined): string {
  if (!params) return '';
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) if (item !== undefined && item !== null) out.append(key, String(item));
    } else if (typeof value === 'object') out.set(key, JSON.stringify(value));
    else out.set(key, String(value));
  }
  const query = out.toString();
  return query ? `?${query}` : '';
}

type RawBody = FormData | URLSearchParams | Blob | ArrayBuffer | ArrayBufferView | ReadableStream;

function isRawBody(body: unknown): body is RawBody {
  return (
    body instanceof FormData ||
    body instanceof URLSearchParams ||
    body instanceof Blob ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof ReadableStream
  );
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * A jira.js / confluence.js client on core's fetch. Responses are returned as parsed JSON without the SDK's
 * runtime schema check: Atlassian's answers drift from its published schemas (new fields, new enum values) and a
 * tool should not fail or warn on stderr for that; our renderers read the fields they need defensively.
 * The call's AbortSignal reaches the request through core's call context.
 */
export function atlassianTransport(opts: AtlassianTransportOptions): AtlassianTransport {
  const base = opts.baseUrl.replace(/\/+$/, '');
  return {
    async sendRequest<T>(request: SendRequestOptions<T>): Promise<T> {
      let path = request.url.startsWith('/') ? request.url : `/${request.url}`;
      if (opts.rewritePath) path = opts.rewritePath(path);
      const method = (request.method ?? 'GET').toUpperCase();
      const raw = request.body;
      const hasBody = raw !== undefined && raw !== null;
      const headers: Record<string, string> = {
        Accept: 'application/json',
        Authorization: opts.authorization,
        ...(opts.userAgent ? { 'User-Agent': opts.userAgent } : {}),
        // Atlassian rejects form posts without this (XSRF check) on attachment uploads.
        'X-Atlassian-Token': 'no-check',
        ...request.headers,
      };
      if (hasBody && !isRawBody(raw)) headers['Content-Type'] = 'application/json';
      const response = await opts.fetch(`${base}${path}${searchParamsOf(request.searchParams)}`, {
        method,
        headers,
        body: hasBody ? ((isRawBody(raw) ? raw : JSON.stringify(raw)) as RequestInit['body']) : undefined,
      });
      const text = response.status === 204 ? '' : await response.text();
      let data: unknown = text || undefined;
      if (text && /json/i.test(response.headers.get('content-type') ?? '')) {
        try {
          data = JSON.parse(text);
        } catch {
          data = text;
        }
      }
      if (!response.ok) {
        throw new AtlassianApiError(response.status, response.statusText, data, {
          retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
          endpoint: `${method} ${path}`,
        });
      }
      return data as T;
    },
  };
}
