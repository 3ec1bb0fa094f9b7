/**
 * The integration checks behind `switchboard doctor` and a server's `--doctor` flag: build the vendor client from
 * the environment's credentials (or the server's sandbox), make one harmless read (`whoami`, else the scope probe)
 * within a bounded time, and compare the granted scopes with what the enabled tools need.
 */
import { type CallContext, runInCall } from './context.ts';
import type { CredentialSpec, CredentialValues, SandboxHandle, ServerDefinition, ToolDefinition } from './define.ts';
import { type ErrorKind, errorFromStatus, isSwitchboardError, SwitchboardError } from './errors.ts';
import { fingerprint } from './http/fingerprint.ts';
import { Policy } from './policy.ts';
import { Redactor } from './redact.ts';
import { oneLine } from './text.ts';

export const DOCTOR_TIMEOUT_MS = 15_000;

export interface DoctorOptions {
  /** Where credentials are read from (default process.env). */
  env?: Record<string, string | undefined>;
  /** Run against the server's own sandbox instead of the real API. */
  sandbox?: boolean;
  /** Which tools are enabled (toolsets, read-only, allow/deny); default: the server's default toolsets. */
  policy?: Policy;
  /** Bound on the smoke test, retries included. */
  timeoutMs?: number;
}

export interface SmokeResult {
  /** ok: one read succeeded; failed: it did not; unavailable: the server has neither whoami nor a scope probe. */
  status: 'ok' | 'failed' | 'unavailable' | 'skipped';
  /** Who the credentials belong to, as the vendor says (whoami only). */
  identity?: string;
  via?: 'whoami' | 'scope-probe';
  errorKind?: ErrorKind;
  /** What went wrong, redacted, in words a person or a model can act on. */
  error?: string;
}

export interface PrivilegeResult {
  /** Whether the vendor reported the granted scopes. */
  known: boolean;
  granted?: string[];
  /** Every scope some enabled tool can use (each tool needs any one of its own). */
  needed: string[];
  /** Enabled tools none of whose scopes is granted. */
  missing: { tool: string; anyOf: string[] }[];
  /** Granted scopes no enabled tool uses: risk without benefit. */
  excess: string[];
}

export interface DoctorReport {
  server: string;
  sandbox: boolean;
  /** Required secrets that are not set, as "NAME or ALIAS". */
  missingCredentials: string[];
  enabledTools: number;
  smoke: SmokeResult;
  /** Present when the smoke test succeeded. */
  privilege?: PrivilegeResult;
}

/** Run the integration checks for one server. Never throws for upstream or credential problems. */
export async function runDoctor(def: ServerDefinition, options: DoctorOptions = {}): Promise<DoctorReport> {
  const policy = options.policy ?? new Policy(def);
  const env: Record<string, string | undefined> = { ...(options.env ?? process.env) };
  const enabled = enabledTools(def, policy);
  const report: DoctorReport = {
    server: def.name,
    sandbox: options.sandbox === true,
    missingCredentials: [],
    enabledTools: enabled.length,
    smoke: { status: 'skipped' },
  };
  let sandbox: SandboxHandle | undefined;
  try {
    if (options.sandbox) {
      if (!def.sandbox) {
        report.smoke = { status: 'unavailable', error: `${def.name} has no sandbox` };
        return report;
      }
      sandbox = await def.sandbox();
      Object.assign(env, sandbox.credentials);
      if (def.apiUrlCredential) env[def.credentials[def.apiUrlCredential]!.env] = sandbox.url;
    }
    const values = readCredentials(def, env);
    const redactor = new Redactor(def.secretPatterns);
    for (const [key, spec] of Object.entries<CredentialSpec>(def.credentials)) {
      if (spec.kind === 'secret') redactor.add(values[key]);
      if (spec.required && !values[key]) {
        report.missingCredentials.push([spec.env, ...(spec.aliases ?? [])].join(' or '));
      }
    }
    if (report.missingCredentials.length) {
      report.smoke = {
        status: 'skipped',
        errorKind: 'auth',
        error: `not set: ${report.missingCredentials.join(', ')}`,
      };
      return report;
    }
    if (!def.whoami && !def.scopes?.probe) {
      report.smoke = { status: 'unavailable', error: `${def.name} defines no whoami read` };
      return report;
    }
    const { smoke, scopes } = await smokeTest(def, values, redactor, options.timeoutMs ?? DOCTOR_TIMEOUT_MS);
    report.smoke = smoke;
    if (smoke.status === 'ok') report.privilege = comparePrivileges(enabled, scopes);
    return report;
  } finally {
    await sandbox?.close().catch(() => {});
  }
}

