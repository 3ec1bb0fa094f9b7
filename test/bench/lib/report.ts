/** What every benchmark module returns, and how results are printed (console) and written (JSON, markdown). */

export type Cell = string | number;

export interface Table {
  title: string;
  columns: string[];
  rows: Cell[][];
}

export interface BenchResult {
  name: string;
  title: string;
  tables: Table[];
  /** Aims and how the run compares to them, caveats, skipped parts and why. */
  notes: string[];
  /** Machine-readable numbers for latest.json. */
  data: Record<string, unknown>;
  /** Set when the benchmark could not run at all. */
  error?: string;
}

export interface BenchOptions {
  root: string;
  /** Cold-start repetitions per variant. */
  runs: number;
  /** Run `pnpm build` before measuring the built server. */
  build: boolean;
  log: (message: string) => void;
}

export type Benchmark = (opts: BenchOptions) => Promise<BenchResult>;

const cellText = (c: Cell) => (typeof c === 'number' ? String(c) : c);
const isNumeric = (s: string) => /^([-+~]?[\d.,]+\s*(ms|×|%|\/s)?|n\/a|)$/.test(s.trim());

/** A fixed-width text table; numeric-looking cells are right-aligned. */
export function textTable(table: Table): string {
  const rows = table.rows.map((r) => r.map(cellText));
  const widths = table.columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (isNumeric(c) && i > 0 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [
    table.title,
    line(table.columns),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...rows.map((r) => line(table.columns.map((_, i) => r[i] ?? ''))),
  ].join('\n');
}

function escapeMd(s: string): string {
  return s.replace(/\|/g, '\\|');
}

export function markdownTable(table: Table): string {
  const align = table.columns.map((_, i) =>
    i > 0 && table.rows.length && table.rows.every((r) => isNumeric(cellText(r[i] ?? ''))) ? '---:' : '---',
  );
  return [
    `**${escapeMd(table.title)}**`,
    '',
    `| ${table.columns.map(escapeMd).join(' | ')} |`,
    `| ${align.join(' | ')} |`,
    ...table.rows.map((r) => `| ${table.columns.map((_, i) => escapeMd(cellText(r[i] ?? ''))).join(' | ')} |`),
  ].join('\n');
}

export function printResult(result: BenchResult, write: (s: string) => void): void {
  write(`\n=== ${result.title} ===\n`);
  if (result.error) write(`FAILED: ${result.error}\n`);
  for (const table of result.tables) write(`\n${textTable(table)}\n`);
  if (result.notes.length) write(`\n${result.notes.map((n) => `  - ${n}`).join('\n')}\n`);
}

export function markdownReport(header: string[], results: BenchResult[]): string {
  const out = [...header];
  for (const r of results) {
    out.push('', `## ${r.title}`);
    if (r.error) out.push('', `**Failed:** ${r.error}`);
    for (const t of r.tables) out.push('', markdownTable(t));
    if (r.notes.length) out.push('', ...r.notes.map((n) => `- ${n}`));
  }
  return `${out.join('\n')}\n`;
}
