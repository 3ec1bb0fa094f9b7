/**
 * Prints the o200k token cost of each tool's tools/list entry, per toolset, for a server module.
 * Usage: node --conditions=development scripts/tool-tokens.ts packages/github/src/index.ts
 */

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { toolListEntry } from '@switchboard-mcp/core';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';

const file = process.argv[2];
if (!file) throw new Error('usage: tool-tokens.ts <server module>');
const mod = await import(pathToFileURL(resolve(file)).href);
const server = mod.default;
let total = 0;
let defaults = 0;
for (const [name, set] of Object.entries<any>(server.toolsets)) {
  let setTotal = 0;
  for (const tool of set.tools) {
    const entry = toolListEntry(tool, { confirm: tool.access === 'destructive' || tool.confirm === true });
    const n = encode(JSON.stringify(entry)).length;
    setTotal += n;
    console.log(`  ${name.padEnd(14)} ${tool.name.padEnd(28)} ${n}`);
  }
  total += setTotal;
  if (server.defaultToolsets.includes(name)) defaults += setTotal;
  console.log(`${name}: ${set.tools.length} tools, ${setTotal} tokens`);
}
console.log(`all toolsets: ${total} tokens; default toolsets: ${defaults} tokens`);
