/** Rich-text helpers without the Markdown parser, so modules loaded at start-up can use them. */
import type { RichText } from './types.ts';

/** Notion's limit on one rich-text object's content. */
export const MAX_TEXT = 2000;

/** Plain text of rich text (no Markdown). */
export function plainText(items: RichText[] | undefined): string {
  return (items ?? []).map((t) => t.plain_text ?? t.text?.content ?? t.equation?.expression ?? '').join('');
}

function sameStyle(a: RichText, b: RichText): boolean {
  return (
    a.type === 'text' &&
    b.type === 'text' &&
    (a.text?.link?.url ?? '') === (b.text?.link?.url ?? '') &&
    JSON.stringify(a.annotations ?? {}) === JSON.stringify(b.annotations ?? {})
  );
}

/** Merge neighbours with the same style, then split contents over Notion's 2,000-character limit. */
export function normalize(items: RichText[]): RichText[] {
  const merged: RichText[] = [];
  for (const item of items) {
    const last = merged.at(-1);
    if (last?.text && item.text && sameStyle(last, item)) {
      last.text = { ...last.text, content: last.text.content + item.text.content };
    } else {
      merged.push(item.text ? { ...item, text: { ...item.text } } : item);
    }
  }
  return merged.flatMap((item) => {
    if (!item.text || item.text.content.length <= MAX_TEXT) return [item];
    const parts: RichText[] = [];
    const content = item.text.content;
    for (let i = 0; i < content.length; ) {
      let end = Math.min(i + MAX_TEXT, content.length);
      // Never split a surrogate pair.
      if (end < content.length && /[\uD800-\uDBFF]/.test(content[end - 1] ?? '')) end--;
      parts.push({ ...item, text: { ...item.text, content: content.slice(i, end) } });
      i = end;
    }
    return parts;
  });
}
