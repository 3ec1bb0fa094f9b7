/** The Markdown ↔ blocks converters; loaded on first use (see lazy.ts) to keep start-up cheap. */
export { blocksToMarkdown, richTextToMarkdown } from './from-blocks.ts';
export { markdownToBlocks, markdownToRichText } from './to-blocks.ts';
