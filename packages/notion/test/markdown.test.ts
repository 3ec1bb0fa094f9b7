/**
 * Markdown ↔ Notion blocks. The corpus in fixtures/ must survive Markdown → blocks → Markdown → blocks
 * unchanged (after the first normalisation), and the conversions Notion's limits and conventions depend on
 * are checked one by one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planWrites } from '../src/blocks.ts';
import { blocksToMarkdown, richTextToMarkdown } from '../src/markdown/from-blocks.ts';
import { markdownToBlocks, markdownToRichText } from '../src/markdown/to-blocks.ts';
import type { Block, BlockInput, RichText } from '../src/markdown/types.ts';

const fixtures = new URL('./fixtures/', import.meta.url);
const corpus = readdirSync(fixtures).filter((f) => f.endsWith('.md'));

let seq = 0;
/** Blocks as the API returns them: ids, and children attached beside the body instead of inside it. */
function asRead(blocks: BlockInput[]): Block[] {
  return blocks.map((b) => {
    const { children, ...body } = b[b.type] ?? {};
    const out: Block = { ...b, [b.type]: body, id: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}` };
    if (Array.isArray(children) && children.length) {
      out.children = asRead(children);
      out.has_children = true;
    }
    return out;
  });
}

/** Blocks without ids, to compare two conversions. */
function strip(blocks: BlockInput[]): unknown {
  return JSON.parse(JSON.stringify(blocks));
}

describe('round trips over the corpus', () => {
  it('has a corpus', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(4);
  });

  it.each(corpus)('%s: Markdown → blocks → Markdown is stable', (file) => {
    const source = readFileSync(new URL(file, fixtures), 'utf8');
    const blocks = markdownToBlocks(source);
    const once = blocksToMarkdown(asRead(blocks));
    const blocksAgain = markdownToBlocks(once);
    expect(strip(blocksAgain)).toEqual(strip(blocks));
    expect(blocksToMarkdown(asRead(blocksAgain))).toBe(once);
    // Nothing is lost on the way: every word of the source is still there (alert markers become icons).
    for (const word of source.replace(/\[![A-Z]+\]/g, '').match(/[A-Za-z]{5,}/g) ?? []) expect(once).toContain(word);
  });
});

describe('Markdown → blocks', () => {
  it('maps block syntax to Notion block types', () => {
    const types = markdownToBlocks(
      [
        '# H1',
        '## H2',
        '#### H4',
        'text',
        '- a',
        '1. b',
        '- [x] c',
        '> q',
        '> 📌 call',
        '```py\nx\n```',
        '---',
        '| a |\n| - |\n| b |',
        '$$\nx^2\n$$',
        '![alt](https://e.com/i.png)',
      ].join('\n\n'),
    ).map((b) => b.type);
    expect(types).toEqual([
      'heading_1',
      'heading_2',
      'heading_3',
      'paragraph',
      'bulleted_list_item',
      'numbered_list_item',
      'to_do',
      'quote',
      'callout',
      'code',
      'divider',
      'table',
      'equation',
      'image',
    ]);
  });

  it('keeps inline styles, links and equations in rich text', () => {
    const rt = markdownToRichText('a **b** *c* ~~d~~ `e` [f](https://x.test) $g$');
    expect(
      rt.map((t) => [t.type, t.text?.content ?? t.equation?.expression, t.annotations, t.text?.link?.url]),
    ).toEqual([
      ['text', 'a ', undefined, undefined],
      ['text', 'b', { bold: true }, undefined],
      ['text', ' ', undefined, undefined],
      ['text', 'c', { italic: true }, undefined],
      ['text', ' ', undefined, undefined],
      ['text', 'd', { strikethrough: true }, undefined],
      ['text', ' ', undefined, undefined],
      ['text', 'e', { code: true }, undefined],
      ['text', ' ', undefined, undefined],
      ['text', 'f', undefined, 'https://x.test'],
      ['text', ' ', undefined, undefined],
      ['equation', 'g', undefined, undefined],
    ]);
  });

  it('splits text over 2,000 characters, never inside a surrogate pair', () => {
    const long = `${'x'.repeat(1999)}😀${'y'.repeat(2500)}`;
    const [para] = markdownToBlocks(long);
    const parts = para?.paragraph.rich_text as { text: { content: string } }[];
    expect(parts.length).toBe(3);
    for (const p of parts) expect(p.text.content.length).toBeLessThanOrEqual(2000);
    expect(parts.map((p) => p.text.content).join('')).toBe(long);
    expect(parts[0]?.text.content.endsWith('x')).toBe(true);
  });

  it('continues text of more than 100 rich-text objects in a block of the same type, children on the last', () => {
    const styled = Array.from({ length: 130 }, (_, i) => `**w${i}** x`).join(' ');
    const blocks = markdownToBlocks(`- ${styled}\n  - child`);
    expect(blocks.map((b) => b.type)).toEqual(['bulleted_list_item', 'bulleted_list_item', 'bulleted_list_item']);
    for (const b of blocks) expect(b.bulleted_list_item.rich_text.length).toBeLessThanOrEqual(100);
    const text = blocks.flatMap((b) => b.bulleted_list_item.rich_text.map((t: RichText) => t.text?.content)).join('');
    expect(text).toBe(styled.replace(/\*\*/g, ''));
    expect(blocks.map((b) => b.bulleted_list_item.children?.length ?? 0)).toEqual([0, 0, 1]);
  });

  it('keeps links Notion cannot store visible as text', () => {
    const rt = markdownToRichText('[docs](./relative.md)');
    expect(rt.map((t) => t.text?.content).join('')).toBe('docs (./relative.md)');
    expect(rt.some((t) => t.text?.link)).toBe(false);
    const image = markdownToBlocks('![diagram](./img/arch.png)')[0];
    expect(image?.type).toBe('paragraph');
    expect(image?.paragraph.rich_text.map((t: RichText) => t.text?.content).join('')).toBe('diagram (./img/arch.png)');
  });

  it('maps fence languages to Notion’s list', () => {
    const langs = ['ts', 'sh', 'yml', 'made-up', ''].map(
      (l) => markdownToBlocks(`\`\`\`${l}\nx\n\`\`\``)[0]?.code.language,
    );
    expect(langs).toEqual(['typescript', 'shell', 'yaml', 'plain text', 'plain text']);
  });
});

