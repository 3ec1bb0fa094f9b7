/**
 * The official MCP conformance suite (@modelcontextprotocol/conformance) against every server in servers.json,
 * over streamable HTTP in --sandbox mode, with one expected-failures baseline (conformance-baseline.yml, each
 * entry with its reason). The CLI exits non-zero on an unexpected failure and on a stale baseline entry; the
 * test also reads the per-check results so a scenario that silently did not run cannot pass.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ServerProcess, startHttpServerProcess } from '@switchboard-mcp/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { recordCoverage } from './lib/report.ts';
import { loadTargets, type Target } from './lib/targets.ts';

const BASELINE = fileURLToPath(new URL('./conformance-baseline.yml', import.meta.url));
const require = createRequire(import.meta.url);
const CLI = join(dirname(require.resolve('@modelcontextprotocol/conformance/package.json')), 'dist/index.js');
const VERSION = (require('@modelcontextprotocol/conformance/package.json') as { version: string }).version;

/** Scenarios the issue names as must-pass; each must have run and passed every check (warnings allowed). */
const MUST_PASS = [
  'server-initialize',
  'ping',
  'tools-list',
  'logging-set-level',
  'dns-rebinding-protection',
  'server-sse-multiple-streams',
];

interface Check {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | 'SKIPPED';
  errorMessage?: string;
}

const baseline = [...readFileSync(BASELINE, 'utf8').matchAll(/^\s+- ([a-z0-9-]+)\s*$/gm)].map((m) => m[1]!);
const targets = await loadTargets();
const outcomes = new Map<string, Map<string, 'pass' | 'expected failure' | 'FAIL'>>();

function runCli(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 120_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, output: `${stdout}\n${stderr}` });
    });
  });
}

/** results/server-<scenario>-<timestamp>/checks.json → scenario → checks. */
function readResults(dir: string): Map<string, Check[]> {
  const out = new Map<string, Check[]>();
  for (const entry of readdirSync(dir)) {
    const m = /^server-(.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z$/.exec(entry);
    if (!m) continue;
    out.set(m[1]!, JSON.parse(readFileSync(join(dir, entry, 'checks.json'), 'utf8')) as Check[]);
  }
  return out;
}

describe.each(targets.map((t) => [t.entry.name, t] as [string, Target]))('%s', (name, target) => {
  let server: ServerProcess | undefined;
  let results: string | undefined;
  afterAll(async () => {
    await server?.close();
    if (results) rmSync(results, { recursive: true, force: true });
  });

  it(`passes the MCP conformance suite ${VERSION} (all scenarios, baseline of ${baseline.length})`, async () => {
    server = await startHttpServerProcess({
      command: process.execPath,
      args: ['--conditions=development', target.bin, '--sandbox', '--http', '--port', '0'],
      env: { SWITCHBOARD_LOG_LEVEL: 'info' },
    });
    results = mkdtempSync(join(tmpdir(), `conformance-${name}-`));
    const run = await runCli([
      'server',
      '--url',
      `${server.url}/mcp`,
      '--suite',
      'all',
      '--expected-failures',
      BASELINE,
      '-o',
      results,
    ]);
    const byScenario = readResults(results);
    const seen = new Map<string, 'pass' | 'expected failure' | 'FAIL'>();
    for (const [scenario, checks] of byScenario) {
      const failed = checks.some((c) => c.status === 'FAILURE');
      seen.set(scenario, failed ? (baseline.includes(scenario) ? 'expected failure' : 'FAIL') : 'pass');
    }
    outcomes.set(name, seen);
    expect(run.code, run.output.slice(-4000)).toBe(0);
    for (const scenario of MUST_PASS) {
      const checks = byScenario.get(scenario);
      expect(checks, `${scenario} did not run`).toBeDefined();
      expect(checks!.length).toBeGreaterThan(0);
      expect(
        checks!.filter((c) => c.status === 'FAILURE'),
        scenario,
      ).toEqual([]);
    }
    // Every baseline entry ran (and failed, or the CLI would have called the entry stale).
    for (const scenario of baseline) expect(byScenario.has(scenario), `${scenario} did not run`).toBe(true);
  });
});

afterAll(() => {
  const scenarios = [...new Set([...outcomes.values()].flatMap((m) => [...m.keys()]))].sort();
  const servers = [...outcomes.keys()];
  if (!servers.length) return;
  const passing = scenarios.filter((s) => servers.every((n) => outcomes.get(n)?.get(s) === 'pass'));
  recordCoverage({
    suite: 'conformance',
    title: 'MCP conformance',
    lines: [
      `The official \`@modelcontextprotocol/conformance\` ${VERSION} suite (\`--suite all\`, ${scenarios.length} server scenarios) against each server's streamable HTTP endpoint in \`--sandbox\` mode, with one expected-failures baseline (\`test/hardening/conformance-baseline.yml\`, a reason per entry). The CLI fails on an unexpected failure and on a stale baseline entry.`,
      '',
      `Passing on every server (${passing.length}): ${passing.map((s) => `\`${s}\``).join(', ')}.`,
      '',
      `Expected failures (${baseline.length}): scenarios that call the conformance suite's own fixture tools, resources or prompts (a Switchboard server exposes only its vendor's tools and declares no resources, prompts or completions).`,
    ],
    table: [
      ['scenario', ...servers],
      ...scenarios.map((s) => [s, ...servers.map((n) => outcomes.get(n)?.get(s) ?? 'not run')]),
    ],
  });
});
