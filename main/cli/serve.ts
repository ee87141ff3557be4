import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { openCliConfig } from '../core/config/store';
import { configDir, historyFile, keyFile } from '../core/config/paths';
import { keyFileBox } from '../core/secrets';
import { startRuntime } from '../core/runtime';
import { newToken } from '../serve/auth';
import { isLoopback } from '../core/addresses';
import { PortwatchMetrics } from '../serve/metrics';
import { startServer } from '../serve/server';
import { UsageError, parseCommandArgs, type CommandIO } from './io';
import { parsePort } from './target';

export const SERVE_HELP = `Usage: portwatch serve [--host 127.0.0.1] [--port 7788] [--token T] [--allow-remote]
                      [--metrics-token M] [--vantage NAME]

Runs the monitoring engine without a desktop and serves the same UI and API in a browser.
Every API call needs the token (printed at start, or given with --token / PORTWATCH_TOKEN).
With a metrics token, GET /metrics answers Prometheus (blackbox_exporter's probe_success and
probe_duration_seconds per monitor, and more); Prometheus sends the token with
authorization: {credentials: M} in its scrape config. Without one, /metrics is off.

Options:
  --host <ip>          address to listen on (default 127.0.0.1)
  --port <n>           port to listen on (default 7788; 0 picks a free one)
  --token <t>          the access token (default: PORTWATCH_TOKEN, else a new random one)
  --allow-remote       required to listen on anything but loopback: other machines can then reach it
  --metrics-token <t>  the token /metrics needs (default: PORTWATCH_METRICS_TOKEN, else /metrics is off);
                       it opens only /metrics, and the API token does not open /metrics
  --vantage <name>     this instance's name, the vantage label on every metric (default: the host name)`;

const OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  token: { type: 'string' },
  'allow-remote': { type: 'boolean' },
  'metrics-token': { type: 'string' },
  vantage: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function serveCommand(args: string[], io: CommandIO, stop?: AbortSignal): Promise<number> {
  const parsed = parseCommandArgs(args, OPTIONS, false);
  const v = parsed.values;
  if (v.help) return (io.out(SERVE_HELP), 0);
  const host = v.host ?? '127.0.0.1';
  if (isIP(host) === 0 && host !== 'localhost') throw new UsageError(`--host must be an IP address, got "${host}"`);
  if (!isLoopback(host) && !v['allow-remote'])
    throw new UsageError(
      `--host ${host} would let other machines reach Portwatch: add --allow-remote if that is what you want`,
    );
  let port = 7788;
  if (v.port !== undefined) {
    const p = v.port === '0' ? { ok: true as const, value: 0 } : parsePort(v.port);
    if (!p.ok) throw new UsageError(`--port: ${p.error}`);
    port = p.value;
  }
  const token = v.token ?? process.env.PORTWATCH_TOKEN ?? newToken();
  if (token.length < 16) throw new UsageError('the token must be at least 16 characters long');
  // An empty variable is how shells and service files often say "not set".
  const metricsToken = v['metrics-token'] ?? (process.env.PORTWATCH_METRICS_TOKEN || undefined);
  if (metricsToken !== undefined && metricsToken.length < 16)
    throw new UsageError('the metrics token must be at least 16 characters long');
  // The scrape token sits in prometheus.yml, often readable by more people than the API token.
  if (metricsToken === token)
    throw new UsageError('the metrics token must differ from the API token, or it would open the API too');
  const vantage = (v.vantage ?? hostname()).trim();
  if (vantage === '' || vantage.length > 128) throw new UsageError('--vantage must be 1 to 128 characters');

  const dir = configDir();
  const config = await openCliConfig(dir);
  for (const p of config.report.problems) io.err(`portwatch: config: ${p}`);
  const runtime = startRuntime({
    config,
    historyFile: historyFile(dir),
    box: keyFileBox(keyFile(dir)),
    vantageName: vantage,
    onError: (e) => io.err(`portwatch: alerts: ${e instanceof Error ? e.message : String(e)}`),
  });
  const { service } = runtime;
  const metrics = metricsToken ? new PortwatchMetrics({ engine: runtime.engine, config, vantage }) : undefined;
  const metricsEndpoint =
    metrics && metricsToken
      ? { token: metricsToken, contentType: metrics.contentType, metrics: () => metrics.metrics() }
      : undefined;
  const staticDir = fileURLToPath(new URL('../renderer', import.meta.url));
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({
      host,
      port,
      token,
      service,
      ...(existsSync(staticDir) ? { staticDir } : {}),
      ...(metricsEndpoint ? { metrics: metricsEndpoint } : {}),
    });
  } catch (e) {
    // The port is taken, say: stop monitoring too, or the process would never exit.
    metrics?.dispose();
    await runtime.stop();
    throw e;
  }
  io.out(`Portwatch is serving ${config.monitors().length} monitors on ${server.url}`);
  io.out(`Open ${server.url}?token=${token}`);
  io.out(`Config: ${dir}`);
  io.out(
    metrics
      ? `Metrics: ${server.url}metrics (vantage "${vantage}"; Prometheus sends the metrics token as a bearer token)`
      : 'Metrics: off (start with --metrics-token to serve /metrics to Prometheus)',
  );

  await new Promise<void>((resolve) => {
    const done = (): void => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    stop?.addEventListener('abort', done, { once: true });
  });
  io.err('portwatch: stopping');
  await server.close();
  metrics?.dispose();
  await runtime.stop();
  return 0;
}
