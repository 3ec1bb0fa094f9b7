/**
 * Per-request narrowing by the caller: which toolsets and tools this request may see and whether it is
 * read-only. It comes from the caller's token scopes and from request headers or the URL path (as GitHub's
 * hosted server offers: `X-MCP-Toolsets`, `X-MCP-Tools`, `X-MCP-Readonly`, `/mcp/readonly`, `/mcp/x/<toolset>`).
 * It is applied after the operator's policy and can only remove tools from what that policy allows.
 */
import picomatch from 'picomatch';
import type { ToolDefinition } from './define.ts';
import { CORE_TOOLSET, type Decision } from './policy.ts';

export interface NarrowingSpec {
  toolsets?: string[];
  tools?: string[];
  readOnly?: boolean;
}

export class Narrowing {
  readonly toolsets?: ReadonlySet<string>;
  readonly readOnly: boolean;
  /** Every tool-glob list that applies; a tool must match each one. */
  private readonly toolLists: { globs: string[]; match: picomatch.Matcher }[];

  constructor(spec: NarrowingSpec, toolLists: { globs: string[]; match: picomatch.Matcher }[] = []) {
    this.toolsets = spec.toolsets ? new Set(spec.toolsets) : undefined;
    this.readOnly = spec.readOnly === true;
    this.toolLists = spec.tools ? [...toolLists, { globs: spec.tools, match: picomatch(spec.tools) }] : toolLists;
  }

  /** The intersection of two narrowings (each source can only take away). */
  and(other: Narrowing | undefined): Narrowing {
    if (!other) return this;
    const toolsets =
      this.toolsets && other.toolsets
        ? [...this.toolsets].filter((s) => other.toolsets!.has(s))
        : (this.toolsets ?? other.toolsets);
    return new Narrowing(
      { toolsets: toolsets ? [...toolsets] : undefined, readOnly: this.readOnly || other.readOnly },
      [...this.toolLists, ...other.toolLists],
    );
  }

  decide(tool: ToolDefinition, toolset: string): Decision {
    if (toolset === CORE_TOOLSET) return { allowed: true };
    if (this.toolsets && !this.toolsets.has(toolset)) {
      return {
        allowed: false,
        rule: 'request.toolsets',
        message: `toolset "${toolset}" is not enabled for this request`,
        hint: `This connection is limited to: ${[...this.toolsets].join(', ') || 'no toolsets'}.`,
      };
    }
    if (this.readOnly && tool.access !== 'read') {
      return {
        allowed: false,
        rule: 'request.readOnly',
        message: `${tool.name} changes data and this connection is read-only`,
        hint: 'Only read tools are available on this connection; the token or the client configuration limits it.',
      };
    }
    for (const list of this.toolLists) {
      if (!list.match(tool.name)) {
        return {
          allowed: false,
          rule: 'request.tools',
          message: `${tool.name} is not among the tools enabled for this request (${list.globs.join(', ')})`,
        };
      }
    }
    return { allowed: true };
  }
}

const list = (value: string | null | undefined) =>
  value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Narrowing from request headers and the path below the MCP endpoint: `/readonly`, `/x/<toolset>`,
 * `/x/<toolset>/readonly`, `/x/all`. Returns undefined when the request asks for nothing narrower.
 * Throws an Error with a user-facing message for a path it does not understand.
 */
export function narrowingFromRequest(headers: Headers, subPath: string): Narrowing | undefined {
  const spec: NarrowingSpec = {};
  const toolsets = list(headers.get('x-mcp-toolsets'));
  if (toolsets?.length && !toolsets.includes('all')) spec.toolsets = toolsets;
  const tools = list(headers.get('x-mcp-tools'));
  if (tools?.length) spec.tools = tools;
  const readOnly = headers.get('x-mcp-readonly');
  if (readOnly !== null && /^(1|true|yes|on)$/i.test(readOnly.trim())) spec.readOnly = true;
  const parts = subPath.split('/').filter(Boolean);
  if (parts[0] === 'x' && parts[1]) {
    if (parts[1] !== 'all') spec.toolsets = spec.toolsets ? spec.toolsets.filter((s) => s === parts[1]) : [parts[1]];
    parts.splice(0, 2);
  }
  if (parts[0] === 'readonly') {
    spec.readOnly = true;
    parts.shift();
  }
  if (parts.length) throw new Error(`unknown MCP path; use /mcp, /mcp/readonly, /mcp/x/<toolset>[/readonly]`);
  return spec.toolsets || spec.tools || spec.readOnly ? new Narrowing(spec) : undefined;
}
