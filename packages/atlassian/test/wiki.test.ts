/**
 * Jira wiki markup ↔ Markdown on a corpus: Markdown → wiki → Markdown is stable, the wiki written is what Jira
 * reads, realistic wiki samples (as Jira Data Center users write them) keep everything visible, and plain text
 * full of wiki's special characters survives both ways.
 */
import { markdownToWiki, wikiToMarkdown } from '@switchboard-mcp/atlassian';
import { escapeMarkdown, type Nodes, parseMarkdown } from '@switchboard-mcp/core/markdown';
import { describe, expect, it } from 'vitest';

/** Markdown written the way wikiToMarkdown writes it: one round trip must give it back unchanged. */
const CANONICAL: Record<string, string> = {
  headings: '# Title\n\n## Section & more\n\n###### Deep',
  marks: 'Plain **bold** _em_ ~~gone~~ `code` and **_both_** together.',
  links:
    'See [the docs](https://example.com/a_b?c=1) or <https://example.com/x_y> and [top](#top) and [ABC-12](ABC-12).',
  escapes: 'Stars \\*not bold\\* and \\_not em\\_ and a \\[bracket] with {braces} and a|pipe!',
  specials: 'C++ and a -- b, 2-3, x^2, \\~tilde, ??why?? C:\\path\\to and back\\ and & 100%',
  code_spans: 'Use `&amp;` and `a\\*b` and `{{x}}` and `[a|b]` in code.',
  lists: '- one\n  - nested\n    - deeper\n- two\n\n1. first\n2. second\n   - mixed in\n3. third',
  tasks: '- [x] done\n- [ ] open',
  code: '```java\nclass A { int x = 1; }\n```',
  code_title: '```ts title=a.ts\nconst x = [1, 2];\n```',
  code_no_lang: '```\nplain *text* {braces}\n```',
  table: '| A | B |\n| - | - |\n| 1<br>2 | x \\| y |\n| `code` | _b_ [l](https://example.com) |',
  quote: '> just a quote',
  quote_blocks: '> two\n>\n> paragraphs',
  panels: '> [!INFO] Heads up\n> Be careful\n\n> [!WARNING]\n> Hot',
  macro_panel: '> [macro: panel title="Custom panel" borderStyle=dashed]\n>\n> Inside the panel',
  macros: 'A [macro: anchor default=here] mark and\n\n[macro: toc]',
  styling: '<ins>under</ins> x <sup>2</sup> H <sub>2</sub> <cite>Book</cite> <span style="color:red">red</span>',
  mentions: 'Ask [@jdoe](username:jdoe) or [@557058:abc](accountid:557058:abc).',
  attachments:
    '![shot.png](attachment:shot.png) and [spec.pdf](attachment:spec.pdf) and [the spec](attachment:spec.pdf)',
  image_params: '![shot.png](attachment:shot.png "thumbnail") and ![](https://example.com/logo.png)',
  breaks: 'line one\nline two',
  rule: 'above\n\n---\n\nbelow',
};

describe('Markdown → wiki → Markdown', () => {
  it.each(Object.entries(CANONICAL))('%s is stable', (_name, markdown) => {
    expect(wikiToMarkdown(markdownToWiki(markdown))).toBe(markdown);
  });
});

