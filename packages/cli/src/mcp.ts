/** A real MCP client over stdio to a server's bin, for `doctor` (runtime level) and `inspect`. */
import { type CallToolResult, Client, type Tool } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { Launch } from './locate.ts';

export interface Connection {
  client: Client;
  serverName: string;
  serverVersion: string;
  protocolVersion: string;
  listTools(): Promise<Tool[]>;
  callTool(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  /** What the server wrote to stderr (logs), for error messages. */
  stderr(): string;
  close(): Promise<void>;
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

export async function connect(launch: Launch, timeoutMs: number): Promise<Connection> {
  const transport = new StdioClientTransport({
    command: launch.command,
    args: launch.args,
    env: { SWITCHBOARD_LOG_LEVEL: 'warn', ...stringEnv(process.env) },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-20_000);
  });
  const client = new Client({ name: 'switchboard-cli', version: '0.1.0' });
  try {
    await client.connect(transport, { timeout: timeoutMs });
  } catch (error) {
    await transport.close().catch(() => {});
    const why = (error as Error).message;
    throw new Error(`${why}${stderr.trim() ? `\nserver stderr:\n${stderr.trim().slice(-2000)}` : ''}`);
  }
  const info = client.getServerVersion();
  return {
    client,
    serverName: info?.name ?? '?',
    serverVersion: info?.version ?? '?',
    protocolVersion: client.getNegotiatedProtocolVersion() ?? '?',
    async listTools() {
      return (await client.listTools(undefined, { timeout: timeoutMs })).tools;
    },
    async callTool(name, args) {
      return (await client.callTool({ name, arguments: args }, { timeout: timeoutMs })) as CallToolResult;
    },
    stderr: () => stderr,
    async close() {
      await client.close().catch(() => {});
      await transport.close().catch(() => {});
    },
  };
}
