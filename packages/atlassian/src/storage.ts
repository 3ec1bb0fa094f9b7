/**
 * Confluence storage format (XHTML with `ac:` / `ri:` elements) to and from Markdown (core's dialect).
 *
 * Storage → Markdown walks an htmlparser2 DOM into an mdast tree and serialises it with core's stringifyMarkdown,
 * so escaping is the library's. Nothing is dropped silently: every macro stays visible, either in a native form
 * (code blocks, panels as `> [!INFO]`, status lozenges as `[status: DONE (Green)]`, task lists) or as a readable
 * placeholder `[macro: name key=value]` that Markdown → storage turns back into the same macro.
 *
 * Confluence-specific links use URL schemes: `page:SPACE/Title` (`page:/Title` in the page's own space),
 * `attachment:file.png`, `user:ACCOUNT_ID` (Data Center: `userkey:KEY`, `username:NAME`), `space:KEY`.
 */
import {
  type BlockContent,
  type Code,
  type Definition,
  type Heading,
  type Html,
  type Link,
  type List,
  type ListItem,
  type Nodes,
  type Paragraph,
  type PhrasingContent,
  parseMarkdown,
  type Root,
  type RootContent,
  stringifyMarkdown,
  type Table,
  type TableCell,
  type TableRow,
} from '@switchboard-mcp/core/markdown';
import { parseDocument } from 'htmlparser2';

/** The parts of a domhandler node this module reads. */
interface DomNode {
  type: string;
  name?: string;
  attribs?: Record<string, string>;
  children?: DomNode[];
  data?: string;
}

type Flow = BlockContent;

/** Confluence's panel macros and the alert word that stands for each in Markdown. */
const PANELS: Record<string, string> = { info: 'INFO', note: 'NOTE', warning: 'WARNING', tip: 'TIP', expand: 'EXPAND' };
/** Alert words, GitHub's included, to the macro they become. */
const ALERTS: Record<string, string> = {
  INFO: 'info',
  NOTE: 'note',
  WARNING: 'warning',
  TIP: 'tip',
  EXPAND: 'expand',
  IMPORTANT: 'info',
  CAUTION: 'warning',
};
const CODE_MACROS = new Set(['code', 'noformat']);

// ---------------------------------------------------------------------------------------------------------------
// Storage → Markdown
// ---------------------------------------------------------------------------------------------------------------

export interface StorageToMarkdownOptions {
  /** Display name for a mentioned user (Cloud account id, Data Center user key); mentions read `@user` without. */
  userName?: (id: string) => string | undefined;
}

/** Options of the conversion in progress (conversion is synchronous, so one slot suffices). */
let options: StorageToMarkdownOptions = {};

/** Markdown for a storage-format body. Never throws on odd input. */
export function storageToMarkdown(xhtml: string, opts: StorageToMarkdownOptions = {}): string {
  const doc = parseDocument(xhtml, {
    recognizeCDATA: true,
    recognizeSelfClosing: true,
    lowerCaseTags: true,
    lowerCaseAttributeNames: true,
  });
  options = opts;
  try {
    const root: Root = { type: 'root', children: flow((doc.children ?? []) as unknown as DomNode[]) };
    return stringifyMarkdown(root, { emphasis: '_', tablePipeAlign: false }).trimEnd();
  } finally {
    options = {};
  }
}

/** The users a body mentions (Cloud account ids and Data Center user keys), for looking up their names. */
export function mentionedUsers(xhtml: string): string[] {
  const ids = [...xhtml.matchAll(/\bri:(?:account-id|userkey)\s*=\s*"([^"]+)"/gi)].map((m) => m[1] ?? '');
  return [...new Set(ids.filter(Boolean))];
}

function attr(node: DomNode, name: string): string | undefined {
  return node.attribs?.[name];
}

function kids(node: DomNode): DomNode[] {
  return node.children ?? [];
}

function child(node: DomNode, name: string): DomNode | undefined {
  return kids(node).find((c) => c.name === name);
}

/** Plain text of a subtree (CDATA included). */
function textOf(node: DomNode): string {
  if (node.type === 'text') return node.data ?? '';
  return kids(node).map(textOf).join('');
}

const BLOCK_TAGS = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'table',
  'blockquote',
  'pre',
  'hr',
  'div',
  'section',
  'ac:task-list',
  'ac:layout',
  'ac:layout-section',
  'ac:layout-cell',
]);

/** Macros that sit inside a line of text even when they stand alone. */
const INLINE_MACROS = new Set(['status', 'anchor', 'emoji', 'mention']);

