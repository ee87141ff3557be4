import type { AlertService } from '../core/alerts/alert-service';
import { dispatch, serviceHandlers } from '../core/api-handlers';
import type { PortwatchService, Result } from '../core/service';

export interface Request {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

type Handler = (s: PortwatchService, r: Request) => Result<unknown> | Promise<Result<unknown>> | unknown;

interface Route {
  /** The window's calls: an error value is an answer (HTTP 200), as over IPC, not a bad request. */
  rpc?: boolean;
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

const num = (q: URLSearchParams, key: string): number | undefined => {
  const v = q.get(key);
  return v === null || v === '' ? undefined : Number(v);
};

const range = (q: URLSearchParams): Record<string, number | undefined> => ({
  from: num(q, 'from'),
  to: num(q, 'to'),
  bucketMs: num(q, 'bucket'),
});

const alerts = <T>(s: PortwatchService, call: (a: AlertService) => T): T | Result<never> =>
  s.alerts ? call(s.alerts) : { ok: false, error: 'alerts are not available here' };

function route(method: string, path: string, handler: Handler): Route {
  const keys: string[] = [];
  const pattern = new RegExp(
    `^${path.replace(/:(\w+)/g, (_m, k: string) => {
      keys.push(k);
      return '([^/]+)';
    })}$`,
  );
  return { method, pattern, keys, handler };
}

/** The facade over HTTP: one line per call, the same names the desktop's IPC uses. */
export const ROUTES: Route[] = [
  route('GET', '/api/overview', (s) => s.overview()),
  route('GET', '/api/monitors', (s) => s.list()),
  route('POST', '/api/monitors', (s, r) => s.add(r.body)),
  route('GET', '/api/monitors/:id', (s, r) => s.get(r.params.id)),
  route('PATCH', '/api/monitors/:id', (s, r) => s.update(r.params.id, r.body)),
  route('DELETE', '/api/monitors/:id', (s, r) => s.remove(r.params.id)),
  route('POST', '/api/monitors/:id/check', (s, r) => s.checkNow(r.params.id)),
  route('GET', '/api/monitors/:id/series', (s, r) => s.series(r.params.id, range(r.query))),
  route('GET', '/api/monitors/:id/uptime', (s, r) => s.uptime(r.params.id, range(r.query))),
  route('GET', '/api/monitors/:id/results', (s, r) => s.recentResults(r.params.id, num(r.query, 'limit') ?? 50)),
  route('GET', '/api/incidents', (s, r) =>
    s.incidents({
      ...(r.query.get('monitorId') ? { monitorId: r.query.get('monitorId') } : {}),
      ...(num(r.query, 'from') !== undefined ? { fromMs: num(r.query, 'from') } : {}),
      ...(num(r.query, 'to') !== undefined ? { toMs: num(r.query, 'to') } : {}),
      ...(num(r.query, 'limit') !== undefined ? { limit: num(r.query, 'limit') } : {}),
    }),
  ),
  route('POST', '/api/check-all', (s) => s.checkAll()),
  route('POST', '/api/pause', (s) => s.pauseAll()),
  route('POST', '/api/resume', (s) => s.resumeAll()),
  route('GET', '/api/settings', (s) => s.settings()),
  route('PATCH', '/api/settings', (s, r) => s.updateSettings(r.body)),
  route('GET', '/api/alerts', (s) => alerts(s, (a) => ({ ok: true, value: a.settings() }))),
  route('PATCH', '/api/alerts', (s, r) => alerts(s, (a) => a.updateAlerts(r.body))),
  route('POST', '/api/alerts/channels', (s, r) => alerts(s, (a) => a.saveChannel(r.body))),
  route('DELETE', '/api/alerts/channels/:id', (s, r) => alerts(s, (a) => a.removeChannel(r.params.id))),
  route('POST', '/api/alerts/channels/:id/test', (s, r) => alerts(s, (a) => a.testChannel(r.params.id))),
  route('POST', '/api/alerts/snooze', (s, r) =>
    alerts(s, (a) => a.snooze((r.body as { choice?: unknown } | null)?.choice)),
  ),
  route('GET', '/api/alerts/outbox', (s, r) =>
    alerts(s, (a) =>
      a.outbox({
        limit: num(r.query, 'limit') ?? 100,
        ...(r.query.get('state') ? { state: r.query.get('state') } : {}),
      }),
    ),
  ),
  route('POST', '/api/monitors/:id/ack', (s, r) => alerts(s, (a) => a.ack(r.params.id))),
  // The window's own calls, by their contract names, exactly as over Electron's IPC.
  {
    ...route('POST', '/api/call/:name', (s, r) => {
      const args = (r.body as { args?: unknown } | null)?.args ?? [];
      if (!Array.isArray(args)) return { ok: false, error: 'the body must be {"args": [...]}' };
      return dispatch(serviceHandlers(s), r.params.name ?? '', args);
    }),
    rpc: true,
  },
];

export function match(
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | 'method' | undefined {
  let pathMatched = false;
  for (const r of ROUTES) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (r.method !== method) continue;
    const params: Record<string, string> = {};
    r.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1] ?? '')));
    return { route: r, params };
  }
  return pathMatched ? 'method' : undefined;
}
