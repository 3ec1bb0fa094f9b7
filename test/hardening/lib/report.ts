/**
 * What each hardening suite covered, recorded at the end of its run and composed into docs/quality.md by the
 * global teardown (test/hardening/quality.ts) when every suite has reported. Keep the content deterministic
 * (counts, names, fixed seeds; no timings), so the page only changes when coverage does.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = fileURLToPath(new URL('../.results/', import.meta.url));

export interface SuiteCoverage {
  /** File-safe id: conformance, fuzz, faults, canary, injection. */
  suite: string;
  /** Section heading in docs/quality.md. */
  title: string;
  /** Markdown paragraphs or bullets under the heading. */
  lines: string[];
  /** An optional table (first row is the header). */
  table?: string[][];
}

export function recordCoverage(coverage: SuiteCoverage): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(`${RESULTS_DIR}${coverage.suite}.json`, `${JSON.stringify(coverage, null, 2)}\n`);
}
