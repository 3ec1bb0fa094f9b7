/**
 * Markdown → Notion blocks, from core's mdast (CommonMark + GFM + math). Nested blocks are returned inline as
 * `[type].children`; the writer (blocks.ts) splits them to fit Notion's per-request limits.
 *
 * Conventions shared with from-blocks.ts: a quote whose text starts with an emoji (or a GFM alert such as
 * `> [!NOTE]`) is a callout; `<details><summary>…</summary> … </details>` is a toggle; `$$…$$` an equation;
 * a paragraph holding only an image is an image block.
 */
import {
  type Blockquote,
  type Definition,
  type List,
  type Nodes,
  type Paragraph,
  type PhrasingContent,
  parseMarkdown,
  type RootContent,
  type Table,
} from '@switchboard-mcp/core/markdown';
import { toNotionLanguage, unfenceLanguage } from './languages.ts';
import { normalize } from './rich-text.ts';
import type { Annotations, BlockInput, RichText } from './types.ts';

const ALERT_ICONS: Record<string, string> = {
  NOTE: 'ℹ️',
  TIP: '💡',
  IMPORTANT: '❗',
  WARNING: '⚠️',
  CAUTION: '🛑',
};
const LEADING_EMOJI = /^(\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic}|\p{Emoji_Modifier})*)\s+/u;
const ALERT = /^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*/i;
const TOGGLE_OPEN = /^<details>\s*<summary>([\s\S]*?)<\/summary>\s*$/i;
const TOGGLE_CLOSE = /^<\/details>\s*$/i;

interface Context {
  definitions: Map<string, Definition>;
}

export function markdownToBlocks(markdown: string): BlockInput[] {
  const root = parseMarkdown(markdown);
  const definitions = new Map<string, Definition>();
  for (const node of root.children) {
    if (node.type === 'definition') definitions.set(node.identifier.toLowerCase(), node);
  }
  return fitRichText(blocks(root.children, { definitions }));
}

/** Notion's limit on rich-text objects in one array. */
const MAX_RICH_TEXT_ITEMS = 100;

/**
 * Notion refuses a block whose rich text has more than 100 objects (long text with much styling): its text
 * continues in blocks of the same type, the last one keeping the children.
 */
function fitRichText(input: BlockInput[]): BlockInput[] {
  return input.flatMap((b) => {
    const { children, ...body } = b[b.type] ?? {};
    const kids = Array.isArray(children) && children.length ? fitRichText(children) : undefined;
    const richText: RichText[] | undefined = body.rich_text;
    const parts: RichText[][] = [];
    if (Array.isArray(richText) && richText.length > MAX_RICH_TEXT_ITEMS) {
      // Spaces at a cut would end up at the edge of a block, where Markdown cannot show them.
      const blank = (t: RichText | undefined) => t?.type === 'text' && !t.annotations && !t.text?.content.trim();
      for (let i = 0; i < richText.length; i += MAX_RICH_TEXT_ITEMS) {
        const part = richText.slice(i, i + MAX_RICH_TEXT_ITEMS);
        while (part.length > 1 && blank(part.at(-1))) part.pop();
        while (part.length > 1 && blank(part[0])) part.shift();
        parts.push(part);
      }
    } else {
      parts.push(richText as RichText[]);
    }
    return parts.map((part, i) => {
      const content: Record<string, unknown> = part === undefined ? { ...body } : { ...body, rich_text: part };
      if (kids && i === parts.length - 1) content.children = kids;
      return { type: b.type, [b.type]: content };
    });
  });
}

/** Rich text for a one-line Markdown string (titles, comments, cells). */
export function markdownToRichText(markdown: string): RichText[] {
  const root = parseMarkdown(markdown);
  const ctx: Context = { definitions: new Map() };
  const out: RichText[] = [];
  for (const node of root.children) {
    if (out.length) out.push(...text('\n', {}));
    if (node.type === 'paragraph' || node.type === 'heading') out.push(...inline(node.children, {}, undefined, ctx));
  }
  return normalize(out);
}

