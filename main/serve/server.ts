import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { eventBatcher } from '../core/event-batch';
import type { PortwatchService } from '../core/service';
import { presentedToken, tokenMatches } from './auth';
import { serveMetrics, type MetricsEndpoint } from './metrics-route';
import { match } from './routes';
import { serveStatic } from './static';

export interface ServeOptions {
  host: string;
  port: number;
  token: string;
  service: PortwatchService;
  /** The built renderer, served at / so a browser gets the same UI as the window. */
  staticDir?: string;
  /** Events are sent in batches at most this often, so a busy engine cannot flood a client. */
  batchMs?: number;
  /** GET /metrics for Prometheus, behind its own token; absent, /metrics says how to turn it on. */
  metrics?: MetricsEndpoint;
}

export interface RunningServer {
  url: string;
  port: number;
  close: () => Promise<void>;
}

const MAX_BODY = 1024 * 1024;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('the request body is larger than 1 MiB'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve(undefined);
      try {
        resolve(JSON.parse(text));
      } catch (e) {
        reject(new Error(`the request body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`));
      }
    });
    req.on('error', reject);
  });
}

const isResult = (v: unknown): v is { ok: boolean } =>
  typeof v === 'object' && v !== null && 'ok' in v && typeof (v as { ok: unknown }).ok === 'boolean';

/** The facade over HTTP + WebSocket, behind a token; the renderer's files at /. */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://portwatch.invalid');
    if (url.pathname === '/metrics') return serveMetrics(req, res, opts.metrics);
    if (!url.pathname.startsWith('/api/')) {
      if (req.method === 'GET' && opts.staticDir && serveStatic(opts.staticDir, url.pathname, res)) return;
      return send(res, 404, { ok: false, error: `nothing at ${url.pathname}` });
    }
    if (url.pathname === '/api/health') return send(res, 200, { ok: true, value: 'portwatch' });
    if (!tokenMatches(opts.token, presentedToken(req, url)))
      return send(res, 401, { ok: false, error: 'a valid token is required (Authorization: Bearer <token>)' });
    const found = match(req.method ?? 'GET', url.pathname);
    if (found === undefined) return send(res, 404, { ok: false, error: `no API at ${url.pathname}` });
    if (found === 'method')
      return send(res, 405, { ok: false, error: `${req.method ?? ''} is not allowed on ${url.pathname}` });
    let body: unknown;
    try {
      body = await readBody(req);
    } catch (e) {
      return send(res, 400, { ok: false, error: e instanceof Error ? e.message : String(e) });
    }
    // Some calls (sending a test alert) answer later.
    const out: unknown = await found.route.handler(opts.service, {
      method: req.method ?? 'GET',
      params: found.params,
      query: url.searchParams,
      body,
    });
    if (isResult(out)) return send(res, out.ok || found.route.rpc ? 200 : 400, out);
    send(res, 200, { ok: true, value: out });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) =>
      send(res, 500, { ok: false, error: e instanceof Error ? e.message : String(e) }),
    );
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://portwatch.invalid');
    if (url.pathname !== '/api/events' || !tokenMatches(opts.token, presentedToken(req, url))) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  const clients = new Set<WebSocket>();
  const batcher = eventBatcher(
    (events) => {
      const text = JSON.stringify({ events });
      for (const c of clients) if (c.readyState === c.OPEN) c.send(text);
    },
    { intervalMs: opts.batchMs },
  );
  const unsubscribe = opts.service.subscribe((e) => {
    if (clients.size === 0) return;
    batcher.push(e);
  });
  const attach = (ws: WebSocket): void => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => clients.delete(ws));
    ws.send(JSON.stringify({ hello: opts.service.overview() }));
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shown = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${shown}:${port}/`,
    port,
    close: async () => {
      unsubscribe();
      batcher.dispose();
      for (const c of clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