function isMacro(node: DomNode): boolean {
  return node.name === 'ac:structured-macro' || node.name === 'ac:macro';
}

/** Block content wherever it appears: block tags, code and macros with a body. */
function isBlock(node: DomNode): boolean {
  if (node.name !== undefined && BLOCK_TAGS.has(node.name)) return true;
  if (!isMacro(node)) return false;
  const name = attr(node, 'ac:name') ?? '';
  return CODE_MACROS.has(name) || !!child(node, 'ac:rich-text-body') || !!child(node, 'ac:plain-text-body');
}

/** At flow level (not inside a paragraph) a bodiless macro such as toc is a block of its own too. */
function isFlowBlock(node: DomNode): boolean {
  return isBlock(node) || (isMacro(node) && !INLINE_MACROS.has(attr(node, 'ac:name') ?? ''));
}

/** Flow content: inline runs between blocks become paragraphs; whitespace-only runs vanish. */
function flow(nodes: DomNode[]): Flow[] {
  const out: Flow[] = [];
  let pending: DomNode[] = [];
  const flush = () => {
    const content = tidy(phrasing(pending));
    if (content.length) out.push({ type: 'paragraph', children: content });
    pending = [];
  };
  for (const node of nodes) {
    if (node.type === 'comment' || node.type === 'directive') continue;
    if (isFlowBlock(node)) {
      flush();
      out.push(...block(node));
    } else {
      pending.push(node);
    }
  }
  flush();
  return out;
}

function block(node: DomNode): Flow[] {
  const name = node.name ?? '';
  const heading = /^h([1-6])$/.exec(name);
  if (heading) {
    const children = tidy(phrasing(kids(node)));
    return children.length ? [{ type: 'heading', depth: Number(heading[1]) as Heading['depth'], children }] : [];
  }
  switch (name) {
    case 'p': {
      // A paragraph holding block content (a macro, a list) is flow, not a paragraph.
      if (kids(node).some(isBlock)) return flow(kids(node));
      const children = tidy(phrasing(kids(node)));
      return children.length ? [{ type: 'paragraph', children }] : [];
    }
    case 'ul':
    case 'ol':
      return [list(node)];
    case 'ac:task-list':
      return [taskList(node)];
    case 'table':
      return [table(node)];
    case 'blockquote':
      return [{ type: 'blockquote', children: flow(kids(node)) }];
    case 'pre':
      return [{ type: 'code', lang: null, meta: null, value: textOf(node).replace(/\n$/, '') }];
    case 'hr':
      return [{ type: 'thematicBreak' }];
    case 'ac:structured-macro':
    case 'ac:macro':
      return macroBlock(node);
    default:
      return flow(kids(node));
  }
}

function list(node: DomNode): List {
  const start = Number(attr(node, 'start') ?? '1');
  const items: ListItem[] = kids(node)
    .filter((c) => c.name === 'li')
    .map((li) => ({ type: 'listItem', spread: false, checked: null, children: listContent(flow(kids(li))) }));
  return {
    type: 'list',
    ordered: node.name === 'ol',
    start: node.name === 'ol' && Number.isFinite(start) ? start : null,
    spread: false,
    children: items,
  };
}

/** A list item needs at least one child to serialise as one. */
function listContent(blocks: Flow[]): Flow[] {
  return blocks.length ? blocks : [{ type: 'paragraph', children: [] }];
}

function taskList(node: DomNode): List {
  const items: ListItem[] = kids(node)
    .filter((c) => c.name === 'ac:task')
    .map((task) => {
      const status = textOf(child(task, 'ac:task-status') ?? { type: 'tag' }).trim();
      const body = child(task, 'ac:task-body');
      const nested = kids(task).filter((c) => c.name === 'ac:task-list');
      return {
        type: 'listItem',
        spread: false,
        checked: status === 'complete',
        children: listContent([...flow(body ? kids(body) : []), ...nested.map(taskList)]),
      };
    });
  return { type: 'list', ordered: false, start: null, spread: false, children: items };
}

function table(node: DomNode): Table {
  const rows: DomNode[] = [];
  const collect = (n: DomNode) => {
    for (const c of kids(n)) {
      if (c.name === 'tr') rows.push(c);
      else if (c.name === 'thead' || c.name === 'tbody' || c.name === 'tfoot') collect(c);
    }
  };
  collect(node);
  const cells = rows.map((tr) =>
    kids(tr)
      .filter((c) => c.name === 'td' || c.name === 'th')
      .map((cell): TableCell => ({ type: 'tableCell', children: cellContent(flow(kids(cell))) })),
  );
  const width = Math.max(1, ...cells.map((r) => r.length));
  const tableRows: TableRow[] = (cells.length ? cells : [[]]).map((r) => {
    while (r.length < width) r.push({ type: 'tableCell', children: [] });
    return { type: 'tableRow', children: r };
  });
  return { type: 'table', align: null, children: tableRows };
}

