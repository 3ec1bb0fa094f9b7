/**
 * What each MCP client expects in its config file, derived from the client's documentation: where the file lives
 * on this OS, under which key servers go, and how an entry and its secret placeholders look.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RegistryCredential, RegistryServer } from './registry.ts';

export const CLIENTS = ['claude-desktop', 'vscode', 'cursor', 'windsurf', 'claude-code', 'codex'] as const;
export type ClientName = (typeof CLIENTS)[number];

export interface ServerFlags {
  toolsets?: string[];
  tools?: string[];
  readOnly?: boolean;
}

export interface ClientSpec {
  format: 'json' | 'jsonc' | 'toml';
  /** The table holding one entry per server. */
  key: string;
  doc: string;
  path(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string;
  entry(server: RegistryServer, flags: ServerFlags): Record<string, unknown>;
  /** VS Code: one prompt per credential, stored by the editor. */
  inputs?(server: RegistryServer): Record<string, unknown>[];
  /** One line on how the user supplies the secrets. */
  secretsNote: string;
}

/** Credentials a client config must supply: required secrets, and settings without a default. */
export function neededCredentials(server: RegistryServer): RegistryCredential[] {
  return server.credentials.filter((c) => (c.kind === 'secret' ? c.required : c.required && !c.default));
}

function args(server: RegistryServer, flags: ServerFlags): string[] {
  const out = ['-y', server.package];
  if (flags.toolsets?.length) out.push('--toolsets', flags.toolsets.join(','));
  if (flags.tools?.length) out.push('--tools', flags.tools.join(','));
  if (flags.readOnly) out.push('--read-only');
  return out;
}

function envWith(server: RegistryServer, placeholder: (c: RegistryCredential) => string) {
  const needed = neededCredentials(server);
  return needed.length ? { env: Object.fromEntries(needed.map((c) => [c.env, placeholder(c)])) } : {};
}

const home = (env: NodeJS.ProcessEnv) => env.HOME || env.USERPROFILE || homedir();
const appData = (env: NodeJS.ProcessEnv) => env.APPDATA || join(home(env), 'AppData', 'Roaming');
const xdgConfig = (env: NodeJS.ProcessEnv) => env.XDG_CONFIG_HOME || join(home(env), '.config');

/** The per-user application settings folder: macOS Application Support, Windows %APPDATA%, else XDG config. */
function appSupport(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return join(home(env), 'Library', 'Application Support');
  if (platform === 'win32') return appData(env);
  return xdgConfig(env);
}

export const inputId = (c: RegistryCredential) => c.env.toLowerCase().replace(/_/g, '-');

export const CLIENT_SPECS: Record<ClientName, ClientSpec> = {
  'claude-desktop': {
    format: 'json',
    key: 'mcpServers',
    doc: 'https://modelcontextprotocol.io/docs/develop/connect-local-servers',
    path: (env, platform) => join(appSupport(env, platform), 'Claude', 'claude_desktop_config.json'),
    entry: (server, flags) => ({
      command: 'npx',
      args: args(server, flags),
      ...envWith(server, (c) => `<${c.env}>`),
    }),
    secretsNote: 'replace each <NAME> placeholder in the file with its value, then restart Claude Desktop',
  },
  vscode: {
    format: 'jsonc',
    key: 'servers',
    doc: 'https://code.visualstudio.com/docs/copilot/reference/mcp-configuration',
    path: (env, platform) => join(appSupport(env, platform), 'Code', 'User', 'mcp.json'),
    entry: (server, flags) => ({
      type: 'stdio',
      command: 'npx',
      args: args(server, flags),
      ...envWith(server, (c) => `\${input:${inputId(c)}}`),
    }),
    inputs: (server) =>
      neededCredentials(server).map((c) => ({
        type: 'promptString',
        id: inputId(c),
        description: `${c.env} for ${server.name}`,
        password: c.kind === 'secret',
      })),
    secretsNote: 'VS Code prompts for each value when the server first starts and stores it securely',
  },
  cursor: {
    format: 'json',
    key: 'mcpServers',
    doc: 'https://cursor.com/docs/context/mcp',
    path: (env) => join(home(env), '.cursor', 'mcp.json'),
    entry: (server, flags) => ({
      command: 'npx',
      args: args(server, flags),
      ...envWith(server, (c) => `\${env:${c.env}}`),
    }),
    secretsNote: 'Cursor reads each one from the environment it was started in',
  },
  windsurf: {
    format: 'json',
    key: 'mcpServers',
    doc: 'https://docs.windsurf.com/windsurf/cascade/mcp',
    path: (env) => join(home(env), '.codeium', 'windsurf', 'mcp_config.json'),
    entry: (server, flags) => ({
      command: 'npx',
      args: args(server, flags),
      ...envWith(server, (c) => `\${env:${c.env}}`),
    }),
    secretsNote: 'Windsurf reads each one from the environment it was started in',
  },
  'claude-code': {
    format: 'json',
    key: 'mcpServers',
    doc: 'https://docs.claude.com/en/docs/claude-code/mcp',
    // Project scope: .mcp.json in the project root, meant to be checked in, so secrets stay in the environment.
    path: () => resolve(process.cwd(), '.mcp.json'),
    entry: (server, flags) => ({
      type: 'stdio',
      command: 'npx',
      args: args(server, flags),
      ...envWith(server, (c) => `\${${c.env}}`),
    }),
    secretsNote: 'Claude Code reads each one from the environment it was started in',
  },
  codex: {
    format: 'toml',
    key: 'mcp_servers',
    doc: 'https://developers.openai.com/codex/mcp',
    path: (env) => join(env.CODEX_HOME || join(home(env), '.codex'), 'config.toml'),
    entry: (server, flags) => {
      const needed = neededCredentials(server).map((c) => c.env);
      return { command: 'npx', args: args(server, flags), ...(needed.length ? { env_vars: needed } : {}) };
    },
    secretsNote: 'Codex forwards each variable in env_vars from the environment it was started in',
  },
};

export function isClient(name: string): name is ClientName {
  return (CLIENTS as readonly string[]).includes(name);
}
