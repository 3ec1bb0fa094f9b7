/** Markdown → Slack mrkdwn: what the model writes is what people see in Slack. */
import { describe, expect, it } from 'vitest';
import { markdownToMrkdwn } from '../src/mrkdwn.ts';

describe('markdownToMrkdwn', () => {
  it.each([
    ['**bold** and __bold__', '*bold* and *bold*'],
    ['*em* and _em_', '_em_ and _em_'],
    ['~~gone~~', '~gone~'],
    ['`a < b && c`', '`a &lt; b &amp;&amp; c`'],
    ['[docs](https://example.com/a?b=1&c=2)', '<https://example.com/a?b=1&c=2|docs>'],
    ['<https://example.com>', '<https://example.com>'],
    ['https://example.com/x', '<https://example.com/x>'],
    ['![logo](https://example.com/l.png)', '<https://example.com/l.png|logo>'],
    ['# Title\n\nBody', '*Title*\n\nBody'],
    ['a & b < c > d', 'a &amp; b &lt; c &gt; d'],
    ['line one  \nline two', 'line one\nline two'],
    ['***', '───'],
    ['$x^2$', '`x^2`'],
  ])('%j', (markdown, mrkdwn) => {
    expect(markdownToMrkdwn(markdown)).toBe(mrkdwn);
  });

  it("keeps Slack's own tokens: mentions, channels, special mentions, dates and links", () => {
    expect(markdownToMrkdwn('ping <@U0BOB00002> in <#C0ENGINEER|engineering> <!here> <!subteam^S123|@oncall>')).toBe(
      'ping <@U0BOB00002> in <#C0ENGINEER|engineering> <!here> <!subteam^S123|@oncall>',
    );
    expect(markdownToMrkdwn('due <!date^1714000000^{date_short}|May 1>')).toBe(
      'due <!date^1714000000^{date_short}|May 1>',
    );
    expect(markdownToMrkdwn('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('lists: bullets, numbers, nesting and task items', () => {
    expect(markdownToMrkdwn('- one\n- two\n  - nested\n- [x] done\n- [ ] todo')).toBe(
      '• one\n• two\n    ◦ nested\n• ☑ done\n• ☐ todo',
    );
    expect(markdownToMrkdwn('3. three\n4. four')).toBe('3. three\n4. four');
  });

  it('code blocks and quotes', () => {
    expect(markdownToMrkdwn('```ts\nconst a = b < c;\n```')).toBe('```\nconst a = b &lt; c;\n```');
    expect(markdownToMrkdwn('> quoted **text**\n> more')).toBe('> quoted *text*\n> more');
  });

  it('tables become aligned text in a code block', () => {
    expect(markdownToMrkdwn('| a | bb |\n|---|---|\n| 1 | 2 |')).toBe('```\na | bb\n--|---\n1 | 2\n```');
  });
});
