/** Reading operator files (policy, deployment): JSON or YAML, validated, errors that name the file and field. */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';

export class ConfigFileError extends Error {
  override name = 'ConfigFileError';
}

export async function readConfigFile<S extends z.ZodType>(
  path: string,
  schema: S,
  label: string,
): Promise<z.output<S>> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigFileError(
      `cannot read ${label} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  const json = /\.json$/i.test(path);
  let data: unknown;
  try {
    // YAML's parser loads only for YAML files.
    data = json ? JSON.parse(text) : (await import('yaml')).parse(text);
  } catch (error) {
    throw new ConfigFileError(`${label} ${path} is not valid ${json ? 'JSON' : 'YAML'}: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(data ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new ConfigFileError(`${label} ${path} is invalid: ${problems.join('; ')}`);
  }
  return parsed.data;
}
