/**
 * `switchboard config <client> [servers...]`: the snippet a client expects, or with --write the client's config
 * file merged in place (other entries and, for JSON, formatting and comments kept), after a timestamped backup.
 * A file that does not parse is refused and left untouched.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { applyEdits, modify, type ParseError, parse, printParseErrorCode } from 'jsonc-parser';
import { parse as parseToml, stringify as stringifyToml, TomlError } from 'smol-toml';
import { CLIENT_SPECS, type ClientName, type ClientSpec, neededCredentials, type ServerFlags } from '../clients.ts';
import { CliError, type RegistryServer } from '../registry.ts';

export interface ConfigPlan {
  entries: Record<string, Record<string, unknown>>;
  inputs: Record<string, unknown>[];
}

export function plan(spec: ClientSpec, servers: RegistryServer[], flags: ServerFlags): ConfigPlan {
  const entries: ConfigPlan['entries'] = {};
  const inputs: ConfigPlan['inputs'] = [];
  for (const server of servers) {
    entries[server.name] = spec.entry(server, flags);
    for (const input of spec.inputs?.(server) ?? []) if (!inputs.some((i) => i.id === input.id)) inputs.push(input);
  }
  return { entries, inputs };
}

/** The snippet to paste: only the new entries, in the client's format. */
export function renderSnippet(spec: ClientSpec, p: ConfigPlan): string {
  const doc: Record<string, unknown> = { [spec.key]: p.entries };
  if (p.inputs.length) doc.inputs = p.inputs;
  return spec.format === 'toml' ? stringifyToml(doc) : `${JSON.stringify(doc, null, 2)}\n`;
}

const FORMATTING = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } };

function refuse(path: string, why: string): never {
  throw new CliError(`${path}: ${why}; nothing was written. Fix the file or pass --config-path.`, 1);
}

function mergeJson(path: string, text: string, spec: ClientSpec, p: ConfigPlan): { text: string; replaced: string[] } {
  const errors: ParseError[] = [];
  const jsonc = spec.format === 'jsonc';
  const source = text.trim() ? text : '{}\n';
  const data = parse(source, errors, { disallowComments: !jsonc, allowTrailingComma: jsonc });
  if (errors.length) {
    const first = errors[0]!;
    const before = source.slice(0, first.offset).split('\n');
    refuse(
      path,
      `not valid ${jsonc ? 'JSON with comments' : 'JSON'} (${printParseErrorCode(first.error)} at line ${before.length}, column ${before.at(-1)!.length + 1})`,
    );
  }
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(data)) refuse(path, 'the top level is not a JSON object');
  const table = (data as Record<string, unknown>)[spec.key];
  if (table !== undefined && !isObject(table)) refuse(path, `"${spec.key}" is not an object`);
  const existingInputs = (data as Record<string, unknown>).inputs;
  if (p.inputs.length && existingInputs !== undefined && !Array.isArray(existingInputs)) {
    refuse(path, '"inputs" is not an array');
  }
  const replaced = Object.keys(p.entries).filter((name) => table && name in (table as object));
  let out = source;
  for (const [name, entry] of Object.entries(p.entries)) {
    out = applyEdits(out, modify(out, [spec.key, name], entry, FORMATTING));
  }
  const known = new Set(((existingInputs as { id?: unknown }[] | undefined) ?? []).map((i) => i?.id));
  for (const input of p.inputs) {
    if (known.has(input.id)) continue;
    out = existingInputs
      ? applyEdits(out, modify(out, ['inputs', -1], input, { ...FORMATTING, isArrayInsertion: true }))
      : applyEdits(out, modify(out, ['inputs'], [input], FORMATTING));
    if (!existingInputs) known.add(input.id);
  }
  return { text: out.endsWith('\n') ? out : `${out}\n`, replaced };
}

function mergeToml(path: string, text: string, spec: ClientSpec, p: ConfigPlan): { text: string; replaced: string[] } {
  let data: Record<string, unknown>;
  try {
    data = parseToml(text);
  } catch (error) {
    const e = error as TomlError;
    refuse(path, `not valid TOML${e instanceof TomlError ? ` (line ${e.line}, column ${e.column})` : ''}`);
  }
  const table = data[spec.key];
  if (table !== undefined && (typeof table !== 'object' || table === null || Array.isArray(table))) {
    refuse(path, `"${spec.key}" is not a table`);
  }
  const servers = (table ?? {}) as Record<string, unknown>;
  const replaced = Object.keys(p.entries).filter((name) => name in servers);
  data[spec.key] = { ...servers, ...p.entries };
  return { text: stringifyToml(data), replaced };
}

export interface WriteResult {
  path: string;
  backup?: string;
  added: string[];
  replaced: string[];
}

export function writeConfig(path: string, spec: ClientSpec, p: ConfigPlan): WriteResult {
  const exists = existsSync(path);
  const before = exists ? readFileSync(path, 'utf8') : '';
  const merged = spec.format === 'toml' ? mergeToml(path, before, spec, p) : mergeJson(path, before, spec, p);
  mkdirSync(dirname(path), { recursive: true });
  let backup: string | undefined;
  if (exists) {
    backup = `${path}.${new Date().toISOString().replace(/[:.]/g, '-')}.bak`;
    copyFileSync(path, backup);
  }
  // Write beside the target and rename, so a crash never leaves a half-written config; a symlinked config
  // (dotfiles) is updated where it really lives and stays a link.
  const target = exists ? realpathSync(path) : path;
  const tmp = `${target}.switchboard-${process.pid}.tmp`;
  writeFileSync(tmp, merged.text, { mode: exists ? statSync(target).mode : 0o600 });
  renameSync(tmp, target);
  const added = Object.keys(p.entries).filter((n) => !merged.replaced.includes(n));
  return { path, ...(backup ? { backup } : {}), added, replaced: merged.replaced };
}

export function secretsHint(client: ClientName, servers: RegistryServer[]): string | undefined {
  const names = servers.flatMap((s) => neededCredentials(s).map((c) => c.env));
  if (!names.length) return undefined;
  return `Credentials: ${[...new Set(names)].join(', ')}. ${CLIENT_SPECS[client].secretsNote}.`;
}
