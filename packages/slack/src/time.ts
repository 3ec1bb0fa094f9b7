/** Time windows for history and search: "24h", "7d", "90m", "2w", an ISO date/time, or a Slack ts. */
import { SwitchboardError } from '@switchboard-mcp/core';

const UNITS: Record<string, number> = { m: 60, h: 3_600, d: 86_400, w: 604_800 };

/** Slack ts (epoch seconds, as a string) for a point in time given as a duration ago, ISO date or ts. */
export function toSlackTs(value: string, field: string, now = Date.now()): string {
  const text = value.trim();
  const ago = /^(\d+(?:\.\d+)?)\s*([mhdw])$/i.exec(text);
  if (ago) return (now / 1000 - Number(ago[1]) * (UNITS[(ago[2] as string).toLowerCase()] as number)).toFixed(6);
  if (/^\d{9,11}(\.\d{1,6})?$/.test(text)) return text;
  const ms = isoMs(text);
  if (ms !== undefined) return (ms / 1000).toFixed(6);
  throw new SwitchboardError('invalid', `${field}: "${text.slice(0, 40)}" is not a time`, {
    hint: 'Use a duration back from now (30m, 24h, 7d, 2w), an ISO date (2024-05-01 or 2024-05-01T09:00Z) or a Slack ts.',
  });
}

/**
 * Epoch ms of an ISO date (UTC midnight) or date-time (UTC unless it names an offset, as results are shown in
 * UTC); undefined for anything else. `Date.parse` alone would read "May 1" as 2001 in the server's time zone.
 */
export function isoMs(text: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(text);
  if (!m) return undefined;
  const zone = m[3] ? m[3].toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, '$1:$2') : 'Z';
  const ms = Date.parse(m[2] ? `${m[1]}T${m[2]}${zone}` : `${m[1]}T00:00:00Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Epoch seconds of a Slack ts. */
export function tsSeconds(ts: string | undefined): number {
  return Number.parseFloat(ts ?? '0') || 0;
}

/** 2024-05-01 (UTC) from a Slack ts. */
export function tsDay(ts: string | undefined): string {
  return new Date(tsSeconds(ts) * 1000).toISOString().slice(0, 10);
}

/** 14:03 (UTC) from a Slack ts. */
export function tsTime(ts: string | undefined): string {
  return new Date(tsSeconds(ts) * 1000).toISOString().slice(11, 16);
}

/** 2024-05-01 14:03 UTC from a Slack ts or epoch seconds. */
export function tsDateTime(ts: string | number | undefined): string {
  const s = typeof ts === 'number' ? ts : tsSeconds(ts);
  return `${new Date(s * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
