import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ABANDONED_MS,
  KEEP_FINISHED_MS,
  MAX_RUNNING,
  createDiscoveryJobs,
  type DiscoveryJobs,
} from '../../main/core/discover/jobs';
import type { ScanOptions, ScanReport } from '../../main/core/discover/scan';
import type { DiscoveryStatus } from '../../shared/api';
import { closedPort, listen } from '../helpers/net';

// The registry the window's discoveries live in. Real scans go to loopback ports only; the expiry
// tests use a stand-in scan and a clock the test moves.

const value = <T>(r: { ok: true; value: T } | { ok: false; error: string }): T => {
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

const until = async (what: string, test: () => boolean, ms = 10_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** A scan that reports every port closed at once, contacting nothing. */
const instant = async (hosts: readonly string[], o: ScanOptions): Promise<ScanReport> => {
  const results = o.ports.map((port) => ({ host: hosts[0] ?? '', port, state: 'closed' as const, detail: 'x', ms: 0 }));
  results.forEach((last, i) => o.onProgress?.({ done: i + 1, total: results.length, last }));
  return { results, unresolved: [], elapsedMs: 0, cancelled: false };
};

/** A scan that never ends until it is cancelled. */
const endless = (_hosts: readonly string[], o: ScanOptions): Promise<ScanReport> =>
  new Promise((resolve) =>
    o.signal?.addEventListener('abort', () => resolve({ results: [], unresolved: [], elapsedMs: 0, cancelled: true })),
  );

describe('discovery jobs', () => {
  let jobs: DiscoveryJobs | undefined;
  afterEach(async () => {
    await jobs?.close();
    jobs = undefined;
  });

  it('scans loopback: progress, a closed port, an open one proposed as tcp, then done', async () => {
    const quiet = await listen((s) => s.end());
    const closed = await closedPort();
    jobs = createDiscoveryJobs();
    const first = value(jobs.start('127.0.0.1', `${quiet.port},${closed}`, { timeoutMs: 500 }));
    expect(first).toMatchObject({ host: '127.0.0.1', state: 'running', total: 2 });
    await jobs.settled(first.id);
    const done = value(jobs.status(first.id));
    expect(done.state).toBe('done');
    expect(done.scanned).toBe(2);
    expect(done.results.map((r) => [r.port, r.state]).sort()).toEqual(
      [
        [quiet.port, 'open'],
        [closed, 'closed'],
      ].sort(),
    );
    expect(done.proposals.map((p) => [p.monitor.kind, p.monitor.port])).toEqual([['tcp', quiet.port]]);
    // Asked from a count, only what came after it.
    expect(value(jobs.status(first.id, 1)).results).toHaveLength(1);
    await quiet.close();
  });

  it('cancel stops the scan: the connections in flight close, and nothing is added after', async () => {
    // Silent listeners keep each port identifying for up to three timeouts.
    const open = new Set<Socket>();
    const quiet = await Promise.all(
      Array.from({ length: 4 }, () =>
        listen((s) => {
          // Read, so the end of the connection is seen.
          s.resume();
          open.add(s);
          s.on('close', () => open.delete(s));
        }),
      ),
    );
    const closed = await closedPort();
    jobs = createDiscoveryJobs();
    const ports = [closed, ...quiet.map((q) => q.port)].join(',');
    const { id } = value(jobs.start('127.0.0.1', ports, { timeoutMs: 5000 }));
    const j = jobs;
    await until('the closed port and a connection to each silent one', () => {
      return value(j.status(id)).scanned === 1 && open.size === 4;
    });
    const inFlight = [...open];
    const cancelled = value(jobs.cancel(id));
    expect(cancelled.state).toBe('cancelled');
    const started = Date.now();
    await jobs.settled(id);
    expect(Date.now() - started).toBeLessThan(1000);
    await until('the connections in flight to close', () => inFlight.every((s) => s.destroyed), 2000);
    await new Promise((r) => setTimeout(r, 200));
    const after: DiscoveryStatus = value(jobs.status(id));
    expect(after).toMatchObject({ state: 'cancelled', scanned: 1, total: 5 });
    expect(after.results.map((r) => r.state)).toEqual(['closed']);
    // Cancelling again changes nothing.
    expect(value(jobs.cancel(id)).state).toBe('cancelled');
    await Promise.all(quiet.map((q) => q.close()));
  });

  it('the status of an unknown id is an error that says so', () => {
    jobs = createDiscoveryJobs();
    const r = jobs.status('no-such-id');
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/^no discovery with id "no-such-id"/) });
    expect(jobs.cancel('no-such-id').ok).toBe(false);
  });

  it('finished discoveries are kept a few minutes, then forgotten', async () => {
    let t = 1_000_000;
    jobs = createDiscoveryJobs({ scan: instant, now: () => t });
    const { id } = value(jobs.start('127.0.0.1', '22,80'));
    await jobs.settled(id);
    expect(value(jobs.status(id))).toMatchObject({ state: 'done', scanned: 2 });
    t += KEEP_FINISHED_MS - 1000;
    expect(jobs.status(id).ok).toBe(true);
    t += 2000;
    const gone = jobs.status(id);
    expect(gone.ok).toBe(false);
    if (!gone.ok) expect(gone.error).toMatch(/finished more than 5 minutes ago/);
  });

  it('a running discovery nobody asks about is cancelled', async () => {
    let t = 1_000_000;
    jobs = createDiscoveryJobs({ scan: endless, now: () => t });
    const polled = value(jobs.start('127.0.0.1', '22'));
    const left = value(jobs.start('127.0.0.1', '80'));
    t += ABANDONED_MS - 1000;
    expect(value(jobs.status(polled.id)).state).toBe('running');
    t += 2000;
    expect(value(jobs.status(polled.id)).state).toBe('running');
    expect(value(jobs.status(left.id)).state).toBe('cancelled');
  });

  it(`runs at most ${MAX_RUNNING} at once, and refuses what the window cannot scan, naming the field`, () => {
    jobs = createDiscoveryJobs({ scan: endless });
    for (let i = 0; i < MAX_RUNNING; i++) expect(jobs.start('127.0.0.1', '22').ok).toBe(true);
    expect(jobs.start('127.0.0.1', '22')).toEqual({
      ok: false,
      error: expect.stringMatching(/^3 discoveries are running already .*cancel one/),
    });

    const fresh = createDiscoveryJobs({ scan: endless });
    const error = (host: string, ports: string, o = {}): string => {
      const r = fresh.start(host, ports, o);
      return r.ok ? 'started' : r.error;
    };
    expect(error('192.168.1.0/24', 'catalog')).toMatch(
      /^host: 192\.168\.1\.0\/24 is a range of 254 addresses; the window scans one host/,
    );
    expect(error('db1:6379', 'catalog')).toMatch(/^host: write the host without a port \(db1\)/);
    expect(error('', 'catalog')).toMatch(/^host: name the host/);
    expect(error('127.0.0.1', '22,abc')).toMatch(/^ports: "abc" is not a port, a range, catalog or top/);
    expect(error('127.0.0.1', '9000-8000')).toMatch(/^ports: the range "9000-8000" runs backwards/);
    expect(error('127.0.0.1', ' ')).toMatch(/^ports: name the ports to scan/);
    expect(error('127.0.0.1', '22', { timeoutMs: 5 })).toMatch(/^the timeout must be a whole number from 100/);
    void fresh.close();
  });
});
