/**
 * `switchboard serve`: several servers on one port (`/github/mcp`, `/notion/mcp`, ...) behind one authentication
 * layer, one audit trail, one metrics endpoint and one shared state. Per-tenant policies and credentials come
 * from the deployment file (`policies: { github: ... }` per tenant); only narrowing flags apply to all servers.
 */
import { closeOnSignals, parseCli, UsageError } from './cli.ts';
import type { SandboxHandle, ServerDefinition } from './define.ts';
import { createLogger } from './log.ts';
import { type AuditSink, createAuditSink } from './pipeline/audit.ts';
import { Policy, PolicyError } from './policy.ts';
import { ServerRuntime } from './runtime.ts';
import { createSharedState, type SharedState } from './state.ts';
import { startTracing } from './tracing.ts';
import type { Mount } from './transport/http.ts';

export const SERVE_HELP = `Usage: switchboard serve <server,...|all> [flags]

Serves several Switchboard servers over streamable HTTP on one port: /<server>/mcp each.

Flags:
  --config FILE        deployment file: client auth (oauth, api-keys), tenants with per-server policies
                       (tenants.<t>.policies.<server>), credential vault (see docs/deployment.md)
  --read-only          every server read-only
  --port N             HTTP port (default 8080; 0 picks a free one)
  --host H             bind address (default 127.0.0.1); off loopback needs --allowed-hosts and auth
  --allowed-hosts a,b  Host header names accepted besides loopback ones
  --allowed-origins    Origin hostnames accepted (default: the allowed hosts)
  --sandbox            every server against its local fake API (no credentials needed)
  --log-level L        fatal|error|warn|info|debug|trace|silent
  --audit-log FILE     one JSON audit line per call, all servers (default: stderr)

Shared state: SWITCHBOARD_REDIS_URL (budgets, throttles and cache across replicas).
`;

function fail(message: string, code = 2): never {
  process.stderr.write(`switchboard serve: ${message}\n`);
  process.exit(code);
}

export async function runServeCli(defs: ServerDefinition[], argv: string[]): Promise<void> {
  let opts: ReturnType<typeof parseCli>;
  try {
    opts = parseCli(argv);
  } catch (error) {
    if (error instanceof UsageError) fail(`${error.message}\n${SERVE_HELP}`);
    throw error;
  }
  if (opts.help) {
    process.stderr.write(SERVE_HELP);
    return;
  }
  if (opts.toolsets || opts.tools || opts.policy) {
    fail(
      "--toolsets, --tools and --policy name one server's tools; with several servers put policies in the deployment file (tenants.<tenant>.policies.<server>) or run that server on its own",
    );
  }
  if (!defs.length) fail('no servers to serve');
  const log = createLogger(opts.logLevel, 'serve');
  const env: Record<string, string | undefined> = { ...process.env };
  const sandboxes: SandboxHandle[] = [];
  const policies = new Map<string, Policy>();
  try {
    for (const def of defs) policies.set(def.name, new Policy(def, {}, { readOnly: opts.readOnly }));
  } catch (error) {
    if (error instanceof PolicyError) fail(error.message);
    throw error;
  }
  if (opts.sandbox) {
    for (const def of defs) {
      if (!def.sandbox) fail(`${def.name} has no sandbox`);
      const sandbox = await def.sandbox();
      sandboxes.push(sandbox);
      Object.assign(env, sandbox.credentials);
      if (def.apiUrlCredential) env[def.credentials[def.apiUrlCredential]!.env] = sandbox.url;
    }
    log.info({ servers: defs.map((d) => d.name) }, 'sandboxes started: calls go to local fake APIs');
  }
  const closeSandboxes = () => Promise.all(sandboxes.map((s) => s.close())).then(() => {});
  let audit: AuditSink;
  try {
    audit = createAuditSink(opts.auditLog);
  } catch (error) {
    await closeSandboxes();
    fail(`cannot open the audit log ${opts.auditLog}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const { Metrics } = await import('./gateway/metrics.ts');
  const metrics = new Metrics();
  audit = metrics.wrap(audit);
  let state: SharedState;
  try {
    state = await createSharedState(env, log);
  } catch (error) {
    await closeSandboxes();
    fail((error as Error).message);
  }
  const stopTracing = await startTracing('switchboard-serve', env, log);
  const { listenError, listenerOptions, prepareGateway, tenantRuntimes } = await import('./gateway/serve.ts');
  const gateway = await prepareGateway({ configPath: opts.config, state, env }).catch(async (error: Error) => {
    await closeSandboxes();
    fail(error.message);
  });
  const mounts: Mount[] = defs.map((def) => {
    const policy = policies.get(def.name)!;
    const runtime = new ServerRuntime(def, {
      policy,
      log: log.child({ server: def.name }),
      audit,
      store: state.store,
      counters: state.counters,
      throttle: state.throttle,
      env,
    });
    const runtimes = tenantRuntimes({
      def,
      gateway,
      flags: { readOnly: opts.readOnly },
      basePolicy: policy,
      baseRuntime: runtime,
      log,
      audit,
      state,
      env,
    });
    return { path: `/${def.name}/mcp`, runtime, runtimes };
  });
  const { startHttp } = await import('./transport/http.ts');
  const handle = await startHttp(mounts, {
    host: opts.host,
    port: opts.port,
    allowedHosts: opts.allowedHosts,
    allowedOrigins: opts.allowedOrigins,
    metrics,
    ...listenerOptions(gateway),
  }).catch(async (error: NodeJS.ErrnoException) => {
    await closeSandboxes();
    fail(listenError(error, opts.host, opts.port), 1);
  });

  const base = handle.url.replace(/\/$/, '');
  log.info(
    { url: base, endpoints: mounts.map((m) => `${base}${m.path}`), auth: gateway.auth.mode, readOnly: opts.readOnly },
    'listening',
  );
  if (gateway.auth.mode === 'none' && !opts.sandbox) {
    log.warn({ url: base }, 'NO CLIENT AUTHENTICATION: any local process that can reach this port uses these servers');
  }
  closeOnSignals(
    [handle.close, closeSandboxes, ...(stopTracing ? [stopTracing] : []), state.close, audit.close],
    log,
    false,
    (gateway.drainMs ?? 25_000) + 5_000,
  );
}
