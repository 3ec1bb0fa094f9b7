/**
 * Markdown (core's dialect: CommonMark + GFM + math) to Slack mrkdwn. Slack's own tokens written in the text
 * (`<@U123>`, `<#C123>`, `<!here>`, `<https://x|label>`) pass through; everything else is escaped (&, <, >).
 */
import { type Nodes, parseMarkdown, type RootContent } from '@switchboard-mcp/core/markdown';

const SLACK_TOKEN =
  /<(?:[@#][A-Z0-9]+(?:\|[^<>\n]*)?|![a-z]+(?:\^[^<>\n]*)?(?:\|[^<>\n]*)?|https?:\/\/[^<>\s|]+(?:\|[^<>\n]*)?)>/g;

function escapeText(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(SLACK_TOKEN)) {
    out += escapeBare(text.slice(last, m.index)) + m[0];
    last = (m.index ?? 0) + m[0].length;
  }
  return out + escapeBare(text.slice(last));
}

function escapeBare(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline content of a node, as mrkdwn. */
function inline(nodes: readonly Nodes[]): string {
  return nodes.map(inlineNode).join('');
}

/** Wraps `text` in a mrkdwn marker, keeping surrounding spaces outside (Slack ignores `* x*`). */
function wrap(marker: string, text: string): string {
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(text) as RegExpExecArray;
  return m[2] ? `${m[1]}${marker}${m[2]}${marker}${m[3]}` : text;
}

/** Math nodes come from core's math extension; checked by name so the mdast math typings are not needed here. */
function mathValue(node: { type: string }, type: 'math' | 'inlineMath'): string | undefined {
  return node.type === type ? String((node as { value?: unknown }).value ?? '') : undefined;
}

function inlineNode(node: Nodes): string {
  const math = mathValue(node, 'inlineMath');
  if (math !== undefined) return `\`${escapeBare(math.replace(/`/g, 'ˋ'))}\``;
  switch (node.type) {
    case 'text':
      return escapeText(node.value);
    case 'strong':
      return wrap('*', inline(node.children));
    case 'emphasis':
      return wrap('_', inline(node.children));
    case 'delete':
      return wrap('~', inline(node.children));
    case 'inlineCode':
      return `\`${escapeBare(node.value.replace(/`/g, 'ˋ'))}\``;
    case 'break':
      return '\n';
    case 'link': {
      const label = inline(node.children);
      const url = node.url.replace(/[<>|]/g, encodeURIComponent);
      return label && label !== node.url ? `<${url}|${label.replace(/[|]/g, '¦')}>` : `<${url}>`;
    }
    case 'image': {
      const url = node.url.replace(/[<>|]/g, encodeURIComponent);
      return node.alt ? `<${url}|${escapeBare(node.alt).replace(/[|]/g, '¦')}>` : `<${url}>`;
    }
    case 'html':
      return escapeText(node.value);
    case 'footnoteReference':
      return `[${node.identifier}]`;
    default:
      return 'children' in node
        ? inline(node.children as Nodes[])
        : 'value' in node
          ? escapeText(String(node.value))
          : '';
  }
}

function block(node: RootContent, depth = 0): string {
  const math = mathValue(node, 'math');
  if (math !== undefined) return `\`\`\`\n${escapeBare(math.replace(/```/g, 'ˋˋˋ'))}\n\`\`\``;
  switch (node.type) {
    case 'paragraph':
      return inline(node.children);
    case 'heading':
      return wrap('*', inline(node.children));
    case 'thematicBreak':
      return '───';
    case 'blockquote':
      return blocks(node.children, depth)
        .split('\n')
        .map((l) => `> ${l}`.trimEnd())
        .join('\n');
    case 'code':
      return `\`\`\`\n${escapeBare(node.value.replace(/```/g, 'ˋˋˋ'))}\n\`\`\``;
    case 'list': {
      const start = node.start ?? 1;
      return node.children
        .map((item, i) => {
          const check = item.checked === true ? '☑ ' : item.checked === false ? '☐ ' : '';
          const bullet = node.ordered ? `${start + i}. ` : depth % 2 === 0 ? '• ' : '◦ ';
          const body = item.children.map((c) => block(c, depth + 1)).join('\n');
          const [first = '', ...rest] = body.split('\n');
          const pad = ' '.repeat(4);
          return [bullet + check + first, ...rest.map((l) => (l ? pad + l : l))].join('\n');
        })
        .join('\n');
    }
    case 'table': {
      const rows = node.children.map((row) => row.children.map((cell) => inline(cell.children).trim()));
      const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
      const lines = rows.map((r) =>
        r
          .map((cell, c) => cell.padEnd(widths[c] ?? 0))
          .join(' | ')
          .trimEnd(),
      );
      if (lines.length > 1) lines.splice(1, 0, widths.map((w) => '-'.repeat(Math.max(1, w))).join('-|-'));
      return `\`\`\`\n${lines.join('\n')}\n\`\`\``;
    }
    case 'html':
      return escapeText(node.value);
    case 'footnoteDefinition':
      return `[${node.identifier}] ${blocks(node.children, depth)}`;
    case 'definition':
      return '';
    default:
      return inlineNode(node as Nodes);
  }
}

function blocks(nodes: readonly RootContent[], depth: number): string {
  return nodes
    .map((n) => block(n, depth))
    .filter((s) => s !== '')
    .join(depth > 0 ? '\n' : '\n\n');
}

/** Converts Markdown to Slack mrkdwn. */
export function markdownToMrkdwn(markdown: string): string {
  return blocks(parseMarkdown(markdown).children, 0).trim();
}
