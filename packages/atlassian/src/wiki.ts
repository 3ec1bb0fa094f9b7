/**
 * Jira wiki markup (the "Text Formatting Notation" of Jira Data Center / Server REST v2 text fields) to and
 * from Markdown (core's dialect).
 *
 * Wiki → Markdown parses blocks line by line and inline text with a small scanner into an mdast tree, then
 * serialises it with core's stringifyMarkdown, so Markdown escaping is the library's. Markdown → wiki walks
 * core's mdast. Nothing is dropped silently; what Markdown has no syntax for is written so it converts back:
 * - underline `+x+`, superscript `^x^`, subscript `~x~`, citation `??x??`: `<ins>`, `<sup>`, `<sub>`, `<cite>`
 * - `{color:red}x{color}`: `<span style="color:red">x</span>`
 * - panels with an Atlassian panel colour (as Jira writes info, note, success, warning and error panels):
 *   `> [!INFO] Title`; other panels and unknown macros: a `[macro: name key=value]` placeholder, as storage.ts
 *   writes them (a blockquote holds a macro's body)
 * - mentions `[~name]`: `[@name](username:name)` (`[~accountid:id]`: `accountid:`); attachments `[^file]` and
 *   `!file.png|thumbnail!`: `attachment:file` links and images (image parameters in the image title)
 * Plain text is escaped only where Jira would read it as markup.
 */
import type {
  BlockContent,
  Blockquote,
  Code,
  Heading,
  Html,
  Link,
  List,
  ListItem,
  Nodes,
  Paragraph,
  PhrasingContent,
  Root,
  RootContent,
  Table,
  TableCell,
  TableRow,
} from '@switchboard-mcp/core/markdown';
import { parseMarkdown, stringifyMarkdown } from '@switchboard-mcp/core/markdown';

/** Atlassian's panel colours (what Jira writes for info, note, success, warning and error panels). */
const PANEL_COLORS: Record<string, string> = {
  '#deebff': 'INFO',
  '#eae6ff': 'NOTE',
  '#e3fcef': 'SUCCESS',
  '#fffae6': 'WARNING',
  '#ffebe6': 'ERROR',
};
/** Alert words, GitHub's included, to the panel colour they become. */
const ALERT_COLORS: Record<string, string> = {
  INFO: '#deebff',
  NOTE: '#eae6ff',
  SUCCESS: '#e3fcef',
  TIP: '#e3fcef',
  WARNING: '#fffae6',
  CAUTION: '#ffebe6',
  ERROR: '#ffebe6',
  IMPORTANT: '#eae6ff',
};

/** Phrase effects with no Markdown syntax, and the HTML element each reads as. */
const EFFECT_TAGS: Record<string, string> = { '+': 'ins', '^': 'sup', '~': 'sub', '??': 'cite' };

const isAlnum = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
const isSpace = (ch: string | undefined) => ch !== undefined && /\s/.test(ch);

type Params = [string, string][];

/** `title=A|bgColor=#fff` or `java` (the default parameter, key ''). */
function parseParams(raw: string | undefined): Params {
  if (!raw) return [];
  return raw
    .split('|')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p): [string, string] => {
      const eq = p.indexOf('=');
      return eq > 0 ? [p.slice(0, eq).trim(), p.slice(eq + 1).trim()] : ['', p];
    });
}

