/**
 * File contents for the seeded repositories. Plain text written out here (code reads like code, so search
 * and diffs look real); the big files are generated deterministically at start-up.
 */

const KINDS = [
  ['button', 'button', 'button', true],
  ['link', 'a', 'link', true],
  ['text', 'span', 'text', false],
  ['heading', 'h2', 'heading', false],
  ['image', 'img', 'img', false],
  ['input', 'input', 'textbox', true],
  ['checkbox', 'input', 'checkbox', true],
  ['radio', 'input', 'radio', true],
  ['select', 'select', 'combobox', true],
  ['slider', 'input', 'slider', true],
  ['switch', 'button', 'switch', true],
  ['tab', 'button', 'tab', true],
  ['tablist', 'div', 'tablist', false],
  ['panel', 'section', 'region', false],
  ['dialog', 'dialog', 'dialog', true],
  ['tooltip', 'div', 'tooltip', false],
  ['menu', 'ul', 'menu', false],
  ['menuitem', 'li', 'menuitem', true],
  ['list', 'ul', 'list', false],
  ['listitem', 'li', 'listitem', false],
  ['table', 'table', 'table', false],
  ['row', 'tr', 'row', false],
  ['cell', 'td', 'cell', false],
  ['progress', 'progress', 'progressbar', false],
  ['meter', 'meter', 'meter', false],
  ['badge', 'span', 'status', false],
  ['alert', 'div', 'alert', false],
  ['banner', 'header', 'banner', false],
  ['footer', 'footer', 'contentinfo', false],
  ['nav', 'nav', 'navigation', false],
  ['search', 'form', 'search', false],
  ['spinner', 'div', 'progressbar', false],
  ['avatar', 'img', 'img', false],
  ['card', 'article', 'article', false],
  ['divider', 'hr', 'separator', false],
  ['chip', 'span', 'button', true],
  ['breadcrumb', 'nav', 'navigation', false],
  ['pagination', 'nav', 'navigation', false],
  ['stepper', 'ol', 'list', false],
  ['toast', 'div', 'status', false],
  ['accordion', 'div', 'group', false],
  ['tree', 'ul', 'tree', false],
  ['treeitem', 'li', 'treeitem', true],
  ['grid', 'div', 'grid', false],
  ['toolbar', 'div', 'toolbar', false],
  ['figure', 'figure', 'figure', false],
] as const;

const kindLines = KINDS.map(
  ([kind, tag, role, focusable]) => `  ${kind}: { tag: '${tag}', role: '${role}', focusable: ${focusable} },`,
).join('\n');

export const INDEX_TS = `/**
 * @acme/widgets: a tiny, dependency-free widget toolkit.
 *
 * Widgets are plain objects laid out on a grid and rendered to HTML strings. The registry maps widget kinds
 * to the element, ARIA role and focus behaviour used when rendering.
 */
import { formatLabel, formatNumber } from './utils/format.js';
import { Widget, type WidgetOptions } from './widget.js';

export { Widget };
export type { WidgetOptions };

export interface KindSpec {
  tag: string;
  role: string;
  focusable: boolean;
}

/** Built-in widget kinds. */
export const BUILTIN_KINDS: Record<string, KindSpec> = {
${kindLines}
};

export interface GridOptions {
  columns: number;
  gap: number;
  padding: number;
}

export const DEFAULT_GRID: GridOptions = { columns: 12, gap: 8, padding: 16 };

export interface Cell {
  row: number;
  column: number;
  span: number;
  widget: Widget;
}

/** Place widgets left to right, wrapping to a new row when the next one does not fit. */
export function layout(widgets: Widget[], options: GridOptions = DEFAULT_GRID): Cell[] {
  const cells: Cell[] = [];
  let row = 0;
  let column = 0;
  for (const widget of widgets) {
    const span = Math.min(widget.span, options.columns);
    if (column + span >= options.columns) {
      row += 1;
      column = 0;
    }
    cells.push({ row, column, span, widget });
    column += span;
  }
  return cells;
}

export function renderCell(cell: Cell): string {
  const spec = BUILTIN_KINDS[cell.widget.kind];
  if (!spec) {
    throw new Error('unknown widget kind: ' + cell.widget.kind);
  }
  const label = formatLabel(cell.widget.label);
  const attrs = ['role="' + spec.role + '"', 'data-row="' + cell.row + '"', 'data-col="' + cell.column + '"'];
  if (spec.focusable) {
    attrs.push('tabindex="0"');
  }
  const style = 'grid-column: span ' + cell.span;
  return '<' + spec.tag + ' ' + attrs.join(' ') + ' style="' + style + '">' + label + '</' + spec.tag + '>';
}

export function render(widgets: Widget[], options: GridOptions = DEFAULT_GRID): string {
  const cells = layout(widgets, options);
  const body = cells.map(renderCell).join('\\n');
  const style = 'gap: ' + options.gap + 'px; padding: ' + options.padding + 'px';
  return '<div class="acme-grid" style="' + style + '">\\n' + body + '\\n</div>';
}

/** Count widgets by kind, e.g. "button: 3, text: 12". */
export function summary(widgets: Widget[]): string {
  const counts = new Map<string, number>();
  for (const w of widgets) {
    counts.set(w.kind, (counts.get(w.kind) ?? 0) + 1);
  }
  return [...counts].map(([kind, n]) => kind + ': ' + formatNumber(n)).join(', ');
}

export interface ValidationIssue {
  index: number;
  message: string;
}

/** Check widgets before rendering: known kinds, sane spans, unique ids. */
export function validate(widgets: Widget[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  widgets.forEach((w, index) => {
    if (!BUILTIN_KINDS[w.kind]) {
      issues.push({ index, message: 'unknown kind ' + w.kind });
    }
    if (w.span < 1 || w.span > DEFAULT_GRID.columns) {
      issues.push({ index, message: 'span out of range: ' + w.span });
    }
    if (seen.has(w.id)) {
      issues.push({ index, message: 'duplicate id ' + w.id });
    }
    seen.add(w.id);
  });
  return issues;
}

/** Serialize widgets to JSON that \`deserialize\` accepts. */
export function serialize(widgets: Widget[]): string {
  return JSON.stringify(widgets.map((w) => w.toJSON()));
}

export function deserialize(json: string): Widget[] {
  const raw = JSON.parse(json) as WidgetOptions[];
  return raw.map((o) => new Widget(o));
}
`;

