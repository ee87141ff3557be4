import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { AddressInfo, Socket } from 'node:net';
import type { KeyPair } from './certs';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Running {
  port: number;
  close: () => Promise<void>;
}

async function start(server: HttpServer | ReturnType<typeof createTlsServer>, host: string): Promise<Running> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A TLS server presenting `pair` that completes the handshake and then closes. */
export const tlsServer = (pair: KeyPair, host = '127.0.0.1'): Promise<Running> =>
  start(
    createTlsServer({ key: pair.key, cert: pair.cert }, (s: TLSSocket) => s.end()),
    host,
  );

export const httpServer = (handler: Handler, host = '127.0.0.1'): Promise<Running> =>
  start(createHttpServer(handler), host);

export const httpsServer = (pair: KeyPair, handler: Handler, host = '127.0.0.1'): Promise<Running> =>
  start(createHttpsServer({ key: pair.key, cert: pair.cert }, handler), host);