describe('Markdown → wiki', () => {
  it('writes Jira notation for every construct', () => {
    const wiki = markdownToWiki(
      [
        '## Title',
        '',
        'Some **bold**, _em_, ~~gone~~, `mono` and [docs](https://example.com/d) by [@ann](username:ann).',
        '',
        '- a',
        '  - b',
        '    1. c',
        '',
        '| H1 | H2 |',
        '| --- | --- |',
        '| x | y |',
        '',
        '```python',
        'print(1)',
        '```',
        '',
        '> quoted',
        '',
        '---',
      ].join('\n'),
    );
    expect(wiki).toBe(
      [
        'h2. Title',
        '',
        'Some *bold*, _em_, -gone-, {{mono}} and [docs|https://example.com/d] by [~ann].',
        '',
        '* a',
        '** b',
        '**# c',
        '',
        '||H1||H2||',
        '|x|y|',
        '',
        '{code:python}',
        'print(1)',
        '{code}',
        '',
        'bq. quoted',
        '',
        '----',
      ].join('\n'),
    );
  });

  it('escapes wiki special characters in plain text, and only where Jira would read markup', () => {
    expect(markdownToWiki('snake_case well-known 2024-05-01 a - b x*y')).toBe(
      'snake_case well-known 2024-05-01 a - b x*y',
    );
    expect(markdownToWiki('\\*stars\\* \\_under\\_ -minus- {x} [y] wow!now ??q??')).toBe(
      '\\*stars\\* \\_under\\_ \\-minus\\- \\{x\\} \\[y\\] wow\\!now \\?\\?q\\?\\?',
    );
    // Lines that would start a list, heading, quote, rule or table stay text.
    expect(markdownToWiki('\\- not a list\n\\# nor this\nh1. nor\n\\| pipe')).toBe(
      '\\- not a list\n\\# nor this\nh1&#46; nor\n\\| pipe',
    );
    // A backslash before markup would escape it: written as an entity.
    expect(markdownToWiki('a\\\\ b\\\\*c d\\\\')).toBe('a\\ b&#92;\\*c d&#92;');
  });

  it('writes an effect that touches a word as plain text (Jira would not read it, and a stray mark would pair)', () => {
    expect(markdownToWiki('**bold**text and x**y** but **ok**, _fine_.')).toBe('boldtext and xy but *ok*, _fine_.');
  });

  it('writes panels, code titles, images and unknown macros so Jira renders them', () => {
    expect(markdownToWiki('> [!NOTE] Read me\n> body')).toBe('{panel:title=Read me|bgColor=#eae6ff}\nbody\n{panel}');
    expect(markdownToWiki('```js title="a b.js"\nx\n```')).toBe('{code:js|title=a b.js}\nx\n{code}');
    expect(markdownToWiki('```\nhas {code} inside\n```')).toBe('{noformat}\nhas {code} inside\n{noformat}');
    expect(markdownToWiki('![diagram](attachment:arch.png)')).toBe('!arch.png|alt=diagram!');
    expect(markdownToWiki('[macro: jira key=ENG-1 server="System JIRA"]')).toBe('{jira:key=ENG-1|server=System JIRA}');
    expect(markdownToWiki('$$\nx^2\n$$')).toBe('{code:latex}\nx^2\n{code}');
  });

  it('never throws on odd Markdown', () => {
    for (const md of ['', '\n\n', '<div>html</div>', '[^1]\n\n[^1]: note', '[ref]\n\n[ref]: https://x.y', '* \n*']) {
      expect(typeof markdownToWiki(md)).toBe('string');
    }
  });
});

/** Wiki as Jira Data Center users write it, and the Markdown each must read as. */
const SAMPLES: [string, string, string][] = [
  [
    'bug report',
    [
      'h2. Steps',
      '# Open the *login* page',
      '# Enter _any_ user',
      '#* with {{SSO}} on',
      '# See -the- error',
      '',
      'h3. Expected',
      'No redirect loop. See [the spec|https://wiki.example.com/SPEC] and [~jdoe].',
      '',
      '{code:javascript}',
      'if (a && b) { redirect(); }',
      '{code}',
    ].join('\n'),
    [
      '## Steps',
      '',
      '1. Open the **login** page',
      '2. Enter _any_ user',
      '   - with `SSO` on',
      '3. See ~~the~~ error',
      '',
      '### Expected',
      '',
      'No redirect loop. See [the spec](https://wiki.example.com/SPEC) and [@jdoe](username:jdoe).',
      '',
      '```javascript',
      'if (a && b) { redirect(); }',
      '```',
    ].join('\n'),
  ],
  [
    'tables',
    '||Browser||Affected||Notes||\n|Safari|*yes*|see [log|http://x.example/l]\\\\and retry|\n|Firefox|no|',
    '| Browser | Affected | Notes |\n| - | - | - |\n| Safari | **yes** | see [log](http://x.example/l)<br>and retry |\n| Firefox | no | |',
  ],
  ['row headers and no header row', '|a|b|\n||side|c|', '| a | b |\n| - | - |\n| **side** | c |'],
  [
    'quotes and panels',
    'bq. A short quote\n\n{quote}\nFirst\n\nSecond\n{quote}\n\n{panel:title=Heads up|bgColor=#FFFAE6}\nCareful *now*\n{panel}',
    '> A short quote\n\n> First\n>\n> Second\n\n> [!WARNING] Heads up\n> Careful **now**',
  ],
  [
    'custom panel and unknown macros',
    '{panel:title=Build notes|borderStyle=dashed}\nInside\n{panel}\n\n{toc}\n\nJump {anchor:here} and {status:colour=Green}',
    '> [macro: panel title="Build notes" borderStyle=dashed]\n>\n> Inside\n\n[macro: toc]\n\nJump [macro: anchor default=here] and [macro: status colour=Green]',
  ],
  [
    'noformat and inline code',
    '{noformat}\n*not bold* [not a link]\n{noformat}\nUse {{a_b}} or {code}x = 1{code} inline.',
    '```\n*not bold* [not a link]\n```\n\nUse `a_b` or `x = 1` inline.',
  ],
  [
    'effects without Markdown syntax',
    '+under+ ^sup^ ~sub~ ??cite?? {color:#ff0000}red{color}\nnext line\\\\forced',
    '<ins>under</ins> <sup>sup</sup> <sub>sub</sub> <cite>cite</cite> <span style="color:#ff0000">red</span>\nnext line\\\nforced',
  ],
  [
    'attachments and images',
    '!screen.png! !screen.png|thumbnail! !http://x.example/a.gif! [^log.txt] [full log|^log.txt]',
    '![screen.png](attachment:screen.png) ![screen.png](attachment:screen.png "thumbnail") ![](http://x.example/a.gif) [log.txt](attachment:log.txt) [full log](attachment:log.txt)',
  ],
  [
    'text that only looks like markup',
    'well-known snake_case 2-3 a - b Wow! [WIP] fix {"a": 1} 5*3*2 -- em',
    'well-known snake_case 2-3 a - b Wow! \\[WIP] fix {"a": 1} 5\\*3\\*2 -- em',
  ],
  [
    'escapes and entities',
    '\\*literal\\* \\[x\\] \\{y\\} a&#92;b &amp; &lt;tag&gt; &unknown;',
    '\\*literal\\* \\[x] {y} a\\b & \\<tag> \\&unknown;',
  ],
  [
    'rules and bullets with dashes',
    '- one\n- two\n----\n* star\n** deeper\n* back',
    '- one\n- two\n\n---\n\n- star\n  - deeper\n- back',
  ],
];