/** `[macro: name key=value other="two words"]`: the placeholder shape storage.ts uses. */
function placeholder(name: string, params: Params): string {
  const args = params.map(([k, v]) => {
    const value = v.replace(/"/g, "'").replace(/\s+/g, ' ');
    return ` ${k || 'default'}=${/^[^\s\]"]+$/.test(value) ? value : `"${value}"`}`;
  });
  return `[macro: ${name}${args.join('')}]`;
}

// ---------------------------------------------------------------------------------------------------------------
// Wiki → Markdown
// ---------------------------------------------------------------------------------------------------------------

/** Markdown for Jira wiki markup. Never throws on odd input. */
export function wikiToMarkdown(text: string): string {
  const lines = (text ?? '').replace(/\r\n?/g, '\n').split('\n');
  const root: Root = { type: 'root', children: blocks(lines) };
  return stringifyMarkdown(root, { emphasis: '_', tablePipeAlign: false }).trimEnd();
}

const HEADING = /^\s*h([1-6])\.(?:\s+(.*))?$/;
const RULE = /^\s*-{4,}\s*$/;
const QUOTE_LINE = /^\s*bq\.(?:\s+(.*))?$/;
const LIST_LINE = /^\s*([*#]+|-)(?:\s+(.*))?$/;
const TABLE_LINE = /^\s*\|/;
const MACRO = /\{([a-zA-Z][\w-]*)(?::([^}\n]*))?\}/y;
const MACRO_AT_START = /^\s*\{([a-zA-Z][\w-]*)(?::([^}\n]*))?\}/;
/** Macros with a body that is a block of its own wherever the opening tag starts a line. */
const BLOCK_MACROS = new Set(['code', 'noformat', 'quote', 'panel']);
/**
 * How far the scanner looks for what closes a construct: an unknown macro's closing tag (lines), an effect's
 * closing mark or a link's `]` (characters). Bounds the work on hostile input; real markup closes well within.
 */
const LOOKAHEAD_LINES = 500;
const LOOKAHEAD_CHARS = 2000;
/** Macros that live inside a line even at its start. */
const INLINE_MACROS = new Set(['color', 'anchor']);

function html(value: string): Html {
  return { type: 'html', value };
}

function text(value: string): PhrasingContent {
  return { type: 'text', value };
}

function paragraph(children: PhrasingContent[]): Paragraph {
  return { type: 'paragraph', children };
}

/** The block macro a line opens: a known one, or any other whose closing tag follows. */
function blockMacroAt(lines: string[], i: number): RegExpExecArray | null {
  const m = MACRO_AT_START.exec(lines[i] ?? '');
  if (!m) return null;
  const name = m[1]!.toLowerCase();
  if (BLOCK_MACROS.has(name)) return m;
  if (INLINE_MACROS.has(name)) return null;
  const after = [lines[i]!.slice(m[0].length), ...lines.slice(i + 1, i + LOOKAHEAD_LINES)].join('\n');
  return closingTag(name).test(after) ? m : null;
}

function closingTag(name: string): RegExp {
  return new RegExp(`\\{${name}\\}`, 'i');
}

function startsBlock(lines: string[], i: number): boolean {
  const line = lines[i] ?? '';
  return (
    HEADING.test(line) ||
    RULE.test(line) ||
    QUOTE_LINE.test(line) ||
    LIST_LINE.test(line) ||
    TABLE_LINE.test(line) ||
    blockMacroAt(lines, i) !== null
  );
}

/** Block content of wiki lines (the array is consumed: a closing tag's line may be rewritten). */
function blocks(lines: string[]): BlockContent[] {
  const out: BlockContent[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (!line.trim()) {
      i++;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      out.push({ type: 'heading', depth: Number(heading[1]) as Heading['depth'], children: inline(heading[2] ?? '') });
      i++;
      continue;
    }
    if (RULE.test(line)) {
      out.push({ type: 'thematicBreak' });
      i++;
      continue;
    }
    const quote = QUOTE_LINE.exec(line);
    if (quote) {
      out.push({ type: 'blockquote', children: [paragraph(inline(quote[1] ?? ''))] });
      i++;
      continue;
    }
    if (blockMacroAt(lines, i)) {
      const read = macroBlock(lines, i);
      out.push(...read.nodes);
      i = read.next;
      continue;
    }
    if (LIST_LINE.test(line)) {
      const read = list(lines, i);
      out.push(...read.nodes);
      i = read.next;
      continue;
    }
    if (TABLE_LINE.test(line)) {
      const read = table(lines, i);
      out.push(read.node);
      i = read.next;
      continue;
    }
    const para = [line.trim()];
    i++;
    while (i < lines.length && lines[i]!.trim() && !startsBlock(lines, i)) para.push(lines[i++]!.trim());
    const children = inline(para.join('\n'));
    if (children.length) out.push(paragraph(children));
  }
  return out;
}

/** A macro with a body starting at line i: its nodes and the line to go on from. */
function macroBlock(lines: string[], i: number): { nodes: BlockContent[]; next: number } {
  const m = blockMacroAt(lines, i)!;
  const name = m[1]!.toLowerCase();
  const params = parseParams(m[2]);
  const close = closingTag(m[1]!);
  let body = '';
  let j = i;
  let col = m.index + m[0].length;
  let next = lines.length;
  while (j < lines.length) {
    const seg = lines[j]!.slice(col);
    const found = close.exec(seg);
    if (found) {
      body += seg.slice(0, found.index);
      const after = seg.slice(found.index + found[0].length);
      if (after.trim()) {
        lines[j] = after;
        next = j;
      } else next = j + 1;
      break;
    }
    body += `${seg}\n`;
    j++;
    col = 0;
  }
  if (name === 'code' || name === 'noformat') {
    const value = body.replace(/^[ \t]*\n/, '').replace(/\n[ \t]*$/, '');
    return { nodes: [codeNode(name, params, value)], next };
  }
  const inner = blocks(body.split('\n'));
  if (name === 'quote') return { nodes: [{ type: 'blockquote', children: inner }], next };
  if (name === 'panel') {
    const title = params.find(([k]) => k === 'title')?.[1];
    const color = params.find(([k]) => k.toLowerCase() === 'bgcolor')?.[1]?.toLowerCase();
    const alert = color ? PANEL_COLORS[color] : undefined;
    const plain = params.every(([k]) => k === 'title' || k.toLowerCase() === 'bgcolor');
    if (alert && plain) {
      const head = html(`[!${alert}]${title ? ` ${title}` : ''}`);
      // The alert line and the first paragraph share a paragraph, as GitHub writes alerts.
      const [first, ...others] = inner;
      const children: BlockContent[] =
        first?.type === 'paragraph'
          ? [paragraph([head, text('\n'), ...first.children]), ...others]
          : [paragraph([head]), ...inner];
      return { nodes: [{ type: 'blockquote', children }], next };
    }
  }
  const head = paragraph([html(placeholder(name, params))]);
  return { nodes: [{ type: 'blockquote', children: [head, ...inner] }], next };
}

function codeNode(name: string, params: Params, value: string): Code {
  if (name === 'noformat') return { type: 'code', lang: null, meta: null, value };
  const lang = params.find(([k]) => k === '' || k === 'language')?.[1];
  const rest = params.filter(([k, v]) => !(v === lang && (k === '' || k === 'language')));
  const meta = rest.length ? placeholder('code', rest).slice('[macro: code '.length, -1) : null;
  // Markdown has no info string without a language: `none` keeps a titled block's parameters.
  return { type: 'code', lang: lang && /^\S+$/.test(lang) ? lang : meta ? 'none' : null, meta, value };
}

interface RawItem {
  marker: string;
  text: string;
  extra: BlockContent[];
}

/** A run of list lines (with their continuation lines and attached code / quote / panel blocks). */
function list(lines: string[], start: number): { nodes: BlockContent[]; next: number } {
  const items: RawItem[] = [];
  let i = start;
  while (i < lines.length) {
    const line = lines[i]!;
    if (!line.trim()) break;
    const m = LIST_LINE.exec(line);
    if (m && !RULE.test(line)) {
      items.push({ marker: m[1]!, text: (m[2] ?? '').trim(), extra: [] });
      i++;
      continue;
    }
    const macro = blockMacroAt(lines, i);
    if (macro && BLOCK_MACROS.has(macro[1]!.toLowerCase())) {
      const read = macroBlock(lines, i);
      items[items.length - 1]!.extra.push(...read.nodes);
      i = read.next;
      continue;
    }
    if (startsBlock(lines, i)) break;
    const last = items[items.length - 1]!;
    last.text += `\n${line.trim()}`;
    i++;
  }
  return { nodes: buildLists(items), next: i };
}

function newList(ordered: boolean): List {
  return { type: 'list', ordered, start: ordered ? 1 : null, spread: false, children: [] };
}

/** Nests items by marker depth: `#*` is a bullet inside a numbered item. */
function buildLists(items: RawItem[]): List[] {
  const roots: List[] = [];
  const stack: List[] = [];
  for (const raw of items) {
    const marker = raw.marker === '-' ? '*' : raw.marker;
    const depth = marker.length;
    const ordered = marker.endsWith('#');
    stack.length = Math.min(stack.length, depth);
    while (stack.length < depth) {
      const d = stack.length;
      const kind = marker[d] === '#';
      if (d === 0) {
        const fresh = newList(kind);
        roots.push(fresh);
        stack.push(fresh);
        continue;
      }
      const parent = stack[d - 1]!;
      let host = parent.children[parent.children.length - 1];
      if (!host) {
        host = { type: 'listItem', spread: false, checked: null, children: [] };
        parent.children.push(host);
      }
      const fresh = newList(kind);
      host.children.push(fresh);
      stack.push(fresh);
    }
    let current = stack[depth - 1]!;
    if (current.ordered !== ordered) {
      // Same depth, other kind: a sibling list.
      const fresh = newList(ordered);
      if (depth === 1) roots.push(fresh);
      else {
        const parent = stack[depth - 2]!;
        parent.children[parent.children.length - 1]!.children.push(fresh);
      }
      stack[depth - 1] = fresh;
      current = fresh;
    }
    current.children.push(listItem(raw));
  }
  return roots;
}

function listItem(raw: RawItem): ListItem {
  const children = inline(raw.text);
  let checked: boolean | null = null;
  const first = children[0];
  const task = first?.type === 'text' ? /^\[( |x|X)\][ \t]+/.exec(first.value) : null;
  if (task && first?.type === 'text') {
    checked = task[1] !== ' ';
    first.value = first.value.slice(task[0].length);
  }
  const body: BlockContent[] = [paragraph(children.filter((c) => c.type !== 'text' || c.value))];
  return { type: 'listItem', spread: false, checked, children: [...body, ...raw.extra] };
}

/** Table rows starting at line i; a row not closed by `|` goes on over the next lines. */
function table(lines: string[], start: number): { node: Table; next: number } {
  const rows: { header: boolean; raw: string }[][] = [];
  let i = start;
  while (i < lines.length && TABLE_LINE.test(lines[i]!)) {
    let row = lines[i++]!.trim();
    while (!/(?<!\\)\|$/.test(row) && i < lines.length && lines[i]!.trim() && !startsBlock(lines, i)) {
      row += `\n${lines[i++]!.trim()}`;
    }
    rows.push(splitRow(row));
  }
  const width = Math.max(1, ...rows.map((r) => r.length));
  const tableRows: TableRow[] = rows.map((cells, r) => {
    const out: TableCell[] = cells.map((c) => {
      const content = cellInline(c.raw);
      const strong = c.header && r > 0 && content.length;
      return { type: 'tableCell', children: strong ? [{ type: 'strong', children: content }] : content };
    });
    while (out.length < width) out.push({ type: 'tableCell', children: [] });
    return { type: 'tableRow', children: out };
  });
  return { node: { type: 'table', align: null, children: tableRows }, next: i };
}

/** Cells of a row; `|` inside links, `{{…}}`, macros and images does not split. */
function splitRow(row: string): { header: boolean; raw: string }[] {
  const cells: { header: boolean; raw: string }[] = [];
  let i = row.indexOf('|');
  let current: { header: boolean; raw: string } | undefined;
  let depth = 0;
  while (i < row.length) {
    const ch = row[i]!;
    if (ch === '\\' && i + 1 < row.length) {
      if (current) current.raw += row.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (ch === '|' && depth === 0) {
      if (current) cells.push(current);
      const header = row[i + 1] === '|';
      current = { header, raw: '' };
      i += header ? 2 : 1;
      continue;
    }
    if (ch === '!' && depth === 0) {
      IMAGE.lastIndex = i;
      const image = IMAGE.exec(row);
      if (image && imageTarget(image[1]!)) {
        if (current) current.raw += image[0];
        i += image[0].length;
        continue;
      }
    }
    if (ch === '[' || ch === '{') depth++;
    else if ((ch === ']' || ch === '}') && depth > 0) depth--;
    if (current) current.raw += ch;
    i++;
  }
  if (current?.raw.trim()) cells.push(current);
  return cells;
}

/** A cell's content on one line: line breaks become `<br>`. */
function cellInline(raw: string): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  for (const node of inline(raw.trim())) {
    if (node.type === 'break') out.push(html('<br>'));
    else if (node.type === 'text' && node.value.includes('\n')) {
      node.value.split('\n').forEach((part, k) => {
        if (k) out.push(html('<br>'));
        if (part) out.push(text(part));
      });
    } else out.push(node);
  }
  return out;
}

// Inline ----------------------------------------------------------------------------------------------------------

const IMAGE = /!([^\s!|][^!\n]*?)!/y;
const BARE_URL = /(?:https?|ftp|file):\/\/[^\s[\]{}|<>"!\\]*[^\s[\]{}|<>"!\\.,;:?)'*_~^+-]/y;
const ENTITY = /&(?:#(\d+)|#x([0-9a-f]+)|(amp|lt|gt|quot|apos|nbsp));/iy;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const LINK_SCHEME = /^(?:[a-z][\w+.-]*:|\/|www\.|#|[A-Z][A-Z0-9_]+-\d+$)/i;

/** The image file or URL `!…!` names, or undefined when the text is not an image. */
function imageTarget(body: string): string | undefined {
  const target = body.split('|')[0]!.trim();
  return /^(?:https?|ftp|file):\/\/\S+$/.test(target) || /\.\w{2,5}$/.test(target) ? target : undefined;
}

/** Inline wiki text to mdast phrasing content. */
function inline(s: string): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  let buf = '';
  const flush = () => {
    if (buf) out.push(text(buf));
    buf = '';
  };
  const emit = (...nodes: PhrasingContent[]) => {
    flush();
    out.push(...nodes);
  };
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    const next = s[i + 1];
    if (ch === '\\') {
      if (next === '\\') {
        emit({ type: 'break' });
        i += 2;
        continue;
      }
      if (next !== undefined && !isAlnum(next) && !isSpace(next)) {
        buf += next;
        i += 2;
        continue;
      }
      buf += ch;
      i++;
      continue;
    }
    if (ch === '&') {
      ENTITY.lastIndex = i;
      const e = ENTITY.exec(s);
      if (e) {
        const code = e[1] ? Number(e[1]) : e[2] ? Number.parseInt(e[2], 16) : undefined;
        if (code === undefined || code <= 0x10ffff) {
          buf += code !== undefined ? String.fromCodePoint(code) : NAMED[e[3]!.toLowerCase()]!;
          i += e[0].length;
          continue;
        }
      }
    }
    if (ch === '{' && next === '{') {
      const end = monospaceEnd(s, i + 2);
      if (end > 0) {
        emit({ type: 'inlineCode', value: literal(s.slice(i + 2, end)).replace(/\s*\n\s*/g, ' ') });
        i = end + 2;
        continue;
      }
    }
    if (ch === '{') {
      MACRO.lastIndex = i;
      const m = MACRO.exec(s);
      if (m) {
        i += m[0].length;
        const name = m[1]!.toLowerCase();
        if (name === 'color') {
          emit(html(m[2] ? `<span style="color:${m[2].trim()}">` : '</span>'));
        } else if (name === 'code' || name === 'noformat') {
          const close = closingTag(m[1]!).exec(s.slice(i));
          const end = close ? i + close.index : s.length;
          emit({
            type: 'inlineCode',
            value: s
              .slice(i, end)
              .replace(/\s*\n\s*/g, ' ')
              .trim(),
          });
          i = close ? end + close[0].length : end;
        } else emit(html(placeholder(name, parseParams(m[2]))));
        continue;
      }
    }
    if (ch === '[') {
      const link = linkAt(s, i);
      if (link) {
        emit(link.node);
        i = link.end;
        continue;
      }
    }
    if (ch === '!') {
      IMAGE.lastIndex = i;
      const m = IMAGE.exec(s);
      const target = m ? imageTarget(m[1]!) : undefined;
      if (m && target) {
        const params = m[1]!.slice(m[1]!.indexOf('|') + 1);
        const external = /^[a-z]+:\/\//i.test(target);
        emit({
          type: 'image',
          url: external ? target : `attachment:${target}`,
          alt: external ? '' : target,
          title: m[1]!.includes('|') ? params.trim() : null,
        });
        i += m[0].length;
        continue;
      }
    }
    if ((ch === 'h' || ch === 'f') && !isAlnum(s[i - 1])) {
      BARE_URL.lastIndex = i;
      const m = BARE_URL.exec(s);
      if (m) {
        emit({ type: 'link', url: m[0], title: null, children: [text(m[0])] });
        i += m[0].length;
        continue;
      }
    }
    const effect = effectAt(s, i);
    if (effect) {
      emit(...effect.nodes);
      i = effect.end;
      continue;
    }
    buf += ch;
    i++;
  }
  flush();
  return out;
}

