/**
 * The runtime of one server definition: its tool registry, the composed pipeline, per-credential vendor clients,
 * learned token scopes, and the MCP server factory both transports serve (one low-level SDK Server per stdio
 * connection or per HTTP request; tool list entries are computed once, not per request).
 */
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import {
  type CallToolResult,
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  type InputRequiredResult,
  type McpRequestContext,
  Server,
  type ServerContext,
  type Tool,
} from '@modelcontextprotocol/server';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { CredentialSpec, CredentialValues, ServerDefinition, ToolDefinition } from './define.ts';
import { SwitchboardError } from './errors.ts';
import type { HttpClient } from './http/client.ts';
import { fingerprint } from './http/fingerprint.ts';
import type { ThrottleStore } from './http/throttle.ts';
import type { Logger } from './log.ts';
import type { Narrowing } from './narrowing.ts';
import { type AuditSink, auditStage } from './pipeline/audit.ts';
import { budgetStage } from './pipeline/budget.ts';
import { cacheStage } from './pipeline/cache.ts';
import { confirmStage } from './pipeline/confirm.ts';
import { policyStage } from './pipeline/policy.ts';
import { moreKey, shapeStage } from './pipeline/shape.ts';
import { type Call, type Caller, compose, type Outcome } from './pipeline/types.ts';
import { mapError, upstreamTerminal } from './pipeline/upstream.ts';
import { decodeStringifiedArgs, validateStage } from './pipeline/validate.ts';
import { CORE_TOOLSET, type Policy } from './policy.ts';
import { Redactor } from './redact.ts';
import { toolListEntry } from './schema.ts';
import { type Counters, MemoryCounters } from './state.ts';
import type { Store } from './store.ts';
import { oneLine, UNTRUSTED_INSTRUCTION } from './text.ts';

export const DEFAULT_MAX_OUTPUT_CHARS = 24_000;
export const DEFAULT_CALL_TIMEOUT_MS = 60_000;

/** Budget counters of runtimes given none: one per process, so tenants' runtimes share it (keys carry the tenant). */
const processCounters = new MemoryCounters();

/** Where a caller's upstream credentials come from: the environment (stdio), or a tenant store (HTTP, later). */
export type CredentialProvider = (caller: Caller) => Promise<Record<string, string | undefined>>;

export interface RuntimeOptions {
  policy: Policy;
  log: Logger;
  audit: AuditSink;
  store: Store;
  /** Atomic counters for budgets (default: in memory). Shared with other replicas when Redis is configured. */
  counters?: Counters;
  /** Upstream rate-limit state (default: in memory for the process). */
  throttle?: ThrottleStore;
  /** Environment to read credentials from (default process.env). */
  env?: Record<string, string | undefined>;
  credentials?: CredentialProvider;
  maxOutputChars?: number;
  callTimeoutMs?: number;
}

interface Registered {
  tool: ToolDefinition;
  toolset: string;
  entry?: Tool;
}

interface ClientEntry {
  client: unknown;
  http: HttpClient;
  fingerprint: string;
  /** Granted scopes when the vendor reported them; undefined while unknown. */
  scopes?: Set<string>;
}

export class ServerRuntime {
  readonly def: ServerDefinition;
  readonly policy: Policy;
  readonly log: Logger;
  readonly redactor: Redactor;
  readonly store: Store;
  private readonly throttle?: ThrottleStore;
  private readonly env: Record<string, string | undefined>;
  private readonly tools = new Map<string, Registered>();
  /** Vendor clients per credential set, bounded: callers bringing their own tokens must not grow it without end. */
  private readonly clients = new LRUCache<string, ClientEntry>({ max: 500 });
  private readonly pending = new Map<string, Promise<ClientEntry>>();
  private readonly live = new Set<Server>();
  private readonly pipeline: (call: Call) => Promise<Outcome>;
  private readonly credentialProvider: CredentialProvider;
  private readonly callTimeoutMs: number;
  private readonly audit: AuditSink;
  /** The credential set of the local (stdio / single-tenant) caller, once built: drives scope-based hiding. */
  private defaultFingerprint?: string;

