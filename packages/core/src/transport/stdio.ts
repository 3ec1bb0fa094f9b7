/**
 * stdio transport: the SDK's serveStdio picks the protocol era from the client's opening message and pins one
 * server instance per connection. Nothing but protocol may reach stdout, so console output is sent to stderr.
 */
import { randomUUID } from 'node:crypto';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { ServerRuntime } from '../runtime.ts';
import { LOCAL_PRINCIPAL } from '../runtime.ts';

export function guardStdout(): void {
  // Libraries that print with console.log/info/debug would corrupt the JSON-RPC stream.
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
}

export function startStdio(runtime: ServerRuntime): { close(): Promise<void> } {
  guardStdout();
  const handle = serveStdio(
    (ctx) => runtime.createMcpServer(ctx, undefined, { connectionId: `stdio-${randomUUID()}` }),
    {
      onerror: (error) => runtime.log.warn({ err: runtime.redactor.redact(String(error)) }, 'stdio transport error'),
    },
  );
  runtime.deferWarmUp({ principal: LOCAL_PRINCIPAL, tenant: 'default', canElicit: false });
  runtime.log.info({ server: runtime.def.name, transport: 'stdio' }, 'ready');
  return handle;
}
