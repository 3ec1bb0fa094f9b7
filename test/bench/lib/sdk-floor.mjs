// The floor of the mandated stack: an MCP TypeScript SDK v2 stdio server with one zod v4 tool and nothing else.
// Plain JavaScript (no build, no type stripping) so its cold start is the SDK's own.
import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

serveStdio(() => {
  const server = new McpServer({ name: 'sdk-floor', version: '0.0.0' });
  server.registerTool(
    'echo',
    { description: 'Echo', inputSchema: z.object({ text: z.string() }) },
    async ({ text }) => ({
      content: [{ type: 'text', text }],
    }),
  );
  return server;
});
