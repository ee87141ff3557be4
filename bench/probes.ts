// Throughput and cost of single probes on loopback: the floor every scheduler figure builds on.
// Prints figures; asserts nothing (targets are judged by people reading docs/benchmarks.md).
import { createServer, type AddressInfo, type Server } from 'node:net';
import { runProbe } from '../main/core/probes/run';
import { monotonic } from '../main/core/probes/clock';
import type { ProbeResult } from '../shared/probe';

const TOTAL = Number(process.env.BENCH_PROBES ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);

async function listenOn(): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => s.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function run(label: string, port: number): Promise<void> {
  const latencies: number[] = [];
  const outcomes = new Map<string, number>();
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = monotonic();
  const worker = async (): Promise<void> => {
    while (next < TOTAL) {
      next++;
      const r: ProbeResult = await runProbe('tcp', { host: '127.0.0.1', port }, {}, { timeoutMs: 2000 });
      latencies.push(r.ms);
      outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const wall = (monotonic() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  latencies.sort((a, b) => a - b);
  const cpuSec = (cpu.user + cpu.system) / 1e6;
  console.log(
    `${label.padEnd(8)} ${TOTAL} probes, ${CONCURRENCY} in flight: ${(TOTAL / wall).toFixed(0)} probes/s, ` +
      `latency p50 ${pct(latencies, 50).toFixed(2)} ms p99 ${pct(latencies, 99).toFixed(2)} ms, ` +
      `CPU ${((cpuSec / TOTAL) * 1000).toFixed(3)} s per 1,000 probes, outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`,
  );
}

const open = await listenOn();
const closed = await listenOn();
closed.server.close();
await run('open', open.port);
await run('refused', closed.port);
open.server.close();
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MB`);
