/**
 * Atlassian Document Format (ADF, Jira Cloud v3 and Confluence v2 `atlas_doc_format`) to and from the shared
 * Markdown dialect (core's parseMarkdown: CommonMark + GFM + math).
 *
 * Conventions for the ADF nodes Markdown has no syntax for, chosen so they read naturally and parse back:
 * - panel: a GFM alert blockquote, `> [!INFO]` (INFO, NOTE, WARNING, SUCCESS, ERROR; TIP/IMPORTANT/CAUTION accepted)
 * - mention: `[@Display Name](accountid:<id>)`
 * - status lozenge: `[status: IN PROGRESS]`, or `[status/blue: IN PROGRESS]` with a colour
 * - emoji: `:shortname:`
 * - inline/block/embed card: `<url>` (a link whose text is its URL becomes an inline card)
 * - date: `2024-05-01`
 * - media: `[media: name]` (read only: uploads are not made from Markdown)
 * - anything else: `[unsupported: <type>]`, never dropped silently
 * Underline, text colour and sub/superscript keep their text and lose the styling.
 */
import type {
  Blockquote,
  Code,
  Heading,
  List,
  ListItem,
  PhrasingContent,
  Root,
  RootContent,
  Table,
} from '@switchboard-mcp/core/markdown';
import { escapeMarkdown, parseMarkdown } from '@switchboard-mcp/core/markdown';

export interface AdfMark {
  type: string;
  attrs?: Record<string, unknown>;
}

export interface AdfNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  marks?: AdfMark[];
  text?: string;
}

export interface AdfDoc extends AdfNode {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

/** True for an object that looks like an ADF document. */
export function isAdfDoc(value: unknown): value is AdfDoc {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as AdfNode).type === 'doc' &&
    Array.isArray((value as AdfNode).content)
  );
}

// ---------------------------------------------------------------------------------------------------------------
// ADF → Markdown

const PANEL_TYPES = new Set(['info', 'note', 'warning', 'success', 'error']);

/**
 * Renders an ADF document (or any ADF node) as Markdown. Null/undefined give ''. A plain string (Data Center
 * wiki markup, v2 API) is returned as it is.
 */
export function adfToMarkdown(doc: AdfNode | string | null | undefined): string {
  if (doc === null || doc === undefined) return '';
  if (typeof doc === 'string') return doc;
  const out = doc.type === 'doc' ? blocks(doc.content ?? []) : isInline(doc) ? inline([doc]) : block(doc);
  return out.replace(/\n{3,}/g, '\n\n').trim();
}

const INLINE_TYPES = new Set([
  'text',
  'hardBreak',
  'mention',
  'emoji',
  'status',
  'inlineCard',
  'date',
  'placeholder',
  'inlineExtension',
  'mediaInline',
]);

function isInline(node: AdfNode): boolean {
  return INLINE_TYPES.has(node.type);
}

function blocks(nodes: AdfNode[]): string {
  return nodes
    .map(block)
    .filter((s) => s !== '')
    .join('\n\n');
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function block(node: AdfNode): string {
  const content = node.content ?? [];
  switch (node.type) {
    case 'paragraph':
      return inline(content);
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(node.attrs?.level) || 1));
      return `${'#'.repeat(level)} ${inline(content)}`;
    }
    case 'bulletList':
      return list(content, () => '- ');
    case 'orderedList': {
      const start = Number(node.attrs?.order) || 1;
      return list(content, (i) => `${start + i}. `);
    }
    case 'taskList':
    case 'decisionList':
      return taskList(node);
    case 'codeBlock': {
      const code = content.map((c) => c.text ?? '').join('');
      const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
      const fence = '`'.repeat(longest + 1);
      return `${fence}${str(node.attrs?.language)}\n${code}\n${fence}`;
    }
    case 'blockquote':
      return quote(blocks(content));
    case 'panel': {
      const kind = str(node.attrs?.panelType) || 'info';
      const label = PANEL_TYPES.has(kind) ? kind.toUpperCase() : 'INFO';
      return quote(`[!${label}]\n${blocks(content)}`);
    }
    case 'rule':
      return '---';
    case 'table':
      return table(node);
    case 'mediaSingle':
    case 'mediaGroup':
      return content.map(media).join(' ');
    case 'media':
      return media(node);
    case 'blockCard':
    case 'embedCard':
      return card(node);
    case 'expand':
    case 'nestedExpand': {
      const title = str(node.attrs?.title);
      const body = blocks(content);
      return title ? `**${escapeMarkdown(title)}**\n\n${body}` : body;
    }
    case 'layoutSection':
    case 'layoutColumn':
    case 'doc':
      return blocks(content);
    case 'extension':
    case 'bodiedExtension': {
      const key = str(node.attrs?.extensionKey);
      const inner = node.type === 'bodiedExtension' ? blocks(content) : '';
      return [`[unsupported: ${node.type}${key ? ` ${key}` : ''}]`, inner].filter(Boolean).join('\n\n');
    }
    default:
      if (isInline(node)) return inline([node]);
      return `[unsupported: ${node.type}]${content.length ? `\n\n${blocks(content)}` : ''}`;
  }
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => (line ? `> ${line}` : '>'))
    .join('\n');
}

