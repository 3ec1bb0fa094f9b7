const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * True for a loopback API URL (a sandbox or a test fake, never the vendor). Declared vendor quotas are not
 * applied there: the fake enforces its own limits and answers 429 like the vendor would.
 */
export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK_HOSTNAMES.has(url.hostname);
}