describe('wiki → Markdown', () => {
  it.each(SAMPLES)('%s', (_name, wiki, markdown) => {
    expect(wikiToMarkdown(wiki)).toBe(markdown);
  });

  it('keeps every word of realistic wiki visible', () => {
    for (const [, wiki] of SAMPLES) {
      const out = wikiToMarkdown(wiki);
      // Markup words, and a panel colour that reads as the alert kind (WARNING).
      const markup = new Set([
        'h2',
        'h3',
        'code',
        'panel',
        'noformat',
        'quote',
        'bq',
        'color',
        'title',
        'bgColor',
        'FFFAE6',
      ]);
      // Entities (`&#92;`) are markup too.
      for (const word of wiki.replace(/&#?\w+;/g, ' ').match(/[\p{L}\p{N}]{2,}/gu) ?? []) {
        if (!markup.has(word)) expect(out, `${word} of ${wiki}`).toContain(word);
      }
    }
  });

  it('never throws on odd wiki, including unclosed blocks', () => {
    for (const wiki of [
      '',
      '{code}\nnever closed',
      '{quote}open',
      '||',
      '|',
      '* ',
      '#',
      '[',
      '!',
      '{{',
      'h1.',
      '{color:red}x',
    ]) {
      expect(typeof wikiToMarkdown(wiki)).toBe('string');
    }
    expect(wikiToMarkdown('{code:sql}\nSELECT 1')).toBe('```sql\nSELECT 1\n```');
    // Random wiki built from markup pieces: never throws, and every word stays visible.
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const pieces = [
      '*',
      '_',
      '-',
      '+',
      '^',
      '~',
      '??',
      '{{',
      '}}',
      '[',
      ']',
      '|',
      '||',
      '!',
      '\\',
      '\n',
      ' ',
      'h2. ',
      '# ',
      '* ',
      'bq. ',
      '{code}',
      '{quote}',
      '{panel:title=x}',
      '{color:red}',
      '{noformat}',
      '----',
      '[~u]',
      'word',
    ];
    for (let n = 0; n < 300; n++) {
      const wiki = Array.from({ length: 12 }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      expect(wikiToMarkdown(wiki).match(/word/g)?.length ?? 0, wiki).toBe(wiki.match(/word/g)?.length ?? 0);
    }
    expect(wikiToMarkdown('{color:red}x')).toBe('<span style="color:red">x');
  });
});

/** Plain text of a Markdown document (what a reader sees), whitespace collapsed. */
function visibleText(markdown: string): string {
  const walk = (n: Nodes): string =>
    'value' in n && typeof n.value === 'string'
      ? n.value
      : 'children' in n
        ? (n.children as Nodes[]).map(walk).join(' ')
        : '';
  return walk(parseMarkdown(markdown)).replace(/\s+/g, ' ').trim();
}

describe('plain text with wiki special characters', () => {
  // A seeded generator: the same strings on every run, so a failure reproduces.
  let seed = 20261126;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const alphabet = [...'ab1 *_-+^~?{}[]|!\\&#;.():/h=q'];
  const strings = Array.from({ length: 400 }, () => {
    const length = 1 + Math.floor(random() * 16);
    return Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  }).filter((s) => s.trim());

  it.each([
    ['a paragraph', (s: string) => s],
    ['strong text', (s: string) => `**x ${s} y**`],
    ['a table cell', (s: string) => `| h |\n| - |\n| ${s} |`],
    ['a link label', (s: string) => `[x ${s} y](https://example.com)`],
    ['a list item', (s: string) => `- x ${s}`],
  ])('survives Markdown → wiki → Markdown in %s', (_name, wrap) => {
    for (const s of strings) {
      const markdown = wrap(escapeMarkdown(s));
      const back = wikiToMarkdown(markdownToWiki(markdown));
      expect(visibleText(back), `${JSON.stringify(s)} → ${JSON.stringify(markdownToWiki(markdown))}`).toBe(
        visibleText(markdown),
      );
    }
  });
});
