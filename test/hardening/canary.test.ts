/**
 * The secret canary, across every server in servers.json: each secret credential the sandbox provides is
 * replaced by a canary value (random per run, in no known token shape, so only loaded-secret redaction can
 * catch it). The relay answers a share of requests with errors that echo what the server sent (the
 * Authorization header, decoded Basic credentials, the canary raw, base64 and URL-encoded, in every common
 * vendor error field and in headers); the test calls every tool (every toolset enabled) with minimal arguments,
 * with the canary pasted into free strings, and with invalid arguments that echo it. The canary must appear in
 * no form anywhere: results, stdout, stderr (logs and audit lines), /metrics.
 */
import { randomBytes } from 'node:crypto';
import { KNOWN_TOKEN_PATTERNS } from '@switchboard-mcp/core';
import { TRANSPORTS, type Transport } from '@switchboard-mcp/testkit';
import type { FakeRequest, FakeResponse, Middleware } from '@switchboard-mcp/testkit/upstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleArgs, exampleValue, freeStrings, type JsonSchema } from './lib/examples.ts';
import { recordCoverage } from './lib/report.ts';
import { loadTargets, type Started, startTarget, type Target } from './lib/targets.ts';

const targets = await loadTargets();
const RUN = randomBytes(6).toString('hex');
const REDACTED = '[REDACTED]';

/**
 * A canary per secret: distinctive, random per run, in no vendor's token shape, with `/` and `+` as in
 * base64-style tokens so its URL-encoded and `\/`-escaped forms differ from the raw one (the `/` early, so no
 * long raw prefix stands in for those forms).
 */
