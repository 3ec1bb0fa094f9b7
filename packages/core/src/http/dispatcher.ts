/**
 * The shared undici dispatcher: one keep-alive connection pool for every client in the process, routed
 * through HTTPS_PROXY / HTTP_PROXY (minus NO_PROXY) when those are set.
 */
import { Agent, type Dispatcher, EnvHttpProxyAgent } from 'undici';

const AGENT_OPTIONS = {
  keepAliveTimeout: 10_000,
  keepAliveMaxTimeout: 60_000,
  connect: { timeout: 10_000 },
} satisfies Agent.Options;

const shared = new Map<string, Dispatcher>();

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return env[name.toLowerCase()] || env[name] || undefined;
}

/** The dispatcher for the proxy settings in `env` now (one per distinct setting, reused afterwards). */
export function sharedDispatcher(env: NodeJS.ProcessEnv = process.env): Dispatcher {
  const httpProxy = envValue(env, 'HTTP_PROXY');
  const httpsProxy = envValue(env, 'HTTPS_PROXY');
  const noProxy = envValue(env, 'NO_PROXY');
  const proxied = httpProxy !== undefined || httpsProxy !== undefined;
  const id = proxied ? JSON.stringify([httpProxy, httpsProxy, noProxy]) : 'direct';
  let dispatcher = shared.get(id);
  if (!dispatcher) {
    dispatcher = proxied
      ? // Explicit values (empty string = none) so later changes to process.env do not re-route this pool.
        new EnvHttpProxyAgent({
          ...AGENT_OPTIONS,
          httpProxy: httpProxy ?? '',
          httpsProxy: httpsProxy ?? '',
          noProxy: noProxy ?? '',
        })
      : new Agent(AGENT_OPTIONS);
    shared.set(id, dispatcher);
  }
  return dispatcher;
}
