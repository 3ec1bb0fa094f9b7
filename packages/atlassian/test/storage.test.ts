/**
 * Confluence storage format ↔ Markdown on a corpus: Markdown → storage → Markdown is stable, and realistic
 * storage samples (as the Confluence editor writes them) keep every macro visible in the Markdown.
 */
import { markdownToStorage, mentionedUsers, storageToMarkdown } from '@switchboard-mcp/atlassian/storage';
import { describe, expect, it } from 'vitest';

/** Markdown written the way storageToMarkdown writes it: one round trip must give it back unchanged. */
const CANONICAL: Record<string, string> = {
  headings: '# Title\n\n## Section & more\n\n###### Deep',
  marks: 'Plain **bold** _em_ ~~gone~~ `code` and [a link](https://example.com/a?b=1).',
  escapes: 'Stars \\*not bold\\* and a \\[bracket] and 1 < 2 & 3 > 2.',
  lists: '- one\n  - nested\n    - deeper\n- two\n\n1. first\n2. second',
  ordered_start: '3. three\n4. four',
  tasks: '- [x] done\n- [ ] open',
  code: '```python title=x.py\nprint("<hi>")\nif a && b: pass\n```',
  code_no_lang: '```\nplain ]]> text\n```',
  panels:
    '> [!INFO] Heads up\n>\n> Be careful\n\n> [!WARNING]\n>\n> Hot\n\n> [!NOTE]\n>\n> Yellow\n\n> [!TIP]\n>\n> Green',
  expand: '> [!EXPAND] More\n>\n> hidden _text_',
  status: 'Build: [status: FAILED (Red)] then [status: DONE (Green)] and [status: NEW]',
  macros: '[macro: toc maxLevel=3]\n\n[macro: jira server="System JIRA" key=ENG-12]',
  rich_macro: '> [macro: panel title="Custom panel" bgColor=#eee]\n>\n> Inside the panel',
  mentions: 'Owner: [@user](user:557058:abc-123) and [@user](userkey:8a7f8) ok',
  page_links: 'See [the notes](<page:ENG/Release notes>) and [home](<page:/Home page>) and [anchor](#top)',
  attachments: '![diagram](attachment:arch.png) and [the sheet](attachment:plan.xlsx)',
  images: '![logo](https://example.com/logo.png)',
  table: '| A | B |\n| - | - |\n| 1<br>2 | x \\| y |\n| `code` | _b_ |',
  quote: '> just a quote\n>\n> two paragraphs',
  rule: 'above\n\n---\n\nbelow',
  breaks: 'line one\\\nline two',
};

describe('Markdown → storage → Markdown', () => {
  it.each(Object.entries(CANONICAL))('%s comes back unchanged', (_name, md) => {
    expect(storageToMarkdown(markdownToStorage(md))).toBe(md);
  });

  it('normalises other Markdown once, then stays stable', () => {
    const loose = [
      '* star bullets\n* more\n\nSome **strong** and *em*.',
      '> [!NOTE]\n> GitHub-style alert on one paragraph',
      '> [!CAUTION]\n> becomes a warning',
      'Setext\n======\n\nref [link][r]\n\n[r]: https://example.com/r',
      '1) paren list\n2) two',
      'Math $x^2$ inline and html <b>tag</b>',
      '- [ ] task with\n  - nested plain item',
    ];
    for (const md of loose) {
      const once = storageToMarkdown(markdownToStorage(md));
      expect(storageToMarkdown(markdownToStorage(once)), md).toBe(once);
    }
  });
});