/** Table cells hold one line: blocks are joined with `<br>`, list items keep their bullets. */
function cellContent(blocks: Flow[]): PhrasingContent[] {
  const lines: PhrasingContent[][] = [];
  const add = (b: Flow | RootContent) => {
    switch (b.type) {
      case 'paragraph':
      case 'heading':
        lines.push(b.children);
        break;
      case 'list':
        b.children.forEach((item, i) => {
          const mark =
            item.checked === true ? '[x] ' : item.checked === false ? '[ ] ' : b.ordered ? `${i + 1}. ` : '• ';
          const inner: PhrasingContent[] = [];
          for (const c of item.children) {
            if (c.type === 'paragraph') inner.push(...c.children);
          }
          lines.push([{ type: 'text', value: mark }, ...inner]);
        });
        break;
      case 'code':
        lines.push([{ type: 'inlineCode', value: b.value.replace(/\s*\n\s*/g, ' ') }]);
        break;
      case 'blockquote':
        for (const c of b.children) add(c);
        break;
      case 'table':
        for (const row of b.children) lines.push(row.children.flatMap((c) => c.children));
        break;
      case 'html':
        lines.push([b]);
        break;
      default:
        break;
    }
  };
  for (const b of blocks) add(b);
  const out: PhrasingContent[] = [];
  lines.forEach((line, i) => {
    if (i) out.push(html('<br>'));
    out.push(...line.map((c) => (c.type === 'break' ? html('<br>') : c)));
  });
  return out;
}

interface Macro {
  name: string;
  params: [string, string][];
  rich?: DomNode;
  plain?: string;
}

function readMacro(node: DomNode): Macro {
  const params: [string, string][] = [];
  let rich: DomNode | undefined;
  let plain: string | undefined;
  for (const c of kids(node)) {
    if (c.name === 'ac:parameter') params.push([attr(c, 'ac:name') ?? '', parameterValue(c)]);
    else if (c.name === 'ac:rich-text-body') rich = c;
    else if (c.name === 'ac:plain-text-body') plain = textOf(c);
  }
  return { name: attr(node, 'ac:name') ?? 'unknown', params, rich, plain };
}

/** A parameter's value: its text, or the key of the resource it names (`<ri:space ri:space-key="ENG"/>`). */
function parameterValue(node: DomNode): string {
  const parts: string[] = [];
  for (const c of kids(node)) {
    if (c.type === 'text' || c.type === 'cdata') parts.push(textOf(c));
    else if (c.name?.startsWith('ri:')) parts.push(resourceKey(c));
    else parts.push(textOf(c));
  }
  return parts.join(',').replace(/,{2,}/g, ',').trim();
}

function resourceKey(ri: DomNode): string {
  const a = ri.attribs ?? {};
  return (
    a['ri:space-key'] ??
    a['ri:content-title'] ??
    a['ri:filename'] ??
    a['ri:account-id'] ??
    a['ri:userkey'] ??
    a['ri:username'] ??
    a['ri:value'] ??
    a['ri:content-id'] ??
    ''
  );
}

