/** The `switchboard` command line: parse, dispatch, and map every failure to a documented exit code. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CLIENT_SPECS, CLIENTS, isClient } from './clients.ts';
import type { ServerDiagnosis } from './commands/doctor.ts';
import { CliError, loadRegistry, pickServers, resolveToolsets } from './registry.ts';

export const EXIT = { ok: 0, failed: 1, usage: 2, warnings: 3 } as const;

export const USAGE = `switchboard: the registry, client configs and checks for Switchboard MCP servers

Usage:
  switchboard list [--json]
  switchboard config <client> [servers...] [--toolsets a,b] [--tools g,g] [--read-only]
                     [--write] [--config-path FILE]
      clients: ${CLIENTS.join(', ')}
  switchboard doctor [servers...] [--json] [--sandbox] [--toolsets a,b] [--tools g,g] [--read-only]
                     [--policy FILE] [--timeout SECONDS]
  switchboard inspect <server> [tool] [json-args] [--sandbox] [--toolsets a,b] [--tools g,g]
                     [--read-only] [--policy FILE] [--timeout SECONDS]

  switchboard serve <servers...|all> [--config FILE] [--port N] [--host H] [--read-only] [--sandbox] ...
      several servers on one HTTP port (/<server>/mcp), one auth layer; \`switchboard serve --help\`
  switchboard credentials add <tenant> <server> <NAME> --config FILE     (value on stdin)
  switchboard credentials list [tenant] --config FILE [--json]
  switchboard credentials remove <tenant> <server> <NAME> --config FILE
  switchboard credentials rotate --config FILE    (re-seal every value with the primary key)
  switchboard keys new | hash | new-master [--id KID]
      client API keys (printed once, with the sha256 for the deployment file) and vault master keys

Every command takes --registry FILE (default: the bundled servers.json; env SWITCHBOARD_REGISTRY).

Exit codes: 0 ok; 1 a check, a tool call or a write failed; 2 usage error;
            3 doctor: nothing failed but a server stopped short of least-privilege.
`;

const SERVER_FLAGS = {
  toolsets: { type: 'string' },
  tools: { type: 'string' },
  'read-only': { type: 'boolean' },
  policy: { type: 'string' },
  sandbox: { type: 'boolean' },
} as const;

const COMMON = { registry: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

type Values = Record<string, string | boolean | undefined>;

function parse(argv: string[], options: Record<string, { type: 'string' | 'boolean'; short?: string }>) {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
    return { values: values as Values, positionals };
  } catch (error) {
    throw new CliError((error as Error).message.replace(/\. To specify a positional.*$/s, '.'));
  }
}

const list = (v: string | boolean | undefined) =>
  typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;

/** Server flags as the server's own command line takes them. */
function serverFlags(values: Values): string[] {
  const out: string[] = [];
  for (const name of Object.keys(SERVER_FLAGS)) {
    const v = values[name];
    if (v === true) out.push(`--${name}`);
    else if (typeof v === 'string') out.push(`--${name}`, v);
  }
  return out;
}

function timeoutMs(values: Values): number {
  const text = (values.timeout as string | undefined) ?? '20';
  const seconds = Number(text);
  if (!/^\d+$/.test(text) || seconds < 1 || seconds > 600) {
    throw new CliError(`--timeout must be whole seconds from 1 to 600, got "${text}"`);
  }
  return seconds * 1000;
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const progress = (io: Io) => (line: string) => io.err(`${line}\n`);

async function listCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, { ...COMMON, json: { type: 'boolean' } });
  if (positionals.length) throw new CliError(`list takes no arguments, got "${positionals[0]}"`);
  const servers = loadRegistry(values.registry as string | undefined);
  const { renderList } = await import('./commands/list.ts');
  io.out(values.json ? `${JSON.stringify(servers, null, 2)}\n` : `${renderList(servers)}\n`);
  return EXIT.ok;
}

