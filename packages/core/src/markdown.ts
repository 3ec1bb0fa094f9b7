/**
 * One Markdown dialect for every server: CommonMark + GFM (tables, task lists, strikethrough, autolinks,
 * footnotes) + `$inline$` / `$$block$$` math, parsed to an mdast tree. Servers convert that tree to their
 * vendor's block format (Notion blocks, Jira ADF, Confluence storage, Slack mrkdwn) so "Markdown in" means
 * the same thing everywhere. Imported from `@switchboard-mcp/core/markdown` so servers that never parse
 * Markdown do not load it at start-up.
 */
/// <reference types="mdast-util-math" preserve="true" />
/// <reference types="mdast-util-gfm" preserve="true" />
import type { Nodes, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown, gfmToMarkdown } from 'mdast-util-gfm';
import { mathFromMarkdown, mathToMarkdown } from 'mdast-util-math';
import { toMarkdown } from 'mdast-util-to-markdown';
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

export interface StringifyOptions {
  /** Emphasis marker; default `*`. */
  emphasis?: '*' | '_';
  /** Pad table cells so pipes align (more characters, easier for people); default true. */
  tablePipeAlign?: boolean;
}

/**
 * Serialises an mdast tree in the suite's one Markdown style (GFM + math, `-` bullets, fenced code, `**` strong),
 * the inverse of parseMarkdown: what every server's "Markdown out" goes through.
 */
export function stringifyMarkdown(node: Nodes, opts: StringifyOptions = {}): string {
  return toMarkdown(node, {
    extensions: [gfmToMarkdown({ tablePipeAlign: opts.tablePipeAlign ?? true }), mathToMarkdown()],
    bullet: '-',
    emphasis: opts.emphasis ?? '*',
    strong: '*',
    rule: '-',
    fences: true,
    listItemIndent: 'one',
  });
}

/** Escapes text so it reads back as the same literal text in Markdown (inline context). */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/([\\`*_[\]<>|~$])/g, '\\$1')
    .replace(/^(\s*)([#>+-])(?=\s)/gm, '$1\\$2')
    .replace(/^(\s*\d+)([.)])(?=\s)/gm, '$1\\$2');
}