  constructor(def: ServerDefinition, opts: RuntimeOptions) {
    this.def = def;
    this.policy = opts.policy;
    this.log = opts.log;
    this.store = opts.store;
    this.throttle = opts.throttle;
    this.audit = opts.audit;
    this.env = opts.env ?? process.env;
    this.redactor = new Redactor(def.secretPatterns);
    const fromPolicy = opts.policy.file.callTimeoutSeconds ? opts.policy.file.callTimeoutSeconds * 1000 : undefined;
    this.callTimeoutMs = opts.callTimeoutMs ?? fromPolicy ?? DEFAULT_CALL_TIMEOUT_MS;
    this.credentialProvider = opts.credentials ?? (async () => this.readEnvCredentials());
    for (const [toolset, set] of Object.entries(def.toolsets)) {
      for (const tool of set.tools) this.tools.set(tool.name, { tool, toolset });
    }
    this.tools.set(getMoreOutput.name, { tool: this.moreTool(), toolset: CORE_TOOLSET });
    // Register secrets from the environment up front so nothing can leak before the first call.
    for (const value of Object.values(this.readEnvCredentials(true))) this.redactor.add(value);
    const maxChars = opts.maxOutputChars ?? opts.policy.file.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS;
    this.pipeline = compose(
      [
        auditStage(opts.audit, this.redactor),
        shapeStage(this.redactor, this.store, maxChars, (call, error) => mapError(def, call, error)),
        validateStage,
        policyStage(
          this.policy,
          (name) => this.scopeProblem(name),
          (call, error) => mapError(def, call, error),
        ),
        confirmStage(this.policy, this.redactor),
        budgetStage(this.policy, opts.counters ?? processCounters),
        cacheStage(
          this.policy,
          this.store,
          opts.counters ?? processCounters,
          Object.values(def.toolsets).some((set) => set.tools.some((tool) => tool.cacheTtlMs)),
        ),
      ],
      upstreamTerminal(def),
    );
  }

  /** Credential values from the environment: primary names, then aliases, then defaults. */
  readEnvCredentials(secretsOnly = false): Record<string, string | undefined> {
    const out: Record<string, string | undefined> = {};
    for (const [key, spec] of Object.entries<CredentialSpec>(this.def.credentials)) {
      if (secretsOnly && spec.kind !== 'secret') continue;
      const names = [spec.env, ...(spec.aliases ?? [])];
      const found = names.map((n) => this.env[n]).find((v) => v !== undefined && v !== '');
      out[key] = found ?? spec.default;
    }
    return out;
  }

  /** Tools visible to the model under the policy, the request's narrowing and the token's known scopes. */
  listTools(narrowing?: Narrowing): Tool[] {
    const out: Tool[] = [];
    for (const reg of this.tools.values()) {
      if (!this.policy.toolDecision(reg.tool, reg.toolset).allowed) continue;
      if (narrowing && !narrowing.decide(reg.tool, reg.toolset).allowed) continue;
      if (this.scopeProblem(reg.tool.name)) continue;
      reg.entry ??= toolListEntry(reg.tool, {
        confirm: this.policy.needsConfirmation(reg.tool),
        server: this.def.name,
      });
      out.push(reg.entry);
    }
    return out;
  }

  /** Why a tool is hidden by the token's granted scopes, or undefined when it is usable (or scopes are unknown). */
  private scopeProblem(toolName: string): string | undefined {
    const reg = this.tools.get(toolName);
    const needed = reg?.tool.scopes;
    if (!needed?.length || !this.defaultFingerprint) return undefined;
    const granted = this.clients.get(this.defaultFingerprint)?.scopes;
    if (!granted) return undefined;
    if (needed.some((s) => granted.has(s))) return undefined;
    return `${toolName} needs one of the token scopes ${needed.join(', ')}; the token has ${[...granted].join(', ') || 'none'}`;
  }

