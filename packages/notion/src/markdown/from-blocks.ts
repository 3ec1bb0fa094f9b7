/**
 * Notion blocks → Markdown, through an mdast tree serialised by core's stringifyMarkdown (GFM + math), so
 * escaping and list/table syntax are the library's, not ours. The conventions match to-blocks.ts, so Markdown
 * written by this module reads back to the same blocks. What Markdown cannot express stays visible as a
 * `[type]` placeholder; nothing is dropped silently.
 */
import type {
  BlockContent,
  Blockquote,
  Html,
  List,
  ListItem,
  Paragraph,
  PhrasingContent,
  Root,
  RootContent,
  TableRow,
} from '@switchboard-mcp/core/markdown';
import { stringifyMarkdown } from '@switchboard-mcp/core/markdown';
import { compactId, notionUrl } from '../ids.ts';
import { fromNotionLanguage } from './languages.ts';
import { plainText } from './rich-text.ts';
import type { Block, RichText } from './types.ts';

export interface FromBlocksOptions {
  /** Prefix each block with an HTML comment carrying its id, for later edits. */
  ids?: boolean;
}

export function blocksToMarkdown(blocks: Block[], opts: FromBlocksOptions = {}): string {
  const root: Root = { type: 'root', children: convert(blocks, opts) as RootContent[] };
  // Unpadded tables: aligning columns costs the model a run of spaces in every row.
  return stringifyMarkdown(root, { tablePipeAlign: false }).trimEnd();
}

/** Markdown for rich text on one line (titles, comments, property values). */
export function richTextToMarkdown(items: RichText[] | undefined): string {
  if (!items?.length) return '';
  const paragraph: Paragraph = { type: 'paragraph', children: phrasing(items) };
  return stringifyMarkdown(paragraph).trim();
}

/** A block's converted children; children that were not loaded (depth limit) stay visible as a placeholder. */
function kids(block: Block, opts: FromBlocksOptions): BlockContent[] {
  if (block.children) return convert(block.children, opts);
  if (block.has_children && block.type !== 'child_page' && block.type !== 'child_database') {
    return [placeholder(`nested blocks not loaded: block ${compactId(block.id)}`)];
  }
  return [];
}

function idComment(block: Block): Html {
  return { type: 'html', value: `<!-- ${compactId(block.id)} -->` };
}

function convert(blocks: Block[], opts: FromBlocksOptions): BlockContent[] {
  const out: BlockContent[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i] as Block;
    const kind = listKind(block.type);
    if (kind) {
      // Consecutive items of one kind form one list.
      const items: Block[] = [block];
      while (i + 1 < blocks.length && listKind((blocks[i + 1] as Block).type) === kind)
        items.push(blocks[++i] as Block);
      out.push(list(items, kind, opts));
      continue;
    }
    if (opts.ids && block.id) out.push(idComment(block));
    out.push(...blockContent(block, opts));
  }
  return out;
}

function listKind(type: string): 'bullet' | 'number' | 'todo' | undefined {
  if (type === 'bulleted_list_item') return 'bullet';
  if (type === 'numbered_list_item') return 'number';
  if (type === 'to_do') return 'todo';
  return undefined;
}

function list(items: Block[], kind: 'bullet' | 'number' | 'todo', opts: FromBlocksOptions): List {
  return {
    type: 'list',
    ordered: kind === 'number',
    start: kind === 'number' ? 1 : null,
    spread: false,
    children: items.map((item): ListItem => {
      const content = item[item.type] ?? {};
      const children: PhrasingContent[] = phrasing(content.rich_text);
      if (opts.ids && item.id) children.unshift({ type: 'html', value: `<!-- ${compactId(item.id)} -->` });
      return {
        type: 'listItem',
        spread: false,
        checked: kind === 'todo' ? Boolean(content.checked) : null,
        children: [{ type: 'paragraph', children }, ...kids(item, opts)],
      };
    }),
  };
}

function para(children: PhrasingContent[]): Paragraph {
  return { type: 'paragraph', children };
}

function textNode(value: string): PhrasingContent {
  return { type: 'text', value };
}

function link(url: string, label: string): Paragraph {
  return para([{ type: 'link', url, children: [textNode(label)] }]);
}

function placeholder(label: string): Paragraph {
  return para([textNode(`[${label}]`)]);
}

function fileUrl(content: any): string | undefined {
  return content?.external?.url ?? content?.file?.url;
}

