/** `switchboard inspect <server> [tool] [json-args]`: list a server's tools, or call one, from the terminal. */
import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import { serverLaunch } from '../locate.ts';
import { connect } from '../mcp.ts';
import { CliError, type RegistryServer } from '../registry.ts';

export interface InspectOptions {
  tool?: string;
  args?: string;
  flags: string[];
  timeoutMs: number;
  progress: (line: string) => void;
}

export interface InspectOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export function parseToolArgs(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(`tool arguments must be a JSON object, e.g. '{"owner":"octocat"}': ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError(`tool arguments must be a JSON object, e.g. '{"owner":"octocat"}'`);
  }
  return value as Record<string, unknown>;
}

function access(tool: Tool): string {
  const a = tool.annotations;
  if (a?.readOnlyHint) return 'read';
  return a?.destructiveHint === false ? 'write' : 'destructive';
}

function renderTools(tools: Tool[]): string {
  const width = Math.max(...tools.map((t) => t.name.length), 4);
  return tools.map((t) => `${t.name.padEnd(width)}  ${access(t).padEnd(11)} ${t.description ?? ''}`).join('\n');
}

function text(result: CallToolResult): string {
  return (result.content ?? []).map((c) => (c.type === 'text' ? c.text : `[${c.type} content]`)).join('\n');
}

export async function inspect(server: RegistryServer, opts: InspectOptions): Promise<InspectOutput> {
  const args = parseToolArgs(opts.args);
  opts.progress(`starting ${server.bin ?? server.package}…`);
  let conn: Awaited<ReturnType<typeof connect>>;
  try {
    conn = await connect(serverLaunch(server, opts.flags), opts.timeoutMs);
  } catch (error) {
    throw new CliError(`${server.name} did not start: ${(error as Error).message}`, 1);
  }
  try {
    if (!opts.tool) return { stdout: `${renderTools(await conn.listTools())}\n`, stderr: '', exitCode: 0 };
    opts.progress(`calling ${opts.tool}…`);
    const result = await conn.callTool(opts.tool, args);
    const out = `${text(result)}\n`;
    return result.isError ? { stdout: '', stderr: out, exitCode: 1 } : { stdout: out, stderr: '', exitCode: 0 };
  } catch (error) {
    throw new CliError(`${server.name}: ${(error as Error).message}`, 1);
  } finally {
    await conn.close();
  }
}