function indent(text: string, width: number): string {
  const pad = ' '.repeat(width);
  return text
    .split('\n')
    .map((line) => (line ? pad + line : line))
    .join('\n');
}

/** A list item: first block after the marker, the rest indented under it. */
function item(marker: string, children: AdfNode[]): string {
  const parts = children.map((c) => (c.type === 'paragraph' ? inline(c.content ?? []) : block(c)));
  const [first = '', ...rest] = parts;
  // A paragraph, or an ordered list not starting at 1 (which cannot interrupt a paragraph), needs a blank line.
  const gap = (node: AdfNode | undefined) =>
    node?.type === 'paragraph' || (node?.type === 'orderedList' && (Number(node.attrs?.order) || 1) !== 1);
  const body = first + rest.map((p, i) => `${gap(children[i + 1]) ? '\n\n' : '\n'}${p}`).join('');
  const lines = body.split('\n');
  return `${marker}${lines[0]}${lines.length > 1 ? `\n${indent(lines.slice(1).join('\n'), marker.length)}` : ''}`;
}

function list(items: AdfNode[], marker: (i: number) => string): string {
  return items.map((it, i) => item(marker(i), it.type === 'listItem' ? (it.content ?? []) : [it])).join('\n');
}

function taskList(node: AdfNode): string {
  const lines: string[] = [];
  for (const child of node.content ?? []) {
    if (child.type === 'taskList' || child.type === 'decisionList') {
      lines.push(indent(taskList(child), 2));
    } else if (child.type === 'taskItem') {
      const done = child.attrs?.state === 'DONE';
      lines.push(`- [${done ? 'x' : ' '}] ${inline(child.content ?? [])}`);
    } else if (child.type === 'decisionItem') {
      lines.push(`- Decision: ${inline(child.content ?? [])}`);
    } else lines.push(item('- ', [child]));
  }
  return lines.join('\n');
}

function media(node: AdfNode): string {
  const name = str(node.attrs?.alt) || str(node.attrs?.url) || str(node.attrs?.id) || 'file';
  return `[media: ${escapeMarkdown(name)}]`;
}

function card(node: AdfNode): string {
  const url = str(node.attrs?.url);
  if (url) return `<${url}>`;
  return `[unsupported: ${node.type}]`;
}

function table(node: AdfNode): string {
  const rows = (node.content ?? []).filter((r) => r.type === 'tableRow');
  if (!rows.length) return '';
  const width = Math.max(...rows.map((r) => (r.content ?? []).length));
  const cells = rows.map((r) => {
    const row = (r.content ?? []).map(cell);
    while (row.length < width) row.push('');
    return row;
  });
  const line = (row: string[]) => `| ${row.join(' | ')} |`;
  const [head = [], ...body] = cells;
  return [line(head), line(head.map(() => '---')), ...body.map(line)].join('\n');
}

/** A table cell on one line: blocks joined with <br>, pipes escaped. */
function cell(node: AdfNode): string {
  const parts = (node.content ?? []).map((c) =>
    c.type === 'paragraph' ? inline(c.content ?? []) : block(c).replace(/\n+/g, ' '),
  );
  return parts
    .join('<br>')
    .replace(/(?<!\\)\|/g, '\\|')
    .replace(/\n/g, '<br>');
}

