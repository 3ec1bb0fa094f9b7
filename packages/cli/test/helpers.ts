/** Runs the real `switchboard` bin from source as a child process. */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
export const GOLDEN = fileURLToPath(new URL('./golden/', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The parent's environment without credentials or SWITCHBOARD_* settings, so only what a test sets counts. */
export function cleanEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(GITHUB_|SWITCHBOARD_|XDG_CONFIG_HOME$|CODEX_HOME$|APPDATA$)/.test(k)) continue;
    out[k] = v;
  }
  return out;
}

export function runCli(
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; input?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--conditions=development', BIN, ...args],
      { env: { ...cleanEnv(), ...opts.env }, cwd: opts.cwd, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: unknown }).code as number) : 0;
        resolve({ code: typeof code === 'number' ? code : -1, stdout, stderr });
      },
    );
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'switchboard-cli-'));
}
