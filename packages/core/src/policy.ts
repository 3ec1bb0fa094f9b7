/**
 * Operator policy: which toolsets and tools exist for the agent, whether writes are allowed at all, which
 * resources may be read and written, what needs confirmation, and how fast. Loaded from JSON or YAML
 * (`--policy FILE`) and narrowed by flags (`--toolsets`, `--tools`, `--read-only`); flags never widen a file.
 */

import picomatch from 'picomatch';
import { z } from 'zod';
import { ConfigFileError, readConfigFile } from './config-file.ts';
import type { Access, ServerDefinition, ToolDefinition } from './define.ts';

const globList = z.array(z.string().min(1));

export const BudgetRuleSchema = z
  .object({
    tools: z.union([z.string(), globList]).default('*').describe('tool name globs the rule counts'),
    perMinute: z.number().int().positive().optional(),
    perDay: z.number().int().positive().optional(),
  })
  .strict()
  .refine((r) => r.perMinute !== undefined || r.perDay !== undefined, { message: 'set perMinute or perDay' });

export const PolicySchema = z
  .object({
    toolsets: z.array(z.string()).optional().describe('enabled toolsets; "all" for every toolset'),
    tools: z.object({ allow: globList.optional(), deny: globList.optional() }).strict().optional(),
    readOnly: z.boolean().optional(),
    resources: z.object({ read: globList.optional(), write: globList.optional() }).strict().optional(),
    confirm: globList.optional().describe('tools that always need confirmation, besides destructive ones'),
    budgets: z.array(BudgetRuleSchema).optional(),
    cache: z
      .object({ enabled: z.boolean().default(true), ttlSeconds: z.number().int().min(0).max(3600).optional() })
      .strict()
      .optional(),
    maxOutputChars: z.number().int().min(1000).max(1_000_000).optional(),
    callTimeoutSeconds: z.number().int().min(1).max(600).optional(),
  })
  .strict();

export type PolicyFile = z.output<typeof PolicySchema>;
export type BudgetRule = z.output<typeof BudgetRuleSchema>;

export class PolicyError extends Error {
  override name = 'PolicyError';
}

/** Read and validate a policy file; errors name the file, the field and what is allowed. */
export async function loadPolicyFile(path: string): Promise<PolicyFile> {
  try {
    return await readConfigFile(path, PolicySchema, 'policy file');
  } catch (error) {
    throw error instanceof ConfigFileError ? new PolicyError(error.message) : error;
  }
}

/** Flags from the command line, applied on top of the file (narrowing only). */
export interface PolicyFlags {
  toolsets?: string[];
  tools?: string[];
  readOnly?: boolean;
}

export type Decision = { allowed: true } | { allowed: false; rule: string; message: string; hint?: string };

const ALLOW: Decision = { allowed: true };

/** Built-in tools every server has (get_more_output); always on. */
export const CORE_TOOLSET = 'core';

/** The resolved policy for one server: answers "is this tool visible" and "may this call proceed". */
export class Policy {
  readonly enabledToolsets: ReadonlySet<string>;
  readonly readOnly: boolean;
  readonly file: PolicyFile;
  private readonly allowTools?: picomatch.Matcher;
  private readonly denyTools?: picomatch.Matcher;
  private readonly flagTools?: picomatch.Matcher;
  private readonly readResources?: picomatch.Matcher;
  private readonly writeResources?: picomatch.Matcher;
  private readonly confirmTools?: picomatch.Matcher;