async function configCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...COMMON,
    toolsets: SERVER_FLAGS.toolsets,
    tools: SERVER_FLAGS.tools,
    'read-only': SERVER_FLAGS['read-only'],
    write: { type: 'boolean' },
    'config-path': { type: 'string' },
  });
  const [client, ...names] = positionals;
  if (!client) throw new CliError(`config needs a client: ${CLIENTS.join(', ')}`);
  if (!isClient(client)) throw new CliError(`unknown client "${client}"; supported: ${CLIENTS.join(', ')}`);
  const servers = pickServers(loadRegistry(values.registry as string | undefined), names);
  const toolsets = list(values.toolsets);
  // Validates the toolset names against every chosen server before anything is printed or written.
  for (const server of servers) resolveToolsets(server, toolsets);
  const spec = CLIENT_SPECS[client];
  const { plan, renderSnippet, secretsHint, writeConfig } = await import('./commands/config.ts');
  const p = plan(spec, servers, { toolsets, tools: list(values.tools), readOnly: values['read-only'] === true });
  const hint = secretsHint(client, servers);
  if (!values.write) {
    io.out(renderSnippet(spec, p));
    if (hint) io.err(`${hint}\n`);
    return EXIT.ok;
  }
  const path = (values['config-path'] as string | undefined) ?? spec.path(process.env, process.platform);
  const result = writeConfig(path, spec, p);
  const parts = [
    result.added.length ? `added ${result.added.join(', ')}` : '',
    result.replaced.length ? `replaced ${result.replaced.join(', ')}` : '',
  ].filter(Boolean);
  io.out(`${result.path}: ${parts.join('; ')}${result.backup ? `\nbackup: ${result.backup}` : ''}\n`);
  if (hint) io.err(`${hint}\n`);
  return EXIT.ok;
}

async function doctorCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...COMMON,
    ...SERVER_FLAGS,
    json: { type: 'boolean' },
    timeout: { type: 'string' },
  });
  const servers = pickServers(loadRegistry(values.registry as string | undefined), positionals);
  // Commands load on demand: list and config never pay for core and the MCP client.
  const { diagnose, exitCodeFor, renderDiagnosis } = await import('./commands/doctor.ts');
  const opts = { flags: serverFlags(values), timeoutMs: timeoutMs(values), progress: progress(io) };
  const results: ServerDiagnosis[] = [];
  for (const server of servers) results.push(await diagnose(server, opts));
  const code = exitCodeFor(results);
  io.out(values.json ? `${JSON.stringify({ exitCode: code, servers: results })}\n` : `${renderDiagnosis(results)}\n`);
  return code;
}

async function inspectCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, { ...COMMON, ...SERVER_FLAGS, timeout: { type: 'string' } });
  const [name, tool, args, ...rest] = positionals;
  if (!name) throw new CliError('inspect needs a server name; see `switchboard list`');
  if (rest.length) throw new CliError(`inspect takes <server> [tool] [json-args]; unexpected "${rest[0]}"`);
  const [server] = pickServers(loadRegistry(values.registry as string | undefined), [name]);
  const { inspect } = await import('./commands/inspect.ts');
  const result = await inspect(server!, {
    tool,
    args,
    flags: serverFlags(values),
    timeoutMs: timeoutMs(values),
    progress: progress(io),
  });
  if (result.stdout) io.out(result.stdout);
  if (result.stderr) io.err(result.stderr);
  return result.exitCode;
}

async function serveCommand(argv: string[], io: Io): Promise<number> {
  const { runServeCli, SERVE_HELP } = await import('@switchboard-mcp/core');
  const names: string[] = [];
  let i = 0;
  for (; i < argv.length && !argv[i]!.startsWith('-'); i++) names.push(...argv[i]!.split(',').filter(Boolean));
  const rest = argv.slice(i);
  const registryAt = rest.indexOf('--registry');
  const registryPath = registryAt >= 0 ? rest.splice(registryAt, 2)[1] : undefined;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(SERVE_HELP);
    return EXIT.ok;
  }
  if (!names.length) {
    io.err(SERVE_HELP);
    return EXIT.usage;
  }
  const registry = loadRegistry(registryPath);
  const servers = names.includes('all') ? registry : pickServers(registry, names);
  const { loadDefinition } = await import('./commands/serve.ts');
  const defs = [];
  for (const server of servers) defs.push(await loadDefinition(server));
  await runServeCli(defs, rest);
  // Serving until a signal: core's shutdown exits the process.
  return new Promise<number>(() => {});
}

