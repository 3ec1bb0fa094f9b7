import { existsSync, lstatSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { FIXTURES, GOLDEN, runCli, tempDir } from './helpers.ts';

/**
 * Each golden file is the shape the client's documentation gives for a local (stdio) server:
 * - claude-desktop.json: https://modelcontextprotocol.io/docs/develop/connect-local-servers
 *   (`mcpServers` → { command, args, env }; no variable expansion, so secrets are <NAME> placeholders)
 * - vscode.json: https://code.visualstudio.com/docs/copilot/reference/mcp-configuration
 *   (`servers` → { type: "stdio", command, args, env }; secrets as `${input:id}` with `inputs` of type promptString)
 * - cursor.json: https://cursor.com/docs/context/mcp (`mcpServers`; `${env:NAME}` interpolation in env)
 * - windsurf.json: https://docs.windsurf.com/windsurf/cascade/mcp (`mcpServers` in mcp_config.json; `${env:NAME}`)
 * - claude-code.json: https://docs.claude.com/en/docs/claude-code/mcp (project `.mcp.json`, `mcpServers` with
 *   type "stdio"; `${NAME}` expanded from the environment)
 * - codex.toml: https://developers.openai.com/codex/mcp and the config reference
 *   (`[mcp_servers.<name>]` with command, args; `env_vars` forwards variables from the environment)
 */
const GOLDENS = [
  ['claude-desktop', 'claude-desktop.json'],
  ['vscode', 'vscode.json'],
  ['cursor', 'cursor.json'],
  ['windsurf', 'windsurf.json'],
  ['claude-code', 'claude-code.json'],
  ['codex', 'codex.toml'],
] as const;

const FLAGS = ['--toolsets', 'repos,issues', '--read-only'];
const files = (dir: string) => readdirSync(dir).sort();

describe('switchboard config: the shape each client documents', () => {
  it.each(GOLDENS)('%s matches test/golden/%s', async (client, golden) => {
    const r = await runCli(['config', client, 'github', ...FLAGS]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(GOLDEN, golden), 'utf8'));
    expect(r.stderr).toContain('Credentials: GITHUB_TOKEN.');
  });

  it('asks for required settings without defaults and leaves defaulted ones out', async () => {
    const registry = ['--registry', `${FIXTURES}servers.json`];
    const vscode = JSON.parse((await runCli(['config', 'vscode', 'acme', ...registry])).stdout);
    const input = (id: string) => `\${input:${id}}`;
    expect(vscode.servers.acme.env).toEqual({ ACME_KEY: input('acme-key'), ACME_SITE: input('acme-site') });
    expect(vscode.inputs).toEqual([
      { type: 'promptString', id: 'acme-key', description: 'ACME_KEY for acme', password: true },
      { type: 'promptString', id: 'acme-site', description: 'ACME_SITE for acme', password: false },
    ]);
    const codex = parseToml((await runCli(['config', 'codex', 'acme', ...registry])).stdout);
    expect(codex).toEqual({
      mcp_servers: { acme: { command: 'npx', args: ['-y', '@acme/things-mcp'], env_vars: ['ACME_KEY', 'ACME_SITE'] } },
    });
  });

  it('refuses unknown clients, servers and toolsets with exit 2', async () => {
    const client = await runCli(['config', 'emacs', 'github']);
    expect(client.code).toBe(2);
    expect(client.stderr).toContain('unknown client "emacs"; supported: claude-desktop, vscode, cursor');
    const server = await runCli(['config', 'cursor', 'gitlab']);
    expect(server.code).toBe(2);
    expect(server.stderr).toMatch(/unknown server "gitlab"; known: .*\bgithub\b/);
    const toolset = await runCli(['config', 'cursor', 'github', '--toolsets', 'issues,wiki']);
    expect(toolset.code).toBe(2);
    expect(toolset.stderr).toContain('unknown toolset "wiki" for github');
  });
});

