/**
 * The command line every server's bin shares: same flags, same env names (SWITCHBOARD_*), same failure modes.
 * Bad flags and bad policy files fail fast (exit 2) with a message naming the problem.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CredentialSpec, SandboxHandle, ServerDefinition } from './define.ts';
import { createLogger, type Logger, type LogLevel } from './log.ts';
import { type AuditSink, createAuditSink } from './pipeline/audit.ts';
import { loadPolicyFile, Policy, PolicyError, type PolicyFile } from './policy.ts';
import { ServerRuntime } from './runtime.ts';
import { createSharedState, type SharedState } from './state.ts';
import { startTracing } from './tracing.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CliOptions {
  toolsets?: string[];
  tools?: string[];
  readOnly: boolean;
  policy?: string;
  /** Deployment file for HTTP serving: client auth, tenants, credential vault. */
  config?: string;
  http: boolean;
  port: number;
  host: string;
  sandbox: boolean;
  logLevel: LogLevel;
  auditLog?: string;
  allowedHosts: string[];
  allowedOrigins: string[];
  /** One harmless read plus a scope check; print a JSON report and exit. */
  doctor: boolean;
  help: boolean;
  version: boolean;
}

const list = (v: string | undefined) =>
  v
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Parse argv (flags win over SWITCHBOARD_* env). Throws UsageError naming the bad flag or value. */
export function parseCli(argv: string[], env: Record<string, string | undefined> = process.env): CliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        toolsets: { type: 'string' },
        tools: { type: 'string' },
        'read-only': { type: 'boolean' },
        policy: { type: 'string' },
        config: { type: 'string' },
        http: { type: 'boolean' },
        port: { type: 'string' },
        host: { type: 'string' },
        sandbox: { type: 'boolean' },
        'log-level': { type: 'string' },
        'audit-log': { type: 'string' },
        'allowed-hosts': { type: 'string' },
        'allowed-origins': { type: 'string' },
        doctor: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional.*$/s, '.'));
  }
  const str = (flag: string, envName: string) => (values[flag] as string | undefined) ?? env[envName];
  const portText = str('port', 'SWITCHBOARD_PORT') ?? '8080';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535)
    throw new UsageError(`--port must be a number from 0 to 65535, got "${portText}"`);
  const logLevel = (str('log-level', 'SWITCHBOARD_LOG_LEVEL') ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel))
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const bool = (flag: string, envName: string) => values[flag] === true || /^(1|true|yes)$/i.test(env[envName] ?? '');
  return {
    toolsets: list(str('toolsets', 'SWITCHBOARD_TOOLSETS')),
    tools: list(str('tools', 'SWITCHBOARD_TOOLS')),
    readOnly: bool('read-only', 'SWITCHBOARD_READ_ONLY'),
    policy: str('policy', 'SWITCHBOARD_POLICY'),
    config: str('config', 'SWITCHBOARD_CONFIG'),
    http: bool('http', 'SWITCHBOARD_HTTP'),
    port,
    host: str('host', 'SWITCHBOARD_HOST') ?? '127.0.0.1',
    sandbox: bool('sandbox', 'SWITCHBOARD_SANDBOX'),
    logLevel,
    auditLog: str('audit-log', 'SWITCHBOARD_AUDIT_LOG'),
    allowedHosts: list(str('allowed-hosts', 'SWITCHBOARD_ALLOWED_HOSTS')) ?? [],
    allowedOrigins: list(str('allowed-origins', 'SWITCHBOARD_ALLOWED_ORIGINS')) ?? [],
    doctor: values.doctor === true,
    help: values.help === true,
    version: values.version === true,
  };
}

