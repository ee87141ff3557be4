// The engine at scale: N monitors at a 60 s interval on loopback, 10% refusing and 5% timing
// out (an iptables DROP rule), for long enough to be steady. Prints the figures that
// docs/benchmarks.md records. Run as root (iptables). Each size runs in its own process so
// peak RSS is its own: `node out/bench/engine.mjs chart|1000|10000` (BENCH_SECONDS=200).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MonitorSchema, type Monitor } from '../shared/monitor';
import { Engine } from '../main/core/engine';
import { openHistory } from '../main/core/history/db';
import { monotonic } from '../main/core/probes/clock';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 200);
const OPEN_HOSTS = 85;
const REFUSING_HOSTS = 10;
const DROP_NET = '127.0.2.0/24';
const DROP_HOSTS = 5;

const pct = (sorted: number[], p: number): number =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN) : NaN;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function listenOn(host: string, port: number): Promise<Server> {
  const s = createServer((c) => c.destroy());
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(port, host, () => resolve());
  });
  return s;
}

function iptables(action: '-I' | '-D'): void {
  execFileSync('iptables', ['-w', action, 'INPUT', '-i', 'lo', '-d', DROP_NET, '-j', 'DROP']);
}

async function runSize(size: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pw-bench-'));
  const history = openHistory(join(dir, 'history.sqlite'));
  const port = 20000 + Math.floor(Math.random() * 10000);
  const servers = new Map<string, Server>();
  for (let h = 1; h <= OPEN_HOSTS; h++) servers.set(`127.0.1.${h}`, await listenOn(`127.0.1.${h}`, port));

  // 85% open, 10% refused, 5% dropped, spread over hosts as a real inventory would be.
  const monitors: Monitor[] = [];
  for (let i = 0; i < size; i++) {
    const r = i % 20;
    const host =
      r < 17
        ? `127.0.1.${(i % OPEN_HOSTS) + 1}`
        : r < 19
          ? `127.0.3.${(i % REFUSING_HOSTS) + 1}`
          : `127.0.2.${(i % DROP_HOSTS) + 1}`;
    monitors.push(
      MonitorSchema.parse({ id: `b${i}`, name: `bench ${i}`, kind: 'tcp', host, port, tier: 1, timeoutMs: 1000 }),
    );
  }
  const lags: number[] = [];
  const downAt = new Map<string, number>();
  let probes = 0;
  const engine = new Engine({ history, maxInFlight: 256, maxPerHost: 8 });
  engine.subscribe((e) => {
    if (e.type === 'result') probes++;
    if (e.type === 'transition' && e.transition.to === 'down') downAt.set(e.monitorId, Date.now());
  });

  iptables('-I');
  // An interrupted benchmark must not leave loopback traffic dropped.
  const cleanup = (): void => {
    iptables('-D');
    process.exit(130);
  };
  process.once('SIGINT', cleanup);
  process.once('SIGTERM', cleanup);
  try {
    engine.setMonitors(monitors);
    const started = monotonic();
    // Warm-up: one interval, so every monitor has run once and the first-run spread is done.
    await sleep(60_000);
    const cpu0 = process.cpuUsage();
    const probes0 = probes;
    const t0 = monotonic();
    engine.onLag = (lag) => lags.push(lag);
    // Close one open host's listener: its monitors must go down within the policy's bound.
    const victim = '127.0.1.1';
    const closedAt = Date.now();
    await new Promise<void>((r) => servers.get(victim)?.close(() => r()));
    servers.delete(victim);
    const remaining = Math.max(0, SECONDS * 1000 - (monotonic() - started));
    await sleep(remaining);
    const wall = (monotonic() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const steadyProbes = probes - probes0;
    engine.onLag = undefined;
    await engine.stop();

    const victims = monitors.filter((m) => m.host === victim);
    const bound = 60_000 + 30_000 + 1000 + 1000;
    const detections = victims.map((m) => (downAt.get(m.id) ?? Infinity) - closedAt).sort((a, b) => a - b);
    const falseAlerts = [...downAt.keys()].filter((id) => {
      const m = monitors.find((x) => x.id === id);
      return m !== undefined && m.host.startsWith('127.0.1.') && m.host !== victim;
    }).length;
    lags.sort((a, b) => a - b);
    history.rollup(Date.now() + 3_600_000);
    history.checkpoint();
    const stats = history.stats();
    console.log(`\n== ${size} monitors at 60 s, ${SECONDS} s run (steady window ${wall.toFixed(0)} s) ==`);
    console.log(`probes/s                 ${(steadyProbes / wall).toFixed(1)}`);
    console.log(
      `scheduler lag            p50 ${pct(lags, 50).toFixed(1)} ms, p99 ${pct(lags, 99).toFixed(1)} ms, max ${(lags.at(-1) ?? NaN).toFixed(1)} ms (${lags.length} runs)`,
    );
    console.log(
      `CPU per 1,000 probes     ${(((cpu.user + cpu.system) / 1e6 / steadyProbes) * 1000).toFixed(3)} s (whole process, database included)`,
    );
    console.log(`peak RSS                 ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MB`);
    console.log(
      `database                 ${(stats.fileBytes / stats.rawRows).toFixed(1)} bytes per raw result after packing this short run (${stats.rawRows} results; see "storage" for full hours)`,
    );
    console.log(
      `detection                ${victims.length} closed monitors: p50 ${(pct(detections, 50) / 1000).toFixed(1)} s, max ${((detections.at(-1) ?? Infinity) / 1000).toFixed(1)} s; bound ${bound / 1000} s; ${detections.filter((d) => d > bound).length} late`,
    );
    console.log(`false alerts             ${falseAlerts}`);
  } finally {
    process.off('SIGINT', cleanup);
    process.off('SIGTERM', cleanup);
    iptables('-D');
    for (const s of servers.values()) s.close();
    history.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Bytes on disk per raw result under the engine's real write pattern, over full hours:
 * 10,000 monitors, one result a minute each, written in time order one commit at a time, with
 * the hourly job packing each completed hour. Virtual timestamps, so it takes a minute, not two hours.
 */
function storage(monitors = 10_000, hours = 2): void {
  const dir = mkdtempSync(join(tmpdir(), 'pw-size-'));
  const history = openHistory(join(dir, 'history.sqlite'));
  const start = Math.floor(Date.now() / 3_600_000) * 3_600_000 - hours * 3_600_000;
  const t0 = monotonic();
  for (let minute = 0; minute < hours * 60; minute++) {
    const at = start + minute * 60_000;
    for (let m = 0; m < monitors; m++) {
      const down = m % 20 === 19;
      history.recordResult({
        monitorId: `s${m}`,
        at: at + (m % 60) * 1000,
        outcome: down ? 'timeout' : 'ok',
        phase: 'connect',
        ms: down ? 1000 : 0.2 + Math.random() * 3,
        slow: false,
        ...(down ? { detail: 'no answer', diagnosis: 'dropped' } : {}),
      });
    }
    if ((minute + 1) % 60 === 0) history.rollup(at + 60_000);
  }
  const writeSec = (monotonic() - t0) / 1000;
  history.rollup(start + hours * 3_600_000 + 3_600_000);
  history.checkpoint();
  const st = history.stats();
  console.log(
    `storage: ${st.rawRows} results (${monitors} monitors x ${hours} h, one commit each, ${(st.rawRows / writeSec).toFixed(0)} writes/s): ` +
      `${((st.fileBytes - st.freeBytes) / st.rawRows).toFixed(1)} bytes used per raw result, ${(st.fileBytes / st.rawRows).toFixed(1)} with free pages`,
  );
  history.close();
  rmSync(dir, { recursive: true, force: true });
}

function chartQuery(): void {
  const dir = mkdtempSync(join(tmpdir(), 'pw-chart-'));
  const history = openHistory(join(dir, 'history.sqlite'));
  const now = Date.now();
  const start = now - 30 * 86_400_000;
  const rows = [];
  for (let t = start; t < now; t += 60_000) {
    rows.push({
      monitorId: 'chart',
      at: t,
      outcome: 'ok' as const,
      phase: 'connect' as const,
      ms: 1 + Math.random() * 20,
      slow: false,
    });
  }
  history.recordResults(rows);
  history.rollup(now);
  for (const [label, bucket] of [
    ['1 h buckets', 3_600_000],
    ['10 min buckets', 600_000],
  ] as const) {
    const times: number[] = [];
    let points = 0;
    for (let i = 0; i < 20; i++) {
      const t = monotonic();
      points = history.series('chart', start, now, bucket).length;
      times.push(monotonic() - t);
    }
    times.sort((a, b) => a - b);
    console.log(
      `30-day chart, ${label}: ${points} points, median ${pct(times, 50).toFixed(1)} ms, max ${(times.at(-1) ?? NaN).toFixed(1)} ms (${rows.length} one-minute results)`,
    );
  }
  history.close();
  rmSync(dir, { recursive: true, force: true });
}

const arg = process.argv[2] ?? 'chart';
if (arg === 'chart') chartQuery();
else if (arg === 'storage') storage();
else if (/^\d+$/.test(arg)) await runSize(Number(arg));
else {
  console.error(`usage: engine.mjs chart|storage|<number of monitors>`);
  process.exitCode = 2;
}