  /** The caller's credential values, checked: a missing required secret is an auth error naming its variable. */
  private async credentialsFor(caller: Caller): Promise<{ values: Record<string, string | undefined>; fp: string }> {
    const values = await this.credentialProvider(caller);
    for (const [key, spec] of Object.entries<CredentialSpec>(this.def.credentials)) {
      if (spec.kind === 'secret') this.redactor.add(values[key]);
      if (spec.required && !values[key]) {
        const names = [spec.env, ...(spec.aliases ?? [])].join(' or ');
        throw new SwitchboardError('auth', `${names} is not set.`, {
          hint: `${spec.description ?? `Set ${spec.env} in the server's environment.`} The user must configure it; retrying will not help.`,
        });
      }
    }
    const fp = fingerprint(
      Object.entries(values)
        .map(([k, v]) => `${k}=${v ?? ''}`)
        .join('\n'),
    );
    return { values, fp };
  }

  private async resolveClient(
    caller: Caller,
    known?: Promise<{ values: Record<string, string | undefined>; fp: string }>,
  ): Promise<ClientEntry> {
    const { values, fp } = await (known ?? this.credentialsFor(caller));
    const ready = this.clients.get(fp);
    if (ready) return ready;
    let building = this.pending.get(fp);
    if (!building) {
      building = Promise.resolve().then(async () => {
        // Loaded on the first call, not at start-up: undici is a large share of cold start.
        const { createHttpClient } = await import('./http/client.ts');
        const entry: ClientEntry = { fingerprint: fp } as ClientEntry;
        entry.http = createHttpClient(
          {
            ...this.def.http,
            key: fp,
            onResponse: this.def.scopes
              ? (_status: number, headers: Headers) => {
                  const scopes = this.def.scopes?.fromHeaders(headers);
                  if (scopes) this.learnScopes(entry, scopes);
                }
              : undefined,
          },
          { throttleStore: this.throttle, log: this.log },
        );
        entry.client = await this.def.client(values as CredentialValues<any>, entry.http);
        this.clients.set(fp, entry);
        this.pending.delete(fp);
        return entry;
      });
      building.catch(() => this.pending.delete(fp));
      this.pending.set(fp, building);
    }
    return building;
  }

  private learnScopes(entry: ClientEntry, scopes: string[]): void {
    const next = new Set(scopes);
    const before = entry.scopes;
    if (before && before.size === next.size && [...next].every((s) => before.has(s))) return;
    entry.scopes = next;
    if (entry.fingerprint === this.defaultFingerprint) {
      this.log.info({ scopes }, 'token scopes learned; tools needing other scopes are hidden');
      for (const server of this.live) void server.sendToolListChanged().catch(() => {});
    }
  }

  private deferredWarmUp?: Caller;

  /** Warm up after the first tools/list is answered, so start-up itself loads nothing it does not need. */
  deferWarmUp(caller: Caller): void {
    this.deferredWarmUp = caller;
  }

  /**
   * For the local caller: build the client and, when the server can learn scopes, run its cheap probe in the
   * background so scope-based hiding applies without delaying start-up.
   */
  warmUp(caller: Caller): void {
    void this.resolveClient(caller)
      .then(async (entry) => {
        this.defaultFingerprint = entry.fingerprint;
        if (this.def.scopes?.probe && !entry.scopes) {
          await this.def.scopes.probe(entry.client, AbortSignal.timeout(10_000));
        }
      })
      .catch((error) => this.log.debug({ err: this.redactor.redact(String(error)) }, 'warm-up skipped'));
  }