/** `[macro: name key=value other="two words"]`; the unnamed default parameter is written `default=`. */
export function macroPlaceholder(name: string, params: [string, string][]): string {
  const args = params.map(([k, v]) => {
    const value = v.replace(/"/g, "'").replace(/\s+/g, ' ');
    return ` ${k || 'default'}=${/^[^\s\]"]+$/.test(value) ? value : `"${value}"`}`;
  });
  return `[macro: ${name}${args.join('')}]`;
}

function html(value: string): Html {
  return { type: 'html', value };
}

function macroBlock(node: DomNode): Flow[] {
  const m = readMacro(node);
  if (CODE_MACROS.has(m.name)) {
    const lang = m.params.find(([k]) => k === 'language')?.[1];
    const rest = m.name === 'noformat' ? m.params : m.params.filter(([k]) => k !== 'language');
    const meta = rest.length ? macroPlaceholder(m.name, rest).slice(`[macro: ${m.name} `.length, -1) : null;
    const code: Code = { type: 'code', lang: lang && /^\S+$/.test(lang) ? lang : null, meta, value: m.plain ?? '' };
    return [code];
  }
  const alert = PANELS[m.name];
  if (alert) {
    const title = m.params.find(([k]) => k === 'title')?.[1];
    const head: Paragraph = { type: 'paragraph', children: [html(`[!${alert}]${title ? ` ${title}` : ''}`)] };
    return [{ type: 'blockquote', children: [head, ...flow(m.rich ? kids(m.rich) : [])] }];
  }
  const placeholder: Paragraph = { type: 'paragraph', children: [html(macroPlaceholder(m.name, m.params))] };
  if (m.rich) return [{ type: 'blockquote', children: [placeholder, ...flow(kids(m.rich))] }];
  if (m.plain !== undefined) {
    return [{ type: 'blockquote', children: [placeholder, { type: 'code', lang: null, meta: null, value: m.plain }] }];
  }
  return [placeholder];
}

function macroInline(node: DomNode): PhrasingContent[] {
  const m = readMacro(node);
  if (m.name === 'status') {
    const title = m.params.find(([k]) => k === 'title')?.[1] ?? '';
    const colour = m.params.find(([k]) => k === 'colour' || k === 'color')?.[1];
    return [html(`[status: ${title.replace(/[[\]]/g, '')}${colour && colour !== 'Grey' ? ` (${colour})` : ''}]`)];
  }
  if (CODE_MACROS.has(m.name)) return [{ type: 'inlineCode', value: (m.plain ?? '').replace(/\s*\n\s*/g, ' ') }];
  const content: PhrasingContent[] = [html(macroPlaceholder(m.name, m.params))];
  if (m.rich) content.push({ type: 'text', value: ' ' }, ...phrasing(kids(m.rich)));
  else if (m.plain) content.push({ type: 'text', value: ' ' }, { type: 'inlineCode', value: m.plain });
  return content;
}

function phrasing(nodes: DomNode[]): PhrasingContent[] {
  return nodes.flatMap(inline);
}

function inline(node: DomNode): PhrasingContent[] {
  if (node.type === 'text') return [{ type: 'text', value: (node.data ?? '').replace(/\s+/g, ' ') }];
  if (node.type === 'cdata') return phrasing(kids(node));
  if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style') return [];
  const name = node.name ?? '';
  switch (name) {
    case 'strong':
    case 'b':
      return wrap('strong', node);
    case 'em':
    case 'i':
      return wrap('emphasis', node);
    case 's':
    case 'del':
    case 'strike':
      return wrap('delete', node);
    case 'span':
      return /line-through/.test(attr(node, 'style') ?? '') ? wrap('delete', node) : phrasing(kids(node));
    case 'code':
      return [{ type: 'inlineCode', value: textOf(node) }];
    case 'br':
      return [{ type: 'break' }];
    case 'a': {
      const href = attr(node, 'href');
      const children = phrasing(kids(node));
      return href ? [{ type: 'link', url: href, children: children.length ? children : [text(href)] }] : children;
    }
    case 'time':
      return [text(attr(node, 'datetime') ?? textOf(node))];
    case 'ac:link':
      return [acLink(node)];
    case 'ac:image':
      return [acImage(node)];
    case 'ac:structured-macro':
    case 'ac:macro':
      return macroInline(node);
    case 'ac:emoticon':
      return [text(attr(node, 'ac:emoji-fallback') ?? `:${attr(node, 'ac:name') ?? 'emoticon'}:`)];
    case 'ac:placeholder':
    case 'ac:parameter':
      return [];
    default: {
      // Block content met inside a line (a list in a cell, a paragraph in a link body) keeps its text.
      if (isBlock(node)) return spaced(node);
      return phrasing(kids(node));
    }
  }
}

/** Block content flattened into a line, with a space at each block boundary. */
function spaced(node: DomNode): PhrasingContent[] {
  return [text(' '), ...phrasing(kids(node)), text(' ')];
}

function text(value: string): PhrasingContent {
  return { type: 'text', value };
}

function wrap(type: 'strong' | 'emphasis' | 'delete', node: DomNode): PhrasingContent[] {
  const children = phrasing(kids(node));
  // Markdown cannot put the markers around surrounding whitespace: move it outside.
  const all = children.map((c) => (c.type === 'text' ? c.value : 'x')).join('');
  if (!all.trim()) return children;
  const lead = /^\s+/.test(all) ? [text(' ')] : [];
  const trail = /\s+$/.test(all) ? [text(' ')] : [];
  return [...lead, { type, children: tidy(children) } as PhrasingContent, ...trail];
}

function linkBody(node: DomNode): PhrasingContent[] | undefined {
  const plain = child(node, 'ac:plain-text-link-body');
  if (plain) {
    const value = textOf(plain);
    return value.trim() ? [text(value)] : undefined;
  }
  const rich = child(node, 'ac:link-body');
  const content = rich ? tidy(phrasing(kids(rich))) : [];
  return content.length ? content : undefined;
}

/** A Markdown link destination for an `ri:` resource. */
function resourceUrl(ri: DomNode | undefined): { url: string; label: string } {
  if (!ri) return { url: '', label: '' };
  const a = ri.attribs ?? {};
  switch (ri.name) {
    case 'ri:page':
    case 'ri:blog-post': {
      const title = a['ri:content-title'] ?? '';
      return { url: `page:${a['ri:space-key'] ?? ''}/${title}`, label: title };
    }
    case 'ri:attachment':
      return { url: `attachment:${a['ri:filename'] ?? ''}`, label: a['ri:filename'] ?? '' };
    case 'ri:user': {
      // Storage names users by id only; Confluence shows their current name, so the label is a stand-in.
      const name = (id: string) => `@${options.userName?.(id)?.replace(/\s+/g, ' ').trim() || 'user'}`;
      if (a['ri:account-id']) return { url: `user:${a['ri:account-id']}`, label: name(a['ri:account-id']) };
      if (a['ri:userkey']) return { url: `userkey:${a['ri:userkey']}`, label: name(a['ri:userkey']) };
      return { url: `username:${a['ri:username'] ?? ''}`, label: `@${a['ri:username'] ?? ''}` };
    }
    case 'ri:space':
      return { url: `space:${a['ri:space-key'] ?? ''}`, label: a['ri:space-key'] ?? '' };
    case 'ri:url':
      return { url: a['ri:value'] ?? '', label: a['ri:value'] ?? '' };
    case 'ri:content-entity':
      return { url: `pageid:${a['ri:content-id'] ?? ''}`, label: a['ri:content-id'] ?? '' };
    default:
      return { url: '', label: resourceKey(ri) };
  }
}

function acLink(node: DomNode): PhrasingContent {
  const ri = kids(node).find((c) => c.name?.startsWith('ri:'));
  const anchor = attr(node, 'ac:anchor');
  const { url, label } = resourceUrl(ri);
  const full = `${url}${anchor ? `#${anchor}` : ''}`;
  const children = linkBody(node) ?? [text(label || anchor || full)];
  return { type: 'link', url: full, children } as Link;
}

function acImage(node: DomNode): PhrasingContent {
  const ri = kids(node).find((c) => c.name?.startsWith('ri:'));
  const { url, label } = resourceUrl(ri);
  const fallback = ri?.name === 'ri:attachment' ? label : '';
  return { type: 'image', url, alt: attr(node, 'ac:alt') ?? attr(node, 'ac:title') ?? fallback };
}

/** Merge adjacent text, collapse spaces across node boundaries and trim the ends of a line. */
function tidy(nodes: PhrasingContent[]): PhrasingContent[] {
  const merged: PhrasingContent[] = [];
  for (const n of nodes) {
    const last = merged[merged.length - 1];
    if (n.type === 'text' && last?.type === 'text') last.value += n.value;
    else merged.push(n.type === 'text' ? { ...n } : n);
  }
  for (let i = 0; i < merged.length; i++) {
    const n = merged[i];
    if (n?.type !== 'text') continue;
    n.value = n.value.replace(/ {2,}/g, ' ');
    const prev = merged[i - 1];
    if ((i === 0 || prev?.type === 'break') && n.value.startsWith(' ')) n.value = n.value.trimStart();
  }
  for (let i = merged.length - 1; i >= 0; i--) {
    const n = merged[i];
    if (n?.type === 'text') {
      const next = merged[i + 1];
      if (i === merged.length - 1 || next?.type === 'break') n.value = n.value.trimEnd();
    }
  }
  const out = merged.filter((n) => n.type !== 'text' || n.value !== '');
  while (out[out.length - 1]?.type === 'break') out.pop();
  while (out[0]?.type === 'break') out.shift();
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Markdown → storage
// ---------------------------------------------------------------------------------------------------------------

const MACRO_RE = /\[macro: ([\w.:-]+)((?:[ \t]+[\w.-]+=(?:"[^"\n]*"|[^\s\]"]+))*)[ \t]*\]/;
const STATUS_RE = /\[status: ([^\]\n(]*?)(?: \((\w+)\))?\]/;
const INLINE_RE = new RegExp(`${MACRO_RE.source}|${STATUS_RE.source}`, 'g');
const ALERT_RE = /^\[!(\w+)\](?:[ \t]+([^\n]*))?(?:\n|$)/;