export function helpText(def: ServerDefinition): string {
  const creds = Object.values<CredentialSpec>(def.credentials)
    .map(
      (c) =>
        `  ${[c.env, ...(c.aliases ?? [])].join(' | ').padEnd(44)} ${c.kind === 'secret' ? 'secret' : `setting${c.default ? ` (default ${c.default})` : ''}`}${c.description ? `: ${c.description}` : ''}`,
    )
    .join('\n');
  const sets = Object.entries(def.toolsets)
    .map(([n, s]) => `  ${n.padEnd(16)} ${s.description}${def.defaultToolsets.includes(n) ? ' (default)' : ''}`)
    .join('\n');
  return `switchboard-${def.name} ${def.version}: ${def.summary}

Usage: switchboard-${def.name} [flags]   (stdio by default)

Flags:
  --toolsets a,b       enable these toolsets ("all" for every one); default: ${def.defaultToolsets.join(',')}
  --tools glob,glob    expose only tools matching these globs
  --read-only          hide and refuse every tool that writes
  --policy FILE        policy file (JSON or YAML): toolsets, tool allow/deny, resources, confirm, budgets
  --http               serve streamable HTTP instead of stdio
  --config FILE        HTTP deployment file: client auth (oauth, api-keys), tenants, credential vault
                       (see docs/deployment.md); without it HTTP serves loopback only, unauthenticated
  --port N             HTTP port (default 8080; 0 picks a free one)
  --host H             HTTP bind address (default 127.0.0.1)
  --allowed-hosts a,b  Host header names accepted over HTTP besides loopback ones;
                       required when --host is not a loopback address (DNS-rebinding protection)
  --allowed-origins    Origin hostnames accepted over HTTP (default: the allowed hosts)
  --sandbox            run against a local fake of the ${def.name} API (no credentials needed)
  --log-level L        fatal|error|warn|info|debug|trace|silent (logs go to stderr)
  --audit-log FILE     append one JSON audit line per call to FILE (default: stderr)
  --doctor             one harmless read and a scope check against the API; print a JSON report
                       on stdout and exit (0 when it passed; used by \`switchboard doctor\`)
  -h, --help           this text
  -v, --version        print the version

Every flag also reads SWITCHBOARD_<FLAG> from the environment (e.g. SWITCHBOARD_READ_ONLY=1).

Credentials (environment):
${creds}

Toolsets:
${sets}
`;
}

/** Run a server from its definition: the body of every server's bin. Never returns on success. */
export async function runServerCli(def: ServerDefinition, argv = process.argv.slice(2)): Promise<void> {
  let opts: CliOptions;
  let policyFile: PolicyFile = {};
  let policy: Policy;
  try {
    opts = parseCli(argv);
    if (opts.help) {
      process.stderr.write(helpText(def));
      return;
    }
    if (opts.version) {
      process.stderr.write(`${def.version}\n`);
      return;
    }
    if (opts.policy) policyFile = await loadPolicyFile(opts.policy);
    policy = new Policy(def, policyFile, { toolsets: opts.toolsets, tools: opts.tools, readOnly: opts.readOnly });
  } catch (error) {
    if (error instanceof UsageError || error instanceof PolicyError) {
      process.stderr.write(`switchboard-${def.name}: ${error.message}\nRun with --help for usage.\n`);
      process.exit(2);
    }
    throw error;
  }
  if (opts.doctor) {
    const { runDoctor } = await import('./doctor.ts');
    const report = await runDoctor(def, { env: process.env, sandbox: opts.sandbox, policy });
    process.stdout.write(`${JSON.stringify(report)}\n`);
    process.exit(report.smoke.status === 'ok' && !report.privilege?.missing.length ? 0 : 1);
  }
  const log = createLogger(opts.logLevel, def.name);
  const env: Record<string, string | undefined> = { ...process.env };
  let sandbox: SandboxHandle | undefined;
  if (opts.sandbox) {
    if (!def.sandbox) {
      process.stderr.write(`switchboard-${def.name}: this server has no sandbox\n`);
      process.exit(2);
    }
    sandbox = await def.sandbox();
    Object.assign(env, sandbox.credentials);
    if (def.apiUrlCredential) env[def.credentials[def.apiUrlCredential]!.env] = sandbox.url;
    log.info({ sandbox: sandbox.url }, 'sandbox started: calls go to a local fake API, not the real service');
  }
  let audit: AuditSink;
  try {
    audit = createAuditSink(opts.auditLog);
  } catch (error) {
    process.stderr.write(
      `switchboard-${def.name}: cannot open the audit log ${opts.auditLog}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`,
    );
    await sandbox?.close();
    process.exit(2);
  }
  // Metrics come from the audit trail, so every call is counted once, refused ones included.
  const metrics = opts.http ? new (await import('./gateway/metrics.ts')).Metrics() : undefined;
  if (metrics) audit = metrics.wrap(audit);
  let state: SharedState;
  try {
    state = await createSharedState(env, log);
  } catch (error) {
    process.stderr.write(`switchboard-${def.name}: ${(error as Error).message}\n`);
    await sandbox?.close();
    process.exit(2);
  }
  const { store } = state;
  // Traces only when an OTLP endpoint is configured; the SDK loads only then.
  const stopTracing = await startTracing(`switchboard-${def.name}`, env, log);
  const runtime = new ServerRuntime(def, {
    policy,
    log,
    audit,
    store,
    counters: state.counters,
    throttle: state.throttle,
    env,
  });
  installCrashGuards(runtime);

  const closers: (() => Promise<void>)[] = [];
  let hardStopMs = 10_000;
  // Transports load on demand: stdio never pays for the HTTP stack, nor HTTP for stdio's.
  if (opts.http) {
    const { startHttp } = await import('./transport/http.ts');
    const { listenError, listenerOptions, prepareGateway, tenantRuntimes } = await import('./gateway/serve.ts');
    const gateway = await prepareGateway({ configPath: opts.config, state, env }).catch(async (error: Error) => {
      process.stderr.write(`switchboard-${def.name}: ${error.message}\n`);
      await sandbox?.close();
      process.exit(2);
    });
    const runtimes = tenantRuntimes({
      def,
      gateway,
      flags: { toolsets: opts.toolsets, tools: opts.tools, readOnly: opts.readOnly },
      basePolicy: policy,
      baseRuntime: runtime,
      log,
      audit,
      state,
      env,
    });
    const handle = await startHttp(runtime, {
      host: opts.host,
      port: opts.port,
      allowedHosts: opts.allowedHosts,
      allowedOrigins: opts.allowedOrigins,
      runtimes,
      metrics,
      ...listenerOptions(gateway),
    }).catch(async (error: NodeJS.ErrnoException) => {
      const why = listenError(error, opts.host, opts.port);
      process.stderr.write(`switchboard-${def.name}: ${why}\n`);
      await sandbox?.close();
      process.exit(1);
    });
    closers.push(handle.close);
    hardStopMs = (gateway.drainMs ?? 25_000) + 5_000;
    log.info(
      { url: handle.url, toolsets: [...policy.enabledToolsets], readOnly: policy.readOnly, auth: gateway.auth.mode },
      'listening',
    );
    if (gateway.auth.mode === 'none' && !sandbox) {
      log.warn(
        { url: handle.url },
        'NO CLIENT AUTHENTICATION: any local process that can reach this port acts with this server credentials; use --config with oauth or api-keys for anything shared',
      );
    }
    if (sandbox) process.stderr.write(sandboxBanner(def, handle.url));
  } else {
    const { startStdio } = await import('./transport/stdio.ts');
    const handle = startStdio(runtime);
    closers.push(handle.close);
  }
  if (sandbox) closers.push(sandbox.close);
  if (stopTracing) closers.push(stopTracing);
  closers.push(state.close);
  closers.push(audit.close);
  closeOnSignals(closers, log, !opts.http, hardStopMs);
}