/** Where `}}` closes a `{{` whose content starts at `from` (escapes skipped); -1 when it does not close. */
function monospaceEnd(s: string, from: number): number {
  const limit = Math.min(s.length, from + LOOKAHEAD_CHARS);
  for (let j = from; j < limit; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === '}' && s[j + 1] === '}' && j > from) return j;
  }
  return -1;
}

/** `\X` escapes and entities decoded (code and link targets, where no markup is read). */
function literal(s: string): string {
  return s
    .replace(/\\([^\p{L}\p{N}\s])/gu, '$1')
    .replace(/&(?:#(\d+)|#x([0-9a-f]+)|(amp|lt|gt|quot|apos|nbsp));/gi, (whole, dec, hex, name) => {
      const code = dec ? Number(dec) : hex ? Number.parseInt(hex, 16) : undefined;
      if (code === undefined) return NAMED[String(name).toLowerCase()] ?? whole;
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    });
}

const EFFECT_MARKS = new Set(['*', '_', '-', '+', '^', '~', '??']);

/** A phrase effect opening at i: `*strong*`, `_em_`, `-deleted-`, `+ins+`, `^sup^`, `~sub~`, `??cite??`. */
function effectAt(s: string, i: number): { nodes: PhrasingContent[]; end: number } | undefined {
  const mark = s.startsWith('??', i) ? '??' : s[i]!;
  if (!EFFECT_MARKS.has(mark)) return undefined;
  const prev = s[i - 1];
  const first = s[i + mark.length];
  if (isAlnum(prev) || prev === mark[0] || first === undefined || isSpace(first) || first === mark[0]) {
    return undefined;
  }
  const limit = Math.min(s.length, i + LOOKAHEAD_CHARS);
  for (let j = i + mark.length + 1; j < limit; j++) {
    const ch = s[j];
    if (ch === '\n') return undefined;
    if (ch === '\\') {
      j++;
      continue;
    }
    if (!s.startsWith(mark, j) || isSpace(s[j - 1]) || isAlnum(s[j + mark.length])) continue;
    if (s[j + mark.length] === mark[0]) continue;
    const inner = inline(s.slice(i + mark.length, j));
    const end = j + mark.length;
    if (mark === '*') return { nodes: [{ type: 'strong', children: inner }], end };
    if (mark === '_') return { nodes: [{ type: 'emphasis', children: inner }], end };
    if (mark === '-') return { nodes: [{ type: 'delete', children: inner }], end };
    const tag = EFFECT_TAGS[mark]!;
    return { nodes: [html(`<${tag}>`), ...inner, html(`</${tag}>`)], end };
  }
  return undefined;
}