function blocks(nodes: RootContent[], ctx: Context): BlockInput[] {
  const out: BlockInput[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as RootContent;
    if (node.type === 'html' && TOGGLE_OPEN.test(node.value.trim())) {
      const close = matchingClose(nodes, i);
      const summary = TOGGLE_OPEN.exec(node.value.trim())?.[1] ?? '';
      const children = blocks(nodes.slice(i + 1, close), ctx);
      out.push(block('toggle', { rich_text: markdownToRichText(summary.trim()) }, children));
      i = close;
      continue;
    }
    out.push(...blockFor(node, ctx));
  }
  return out;
}

/** Index of the `</details>` closing the toggle opened at `open` (nested toggles counted), or the end. */
function matchingClose(nodes: RootContent[], open: number): number {
  let depth = 0;
  for (let j = open + 1; j < nodes.length; j++) {
    const n = nodes[j] as RootContent;
    if (n.type !== 'html') continue;
    const value = n.value.trim();
    if (TOGGLE_OPEN.test(value)) depth++;
    else if (TOGGLE_CLOSE.test(value)) {
      if (depth === 0) return j;
      depth--;
    }
  }
  return nodes.length;
}

function block(type: string, content: Record<string, unknown>, children?: BlockInput[]): BlockInput {
  const body = children?.length ? { ...content, children } : content;
  return { type, [type]: body };
}

function blockFor(node: RootContent, ctx: Context): BlockInput[] {
  switch (node.type) {
    case 'paragraph':
      return [paragraph(node, ctx)];
    case 'heading':
      return [block(`heading_${Math.min(node.depth, 3)}`, { rich_text: inline(node.children, {}, undefined, ctx) })];
    case 'list':
      return list(node, ctx);
    case 'blockquote':
      return [quote(node, ctx)];
    case 'code':
      return [
        block('code', {
          rich_text: normalize(text(node.value, {})),
          language: node.lang?.includes('-') ? unfenceLanguage(node.lang) : toNotionLanguage(node.lang),
        }),
      ];
    case 'thematicBreak':
      return [{ type: 'divider', divider: {} }];
    case 'table':
      return [table(node, ctx)];
    case 'math':
      return [block('equation', { expression: node.value })];
    case 'html':
      return [block('paragraph', { rich_text: normalize(text(node.value, {})) })];
    case 'definition':
      return [];
    case 'footnoteDefinition':
      return [
        block('paragraph', {
          rich_text: normalize([
            ...text(`[^${node.label ?? node.identifier}]: `, {}),
            ...node.children.flatMap((c) => (c.type === 'paragraph' ? inline(c.children, {}, undefined, ctx) : [])),
          ]),
        }),
      ];
    default:
      // Anything else mdast can hold (yaml front matter and the like) is kept as its source text.
      return [block('paragraph', { rich_text: text('value' in node ? String(node.value) : `[${node.type}]`, {}) })];
  }
}

function paragraph(node: Paragraph, ctx: Context): BlockInput {
  const meaningful = node.children.filter((c) => !(c.type === 'text' && c.value.trim() === ''));
  const only = meaningful.length === 1 ? meaningful[0] : undefined;
  if (only?.type === 'image' && /^https?:\/\//.test(only.url)) {
    return block('image', {
      type: 'external',
      external: { url: only.url },
      ...(only.alt ? { caption: text(only.alt, {}) } : {}),
    });
  }
  return block('paragraph', { rich_text: inline(node.children, {}, undefined, ctx) });
}

/** A list item's own text is its first paragraph; everything after it becomes children. */
function list(node: List, ctx: Context): BlockInput[] {
  return node.children.map((item) => {
    const [first, ...rest] = item.children;
    const richText = first?.type === 'paragraph' ? inline(first.children, {}, undefined, ctx) : [];
    const children = blocks(first?.type === 'paragraph' ? rest : item.children, ctx);
    if (item.checked !== null && item.checked !== undefined) {
      return block('to_do', { rich_text: richText, checked: item.checked }, children);
    }
    return block(node.ordered ? 'numbered_list_item' : 'bulleted_list_item', { rich_text: richText }, children);
  });
}

