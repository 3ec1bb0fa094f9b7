/**
 * ADF ↔ Markdown on a corpus: every construct Jira and Confluence Cloud send, converted to Markdown and back.
 * localIds are generated on the way in, so they are ignored when comparing documents.
 */
import { describe, expect, it } from 'vitest';
import { type AdfDoc, type AdfNode, adfToMarkdown, markdownToAdf } from '../src/adf.ts';

const doc = (...content: AdfNode[]): AdfDoc => ({ type: 'doc', version: 1, content });
const p = (...content: AdfNode[]): AdfNode => ({ type: 'paragraph', content });
const t = (text: string, ...marks: string[]): AdfNode =>
  marks.length ? { type: 'text', text, marks: marks.map((type) => ({ type })) } : { type: 'text', text };

function withoutLocalIds(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (k, v) => (k === 'localId' ? undefined : v)));
}

/** ADF documents that must survive ADF → Markdown → ADF unchanged. */
const CORPUS: Record<string, AdfDoc> = {
  paragraphs: doc(p(t('First paragraph.')), p(t('Second with '), t('bold', 'strong'), t(' and '), t('em', 'em'))),
  headings: doc(
    { type: 'heading', attrs: { level: 1 }, content: [t('Title')] },
    { type: 'heading', attrs: { level: 3 }, content: [t('Sub '), t('code', 'code')] },
  ),
  marks: doc(
    p(
      t('strike', 'strike'),
      t(' '),
      t('both', 'strong', 'em'),
      t(' '),
      { type: 'text', text: 'a link', marks: [{ type: 'link', attrs: { href: 'https://example.com/a?b=1' } }] },
      t(' x * y _ z [1]'),
    ),
  ),
  lists: doc({
    type: 'bulletList',
    content: [
      { type: 'listItem', content: [p(t('one'))] },
      {
        type: 'listItem',
        content: [
          p(t('two')),
          {
            type: 'orderedList',
            attrs: { order: 3 },
            content: [
              { type: 'listItem', content: [p(t('three'))] },
              { type: 'listItem', content: [p(t('four'))] },
            ],
          },
        ],
      },
    ],
  }),
  tasks: doc({
    type: 'taskList',
    attrs: { localId: 'x' },
    content: [
      { type: 'taskItem', attrs: { localId: 'a', state: 'DONE' }, content: [t('shipped')] },
      { type: 'taskItem', attrs: { localId: 'b', state: 'TODO' }, content: [t('document it')] },
      {
        type: 'taskList',
        attrs: { localId: 'y' },
        content: [{ type: 'taskItem', attrs: { localId: 'c', state: 'TODO' }, content: [t('nested')] }],
      },
    ],
  }),
  code: doc(
    { type: 'codeBlock', attrs: { language: 'ts' }, content: [t('const a = `x`;\n```\nnot a fence')] },
    { type: 'codeBlock', content: [t('plain')] },
  ),
  quoteAndRule: doc({ type: 'blockquote', content: [p(t('quoted'))] }, { type: 'rule' }, p(t('after'))),
  panels: doc(
    { type: 'panel', attrs: { panelType: 'info' }, content: [p(t('Heads up'))] },
    { type: 'panel', attrs: { panelType: 'error' }, content: [p(t('Broken')), p(t('Second line'))] },
  ),
  table: doc({
    type: 'table',
    content: [
      {
        type: 'tableRow',
        content: [
          { type: 'tableHeader', content: [p(t('Name'))] },
          { type: 'tableHeader', content: [p(t('Value'))] },
        ],
      },
      {
        type: 'tableRow',
        content: [
          { type: 'tableCell', content: [p(t('pipe | inside'))] },
          { type: 'tableCell', content: [p(t('bold', 'strong')), p(t('second paragraph'))] },
        ],
      },
    ],
  }),
  inlineNodes: doc(
    p(
      t('Ping '),
      { type: 'mention', attrs: { id: '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077', text: '@Grace Hopper' } },
      t(' state '),
      { type: 'status', attrs: { text: 'IN PROGRESS', color: 'blue' } },
      t(' '),
      { type: 'status', attrs: { text: 'TODO', color: 'neutral' } },
      t(' '),
      { type: 'emoji', attrs: { shortName: ':rocket:' } },
      t(' see '),
      { type: 'inlineCard', attrs: { url: 'https://example.atlassian.net/browse/ABC-1' } },
    ),
  ),
  hardBreak: doc(p(t('line one'), { type: 'hardBreak' }, t('line two'))),
};

describe('ADF → Markdown → ADF round trip', () => {
  for (const [name, adf] of Object.entries(CORPUS)) {
    it(name, () => {
      const markdown = adfToMarkdown(adf);
      expect(withoutLocalIds(markdownToAdf(markdown)), markdown).toEqual(withoutLocalIds(adf));
    });
  }
});