// Inline ----------------------------------------------------------------------------------------------------------

const MARK_ORDER = ['link', 'strong', 'em', 'strike', 'code'];

function markKey(marks: AdfMark[] | undefined): string {
  return JSON.stringify((marks ?? []).filter((m) => MARK_ORDER.includes(m.type)).map((m) => [m.type, m.attrs?.href]));
}

/** Renders inline nodes; adjacent text nodes with the same marks are merged first so delimiters do not touch. */
function inline(nodes: AdfNode[]): string {
  const merged: AdfNode[] = [];
  for (const node of nodes) {
    const last = merged[merged.length - 1];
    if (node.type === 'text' && last?.type === 'text' && markKey(last.marks) === markKey(node.marks)) {
      merged[merged.length - 1] = { ...last, text: `${last.text ?? ''}${node.text ?? ''}` };
    } else merged.push(node);
  }
  return merged.map(inlineNode).join('');
}

function inlineNode(node: AdfNode): string {
  switch (node.type) {
    case 'text':
      return text(node);
    case 'hardBreak':
      return '\\\n';
    case 'mention': {
      const name = str(node.attrs?.text).replace(/^@/, '') || str(node.attrs?.id);
      const id = str(node.attrs?.id);
      return id ? `[@${escapeMarkdown(name)}](accountid:${id})` : `@${escapeMarkdown(name)}`;
    }
    case 'emoji': {
      const short = str(node.attrs?.shortName);
      return short ? (short.startsWith(':') ? short : `:${short}:`) : str(node.attrs?.text);
    }
    case 'status': {
      const color = str(node.attrs?.color);
      const label = str(node.attrs?.text).replace(/]/g, ')');
      return `[status${color && color !== 'neutral' ? `/${color}` : ''}: ${label}]`;
    }
    case 'inlineCard':
      return card(node);
    case 'date': {
      const ts = Number(node.attrs?.timestamp);
      return Number.isFinite(ts) ? new Date(ts).toISOString().slice(0, 10) : '[unsupported: date]';
    }
    case 'placeholder':
      return str(node.attrs?.text);
    case 'mediaInline':
      return media(node);
    default:
      if (node.content?.length) return `[unsupported: ${node.type}] ${inline(node.content)}`;
      return `[unsupported: ${node.type}]`;
  }
}

