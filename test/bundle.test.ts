/**
 * The published bin is the esbuild bundle (packages/<server>/bundle/bin.js, made by `pnpm build`). It must list
 * exactly what the source lists (its input schemas are precomputed at build time) and work end to end.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { connectStdio } from '@switchboard-mcp/testkit';
import { describe, expect, it } from 'vitest';

const BUNDLE = fileURLToPath(new URL('../packages/github/bundle/bin.js', import.meta.url));
const SNAPSHOT = fileURLToPath(new URL('../packages/github/test/tools.snapshot.json', import.meta.url));

describe('github bundle', () => {
  it('exists (run `pnpm build`)', () => {
    expect(existsSync(BUNDLE), `${BUNDLE} is missing: run pnpm build`).toBe(true);
  });

  it('lists the same tools as the source and serves a call in sandbox mode', async () => {
    const h = await connectStdio({
      command: process.execPath,
      args: [BUNDLE, '--sandbox', '--toolsets', 'all'],
      env: { SWITCHBOARD_LOG_LEVEL: 'info' },
    });
    try {
      const tools = await h.listTools();
      expect(`${JSON.stringify(tools, null, 2)}\n`).toBe(readFileSync(SNAPSHOT, 'utf8'));
      const me = await h.callTool('get_me', {});
      expect(me.isError).toBe(false);
      expect(me.text).toContain('octocat');
      for (const line of h.stdoutLines()) expect(JSON.parse(line).jsonrpc).toBe('2.0');
    } finally {
      await h.close();
    }
  });
});