function quote(node: Blockquote, ctx: Context): BlockInput {
  const [first, ...rest] = node.children;
  let richText = first?.type === 'paragraph' ? inline(first.children, {}, undefined, ctx) : [];
  const children = blocks(first?.type === 'paragraph' ? rest : node.children, ctx);
  const lead = richText[0]?.type === 'text' ? (richText[0].text?.content ?? '') : '';
  const alert = ALERT.exec(lead);
  const emoji = alert ? undefined : LEADING_EMOJI.exec(lead);
  if (alert || emoji) {
    const icon = alert ? (ALERT_ICONS[alert[1]?.toUpperCase() ?? 'NOTE'] ?? 'ℹ️') : (emoji?.[1] ?? '💡');
    const cut = (alert ?? emoji)?.[0].length ?? 0;
    richText = dropLeading(richText, cut);
    return block('callout', { rich_text: richText, icon: { type: 'emoji', emoji: icon } }, children);
  }
  return block('quote', { rich_text: richText }, children);
}

function dropLeading(richText: RichText[], chars: number): RichText[] {
  const [head, ...rest] = richText;
  if (!head?.text) return richText;
  const content = head.text.content.slice(chars).replace(/^\n/, '');
  return content ? [{ ...head, text: { ...head.text, content } }, ...rest] : rest;
}

function table(node: Table, ctx: Context): BlockInput {
  const width = Math.max(1, ...node.children.map((r) => r.children.length));
  const rows = node.children.map((row) => ({
    type: 'table_row',
    table_row: {
      cells: Array.from({ length: width }, (_, i) => {
        const cell = row.children[i];
        return cell ? inline(cell.children, {}, undefined, ctx) : [];
      }),
    },
  }));
  return block('table', { table_width: width, has_column_header: true, has_row_header: false }, rows);
}

function text(content: string, annotations: Annotations, link?: string): RichText[] {
  if (!content) return [];
  const item: RichText = { type: 'text', text: { content, ...(link ? { link: { url: link } } : {}) } };
  const ann = compactAnnotations(annotations);
  if (ann) item.annotations = ann;
  return [item];
}

function compactAnnotations(a: Annotations): Annotations | undefined {
  const out: Annotations = {};
  if (a.bold) out.bold = true;
  if (a.italic) out.italic = true;
  if (a.strikethrough) out.strikethrough = true;
  if (a.code) out.code = true;
  return Object.keys(out).length ? out : undefined;
}

/** Notion accepts http(s) and mailto links only; others stay visible as text. */
function linkable(url: string): boolean {
  return /^(https?:|mailto:)/i.test(url);
}

function inline(nodes: PhrasingContent[], ann: Annotations, link: string | undefined, ctx: Context): RichText[] {
  const out: RichText[] = [];
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        out.push(...text(node.value, ann, link));
        break;
      case 'strong':
        out.push(...inline(node.children, { ...ann, bold: true }, link, ctx));
        break;
      case 'emphasis':
        out.push(...inline(node.children, { ...ann, italic: true }, link, ctx));
        break;
      case 'delete':
        out.push(...inline(node.children, { ...ann, strikethrough: true }, link, ctx));
        break;
      case 'inlineCode':
        out.push(...text(node.value, { ...ann, code: true }, link));
        break;
      case 'inlineMath':
        out.push({ type: 'equation', equation: { expression: node.value } });
        break;
      case 'break':
        out.push(...text('\n', ann, link));
        break;
      case 'link':
        if (linkable(node.url)) out.push(...inline(node.children, ann, node.url, ctx));
        else out.push(...inline(node.children, ann, link, ctx), ...text(` (${node.url})`, ann, link));
        break;
      case 'linkReference': {
        const def = ctx.definitions.get(node.identifier.toLowerCase());
        if (def && linkable(def.url)) out.push(...inline(node.children, ann, def.url, ctx));
        else out.push(...inline(node.children, ann, link, ctx));
        break;
      }
      case 'image':
        if (linkable(node.url)) out.push(...text(node.alt || node.url, ann, node.url));
        else out.push(...text(node.alt ? `${node.alt} (${node.url})` : node.url, ann, link));
        break;
      case 'imageReference':
        out.push(...text(node.alt ?? node.identifier, ann, link));
        break;
      case 'footnoteReference':
        out.push(...text(`[^${node.label ?? node.identifier}]`, ann, link));
        break;
      case 'html':
        out.push(...text(node.value, ann, link));
        break;
      default:
        out.push(...text(plainOf(node as Nodes), ann, link));
    }
  }
  return normalize(out);
}

function plainOf(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return (node.children as Nodes[]).map(plainOf).join('');
  return '';
}
