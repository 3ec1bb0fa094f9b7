/**
 * The request as the client handles it between attempts and redirect hops: a parsed URL, mutable headers and
 * a body that can be sent again (or a note that it cannot, which turns retries off).
 */
import { FormData as UndiciFormData, type RequestInit as UndiciRequestInit } from 'undici';

type Body = RequestInit['body'];

export interface UpstreamRequest {
  url: URL;
  /** As sent (standard methods upper-cased, as fetch does). */
  method: string;
  headers: Headers;
  body: Body;
  /** False for one-shot bodies (streams, async iterables): no retry, no 307/308 follow. */
  replayable: boolean;
  redirect: NonNullable<RequestInit['redirect']>;
  /** The caller's own signal, if any. */
  signal: AbortSignal | undefined;
}

const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'];

function isReplayable(body: Body): boolean {
  return (
    body === null ||
    body === undefined ||
    typeof body === 'string' ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof Blob ||
    body instanceof URLSearchParams ||
    body instanceof FormData
  );
}

/** Accept what `fetch` accepts: a string, a URL or a Request, plus init overriding the Request's fields. */
export async function toUpstreamRequest(
  input: string | URL | Request,
  init: RequestInit = {},
  userAgent: string,
): Promise<UpstreamRequest> {
  const fromRequest = typeof input === 'object' && !(input instanceof URL) ? input : undefined;
  const url = new URL(fromRequest ? fromRequest.url : String(input));
  const rawMethod = init.method ?? fromRequest?.method ?? 'GET';
  const method = NORMALIZED_METHODS.has(rawMethod.toUpperCase()) ? rawMethod.toUpperCase() : rawMethod;
  const headers = new Headers(init.headers ?? fromRequest?.headers);
  if (!headers.has('user-agent')) headers.set('user-agent', userAgent);
  let body: Body = init.body;
  if (body === undefined && fromRequest?.body) body = await fromRequest.arrayBuffer();
  return {
    url,
    method,
    headers,
    body,
    replayable: isReplayable(body),
    redirect: init.redirect ?? fromRequest?.redirect ?? 'follow',
    signal: init.signal ?? fromRequest?.signal ?? undefined,
  };
}

/**
 * The next hop of a redirect, as fetch would make it: 303 (and 301/302 after POST) become a bodiless GET;
 * credentials are dropped as soon as the chain leaves the origin.
 */
export function redirectRequest(current: UpstreamRequest, status: number, next: URL): UpstreamRequest {
  const headers = new Headers(current.headers);
  let { method, body } = current;
  if (
    (status === 303 && method !== 'GET' && method !== 'HEAD') ||
    ((status === 301 || status === 302) && method === 'POST')
  ) {
    method = 'GET';
    body = undefined;
    for (const name of BODY_HEADERS) headers.delete(name);
  }
  if (next.origin !== current.url.origin) for (const name of CREDENTIAL_HEADERS) headers.delete(name);
  return { ...current, url: next, method, body, headers, replayable: current.replayable || body === undefined };
}

/**
 * undici's fetch is a different copy of the WHATWG classes than Node's globals: headers travel as pairs and
 * a global FormData is copied into undici's (otherwise it would be sent as "[object FormData]").
 */
export function toUndiciInit(
  req: UpstreamRequest,
  signal: AbortSignal,
  dispatcher: UndiciRequestInit['dispatcher'],
): UndiciRequestInit {
  let body: unknown = req.body;
  if (body instanceof FormData) {
    const copy = new UndiciFormData();
    for (const [name, value] of body) copy.append(name, value);
    body = copy;
  }
  const streamed =
    body instanceof ReadableStream || (body !== null && typeof body === 'object' && Symbol.asyncIterator in body);
  return {
    method: req.method,
    headers: Array.from(req.headers),
    body: body as UndiciRequestInit['body'],
    redirect: 'manual',
    signal,
    dispatcher,
    ...(streamed ? { duplex: 'half' as const } : {}),
  };
}