describe('switchboard config --write', () => {
  it('merges into an existing file, keeps unrelated entries and writes a backup of the original', async () => {
    const dir = tempDir();
    const path = join(dir, 'claude_desktop_config.json');
    const original = `${JSON.stringify(
      {
        globalShortcut: 'Ctrl+Space',
        mcpServers: { filesystem: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'] } },
      },
      null,
      2,
    )}\n`;
    writeFileSync(path, original);
    const r = await runCli(['config', 'claude-desktop', 'github', '--write', '--config-path', path]);
    expect(r.code).toBe(0);
    const written = JSON.parse(readFileSync(path, 'utf8'));
    expect(written.globalShortcut).toBe('Ctrl+Space');
    expect(written.mcpServers.filesystem).toEqual(JSON.parse(original).mcpServers.filesystem);
    expect(written.mcpServers.github).toEqual({
      command: 'npx',
      args: ['-y', '@switchboard-mcp/github'],
      env: { GITHUB_TOKEN: '<GITHUB_TOKEN>' },
    });
    const backups = files(dir).filter((f) => f.endsWith('.bak'));
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatch(/^claude_desktop_config\.json\.\d{4}-\d\d-\d\dT[\d-]+Z\.bak$/);
    expect(readFileSync(join(dir, backups[0]!), 'utf8')).toBe(original);
    expect(r.stdout).toBe(`${path}: added github\nbackup: ${join(dir, backups[0]!)}\n`);
  });

  it('keeps comments in a VS Code JSONC file, merges inputs once, and reports a replaced entry', async () => {
    const dir = tempDir();
    const path = join(dir, 'mcp.json');
    writeFileSync(
      path,
      `{
  // my servers
  "servers": {
    "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] }, // keep me
  },
  "inputs": [{ "type": "promptString", "id": "other", "description": "x" }],
}
`,
    );
    const first = await runCli(['config', 'vscode', 'github', '--write', '--config-path', path]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(': added github');
    const second = await runCli(['config', 'vscode', 'github', '--write', '--config-path', path, '--read-only']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(': replaced github');
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('// my servers');
    expect(text).toContain('// keep me');
    const { parse } = await import('jsonc-parser');
    const data = parse(text);
    expect(Object.keys(data.servers)).toEqual(['memory', 'github']);
    expect(data.servers.github.args).toEqual(['-y', '@switchboard-mcp/github', '--read-only']);
    expect(data.inputs.map((i: { id: string }) => i.id)).toEqual(['other', 'github-token']);
    expect(files(dir).filter((f) => f.endsWith('.bak'))).toHaveLength(2);
  });

  it.each([
    [
      'cursor',
      'mcp.json',
      '{ "mcpServers": { "a": { "command": "x" }, } }',
      'PropertyNameExpected at line 1, column 44',
      'not valid JSON',
    ],
    ['claude-code', '.mcp.json', '// comment\n{ "mcpServers": {} }', 'line 1', 'not valid JSON'],
    ['windsurf', 'mcp_config.json', '{ "mcpServers": [] }', '', '"mcpServers" is not an object'],
    ['vscode', 'mcp.json', '{ "servers": { ', '', 'not valid JSON with comments'],
    ['codex', 'config.toml', '[mcp_servers.a\ncommand = "x"', 'line 1', 'not valid TOML'],
  ])('%s: refuses a malformed %s and writes nothing', async (client, name, content, where, why) => {
    const dir = tempDir();
    const path = join(dir, name);
    writeFileSync(path, content);
    const r = await runCli(['config', client, 'github', '--write', '--config-path', path]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(why);
    expect(r.stderr).toContain(where);
    expect(r.stderr).toContain('nothing was written');
    expect(readFileSync(path, 'utf8')).toBe(content);
    expect(files(dir)).toEqual([name]);
  });

  it('updates a symlinked config where it lives, leaving the link in place', async () => {
    const dir = tempDir();
    const real = join(dir, 'dotfiles-mcp.json');
    const link = join(dir, 'mcp.json');
    writeFileSync(real, '{ "mcpServers": {} }\n');
    symlinkSync(real, link);
    const r = await runCli(['config', 'cursor', 'github', '--write', '--config-path', link]);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(Object.keys(JSON.parse(readFileSync(real, 'utf8')).mcpServers)).toEqual(['github']);
  });

  it('codex: keeps other settings and servers in config.toml', async () => {
    const dir = tempDir();
    const path = join(dir, 'config.toml');
    writeFileSync(path, 'model = "o3"\n\n[mcp_servers.docs]\ncommand = "docs-mcp"\nargs = ["--port", "1"]\n');
    const r = await runCli(['config', 'codex', 'github', '--write', '--config-path', path]);
    expect(r.code).toBe(0);
    expect(parseToml(readFileSync(path, 'utf8'))).toEqual({
      model: 'o3',
      mcp_servers: {
        docs: { command: 'docs-mcp', args: ['--port', '1'] },
        github: { command: 'npx', args: ['-y', '@switchboard-mcp/github'], env_vars: ['GITHUB_TOKEN'] },
      },
    });
  });

  it('writes to each client’s usual path under HOME (or CODEX_HOME, or the project for Claude Code)', async () => {
    const home = tempDir();
    const project = tempDir();
    const env = { HOME: home, CODEX_HOME: join(home, 'codex-home') };
    const expected: Record<string, string> = {
      cursor: join(home, '.cursor', 'mcp.json'),
      windsurf: join(home, '.codeium', 'windsurf', 'mcp_config.json'),
      codex: join(home, 'codex-home', 'config.toml'),
      'claude-code': join(project, '.mcp.json'),
    };
    if (process.platform === 'linux') {
      expected['claude-desktop'] = join(home, '.config', 'Claude', 'claude_desktop_config.json');
      expected.vscode = join(home, '.config', 'Code', 'User', 'mcp.json');
    }
    for (const [client, path] of Object.entries(expected)) {
      const r = await runCli(['config', client, 'github', '--write'], { env, cwd: project });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(`${path}: added github\n`);
      expect(existsSync(path)).toBe(true);
    }
  });
});
