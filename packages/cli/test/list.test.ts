import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from './helpers.ts';

const registry = JSON.parse(readFileSync(fileURLToPath(new URL('../../../servers.json', import.meta.url)), 'utf8'));

describe('switchboard list', () => {
  it('lists every registered server with summary, credentials, toolsets and tool count', async () => {
    const r = await runCli(['list']);
    expect(r.code).toBe(0);
    for (const server of registry.servers) {
      expect(r.stdout).toContain(`${server.name}  ${server.package}@${server.version}  ${server.toolCount} tools`);
      expect(r.stdout).toContain(server.summary);
    }
    expect(r.stdout).toContain('GITHUB_TOKEN | GITHUB_PERSONAL_ACCESS_TOKEN (secret, required)');
    expect(r.stdout).toContain('GITHUB_API_URL (setting, default https://api.github.com)');
    expect(r.stdout).toMatch(/toolsets \(\* default\): context\*\(1\) repos\*\(\d+\) issues\*/);
  });

  it('--json prints the registry entries', async () => {
    const r = await runCli(['list', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(registry.servers);
  });

  it('works for any server in the registry, with no per-server code', async () => {
    const r = await runCli(['list', '--registry', `${FIXTURES}servers.json`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'acme  @acme/things-mcp@1.2.3  3 tools',
        '  Things in Acme projects',
        '  credentials: ACME_KEY | THINGS_KEY (secret, required), ACME_SITE (setting), ACME_API_URL (setting, default https://api.acme.example)',
        '  toolsets (* default): things*(2) admin(1)',
        '',
      ].join('\n'),
    );
  });

  it('exits 2 on a usage error and 1 on an unreadable registry', async () => {
    expect((await runCli(['list', 'extra'])).code).toBe(2);
    expect((await runCli(['frobnicate'])).code).toBe(2);
    const bare = await runCli([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Exit codes: 0 ok; 1 a check, a tool call or a write failed; 2 usage error;');
    expect((await runCli(['--help'])).stdout).toContain('switchboard doctor [servers...]');
    const missing = await runCli(['list', '--registry', '/nonexistent/servers.json']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read the registry /nonexistent/servers.json');
  });
});
