/**
 * The declarative shape of a Switchboard server: a server is data (credentials, toolsets, tools)
 * plus small functions (build a vendor client, run a tool, render its result).
 */
import type { z } from 'zod';
import type { SwitchboardError } from './errors.ts';
import type { HttpClient, HttpClientOptions } from './http/client.ts';
import type { Logger } from './log.ts';

/** read: no side effects. write: creates or changes something. destructive: deletes, merges, overwrites. */
export type Access = 'read' | 'write' | 'destructive';

/** A credential or setting read from the environment (stdio) or a tenant's credential set (HTTP). */
export interface CredentialSpec {
  kind: 'secret' | 'setting';
  /** Primary environment variable name, e.g. GITHUB_TOKEN. */
  env: string;
  /** Other accepted names, tried in order after `env`. */
  aliases?: string[];
  /** Default value for settings. */
  default?: string;
  /** Required secrets make every tool call fail with an auth error naming `env` when absent. */
  required?: boolean;
  /** One line for docs and error messages: where to get it, which scopes it needs. */
  description?: string;
}

export function secret(env: string, opts: Omit<CredentialSpec, 'kind' | 'env'> = {}): CredentialSpec {
  return { kind: 'secret', env, required: true, ...opts };
}

export function setting(
  env: string,
  defaultValue?: string,
  opts: Omit<CredentialSpec, 'kind' | 'env'> = {},
): CredentialSpec {
  return { kind: 'setting', env, default: defaultValue, required: false, ...opts };
}

export type CredentialValues<C extends Record<string, CredentialSpec>> = { [K in keyof C]: string | undefined };

/** What a tool's `run` receives. */
export interface ToolContext<Client, Input> {
  /** The vendor client built for this call's credential set (never a global singleton). */
  client: Client;
  /** Validated input (defaults applied). */
  input: Input;
  /** Aborts on the call's deadline and when the MCP client cancels. Pass it to every upstream request. */
  signal: AbortSignal;
  /** Core's undici-backed HTTP client bound to this credential set (same throttle as `client`). */
  http: HttpClient;
  log: Logger;
  /** Who is calling (for audit and budgets). */
  principal: string;
  /** Whose credentials and state the call uses. */
  tenant: string;
}

/** What a tool's `resource` function may use to name the resources of a call. */
export interface ResourceContext<Client> {
  /** The policy has resource allow-lists that apply to this tool's access: resolve resources precisely. */
  scoped: boolean;
  /** The vendor client for the call's credentials (requests count against the call's deadline and audit). */
  client: () => Promise<Client>;
  signal: AbortSignal;
}

export interface ToolDefinition<Client = any, Input extends z.ZodObject<any> = z.ZodObject<any>, Result = any> {
  /** snake_case verb: list_*, get_*, search_*, create_*, update_*, delete_*. */
  name: string;
  title: string;
  /** Short and exact: the model pays for every byte. */
  description: string;
  access: Access;
  /**
   * What policy scopes on, e.g. `repo:acme/widgets`. Several resources: all must be allowed. May be async and
   * ask upstream (a Notion page's ancestry, say) through `ctx.client()`; do that only when `ctx.scoped` says
   * the policy restricts resources for this access, so unscoped deployments pay no extra request.
   */
  resource?: (
    input: z.output<Input>,
    ctx: ResourceContext<Client>,
  ) => string | string[] | undefined | Promise<string | string[] | undefined>;
  input: Input;
  /** Safe to repeat with the same arguments (write tools only; reads are always idempotent). */
  idempotent?: boolean;
  /** Always ask for confirmation, even when not destructive. */
  confirm?: boolean;
  /** Opt-in cache for read tools: time to live in milliseconds. */
  cacheTtlMs?: number;
  /**
   * Vendor scopes this tool needs: any one of them suffices. When the token's granted scopes are known
   * (see ServerDefinition.scopes), a tool none of whose scopes are granted is hidden.
   */
  scopes?: string[];
  run: (ctx: ToolContext<Client, z.output<Input>>) => Promise<Result>;
  /** Compact text for the model. Use `untrusted()` for text authored outside the operator's control. */
  render?: (result: Result, input: z.output<Input>) => string;
}

/** Identity helper that keeps the input type flowing into run/render. */
export function defineTool<Client, Input extends z.ZodObject<any>, Result>(
  def: ToolDefinition<Client, Input, Result>,
): ToolDefinition<Client, Input, Result> {
  return def;
}

/** Builds a tool set for a client type, so `defineTool` calls need no type arguments. */
export function toolsFor<Client>() {
  return <Input extends z.ZodObject<any>, Result>(def: ToolDefinition<Client, Input, Result>) => def;
}

