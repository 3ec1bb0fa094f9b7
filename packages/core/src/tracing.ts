/**
 * OpenTelemetry traces, on only when an OTLP exporter is configured (OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; the exporter reads its headers and protocol settings from the standard
 * OTEL_* variables). One server span per tool call, continuing the client's trace when the request carries a W3C
 * `traceparent` in `_meta`, and one client span per upstream HTTP attempt. Spans carry what the audit line carries
 * (server, tool, tenant, principal, decision, outcome, upstream counts) and never arguments, bodies or query
 * strings. When tracing is off nothing here is loaded beyond the API's no-op tracer.
 */
import type { Span } from '@opentelemetry/api';
import type { Logger } from './log.ts';

type Api = typeof import('@opentelemetry/api');
/** Loaded only when tracing starts: servers without an exporter never load OpenTelemetry. */
let api: Api | undefined;

export function tracingEnabled(): boolean {
  return api !== undefined;
}

/** Starts exporting traces when the environment names an OTLP endpoint; returns the shutdown (flush) function. */
export async function startTracing(
  serviceName: string,
  env: Record<string, string | undefined>,
  log?: Logger,
): Promise<(() => Promise<void>) | undefined> {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return undefined;
  const [
    otel,
    { BatchSpanProcessor, TracerProvider },
    { OTLPTraceExporter },
    { defaultResource, resourceFromAttributes },
  ] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  const { W3CTraceContextPropagator } = await import('@opentelemetry/core');
  const provider = new TracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? serviceName })),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter(),
        scheduledDelayMillis: Number(env.OTEL_BSP_SCHEDULE_DELAY) || undefined,
      }),
    ],
  });
  otel.trace.setGlobalTracerProvider(provider);
  otel.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  api = otel;
  log?.info({ endpoint: endpoint.replace(/\/\/[^@/]*@/, '//') }, 'exporting traces (OTLP)');
  return async () => {
    await provider.shutdown().catch(() => {});
  };
}

/** The server span of one tool call, child of the client's trace when it sent a traceparent. Tracing must be on. */
export function startCallSpan(name: string, attributes: Record<string, string>, traceparent?: string): Span {
  const otel = api!;
  const active = otel.context.active();
  const parent = traceparent ? otel.propagation.extract(active, { traceparent } as Record<string, string>) : active;
  return otel.trace
    .getTracer('switchboard')
    .startSpan(`tools/call ${name}`, { kind: otel.SpanKind.SERVER, attributes }, parent);
}

/** A client span for one upstream HTTP attempt, under the call's span. Tracing must be on. */
export function startUpstreamSpan(parent: Span, method: string, url: URL): Span {
  const otel = api!;
  return otel.trace.getTracer('switchboard').startSpan(
    `${method} ${url.host}`,
    {
      kind: otel.SpanKind.CLIENT,
      attributes: {
        'http.request.method': method,
        'server.address': url.hostname,
        'url.scheme': url.protocol.replace(':', ''),
        // The path may name objects; the query may carry tokens: only the path goes out.
        'url.path': url.pathname,
      },
    },
    otel.trace.setSpan(otel.context.active(), parent),
  );
}

export function endSpan(span: Span, error?: string): void {
  if (error && api) span.setStatus({ code: api.SpanStatusCode.ERROR, message: error });
  span.end();
}

export type { Span };