  /** Run one tool call through the pipeline. */
  async callTool(
    name: string,
    rawArgs: Record<string, unknown> | undefined,
    caller: Caller,
    clientSignal?: AbortSignal,
  ): Promise<CallToolResult | InputRequiredResult> {
    const reg = this.tools.get(name);
    if (!reg) {
      const known = this.listTools(caller.narrowing).map((t) => t.name);
      // The name comes from the client (a model may paste anything) and this answer skips the shape stage:
      // redacted here, before it is cut to length.
      const shown = oneLine(this.redactor.redact(name), 100);
      const error = new SwitchboardError('invalid', `unknown tool "${shown}".`, {
        hint: `Available tools: ${known.join(', ')}.`,
      });
      this.audit.write(
        this.redactor.redactDeep({
          type: 'audit',
          time: new Date().toISOString(),
          server: this.def.name,
          tool: shown,
          toolset: '',
          principal: caller.principal,
          tenant: caller.tenant,
          session: caller.session,
          client: caller.client?.name,
          access: 'unknown',
          decision: 'invalid',
          outcome: 'error:invalid',
          error: error.message,
          duration_ms: 0,
          upstream_calls: 0,
          upstream_rate_limited: 0,
          call_id: randomUUID(),
        }),
      );
      return errorResult(error);
    }
    const startedAt = Date.now();
    const deadline = startedAt + this.callTimeoutMs;
    const timeout = AbortSignal.timeout(this.callTimeoutMs);
    const signals = [timeout, ...(clientSignal ? [clientSignal] : [])];
    const controller = new AbortController();
    const onAbort = () => {
      if (timeout.aborted) {
        controller.abort(
          new SwitchboardError('timeout', `${name} did not finish within ${Math.round(this.callTimeoutMs / 1000)}s.`, {
            hint: 'Retry later or narrow the request.',
          }),
        );
      } else {
        controller.abort(new SwitchboardError('cancelled', `${name} was cancelled by the client.`));
      }
    };
    for (const s of signals) s.addEventListener('abort', onAbort, { once: true });
    if (signals.some((s) => s.aborted)) onAbort();
    const args = rawArgs ?? {};
    const confirmArg = args.confirm === true;
    const { confirm: _confirm, ...rest } = args;
    // Read once per call: the audit line, the cache key and the client lookup all use the same credential set.
    const credentials = this.credentialsFor(caller);
    credentials.catch(() => {});
    const call: Call = {
      id: randomUUID(),
      server: this.def.name,
      tool: reg.tool,
      toolset: reg.toolset,
      args: decodeStringifiedArgs(reg.tool.input, rest),
      confirmArg,
      resources: [],
      caller,
      startedAt,
      deadline,
      signal: controller.signal,
      context: {
        signal: controller.signal,
        deadline,
        idempotent: reg.tool.access === 'read' || reg.tool.idempotent === true,
        readOnly: reg.tool.access === 'read',
        upstreamCalls: 0,
        upstreamRateLimited: 0,
        startedPerf: performance.now(),
      },
      decision: 'pending',
      log: this.log,
      redact: (text) => this.redactor.redact(text),
      resolveClient: () => this.resolveClient(caller, credentials),
    };
    try {
      // Which credential a call would use belongs in its audit line even when it is refused before upstream.
      call.credentialFingerprint = await credentials.then(
        (c) => c.fp,
        () => undefined,
      );
      const outcome = await this.pipeline(call);
      if (outcome.type === 'input_required') return outcome.result;
      if (outcome.type === 'error') return errorResult(outcome.error);
      return { content: [{ type: 'text', text: outcome.text }] };
    } finally {
      for (const s of signals) s.removeEventListener('abort', onAbort);
    }
  }

  /**
   * The factory the SDK's serving entries call: one low-level Server per stdio connection or HTTP request.
   * `connectionId` marks a long-lived connection (stdio): it becomes the audit session and the connection gets
   * tools/list_changed notifications; stateless HTTP instances are neither tracked nor notified.
   */
  createMcpServer = (
    ctx?: McpRequestContext,
    callerFor?: (serverCtx: ServerContext, server: Server) => Caller,
    opts: { connectionId?: string } = {},
  ): Server => {
    const server = new Server(
      { name: this.def.packageName, version: this.def.version, title: `Switchboard ${this.def.name}` },
      {
        // logging: 2025-era clients may set a level (logging/setLevel). No log notifications are sent today: logs go
        // to stderr and the audit trail, which is where operators read them (the 2026 revision deprecates it).
        capabilities: { tools: { listChanged: true }, logging: {} },
        instructions: [this.def.instructions, UNTRUSTED_INSTRUCTION].filter(Boolean).join('\n'),
      },
    );
    server.setRequestHandler('tools/list', async (_request, serverCtx) => {
      const caller = this.deferredWarmUp;
      if (caller) {
        this.deferredWarmUp = undefined;
        setTimeout(() => this.warmUp(caller), 20).unref();
      }
      const { narrowing } = (callerFor ?? defaultCaller)(serverCtx, server);
      return { tools: this.listTools(narrowing) };
    });
    server.setRequestHandler('tools/call', async (request, serverCtx) => {
      const caller = (callerFor ?? defaultCaller)(serverCtx, server);
      caller.session ??= opts.connectionId;
      const traceparent = (request.params._meta as { traceparent?: unknown } | undefined)?.traceparent;
      if (typeof traceparent === 'string') caller.traceparent = traceparent;
      return this.callTool(request.params.name, request.params.arguments, caller, serverCtx.mcpReq.signal);
    });
    if (opts.connectionId && ctx?.era !== 'modern') {
      this.live.add(server);
      server.onclose = () => this.live.delete(server);
    }
    return server;
  };

