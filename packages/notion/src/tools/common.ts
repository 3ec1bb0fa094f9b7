/** The tool factory for Notion tools: object-not-found errors name the integration the page must be shared with. */
import { type ToolDefinition, toolsFor } from '@switchboard-mcp/core';
import { z } from 'zod';
import type { Notion } from '../client.ts';
import { explainNotFound } from '../errors.ts';

const base = toolsFor<Notion>();

export const tool = <Input extends z.ZodObject<any>, Result>(
  def: ToolDefinition<Notion, Input, Result>,
): ToolDefinition<Notion, Input, Result> =>
  base({
    ...def,
    run: async (ctx) => {
      try {
        return await def.run(ctx);
      } catch (error) {
        throw await explainNotFound(ctx.client, error);
      }
    },
  });

export const limit = (max: number, def: number) => z.number().int().min(1).max(max).default(def);
export const cursor = z.string().optional().describe('from the previous result');

/** The "more" line of a paged result. */
export function more(next: string | null | undefined): string {
  return next ? `\nmore: cursor=${next}` : '';
}