  constructor(server: ServerDefinition, file: PolicyFile = {}, flags: PolicyFlags = {}) {
    this.file = file;
    const known = Object.keys(server.toolsets);
    const expand = (names: string[], origin: string) => {
      if (names.includes('all')) return known;
      for (const n of names) {
        if (!known.includes(n)) {
          throw new PolicyError(`${origin}: unknown toolset "${n}"; ${server.name} has: ${known.join(', ')}, all`);
        }
      }
      return names;
    };
    let sets = file.toolsets ? expand(file.toolsets, 'policy toolsets') : server.defaultToolsets;
    if (flags.toolsets?.length) {
      const wanted = expand(flags.toolsets, '--toolsets');
      // Flags narrow a policy file that names toolsets; without one they choose freely among all toolsets.
      sets = file.toolsets ? wanted.filter((s) => sets.includes(s)) : wanted;
    }
    this.enabledToolsets = new Set(sets);
    this.readOnly = Boolean(file.readOnly || flags.readOnly);
    const glob = (list?: string[]) => (list?.length ? picomatch(list, { nocase: false, dot: true }) : undefined);
    this.allowTools = glob(file.tools?.allow);
    this.denyTools = glob(file.tools?.deny);
    this.flagTools = glob(flags.tools);
    this.readResources = glob(file.resources?.read);
    this.writeResources = glob(file.resources?.write);
    this.confirmTools = glob(file.confirm);
  }

  /** Whether a tool is exposed at all (tools/list) and may be called; the rule that hid it otherwise. */
  toolDecision(tool: ToolDefinition, toolset: string): Decision {
    if (toolset === CORE_TOOLSET) return ALLOW;
    if (!this.enabledToolsets.has(toolset)) {
      return deny(
        `toolsets`,
        `toolset "${toolset}" is not enabled`,
        `Enabled toolsets: ${[...this.enabledToolsets].join(', ')}. The operator can enable it with --toolsets or the policy file.`,
      );
    }
    if (this.readOnly && tool.access !== 'read') {
      return deny(
        'readOnly',
        `${tool.name} changes data and the server runs read-only`,
        'Only read tools are available.',
      );
    }
    if (this.denyTools?.(tool.name)) return deny('tools.deny', `${tool.name} is in the policy's deny list`);
    if (this.allowTools && !this.allowTools(tool.name)) {
      return deny('tools.allow', `${tool.name} is not in the policy's allow list`);
    }
    if (this.flagTools && !this.flagTools(tool.name))
      return deny('--tools', `${tool.name} is not among the tools enabled by --tools`);
    return ALLOW;
  }

  /** Whether resource allow-lists apply to a tool of this access (so its resources must be named precisely). */
  scopesResources(access: Access): boolean {
    return Boolean(this.readResources || (access !== 'read' && this.writeResources));
  }

  /** Whether the call's resources are within the read (and, for writes, write) allow-lists. */
  resourceDecision(access: Access, resources: string[]): Decision {
    for (const resource of resources) {
      if (this.readResources && !this.readResources(resource)) {
        return deny(
          'resources.read',
          `${resource} is outside the resources this server may access (${this.file.resources?.read?.join(', ')})`,
          'Do not retry with the same resource; ask the user or operator if access is needed.',
        );
      }
      if (access !== 'read' && this.writeResources && !this.writeResources(resource)) {
        return deny(
          'resources.write',
          `${resource} is read-only under the policy; writes are allowed only to ${this.file.resources?.write?.join(', ')}`,
          'Do not retry this write; reading is still allowed.',
        );
      }
    }
    return ALLOW;
  }

  /**
   * A write with no resource cannot be scoped: deny it whenever resource allow-lists exist (a read allow-list
   * also bounds writes, so an unscoped write would escape it).
   */
  unscopedDecision(access: Access, toolName: string): Decision {
    if (access !== 'read' && (this.writeResources || this.readResources)) {
      return deny(
        this.writeResources ? 'resources.write' : 'resources.read',
        `${toolName} does not name a resource, and the policy only allows scoped writes`,
        'Do not retry this write; ask the operator if it is needed.',
      );
    }
    return ALLOW;
  }

  needsConfirmation(tool: ToolDefinition): boolean {
    return tool.access === 'destructive' || tool.confirm === true || Boolean(this.confirmTools?.(tool.name));
  }

  get budgets(): BudgetRule[] {
    return this.file.budgets ?? [];
  }
}

function deny(rule: string, message: string, hint?: string): Decision {
  return { allowed: false, rule, message, hint };
}