function blockContent(block: Block, opts: FromBlocksOptions): BlockContent[] {
  const content = block[block.type] ?? {};
  const children = () => kids(block, opts);
  switch (block.type) {
    case 'paragraph':
      return [para(phrasing(content.rich_text)), ...children()];
    case 'heading_1':
    case 'heading_2':
    case 'heading_3':
      return [
        { type: 'heading', depth: Number(block.type.slice(-1)) as 1 | 2 | 3, children: phrasing(content.rich_text) },
        ...children(),
      ];
    case 'quote':
      return [{ type: 'blockquote', children: [para(phrasing(content.rich_text)), ...children()] }];
    case 'callout':
      return [callout(block, content, opts)];
    case 'code':
      return [{ type: 'code', lang: fromNotionLanguage(content.language), value: plainText(content.rich_text) }];
    case 'divider':
      return [{ type: 'thematicBreak' }];
    case 'equation':
      return [{ type: 'math', value: content.expression ?? '' }];
    case 'table':
      // Rows are children: a table below the read depth is not loaded, not empty.
      return block.children || !block.has_children ? [table(block)] : children();
    case 'toggle':
      return [
        { type: 'html', value: `<details>\n<summary>${richTextToMarkdown(content.rich_text)}</summary>` },
        ...children(),
        { type: 'html', value: '</details>' },
      ];
    case 'image': {
      const url = fileUrl(content);
      if (!url) return [placeholder('image')];
      return [para([{ type: 'image', url, alt: plainText(content.caption) || null }])];
    }
    case 'video':
    case 'audio':
    case 'file':
    case 'pdf': {
      const url = fileUrl(content);
      const name = content.name || plainText(content.caption) || block.type;
      return [url ? link(url, `${block.type}: ${name}`) : placeholder(block.type)];
    }
    case 'bookmark':
    case 'embed':
    case 'link_preview': {
      const url = content.url as string | undefined;
      return [url ? link(url, plainText(content.caption) || url) : placeholder(block.type)];
    }
    case 'child_page':
      return [link(notionUrl(block.id), `📄 ${content.title || 'Untitled'}`)];
    case 'child_database':
      return [link(notionUrl(block.id), `🗃 ${content.title || 'Untitled database'}`)];
    case 'link_to_page': {
      const target = content.page_id ?? content.database_id ?? content.data_source_id;
      return [target ? link(notionUrl(target), `↗ ${notionUrl(target)}`) : placeholder('link_to_page')];
    }
    case 'column_list':
    case 'column':
    case 'synced_block':
      // Layout containers: their content is what matters; shown in order.
      return block.children ? children() : [placeholder(`${block.type}: content not loaded`)];
    case 'table_of_contents':
      return [placeholder('table of contents')];
    case 'truncated':
      return [
        placeholder(`more than ${content.limit} nested blocks: the rest of block ${compactId(block.id)} is not shown`),
      ];
    case 'breadcrumb':
      return [placeholder('breadcrumb')];
    default:
      return [placeholder(`unsupported block: ${block.type}`), ...children()];
  }
}

function callout(block: Block, content: any, opts: FromBlocksOptions): Blockquote {
  const icon: string = content.icon?.type === 'emoji' ? content.icon.emoji : '💡';
  return {
    type: 'blockquote',
    children: [para([textNode(`${icon} `), ...phrasing(content.rich_text)]), ...kids(block, opts)],
  };
}

function table(block: Block): BlockContent {
  const rows = (block.children ?? []).filter((r) => r.type === 'table_row');
  const width = Number(block.table?.table_width) || Math.max(1, ...rows.map((r) => r.table_row?.cells?.length ?? 0));
  const toRow = (cells: RichText[][] | undefined): TableRow => ({
    type: 'tableRow',
    children: Array.from({ length: width }, (_, i) => ({ type: 'tableCell', children: phrasing(cells?.[i]) })),
  });
  if (!rows.length) return placeholder('empty table');
  return { type: 'table', align: null, children: rows.map((r) => toRow(r.table_row?.cells)) };
}

/** Rich text → mdast phrasing: links outermost, then strike, bold, italic; code innermost. */
export function phrasing(items: RichText[] | undefined): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  for (const item of items ?? []) {
    const node = richTextNode(item);
    if (node) out.push(...node);
  }
  return out;
}

function richTextNode(item: RichText): PhrasingContent[] | undefined {
  if (item.type === 'equation') return [{ type: 'inlineMath', value: item.equation?.expression ?? '' }];
  const a = item.annotations ?? {};
  const content = item.type === 'mention' ? mentionText(item) : (item.text?.content ?? item.plain_text ?? '');
  if (!content) return undefined;
  const href = item.type === 'mention' ? mentionHref(item) : (item.text?.link?.url ?? item.href ?? undefined);
  if (a.code) {
    let node: PhrasingContent = { type: 'inlineCode', value: content };
    node = wrap(node, a);
    return [href ? { type: 'link', url: href, children: [node] } : node];
  }
  // Emphasis cannot start or end with whitespace in Markdown: keep it outside the markers.
  const [, lead = '', core = '', trail = ''] = /^(\s*)([\s\S]*?)(\s*)$/.exec(content) ?? [];
  const parts: PhrasingContent[] = [];
  if (lead) parts.push(textNode(lead));
  if (core) {
    let node: PhrasingContent = textNode(core);
    node = wrap(node, a);
    parts.push(href ? { type: 'link', url: href, children: [node] } : node);
  }
  if (trail) parts.push(textNode(trail));
  return parts;
}

function wrap(node: PhrasingContent, a: RichText['annotations'] & object): PhrasingContent {
  let out = node;
  if (a.italic) out = { type: 'emphasis', children: [out] };
  if (a.bold) out = { type: 'strong', children: [out] };
  if (a.strikethrough) out = { type: 'delete', children: [out] };
  return out;
}

/** Mentions as readable text: @person, the page's title, the date. */
function mentionText(item: RichText): string {
  const m = item.mention;
  const plain = item.plain_text ?? '';
  if (!m) return plain;
  if (m.type === 'user') return plain.startsWith('@') ? plain : `@${plain || m.user?.name || 'user'}`;
  if (m.type === 'date') {
    const d = m.date ?? {};
    return `@${d.start ?? plain}${d.end ? ` → ${d.end}` : ''}`;
  }
  return plain || m.type;
}

function mentionHref(item: RichText): string | undefined {
  const m = item.mention;
  if (!m) return undefined;
  if (m.type === 'page' && m.page?.id) return notionUrl(m.page.id);
  if (m.type === 'database' && m.database?.id) return notionUrl(m.database.id);
  if (m.type === 'link_preview') return m.link_preview?.url;
  if (m.type === 'link_mention') return m.link_mention?.href;
  return item.href ?? undefined;
}
