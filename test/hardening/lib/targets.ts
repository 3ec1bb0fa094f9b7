/**
 * The servers the cross-server suites cover, read from servers.json (so a server added there joins every suite
 * without new test code), and one way to start any of them for a test:
 *
 *   sandbox (in this process)  ←  relay (testkit fake upstream: faults, request log)  ←  server bin (child)  ←  MCP client
 *
 * The server is pointed at the relay through its API-URL credential, with the sandbox's credentials (or the
 * caller's replacements). Every other host is caught by a trap proxy: the child gets HTTP(S)_PROXY pointing at
 * the trap and NO_PROXY naming only the relay, so a request for any other host (a redirect, a URL built from
 * input, an SDK calling home) lands in `trap.requests` instead of leaving the machine.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ServerDefinition } from '@switchboard-mcp/core';
import { type Harness, type HarnessOptions, startServerUnderTest, type Transport } from '@switchboard-mcp/testkit';
import { type Relay, startRelay } from './relay.ts';
import { startTrap, type Trap } from './trap.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface RegistryEntry {
  name: string;
  package: string;
  bin: string;
  credentials: { env: string; kind: 'secret' | 'setting'; required: boolean }[];
  defaultToolsets: string[];
  toolsets: {
    name: string;
    description: string;
    tools: { name: string; access: 'read' | 'write' | 'destructive' }[];
  }[];
}

export interface Target {
  entry: RegistryEntry;
  definition: ServerDefinition;
  /** Source bin (run with Node's type stripping and the `development` condition). */
  bin: string;
}

/** Every server in servers.json, with its definition and source bin. */
export function registry(): RegistryEntry[] {
  const file = JSON.parse(readFileSync(`${ROOT}servers.json`, 'utf8')) as { servers: RegistryEntry[] };
  return file.servers;
}

/** The workspace folder of a package name (packages/<dir>/package.json `name`). */
function packageDir(name: string): string {
  const dir = name.replace(/^@switchboard-mcp\//, '');
  const pkg = JSON.parse(readFileSync(`${ROOT}packages/${dir}/package.json`, 'utf8')) as { name: string };
  if (pkg.name !== name) throw new Error(`servers.json names ${name} but packages/${dir} is ${pkg.name}`);
  return `${ROOT}packages/${dir}`;
}

export async function loadTarget(entry: RegistryEntry): Promise<Target> {
  const dir = packageDir(entry.package);
  const mod = (await import(pathToFileURL(`${dir}/src/index.ts`).href)) as { default: ServerDefinition };
  return { entry, definition: mod.default, bin: `${dir}/src/bin.ts` };
}

export async function loadTargets(): Promise<Target[]> {
  return Promise.all(registry().map(loadTarget));
}

export interface StartOptions extends Pick<HarnessOptions, 'era' | 'onElicit'> {
  transport: Transport;
  args?: string[];
  /** Extra environment for the server (after the sandbox credentials and the relay URL). */
  env?: Record<string, string>;
  /**
   * Replace credential values the server gets: sandbox value → value given to the server. The relay maps the
   * replacement back to the sandbox value on the way out (headers, Basic auth, path, query, body) and the
   * sandbox value to the replacement on the way back, so the server works normally with secrets it was never
   * given by the sandbox (the secret canary).
   */
  credentialSwap?: (credentials: Record<string, string>) => Record<string, string>;
}

export interface Started {
  harness: Harness;
  relay: Relay;
  trap: Trap;
  /** Credentials the server was started with (after any swap). */
  credentials: Record<string, string>;
  stderr(): string;
  close(): Promise<void>;
}

/** Start `target` against a fresh sandbox behind a relay, with the trap proxy catching every other host. */
export async function startTarget(target: Target, opts: StartOptions): Promise<Started> {
  const { definition } = target;
  if (!definition.sandbox) throw new Error(`${definition.name} has no sandbox: every server needs one`);
  if (!definition.apiUrlCredential) throw new Error(`${definition.name} has no apiUrlCredential`);
  const sandbox = await definition.sandbox();
  const swapped = opts.credentialSwap?.(sandbox.credentials) ?? sandbox.credentials;
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(sandbox.credentials)) {
    const given = swapped[name];
    if (given !== undefined && given !== value) pairs.push([given, value]);
  }
  const relay = await startRelay({ target: sandbox.url, swap: pairs });
  const trap = await startTrap();
  const apiEnv = definition.credentials[definition.apiUrlCredential]!.env;
  const relayPort = new URL(relay.url).port;
  const env: Record<string, string> = {
    ...swapped,
    [apiEnv]: relay.apiUrl,
    HTTP_PROXY: trap.url,
    HTTPS_PROXY: trap.url,
    http_proxy: trap.url,
    https_proxy: trap.url,
    NO_PROXY: `127.0.0.1:${relayPort}`,
    no_proxy: `127.0.0.1:${relayPort}`,
    NODE_USE_ENV_PROXY: '1',
    ...opts.env,
  };
  try {
    const sut = await startServerUnderTest({
      bin: target.bin,
      transport: opts.transport,
      args: opts.args,
      env,
      era: opts.era,
      onElicit: opts.onElicit,
      onClose: async () => {
        await relay.close();
        await trap.close();
        await sandbox.close();
      },
    });
    return { harness: sut.harness, relay, trap, credentials: swapped, stderr: sut.stderr, close: sut.close };
  } catch (e) {
    await relay.close();
    await trap.close();
    await sandbox.close();
    throw e;
  }
}