describe('blocks → Markdown', () => {
  it('renders mentions as readable text and keeps unknown blocks as visible placeholders', () => {
    const blocks: Block[] = [
      {
        id: '1',
        type: 'paragraph',
        paragraph: {
          rich_text: [
            { type: 'mention', plain_text: 'Ada', mention: { type: 'user', user: { id: 'u' } } },
            { type: 'text', plain_text: ' see ', text: { content: ' see ' } },
            {
              type: 'mention',
              plain_text: 'Roadmap',
              mention: { type: 'page', page: { id: '10000000-0000-4000-8000-000000000002' } },
            },
            { type: 'text', plain_text: ' by ', text: { content: ' by ' } },
            { type: 'mention', plain_text: '2025-07-01', mention: { type: 'date', date: { start: '2025-07-01' } } },
          ],
        },
      },
      { id: '2', type: 'synced_block', synced_block: {} },
      { id: '3', type: 'ai_block', ai_block: {} },
      { id: '4', type: 'table_of_contents', table_of_contents: {} },
      { id: '5', type: 'child_page', child_page: { title: 'Sub' } },
      { id: '6', type: 'toggle', toggle: { rich_text: [] }, has_children: true },
      { id: '7', type: 'table', table: { table_width: 2 }, has_children: true },
    ];
    expect(blocksToMarkdown(blocks)).toBe(
      [
        '@Ada see [Roadmap](https://www.notion.so/10000000000040008000000000000002) by @2025-07-01',
        '\\[synced_block: content not loaded]',
        '\\[unsupported block: ai_block]',
        '\\[table of contents]',
        '[📄 Sub](https://www.notion.so/5)',
        '<details>\n<summary></summary>',
        '\\[nested blocks not loaded: block 6]',
        '</details>',
        '\\[nested blocks not loaded: block 7]',
      ].join('\n\n'),
    );
  });

  it('escapes text that would otherwise read as Markdown', () => {
    const md = richTextToMarkdown([
      { type: 'text', plain_text: '*not bold* # [x]', text: { content: '*not bold* # [x]' } },
    ]);
    expect(
      markdownToRichText(md)
        .map((t) => t.text?.content)
        .join(''),
    ).toBe('*not bold* # [x]');
  });
});

