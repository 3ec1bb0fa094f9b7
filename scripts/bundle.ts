/**
 * Bundles each server's bin into packages/<server>/bundle/ with esbuild: one minified ESM entry plus chunks for
 * what loads on demand (the vendor SDK, the sandbox, the HTTP transport, undici). Module resolution and
 * compilation of hundreds of small files is most of an MCP server's cold start; a bundle cuts it by about a
 * third (measured in test/bench coldstart). The published bin is the bundle; dist/ keeps the library build.
 * Tool input schemas are converted from zod here, once, and compiled into the bundle.
 *   node --conditions=development scripts/bundle.ts [server...]
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { computeInputJsonSchema, type ServerDefinition } from '@switchboard-mcp/core';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const NOT_SERVERS = new Set(['core', 'testkit', 'cli', 'atlassian']);
const wanted = process.argv.slice(2);
const servers = readdirSync(join(root, 'packages')).filter(
  (dir) =>
    !NOT_SERVERS.has(dir) &&
    existsSync(join(root, 'packages', dir, 'src', 'bin.ts')) &&
    (!wanted.length || wanted.includes(dir)),
);

for (const dir of servers) {
  const pkg = join(root, 'packages', dir);
  const outdir = join(pkg, 'bundle');
  rmSync(outdir, { recursive: true, force: true });
  const def = (await import(pathToFileURL(join(pkg, 'src', 'index.ts')).href)).default as ServerDefinition;
  const schemas: Record<string, unknown> = {};
  for (const set of Object.values(def.toolsets)) {
    for (const tool of set.tools) schemas[`${def.name}:${tool.name}`] = computeInputJsonSchema(tool);
  }
  const result = await build({
    entryPoints: { bin: join(pkg, 'src', 'bin.ts') },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    minify: true,
    // Workspace packages from source; everything else by its normal entry.
    conditions: ['development'],
    define: { __SWITCHBOARD_INPUT_SCHEMAS__: JSON.stringify(schemas) },
    // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __sbRequire } from 'node:module'; const require = __sbRequire(import.meta.url);",
    },
    // Chunks beside the entry: modules locate ../package.json relative to their own file.
    chunkNames: '[name]-[hash]',
    legalComments: 'linked',
    logLevel: 'warning',
    metafile: true,
  });
  const bytes = Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith('.js'))
    .reduce((n, [, out]) => n + out.bytes, 0);
  console.error(
    `bundled ${dir}: ${Object.keys(result.metafile.outputs).length} files, ${(bytes / 1024).toFixed(0)} KiB of JS in ${outdir}`,
  );
}