function readCredentials(def: ServerDefinition, env: Record<string, string | undefined>) {
  const out: Record<string, string | undefined> = {};
  for (const [key, spec] of Object.entries<CredentialSpec>(def.credentials)) {
    const found = [spec.env, ...(spec.aliases ?? [])].map((n) => env[n]).find((v) => v !== undefined && v !== '');
    out[key] = found ?? spec.default;
  }
  return out;
}

function enabledTools(def: ServerDefinition, policy: Policy): ToolDefinition[] {
  return Object.entries(def.toolsets).flatMap(([name, set]) =>
    set.tools.filter((tool) => policy.toolDecision(tool, name).allowed),
  );
}

async function smokeTest(
  def: ServerDefinition,
  values: Record<string, string | undefined>,
  redactor: Redactor,
  timeoutMs: number,
): Promise<{ smoke: SmokeResult; scopes?: string[] }> {
  let headerScopes: string[] | undefined;
  const signal = AbortSignal.timeout(timeoutMs);
  const ctx: CallContext = {
    signal,
    deadline: Date.now() + timeoutMs,
    idempotent: true,
    readOnly: true,
    upstreamCalls: 0,
    upstreamRateLimited: 0,
    startedPerf: performance.now(),
  };
  const credentialEnv = Object.values<CredentialSpec>(def.credentials).find((c) => c.kind === 'secret')?.env;
  try {
    return await runInCall(ctx, async () => {
      const { createHttpClient } = await import('./http/client.ts');
      const http = createHttpClient({
        ...def.http,
        key: fingerprint(
          Object.entries(values)
            .map(([k, v]) => `${k}=${v ?? ''}`)
            .join('\n'),
        ),
        maxRateLimitWaitMs: Math.min(timeoutMs, 5_000),
        onResponse: (_status, headers) => {
          headerScopes = def.scopes?.fromHeaders(headers) ?? headerScopes;
        },
      });
      const client = await def.client(values as CredentialValues<any>, http);
      if (def.whoami) {
        const who = await def.whoami(client, signal);
        return {
          smoke: { status: 'ok', via: 'whoami', identity: oneLine(redactor.redact(who.identity), 200) },
          scopes: who.scopes ?? headerScopes,
        };
      }
      await def.scopes!.probe!(client, signal);
      return { smoke: { status: 'ok', via: 'scope-probe' }, scopes: headerScopes };
    });
  } catch (error) {
    const mapped = toSwitchboardError(def, error, signal, credentialEnv);
    return {
      smoke: { status: 'failed', errorKind: mapped.kind, error: redactor.redact(mapped.toText()) },
    };
  }
}

const WHOAMI_TOOL = { name: 'whoami', title: 'Who am I', description: '', access: 'read' } as ToolDefinition;

function toSwitchboardError(
  def: ServerDefinition,
  error: unknown,
  signal: AbortSignal,
  credentialEnv: string | undefined,
): SwitchboardError {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (isSwitchboardError(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  const mapped = def.mapError?.(error, WHOAMI_TOOL);
  if (mapped) return mapped;
  if (signal.aborted) return new SwitchboardError('timeout', 'the read did not finish in time');
  const status = (error as { status?: unknown })?.status;
  if (typeof status === 'number' && status >= 400) {
    return errorFromStatus(status, String((error as Error).message ?? 'request failed').slice(0, 300), {
      credentialEnv,
    });
  }
  return new SwitchboardError('upstream', oneLine((error as Error)?.message ?? String(error), 300));
}

function comparePrivileges(tools: ToolDefinition[], scopes: string[] | undefined): PrivilegeResult {
  const needed = [...new Set(tools.flatMap((t) => t.scopes ?? []))].sort();
  if (!scopes) return { known: false, needed, missing: [], excess: [] };
  const granted = new Set(scopes);
  const missing = tools
    .filter((t) => t.scopes?.length && !t.scopes.some((s) => granted.has(s)))
    .map((t) => ({ tool: t.name, anyOf: [...t.scopes!] }));
  const excess = [...granted].filter((s) => !needed.includes(s)).sort();
  return { known: true, granted: [...granted].sort(), needed, missing, excess };
}
