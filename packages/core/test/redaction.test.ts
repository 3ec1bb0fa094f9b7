/**
 * Loaded secrets that the client itself sends back (a model pasting a token into an argument or a tool name)
 * never come back out, not even cut off: answers that quote client text either pass the shape stage whole or
 * redact before shortening. Found by the cross-server secret canary (test/hardening/canary.test.ts).
 */
import { fileURLToPath } from 'node:url';
import { Redactor } from '@switchboard-mcp/core';
import { auditLines, connectStdio, type FakeUpstream, type Harness, startFakeUpstream } from '@switchboard-mcp/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const BIN = fileURLToPath(new URL('./fixtures/demo-bin.ts', import.meta.url));
/** In no known token shape: only loaded-secret redaction can catch it. */
const TOKEN = 'pasted-secret-Vb7Qk2Lr9Xw4Hs8Dn3';

let upstream: FakeUpstream;
let h: Harness;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  h = await connectStdio({
    command: process.execPath,
    args: ['--conditions=development', BIN],
    env: { DEMO_TOKEN: TOKEN, DEMO_API_URL: upstream.url, SWITCHBOARD_LOG_LEVEL: 'info' },
  });
});

afterAll(async () => {
  await h?.close();
  await upstream?.close();
});

/** Any 12 characters of the token: a cut-off secret is still a leak. */
function fragments(text: string): string[] {
  const found: string[] = [];
  for (let at = 0; at + 12 <= TOKEN.length; at++)
    if (text.includes(TOKEN.slice(at, at + 12))) found.push(TOKEN.slice(at, at + 12));
  return found;
}

describe('client text carrying a loaded secret', () => {
  it('an unknown tool named by the secret: the answer and the audit line are redacted', async () => {
    const audited = auditLines(h.stderr()).length;
    const r = await h.callTool(TOKEN, {});
    expect(r.isError).toBe(true);
    expect(r.text).toContain('unknown tool "[REDACTED]"');
    expect(fragments(r.text)).toEqual([]);
    await vi.waitFor(() => expect(auditLines(h.stderr()).length).toBeGreaterThan(audited), { timeout: 5000 });
    expect(auditLines(h.stderr()).at(-1)).toMatchObject({ tool: '[REDACTED]', access: 'unknown' });
  });

  it('a long wrong-typed argument holding the secret is quoted cut off, and the cut-off secret redacted', async () => {
    const audited = auditLines(h.stderr()).length;
    const r = await h.callTool('get_item', { project: 'alpha', id: `please use the token ${TOKEN} for this` });
    expect(r.isError).toBe(true);
    // validate quotes 40 characters: the token is cut after 19 of them, and still redacted.
    expect(r.text).toContain('id: expected number, got the string "please use the token [REDACTED]…"');
    expect(fragments(r.text)).toEqual([]);
    await vi.waitFor(() => expect(auditLines(h.stderr()).length).toBeGreaterThan(audited), { timeout: 5000 });
    expect(fragments(h.stderr())).toEqual([]);
  });

  it('a short one is quoted whole, so the shape stage redacts it', async () => {
    const r = await h.callTool('get_item', { project: 'alpha', id: `use ${TOKEN}` });
    expect(r.text).toContain('id: expected number, got the string "use [REDACTED]"');
    expect(fragments(r.text)).toEqual([]);
  });
});

describe('Redactor: cut-off secrets', () => {
  const secret = 'se/cr+et-Vb7Qk2Lr9Xw4Hs8Dn3Zt';

  it('redacts any start of a secret form of 12 characters or more, as far as it matches', () => {
    const r = new Redactor();
    r.add(secret);
    for (const cut of [12, 13, 20, secret.length - 1]) {
      expect(r.redact(`said "${secret.slice(0, cut)}…" then`), String(cut)).toBe('said "[REDACTED]…" then');
    }
    // The URL-encoded and base64 forms, cut off too.
    const url = encodeURIComponent(secret);
    expect(r.redact(`q=${url.slice(0, 20)}`)).toBe('q=[REDACTED]');
    const b64 = Buffer.from(secret).toString('base64');
    expect(r.redact(`auth ${b64.slice(0, 16)}`)).toBe('auth [REDACTED]');
    // Only what matches is taken: the text after the piece stays.
    expect(r.redact(`${secret.slice(0, 15)}XYZ tail`)).toBe('[REDACTED]XYZ tail');
  });

  it('redacts the JSON-escaped forms, with and without escaped slashes, whole and cut off', () => {
    const r = new Redactor();
    const quoted = 'a/"b\\c-Vb7Qk2Lr9Xw4Hs8Dn3';
    r.add(quoted);
    const json = JSON.stringify(quoted).slice(1, -1);
    const php = json.replace(/\//g, '\\/');
    expect(r.redact(`{"error":"${json}"}`)).toBe('{"error":"[REDACTED]"}');
    expect(r.redact(`{"error":"${php}"}`)).toBe('{"error":"[REDACTED]"}');
    expect(r.redact(`{"error":"${php.slice(0, 14)}`)).toBe('{"error":"[REDACTED]');
  });

  it('leaves shorter pieces and unrelated text alone', () => {
    const r = new Redactor();
    r.add(secret);
    expect(r.redact(`a ${secret.slice(0, 11)} b`)).toBe(`a ${secret.slice(0, 11)} b`);
    expect(r.redact('plain text with se/cr+ in it')).toBe('plain text with se/cr+ in it');
  });

  it("lets known token shapes go first, so another token sharing a loaded one's start is still redacted whole", () => {
    const r = new Redactor();
    r.add(`ATATT3xFfGF0${'a'.repeat(30)}`);
    const other = `ATATT3xFfGF0${'b'.repeat(30)}`;
    expect(r.redact(`token: ${other} end`)).toBe('token: [REDACTED] end');
  });
});