describe('Markdown → ADF → Markdown is stable', () => {
  const samples = [
    '# Title\n\nSome **bold**, _em_, `code`, ~~gone~~ and [a link](https://x.test).',
    '1. one\n2. two\n   - nested\n3. three',
    '- [ ] todo\n- [x] done',
    '```python\nprint("hi")\n```',
    '> [!WARNING]\n> Careful',
    '| A | B |\n| --- | --- |\n| 1 | 2 |',
    'Hi [@Ada Lovelace](accountid:5b10a2844c20165700ede21a) [status/green: DONE] :tada:',
  ];
  for (const md of samples) {
    it(md.split('\n')[0]!, () => {
      const once = adfToMarkdown(markdownToAdf(md));
      expect(once).toBe(md);
      expect(adfToMarkdown(markdownToAdf(once))).toBe(once);
    });
  }
});

describe('adfToMarkdown', () => {
  it('keeps unknown nodes visible as placeholders, with their content', () => {
    const md = adfToMarkdown(
      doc(
        { type: 'someFutureBlock', content: [p(t('inner text'))] },
        p(t('a '), { type: 'someFutureInline' }),
        { type: 'extension', attrs: { extensionKey: 'roadmap' } },
        { type: 'bodiedExtension', attrs: { extensionKey: 'details' }, content: [p(t('body kept'))] },
      ),
    );
    expect(md).toContain('[unsupported: someFutureBlock]');
    expect(md).toContain('inner text');
    expect(md).toContain('[unsupported: someFutureInline]');
    expect(md).toContain('[unsupported: extension roadmap]');
    expect(md).toContain('[unsupported: bodiedExtension details]');
    expect(md).toContain('body kept');
  });

  it('renders media as named placeholders, cards as links, dates as days, underline as its text', () => {
    const md = adfToMarkdown(
      doc(
        { type: 'mediaSingle', content: [{ type: 'media', attrs: { id: 'm1', type: 'file', alt: 'screenshot.png' } }] },
        { type: 'blockCard', attrs: { url: 'https://example.com/card' } },
        p({ type: 'date', attrs: { timestamp: '1767225600000' } }, t(' '), t('under', 'underline')),
        { type: 'expand', attrs: { title: 'Details' }, content: [p(t('hidden'))] },
      ),
    );
    expect(md).toContain('[media: screenshot.png]');
    expect(md).toContain('<https://example.com/card>');
    expect(md).toContain('2026-01-01 under');
    expect(md).toContain('**Details**');
    expect(md).toContain('hidden');
  });

  it('passes Data Center wiki text through and treats null as empty', () => {
    expect(adfToMarkdown('h1. Wiki *text*')).toBe('h1. Wiki *text*');
    expect(adfToMarkdown(null)).toBe('');
  });
});

describe('markdownToAdf', () => {
  it('produces valid nesting for list items that start with a nested list', () => {
    const adf = markdownToAdf('- - inner');
    const item = (adf.content[0]!.content ?? [])[0]!;
    expect(item.type).toBe('listItem');
    expect(item.content?.[0]?.type).toBe('paragraph');
  });

  it('keeps code free of other marks and never emits empty text nodes', () => {
    const adf = markdownToAdf('**bold `code` text**');
    const texts = JSON.stringify(adf);
    expect(texts).not.toContain('"text":""');
    const code = adf.content[0]!.content!.find((n) => n.text === 'code')!;
    expect(code.marks).toEqual([{ type: 'code' }]);
  });

  it('turns soft line breaks into spaces and images into links', () => {
    const adf = markdownToAdf('one\ntwo ![diagram](https://x.test/d.png)');
    expect(adf.content[0]!.content![0]!.text).toBe('one two ');
    expect(adf.content[0]!.content![1]).toEqual({
      type: 'text',
      text: 'diagram',
      marks: [{ type: 'link', attrs: { href: 'https://x.test/d.png' } }],
    });
  });

  it('keeps math as LaTeX code', () => {
    const adf = markdownToAdf('Energy $E=mc^2$\n\n$$\n\\int x\n$$');
    expect(adf.content[0]!.content![1]).toEqual({ type: 'text', text: 'E=mc^2', marks: [{ type: 'code' }] });
    expect(adf.content[1]).toEqual({
      type: 'codeBlock',
      attrs: { language: 'latex' },
      content: [{ type: 'text', text: '\\int x' }],
    });
  });

  it('handles empty input', () => {
    expect(markdownToAdf('')).toEqual({ type: 'doc', version: 1, content: [] });
  });
});
