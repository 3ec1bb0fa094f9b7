/**
 * Prometheus metrics (prom-client), derived from the audit trail so every call is counted exactly once and the
 * numbers can never disagree with the audit log: calls by server/tool/outcome, latency histogram, upstream
 * requests and 429s, policy and budget denials; plus HTTP requests in flight and authentication failures.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { AuditRecord, AuditSink } from '../pipeline/audit.ts';

export class Metrics {
  readonly registry = new Registry();
  private readonly calls: Counter<'server' | 'tool' | 'outcome'>;
  private readonly latency: Histogram<'server' | 'tool'>;
  private readonly upstream: Counter<'server'>;
  private readonly rateLimited: Counter<'server'>;
  private readonly denials: Counter<'server' | 'rule'>;
  readonly authFailures: Counter<'reason'>;
  readonly inFlight: Gauge<'server'>;

  constructor() {
    const registers = [this.registry];
    // Process memory, CPU, event-loop lag, handles: what an operator looks at first.
    collectDefaultMetrics({ register: this.registry });
    this.calls = new Counter({
      name: 'switchboard_tool_calls_total',
      help: 'Tool calls by server, tool and outcome (ok, error:<kind>).',
      labelNames: ['server', 'tool', 'outcome'],
      registers,
    });
    this.latency = new Histogram({
      name: 'switchboard_tool_call_duration_seconds',
      help: 'Tool call latency, including upstream requests and policy stages.',
      labelNames: ['server', 'tool'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.upstream = new Counter({
      name: 'switchboard_upstream_requests_total',
      help: 'Requests sent to the vendor API.',
      labelNames: ['server'],
      registers,
    });
    this.rateLimited = new Counter({
      name: 'switchboard_upstream_rate_limited_total',
      help: 'Vendor answers that said "rate limited" (429 or equivalent).',
      labelNames: ['server'],
      registers,
    });
    this.denials = new Counter({
      name: 'switchboard_policy_denials_total',
      help: 'Calls refused by policy, budget, scopes or request narrowing, by rule.',
      labelNames: ['server', 'rule'],
      registers,
    });
    this.authFailures = new Counter({
      name: 'switchboard_http_auth_failures_total',
      help: 'HTTP requests refused by client authentication.',
      labelNames: ['reason'],
      registers,
    });
    this.inFlight = new Gauge({
      name: 'switchboard_http_requests_in_flight',
      help: 'MCP HTTP requests being served (stateless: each request is its own session).',
      labelNames: ['server'],
      registers,
    });
  }

  record(record: AuditRecord): void {
    // Tool names of unknown-tool calls come from the client: keep the label set bounded.
    const tool = record.access === 'unknown' ? '(unknown)' : record.tool;
    this.calls.inc({ server: record.server, tool, outcome: record.outcome });
    this.latency.observe({ server: record.server, tool }, record.duration_ms / 1000);
    if (record.upstream_calls) this.upstream.inc({ server: record.server }, record.upstream_calls);
    if (record.upstream_rate_limited) this.rateLimited.inc({ server: record.server }, record.upstream_rate_limited);
    if (record.decision.startsWith('denied:')) {
      const rule = record.decision.slice('denied:'.length).replace(/\[\d+\]/g, '');
      this.denials.inc({ server: record.server, rule });
    }
  }

  /** An audit sink that also feeds these metrics. */
  wrap(sink: AuditSink): AuditSink {
    return {
      write: (record) => {
        this.record(record);
        sink.write(record);
      },
      close: () => sink.close(),
    };
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
