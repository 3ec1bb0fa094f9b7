/** Atlassian error bodies and pagination helpers shared by the sandbox routes. */
import { type FakeResponse, json } from '@switchboard-mcp/testkit/upstream';

/** Error bodies in the shape each API answers with. */
export function v2Error(status: number, title: string, code = 'ERROR'): FakeResponse {
  return json(status, { errors: [{ status, code, title, detail: null }] });
}

export function v1Error(status: number, message: string): FakeResponse {
  return json(status, { statusCode: status, data: { authorized: status !== 401 && status !== 403 }, message });
}

/** Opaque cursors, as Confluence's are: the offset, base64url-encoded. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

export function decodeCursor(cursor: string | null): number | undefined {
  if (!cursor) return 0;
  const m = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

/** limit clamped the way Confluence does: default 25, at most 250. */
export function limitOf(query: URLSearchParams, def = 25, max = 250): number {
  const n = Number.parseInt(query.get('limit') ?? '', 10);
  return Number.isFinite(n) && n > 0 ? Math.min(n, max) : def;
}