describe('Markdown → storage', () => {
  it('writes the macros Confluence expects', () => {
    const s = markdownToStorage('```sql\nSELECT 1\n```\n\n> [!TIP]\n> try it\n\n[status: OK (Green)]');
    expect(s).toContain(
      '<ac:structured-macro ac:name="code"><ac:parameter ac:name="language">sql</ac:parameter><ac:plain-text-body><![CDATA[SELECT 1]]></ac:plain-text-body></ac:structured-macro>',
    );
    expect(s).toContain('<ac:structured-macro ac:name="tip"><ac:rich-text-body><p>try it</p></ac:rich-text-body>');
    expect(s).toContain(
      '<ac:structured-macro ac:name="status"><ac:parameter ac:name="colour">Green</ac:parameter><ac:parameter ac:name="title">OK</ac:parameter></ac:structured-macro>',
    );
  });

  it('escapes text and splits CDATA terminators', () => {
    expect(markdownToStorage('a <script> & "q"')).toBe('<p>a &lt;script&gt; &amp; &quot;q&quot;</p>');
    expect(markdownToStorage('```\n]]>\n```')).toContain('<![CDATA[]]]]><![CDATA[>]]>');
  });

  it('writes task lists, page links, mentions and attachments as ac:/ri: elements', () => {
    const s = markdownToStorage('- [x] a\n- [ ] b\n\n[x](<page:ENG/My page>) [@user](user:42) ![i](attachment:a.png)');
    expect(s).toContain('<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>complete</ac:task-status>');
    expect(s).toContain('<ri:page ri:space-key="ENG" ri:content-title="My page" />');
    expect(s).toContain('<ac:link><ri:user ri:account-id="42" /></ac:link>');
    expect(s).toContain('<ac:image ac:alt="i"><ri:attachment ri:filename="a.png" /></ac:image>');
  });

  it('never passes raw HTML through', () => {
    expect(markdownToStorage('<div onclick="x()">hi</div>')).not.toContain('<div');
  });
});

/** Storage as the Confluence editor writes it. */
const REALISTIC = `<p class="auto-cursor-target"><br /></p>
<ac:layout><ac:layout-section ac:type="two_equal" ac:breakout-mode="default"><ac:layout-cell>
<h2 id="Plan-Goals">Goals</h2><p>Ship&nbsp;<strong>v2</strong> by <time datetime="2026-03-01" /> &mdash; owner <ac:link><ri:user ri:account-id="557058:xyz" /></ac:link>.</p>
</ac:layout-cell><ac:layout-cell>
<ac:structured-macro ac:name="recently-updated" ac:schema-version="1" ac:macro-id="abc"><ac:parameter ac:name="spaces"><ri:space ri:space-key="ENG" /></ac:parameter><ac:parameter ac:name="max">5</ac:parameter></ac:structured-macro>
</ac:layout-cell></ac:layout-section></ac:layout>
<ac:structured-macro ac:name="note" ac:schema-version="1"><ac:parameter ac:name="title">Read me</ac:parameter><ac:rich-text-body><p>Freeze starts <em>Friday</em>.</p><ul><li><p>no deploys</p></li></ul></ac:rich-text-body></ac:structured-macro>
<table data-layout="default"><colgroup><col style="width: 200px;" /></colgroup><tbody><tr><th><p><strong>Service</strong></p></th><th><p>State</p></th></tr><tr><td><p>billing</p></td><td><p><ac:structured-macro ac:name="status" ac:schema-version="1"><ac:parameter ac:name="title">BLOCKED</ac:parameter><ac:parameter ac:name="colour">Red</ac:parameter></ac:structured-macro></p></td></tr><tr><td><ul><li>a</li><li>b</li></ul></td><td><p><ac:structured-macro ac:name="jira" ac:schema-version="1"><ac:parameter ac:name="key">PAY-7</ac:parameter></ac:structured-macro></p></td></tr></tbody></table>
<ac:structured-macro ac:name="code" ac:schema-version="1"><ac:parameter ac:name="language">bash</ac:parameter><ac:parameter ac:name="linenumbers">true</ac:parameter><ac:plain-text-body><![CDATA[kubectl rollout status deploy/billing && echo "<ok>"]]></ac:plain-text-body></ac:structured-macro>
<ac:structured-macro ac:name="noformat" ac:schema-version="1"><ac:plain-text-body><![CDATA[raw   spacing]]></ac:plain-text-body></ac:structured-macro>
<ac:structured-macro ac:name="html"><ac:plain-text-body><![CDATA[<iframe src="x"></iframe>]]></ac:plain-text-body></ac:structured-macro>
<ac:structured-macro ac:name="excerpt"><ac:parameter ac:name="hidden">true</ac:parameter><ac:rich-text-body><p>The summary.</p></ac:rich-text-body></ac:structured-macro>
<p><ac:structured-macro ac:name="anchor"><ac:parameter ac:name="">top</ac:parameter></ac:structured-macro>Linked: <ac:link ac:anchor="Plan-Goals"><ac:plain-text-link-body><![CDATA[goals]]></ac:plain-text-link-body></ac:link>, <ac:link><ri:page ri:content-title="Runbook" ri:space-key="OPS" /></ac:link>, <ac:link><ri:attachment ri:filename="plan.pdf" /><ac:link-body>the <em>plan</em></ac:link-body></ac:link> <ac:emoticon ac:name="tick" ac:emoji-fallback="✅" /></p>
<ac:task-list><ac:task><ac:task-id>7</ac:task-id><ac:task-status>incomplete</ac:task-status><ac:task-body><span class="placeholder-inline-tasks">Review with <ac:link><ri:user ri:account-id="557058:xyz" /></ac:link></span></ac:task-body></ac:task></ac:task-list>
<ac:image ac:height="250"><ri:url ri:value="https://example.com/chart.png" /></ac:image>
<ac:adf-extension><ac:adf-node type="extension"><ac:adf-attribute key="extension-key">roadmap</ac:adf-attribute></ac:adf-node><ac:adf-fallback><p>Roadmap fallback text</p></ac:adf-fallback></ac:adf-extension>`;