export const WIDGET_TS = `export interface WidgetOptions {
  id: string;
  kind: string;
  label?: string;
  span?: number;
  disabled?: boolean;
}

type Listener = (widget: Widget) => void;

/** A single widget: identity, kind, label and how many grid columns it spans. */
export class Widget {
  readonly id: string;
  readonly kind: string;
  label: string;
  span: number;
  disabled: boolean;
  private listeners: Listener[] = [];

  constructor(options: WidgetOptions) {
    this.id = options.id;
    this.kind = options.kind;
    this.label = options.label ?? '';
    this.span = options.span ?? 1;
    this.disabled = options.disabled ?? false;
  }

  onChange(listener: Listener): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  update(patch: Partial<Pick<WidgetOptions, 'label' | 'span' | 'disabled'>>): void {
    if (patch.label !== undefined) this.label = patch.label;
    if (patch.span !== undefined) this.span = patch.span;
    if (patch.disabled !== undefined) this.disabled = patch.disabled;
    for (const l of this.listeners) l(this);
  }

  toJSON(): WidgetOptions {
    return { id: this.id, kind: this.kind, label: this.label, span: this.span, disabled: this.disabled };
  }
}
`;

export const FORMAT_TS = `/** Trim, collapse whitespace and escape a label for HTML. */
export function formatLabel(label: string): string {
  return label
    .trim()
    .replace(/\\s+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Group thousands with commas: 1234567 -> "1,234,567". */
export function formatNumber(n: number): string {
  const [int, frac] = String(n).split('.');
  const grouped = int.replace(/\\B(?=(\\d{3})+(?!\\d))/g, ',');
  return frac ? grouped + '.' + frac : grouped;
}

export function formatPercent(ratio: number, digits = 0): string {
  return (ratio * 100).toFixed(digits) + '%';
}
`;

export const RETRY_TS = `export interface RetryOptions {
  attempts: number;
  delayMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Run \`fn\` until it succeeds or \`attempts\` runs out, waiting \`delayMs\` between tries. */
export async function retry<T>(fn: () => Promise<T>, options: RetryOptions = { attempts: 3, delayMs: 100 }): Promise<T> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    try {
      return await fn();
    } catch (err) {
      lastError = err;
      if (attempt < options.attempts) {
        await sleep(options.delayMs);
      }
    }
  }
  throw lastError;
}
`;

