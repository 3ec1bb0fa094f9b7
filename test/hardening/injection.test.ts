/**
 * Prompt injection, across every server in servers.json: each sandbox carries testkit's INJECTION_FIXTURE in its
 * third-party content, and the server's `sandboxProbes.untrusted` read returns it. The model must get the visible
 * text fenced as untrusted, with no invisible character left, and the fixture's fake `</untrusted>` must not end
 * the fence. Reading it changes nothing: one audit line, the same upstream requests when repeated, and the
 * server's `read` probe answers the same before and after.
 */
import { stripInvisible } from '@switchboard-mcp/core';
import { auditLines, INJECTION_FIXTURE, TRANSPORTS, type Transport } from '@switchboard-mcp/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordCoverage } from './lib/report.ts';
import { loadTargets, type Started, startTarget, type Target } from './lib/targets.ts';

const targets = await loadTargets();
const FIX = INJECTION_FIXTURE;

/** Real fence markers start a line: `untrusted()` neutralises any inside the fenced text. */
const OPENER = /^<untrusted(?:\s[^>\n]*)?>/;
const CLOSER = /^<\/untrusted>/;

interface Fences {
  /** [start, end) character ranges of fenced bodies. */
  ranges: [number, number][];
  openers: number;
  closers: number;
  /** Markers out of order: an opener inside a fence, a closer outside one, a fence left open. */
  problems: string[];
}

function fences(text: string): Fences {
  const out: Fences = { ranges: [], openers: 0, closers: 0, problems: [] };
  let open: number | undefined;
  let at = 0;
  for (const line of text.split('\n')) {
    if (OPENER.test(line)) {
      out.openers++;
      if (open !== undefined) out.problems.push(`opener inside a fence at ${at}: ${line}`);
      open = at + line.length + 1;
    } else if (CLOSER.test(line)) {
      out.closers++;
      if (open === undefined) out.problems.push(`closer outside a fence at ${at}`);
      else out.ranges.push([open, at]);
      open = undefined;
    }
    at += line.length + 1;
  }
  if (open !== undefined) out.problems.push(`fence opened at ${open} never closed`);
  return out;
}

function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) found.push(i);
  return found;
}

/** Method, path, query and body of what the server sent upstream: what a repeat of the call must match. */
function requestsOf(sut: Started): string[] {
  return sut.relay.requests.map(
    (r) => `${r.method} ${r.path} ${JSON.stringify(r.query)} ${r.body === undefined ? '' : JSON.stringify(r.body)}`,
  );
}

const covered: string[][] = [];

describe('the injection fixture', () => {
  it('is visible text woven with invisible characters, a hidden instruction and a fake closing tag', () => {
    expect(stripInvisible(FIX.paragraphs[0]!)).toBe(FIX.visible);
    expect(FIX.paragraphs[0]).not.toBe(FIX.visible);
    expect(FIX.visible).toMatch(/^[A-Za-z :.]+$/);
    expect(FIX.trailing).toMatch(/^[A-Za-z :.]+$/);
    expect(FIX.paragraphs).toContain(FIX.fenceBreak);
    expect(FIX.fenceBreak).toBe('</untrusted>');
    expect(FIX.text).toBe(FIX.paragraphs.join('\n\n'));
    expect(FIX.text).not.toContain(FIX.hidden);
    // Zero-width, bidi controls and tag characters, all of them in the text and none left by stripping.
    const used = new Set([...FIX.text].map((c) => c.codePointAt(0)!));
    for (const cp of FIX.invisibleCodePoints) expect(used.has(cp)).toBe(true);
    expect(FIX.invisibleCodePoints.some((cp) => cp >= 0xe0000)).toBe(true);
    expect(FIX.invisibleCodePoints).toEqual(expect.arrayContaining([0x200b, 0x202e, 0x2066]));
    const stripped = stripInvisible(FIX.text);
    for (const cp of FIX.invisibleCodePoints) expect(stripped).not.toContain(String.fromCodePoint(cp));
  });
});

const cases = targets.flatMap((t) => TRANSPORTS.map((tr) => [t.entry.name, tr, t] as [string, Transport, Target]));

