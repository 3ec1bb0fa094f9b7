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

/** A configuration that must not be served (the CLI reports it and exits). */
export class HttpSetupError extends Error {
  override name = 'HttpSetupError';
}

/** 127.0.0.0/8, ::1, IPv4-mapped loopback and localhost. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(h);
}

export async function startHttp(runtime: ServerRuntime, opts: HttpOptions = {}): Promise<HttpHandle> {
  const host = opts.host ?? '127.0.0.1';
  const loopback = isLoopback(host);
  if (!loopback && !opts.allowedHosts?.length) {
    // Without a Host allow-list a server reachable from other machines is open to DNS rebinding; never serve so.
    throw new HttpSetupError(
      `binding to ${host} makes the server reachable from other machines: list the host names clients use with --allowed-hosts (or SWITCHBOARD_ALLOWED_HOSTS), e.g. --allowed-hosts mcp.internal.example`,
    );
  }
  const bound = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const allowedHosts = [...(loopback ? [...LOOPBACK_NAMES, bound] : []), ...(opts.allowedHosts ?? [])];
  // Browsers send Origin; by default only pages on the allowed hosts themselves may call.
  const allowedOrigins = [...(loopback ? LOOPBACK_NAMES : []), ...(opts.allowedOrigins ?? opts.allowedHosts ?? [])];
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
  const checkHost = hostHeaderValidation(allowedHosts);
  const checkOrigin = originValidation(allowedOrigins);

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
    if (!checkHost(req, res)) return;
    if (!checkOrigin(req, res)) return;
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
