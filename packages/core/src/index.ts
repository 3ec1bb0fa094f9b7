export * from './cli.ts';
export * from './context.ts';
export * from './define.ts';
export * from './errors.ts';
export type { HttpClient, HttpClientOptions, RateLimitState } from './http/client.ts';
export type { Logger, LogLevel } from './log.ts';
export { createLogger } from './log.ts';
export { Narrowing, type NarrowingSpec, narrowingFromRequest } from './narrowing.ts';
export { type AuditRecord, type AuditSink, createAuditSink } from './pipeline/audit.ts';
export type { Call, Caller, Outcome, Stage } from './pipeline/types.ts';
export * from './policy.ts';
export * from './redact.ts';
export * from './runtime.ts';
export * from './schema.ts';
export * from './state.ts';
export * from './store.ts';
export * from './text.ts';
// Transports are loaded on demand by the CLI (start-up cost); import them from their modules when needed.
export type { HttpHandle, HttpOptions } from './transport/http.ts';
