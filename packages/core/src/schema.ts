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

/** JSON Schema for a tool's input, without noise ($schema, additionalProperties:false). */
export function inputJsonSchema(tool: ToolDefinition, opts: { confirm?: boolean } = {}): JsonSchema {
  const schema = z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const compact = stripNoise(schema) as JsonSchema;
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

export function toolListEntry(tool: ToolDefinition, opts: { confirm?: boolean } = {}): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: inputJsonSchema(tool, opts) as Tool['inputSchema'],
    annotations: compactAnnotations(tool),
  };
}
