/**
 * `switchboard doctor [servers...]`: how far each server is verified, level by level, with evidence:
 *   config-validated          credentials present (names and aliases), policy file parses, flags valid
 *   runtime-validated         the bin starts over stdio and answers initialize and tools/list
 *   integration-smoke-tested  one harmless read against the API (whoami) succeeds
 *   least-privilege           granted scopes cover every enabled tool and include nothing unused
 * A level is reached when it and every level before it pass.
 */
import { execFile } from 'node:child_process';
import {
  loadPolicyFile,
  Policy,
  PolicyError,
  type PolicyFile,
  parseCli,
  type ServerDefinition,
  UsageError,
} from '@switchboard-mcp/core';
import { doctorLaunch, type Launch, serverLaunch } from '../locate.ts';
import { connect } from '../mcp.ts';
import { CliError, type RegistryServer } from '../registry.ts';

export const LEVELS = ['config-validated', 'runtime-validated', 'integration-smoke-tested', 'least-privilege'] as const;
export type Level = (typeof LEVELS)[number];

export interface Check {
  level: Level;
  status: 'pass' | 'fail' | 'warn' | 'skip';
  evidence: string[];
}

export interface ServerDiagnosis {
  server: string;
  /** The highest level reached, or "none". */
  reached: Level | 'none';
  checks: Check[];
  /** Scope findings (least-privilege), when the vendor reported the granted scopes. */
  scopes?: { granted: string[]; needed: string[]; missing: { tool: string; anyOf: string[] }[]; excess: string[] };
}

/** The JSON report a server's `--doctor` prints (core's DoctorReport). */
interface DoctorReport {
  missingCredentials: string[];
  enabledTools: number;
  smoke: { status: 'ok' | 'failed' | 'unavailable' | 'skipped'; identity?: string; via?: string; error?: string };
  privilege?: {
    known: boolean;
    granted?: string[];
    needed: string[];
    missing: { tool: string; anyOf: string[] }[];
    excess: string[];
  };
}

export interface DoctorOptions {
  /** Server flags, passed through to every server (and validated as the server would). */
  flags: string[];
  timeoutMs: number;
  progress: (line: string) => void;
}

function credentialEvidence(server: RegistryServer, sandbox: boolean): Check {
  if (sandbox) return { level: 'config-validated', status: 'pass', evidence: ['credentials: supplied by the sandbox'] };
  const evidence: string[] = [];
  let failed = false;
  for (const c of server.credentials) {
    const names = [c.env, ...(c.aliases ?? [])];
    const set = names.find((n) => process.env[n]);
    if (set) evidence.push(`${c.env} is set${set === c.env ? '' : ` (as ${set})`}`);
    else if (c.kind === 'secret' && c.required) {
      failed = true;
      evidence.push(`${names.join(' or ')} is not set${c.description ? `: ${c.description}` : ''}`);
    } else if (c.required && !c.default) {
      failed = true;
      evidence.push(`${c.env} is not set`);
    }
  }
  return { level: 'config-validated', status: failed ? 'fail' : 'pass', evidence };
}

/** A definition carrying only what Policy reads (names, toolsets, defaults), built from the registry. */
function registryDefinition(server: RegistryServer): ServerDefinition {
  return {
    name: server.name,
    defaultToolsets: server.defaultToolsets,
    toolsets: Object.fromEntries(
      server.toolsets.map((t) => [t.name, { description: t.description, tools: t.tools.map((tool) => ({ ...tool })) }]),
    ),
  } as unknown as ServerDefinition;
}

async function configCheck(server: RegistryServer, flags: string[]): Promise<{ check: Check; sandbox: boolean }> {
  let opts: ReturnType<typeof parseCli>;
  try {
    opts = parseCli(flags, process.env);
  } catch (error) {
    if (error instanceof UsageError) throw new CliError(error.message);
    throw error;
  }
  const check = credentialEvidence(server, opts.sandbox);
  try {
    const file: PolicyFile = opts.policy ? await loadPolicyFile(opts.policy) : {};
    if (opts.policy) check.evidence.push(`policy ${opts.policy} parses`);
    const policy = new Policy(registryDefinition(server), file, {
      toolsets: opts.toolsets,
      tools: opts.tools,
      readOnly: opts.readOnly,
    });
    const tools = server.toolsets
      .filter((t) => policy.enabledToolsets.has(t.name))
      .flatMap((t) => t.tools.filter((tool) => policy.toolDecision(tool as never, t.name).allowed));
    check.evidence.push(
      `flags valid: toolsets ${[...policy.enabledToolsets].join(',')}${policy.readOnly ? ', read-only' : ''}; ${tools.length} tools enabled`,
    );
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    check.status = 'fail';
    check.evidence.push(error.message);
  }
  return { check, sandbox: opts.sandbox };
}

async function runtimeCheck(server: RegistryServer, launch: Launch, timeoutMs: number): Promise<Check> {
  const level = 'runtime-validated';
  try {
    const conn = await connect(launch, timeoutMs);
    try {
      const tools = await conn.listTools();
      return {
        level,
        status: 'pass',
        evidence: [
          `initialize: ${conn.serverName} ${conn.serverVersion} (protocol ${conn.protocolVersion})`,
          `tools/list: ${tools.length} tools`,
        ],
      };
    } finally {
      await conn.close();
    }
  } catch (error) {
    return {
      level,
      status: 'fail',
      evidence: [`${server.bin ?? server.package} did not answer over stdio: ${(error as Error).message}`],
    };
  }
}

