/**
 * Diffs bounded for the model (PR diffs, commit diffs): at most max_lines lines, shared fairly between files so a
 * large file cannot crowd out the others, with what was cut named and how to get the rest.
 */
import { count, oneLine } from './render.ts';

/** Longest diff line kept; minified or generated files can have lines of megabytes. */
const MAX_LINE_CHARS = 400;

export interface DiffFile {
  path: string;
  lines: string[];
}

function clip(line: string): string {
  return line.length > MAX_LINE_CHARS
    ? `${line.slice(0, MAX_LINE_CHARS)}… [+${line.length - MAX_LINE_CHARS} chars]`
    : line;
}

/** Split a unified diff into files, dropping `index` lines and clipping very long lines. */
export function splitDiff(diff: string): DiffFile[] {
  const files: DiffFile[] = [];
  let current: DiffFile | undefined;
  let inHeader = false;
  for (const raw of diff.split('\n')) {
    if (raw.startsWith('diff --git ')) {
      const bPath = raw.lastIndexOf(' b/');
      current = { path: bPath >= 0 ? raw.slice(bPath + 3) : raw.slice(11), lines: [] };
      files.push(current);
      inHeader = true;
    }
    if (!current) continue;
    if (inHeader) {
      if (raw.startsWith('@@')) inHeader = false;
      else if (raw.startsWith('index ')) continue;
      else if (raw.startsWith('+++ ') && raw !== '+++ /dev/null') current.path = raw.slice(4).replace(/^b\//, '');
    }
    current.lines.push(clip(raw));
  }
  const last = files.at(-1)?.lines;
  while (last?.length && last.at(-1) === '') last.pop();
  return files;
}

/** The per-file patches of a REST answer (commit files), each under a `--- path` line. */
export function patchFiles(files: { filename: string; patch?: string }[]): DiffFile[] {
  return files.map((f) => ({
    path: f.filename,
    lines: [`--- ${f.filename}`, ...(f.patch ? f.patch.split('\n') : ['(no patch: binary or too large)'])].map(clip),
  }));
}

/**
 * Share `budget` lines fairly between files: small files are shown whole, large ones are cut evenly
 * (water-filling); files that would get less than a few lines are omitted and only named.
 */
export function shareLines(sizes: number[], budget: number, minLines = 4): number[] {
  const order = sizes.map((size, i) => ({ size, i })).sort((a, b) => a.size - b.size);
  const shares = new Array<number>(sizes.length).fill(0);
  let left = budget;
  order.forEach(({ size, i }, k) => {
    const fair = Math.floor(left / (order.length - k));
    const share = Math.min(size, fair);
    if (share < Math.min(size, minLines)) return;
    shares[i] = share;
    left -= share;
  });
  return shares;
}

export interface FittedDiff {
  /** The diff text to show (to be fenced by the caller): at most maxLines lines, cut marks included. */
  text: string;
  /** Diff lines shown, and in all. */
  shown: number;
  total: number;
  /** Files shown in part, `path (shown of total)`, and files left out, `path (lines)`. */
  cut: string[];
  omitted: string[];
}

/**
 * All files when they fit in `maxLines`, else each file's fair share (shareLines). A cut file ends in a
 * `⋯ [N more lines of PATH cut]` mark, which counts against its share so the text stays within maxLines.
 */
export function fitDiff(files: DiffFile[], maxLines: number): FittedDiff {
  const total = files.reduce((n, f) => n + f.lines.length, 0);
  if (total <= maxLines) {
    return { text: files.flatMap((f) => f.lines).join('\n'), shown: total, total, cut: [], omitted: [] };
  }
  const shares = shareLines(
    files.map((f) => f.lines.length),
    maxLines,
  );
  const out: string[] = [];
  const cut: string[] = [];
  const omitted: string[] = [];
  let shown = 0;
  files.forEach((f, i) => {
    const share = shares[i] ?? 0;
    const name = oneLine(f.path, 300);
    if (share === 0) {
      omitted.push(`${name} (${f.lines.length})`);
      return;
    }
    const kept = share < f.lines.length ? share - 1 : share;
    out.push(...f.lines.slice(0, kept));
    shown += kept;
    if (kept < f.lines.length) {
      out.push(`⋯ [${f.lines.length - kept} more lines of ${name} cut]`);
      cut.push(`${name} (${kept} of ${f.lines.length})`);
    }
  });
  return { text: out.join('\n'), shown, total, cut, omitted };
}

/** At most `max` names, then how many more (and where to see them all, if given). */
export function listSome(names: string[], where = '', max = 40): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more${where ? ` (${where})` : ''}`;
}

export interface BoundedDiff {
  /** One line: what is shown out of what. */
  summary: string;
  /** The diff text to show (to be fenced by the caller). */
  text: string;
  /** What was cut and how to get the rest. */
  notes: string[];
}

/**
 * A PR's unified diff within maxLines: the files fairly shared, or with `path` one file paged by `cursor`
 * (the line offset to start at).
 */
export function boundDiff(diff: string, opts: { maxLines: number; path?: string; cursor?: string }): BoundedDiff {
  const files = splitDiff(diff);
  if (opts.path) return pageFile(files, opts.path, opts.maxLines, opts.cursor);
  const fitted = fitDiff(files, opts.maxLines);
  const summary = `${count(files.length, 'file')}, ${count(fitted.total, 'line')}`;
  if (fitted.shown === fitted.total) return { summary, text: fitted.text, notes: [] };
  const notes = [`Diff cut to ${fitted.shown} of ${fitted.total} lines.`];
  if (fitted.cut.length) notes.push(`Cut (lines shown of total): ${listSome(fitted.cut, 'see part=files')}.`);
  if (fitted.omitted.length) notes.push(`Omitted (lines): ${listSome(fitted.omitted, 'see part=files')}.`);
  notes.push('Read one file whole with path (cursor pages through it), or raise max_lines.');
  return { summary, text: fitted.text, notes: [notes.join(' ')] };
}

function pageFile(files: DiffFile[], path: string, maxLines: number, cursor: string | undefined): BoundedDiff {
  const wanted = path.replace(/^\/+/, '');
  const file = files.find((f) => f.path === wanted) ?? files.find((f) => f.path.endsWith(`/${wanted}`));
  if (!file) {
    const names = files.slice(0, 50).map((f) => oneLine(f.path, 300));
    return {
      summary: `no file ${oneLine(path, 300)} in this diff`,
      text: '',
      notes: [`Files in the diff (${files.length}): ${names.join(', ')}${files.length > names.length ? ', …' : ''}`],
    };
  }
  const name = oneLine(file.path, 300);
  const size = file.lines.length;
  const offset = Math.max(0, Number.parseInt(cursor ?? '0', 10) || 0);
  if (offset >= size) {
    return { summary: `${name} has ${count(size, 'diff line')}; nothing after line ${offset}`, text: '', notes: [] };
  }
  const end = Math.min(size, offset + maxLines);
  return {
    summary: `${name}, lines ${offset + 1}-${end} of ${size}`,
    text: file.lines.slice(offset, end).join('\n'),
    notes: end < size ? [`(lines ${offset + 1}-${end} of ${size}; more with cursor="${end}")`] : [],
  };
}