describe('write planning within Notion’s limits', () => {
  const para = (i: number): BlockInput => ({
    type: 'paragraph',
    paragraph: { rich_text: [{ type: 'text', text: { content: `p${i}` } }] },
  });
  const nest = (depth: number): BlockInput =>
    depth === 0
      ? para(0)
      : { type: 'bulleted_list_item', bulleted_list_item: { rich_text: [], children: [nest(depth - 1)] } };

  it('sends at most 100 blocks per request and keeps their order', () => {
    const chunks = planWrites(Array.from({ length: 250 }, (_, i) => para(i)));
    expect(chunks.map((c) => c.blocks.length)).toEqual([100, 100, 50]);
    expect(chunks[2]?.blocks[49]).toEqual(para(249));
  });

  it('keeps request bodies under Notion’s payload limit', () => {
    const big = (i: number): BlockInput => ({
      type: 'paragraph',
      paragraph: {
        rich_text: Array.from({ length: 50 }, () => ({ type: 'text', text: { content: `${i}`.padEnd(2000, 'x') } })),
      },
    });
    const chunks = planWrites(Array.from({ length: 10 }, (_, i) => big(i)));
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(Buffer.byteLength(JSON.stringify(c.blocks))).toBeLessThan(500_000);
    expect(chunks.flatMap((c) => c.blocks)).toEqual(Array.from({ length: 10 }, (_, i) => big(i)));
  });

  it('never sends a table without its rows: a table at the last nesting level waits for a later request', () => {
    const blocks = markdownToBlocks('- a\n  - b\n\n    | x |\n    | - |\n    | y |\n\n    after');
    const [chunk] = planWrites(blocks);
    const level1 = chunk?.blocks[0]?.bulleted_list_item.children[0];
    expect(level1.type).toBe('bulleted_list_item');
    expect(level1.bulleted_list_item.children).toBeUndefined();
    expect(chunk?.deferred).toHaveLength(1);
    expect(chunk?.deferred[0]?.path).toEqual([0, 0]);
    expect(chunk?.deferred[0]?.rest.map((b) => b.type)).toEqual(['table', 'paragraph']);
    expect(chunk?.deferred[0]?.rest[0]?.table.children).toHaveLength(2);
  });

  it('defers children nested deeper than two levels, and child lists longer than 100', () => {
    const [chunk] = planWrites([nest(4)]);
    const level2 = chunk?.blocks[0]?.bulleted_list_item.children[0].bulleted_list_item.children[0];
    expect(level2.bulleted_list_item.children).toBeUndefined();
    expect(chunk?.deferred).toEqual([{ path: [0, 0, 0], rest: [nest(1)] }]);
    const wide: BlockInput = {
      type: 'toggle',
      toggle: { rich_text: [], children: Array.from({ length: 150 }, (_, i) => para(i)) },
    };
    const [w] = planWrites([wide]);
    expect(w?.blocks[0]?.toggle.children).toHaveLength(100);
    expect(w?.deferred[0]?.rest).toHaveLength(50);
  });
});
