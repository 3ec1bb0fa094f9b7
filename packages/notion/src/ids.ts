/**
 * Notion ids: the API accepts 32 hex digits with or without dashes, and users paste page URLs. Everything is
 * normalised to the dashed, lower-case UUID form, which is also what policy resources use.
 */
import { z } from 'zod';

const HEX32 = /([0-9a-f]{32})(?![0-9a-f])/i;
const DASHED = /\b([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\b/i;

/** The dashed lower-case id in an id, a dashed id or a notion.so URL; undefined when there is none. */
export function normalizeId(value: string): string | undefined {
  const text = value.trim();
  const dashed = DASHED.exec(text);
  if (dashed) return dashed.slice(1).join('-').toLowerCase();
  // A page opened from a database view: `…/<database>?v=<view>&p=<page>` shows the page.
  const peek = /[?&]p=([0-9a-f]{32})(?![0-9a-f])/i.exec(text)?.[1];
  // In URLs the id is otherwise the last 32-hex run of the path (`Title-<id>`), before any `?v=` view id.
  const path = peek ?? text.replace(/[?#].*$/, '');
  const runs = path.match(new RegExp(HEX32.source, 'gi'));
  const hex = runs?.at(-1);
  if (!hex) return undefined;
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Undashed form, as in notion.so URLs. */
export function compactId(id: string): string {
  return id.replace(/-/g, '');
}

/** A Notion id argument: dashed or not, or a Notion URL; validated and normalised to the dashed form. */
export const notionId = (what: string) =>
  z
    .string()
    .describe(`${what} id or URL`)
    .transform((value, ctx) => {
      const id = normalizeId(value);
      if (!id) {
        ctx.addIssue({ code: 'custom', message: `not a Notion ${what} id (32 hex digits, dashed or not) or URL` });
        return z.NEVER;
      }
      return id;
    });

/** The notion.so URL of a page, database or block (blocks: the page URL with a #fragment is not knowable here). */
export function notionUrl(id: string): string {
  return `https://www.notion.so/${compactId(id)}`;
}