/** `[text|target]`, `[target]`, `[~user]`, `[^attachment]`, `[#anchor]`; undefined for `[` that is no link. */
function linkAt(s: string, i: number): { node: PhrasingContent; end: number } | undefined {
  let j = i + 1;
  const parts: string[] = [''];
  const limit = Math.min(s.length, i + LOOKAHEAD_CHARS);
  for (; j < limit; j++) {
    const ch = s[j]!;
    if (ch === '\n') return undefined;
    if (ch === '\\' && j + 1 < s.length) {
      parts[parts.length - 1] += s.slice(j, j + 2);
      j++;
      continue;
    }
    if (ch === ']') break;
    if (ch === '|') parts.push('');
    else parts[parts.length - 1] += ch;
  }
  if (j >= limit) return undefined;
  const end = j + 1;
  const label = parts.length > 1 ? parts[0]! : undefined;
  const target = literal((parts.length > 1 ? parts[1]! : parts[0]!).trim());
  if (!target) return undefined;
  const node = (url: string, fallback: string): Link => ({
    type: 'link',
    url,
    title: null,
    children: label?.trim() ? inline(label.trim()) : [text(fallback)],
  });
  if (target.startsWith('~')) {
    const user = target.slice(1);
    if (user.startsWith('accountid:')) return { node: node(user, `@${user.slice('accountid:'.length)}`), end };
    return { node: node(`username:${user}`, `@${user}`), end };
  }
  if (target.startsWith('^')) return { node: node(`attachment:${target.slice(1)}`, target.slice(1)), end };
  if (!LINK_SCHEME.test(target) || /\s/.test(target)) return undefined;
  return { node: node(target, target), end };
}

