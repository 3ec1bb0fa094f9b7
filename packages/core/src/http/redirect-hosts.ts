/**
 * Which foreign hosts a redirect may lead to. Entries are `name`, `name:port`, `*.name` or `*.name:port`:
 * a name without a port matches any port, and `*.name` matches every subdomain of `name` (not `name` itself),
 * the way signed download URLs land on per-account storage hosts.
 */

interface HostPattern {
  /** Exact host name, or the `.suffix` a wildcard requires. */
  name: string;
  wildcard: boolean;
  port?: string;
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

function parsePattern(entry: string): HostPattern {
  const text = entry.trim().toLowerCase();
  const match = /^(\*\.)?((?:\[[0-9a-f:.]+\])|[^:*/@\s[\]]+)(?::(\d{1,5}))?$/.exec(text);
  if (!match) throw new TypeError(`allowRedirectHosts: "${entry}" is not a host, host:port or *.domain pattern`);
  const wildcard = match[1] !== undefined;
  const host = match[2]!.replace(/\.$/, '');
  // `*.com` would open a whole top-level domain to redirects: require at least two labels under the wildcard.
  if (wildcard && !host.includes('.')) {
    throw new TypeError(`allowRedirectHosts: "${entry}" is too broad; name a domain like *.example.com`);
  }
  return { name: wildcard ? `.${host}` : host, wildcard, port: match[3] };
}

/** Compile the entries once; the result tells whether a URL's host is allowed. Throws on a malformed entry. */
export function redirectHostMatcher(entries: readonly string[]): (url: URL) => boolean {
  const patterns = entries.map(parsePattern);
  return (url) => {
    const hostname = url.hostname.replace(/\.$/, '');
    const port = url.port || DEFAULT_PORTS[url.protocol] || '';
    return patterns.some(
      (p) =>
        (p.wildcard ? hostname.endsWith(p.name) : hostname === p.name) && (p.port === undefined || p.port === port),
    );
  };
}