export const WIDGET_TEST_TS = `import { describe, expect, it } from 'vitest';
import { layout, render, Widget } from '../src/index.js';

describe('Widget', () => {
  it('defaults span to 1', () => {
    expect(new Widget({ id: 'a', kind: 'button' }).span).toBe(1);
  });

  it('notifies listeners on update', () => {
    const w = new Widget({ id: 'a', kind: 'text' });
    let calls = 0;
    w.onChange(() => calls++);
    w.update({ label: 'hi' });
    expect(calls).toBe(1);
  });
});

describe('layout', () => {
  it('wraps rows', () => {
    const widgets = [1, 2, 3].map((i) => new Widget({ id: String(i), kind: 'card', span: 6 }));
    expect(layout(widgets).map((c) => c.row)).toEqual([0, 0, 1]);
  });

  it('renders a grid', () => {
    expect(render([new Widget({ id: 'x', kind: 'button', label: 'Go' })])).toContain('role="button"');
  });
});
`;

export const FORMAT_TEST_TS = `import { describe, expect, it } from 'vitest';
import { formatLabel, formatNumber } from '../src/utils/format.js';

describe('formatLabel', () => {
  it('escapes html', () => {
    expect(formatLabel(' <b>hi</b> ')).toBe('&lt;b&gt;hi&lt;/b&gt;');
  });
});

describe('formatNumber', () => {
  it('groups thousands', () => {
    expect(formatNumber(1234567)).toBe('1,234,567');
  });
});
`;

export const README_MD = `# @acme/widgets

A tiny, dependency-free widget toolkit: lay widgets out on a grid and render them to HTML.

## Usage

\`\`\`ts
import { render, Widget } from '@acme/widgets';

const html = render([
  new Widget({ id: 'save', kind: 'button', label: 'Save', span: 2 }),
  new Widget({ id: 'title', kind: 'heading', label: 'Settings', span: 10 }),
]);
\`\`\`

## Widget kinds

Every kind maps to an element and an ARIA role; see \`BUILTIN_KINDS\` in \`src/index.ts\`.

## License

MIT
`;

export const LICENSE = `MIT License

Copyright (c) 2024 Acme Corp

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`;

export function packageJson(version: string, vitest = '^1.6.0', typescript = '^5.4.5'): string {
  return `{
  "name": "@acme/widgets",
  "version": "${version}",
  "description": "A tiny, dependency-free widget toolkit",
  "type": "module",
  "main": "dist/index.js",
  "types": "dist/index.d.ts",
  "files": ["dist"],
  "scripts": {
    "build": "tsc -p tsconfig.json",
    "test": "vitest run",
    "lint": "eslint src test"
  },
  "devDependencies": {
    "eslint": "^8.57.0",
    "typescript": "${typescript}",
    "vitest": "${vitest}"
  },
  "license": "MIT"
}
`;
}

export const TSCONFIG = `{
  "compilerOptions": {
    "target": "es2022",
    "module": "nodenext",
    "moduleResolution": "nodenext",
    "declaration": true,
    "outDir": "dist",
    "strict": true
  },
  "include": ["src"]
}
`;

export const GITIGNORE = `node_modules/
dist/
coverage/
*.log
.DS_Store
`;

export const CI_YML = `name: CI

on:
  push:
    branches: [main]
  pull_request:
  workflow_dispatch:

jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - run: npm run lint

  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        node: [20, 22]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: \${{ matrix.node }}
          cache: npm
      - run: npm ci
      - run: npm test

  build:
    runs-on: ubuntu-latest
    needs: [lint, test]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm ci
      - run: npm run build
`;

export const RELEASE_YML = `name: Release

on:
  push:
    tags: ['v*']

permissions:
  contents: write
  id-token: write

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          registry-url: https://registry.npmjs.org
      - run: npm ci
      - run: npm run build
  publish:
    runs-on: ubuntu-latest
    needs: build
    steps:
      - uses: actions/checkout@v4
      - run: npm publish --provenance
        env:
          NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}
`;

export const NIGHTLY_YML = `name: Nightly

on:
  schedule:
    - cron: '0 3 * * *'
  workflow_dispatch:

jobs:
  e2e:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 22
      - run: npm ci
      - run: npm run test -- --project e2e
`;

export const GUIDE_MD = `# User guide

## Installing

\`\`\`sh
npm install @acme/widgets
\`\`\`

## Laying out widgets

Widgets are placed left to right on a 12-column grid. A widget that does not fit on the current row wraps
to the next one. Use \`span\` to make a widget wider.

## Rendering

\`render(widgets)\` returns an HTML string. Each widget gets the ARIA role of its kind and focusable kinds
get \`tabindex="0"\`.

## Retrying data loads

\`retry(fn, { attempts, delayMs })\` re-runs a failing async function; use it around network loads that feed
your widgets.
`;

