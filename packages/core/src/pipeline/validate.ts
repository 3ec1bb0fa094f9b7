/**
 * Stage 1: validate arguments with the tool's zod schema. Arguments some clients send as JSON strings where an
 * object or array is expected are decoded first. Errors name each field, what was wrong and what is allowed.
 */
import type { z } from 'zod';
import { SwitchboardError } from '../errors.ts';
import type { Stage } from './types.ts';

export const validateStage: Stage = async (call, next) => {
  // zod objects drop unknown keys silently; a misspelt optional argument would then be ignored without a word.
  const known = Object.keys(call.tool.input.shape);
  const unknown = Object.keys(call.args).filter((key) => !known.includes(key));
  if (unknown.length) {
    call.decision = 'invalid';
    return {
      type: 'error',
      error: new SwitchboardError(
        'invalid',
        `unknown argument${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}`,
        {
          hint: known.length
            ? `${call.tool.name} takes: ${known.join(', ')}.`
            : `${call.tool.name} takes no arguments.`,
        },
      ),
    };
  }
  const parsed = call.tool.input.safeParse(call.args, { reportInput: true });
  // Unpaired surrogates cannot be encoded as UTF-8: in a URL they throw (URIError), in a body they arrive as U+FFFD.
  const malformed = malformedStrings(call.args);
  if (!parsed.success || malformed.length) {
    call.decision = 'invalid';
    const problems = [
      ...(parsed.success ? [] : [describeIssues(parsed.error.issues)]),
      ...malformed.map((field) => `${field}: malformed text (an unpaired UTF-16 surrogate)`),
    ];
    return {
      type: 'error',
      error: new SwitchboardError('invalid', problems.join('; '), {
        hint: 'Fix these arguments and call again.',
      }),
    };
  }
  call.input = parsed.data;
  return next();
};

/** Paths of strings (values or keys) in the arguments that are not well-formed UTF-16; at most 8. */
export function malformedStrings(args: Record<string, unknown>): string[] {
  const out: string[] = [];
  // Top-level names are known argument names here (unknown ones were refused before); nested keys are checked.
  const stack: [unknown, string][] = Object.entries(args).map(([k, v]) => [v, k]);
  while (stack.length && out.length < 8) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (!value.isWellFormed()) out.push(path);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const wellFormed = k.isWellFormed();
        if (!wellFormed) out.push(`${path} (a key)`);
        stack.push([v, `${path}.${wellFormed ? k : '?'}`]);
      }
    }
  }
  return out.slice(0, 8);
}

/** Decode object/array arguments that arrived JSON-encoded as strings (a known failure of some clients). */
export function decodeStringifiedArgs(
  schema: z.ZodObject<any>,
  args: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...args };
  for (const [key, value] of Object.entries(args)) {
    if (typeof value !== 'string') continue;
    const trimmed = value.trim();
    if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) continue;
    const field = schema.shape[key] as z.ZodType | undefined;
    if (!field || !expectsStructured(field)) continue;
    try {
      out[key] = JSON.parse(trimmed);
    } catch {
      // leave as is: validation will report the type mismatch
    }
  }
  return out;
}

function expectsStructured(field: z.ZodType): boolean {
  let def: any = (field as any)._zod?.def;
  while (
    def &&
    (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault')
  ) {
    def = def.innerType?._zod?.def;
  }
  if (!def) return false;
  if (def.type === 'object' || def.type === 'array' || def.type === 'record' || def.type === 'tuple') return true;
  if (def.type === 'union') return def.options.some((o: z.ZodType) => expectsStructured(o));
  return false;
}

function describeIssues(issues: z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 8)
    .map((issue) => {
      const field = issue.path.length ? issue.path.join('.') : '(arguments)';
      const anyIssue = issue as any;
      if (issue.code === 'invalid_value' && Array.isArray(anyIssue.values)) {
        return `${field}: must be one of ${anyIssue.values.map((v: unknown) => JSON.stringify(v)).join(', ')}`;
      }
      if (issue.code === 'invalid_type') {
        if (anyIssue.input === undefined) return `${field}: required (${anyIssue.expected})`;
        return `${field}: expected ${anyIssue.expected}, got ${describeValue(anyIssue.input)}`;
      }
      if (issue.code === 'unrecognized_keys') return `unknown argument(s): ${anyIssue.keys.join(', ')}`;
      return `${field}: ${issue.message}`;
    })
    .join('; ');
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
