/**
 * `switchboard serve`: loads each chosen server's definition from its installed package (its TypeScript source
 * when this CLI runs from source) and hands them to core's runServeCli, which serves them all on one port.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServerDefinition } from '@switchboard-mcp/core';
import { locatePackage } from '../locate.ts';
import { CliError, type RegistryServer } from '../registry.ts';

const FROM_SOURCE = import.meta.url.endsWith('.ts');

export async function loadDefinition(server: RegistryServer): Promise<ServerDefinition> {
  const dir = locatePackage(server.package);
  if (!dir) {
    throw new CliError(
      `${server.package} is not installed next to the switchboard CLI; install it (npm i ${server.package}) to serve it`,
    );
  }
  const source = join(dir, 'src', 'index.ts');
  const entry = FROM_SOURCE && existsSync(source) ? pathToFileURL(source).href : server.package;
  const mod = (await import(entry)) as { default?: ServerDefinition };
  if (!mod.default?.toolsets) throw new CliError(`${server.package} does not export a server definition`);
  return mod.default;
}