// ---------------------------------------------------------------------------------------------------------------
// Markdown → wiki
// ---------------------------------------------------------------------------------------------------------------

/** Jira wiki markup for Markdown (CommonMark + GFM); placeholders written by wikiToMarkdown become macros again. */
export function markdownToWiki(markdown: string): string {
  const root = parseMarkdown(markdown ?? '');
  return flowOut(root.children).trim();
}

const MACRO_PLACEHOLDER = /\[macro: ([\w.:-]+)((?:[ \t]+[\w.-]+=(?:"[^"\n]*"|[^\s\]"]+))*)[ \t]*\]/g;
const ALERT = /^\[!(\w+)\](?:[ \t]+([^\n]*))?(?:\n|$)/;

interface Inline {
  /** In a table cell or link text, where `|` splits. */
  pipes: boolean;
  /** In a table cell, where a line break is `\\`. */
  cell: boolean;
  /** Open `<span>`s: whether each was a colour. */
  spans: boolean[];
}

function flowOut(nodes: RootContent[]): string {
  return nodes
    .map(blockOut)
    .filter((b) => b !== '')
    .join('\n\n');
}

function mathValue(node: { type: string }, type: 'math' | 'inlineMath'): string | undefined {
  const value = (node as { value?: unknown }).value;
  return node.type === type && typeof value === 'string' ? value : undefined;
}

