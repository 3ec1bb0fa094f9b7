/**
 * A trap proxy: given to servers as HTTP_PROXY/HTTPS_PROXY, it records every request (plain proxy requests and
 * CONNECT tunnels) and answers none of them usefully. Anything in `requests` is a request for a host other
 * than the configured upstream.
 */
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Trap {
  readonly url: string;
  /** `METHOD target` of every request that reached the trap. */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startTrap(): Promise<Trap> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end('trap: this host is not the configured upstream');
  });
  server.on('connect', (req, socket: Socket) => {
    requests.push(`CONNECT ${req.url}`);
    socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
