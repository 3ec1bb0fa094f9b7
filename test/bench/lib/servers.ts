/**
 * The processes the benchmarks start (our server from source and from the build, the anchor
 * @modelcontextprotocol/server-github, bare node), the environment they get, the GitHub sandbox they talk to,
 * and the build step.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { request } from 'undici';
import type { Command } from './stdio-rpc.ts';

export const ROOT = resolve(import.meta.dirname, '../../..');

/** The pinned anchor (root devDependency). */
export const ANCHOR_PACKAGE = '@modelcontextprotocol/server-github';

/**
 * A minimal inherited environment (PATH, HOME, ...; the SDK's stdio default), so nothing like NODE_OPTIONS or a
 * proxy setting leaks into the measured processes, plus NO_PROXY for loopback as a belt-and-braces guard.
 */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { ...getDefaultEnvironment(), NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', ...extra };
}

export interface SandboxCredentials {
  GITHUB_TOKEN: string;
  GITHUB_API_URL: string;
}

export function bareNode(): Command {
  return { label: 'node -e ""', command: process.execPath, args: ['-e', ''], env: childEnv(), cwd: ROOT };
}

/** Our GitHub server: from TypeScript source (type stripping) or from the build output. */
export function ourServer(from: 'src' | 'dist', creds: SandboxCredentials, args: string[] = []): Command {
  const entry =
    from === 'src'
      ? ['--conditions=development', join(ROOT, 'packages/github/src/bin.ts')]
      : [join(ROOT, 'packages/github/bundle/bin.js')];
  return {
    label: `switchboard-github (${from === 'src' ? 'TS source' : 'built bundle'})`,
    command: process.execPath,
    args: [...entry, ...args],
    env: childEnv({ GITHUB_TOKEN: creds.GITHUB_TOKEN, GITHUB_API_URL: creds.GITHUB_API_URL }),
    cwd: ROOT,
  };
}

/** The floor: a bare MCP SDK v2 stdio server with one zod tool (what the mandated stack costs by itself). */
export function sdkFloor(): Command {
  return {
    label: 'SDK v2 floor (1 zod tool, no Switchboard)',
    command: process.execPath,
    args: [join(ROOT, 'test/bench/lib/sdk-floor.mjs')],
    env: childEnv(),
    cwd: ROOT,
  };
}

export function anchorEntry(): string {
  const pkg = createRequire(import.meta.url).resolve(`${ANCHOR_PACKAGE}/package.json`);
  return join(dirname(pkg), 'dist/index.js');
}

export function anchorVersion(): string {
  const require = createRequire(import.meta.url);
  return (require(`${ANCHOR_PACKAGE}/package.json`) as { version: string }).version;
}

/**
 * The anchor. It needs GITHUB_PERSONAL_ACCESS_TOKEN set to anything; it hard-codes https://api.github.com, so
 * the benchmarks never call its tools (only initialize and tools/list, which make no requests).
 */
export function anchorServer(): Command {
  return {
    label: `${ANCHOR_PACKAGE}@${anchorVersion()}`,
    command: process.execPath,
    args: [anchorEntry()],
    env: childEnv({ GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_benchmarkFakeTokenNeverSentAnywhere000' }),
    cwd: ROOT,
  };
}

export interface Sandbox {
  url: string;
  token: string;
  credentials: SandboxCredentials;
  close(): Promise<void>;
  /** The sandbox's fake upstream (request log), when the sandbox exposes it. */
  upstream?: { requests: unknown[]; clearRequests(): void };
}

/**
 * The stateful GitHub fake on 127.0.0.1, in this process. Its primary rate limit is raised far above GitHub's
 * 5000/hour so a full run (a few thousand calls) never sees throttling.
 */
export async function startSandbox(): Promise<Sandbox> {
  const { startGithubSandbox } = await import('../../../packages/github/src/sandbox/index.ts');
  return startGithubSandbox({ rateLimit: { limit: 1_000_000 } });
}

/** GET against the sandbox with the token, as any GitHub client would send it; returns the body as received. */
export async function rawGet(sandbox: Sandbox, path: string): Promise<{ status: number; text: string }> {
  const res = await request(`${sandbox.url}${path}`, {
    headers: {
      authorization: `Bearer ${sandbox.token}`,
      accept: 'application/vnd.github+json',
      'user-agent': 'switchboard-bench',
      'x-github-api-version': '2022-11-28',
    },
  });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`GET ${path} → ${res.statusCode}: ${text.slice(0, 200)}`);
  return { status: res.statusCode, text };
}

/** Credentials for our server: the sandbox's, or (when the sandbox cannot start) a dead loopback URL. */
export async function sandboxOrLoopback(notes: string[]): Promise<{ creds: SandboxCredentials; sandbox?: Sandbox }> {
  try {
    const sandbox = await startSandbox();
    return { creds: sandbox.credentials, sandbox };
  } catch (error) {
    notes.push(
      `GitHub sandbox unavailable (${(error as Error).message.split('\n')[0]}); our server ran with GITHUB_API_URL=http://127.0.0.1:9 (refused, stays local).`,
    );
    return {
      creds: { GITHUB_TOKEN: 'ghp_benchmarkFakeTokenNeverSentAnywhere000', GITHUB_API_URL: 'http://127.0.0.1:9' },
    };
  }
}

export interface BuildOutcome {
  ok: boolean;
  ms: number;
  /** The build's error lines (or its tail) when it failed. */
  output: string;
}

/** `pnpm build` (every package's tsc). Uses the pnpm that runs this script when there is one. */
export function build(): BuildOutcome {
  const pnpmJs = process.env.npm_execpath;
  const [command, args] = pnpmJs && /pnpm/.test(pnpmJs) ? [process.execPath, [pnpmJs, 'build']] : ['pnpm', ['build']];
  const started = performance.now();
  const res = spawnSync(command, args, {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const ms = performance.now() - started;
  const output = `${res.stdout ?? ''}${res.stderr ?? ''}${res.error ? `\n${res.error.message}` : ''}`;
  const ok = res.status === 0 && existsSync(join(ROOT, 'packages/github/bundle/bin.js'));
  if (ok) return { ok, ms, output: '' };
  // The compiler's error lines say what broke; fall back to the tail when there are none.
  const lines = output.trim().split('\n');
  const errors = lines.filter((l) => /error|ERR_|Cannot find/i.test(l));
  return { ok, ms, output: (errors.length ? errors.slice(0, 15) : lines.slice(-25)).join('\n') };
}
