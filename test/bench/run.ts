/**
 * The benchmark suite: `pnpm bench [coldstart|tokens|results|throughput|load|notion|slack|jira|confluence ...] [--runs N]
 * [--no-build]`. Prints tables, and writes test/bench/results/latest.json and latest.md (gitignored). Every number
 * sits next to its baseline measured in the same run. A measurement tool: it never fails on timings, only when
 * a benchmark cannot run at all (exit 1). All traffic stays on 127.0.0.1.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { coldstart } from './coldstart.ts';
import { confluenceBench } from './confluence.ts';
import { jiraBench } from './jira.ts';
import { type Benchmark, type BenchResult, markdownReport, printResult } from './lib/report.ts';
import { anchorVersion, ROOT } from './lib/servers.ts';
import { load } from './load.ts';
import { notionBench } from './notion.ts';
import { results } from './results.ts';
import { slackBench } from './slack.ts';
import { throughput } from './throughput.ts';
import { tokens } from './tokens.ts';

const BENCHMARKS: Record<string, Benchmark> = {
  coldstart,
  tokens,
  results,
  throughput,
  load,
  notion: notionBench,
  slack: slackBench,
  jira: jiraBench,
  confluence: confluenceBench,
};

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '15' },
    'no-build': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(
    `Usage: pnpm bench [${Object.keys(BENCHMARKS).join('|')} ...] [--runs N] [--no-build]\n` +
      '  --runs N     cold-start repetitions per variant (default 15)\n' +
      '  --no-build   skip `pnpm build` (the built-JS cold-start variant is then not measured)\n',
  );
  process.exit(0);
}
const unknown = positionals.filter((p) => !(p in BENCHMARKS));
if (unknown.length) {
  process.stderr.write(
    `unknown benchmark(s): ${unknown.join(', ')}; choose from ${Object.keys(BENCHMARKS).join(', ')}\n`,
  );
  process.exit(2);
}
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 200) {
  process.stderr.write(`--runs must be an integer from 1 to 200, got "${values.runs}"\n`);
  process.exit(2);
}
const selected = positionals.length ? positionals : Object.keys(BENCHMARKS);

function gitCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return `${sha}${dirty ? ' (+ uncommitted changes)' : ''}`;
  } catch {
    return 'unknown';
  }
}

const env = {
  date: new Date().toISOString(),
  node: process.version,
  platform: `${platform()} ${release()}`,
  cpu: cpus()[0]?.model ?? 'unknown',
  cpus: availableParallelism(),
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  commit: gitCommit(),
  anchor: `@modelcontextprotocol/server-github@${anchorVersion()}`,
  /** 1-minute load average when the run started: other work on the machine skews absolute numbers. */
  loadAverage: Math.round(loadavg()[0]! * 100) / 100,
};
const envLines = [
  `node ${env.node} · ${env.platform} · ${env.cpus} CPUs (${env.cpu}) · ${env.memoryGiB} GiB · load ${env.loadAverage}`,
  `commit ${env.commit} · anchor ${env.anchor} · ${env.date}`,
];
process.stdout.write(`Switchboard benchmarks: ${selected.join(', ')}\n${envLines.join('\n')}\n`);

/** The whole run is bounded: a hung server must not hang CI. */
const WATCHDOG_MS = 10 * 60_000;
setTimeout(() => {
  process.stderr.write(`benchmarks did not finish within ${WATCHDOG_MS / 60_000} minutes; aborting\n`);
  process.exit(1);
}, WATCHDOG_MS).unref();

const started = performance.now();
const out: BenchResult[] = [];
const log = (message: string) => process.stderr.write(`\x1b[2m[bench] ${message}\x1b[0m\n`);
for (const name of selected) {
  const t0 = performance.now();
  let result: BenchResult;
  try {
    result = await BENCHMARKS[name]!({ root: ROOT, runs, build: !values['no-build'], log });
  } catch (error) {
    const e = error as Error;
    result = { name, title: name, tables: [], notes: [], data: {}, error: e.stack ?? e.message };
  }
  result.data.seconds = Math.round((performance.now() - t0) / 100) / 10;
  printResult(result, (s) => process.stdout.write(s));
  out.push(result);
}
const seconds = Math.round((performance.now() - started) / 100) / 10;
const loadAtEnd = Math.round(loadavg()[0]! * 100) / 100;

const dir = join(ROOT, 'test/bench/results');
mkdirSync(dir, { recursive: true });
writeFileSync(
  join(dir, 'latest.json'),
  `${JSON.stringify({ env: { ...env, loadAverageAtEnd: loadAtEnd }, selected, runs, seconds, results: Object.fromEntries(out.map((r) => [r.name, r])) }, null, 2)}\n`,
);
writeFileSync(
  join(dir, 'latest.md'),
  markdownReport(
    ['# Switchboard benchmarks', '', ...envLines.map((l) => `${l}  `), `Total ${seconds} s; load at end ${loadAtEnd}.`],
    out,
  ),
);
process.stdout.write(
  `\nDone in ${seconds} s (load at end ${loadAtEnd}). Wrote test/bench/results/latest.json and latest.md\n`,
);
process.exitCode = out.some((r) => r.error) ? 1 : 0;