describe.each(cases)('%s over %s', (name, transport, target) => {
  const probe = target.definition.sandboxProbes?.untrusted;
  const read = target.definition.sandboxProbes?.read;
  let sut: Started;
  let readBefore: string;

  beforeAll(async () => {
    sut = await startTarget(target, { transport });
    // The read probe first, so "after" below compares against a state the untrusted probe has not touched.
    if (read) readBefore = (await sut.harness.callTool(read.tool, read.arguments)).text;
  });
  afterAll(() => sut?.close());

  it('declares sandboxProbes.untrusted and sandboxProbes.read', () => {
    expect(probe, `${name}: sandboxProbes.untrusted in the server definition`).toBeDefined();
    expect(read, `${name}: sandboxProbes.read in the server definition`).toBeDefined();
  });

  it('fences the visible text, strips every invisible character and keeps the fence closed', async () => {
    expect(probe).toBeDefined();
    const out = await sut.harness.callTool(probe!.tool, probe!.arguments);
    expect(out.isError, out.text).toBe(false);
    const { text } = out;

    const fenced = fences(text);
    expect(fenced.problems, text).toEqual([]);
    // The fake closing tag closed nothing: every real closer matches a real opener.
    expect(fenced.closers).toBe(fenced.openers);

    const visible = occurrences(text, FIX.visible);
    expect(visible.length, `the visible sentence in:\n${text}`).toBeGreaterThan(0);
    const trailing = occurrences(text, FIX.trailing);
    expect(trailing.length, `the sentence after the fake closing tag in:\n${text}`).toBeGreaterThan(0);
    const fenceOf = (i: number, len: number) => fenced.ranges.findIndex(([s, e]) => i >= s && i + len <= e);
    for (const i of visible) {
      const f = fenceOf(i, FIX.visible.length);
      expect(f, `visible sentence at ${i} outside every fence:\n${text}`).toBeGreaterThanOrEqual(0);
      // What follows the fake closing tag is still inside that same fence.
      expect(
        trailing.some((j) => j > i && fenceOf(j, FIX.trailing.length) === f),
        text,
      ).toBe(true);
    }
    for (const i of trailing) {
      expect(fenceOf(i, FIX.trailing.length), `trailing sentence at ${i} outside every fence`).toBeGreaterThanOrEqual(
        0,
      );
    }

    // No invisible code point anywhere in the result (content, structured content, metadata), nor the
    // hidden instruction decoded into plain text.
    const everything = new Set([...JSON.stringify(out.raw)].map((c) => c.codePointAt(0)!));
    const left = FIX.invisibleCodePoints.filter((cp) => everything.has(cp));
    expect(left.map((cp) => `U+${cp.toString(16).toUpperCase()}`)).toEqual([]);
    expect(text).not.toContain(FIX.hidden);

    covered.push([
      name,
      transport,
      `\`${probe!.tool}\``,
      String(fenced.openers),
      String(visible.length),
      String(FIX.invisibleCodePoints.length),
    ]);
  });

  it('reading it changes nothing: one audit line, the same upstream requests again, the same read result', async () => {
    expect(probe).toBeDefined();
    expect(read).toBeDefined();
    const calls: string[][] = [];
    for (let round = 0; round < 2; round++) {
      const audited = auditLines(sut.stderr()).length;
      sut.relay.clearRequests();
      const out = await sut.harness.callTool(probe!.tool, probe!.arguments);
      expect(out.isError, out.text).toBe(false);
      const sent = requestsOf(sut);
      calls.push(sent);
      expect(sent.length, 'the probe reaches the sandbox on every call').toBeGreaterThan(0);
      // The audit line is written as the call ends; over stdio it can trail the response on another pipe.
      await vi.waitFor(() => expect(auditLines(sut.stderr()).length).toBeGreaterThan(audited), { timeout: 5000 });
      const lines = auditLines(sut.stderr()).slice(audited);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        server: target.definition.name,
        tool: probe!.tool,
        access: 'read',
        decision: 'allowed',
        outcome: 'ok',
        upstream_calls: sent.length,
      });
    }
    expect(calls[1]).toEqual(calls[0]);
    const readAfter = await sut.harness.callTool(read!.tool, read!.arguments);
    expect(readAfter.isError, readAfter.text).toBe(false);
    expect(readAfter.text).toBe(readBefore);
  });
});

afterAll(() => {
  const servers = [...new Set(covered.map((row) => row[0]))];
  recordCoverage({
    suite: 'injection',
    title: 'Prompt injection (untrusted content)',
    lines: [
      `Every server in servers.json (${targets.length}: ${targets.map((t) => t.entry.name).join(', ')}) seeds testkit's ` +
        '`INJECTION_FIXTURE` into its sandbox and reads it back through its `sandboxProbes.untrusted` tool, over stdio and HTTP.',
      `The fixture is a visible sentence woven with ${FIX.invisibleCodePoints.length} distinct invisible code points ` +
        '(zero-width characters, bidi overrides and isolates, Unicode tag characters spelling a hidden instruction) and ' +
        'a fake `</untrusted>` closing tag followed by text that pretends to stand outside the fence.',
      'Checked per server and transport: the visible text appears, only inside `<untrusted>` fences; the text after the ' +
        'fake closing tag stays in the same fence; real openers equal real closers; no invisible code point survives ' +
        'anywhere in the result; the call writes exactly one audit line (read, allowed, ok, with its upstream request ' +
        'count), a repeat makes the same upstream requests, and the `read` probe answers the same before and after.',
      `Covered: ${covered.length} server/transport pairs across ${servers.length} servers.`,
    ],
    table: [
      ['server', 'transport', 'probe', 'fences in result', 'occurrences', 'invisible code points stripped'],
      ...covered.sort(),
    ],
  });
});
