/**
 * How to run a registered server: its package installed next to this CLI (a workspace sibling, or resolvable from
 * here or the working directory) runs with the current Node; otherwise `npx -y package@version`. When this CLI runs
 * from its TypeScript source, servers run from theirs too (`--conditions=development src/bin.ts`).
 */
import { type Dirent, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RegistryServer } from './registry.ts';

export interface Launch {
  command: string;
  args: string[];
  /** The package's directory when it is installed locally. */
  packageDir?: string;
}

const FROM_SOURCE = import.meta.url.endsWith('.ts');
const DEV_FLAGS = FROM_SOURCE ? ['--conditions=development'] : [];
const CLI_DIR = fileURLToPath(new URL('..', import.meta.url));

function packageName(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

function packageDirOf(file: string, name: string): string | undefined {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return packageName(dir) === name ? dir : undefined;
  }
  return undefined;
}

export function locatePackage(name: string): string | undefined {
  const resolvers = [
    () => fileURLToPath(import.meta.resolve(name)),
    () => createRequire(join(process.cwd(), 'index.js')).resolve(name),
  ];
  for (const resolve of resolvers) {
    try {
      const dir = packageDirOf(resolve(), name);
      if (dir) return dir;
    } catch {
      // not resolvable this way
    }
  }
  // Workspace siblings (packages/*) and scoped siblings (node_modules/@scope/*).
  const parent = dirname(CLI_DIR);
  let entries: Dirent[];
  try {
    entries = readdirSync(parent, { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const dir = join(parent, entry.name);
    if (packageName(dir) === name) return dir;
  }
  return undefined;
}

/** The command that starts the server's bin (stdio unless flags say otherwise). */
export function serverLaunch(server: RegistryServer, flags: string[] = []): Launch {
  const dir = locatePackage(server.package);
  if (dir) {
    const source = join(dir, 'src', 'bin.ts');
    if (FROM_SOURCE && existsSync(source)) {
      return { command: process.execPath, args: [...DEV_FLAGS, source, ...flags], packageDir: dir };
    }
    const bins = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { bin?: Record<string, string> }).bin;
    const bin = bins && (bins[server.bin ?? ''] ?? Object.values(bins)[0]);
    if (bin && existsSync(join(dir, bin))) {
      return { command: process.execPath, args: [join(dir, bin), ...flags], packageDir: dir };
    }
  }
  return {
    command: process.platform === 'win32' ? 'npx.cmd' : 'npx',
    args: ['-y', `${server.package}@${server.version}`, ...flags],
  };
}

/** The command that prints the server's doctor report as one JSON line: its bin with `--doctor`. */
export function doctorLaunch(server: RegistryServer, flags: string[]): Launch {
  return serverLaunch(server, ['--doctor', ...flags]);
}
