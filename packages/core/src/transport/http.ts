/**
 * Streamable HTTP transport: stateless (any replica can serve any request), bound to 127.0.0.1 by default,
 * endpoint /mcp, Host and Origin checked against allow-lists (DNS-rebinding protection), /healthz for probes.
 * The SDK's createMcpHandler serves both protocol eras (2026-07-28 per-request, 2025-era stateless fallback).
 */
import { createServer, type Server as HttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostHeaderValidation, originValidation, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler } from '@modelcontextprotocol/server';
import type { ServerRuntime } from '../runtime.ts';
import { defaultCaller } from '../runtime.ts';

export interface HttpOptions {
  host?: string;
  port?: number;
  /** Extra allowed Host header names (besides localhost names when bound to loopback). */
  allowedHosts?: string[];
  /** Allowed Origin hostnames; requests without Origin (non-browser clients) pass. */
  allowedOrigins?: string[];
  /** Largest accepted request body in bytes. */
  maxBodyBytes?: number;
}

export interface HttpHandle {
  url: string;
  server: HttpServer;
  close(): Promise<void>;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

export async function startHttp(runtime: ServerRuntime, opts: HttpOptions = {}): Promise<HttpHandle> {
  const host = opts.host ?? '127.0.0.1';
  const loopback = host === '127.0.0.1' || host === 'localhost' || host === '::1';
  const allowedHosts = [...(loopback ? LOOPBACK_NAMES : []), ...(opts.allowedHosts ?? [])];
  const allowedOrigins = [...(loopback ? LOOPBACK_NAMES : []), ...(opts.allowedOrigins ?? [])];
  const maxRequestBodySize = opts.maxBodyBytes ?? 1024 * 1024;
  const onerror = (error: Error) =>
    runtime.log.debug({ err: runtime.redactor.redact(String(error)) }, 'mcp http error');
  const handler = createMcpHandler(
    (ctx) =>
      runtime.createMcpServer(ctx, (serverCtx, server) => {
        const caller = defaultCaller(serverCtx, server);
        return serverCtx.http?.authInfo ? caller : { ...caller, principal: 'http:anonymous' };
      }),
    { legacy: 'stateless', onerror, maxRequestBodySize },
  );
  const mcp = toNodeHandler(handler, { onerror, maxRequestBodySize });
  const checkHost = allowedHosts.length ? hostHeaderValidation(allowedHosts) : undefined;
  const checkOrigin = allowedOrigins.length ? originValidation(allowedOrigins) : undefined;

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: 'ok', server: runtime.def.name }));
      return;
    }
    if (path !== '/mcp') {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: 'not found; the MCP endpoint is /mcp' }));
      return;
    }
    if (checkHost && !checkHost(req, res)) return;
    if (checkOrigin && !checkOrigin(req, res)) return;
    try {
      await mcp(req, res);
    } catch (error) {
      onerror(error as Error);
      if (!res.headersSent)
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal error"}');
    }
  });
  server.requestTimeout = 5 * 60_000;
  server.headersTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}/mcp`;
  runtime.warmUp({ principal: 'http:anonymous', tenant: 'default', canElicit: false });
  return {
    url,
    server,
    close: async () => {
      await handler.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5000).unref();
      });
    },
  };
}