function blockOut(node: RootContent): string {
  const math = mathValue(node, 'math');
  if (math !== undefined) return codeOut({ type: 'code', lang: 'latex', meta: null, value: math });
  switch (node.type) {
    case 'paragraph':
      return lineStarts(phrasingOut(node.children));
    case 'heading':
      return `h${node.depth}. ${phrasingOut(node.children).replace(/\n/g, ' ')}`;
    case 'thematicBreak':
      return '----';
    case 'code':
      return codeOut(node);
    case 'blockquote':
      return quoteOut(node);
    case 'list':
      return listOut(node, '').join('\n');
    case 'table':
      return tableOut(node);
    case 'html':
      return lineStarts(escapeText(node.value, false));
    case 'definition':
      return lineStarts(escapeText(`[${node.label ?? node.identifier}]: ${node.url}`, false));
    case 'footnoteDefinition':
      return [
        lineStarts(escapeText(`[^${node.label ?? node.identifier}]:`, false)),
        flowOut(node.children as RootContent[]),
      ].join('\n');
    case 'yaml':
      return codeOut({ type: 'code', lang: null, meta: null, value: node.value });
    default: {
      if ('children' in node) return lineStarts(phrasingOut(node.children as PhrasingContent[]));
      const other = node as { value?: unknown };
      return typeof other.value === 'string' ? lineStarts(escapeText(other.value, false)) : '';
    }
  }
}

/** Parameters from a code block's meta (`title=Foo.java` or `title="Two words"`); other words are skipped. */
function metaParams(meta: string | null | undefined): string {
  if (!meta) return '';
  const pairs = [...meta.matchAll(/([\w.-]+)=(?:"([^"]*)"|(\S+))/g)].map((m) => `${m[1]}=${m[2] ?? m[3]}`);
  return pairs.map((p) => `|${p.replace(/[|}]/g, ' ')}`).join('');
}

function codeOut(node: Code): string {
  const value = node.value;
  const params = metaParams(node.meta);
  // {noformat} when there is no language; whichever tag the content does not contain.
  const useCode = (node.lang || params) && !/\{code\}/i.test(value);
  if (useCode || /\{noformat\}/i.test(value)) {
    const lang = node.lang && /^[\w#+.-]+$/.test(node.lang) ? node.lang : '';
    const head = lang || params ? `{code:${lang}${lang ? params : params.slice(1)}}` : '{code}';
    return `${head}\n${value}\n{code}`;
  }
  return `{noformat}\n${value}\n{noformat}`;
}

function quoteOut(node: Blockquote): string {
  const [first, ...rest] = node.children;
  if (first?.type === 'paragraph') {
    const head = first.children[0];
    if (head?.type === 'text' || head?.type === 'html') {
      const alert = ALERT.exec(head.value);
      const color = alert ? ALERT_COLORS[alert[1]!.toUpperCase()] : undefined;
      if (alert && color) {
        const title = alert[2]?.trim().replace(/[|}]/g, ' ');
        const remaining = head.value.slice(alert[0].length);
        const firstRest: PhrasingContent[] = [
          ...(remaining ? [{ ...head, value: remaining }] : []),
          ...first.children.slice(1),
        ];
        const body = flowOut([...(firstRest.length ? [paragraph(firstRest)] : []), ...rest]);
        return `{panel:${title ? `title=${title}|` : ''}bgColor=${color}}\n${body}\n{panel}`;
      }
      const macro = first.children.length === 1 ? new RegExp(`^${MACRO_PLACEHOLDER.source}$`).exec(head.value) : null;
      if (macro) {
        return `${macroOut(macro[1]!, macro[2]!)}\n${flowOut(rest)}\n{${macro[1]}}`;
      }
    }
    if (node.children.length === 1) {
      const line = phrasingOut(first.children);
      if (!line.includes('\n')) return `bq. ${line}`;
    }
  }
  // {quote} does not nest: a quote inside one is written as its content.
  const inner = node.children.map((c) => (c.type === 'blockquote' ? flowOut(c.children) : blockOut(c)));
  return `{quote}\n${inner.filter(Boolean).join('\n\n')}\n{quote}`;
}

/** `{name:default|key=value}` from a placeholder's name and `key=value` list. */
function macroOut(name: string, args: string): string {
  const params = [...args.matchAll(/([\w.-]+)=(?:"([^"\n]*)"|([^\s\]"]+))/g)].map((m) => {
    const value = (m[2] ?? m[3] ?? '').replace(/[|}]/g, ' ');
    return m[1] === 'default' ? value : `${m[1]}=${value}`;
  });
  const defaults = params.filter((p) => !p.includes('='));
  const named = params.filter((p) => p.includes('='));
  const all = [...defaults, ...named];
  return `{${name}${all.length ? `:${all.join('|')}` : ''}}`;
}

