/** The converters pull in the Markdown parser and serialiser: loaded on the first call that needs them. */
export type Converters = typeof import('./index.ts');

let loading: Promise<Converters> | undefined;

export function converters(): Promise<Converters> {
  loading ??= import('./index.ts');
  return loading;
}
