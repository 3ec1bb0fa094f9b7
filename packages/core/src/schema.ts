/**
 * What the model sees of a tool: name, title, description, JSON Schema of the input, annotations.
 * Computed once per tool (not per request) and kept compact: every byte here is paid for on every turn.
 */

import type { Tool } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { ToolDefinition } from './define.ts';

export const CONFIRM_PROPERTY = {
  type: 'boolean',
  description: 'Set true only after the user approved this exact action',
} as const;

type JsonSchema = Record<string, unknown>;

/**
 * Input schemas computed at build time by scripts/bundle.ts (keyed `server:tool`), so a bundled server does not
 * convert zod to JSON Schema on every start. Absent when running from source or the tsc build.
 */
declare const __SWITCHBOARD_INPUT_SCHEMAS__: Record<string, JsonSchema> | undefined;
const PRECOMPUTED: Record<string, JsonSchema> | undefined =
  typeof __SWITCHBOARD_INPUT_SCHEMAS__ === 'undefined' ? undefined : __SWITCHBOARD_INPUT_SCHEMAS__;

/** JSON Schema for a tool's input as converted from zod, without noise ($schema, additionalProperties:false). */
export function computeInputJsonSchema(tool: ToolDefinition): JsonSchema {
  return stripNoise(z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' })) as JsonSchema;
}

/** JSON Schema for a tool's input (precomputed when bundled), plus the `confirm` argument when asked for. */
export function inputJsonSchema(tool: ToolDefinition, opts: { confirm?: boolean; server?: string } = {}): JsonSchema {
  const compact = (opts.server && PRECOMPUTED?.[`${opts.server}:${tool.name}`]) || computeInputJsonSchema(tool);
  if (opts.confirm) {
    const properties = { ...((compact.properties as JsonSchema | undefined) ?? {}), confirm: CONFIRM_PROPERTY };
    return { ...compact, properties };
  }
  return compact;
}

function stripNoise(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripNoise);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema') continue;
    if (key === 'additionalProperties' && value === false) continue;
    // zod's int() bounds at the safe-integer limits say nothing to the model.
    if ((key === 'minimum' || key === 'maximum') && Math.abs(Number(value)) === Number.MAX_SAFE_INTEGER) continue;
    out[key] = stripNoise(value);
  }
  return out;
}

/** Annotations with only what differs from the MCP defaults (readOnly false, destructive true, idempotent false, openWorld true). */
export function compactAnnotations(tool: ToolDefinition): Tool['annotations'] {
  if (tool.access === 'read') return { readOnlyHint: true };
  if (tool.access === 'destructive') return tool.idempotent ? { idempotentHint: true } : {};
  return tool.idempotent ? { destructiveHint: false, idempotentHint: true } : { destructiveHint: false };
}

export function toolListEntry(tool: ToolDefinition, opts: { confirm?: boolean; server?: string } = {}): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: inputJsonSchema(tool, opts) as Tool['inputSchema'],
    annotations: compactAnnotations(tool),
  };
}
