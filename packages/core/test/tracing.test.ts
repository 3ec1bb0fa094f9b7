/**
 * OpenTelemetry: with an OTLP endpoint configured, the demo server exports one server span per tool call (child of
 * the client's traceparent) and a client span per upstream request, to a fake collector on 127.0.0.1; spans carry
 * the audit fields and no secret, argument or query string.
 */
import { fileURLToPath } from 'node:url';
import { connectStdio, type FakeUpstream, startFakeUpstream } from '@switchboard-mcp/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const BIN = fileURLToPath(new URL('./fixtures/demo-bin.ts', import.meta.url));
const TOKEN = 'trace-canary-token-0123456789';
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const PARENT = 'b7ad6b7169203331';

let upstream: FakeUpstream;
const exported: any[] = [];

beforeAll(async () => {
  upstream = await startFakeUpstream();
  upstream.route('GET', '/projects/:p/items', () => ({ body: [{ id: 1, title: 'one' }] }));
  upstream.route('POST', '/v1/traces', (req) => {
    exported.push(req.body);
    return { status: 200, body: {} };
  });
});

afterAll(async () => {
  await upstream?.close();
});

function spans(): any[] {
  return exported.flatMap((b) => b.resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans)));
}

function attrs(span: any): Record<string, unknown> {
  return Object.fromEntries(
    span.attributes.map((a: any) => [a.key, a.value.stringValue ?? Number(a.value.intValue ?? a.value.doubleValue)]),
  );
}

describe('tracing', () => {
  it('exports a span per call under the client trace, with upstream spans, and nothing secret', async () => {
    const h = await connectStdio({
      command: process.execPath,
      args: ['--conditions=development', BIN],
      env: {
        DEMO_TOKEN: TOKEN,
        DEMO_API_URL: upstream.url,
        OTEL_EXPORTER_OTLP_ENDPOINT: upstream.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '50',
      },
    });
    try {
      await h.client.callTool({
        name: 'list_items',
        arguments: { project: 'traced', state: 'closed' },
        _meta: { traceparent: `00-${TRACE_ID}-${PARENT}-01` },
      });
      await vi.waitFor(() => expect(spans().some((s) => s.name === 'tools/call list_items')).toBe(true), {
        timeout: 10_000,
      });
    } finally {
      await h.close();
    }
    const call = spans().find((s) => s.name === 'tools/call list_items');
    expect(call.traceId).toBe(TRACE_ID);
    expect(call.parentSpanId).toBe(PARENT);
    expect(attrs(call)).toMatchObject({
      'mcp.server': 'demo',
      'mcp.tool': 'list_items',
      'switchboard.outcome': 'ok',
      'switchboard.decision': 'allowed',
      'switchboard.upstream_calls': 1,
      'switchboard.resource': 'project:traced',
    });
    const upstreamSpan = spans().find((s) => s.parentSpanId === call.spanId);
    expect(upstreamSpan.name).toMatch(/^GET 127\.0\.0\.1:\d+$/);
    expect(attrs(upstreamSpan)).toMatchObject({
      'url.path': '/projects/traced/items',
      'http.response.status_code': 200,
    });
    const all = JSON.stringify(exported);
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain('state=closed');
    const resource = exported[0].resourceSpans[0].resource.attributes.find((a: any) => a.key === 'service.name');
    expect(resource.value.stringValue).toBe('switchboard-demo');
  });

  it('stays off (no export, no SDK) without an endpoint', async () => {
    const before = exported.length;
    const h = await connectStdio({
      command: process.execPath,
      args: ['--conditions=development', BIN],
      env: { DEMO_TOKEN: TOKEN, DEMO_API_URL: upstream.url },
    });
    try {
      expect((await h.callTool('list_items', { project: 'untraced' })).isError).toBe(false);
    } finally {
      await h.close();
    }
    expect(exported.length).toBe(before);
    expect(h.stderr()).not.toContain('exporting traces');
  });
});