interface Ctx {
  source: string;
  definitions: Map<string, Definition>;
  taskId: number;
}

/** Storage format for Markdown (CommonMark + GFM); placeholders written by storageToMarkdown become macros again. */
export function markdownToStorage(markdown: string): string {
  const root = parseMarkdown(markdown);
  const definitions = new Map<string, Definition>();
  const visit = (n: Nodes) => {
    if (n.type === 'definition') definitions.set(n.identifier, n);
    if ('children' in n) for (const c of n.children) visit(c as Nodes);
  };
  visit(root);
  const ctx: Ctx = { source: markdown, definitions, taskId: 0 };
  return blocksOut(root.children, ctx);
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function cdata(text: string): string {
  return `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

function blocksOut(nodes: RootContent[], ctx: Ctx): string {
  return nodes.map((n) => blockOut(n, ctx)).join('');
}

/** The Markdown source of a node, when positions are known. */
function sourceOf(node: Nodes, ctx: Ctx): string | undefined {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  return start !== undefined && end !== undefined ? ctx.source.slice(start, end) : undefined;
}

function blockOut(node: RootContent, ctx: Ctx): string {
  switch (node.type) {
    case 'paragraph': {
      const whole = sourceOf(node, ctx)?.trim();
      const m = whole ? new RegExp(`^${MACRO_RE.source}$`).exec(whole) : null;
      if (m) return macroOut(m[1] ?? '', m[2] ?? '');
      return `<p>${inlinesOut(node.children, ctx)}</p>`;
    }
    case 'heading':
      return `<h${node.depth}>${inlinesOut(node.children, ctx)}</h${node.depth}>`;
    case 'thematicBreak':
      return '<hr />';
    case 'blockquote':
      return blockquoteOut(node.children, ctx);
    case 'list':
      return listOut(node, ctx);
    case 'code':
      return codeOut(node);
    case 'table':
      return tableOut(node, ctx);
    case 'html': {
      const m = new RegExp(`^${MACRO_RE.source}$`).exec(node.value.trim());
      if (m) return macroOut(m[1] ?? '', m[2] ?? '');
      if (/^<br\s*\/?>$/i.test(node.value.trim())) return '';
      return `<p>${esc(node.value)}</p>`;
    }
    case 'footnoteDefinition':
      return `<p>[^${esc(node.label ?? node.identifier)}]:</p>${blocksOut(node.children, ctx)}`;
    case 'definition':
      return '';
    default:
      // Math ($$…$$) has no Confluence counterpart without apps: kept as text. Matched loosely because the mdast
      // math node types exist only where mdast-util-math's type augmentation is loaded.
      return mathOf(node) === undefined ? '' : `<p>${esc(`$$${mathOf(node)}$$`)}</p>`;
  }
}

function mathOf(node: { type: string }): string | undefined {
  const n = node as { type: string; value?: unknown };
  return (n.type === 'math' || n.type === 'inlineMath') && typeof n.value === 'string' ? n.value : undefined;
}

function parseParams(raw: string): [string, string][] {
  const params: [string, string][] = [];
  for (const m of raw.matchAll(/([\w.-]+)=("[^"\n]*"|[^\s\]"]+)/g)) {
    const key = m[1] === 'default' ? '' : (m[1] ?? '');
    const value = (m[2] ?? '').replace(/^"(.*)"$/, '$1');
    params.push([key, value]);
  }
  return params;
}

function paramsOut(params: [string, string][]): string {
  return params.map(([k, v]) => `<ac:parameter ac:name="${esc(k)}">${esc(v)}</ac:parameter>`).join('');
}

function macroOut(name: string, rawParams: string, body = ''): string {
  return `<ac:structured-macro ac:name="${esc(name)}">${paramsOut(parseParams(rawParams))}${body}</ac:structured-macro>`;
}

function blockquoteOut(children: RootContent[], ctx: Ctx): string {
  const first = children[0];
  if (first?.type === 'paragraph') {
    const head = first.children[0];
    const raw = head?.type === 'text' || head?.type === 'html' ? head.value : '';
    const alert = ALERT_RE.exec(raw);
    const macro = alert ? ALERTS[alert[1]?.toUpperCase() ?? ''] : undefined;
    const rest = () => {
      const remainder = raw.slice(alert?.[0].length ?? 0);
      const restInline = [
        ...(remainder ? [{ ...head, value: remainder } as PhrasingContent] : []),
        ...first.children.slice(1),
      ];
      while (restInline[0]?.type === 'break') restInline.shift();
      const para = restInline.length ? `<p>${inlinesOut(restInline, ctx)}</p>` : '';
      return para + blocksOut(children.slice(1), ctx);
    };
    if (alert && macro) {
      const title = alert[2]?.trim();
      const params = title ? paramsOut([['title', title]]) : '';
      return `<ac:structured-macro ac:name="${macro}">${params}<ac:rich-text-body>${rest()}</ac:rich-text-body></ac:structured-macro>`;
    }
    const whole = sourceOf(first, ctx)?.trim();
    const m = whole ? new RegExp(`^${MACRO_RE.source}$`).exec(whole) : null;
    if (m) {
      const body = children.slice(1);
      const only = body[0];
      if (body.length === 1 && only?.type === 'code' && !only.lang) {
        return macroOut(m[1] ?? '', m[2] ?? '', `<ac:plain-text-body>${cdata(only.value)}</ac:plain-text-body>`);
      }
      return macroOut(m[1] ?? '', m[2] ?? '', `<ac:rich-text-body>${blocksOut(body, ctx)}</ac:rich-text-body>`);
    }
  }
  return `<blockquote>${blocksOut(children, ctx)}</blockquote>`;
}

function listOut(node: List, ctx: Ctx): string {
  if (node.children.some((item) => typeof item.checked === 'boolean')) {
    const tasks = node.children.map((item) => {
      ctx.taskId += 1;
      const status = item.checked ? 'complete' : 'incomplete';
      return `<ac:task><ac:task-id>${ctx.taskId}</ac:task-id><ac:task-status>${status}</ac:task-status><ac:task-body>${itemOut(item, ctx)}</ac:task-body></ac:task>`;
    });
    return `<ac:task-list>${tasks.join('')}</ac:task-list>`;
  }
  const tag = node.ordered ? 'ol' : 'ul';
  const start = node.ordered && node.start !== null && node.start !== undefined && node.start !== 1;
  const items = node.children.map((item) => `<li>${itemOut(item, ctx)}</li>`).join('');
  return `<${tag}${start ? ` start="${node.start}"` : ''}>${items}</${tag}>`;
}

/** A list item: a lone leading paragraph is written inline, as the Confluence editor does. */
function itemOut(item: ListItem, ctx: Ctx): string {
  const [first, ...rest] = item.children;
  if (first?.type === 'paragraph' && !rest.some((c) => c.type === 'paragraph')) {
    return inlinesOut(first.children, ctx) + blocksOut(rest, ctx);
  }
  return blocksOut(item.children, ctx);
}

function codeOut(node: Code): string {
  const params: [string, string][] = [];
  if (node.lang) params.push(['language', node.lang]);
  if (node.meta) params.push(...parseParams(node.meta));
  return `<ac:structured-macro ac:name="code">${paramsOut(params)}<ac:plain-text-body>${cdata(node.value)}</ac:plain-text-body></ac:structured-macro>`;
}

function tableOut(node: Table, ctx: Ctx): string {
  const rows = node.children.map((row, r) => {
    const tag = r === 0 ? 'th' : 'td';
    return `<tr>${row.children.map((cell) => `<${tag}>${inlinesOut(cell.children, ctx)}</${tag}>`).join('')}</tr>`;
  });
  return `<table><tbody>${rows.join('')}</tbody></table>`;
}

function inlinesOut(nodes: PhrasingContent[], ctx: Ctx): string {
  return nodes.map((n) => inlineOut(n, ctx)).join('');
}

function inlineOut(node: PhrasingContent, ctx: Ctx): string {
  switch (node.type) {
    case 'text':
      return textOut(node.value);
    case 'strong':
      return `<strong>${inlinesOut(node.children, ctx)}</strong>`;
    case 'emphasis':
      return `<em>${inlinesOut(node.children, ctx)}</em>`;
    case 'delete':
      return `<s>${inlinesOut(node.children, ctx)}</s>`;
    case 'inlineCode':
      return `<code>${esc(node.value)}</code>`;
    case 'break':
      return '<br />';
    case 'link':
      return linkOut(node.url, node.children, ctx);
    case 'image':
      return imageOut(node.url, node.alt ?? '');
    case 'linkReference': {
      const def = ctx.definitions.get(node.identifier);
      return def ? linkOut(def.url, node.children, ctx) : textOut(`[${node.label ?? node.identifier}]`);
    }
    case 'imageReference': {
      const def = ctx.definitions.get(node.identifier);
      return def ? imageOut(def.url, node.alt ?? '') : textOut(`![${node.alt ?? ''}]`);
    }
    case 'html': {
      if (/^<br\s*\/?>$/i.test(node.value.trim())) return '<br />';
      return textOut(node.value);
    }
    case 'footnoteReference':
      return esc(`[^${node.label ?? node.identifier}]`);
    default:
      return mathOf(node) === undefined ? '' : esc(`$${mathOf(node)}$`);
  }
}

/** Text, with `[status: …]` and `[macro: …]` placeholders turned back into macros. */
function textOut(value: string): string {
  let out = '';
  let last = 0;
  for (const m of value.matchAll(INLINE_RE)) {
    out += esc(value.slice(last, m.index));
    if (m[1] !== undefined) {
      out += macroOut(m[1], m[2] ?? '');
    } else {
      const params: [string, string][] = [['title', m[3] ?? '']];
      if (m[4]) params.unshift(['colour', m[4]]);
      out += `<ac:structured-macro ac:name="status">${paramsOut(params)}</ac:structured-macro>`;
    }
    last = (m.index ?? 0) + m[0].length;
  }
  return out + esc(value.slice(last));
}

function plainText(nodes: PhrasingContent[]): string {
  return nodes.map((n) => ('value' in n ? n.value : 'children' in n ? plainText(n.children) : '')).join('');
}

function linkBodyOut(children: PhrasingContent[], label: string, ctx: Ctx): string {
  const plain = plainText(children);
  if (!children.length || plain === label) return '';
  if (children.every((c) => c.type === 'text')) {
    return `<ac:plain-text-link-body>${cdata(plain)}</ac:plain-text-link-body>`;
  }
  return `<ac:link-body>${inlinesOut(children, ctx)}</ac:link-body>`;
}

function linkOut(url: string, children: PhrasingContent[], ctx: Ctx): string {
  const hash = url.indexOf('#');
  const base = hash >= 0 && /^(page|attachment|space|pageid):/.test(url) ? url.slice(0, hash) : url;
  const anchor = base !== url ? url.slice(hash + 1) : '';
  const anchorAttr = anchor ? ` ac:anchor="${esc(anchor)}"` : '';
  const scheme = /^(page|attachment|user|userkey|username|space|pageid):(.*)$/s.exec(base);
  if (scheme) {
    const [, kind, rest = ''] = scheme;
    let ri = '';
    let label = rest;
    if (kind === 'page') {
      const slash = rest.indexOf('/');
      const space = slash >= 0 ? rest.slice(0, slash) : '';
      const title = slash >= 0 ? rest.slice(slash + 1) : rest;
      label = title;
      ri = `<ri:page${space ? ` ri:space-key="${esc(space)}"` : ''} ri:content-title="${esc(title)}" />`;
    } else if (kind === 'attachment') ri = `<ri:attachment ri:filename="${esc(rest)}" />`;
    else if (kind === 'space') ri = `<ri:space ri:space-key="${esc(rest)}" />`;
    else if (kind === 'pageid') ri = `<ri:content-entity ri:content-id="${esc(rest)}" />`;
    else {
      // Confluence renders a mention as the user's current name: a link body would freeze other text there.
      const attrName = kind === 'user' ? 'account-id' : kind;
      return `<ac:link${anchorAttr}><ri:user ri:${attrName}="${esc(rest)}" /></ac:link>`;
    }
    return `<ac:link${anchorAttr}>${ri}${linkBodyOut(children, label, ctx)}</ac:link>`;
  }
  if (url.startsWith('#')) {
    return `<ac:link ac:anchor="${esc(url.slice(1))}">${linkBodyOut(children, url.slice(1), ctx)}</ac:link>`;
  }
  return `<a href="${esc(url)}">${inlinesOut(children, ctx)}</a>`;
}

function imageOut(url: string, alt: string): string {
  const altAttr = alt ? ` ac:alt="${esc(alt)}"` : '';
  if (url.startsWith('attachment:')) {
    return `<ac:image${altAttr}><ri:attachment ri:filename="${esc(url.slice('attachment:'.length))}" /></ac:image>`;
  }
  return `<ac:image${altAttr}><ri:url ri:value="${esc(url)}" /></ac:image>`;
}