async function credentialsCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, { ...COMMON, config: { type: 'string' }, json: { type: 'boolean' } });
  const [action, ...args] = positionals;
  const { openVault, readSecret } = await import('./commands/credentials.ts');
  const vault = () => openVault(values.config as string | undefined, process.env);
  const slot = () => {
    const [tenant, server, name, ...extra] = args;
    if (!tenant || !server || !name || extra.length) {
      throw new CliError(`credentials ${action} takes <tenant> <server> <NAME>, e.g. acme github GITHUB_TOKEN`);
    }
    return [tenant, server, name] as const;
  };
  switch (action) {
    case 'add': {
      const [tenant, server, name] = slot();
      const value = await readSecret(process.stdin);
      await (await vault()).put(tenant, server, name, value);
      io.out(`stored ${name} for ${tenant}/${server} (••••${value.length > 12 ? value.slice(-4) : ''})\n`);
      return EXIT.ok;
    }
    case 'remove': {
      const [tenant, server, name] = slot();
      const removed = await (await vault()).remove(tenant, server, name);
      io.out(removed ? `removed ${tenant}/${server}/${name}\n` : `no ${tenant}/${server}/${name} stored\n`);
      return removed ? EXIT.ok : EXIT.failed;
    }
    case 'list': {
      if (args.length > 1) throw new CliError('credentials list takes at most a tenant');
      const entries = await (await vault()).list(args[0]);
      if (values.json) io.out(`${JSON.stringify(entries, null, 2)}\n`);
      else {
        io.out(
          entries.length
            ? `${entries.map((e) => `${e.tenant}/${e.server}/${e.name}  ${e.masked}  key ${e.keyId}  ${e.updated}`).join('\n')}\n`
            : 'no credentials stored\n',
        );
      }
      return EXIT.ok;
    }
    case 'rotate': {
      const changed = await (await vault()).rewrap();
      io.out(`re-sealed ${changed} credential(s) with the primary key; older keys can now leave the keyring\n`);
      return EXIT.ok;
    }
    default:
      throw new CliError('credentials needs one of: add, list, remove, rotate');
  }
}

async function keysCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, { ...COMMON, id: { type: 'string' } });
  const { hashApiKey, newApiKey, newMasterKey, readSecret } = await import('./commands/credentials.ts');
  switch (positionals[0]) {
    case 'new': {
      const { key, sha256 } = newApiKey();
      io.out(`${key}\n`);
      io.err(`give the key to the client once; put only this in the deployment file:\n  sha256: ${sha256}\n`);
      return EXIT.ok;
    }
    case 'hash':
      io.out(`${hashApiKey(await readSecret(process.stdin))}\n`);
      return EXIT.ok;
    case 'new-master':
      io.out(`${newMasterKey((values.id as string | undefined) ?? new Date().toISOString().slice(0, 10))}\n`);
      io.err(
        'prepend it to SWITCHBOARD_CREDENTIAL_KEYS (comma-separated, primary first), then run credentials rotate\n',
      );
      return EXIT.ok;
    default:
      throw new CliError('keys needs one of: new, hash, new-master');
  }
}

const COMMANDS: Record<string, (argv: string[], io: Io) => Promise<number>> = {
  list: listCommand,
  config: configCommand,
  doctor: doctorCommand,
  inspect: inspectCommand,
  serve: serveCommand,
  credentials: credentialsCommand,
  keys: keysCommand,
};

function version(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (!command) {
    io.err(USAGE);
    return EXIT.usage;
  }
  if (command === 'help' || command === '--help' || command === '-h') {
    io.out(USAGE);
    return EXIT.ok;
  }
  if (command === '--version' || command === '-v') {
    io.out(`${version()}\n`);
    return EXIT.ok;
  }
  const run = COMMANDS[command];
  try {
    if (!run) throw new CliError(`unknown command "${command}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
    if (command !== 'serve' && (rest.includes('--help') || rest.includes('-h'))) {
      io.out(USAGE);
      return EXIT.ok;
    }
    return await run(rest, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.err(
        `switchboard: ${error.message}\n${error.exitCode === EXIT.usage ? 'Run switchboard --help for usage.\n' : ''}`,
      );
      return error.exitCode;
    }
    io.err(`switchboard: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.failed;
  }
}
