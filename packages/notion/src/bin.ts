#!/usr/bin/env node
// Node's on-disk compile cache (Node >= 22.1) makes every start after the first one faster; it must be on
// before the server's modules load, hence the dynamic imports below.
import module from 'node:module';

module.enableCompileCache?.();
const { runServerCli } = await import('@switchboard-mcp/core');
const { default: server } = await import('./index.ts');
await runServerCli(server);