/**
 * Closes everything in order on SIGTERM/SIGINT (and when stdin ends, for stdio), then exits. HTTP closing drains
 * calls in flight first; a hard stop follows after the drain time plus a margin.
 */
export function closeOnSignals(
  closers: (() => Promise<void>)[],
  log: Logger,
  onStdinEnd: boolean,
  hardStopMs: number,
): void {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    setTimeout(() => process.exit(0), hardStopMs).unref();
    for (const close of closers) await close().catch(() => {});
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  if (onStdinEnd) process.stdin.once('end', () => void shutdown('stdin closed'));
}

export function installCrashGuards(runtime: ServerRuntime): void {
  process.on('uncaughtException', (error) => {
    runtime.log.error(
      { err: runtime.redactor.redact(String(error?.stack ?? error)) },
      'uncaught exception (kept running)',
    );
  });
  process.on('unhandledRejection', (reason) => {
    runtime.log.error(
      { err: runtime.redactor.redact(String((reason as Error)?.stack ?? reason)) },
      'unhandled rejection (kept running)',
    );
  });
}

function sandboxBanner(def: ServerDefinition, url: string): string {
  const http = { mcpServers: { [`${def.name}-sandbox`]: { type: 'http', url } } };
  const stdio = {
    mcpServers: { [`${def.name}-sandbox`]: { command: 'npx', args: ['-y', def.packageName, '--sandbox'] } },
  };
  return `
Switchboard ${def.name} server (sandbox: a local fake ${def.name} API, no credentials needed)
  MCP endpoint: ${url}

Paste into your MCP client (streamable HTTP):
${JSON.stringify(http, null, 2)}

Or run it over stdio instead (Claude Desktop, VS Code):
${JSON.stringify(stdio, null, 2)}

Ctrl-C to stop.
`;
}

export function readPackageVersion(packageJsonUrl: URL): string {
  return (JSON.parse(readFileSync(packageJsonUrl, 'utf8')) as { version: string }).version;
}
