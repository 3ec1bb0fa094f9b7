import { escapeMarkdown, parseMarkdown } from '@switchboard-mcp/core/markdown';
import { describe, expect, it } from 'vitest';

describe('parseMarkdown', () => {
  it('parses GFM tables, task lists, strikethrough and math', () => {
    const tree = parseMarkdown('| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~gone~~ $x^2$\n\n$$\nE=mc^2\n$$\n');
    expect(tree.children.map((n) => n.type)).toEqual(['table', 'list', 'paragraph', 'math']);
    const list = tree.children[1]!;
    expect(list.type === 'list' && list.children[0]?.checked).toBe(true);
    const para = tree.children[2]!;
    expect(para.type === 'paragraph' && para.children.map((n) => n.type)).toEqual(['delete', 'text', 'inlineMath']);
  });

  it('escapes text so it parses back to the same literal', () => {
    for (const text of ['a *b* _c_ `d` [e](f) | ~g~ $h$', '# not a heading', '1. not a list', '<tag>']) {
      const tree = parseMarkdown(escapeMarkdown(text));
      const para = tree.children[0]!;
      expect(para.type).toBe('paragraph');
      const literal = para.type === 'paragraph' ? para.children.map((n) => ('value' in n ? n.value : '')).join('') : '';
      expect(literal).toBe(text);
    }
  });
});
