/**
 * A relay between a server and its sandbox: a testkit fake upstream whose only route forwards every request to
 * the sandbox. It brings testkit's fault injection (`addFault`), request log (`requests`: what the server sent,
 * faults included) and middleware (`use`) to every server's sandbox without touching the sandbox.
 *
 * Responses are rewritten so the sandbox's own origin never reaches the server (pagination links, upload URLs
 * and redirects name the relay instead), and credential swaps are applied both ways (see StartOptions in
 * targets.ts).
 */
import { type FakeUpstream, startFakeUpstream } from '@switchboard-mcp/testkit/upstream';

export interface Relay extends FakeUpstream {
  /** The URL to give the server as its API URL: the relay's origin plus the sandbox URL's path. */
  readonly apiUrl: string;
}

const HOP_BY_HOP = new Set([
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'accept-encoding',
  'upgrade',
  'proxy-connection',
]);

export async function startRelay(opts: { target: string; swap?: [given: string, real: string][] }): Promise<Relay> {
  const target = new URL(opts.target);
  const swap = opts.swap ?? [];
  const upstream = await startFakeUpstream();
  const relayOrigin = new URL(upstream.url).origin;
  const toSandbox = (s: string) => swap.reduce((acc, [given, real]) => acc.split(given).join(real), s);
  const fromSandbox = (s: string) =>
    swap
      .reduce((acc, [given, real]) => acc.split(real).join(given), s)
      .split(target.origin)
      .join(relayOrigin);

  upstream.route('*', '/*rest', async (req) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (HOP_BY_HOP.has(name)) continue;
      headers[name] = name === 'authorization' ? swapAuthorization(value, toSandbox) : toSandbox(value);
    }
    const url = `${target.origin}${toSandbox(req.path)}${req.url.search ? toSandbox(req.url.search) : ''}`;
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && req.rawBody.length > 0;
    const res = await fetch(url, {
      method: req.method,
      headers,
      body: hasBody ? toSandbox(req.rawBody) : undefined,
      redirect: 'manual',
    });
    const out: Record<string, string | string[]> = {};
    res.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name) && name !== 'set-cookie') out[name] = fromSandbox(value);
    });
    const cookies = res.headers.getSetCookie();
    if (cookies.length) out['set-cookie'] = cookies.map(fromSandbox);
    const bytes = Buffer.from(await res.arrayBuffer());
    const type = res.headers.get('content-type') ?? '';
    const textual = /json|text|xml|javascript|x-www-form-urlencoded/i.test(type) || type === '';
    return {
      status: res.status,
      headers: out,
      body: textual ? Buffer.from(fromSandbox(bytes.toString('utf8'))) : bytes,
    };
  });

  return Object.assign(upstream, { apiUrl: `${relayOrigin}${target.pathname.replace(/\/+$/, '')}` });
}

/** Swap inside an Authorization header, including the base64 of Basic credentials. */
function swapAuthorization(value: string, swap: (s: string) => string): string {
  const basic = /^Basic\s+(.+)$/i.exec(value);
  if (!basic) return swap(value);
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  return `Basic ${Buffer.from(swap(decoded), 'utf8').toString('base64')}`;
}
