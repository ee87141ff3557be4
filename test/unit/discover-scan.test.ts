import { describe, expect, it } from 'vitest';
import type { Identified, IdentifyOptions } from '../../main/core/discover/identify';
import { scan, type ScanProgress } from '../../main/core/discover/scan';
import type { ProbeTarget } from '../../main/core/probes/types';

// The scheduling alone: identify is replaced by a stand-in that takes a while and contacts nothing.

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

function counting(ms: number): {
  identifyPort: (t: ProbeTarget, o: IdentifyOptions) => Promise<Identified>;
  peak: Map<string, number>;
  started: number[];
} {
  const now = new Map<string, number>();
  const peak = new Map<string, number>();
  const started: number[] = [];
  const identifyPort = async (t: ProbeTarget, o: IdentifyOptions): Promise<Identified> => {
    started.push(t.port);
    now.set(t.host, (now.get(t.host) ?? 0) + 1);
    peak.set(t.host, Math.max(peak.get(t.host) ?? 0, now.get(t.host) ?? 0));
    await sleep(ms, o.signal);
    now.set(t.host, (now.get(t.host) ?? 1) - 1);
    return { state: t.port % 2 ? 'closed' : 'open', detail: 'stand-in', ms };
  };
  return { identifyPort, peak, started };
}

const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

describe('scan scheduling', () => {
  it('never has more than --concurrency ports of one host in flight, and reports each port once, in order', async () => {
    const { identifyPort, peak } = counting(5);
    const progress: ScanProgress[] = [];
    const report = await scan(['127.0.0.1', '127.0.0.2'], {
      ports: range(1000, 40),
      timeoutMs: 1000,
      concurrency: 7,
      identifyPort,
      onProgress: (p) => progress.push(p),
    });
    expect(peak.get('127.0.0.1')).toBe(7);
    expect(peak.get('127.0.0.2')).toBe(7);
    expect(report.results.map((r) => `${r.host}:${r.port}`)).toEqual([
      ...range(1000, 40).map((p) => `127.0.0.1:${p}`),
      ...range(1000, 40).map((p) => `127.0.0.2:${p}`),
    ]);
    expect(progress.map((p) => p.done)).toEqual(range(1, 80));
    expect(progress.every((p) => p.total === 80)).toBe(true);
    expect(report.cancelled).toBe(false);
  });

  it('takes ceil(ports / concurrency) rounds of the slowest port, not one per port', async () => {
    const { identifyPort } = counting(100);
    const report = await scan(['127.0.0.1'], {
      ports: range(2000, 40),
      timeoutMs: 1000,
      concurrency: 10,
      identifyPort,
    });
    expect(report.elapsedMs).toBeGreaterThanOrEqual(400 - 5);
    expect(report.elapsedMs).toBeLessThan(400 + 300);
  });

  it('a range takes its hosts in turn, so every address is under way early', async () => {
    const { identifyPort, started } = counting(5);
    const hosts = range(1, 20).map((i) => `127.0.0.${i}`);
    const seen: string[] = [];
    await scan(hosts, {
      ports: range(3000, 5),
      timeoutMs: 1000,
      concurrency: 50,
      identifyPort: (t, o) => (seen.push(t.host), identifyPort(t, o)),
    });
    expect(new Set(seen.slice(0, 20)).size).toBe(20);
    expect(started).toHaveLength(100);
  });

  it('stops when aborted: ports in flight and not started are left out, and it says it was cancelled', async () => {
    const { identifyPort, started } = counting(200);
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 300);
    const report = await scan(['127.0.0.1'], {
      ports: range(4000, 100),
      timeoutMs: 1000,
      concurrency: 10,
      identifyPort,
      signal: stop.signal,
    });
    expect(report.cancelled).toBe(true);
    // 200 ms a port, 10 at a time, cancelled at 300 ms: the first ten finished, the next ten were cut short.
    expect(started).toHaveLength(20);
    expect(report.results.map((r) => r.port)).toEqual(range(4000, 10));
  });
});
