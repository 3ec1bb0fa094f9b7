/**
 * servers.json, the registry every command reads: per server its package, bin, credentials, toolsets and the
 * vendor scopes each tool needs. The published CLI ships a copy next to its code; in the repository the root
 * file is used. SWITCHBOARD_REGISTRY (or --registry) points at another file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface RegistryCredential {
  env: string;
  aliases?: string[];
  kind: 'secret' | 'setting';
  required: boolean;
  default?: string;
  description?: string;
}

export interface RegistryTool {
  name: string;
  access: 'read' | 'write' | 'destructive';
  scopes?: string[];
}

export interface RegistryToolset {
  name: string;
  description: string;
  scopes: string[];
  tools: RegistryTool[];
}

export interface RegistryServer {
  name: string;
  package: string;
  version: string;
  bin?: string;
  summary: string;
  credentials: RegistryCredential[];
  defaultToolsets: string[];
  toolsets: RegistryToolset[];
  toolCount: number;
  verification?: string;
}

export class CliError extends Error {
  override name = 'CliError';
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.exitCode = exitCode;
  }
}

const CANDIDATES = [new URL('./servers.json', import.meta.url), new URL('../../../servers.json', import.meta.url)];

export function registryPath(override?: string): string {
  const explicit = override ?? process.env.SWITCHBOARD_REGISTRY;
  if (explicit) return explicit;
  const found = CANDIDATES.map((u) => fileURLToPath(u)).find((p) => existsSync(p));
  if (!found) throw new CliError('servers.json not found; pass --registry FILE or set SWITCHBOARD_REGISTRY', 1);
  return found;
}

export function loadRegistry(override?: string): RegistryServer[] {
  const path = registryPath(override);
  let data: { servers?: RegistryServer[] };
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read the registry ${path}: ${(error as Error).message}`, 1);
  }
  if (!Array.isArray(data.servers)) throw new CliError(`the registry ${path} has no "servers" list`, 1);
  return data.servers;
}

/** The named servers (all when none are named); unknown names are a usage error listing the known ones. */
export function pickServers(registry: RegistryServer[], names: string[]): RegistryServer[] {
  if (!names.length) return registry;
  return names.map((name) => {
    const found = registry.find((s) => s.name === name || s.package === name);
    if (!found) {
      throw new CliError(`unknown server "${name}"; known: ${registry.map((s) => s.name).join(', ') || '(none)'}`);
    }
    return found;
  });
}

/** Toolset names as a server would resolve them ("all" expands); unknown names are a usage error. */
export function resolveToolsets(server: RegistryServer, wanted: string[] | undefined): string[] {
  if (!wanted?.length) return server.defaultToolsets;
  const known = server.toolsets.map((t) => t.name);
  if (wanted.includes('all')) return known;
  for (const name of wanted) {
    if (!known.includes(name)) {
      throw new CliError(`unknown toolset "${name}" for ${server.name}; it has: ${known.join(', ')}, all`);
    }
  }
  return wanted;
}