describe('storage → Markdown on realistic pages', () => {
  const md = storageToMarkdown(REALISTIC);

  it('keeps every macro visible', () => {
    for (const expected of [
      '[macro: recently-updated spaces=ENG max=5]',
      '> [!NOTE] Read me',
      '[status: BLOCKED (Red)]',
      '[macro: jira key=PAY-7]',
      '```bash linenumbers=true',
      '```\nraw   spacing\n```',
      '> [macro: html]',
      '<iframe src="x"></iframe>',
      '> [macro: excerpt hidden=true]',
      '[macro: anchor default=top]',
    ]) {
      expect(md, expected).toContain(expected);
    }
  });

  it('renders text, tables, links, tasks and images readably', () => {
    expect(md).toContain('## Goals');
    expect(md).toContain('Ship **v2** by 2026-03-01 — owner [@user](user:557058:xyz).');
    expect(md).toContain('| **Service** | State |');
    expect(md).toContain('| • a<br>• b | [macro: jira key=PAY-7] |');
    expect(md).toContain('kubectl rollout status deploy/billing && echo "<ok>"');
    expect(md).toContain('[goals](#Plan-Goals)');
    expect(md).toContain('[Runbook](page:OPS/Runbook)');
    expect(md).toContain('[the _plan_](attachment:plan.pdf)');
    expect(md).toContain('✅');
    expect(md).toContain('- [ ] Review with [@user](user:557058:xyz)');
    expect(md).toContain('![](https://example.com/chart.png)');
    expect(md).toContain('Roadmap fallback text');
  });

  it('turns back into storage that keeps the macros and reads the same', () => {
    const storage = markdownToStorage(md);
    for (const name of ['recently-updated', 'note', 'status', 'jira', 'code', 'html', 'excerpt', 'anchor']) {
      expect(storage, name).toContain(`<ac:structured-macro ac:name="${name}">`);
    }
    expect(storageToMarkdown(storage)).toBe(md);
  });

  it('names mentioned users when told their names; writing back keeps only the id', () => {
    expect(mentionedUsers(REALISTIC)).toEqual(['557058:xyz']);
    const named = storageToMarkdown(REALISTIC, {
      userName: (id) => (id === '557058:xyz' ? 'Zoë  Example' : undefined),
    });
    expect(named).toContain('owner [@Zoë Example](user:557058:xyz).');
    expect(markdownToStorage('[@Zoë Example](user:557058:xyz)')).toBe(
      '<p><ac:link><ri:user ri:account-id="557058:xyz" /></ac:link></p>',
    );
  });

  it('never throws on broken input', () => {
    for (const bad of ['<p>unclosed <strong>bold', '<ac:structured-macro>', '<![CDATA[x', '', '<table><tr>']) {
      expect(typeof storageToMarkdown(bad)).toBe('string');
    }
  });
});