function runDoctorProcess(launch: Launch, timeoutMs: number): Promise<DoctorReport> {
  return new Promise((resolve, reject) => {
    execFile(
      launch.command,
      launch.args,
      { timeout: timeoutMs, maxBuffer: 1024 * 1024, env: process.env },
      (error, stdout, stderr) => {
        const line = stdout.trim().split('\n').at(-1) ?? '';
        try {
          resolve(JSON.parse(line) as DoctorReport);
        } catch {
          reject(new Error((stderr.trim() || error?.message || 'no report').slice(-1000)));
        }
      },
    );
  });
}

function smokeCheck(report: DoctorReport): Check {
  const level = 'integration-smoke-tested';
  const { smoke } = report;
  if (smoke.status === 'ok') {
    return {
      level,
      status: 'pass',
      evidence: [
        smoke.identity !== undefined
          ? `whoami: ${smoke.identity}`
          : 'the scope probe read succeeded (the server defines no whoami)',
      ],
    };
  }
  if (smoke.status === 'unavailable') return { level, status: 'warn', evidence: [smoke.error ?? 'no read available'] };
  return { level, status: 'fail', evidence: [smoke.error ?? 'the read failed'] };
}

function privilegeCheck(diagnosis: ServerDiagnosis, report: DoctorReport): Check {
  const level = 'least-privilege';
  const p = report.privilege;
  if (!p) return { level, status: 'skip', evidence: [] };
  if (!p.known) {
    return {
      level,
      status: 'warn',
      evidence: [
        `the vendor did not report the granted scopes; review them by hand against: ${p.needed.join(', ') || 'none needed'}`,
      ],
    };
  }
  diagnosis.scopes = { granted: p.granted ?? [], needed: p.needed, missing: p.missing, excess: p.excess };
  const evidence = [`granted: ${p.granted?.join(', ') || 'none'}; needed: ${p.needed.join(', ') || 'none'}`];
  for (const m of p.missing) evidence.push(`missing: ${m.tool} needs one of ${m.anyOf.join(', ')}`);
  for (const s of p.excess) evidence.push(`excess (risk): ${s} is granted but no enabled tool uses it`);
  const status = p.missing.length ? 'fail' : p.excess.length ? 'warn' : 'pass';
  return { level, status, evidence };
}

export async function diagnose(server: RegistryServer, opts: DoctorOptions): Promise<ServerDiagnosis> {
  const diagnosis: ServerDiagnosis = { server: server.name, reached: 'none', checks: [] };
  const push = (check: Check) => {
    diagnosis.checks.push(check);
    if (check.status === 'pass' && diagnosis.checks.every((c) => c.status === 'pass')) diagnosis.reached = check.level;
    return check.status === 'pass' || check.status === 'warn';
  };
  const skipRest = () => {
    for (const level of LEVELS.slice(diagnosis.checks.length))
      diagnosis.checks.push({ level, status: 'skip', evidence: [] });
    return diagnosis;
  };
  const { check: config, sandbox } = await configCheck(server, opts.flags);
  if (!push(config)) return skipRest();

  opts.progress(`${server.name}: starting ${server.bin ?? server.package}${sandbox ? ' (sandbox)' : ''} over stdio…`);
  opts.progress(`${server.name}: one harmless read against ${sandbox ? 'the sandbox' : 'the API'}…`);
  // Both wait on child processes; run them together, then judge the levels in order.
  const [runtime, doctor] = await Promise.all([
    runtimeCheck(server, serverLaunch(server, opts.flags), opts.timeoutMs),
    runDoctorProcess(doctorLaunch(server, opts.flags), opts.timeoutMs + 20_000).then(
      (report) => ({ report }),
      (error: Error) => ({ error }),
    ),
  ]);
  if (!push(runtime)) return skipRest();
  if ('error' in doctor) {
    push({ level: 'integration-smoke-tested', status: 'fail', evidence: [doctor.error.message] });
    return skipRest();
  }
  const { report } = doctor;
  if (!push(smokeCheck(report)) || report.smoke.status !== 'ok') return skipRest();
  push(privilegeCheck(diagnosis, report));
  return diagnosis;
}

/** 0: every server reached least-privilege; 1: a check failed; 3: no failure, but some server stopped short. */
export function exitCodeFor(results: ServerDiagnosis[]): number {
  if (results.some((r) => r.checks.some((c) => c.status === 'fail'))) return 1;
  if (results.some((r) => r.reached !== 'least-privilege')) return 3;
  return 0;
}

const MARK: Record<Check['status'], string> = { pass: 'ok  ', fail: 'FAIL', warn: 'warn', skip: 'skip' };

export function renderDiagnosis(results: ServerDiagnosis[]): string {
  return results
    .map((r) =>
      [
        `${r.server}: reached ${r.reached}`,
        ...r.checks.map(
          (c) =>
            `  ${MARK[c.status]} ${c.level}${c.evidence.length ? `\n${c.evidence.map((e) => `       ${e}`).join('\n')}` : ''}`,
        ),
      ].join('\n'),
    )
    .join('\n\n');
}