export interface Toolset {
  description: string;
  tools: ToolDefinition<any, any, any>[];
}

export interface SandboxHandle {
  /** Base URL the server's client should use instead of the vendor's. */
  url: string;
  /** Credential values to use against the sandbox (fake tokens). */
  credentials: Record<string, string>;
  close(): Promise<void>;
}

export interface ServerDefinition<C extends Record<string, CredentialSpec> = any, Client = any> {
  /** Short name: github, notion, slack. Used in audit lines, env names and URLs. */
  name: string;
  /** npm package and version, for serverInfo. */
  packageName: string;
  version: string;
  /** One line for registries and --help. */
  summary: string;
  /** Sent to the client as the server's instructions. Keep it short. */
  instructions?: string;
  credentials: C;
  /** Which credential holds the URL the sandbox replaces. */
  apiUrlCredential?: keyof C & string;
  /**
   * Build the vendor client for one credential set. Called once per distinct credential set, then reused.
   * May be async so heavy SDKs load on the first call, not at start-up.
   */
  client(credentials: CredentialValues<C>, http: HttpClient): Client | Promise<Client>;
  /**
   * How core's HTTP client treats this vendor: hosts its redirects may lead to (e.g. log downloads), how its
   * rate-limit quotas split into buckets, how to read its rate-limit headers, and limits.
   */
  http?: Partial<
    Pick<
      HttpClientOptions,
      | 'allowRedirectHosts'
      | 'rateLimitBucket'
      | 'parseRateLimit'
      | 'isRateLimited'
      | 'maxConcurrency'
      | 'quota'
      | 'timeoutMs'
      | 'maxBodyBytes'
    >
  >;
  toolsets: Record<string, Toolset>;
  defaultToolsets: string[];
  /** Map a vendor error (SDK exception) to the core taxonomy. Return undefined to use the generic mapping. */
  mapError?: (error: unknown, tool: ToolDefinition) => SwitchboardError | undefined;
  /** Token scopes: read them from a response's headers, when the vendor reports them. */
  scopes?: {
    fromHeaders: (headers: Headers) => string[] | undefined;
    /** A cheap read whose response carries the scope headers; run in the background after start-up. */
    probe?: (client: Client, signal: AbortSignal) => Promise<unknown>;
  };
  /**
   * One harmless read that says who the credentials belong to and, where the vendor tells, what they are
   * granted (OAuth scopes, bot scopes, permissions, capabilities). Used by `switchboard doctor` to reach the
   * integration-smoke-tested and least-privilege levels; `scopes` use the same names as the tools' `scopes`.
   */
  whoami?: (client: Client, signal: AbortSignal) => Promise<{ identity: string; scopes?: string[] }>;
  /** Extra token shapes to redact, beyond the core's known shapes. */
  secretPatterns?: RegExp[];
  /** Start a local stateful fake of the vendor API for --sandbox mode and tests. */
  sandbox?: () => Promise<SandboxHandle>;
  /** Calls the cross-server hardening suite (test/hardening) makes against the sandbox. Required with a sandbox. */
  sandboxProbes?: SandboxProbes;
}

export interface ProbeCall {
  tool: string;
  arguments: Record<string, unknown>;
}

export interface SandboxProbes {
  /** A read that reaches the vendor API on every call (never served from cache) and succeeds on the sandbox. */
  read: ProbeCall;
  /** A read whose result carries the sandbox's copy of testkit's INJECTION_FIXTURE. */
  untrusted?: ProbeCall;
}

export function defineServer<C extends Record<string, CredentialSpec>, Client>(
  def: ServerDefinition<C, Client>,
): ServerDefinition<C, Client> {
  const seen = new Set<string>();
  for (const [setName, set] of Object.entries(def.toolsets)) {
    for (const tool of set.tools) {
      if (seen.has(tool.name)) throw new Error(`${def.name}: tool ${tool.name} is defined twice (toolset ${setName})`);
      seen.add(tool.name);
    }
  }
  for (const name of def.defaultToolsets) {
    if (!def.toolsets[name]) throw new Error(`${def.name}: default toolset ${name} does not exist`);
  }
  return def;
}

/** Tool annotations derived from `access` (MCP ToolAnnotations). */
export function annotationsFor(tool: ToolDefinition) {
  return {
    title: tool.title,
    readOnlyHint: tool.access === 'read',
    destructiveHint: tool.access === 'destructive',
    idempotentHint: tool.access === 'read' || tool.idempotent === true,
    openWorldHint: true,
  };
}
