/**
 * The tool factory for Notion tools: object-not-found errors name the integration the page must be shared with,
 * and a write that failed half-way says what it already wrote.
 */
import {
  errorFromStatus,
  isSwitchboardError,
  SwitchboardError,
  type ToolDefinition,
  toolsFor,
} from '@switchboard-mcp/core';
import { z } from 'zod';
import { PartialWrite } from '../blocks.ts';
import type { Notion } from '../client.ts';
import { explainNotFound, mapNotionError } from '../errors.ts';
import { short } from '../render.ts';

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
        if (error instanceof PartialWrite) throw partialWriteError(error, def);
        throw await explainNotFound(ctx.client, error);
      }
    },
  });

/** The failure of a half-done write, with what exists now, so the model does not send it all again. */
function partialWriteError(error: PartialWrite, def: ToolDefinition): SwitchboardError {
  const cause = error.cause as { status?: unknown; message?: unknown } | undefined;
  const mapped = isSwitchboardError(cause)
    ? cause
    : (mapNotionError(cause, def) ??
      (typeof cause?.status === 'number'
        ? errorFromStatus(cause.status, String(cause.message ?? 'request failed').slice(0, 400))
        : new SwitchboardError('upstream', String(cause?.message ?? cause).slice(0, 400))));
  const done = error.pageId
    ? `page ${short(error.pageId)} was created with its first ${error.written} blocks`
    : `the first ${error.written} blocks were appended`;
  return new SwitchboardError(mapped.kind, `${mapped.message.replace(/\.$/, '')}; ${done}`, {
    ...mapped.details,
    cause: error,
    hint: `Do not send the whole Markdown again: get_page shows what is there; append only the rest with append_markdown.${mapped.details.hint ? ` ${mapped.details.hint}` : ''}`,
  });
}

export const limit = (max: number, def: number) => z.number().int().min(1).max(max).default(def);
export const cursor = z.string().optional().describe('from the previous result');

/** The "more" line of a paged result. */
export function more(next: string | null | undefined): string {
  return next ? `\nmore: cursor=${next}` : '';
}
