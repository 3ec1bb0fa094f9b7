/**
 * The nightly fuzz run: test/hardening/fuzz.test.ts with many more calls and a fresh seed each night.
 *   pnpm fuzz:nightly                       100,000 calls per server, random seed (printed)
 *   pnpm fuzz:nightly --calls 20000 --seed 42
 * Exits non-zero when the run fails; the seed and call count in the output reproduce it.
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const FILE = 'test/hardening/fuzz.test.ts';
const DEFAULT_CALLS = 100_000;

function usage(message?: string): never {
  if (message) process.stderr.write(`fuzz-nightly: ${message}\n`);
  process.stderr.write(
    `Usage: pnpm fuzz:nightly [--calls N] [--seed S]\n  --calls N  calls per server (default ${DEFAULT_CALLS})\n  --seed S   fast-check seed, an integer (default: random, printed)\n`,
  );
  process.exit(message ? 2 : 0);
}

let values: { calls?: string; seed?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    allowPositionals: false,
    options: { calls: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  }));
} catch (error) {
  usage((error as Error).message);
}
if (values.help) usage();

const calls = values.calls === undefined ? DEFAULT_CALLS : Number(values.calls);
if (!Number.isSafeInteger(calls) || calls < 1) usage(`--calls must be a positive integer, got "${values.calls}"`);
const seed = values.seed === undefined ? randomInt(0, 2 ** 31 - 1) : Number(values.seed);
if (!Number.isSafeInteger(seed)) usage(`--seed must be an integer, got "${values.seed}"`);

const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const reproduce = `pnpm fuzz:nightly --calls ${calls} --seed ${seed}`;
process.stdout.write(`fuzz-nightly: ${calls} calls per server, seed ${seed} (reproduce: ${reproduce})\n`);

const child = spawn(process.execPath, [vitest, 'run', FILE], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FUZZ_CALLS: String(calls), FUZZ_SEED: String(seed) },
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('error', (error) => {
  process.stderr.write(`fuzz-nightly: could not start vitest: ${error.message}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  const ok = code === 0;
  process.stdout.write(
    ok
      ? `fuzz-nightly: passed (seed ${seed}, ${calls} calls per server)\n`
      : `fuzz-nightly: FAILED (${signal ? `signal ${signal}` : `exit ${code}`}); reproduce with: ${reproduce}\n`,
  );
  process.exit(ok ? 0 : (code ?? 1) || 1);
});