function text(node: AdfNode): string {
  const raw = node.text ?? '';
  if (!raw) return '';
  const marks = node.marks ?? [];
  const has = (t: string) => marks.find((m) => m.type === t);
  const link = has('link');
  let out: string;
  if (has('code')) {
    const ticks = Math.max(0, ...[...raw.matchAll(/`+/g)].map((m) => m[0].length));
    const fence = '`'.repeat(ticks + 1);
    const pad = raw.startsWith('`') || raw.endsWith('`') ? ' ' : '';
    out = `${fence}${pad}${raw}${pad}${fence}`;
  } else {
    // Delimiters must hug the text: move surrounding whitespace outside them.
    const lead = raw.match(/^\s*/)?.[0] ?? '';
    const trail = raw.slice(lead.length).match(/\s*$/)?.[0] ?? '';
    const core = raw.slice(lead.length, raw.length - trail.length);
    if (!core) return raw;
    let inner = escapeMarkdown(core);
    if (has('strike')) inner = `~~${inner}~~`;
    if (has('em')) inner = `_${inner}_`;
    if (has('strong')) inner = `**${inner}**`;
    out = `${lead}${inner}${trail}`;
    if (link) return `${lead}[${inner}](${linkTarget(str(link.attrs?.href))})${trail}`;
    return out;
  }
  return link ? `[${out}](${linkTarget(str(link.attrs?.href))})` : out;
}

function linkTarget(href: string): string {
  return /[\s()<>]/.test(href) ? `<${href.replace(/[<>]/g, encodeURIComponent)}>` : href;
}

// ---------------------------------------------------------------------------------------------------------------
// Markdown → ADF

/** Parses Markdown (core's dialect) into an ADF document. Never throws; unknown constructs stay as visible text. */
export function markdownToAdf(markdown: string): AdfDoc {
  const root: Root = parseMarkdown(markdown ?? '');
  return { type: 'doc', version: 1, content: toBlocks(root.children) };
}

const ALERTS: Record<string, string> = {
  INFO: 'info',
  NOTE: 'note',
  WARNING: 'warning',
  SUCCESS: 'success',
  ERROR: 'error',
  TIP: 'success',
  IMPORTANT: 'note',
  CAUTION: 'error',
};

function toBlocks(nodes: RootContent[]): AdfNode[] {
  const out: AdfNode[] = [];
  for (const node of nodes) out.push(...toBlock(node));
  return out;
}

function paragraph(content: AdfNode[]): AdfNode {
  return content.length ? { type: 'paragraph', content } : { type: 'paragraph' };
}

function textNode(value: string, marks: AdfMark[] = []): AdfNode {
  return marks.length ? { type: 'text', text: value, marks } : { type: 'text', text: value };
}

/** `math` / `inlineMath` nodes (mdast-util-math), told apart by type name: their types are an optional augmentation. */
function mathValue(node: { type: string }, type: 'math' | 'inlineMath'): string | undefined {
  const value = (node as { value?: unknown }).value;
  return node.type === type && typeof value === 'string' ? value : undefined;
}

function toBlock(node: RootContent): AdfNode[] {
  const math = mathValue(node, 'math');
  if (math !== undefined) {
    return [{ type: 'codeBlock', attrs: { language: 'latex' }, content: math ? [textNode(math)] : [] }];
  }
  switch (node.type) {
    case 'paragraph': {
      const content = toInline(node.children, []);
      return content.length ? [paragraph(content)] : [];
    }
    case 'heading':
      return [{ type: 'heading', attrs: { level: (node as Heading).depth }, content: toInline(node.children, []) }];
    case 'thematicBreak':
      return [{ type: 'rule' }];
    case 'blockquote':
      return [fromQuote(node)];
    case 'list':
      return [fromList(node)];
    case 'code':
      return [codeBlock(node)];
    case 'table':
      return [fromTable(node)];
    case 'html':
      return node.value ? [paragraph([textNode(node.value)])] : [];
    case 'definition':
      return [paragraph([textNode(`[${node.label ?? node.identifier}]: ${node.url}`)])];
    case 'footnoteDefinition':
      return [
        paragraph([textNode(`[^${node.label ?? node.identifier}]: `)]),
        ...toBlocks(node.children as RootContent[]),
      ];
    case 'yaml':
      return [codeBlock({ type: 'code', lang: 'yaml', value: node.value })];
    default:
      if ('children' in node) {
        const content = toInline(node.children as PhrasingContent[], []);
        return content.length ? [paragraph(content)] : [];
      }
      if ('value' in node && typeof node.value === 'string') return [paragraph([textNode(node.value)])];
      return [];
  }
}

function codeBlock(node: Code): AdfNode {
  return {
    type: 'codeBlock',
    ...(node.lang ? { attrs: { language: node.lang } } : {}),
    content: node.value ? [textNode(node.value)] : [],
  };
}

/** ADF blockquotes hold only paragraphs, lists, code blocks and media: other blocks flatten to paragraphs. */
const QUOTE_CHILDREN = new Set(['paragraph', 'bulletList', 'orderedList', 'codeBlock', 'mediaGroup', 'mediaSingle']);

function fromQuote(node: Blockquote): AdfNode {
  const first = node.children[0];
  if (first?.type === 'paragraph' && first.children[0]?.type === 'text') {
    const match = /^\[!(\w+)\][ \t]*\n?/.exec(first.children[0].value);
    const panelType = match ? ALERTS[match[1]!.toUpperCase()] : undefined;
    if (match && panelType) {
      const rest = first.children[0].value.slice(match[0].length);
      const firstChildren: PhrasingContent[] = [
        ...(rest ? [{ ...first.children[0], value: rest }] : []),
        ...first.children.slice(1),
      ];
      const children: RootContent[] = [
        ...(firstChildren.length ? [{ ...first, children: firstChildren }] : []),
        ...node.children.slice(1),
      ];
      const content = toBlocks(children);
      return { type: 'panel', attrs: { panelType }, content: content.length ? content : [paragraph([])] };
    }
  }
  const content = toBlocks(node.children).flatMap((b) =>
    QUOTE_CHILDREN.has(b.type) ? [b] : b.type === 'heading' ? [paragraph(b.content ?? [])] : flattenToParagraphs(b),
  );
  return { type: 'blockquote', content: content.length ? content : [paragraph([])] };
}

function flattenToParagraphs(node: AdfNode): AdfNode[] {
  const value = adfToMarkdown(node);
  return value ? [paragraph([textNode(value)])] : [];
}

let taskCounter = 0;
function localId(): string {
  taskCounter = (taskCounter + 1) % 1_000_000;
  return `task-${Date.now().toString(36)}-${taskCounter}`;
}

function fromList(node: List): AdfNode {
  const isTask = node.children.some((it) => typeof it.checked === 'boolean');
  if (isTask) return taskListFrom(node);
  const items = node.children.map(listItem);
  if (node.ordered) {
    const order = node.start ?? 1;
    return { type: 'orderedList', ...(order !== 1 ? { attrs: { order } } : {}), content: items };
  }
  return { type: 'bulletList', content: items };
}

const LIST_ITEM_FIRST = new Set(['paragraph', 'codeBlock', 'mediaSingle']);
const LIST_ITEM_CHILDREN = new Set(['paragraph', 'bulletList', 'orderedList', 'codeBlock', 'mediaSingle', 'taskList']);

function listItem(item: ListItem): AdfNode {
  let content = toBlocks(item.children as RootContent[]).flatMap((b) =>
    LIST_ITEM_CHILDREN.has(b.type) ? [b] : b.type === 'heading' ? [paragraph(b.content ?? [])] : flattenToParagraphs(b),
  );
  if (!content.length || !LIST_ITEM_FIRST.has(content[0]!.type)) content = [paragraph([]), ...content];
  return { type: 'listItem', content };
}

function taskListFrom(node: List): AdfNode {
  const content: AdfNode[] = [];
  for (const item of node.children) {
    const inlineContent: AdfNode[] = [];
    const nested: AdfNode[] = [];
    for (const child of item.children) {
      if (child.type === 'paragraph') {
        if (inlineContent.length) inlineContent.push({ type: 'hardBreak' });
        inlineContent.push(...toInline(child.children, []));
      } else if (child.type === 'list') {
        const list = fromList(child);
        if (list.type === 'taskList') nested.push(list);
        // A plain sub-list under a task: ADF task lists only nest task lists, so it becomes TODO items.
        else
          nested.push(
            taskListFrom({ ...child, children: child.children.map((c) => ({ ...c, checked: c.checked ?? false })) }),
          );
      } else {
        inlineContent.push(textNode(adfToMarkdown({ type: 'doc', content: toBlock(child) } as AdfNode)));
      }
    }
    content.push({
      type: 'taskItem',
      attrs: { localId: localId(), state: item.checked ? 'DONE' : 'TODO' },
      ...(inlineContent.length ? { content: inlineContent } : {}),
    });
    content.push(...nested);
  }
  return { type: 'taskList', attrs: { localId: localId() }, content };
}

function fromTable(node: Table): AdfNode {
  return {
    type: 'table',
    content: node.children.map((row, r) => ({
      type: 'tableRow',
      content: row.children.map((c) => ({
        type: r === 0 ? 'tableHeader' : 'tableCell',
        content: cellContent(toInline(c.children, [])),
      })),
    })),
  };
}

/** A GFM cell is one line; `<br>` in it separates paragraphs, as adfToMarkdown writes them. */
function cellContent(nodes: AdfNode[]): AdfNode[] {
  const paragraphs: AdfNode[][] = [[]];
  for (const n of nodes) {
    if (n.type === 'text' && !n.marks?.length && /<br\s*\/?>/i.test(n.text ?? '')) {
      const pieces = (n.text ?? '').split(/<br\s*\/?>/i);
      pieces.forEach((piece, i) => {
        if (i > 0) paragraphs.push([]);
        if (piece) paragraphs[paragraphs.length - 1]!.push(textNode(piece));
      });
    } else paragraphs[paragraphs.length - 1]!.push(n);
  }
  return paragraphs.map((p) => paragraph(p));
}

// Inline ----------------------------------------------------------------------------------------------------------

function addMark(marks: AdfMark[], mark: AdfMark): AdfMark[] {
  return marks.some((m) => m.type === mark.type) ? marks : [...marks, mark];
}

/** `code` combines only with `link` in ADF. */
function codeMarks(marks: AdfMark[]): AdfMark[] {
  return [...marks.filter((m) => m.type === 'link'), { type: 'code' }];
}

function toInline(nodes: PhrasingContent[], marks: AdfMark[]): AdfNode[] {
  const out: AdfNode[] = [];
  for (const node of nodes) {
    const math = mathValue(node, 'inlineMath');
    if (math !== undefined) {
      if (math) out.push(textNode(math, codeMarks(marks)));
      continue;
    }
    switch (node.type) {
      case 'text':
        // A soft line break is a space in Markdown; ADF text carries no newlines.
        out.push(...splitSpecials(node.value.replace(/[ \t]*\n[ \t]*/g, ' '), marks));
        break;
      case 'strong':
        out.push(...toInline(node.children, addMark(marks, { type: 'strong' })));
        break;
      case 'emphasis':
        out.push(...toInline(node.children, addMark(marks, { type: 'em' })));
        break;
      case 'delete':
        out.push(...toInline(node.children, addMark(marks, { type: 'strike' })));
        break;
      case 'inlineCode':
        if (node.value) out.push(textNode(node.value, codeMarks(marks)));
        break;
      case 'break':
        out.push({ type: 'hardBreak' });
        break;
      case 'link': {
        const url = node.url;
        const label = node.children.map(plainText).join('');
        if (url.startsWith('accountid:')) {
          out.push({
            type: 'mention',
            attrs: { id: url.slice('accountid:'.length), text: `@${label.replace(/^@/, '')}` },
          });
        } else if (label === url && !marks.length) {
          out.push({ type: 'inlineCard', attrs: { url } });
        } else {
          const children = toInline(node.children, addMark(marks, { type: 'link', attrs: { href: url } }));
          out.push(
            ...(children.length ? children : [textNode(url, addMark(marks, { type: 'link', attrs: { href: url } }))]),
          );
        }
        break;
      }
      case 'image': {
        const label = node.alt || node.url;
        out.push(textNode(label, addMark(marks, { type: 'link', attrs: { href: node.url } })));
        break;
      }
      case 'html':
        if (/^<br\s*\/?>$/i.test(node.value)) out.push(textNode('<br>'));
        else if (!/^<\/?(u|ins|sub|sup|span)\b[^>]*>$/i.test(node.value)) out.push(textNode(node.value, marks));
        break;
      case 'footnoteReference':
        out.push(textNode(`[^${node.label ?? node.identifier}]`, marks));
        break;
      case 'linkReference':
      case 'imageReference':
        out.push(textNode(`[${'children' in node ? node.children.map(plainText).join('') : (node.alt ?? '')}]`, marks));
        break;
      default: {
        const other = node as { value?: unknown };
        if (typeof other.value === 'string') out.push(textNode(other.value, marks));
      }
    }
  }
  return out.filter((n) => n.type !== 'text' || n.text);
}

function plainText(node: PhrasingContent): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return (node.children as PhrasingContent[]).map(plainText).join('');
  if (node.type === 'image') return node.alt ?? '';
  return '';
}

const SPECIALS = /\[status(?:\/([a-z]+))?: ([^\]\n]+)\]|(?<![\w:]):([a-z][a-z0-9_+-]*):(?![\w:])/g;

/** Status lozenges and `:emoji:` inside plain text (never inside code). */
function splitSpecials(value: string, marks: AdfMark[]): AdfNode[] {
  const out: AdfNode[] = [];
  let last = 0;
  for (const m of value.matchAll(SPECIALS)) {
    if (m.index > last) out.push(textNode(value.slice(last, m.index), marks));
    if (m[2] !== undefined) {
      out.push({ type: 'status', attrs: { text: m[2].trim(), color: m[1] ?? 'neutral', localId: localId() } });
    } else out.push({ type: 'emoji', attrs: { shortName: `:${m[3]}:` } });
    last = m.index + m[0].length;
  }
  if (last < value.length) out.push(textNode(value.slice(last), marks));
  return out;
}
