// A Prometheus scrape of `portwatch serve` at 10,000 monitors: the engine runs scripted checks
// (no network) until every monitor has a state, then /metrics is rendered 20 times. Prints the
// figures docs/benchmarks.md records, and the same families through prom-client's registry,
// which is why the per-monitor text is written by hand. `node out/bench/metrics.mjs [monitors]`.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Gauge, Registry } from 'prom-client';
import { MonitorSchema, type Monitor } from '../shared/monitor';
import { STATUSES } from '../shared/status';
import type { ProbeResult } from '../shared/probe';
import { Engine } from '../main/core/engine';
import { monotonic } from '../main/core/probes/clock';
import { PortwatchMetrics } from '../main/serve/metrics';
import { serveMetrics } from '../main/serve/metrics-route';

const SIZE = Number(process.argv[2] ?? 10_000);
const RUNS = 20;
const TOKEN = 'bench-metrics-token-0123456789';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

async function timed(fn: () => unknown): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = monotonic();
    await fn();
    times.push(monotonic() - t);
  }
  return times;
}

// A real inventory's mix: 85% plain TCP ports up, 10% HTTPS up (every phase timed, a
// certificate), 5% refusing (confirmed down at once, retries 0, so an incident is open).
function inventory(size: number): Monitor[] {
  const out: Monitor[] = [];
  for (let i = 0; i < size; i++) {
    const r = i % 20;
    const host = `127.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const common = {
      id: `m${i}`,
      name: `service "${i}" on ${host}`,
      host,
      tier: ((i % 3) + 1) as 1 | 2 | 3,
      retries: 0,
    };
    out.push(
      MonitorSchema.parse(
        r < 2
          ? { ...common, kind: 'http', port: 443, url: `https://${host}/health`, service: 'https' }
          : { ...common, kind: 'tcp', port: r < 19 ? 6379 : 5432, service: r < 19 ? 'redis' : 'postgres' },
      ),
    );
  }
  return out;
}

function scripted(m: Monitor): ProbeResult {
  const i = Number(m.id.slice(1));
  const base = { address: m.host, port: m.port, detail: '', diagnosis: '', startedAt: Date.now() };
  if (i % 20 === 19)
    return { ...base, outcome: 'refused', phase: 'connect', ms: 0.4, phases: { connect: 0.4 }, detail: 'ECONNREFUSED' };
  if (m.kind === 'http') {
    const validTo = new Date(Date.now() + (20 + (i % 90)) * 86_400_000).toISOString();
    return {
      ...base,
      outcome: 'ok',
      phase: 'body',
      ms: 12.5,
      phases: { resolve: 0.3, connect: 1.1, tls: 6.2, request: 0.2, response: 4.1, body: 0.6 },
      tls: {
        subject: 'CN=bench',
        issuer: 'CN=bench CA',
        altNames: [],
        validFrom: new Date().toISOString(),
        validTo,
        daysLeft: 0,
        nameMatches: true,
        trusted: true,
        selfSigned: false,
        protocol: 'TLSv1.3',
        cipher: 'TLS_AES_256_GCM_SHA384',
        fingerprint256: '',
      },
    };
  }
  return { ...base, outcome: 'ok', phase: 'connect', ms: 0.3 + (i % 7) / 10, phases: { connect: 0.3 } };
}

/** The same per-monitor families through prom-client, set from the states at scrape time as ours are. */
function viaPromClient(monitors: Monitor[], engine: Engine): () => Promise<string> {
  const registry = new Registry();
  const labelNames = ['monitor', 'name', 'host', 'service', 'tier', 'vantage'] as const;
  const success = new Gauge({ name: 'probe_success', help: 'x', labelNames, registers: [registry] });
  const duration = new Gauge({ name: 'probe_duration_seconds', help: 'x', labelNames, registers: [registry] });
  const state = new Gauge({
    name: 'portwatch_monitor_state',
    help: 'x',
    labelNames: [...labelNames, 'state'],
    registers: [registry],
  });
  return async () => {
    registry.resetMetrics();
    for (const m of monitors) {
      const labels = {
        monitor: m.id,
        name: m.name,
        host: m.host,
        service: m.service ?? '',
        tier: m.tier,
        vantage: 'b',
      };
      const st = engine.state(m.id);
      for (const s of STATUSES) state.set({ ...labels, state: s }, s === st?.status ? 1 : 0);
      if (!st?.last) continue;
      success.set(labels, st.last.outcome === 'ok' ? 1 : 0);
      duration.set(labels, st.last.ms / 1000);
    }
    return registry.metrics();
  };
}

/** Sample lines and bytes, read from the buffers without making one 18 MB string of them. */
function count(body: Buffer[]): { series: number; bytes: number } {
  let series = 0;
  let bytes = 0;
  let lineStart = true;
  for (const b of body) {
    bytes += b.length;
    for (const c of b) {
      if (lineStart && c !== 0x23 && c !== 0x0a) series++;
      lineStart = c === 0x0a;
    }
  }
  return { series, bytes };
}

async function main(): Promise<void> {
  const monitors = inventory(SIZE);
  let results = 0;
  const engine = new Engine({ check: async (m) => scripted(m), maxInFlight: 1024, maxPerHost: 8 });
  engine.subscribe((e) => void (e.type === 'result' && results++));
  const metrics = new PortwatchMetrics({
    engine,
    config: { monitors: () => monitors, onChange: () => () => undefined },
    vantage: 'bench',
  });
  engine.setMonitors(monitors);
  engine.checkAllNow();
  const deadline = monotonic() + 60_000;
  while (results < SIZE && monotonic() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (results < SIZE) throw new Error(`only ${results} of ${SIZE} monitors were checked within a minute`);

  const settledMb = process.memoryUsage().rss / 1048576;
  const { series, bytes } = count(metrics.render());
  const own = await timed(() => metrics.render());
  const whole = await timed(() => metrics.metrics());

  const server = createServer((req, res) => {
    void serveMetrics(req, res, { token: TOKEN, contentType: metrics.contentType, metrics: () => metrics.metrics() });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  const scrape = await timed(async () =>
    (await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).arrayBuffer(),
  );
  await new Promise<void>((r) => server.close(() => r()));

  const ownPeakMb = process.resourceUsage().maxRSS / 1024;
  const prom = await timed(viaPromClient(monitors, engine));
  await engine.stop();
  metrics.dispose();

  const fmt = (xs: number[]): string => `median ${median(xs).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;
  console.log(`\n== /metrics at ${SIZE} monitors, ${RUNS} runs each ==`);
  console.log(`series                   ${series} per-monitor and engine samples, ${(bytes / 1e6).toFixed(1)} MB`);
  console.log(`per-monitor text         ${fmt(own)}`);
  console.log(`whole scrape body        ${fmt(whole)} (with prom-client's process metrics)`);
  console.log(`GET /metrics on loopback ${fmt(scrape)}`);
  console.log(`prom-client, 3 families  ${fmt(prom)} (probe_success, probe_duration_seconds, state only)`);
  console.log(`RSS before scraping      ${settledMb.toFixed(1)} MB (the engine with every state)`);
  console.log(`peak RSS                 ${ownPeakMb.toFixed(1)} MB (whole process before the prom-client runs)`);
}

await main();
