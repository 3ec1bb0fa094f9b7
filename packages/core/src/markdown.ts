/**
 * One Markdown dialect for every server: CommonMark + GFM (tables, task lists, strikethrough, autolinks,
 * footnotes) + `$inline$` / `$$block$$` math, parsed to an mdast tree. Servers convert that tree to their
 * vendor's block format (Notion blocks, Jira ADF, Confluence storage, Slack mrkdwn) so "Markdown in" means
 * the same thing everywhere. Imported from `@switchboard-mcp/core/markdown` so servers that never parse
 * Markdown do not load it at start-up.
 */
import type { Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { mathFromMarkdown } from 'mdast-util-math';
import { gfm } from 'micromark-extension-gfm';
import { math } from 'micromark-extension-math';

export type * from 'mdast';

/** Parses Markdown (CommonMark + GFM + math) to an mdast tree. Never throws on odd input. */
export function parseMarkdown(markdown: string): Root {
  return fromMarkdown(markdown, {
    extensions: [gfm(), math()],
    mdastExtensions: [gfmFromMarkdown(), mathFromMarkdown()],
  });
}

/** Escapes text so it reads back as the same literal text in Markdown (inline context). */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/([\\`*_[\]<>|~$])/g, '\\$1')
    .replace(/^(\s*)([#>+-])(?=\s)/gm, '$1\\$2')
    .replace(/^(\s*\d+)([.)])(?=\s)/gm, '$1\\$2');
}
