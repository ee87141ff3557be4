import type { IncomingMessage, ServerResponse } from 'node:http';
import { tokenMatches } from './auth';

/** GET /metrics: what a scrape reads, and the token that opens it (never the API's). */
export interface MetricsEndpoint {
  token: string;
  contentType: string;
  /** The body in pieces, sent in order without joining them first. */
  metrics: () => Promise<Buffer[]>;
}

const OFF =
  'metrics are off: start portwatch serve with --metrics-token <token> (or PORTWATCH_METRICS_TOKEN) ' +
  'and give Prometheus that token in its scrape config (authorization: {credentials: <token>})\n';

function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(body);
}

/**
 * Only the Authorization header is read, not ?token=: Prometheus shows a target's URL, query
 * included, on its status pages, so a token there would be on display to anyone who can see them.
 */
function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

export async function serveMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  endpoint: MetricsEndpoint | undefined,
): Promise<void> {
  if (!endpoint) return text(res, 404, OFF);
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return text(res, 405, `${req.method ?? ''} is not allowed on /metrics\n`, { allow: 'GET, HEAD' });
  if (!tokenMatches(endpoint.token, bearer(req)))
    return text(res, 401, 'the metrics token is required (Authorization: Bearer <metrics token>)\n', {
      'www-authenticate': 'Bearer realm="portwatch metrics"',
    });
  const body = await endpoint.metrics();
  const length = body.reduce((n, b) => n + b.length, 0);
  res.writeHead(200, { 'content-type': endpoint.contentType, 'content-length': length, 'cache-control': 'no-store' });
  if (req.method !== 'HEAD') for (const b of body) res.write(b);
  res.end();
}
