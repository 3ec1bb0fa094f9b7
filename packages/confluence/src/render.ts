/** Compact text helpers for the Confluence tools. */
import { oneLine } from '@switchboard-mcp/core';
import { z } from 'zod';

export { oneLine };

/** 2026-01-05 from an ISO timestamp. */
export function day(iso: string | null | undefined): string {
  return iso ? String(iso).slice(0, 10) : '';
}

/** The last line of a list: how to get more. */
export function more(next: string | undefined, shown: number): string {
  return next ? `(${shown} shown; more with cursor="${next}")` : `(${shown} shown; end)`;
}

/** The cursor (Cloud) or start offset (Data Center) of a `_links.next` URL. */
export function nextCursor(data: unknown): string | undefined {
  const next = (data as { _links?: { next?: unknown } } | null)?._links?.next;
  if (typeof next !== 'string') return undefined;
  const query = new URL(next, 'http://x').searchParams;
  return query.get('cursor') ?? query.get('start') ?? undefined;
}

/**
 * Absolute web link from a `_links.webui` path: against the response's own `_links.base` when it has one, else
 * the configured site ('' through the OAuth gateway, whose host is not the site: then no link).
 */
export function webLink(siteUrl: string, webui: unknown, base?: unknown): string {
  const root = typeof base === 'string' && base ? base : siteUrl;
  return root && typeof webui === 'string' && webui ? `${root}${webui}` : '';
}

/**
 * Content ids are numeric strings; whole numbers are accepted too, and the schema says so (anything else, such as
 * `[123]` or `true`, is refused rather than stringified).
 */
export function contentId() {
  return z.union(
    [z.string().regex(/^\d+$/, 'a numeric content id'), z.number().int().nonnegative().transform(String)],
    {
      error: 'a numeric content id',
    },
  );
}

export function cursorInput() {
  return z.string().optional();
}

export function limitInput(def: number, max: number) {
  return z.number().int().min(1).max(max).default(def);
}

export function sizeOf(bytes: number | undefined): string {
  if (typeof bytes !== 'number') return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