function listOut(node: List, prefix: string): string[] {
  const marker = prefix + (node.ordered ? '#' : '*');
  const lines: string[] = [];
  for (const item of node.children) {
    const check = item.checked === true ? '\\[x\\] ' : item.checked === false ? '\\[ \\] ' : '';
    let head = true;
    for (const child of item.children) {
      if (child.type === 'list') {
        lines.push(...listOut(child, marker));
        continue;
      }
      const out = child.type === 'paragraph' ? lineStarts(phrasingOut(child.children)) : blockOut(child);
      if (head && child.type === 'paragraph') {
        // The item's first line: a line of its own that starts with the marker.
        lines.push(`${marker} ${check}${out.replace(/^\\(?=[*#-]\s)/, '')}`);
      } else {
        if (head) lines.push(`${marker} ${check}`.trimEnd());
        lines.push(out);
      }
      head = false;
    }
    if (head) lines.push(`${marker} ${check}`.trimEnd());
  }
  return lines;
}

function tableOut(node: Table): string {
  return node.children
    .map((row: TableRow, r) => {
      const sep = r === 0 ? '||' : '|';
      const cells = row.children.map((c) => phrasingOut(c.children, { pipes: true, cell: true, spans: [] }) || ' ');
      return `${sep}${cells.join(sep)}${sep}`;
    })
    .join('\n');
}