  /** The built-in continuation of truncated results: reads what the shape stage stored for this caller. */
  private moreTool(): ToolDefinition {
    const store = this.store;
    return {
      ...getMoreOutput,
      run: async ({ input, principal, tenant }) => {
        const rest = await store.get<string>(moreKey(tenant, principal, String(input.cursor)));
        if (rest === undefined) {
          throw new SwitchboardError(
            'not_found',
            `no stored output for cursor "${input.cursor}" (it expires after 15 minutes).`,
            {
              hint: 'Call the original tool again.',
            },
          );
        }
        return rest;
      },
    };
  }

  /** Close clients' pools and forget live servers. */
  async close(): Promise<void> {
    this.live.clear();
  }
}

/** The built-in tool that continues a truncated result. */
export const getMoreOutput: ToolDefinition = {
  name: 'get_more_output',
  title: 'Get more output',
  description: 'Continue a truncated result',
  access: 'read',
  input: z.object({ cursor: z.string().min(1).max(100) }),
  run: async () => '',
};

function errorResult(error: SwitchboardError): CallToolResult {
  return { content: [{ type: 'text', text: error.toText() }], isError: true };
}

/** The principal of a local (stdio) caller: the OS user running the server. */
export const LOCAL_PRINCIPAL = `local:${safeUser()}`;

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** Caller identity for a request: client capabilities and info come from the 2026 envelope or the 2025 handshake. */
export function defaultCaller(ctx: ServerContext, server: Server): Caller {
  const envelope = (ctx.mcpReq.envelope ?? {}) as Record<string, any>;
  const caps = envelope[CLIENT_CAPABILITIES_META_KEY] ?? server.getClientCapabilities();
  const userAgent = ctx.http?.req?.headers.get('user-agent') ?? undefined;
  const info = (envelope[CLIENT_INFO_META_KEY] ??
    server.getClientVersion() ??
    (userAgent ? { name: userAgent.slice(0, 80) } : undefined)) as { name?: string; version?: string } | undefined;
  const auth = ctx.http?.authInfo;
  // Switchboard's own HTTP authentication puts the resolved principal, tenant and narrowing here.
  const extra = (auth?.extra ?? {}) as {
    principal?: string;
    tenant?: string;
    narrowing?: Narrowing;
    upstreamToken?: string;
    session?: string;
  };
  return {
    principal:
      extra.principal ?? (auth?.clientId ? `client:${auth.clientId}` : ctx.http ? 'http:anonymous' : LOCAL_PRINCIPAL),
    tenant: extra.tenant ?? 'default',
    narrowing: extra.narrowing,
    upstreamToken: extra.upstreamToken,
    session: ctx.sessionId ?? extra.session,
    client: info ? { name: info.name, version: info.version } : undefined,
    canElicit: Boolean(caps?.elicitation),
    inputResponses: ctx.mcpReq.inputResponses,
    requestState: readRequestState(ctx),
  };
}

export { moreKey };

function readRequestState(ctx: ServerContext): string | undefined {
  try {
    const state = ctx.mcpReq.requestState?.();
    return typeof state === 'string' ? state : undefined;
  } catch {
    return undefined;
  }
}