export function changelog(entries: Array<[version: string, date: string, notes: string[]]>): string {
  const parts = ['# Changelog', ''];
  for (const [version, date, notes] of entries) {
    parts.push(`## ${version} (${date})`, '', ...notes.map((n) => `- ${n}`), '');
  }
  return parts.join('\n');
}

/** Tiny deterministic PRNG (mulberry32): big fixture files without shipping them. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deterministic fixture text is the same for every sandbox in a process: build it once. */
const memo = new Map<string, string>();
function once(key: string, make: () => string): string {
  let v = memo.get(key);
  if (v === undefined) {
    v = make();
    memo.set(key, v);
  }
  return v;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
/** Fixed-point text for an integer count of thousandths (12345 -> "12.345"), without float formatting. */
const milli = (n: number): string => `${Math.floor(n / 1000)}.${pad(n % 1000, 3)}`;

/** data/fixtures.json: ~110 KB of widget fixtures (a normal-size file that still needs truncating). */
export function fixturesJson(): string {
  return once('fixtures', () => {
    const rand = prng(7);
    const rows: string[] = [];
    for (let i = 0; i < 1100; i++) {
      const kind = KINDS[(rand() * KINDS.length) | 0]![0];
      const span = 1 + ((rand() * 12) | 0);
      rows.push(
        '  {"id": "w' +
          pad(i, 5) +
          '", "kind": "' +
          kind +
          '", "label": "Fixture widget ' +
          i +
          '", "span": ' +
          span +
          ', "disabled": ' +
          (rand() < 0.1) +
          '}',
      );
    }
    return '[\n' + rows.join(',\n') + '\n]\n';
  });
}

/**
 * data/big-dataset.csv: ~1.2 MB, over the 1 MB limit of the contents API's JSON representation. A block of
 * 240 sample rows repeated natively (Buffer fill): generating 20k distinct rows costs tens of milliseconds
 * of cold start, which `--sandbox` cannot afford.
 */
export function bigDatasetCsv(): Buffer {
  if (datasetMemo) return datasetMemo;
  const rand = prng(42);
  const rows: string[] = [];
  for (let i = 0; i < 240; i++) {
    const kind = KINDS[i % KINDS.length]![0];
    const ts = '2024-01-01T' + pad(Math.floor(i / 60), 2) + ':' + pad(i % 60, 2) + ':00.000Z';
    const r = (rand() * 20000) | 0;
    const l = (rand() * 5000) | 0;
    rows.push(
      ts +
        ',w' +
        pad(i, 5) +
        ',' +
        kind +
        ',' +
        milli(r) +
        ',' +
        milli(l) +
        ',' +
        (1 + (i % 48)) +
        ',' +
        ((rand() * 90000) | 0),
    );
  }
  const header = Buffer.from('timestamp,widget_id,kind,render_ms,layout_ms,cells,bytes\n');
  const block = Buffer.from(rows.join('\n') + '\n');
  const out = Buffer.allocUnsafe(header.length + block.length * 80);
  header.copy(out, 0);
  out.fill(block, header.length);
  datasetMemo = out;
  return out;
}
let datasetMemo: Buffer | undefined;

/** A generated file whose blob SHA and size are known up front, so start-up need not build or hash it. */
export interface LazyFile {
  sha: string;
  size: number;
  make: () => Buffer;
}

/** Both checked against a fresh hash of the generated bytes by the sandbox tests. */
export const FIXTURES_FILE: LazyFile = {
  sha: 'ee7ae26abceda43bbf91b1e1f1eece373292072f',
  size: 108_770,
  make: () => Buffer.from(fixturesJson()),
};
export const BIG_DATASET_FILE: LazyFile = {
  sha: 'ef1fdd46a4fd0687aea0b2e91ba44801ecc4437f',
  size: 1_151_337,
  make: bigDatasetCsv,
};

/** docs/images/logo.png: a small PNG (binary content with NUL bytes). */
export function logoPng(): Buffer {
  const rand = prng(1);
  const body = Buffer.alloc(2048);
  for (let i = 0; i < body.length; i++) body[i] = Math.floor(rand() * 256);
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = Buffer.from([
    0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 64, 0, 0, 0, 64, 8, 6, 0, 0, 0, 0xaa, 0x69, 0x71, 0xde,
  ]);
  const idatLen = Buffer.alloc(4);
  idatLen.writeUInt32BE(body.length);
  const iend = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
  return Buffer.concat([sig, ihdr, idatLen, Buffer.from('IDAT'), body, Buffer.from([0, 0, 0, 0]), iend]);
}

export const THEME_TS = `export interface Theme {
  name: string;
  background: string;
  foreground: string;
  accent: string;
}

export const LIGHT: Theme = { name: 'light', background: '#ffffff', foreground: '#1f2328', accent: '#0969da' };

let current: Theme = LIGHT;

export function setTheme(theme: Theme): void {
  current = theme;
}

export function currentTheme(): Theme {
  return current;
}

export function themeStyle(theme: Theme = current): string {
  return '--acme-bg: ' + theme.background + '; --acme-fg: ' + theme.foreground + '; --acme-accent: ' + theme.accent;
}
`;

export const PLUGINS_TS = `import type { KindSpec } from './index.js';

/** A plugin adds widget kinds and may post-process rendered HTML. */
export interface Plugin {
  name: string;
  kinds?: Record<string, KindSpec>;
  afterRender?: (html: string) => string;
}

const plugins = new Map<string, Plugin>();

export function registerPlugin(plugin: Plugin): void {
  if (plugins.has(plugin.name)) {
    throw new Error('plugin already registered: ' + plugin.name);
  }
  plugins.set(plugin.name, plugin);
}

export function unregisterPlugin(name: string): boolean {
  return plugins.delete(name);
}

export function pluginKinds(): Record<string, KindSpec> {
  const out: Record<string, KindSpec> = {};
  for (const p of plugins.values()) Object.assign(out, p.kinds);
  return out;
}

export function applyAfterRender(html: string): string {
  let out = html;
  for (const p of plugins.values()) {
    if (p.afterRender) out = p.afterRender(out);
  }
  return out;
}
`;

export const PLUGINS_TEST_TS = `import { describe, expect, it } from 'vitest';
import { pluginKinds, registerPlugin, unregisterPlugin } from '../src/plugins.js';

describe('plugins', () => {
  it('registers kinds', () => {
    registerPlugin({ name: 'charts', kinds: { chart: { tag: 'canvas', role: 'img', focusable: false } } });
    expect(pluginKinds().chart?.tag).toBe('canvas');
    expect(unregisterPlugin('charts')).toBe(true);
  });
});
`;

export const PLUGINS_MD = `# Plugins

Plugins add widget kinds and can post-process the rendered HTML.

\`\`\`ts
import { registerPlugin } from '@acme/widgets/plugins';

registerPlugin({
  name: 'charts',
  kinds: { chart: { tag: 'canvas', role: 'img', focusable: false } },
});
\`\`\`
`;

export const CANVAS_TS = `/** Experimental: draw widgets onto a canvas instead of producing HTML. */
export function drawGrid(ctx: CanvasRenderingContext2D, columns: number, width: number): void {
  const step = width / columns;
  for (let i = 0; i <= columns; i++) {
    ctx.moveTo(i * step, 0);
    ctx.lineTo(i * step, ctx.canvas.height);
  }
  ctx.stroke();
}
`;

export const RETRY_TEST_TS = `import { describe, expect, it } from 'vitest';
import { retry } from '../src/utils/retry.js';

describe('retry', () => {
  it('backs off between attempts', async () => {
    let calls = 0;
    const result = await retry(
      async () => {
        calls++;
        if (calls < 3) throw new Error('flaky');
        return 'ok';
      },
      { attempts: 3, delayMs: 1, factor: 2 },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });
});
`;

/** Files of acme/sandbox-playground: a scratch repository meant for writes. */
export const PLAYGROUND_FILES: Record<string, string> = {
  'README.md': `# sandbox-playground

Scratch space for trying things out. Anything here may be overwritten.
`,
  'notes/todo.md': `# TODO

- [ ] try the API
- [ ] open a pull request
`,
  'hello.py': `def greet(name: str) -> str:
    return f"Hello, {name}!"


if __name__ == "__main__":
    print(greet("world"))
`,
};

/** Files of acme/private-infra (private). */
export const INFRA_FILES: Record<string, string> = {
  'README.md': `# private-infra

Terraform for Acme's production infrastructure. Internal only.
`,
  'terraform/main.tf': `terraform {
  required_version = ">= 1.6"
}

provider "aws" {
  region = var.region
}

module "widgets_cdn" {
  source      = "./modules/cdn"
  domain_name = "widgets.acme.example"
}
`,
  'terraform/variables.tf': `variable "region" {
  type    = string
  default = "eu-west-1"
}
`,
  'terraform/modules/cdn/main.tf': `variable "domain_name" {
  type = string
}

resource "aws_cloudfront_distribution" "this" {
  enabled = true
  aliases = [var.domain_name]
}
`,
};

/** Files of octocat/hello-world (a user-owned repository). */
export const HELLO_FILES: Record<string, string> = {
  README: `Hello World!
`,
  'hello.js': `console.log('Hello, World!');
`,
};