/** Escapes what would start a block where a line of text begins. */
function lineStarts(value: string): string {
  return value
    .split('\n')
    .map((line) =>
      line
        .replace(/^(\s*)([*#-]+\s|[*#]+$|-$)/, '$1\\$2')
        .replace(/^(\s*)(h[1-6]|bq)\.(?=\s|$)/, '$1$2&#46;')
        .replace(/^(\s*)-(?=-{3,}\s*$)/, '$1\\-')
        .replace(/^(\s*)\|/, '$1\\|'),
    )
    .join('\n');
}

const MARKED = new Set(['strong', 'emphasis', 'delete']);

/**
 * Jira reads an effect only where its marks do not touch a letter or digit outside (`*bold*text` is not bold):
 * such an effect is written as its plain text, so no stray mark pairs with a later one.
 */
function phrasingOut(nodes: PhrasingContent[], ctx: Inline = { pipes: false, cell: false, spans: [] }): string {
  const parts = nodes.map((n) => inlineOut(n, ctx));
  nodes.forEach((node, i) => {
    if (!MARKED.has(node.type) || !('children' in node)) return;
    if (isAlnum(parts[i - 1]?.slice(-1)) || isAlnum(parts[i + 1]?.[0])) {
      parts[i] = phrasingOut(node.children as PhrasingContent[], ctx);
    }
  });
  return parts.join('');
}

function inlineOut(node: PhrasingContent, ctx: Inline): string {
  const math = mathValue(node, 'inlineMath');
  if (math !== undefined) return math ? `{{${escapeText(math, true)}}}` : '';
  switch (node.type) {
    case 'text':
      return textOut(node.value, ctx);
    case 'strong':
      return wrap('*', phrasingOut(node.children, ctx));
    case 'emphasis':
      return wrap('_', phrasingOut(node.children, ctx));
    case 'delete':
      return wrap('-', phrasingOut(node.children, ctx));
    case 'inlineCode':
      return node.value ? `{{${escapeText(node.value.replace(/\n/g, ' '), true)}}}` : '';
    case 'break':
      return ctx.cell ? '\\\\' : '\n';
    case 'link':
      return linkOut(node, ctx);
    case 'image':
      return imageOut(node.url, node.alt ?? '', node.title ?? null);
    case 'html':
      return htmlOut(node.value, ctx);
    case 'footnoteReference':
      return escapeText(`[^${node.label ?? node.identifier}]`, ctx.pipes);
    case 'linkReference':
      return escapeText(`[${node.children.map(plainText).join('')}]`, ctx.pipes);
    case 'imageReference':
      return escapeText(`[${node.alt ?? ''}]`, ctx.pipes);
    default: {
      const other = node as { value?: unknown; children?: PhrasingContent[] };
      if (typeof other.value === 'string') return escapeText(other.value, ctx.pipes);
      return other.children ? phrasingOut(other.children, ctx) : '';
    }
  }
}

function plainText(node: PhrasingContent | Nodes): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return (node.children as PhrasingContent[]).map(plainText).join('');
  return '';
}

/** Effect markers hug their text: surrounding whitespace moves outside, an empty effect is dropped. */
function wrap(mark: string, inner: string): string {
  const lead = /^\s*/.exec(inner)![0];
  const trail = /\s*$/.exec(inner.slice(lead.length))![0];
  const core = inner.slice(lead.length, inner.length - trail.length);
  return core ? `${lead}${mark}${core}${mark}${trail}` : inner;
}

/** Text, with `[macro: …]` placeholders turned back into macros. */
function textOut(value: string, ctx: Inline): string {
  let out = '';
  let last = 0;
  for (const m of value.matchAll(MACRO_PLACEHOLDER)) {
    out += escapeText(value.slice(last, m.index), ctx.pipes);
    out += macroOut(m[1]!, m[2]!);
    last = m.index + m[0].length;
  }
  out += escapeText(value.slice(last), ctx.pipes);
  return ctx.cell ? out.replace(/\n/g, ' ') : out;
}

const TAG_MARKS: Record<string, string> = {
  ins: '+',
  u: '+',
  sup: '^',
  sub: '~',
  cite: '??',
  del: '-',
  s: '-',
  strike: '-',
  b: '*',
  strong: '*',
  i: '_',
  em: '_',
};

function htmlOut(value: string, ctx: Inline): string {
  const tag = /^<(\/?)([a-z]+)\b([^>]*)>$/i.exec(value.trim());
  if (!tag) return escapeText(value, ctx.pipes);
  const [, closing, rawName, attrs] = tag;
  const name = rawName!.toLowerCase();
  if (name === 'br') return ctx.cell ? '\\\\' : '\n';
  const mark = TAG_MARKS[name];
  if (mark) return mark;
  if (name === 'code') return closing ? '}}' : '{{';
  if (name === 'span') {
    if (closing) return ctx.spans.pop() ? '{color}' : '';
    const color = /style\s*=\s*["'][^"']*\bcolor\s*:\s*([^;"']+)/i.exec(attrs ?? '')?.[1]?.trim();
    ctx.spans.push(color !== undefined);
    return color ? `{color:${color.replace(/[|}]/g, '')}}` : '';
  }
  return escapeText(value, ctx.pipes);
}

function linkOut(node: Link, ctx: Inline): string {
  const url = node.url;
  const label = phrasingOut(node.children, { ...ctx, pipes: true });
  const plain = node.children.map(plainText).join('');
  for (const scheme of ['username:', 'userkey:']) {
    if (url.startsWith(scheme)) return `[~${url.slice(scheme.length)}]`;
  }
  if (url.startsWith('accountid:')) return `[~${url}]`;
  if (url.startsWith('attachment:')) {
    const name = url.slice('attachment:'.length);
    return plain === name ? `[^${name}]` : `[${label}|^${name}]`;
  }
  const target = url.replace(/[|\]\s]/g, encodeURIComponent);
  if (plain === url) {
    BARE_URL.lastIndex = 0;
    const bare = BARE_URL.exec(url);
    return bare?.[0] === url ? url : `[${target}]`;
  }
  return `[${label || escapeText(url, true)}|${target}]`;
}

function imageOut(url: string, alt: string, title: string | null): string {
  const params = title ? title.replace(/[!\n]/g, ' ') : alt ? `alt=${alt.replace(/[|!,\n]/g, ' ')}` : '';
  const target = url.startsWith('attachment:') ? url.slice('attachment:'.length) : url;
  const name = url.startsWith('attachment:')
    ? target.replace(/[|!]/g, '')
    : target.replace(/[|!\s]/g, encodeURIComponent);
  if (url.startsWith('attachment:') && !title && alt === target) return `!${name}!`;
  return `!${name}${params ? `|${params}` : ''}!`;
}

const EFFECT_CHARS = new Set(['*', '_', '-', '+', '^', '~']);

/**
 * Escapes plain text where Jira would read markup: braces and brackets always, `|` where it splits (tables,
 * links), `!` before text (images), effect characters that could open or close an effect, `??`, a backslash
 * that would escape (as `&#92;`) and `&` that would start an entity.
 */
function escapeText(value: string, pipes: boolean): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    const prev = value[i - 1];
    const next = value[i + 1];
    if (ch === '\\') out += next === undefined || !(isAlnum(next) || isSpace(next)) ? '&#92;' : '\\';
    else if (ch === '{' || ch === '}' || ch === '[' || ch === ']') out += `\\${ch}`;
    else if (ch === '|') out += pipes ? '\\|' : '|';
    else if (ch === '!') out += next !== undefined && !isSpace(next) ? '\\!' : '!';
    else if (ch === '&') out += /^&(?:#\d+|#x[0-9a-f]+|\w+);/i.test(value.slice(i)) ? '&amp;' : '&';
    else if (ch === '?') out += next === '?' || prev === '?' ? '\\?' : '?';
    else if (EFFECT_CHARS.has(ch)) {
      const opens = !isAlnum(prev) && next !== undefined && !isSpace(next);
      const closes = (prev === undefined || !isSpace(prev)) && !isAlnum(next);
      out += opens || closes ? `\\${ch}` : ch;
    } else out += ch;
  }
  return out;
}
