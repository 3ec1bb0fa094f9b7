/**
 * Stage 8 (outermost): one JSON line per call, whatever happened inside: who, what, on which resource, what the
 * policy decided, how it ended, how long it took and how many upstream requests it cost. Never a secret.
 */
import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import type { Redactor } from '../redact.ts';
import { endSpan, startCallSpan, tracingEnabled } from '../tracing.ts';
import type { Stage } from './types.ts';

export interface AuditRecord {
  type: 'audit';
  time: string;
  server: string;
  tool: string;
  toolset: string;
  principal: string;
  tenant: string;
  session?: string;
  client?: string;
  credential?: string;
  resource?: string[];
  access: string;
  decision: string;
  outcome: string;
  error?: string;
  duration_ms: number;
  upstream_calls: number;
  upstream_rate_limited: number;
  cache?: string;
  truncated?: boolean;
  call_id: string;
}

export interface AuditSink {
  write(record: AuditRecord): void;
  close(): Promise<void>;
}

/** Audit lines to a file (appended) or to stderr. */
export function createAuditSink(path?: string): AuditSink {
  if (!path || path === '-' || path === 'stderr') {
    return {
      write: (record) => process.stderr.write(`${JSON.stringify(record)}\n`),
      close: async () => {},
    };
  }
  // Opened synchronously so that an unwritable path fails at start-up (the CLI exits naming it) instead of
  // silently losing the trail.
  const fd = openSync(path, 'a', 0o600);
  const stream: WriteStream = createWriteStream('', { fd });
  stream.on('error', (error) => {
    process.stderr.write(`${JSON.stringify({ level: 50, msg: 'audit log write failed', path, err: String(error) })}\n`);
  });
  return {
    write: (record) => stream.write(`${JSON.stringify(record)}\n`),
    close: () => new Promise((resolve) => stream.end(resolve)),
  };
}

export function auditStage(sink: AuditSink, redactor: Redactor): Stage {
  return async (call, next) => {
    const span = tracingEnabled()
      ? startCallSpan(
          call.tool.name,
          { 'mcp.server': call.server, 'mcp.tool': call.tool.name, 'switchboard.call_id': call.id },
          call.caller.traceparent,
        )
      : undefined;
    call.context.span = span;
    const outcome = await next();
    const record: AuditRecord = {
      type: 'audit',
      time: new Date(call.startedAt).toISOString(),
      server: call.server,
      tool: call.tool.name,
      toolset: call.toolset,
      principal: call.caller.principal,
      tenant: call.caller.tenant,
      session: call.caller.session,
      client: call.caller.client?.name
        ? `${call.caller.client.name}${call.caller.client.version ? `/${call.caller.client.version}` : ''}`
        : undefined,
      credential: call.credentialFingerprint,
      resource: call.resources.length ? call.resources : undefined,
      access: call.tool.access,
      decision: call.decision,
      outcome:
        outcome.type === 'text' ? 'ok' : outcome.type === 'error' ? `error:${outcome.error.kind}` : 'input_required',
      error: outcome.type === 'error' ? outcome.error.message.slice(0, 300) : undefined,
      duration_ms: Math.round(performance.now() - call.context.startedPerf),
      upstream_calls: call.context.upstreamCalls,
      upstream_rate_limited: call.context.upstreamRateLimited,
      cache: call.cache,
      truncated: outcome.type === 'text' && outcome.truncated ? true : undefined,
      call_id: call.id,
    };
    const redacted = redactor.redactDeep(record);
    sink.write(redacted);
    if (span) {
      // The span says what the audit line says (never arguments or results).
      for (const [key, value] of Object.entries(redacted)) {
        if (value === undefined || key === 'type' || key === 'time' || key === 'error') continue;
        span.setAttribute(`switchboard.${key}`, Array.isArray(value) ? value.join(',') : (value as string | number));
      }
      endSpan(span, redacted.outcome === 'ok' ? undefined : (redacted.error ?? redacted.outcome));
    }
    return outcome;
  };
}