function makeCanary(index: number): string {
  return `sb/canary.${RUN}.${index}+${randomBytes(4).toString('hex')}.${randomBytes(4).toString('hex')}`;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const unpadded = (s: string) => s.replace(/=+$/, '');

/** Every form a leaked canary could take, labelled. Basic pairs are the decoded `user:secret` the relay saw. */
function leakForms(canaries: string[], basicPairs: Iterable<string>): [label: string, form: string][] {
  const forms = new Map<string, string>();
  const add = (form: string, label: string) => {
    if (!forms.has(form)) forms.set(form, label);
  };
  canaries.forEach((c, i) => {
    add(c, `canary ${i} raw`);
    add(unpadded(b64(c)), `canary ${i} base64`);
    add(unpadded(Buffer.from(c).toString('base64url')), `canary ${i} base64url`);
    add(encodeURIComponent(c), `canary ${i} URL-encoded`);
    add(JSON.stringify(c).slice(1, -1), `canary ${i} JSON-escaped`);
    add(c.replace(/\//g, '\\/'), `canary ${i} JSON-escaped with \\/`);
  });
  for (const pair of basicPairs) add(unpadded(b64(pair)), 'base64 of the Basic user:secret pair');
  // A cut-off secret is still a leak: any half of the canary (e.g. left by truncating a long argument before
  // redaction saw it whole).
  canaries.forEach((c, i) => {
    const half = Math.ceil(c.length / 2);
    for (let at = 0; at + half <= c.length; at++) add(c.slice(at, at + half), `canary ${i} fragment`);
  });
  return [...forms].map(([form, label]) => [label, form]);
}

interface Leak {
  where: string;
  form: string;
  context: string;
}

/** Where each form of the canary occurs in `text` (one report per form label: fragments overlap). */
function scan(where: string, text: string, forms: [string, string][]): Leak[] {
  const leaks: Leak[] = [];
  const reported = new Set<string>();
  for (const [label, form] of forms) {
    const i = text.indexOf(form);
    if (i < 0 || reported.has(label)) continue;
    reported.add(label);
    leaks.push({ where, form: label, context: text.slice(Math.max(0, i - 80), i + form.length + 40) });
  }
  return leaks;
}

/** Error answers the relay rotates through; the JSON ones every second time serialised PHP-style (`\/`). */
const STYLES = [
  { status: 400, kind: 'json' },
  { status: 401, kind: 'json' },
  { status: 403, kind: 'json' },
  { status: 404, kind: 'json' },
  { status: 500, kind: 'json' },
  { status: 200, kind: 'slack' },
  { status: 400, kind: 'text' },
] as const;
/** One request in ECHO_EVERY is answered with an echo; the others pass through to the sandbox. */
const ECHO_EVERY = 2;

interface EchoLog {
  /** Echo answers that carried a canary the server had sent. */
  echoed: number;
  /** Canaries seen in outgoing requests (headers, path, query, body). */
  seen: Set<string>;
  /** Decoded Basic credentials that contained a canary. */
  basicPairs: Set<string>;
  /** Error styles that carried a canary back at least once. */
  styles: Set<string>;
}

/** Percent-decoded, or as is when it is not valid percent-encoding. */
function percentDecoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function echoMiddleware(canaries: () => string[], log: EchoLog): Middleware {
  let n = 0;
  return async (req: FakeRequest, next: () => Promise<FakeResponse>) => {
    const auth = req.headers.authorization ?? '';
    const basic = /^Basic\s+(.+)$/i.exec(auth);
    const decoded = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8') : '';
    const sent = [
      decoded,
      ...Object.values(req.headers),
      percentDecoded(req.path),
      percentDecoded(req.url.search),
      req.rawBody,
    ].join('\n');
    const found = canaries().filter((c) => sent.includes(c) || sent.includes(encodeURIComponent(c)));
    for (const c of found) log.seen.add(c);
    if (decoded && found.some((c) => decoded.includes(c))) log.basicPairs.add(decoded);
    const k = n++;
    if (k % ECHO_EVERY !== ECHO_EVERY - 1) return next();
    const style = STYLES[Math.floor(k / ECHO_EVERY) % STYLES.length]!;
    const parts = [`Authorization: ${auth}`];
    if (decoded) parts.push(`credentials ${decoded}`);
    for (const c of found) parts.push(`token ${c}`, `base64 ${b64(c)}`, `urlencoded ${encodeURIComponent(c)}`);
    const echo = `Bad credentials: ${parts.join(' | ')}`;
    if (found.length) {
      log.echoed++;
      log.styles.add(`${style.status} ${style.kind}`);
    }
    const headers: Record<string, string> = {
      'www-authenticate': `Bearer realm="api", error="invalid_token", error_description="${echo.replace(/"/g, "'")}"`,
      'x-echo-authorization': auth,
      'x-accepted-oauth-scopes': found[0] ?? auth,
      'x-request-id': found[0] ?? 'req-1',
    };
    const php = Math.floor(k / ECHO_EVERY / STYLES.length) % 2 === 1;
    if (style.kind === 'text') {
      // Plain text, or (every second round) a PHP-escaped JSON error mislabelled as text, as proxies do.
      const text = php ? JSON.stringify({ error: echo }).replace(/\//g, '\\/') : echo;
      return { status: style.status, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' }, body: text };
    }
    const body =
      style.kind === 'slack'
        ? {
            ok: false,
            error: echo,
            needed: echo,
            provided: echo,
            warning: echo,
            response_metadata: { messages: [echo], warnings: [echo] },
          }
        : {
            message: echo,
            error: echo,
            error_description: echo,
            errorMessages: [echo],
            errors: [{ message: echo, code: 'invalid', field: 'token' }],
            detail: echo,
            code: 'unauthorized',
            status: style.status,
          };
    const text = JSON.stringify(body);
    return {
      status: style.status,
      headers: { ...headers, 'content-type': 'application/json; charset=utf-8' },
      body: php ? text.replace(/\//g, '\\/') : text,
    };
  };
}

interface Outcome {
  where: string;
  text: string;
  raw: string;
  isError: boolean;
}

/** What each server got, across transports (deterministic: derived from tools/list and the schemas). */
const coverage = new Map<string, { tools: number; calls: number; secrets: string[]; transports: string[] }>();

const cases = targets.flatMap((t) => TRANSPORTS.map((tr) => [t.entry.name, tr, t] as [string, Transport, Target]));

describe.each(cases)('%s over %s', (name, transport, target) => {
  const secretEnvs = new Set(target.entry.credentials.filter((c) => c.kind === 'secret').map((c) => c.env));
  const canaries = new Map<string, string>();
  const log: EchoLog = { echoed: 0, seen: new Set(), basicPairs: new Set(), styles: new Set() };
  const outcomes: Outcome[] = [];
  let sut: Started;
  let toolCount = 0;
  const forms = () => leakForms([...canaries.values()], log.basicPairs);

  beforeAll(async () => {
    sut = await startTarget(target, {
      transport,
      args: ['--toolsets', 'all'],
      credentialSwap: (creds) => {
        const out = { ...creds };
        for (const env of Object.keys(creds).sort()) {
          if (secretEnvs.has(env)) out[env] = canaries.set(env, makeCanary(canaries.size)).get(env)!;
        }
        return out;
      },
    });
    sut.relay.use(echoMiddleware(() => [...canaries.values()], log));
  });
  afterAll(() => sut?.close());

  it('gives the server canaries in no known token shape, in place of every secret the sandbox provides', () => {
    expect(canaries.size, 'the sandbox provides at least one secret credential').toBeGreaterThan(0);
    for (const [env, canary] of canaries) {
      expect(secretEnvs.has(env)).toBe(true);
      expect(sut.credentials[env]).toBe(canary);
      for (const p of [...KNOWN_TOKEN_PATTERNS, ...(target.definition.secretPatterns ?? [])]) {
        expect(new RegExp(p.source, p.flags.replace('g', '')).test(canary), `${p} matches the canary`).toBe(false);
      }
    }
  });

  it('calls every tool with minimal, canary-carrying and invalid arguments, and the echo reaches the server', async () => {
    const tools = await sut.harness.listTools();
    toolCount = tools.length;
    // Every toolset is enabled: every tool servers.json lists is there (core adds get_more_output).
    const listed = target.entry.toolsets.flatMap((s) => s.tools.map((t) => t.name));
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(listed));
    const probes = target.definition.sandboxProbes;
    const hints = { ...probes?.read.arguments, ...probes?.untrusted?.arguments };
    const [first] = [...canaries.values()];
    const pasted = `my token is ${first} thanks`;
    const call = async (where: string, tool: string, args: Record<string, unknown>) => {
      const out = await sut.harness.callTool(tool, args);
      outcomes.push({ where, text: out.text, raw: JSON.stringify(out.raw), isError: out.isError });
      return out;
    };
    for (const tool of tools) {
      const schema = tool.inputSchema as JsonSchema;
      const valid = exampleArgs(schema, { hints });
      await call(`${tool.name} minimal`, tool.name, valid);

      // A model pasting the secret: into the free strings, else into the first string at all.
      const withCanary = { ...valid };
      const free = freeStrings(schema, valid, { hints });
      const strings = Object.keys(valid).filter((k) => typeof valid[k] === 'string');
      for (const k of free.length ? free : strings.slice(0, 1)) withCanary[k] = pasted;
      if (free.length || strings.length) await call(`${tool.name} canary in strings`, tool.name, withCanary);

      // Invalid arguments that the validation error names: an unknown argument called by the canary, and the
      // pasted canary where a non-string belongs (the error quotes what it got).
      const unknown = await call(`${tool.name} unknown argument`, tool.name, { ...valid, [first!]: 1 });
      expect(unknown.isError, unknown.text).toBe(true);
      expect(unknown.text, 'the validation error names the unknown argument, redacted').toContain(REDACTED);
      // (`confirm` is the confirm stage's own argument, read before validation.)
      const typed = Object.entries(schema.properties ?? {}).find(
        ([k, s]) => k !== 'confirm' && typeof exampleValue(s, k) !== 'string',
      );
      if (typed) {
        const wrong = await call(`${tool.name} canary as ${typed[0]}`, tool.name, { ...valid, [typed[0]]: pasted });
        expect(wrong.isError, wrong.text).toBe(true);
      }
    }
    // A tool name is text from the client too.
    await call('unknown tool named by the canary', first!, {});
    // The read probe reaches the vendor on every call: repeated, it takes every error style at least once,
    // whatever the tools above did.
    const read = probes!.read;
    for (let i = 0; i < STYLES.length * ECHO_EVERY; i++) await call(`read probe ${i + 1}`, read.tool, read.arguments);

    // Positive controls: the server sent every canary upstream, and the relay echoed them back many times.
    expect([...log.seen].sort(), 'every canary was sent upstream').toEqual([...canaries.values()].sort());
    expect(log.echoed, 'echo answers carrying a canary').toBeGreaterThanOrEqual(STYLES.length);
    expect(log.styles.size, 'every error style carried a canary back').toBe(STYLES.length);
    // ...and some of what came back was redacted in results.
    expect(
      outcomes.filter((o) => !o.where.endsWith('unknown argument') && o.text.includes(REDACTED)).length,
    ).toBeGreaterThan(0);
    const entry = coverage.get(name) ?? { tools: toolCount, calls: 0, secrets: [...canaries.keys()], transports: [] };
    entry.calls = outcomes.length;
    entry.transports.push(transport);
    coverage.set(name, entry);
  });

  it('leaks no canary in any result text, error or success', () => {
    expect(outcomes.length).toBeGreaterThan(toolCount);
    const leaks = outcomes.flatMap((o) => [
      ...scan(o.where, o.text, forms()),
      ...scan(`${o.where} (raw)`, o.raw, forms()),
    ]);
    expect(leaks).toEqual([]);
  });

  it('leaks no canary on stdout', () => {
    const lines = sut.harness.stdoutLines();
    if (transport === 'stdio') expect(lines.length).toBeGreaterThan(outcomes.length);
    expect(lines.flatMap((line, i) => scan(`stdout line ${i + 1}`, line, forms()))).toEqual([]);
  });

  it('leaks no canary on stderr: logs and audit lines', () => {
    const stderr = sut.stderr();
    expect(stderr).toContain('"type":"audit"');
    expect(scan('stderr', stderr, forms())).toEqual([]);
  });

  if (transport === 'http')
    it('leaks no canary in /metrics', async () => {
      const listening = sut
        .stderr()
        .split('\n')
        .map((line) => {
          try {
            return JSON.parse(line) as { msg?: string; url?: string };
          } catch {
            return {};
          }
        })
        .find((l) => l.msg === 'listening' && typeof l.url === 'string');
      expect(listening, 'the "listening" log line names the URL').toBeDefined();
      const res = await fetch(new URL('/metrics', listening!.url));
      expect(res.status).toBe(200);
      const metricsText = await res.text();
      expect(metricsText).toContain('switchboard_tool_calls_total');
      expect(scan('/metrics', metricsText, forms())).toEqual([]);
    });
});

afterAll(() => {
  const rows = [...coverage].sort(([a], [b]) => a.localeCompare(b));
  recordCoverage({
    suite: 'canary',
    title: 'Secret canary',
    lines: [
      `Every server in servers.json (${targets.length}: ${targets.map((t) => t.entry.name).join(', ')}) runs with every ` +
        'toolset enabled and each secret credential its sandbox provides replaced by a random canary in no known ' +
        'token shape (the relay maps it back for the sandbox), over stdio and HTTP.',
      `The relay answers one request in ${ECHO_EVERY} with an error echoing what the server sent (Authorization header, ` +
        'decoded Basic credentials, the canary raw, base64 and URL-encoded) in `message`, `error`, ' +
        '`error_description`, `errorMessages[]`, `errors[].message`, `detail` and headers, rotating ' +
        `${STYLES.map((s) => `${s.status} ${s.kind}`).join(', ')}; every second round JSON bodies are PHP-style ` +
        '`\\/`-escaped and the text answer is such JSON mislabelled as text/plain.',
      'Every tool from tools/list is called with minimal schema-valid arguments, with the canary pasted into its free ' +
        'strings, with an unknown argument named by the canary and with the canary where a non-string belongs; one ' +
        'call names an unknown tool by the canary; the read probe is then repeated so every error style answers it.',
      'Checked: the canary raw, base64, base64url, URL-encoded, JSON-escaped (also `\\/`), any half of it, and the ' +
        'base64 of the Basic user:secret pair appear in no result text (errors and successes), stdout line, stderr log or audit line, ' +
        'nor in /metrics (HTTP). Positive controls: every canary reached the relay, every error style carried one back, ' +
        'validation errors naming the canary show it redacted, and some echoed canary reached a result redacted.',
    ],
    table: [
      ['server', 'tools', 'calls per transport', 'secrets replaced', 'transports'],
      ...rows.map(([server, c]) => [
        server,
        String(c.tools),
        String(c.calls),
        c.secrets.join(', '),
        c.transports.sort().join(', '),
      ]),
    ],
  });
});
