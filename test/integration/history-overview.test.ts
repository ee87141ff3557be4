import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openHistory, type History, type StoredResult } from '../../main/core/history/db';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** A Monday, midnight UTC. */
const T0 = Date.UTC(2026, 0, 5);

const dir = mkdtempSync(join(tmpdir(), 'portwatch-overview-'));
let files = 0;
const opened: History[] = [];
function open(): History {
  const h = openHistory(join(dir, `history-${files++}.sqlite`));
  opened.push(h);
  return h;
}
afterEach(() => {
  for (const h of opened.splice(0)) h.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const result = (monitorId: string, at: number, ms: number, outcome: 'ok' | 'timeout' = 'ok'): StoredResult => ({
  monitorId,
  at,
  outcome,
  phase: 'connect',
  ms,
  slow: ms > 150,
});

/** Deterministic pseudo-random numbers, so failures reproduce. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Two days and six hours of checks, kept as the app keeps them: hours packed and rolled up as
 * they end, the first day and a half's raw results pruned (only rollups stand for them), the
 * last half hour not packed yet, and results arriving late for an hour already packed.
 */
function spanningHistory(): History {
  const h = open();
  const rnd = lcg(3);
  const end = T0 + 2 * DAY + 5 * HOUR + 30 * MIN;
  for (let at = T0; at < end; at += MIN) {
    if (at % HOUR === 0) h.rollup(at);
    const batch = [result('steady', at + 5000, 20 + 30 * rnd() ** 3)];
    // Every five minutes, down through one afternoon hour; slow every evening.
    if (at % (5 * MIN) === 0) {
      const hour = new Date(at).getUTCHours();
      batch.push(result('flaky', at + 9000, hour >= 18 ? 300 + 10 * rnd() : 40, hour === 15 ? 'timeout' : 'ok'));
    }
    h.recordResults(batch);
  }
  h.recordResult(result('__proto__', T0 + DAY + 6 * HOUR, 8));
  h.recordResult(result('gone', T0 + 8 * HOUR, 5));
  h.prune(T0 + 15 * DAY + 12 * HOUR, { rawDays: 14 });
  return h;
}

describe('overview stats', () => {
  const from = T0 + DAY;
  const to = T0 + 2 * DAY + 6 * HOUR;

  it('give every monitor the uptime and hourly means its own uptime() and series() give', () => {
    const h = spanningHistory();
    const before = h.overviewStats(from, to, 30);
    // Late results for a packed hour: a pass replaced by a failure, and one new check; and one
    // for an hour whose raw results were pruned (a clock set back), which no reader counts.
    h.recordResults([
      result('steady', T0 + DAY + 20 * HOUR + 10 * MIN + 5000, 9, 'timeout'),
      result('steady', T0 + DAY + 20 * HOUR + 10 * MIN + 30_000, 500),
      result('steady', T0 + DAY + 2 * HOUR + 30_000, 1),
    ]);
    const stats = h.overviewStats(from, to, 30);

    expect(Object.keys(stats).sort()).toEqual(['__proto__', 'flaky', 'gone', 'steady']);
    for (const id of ['steady', 'flaky', '__proto__', 'gone']) {
      const { checks, upPct } = h.uptime(id, from, to);
      const hourly = h.series(id, from, to, HOUR).map((p) => p.meanMs);
      expect(stats[id]).toEqual({ checks, upPct, spark: hourly });
    }
    // What a reader would see: 29.5 hours of minute checks, one of them a late failure.
    expect(stats.steady?.checks).toBe(29 * 60 + 30 + 1);
    expect(stats.steady?.checks).toBe((before.steady?.checks ?? 0) + 1);
    expect(stats.steady?.upPct).toBeCloseTo((100 * (29 * 60 + 30)) / (29 * 60 + 31), 9);
    expect(stats.steady?.spark[20]).not.toBe(before.steady?.spark[20]);
    // Down all of 15:00, slow in the evening, and nothing yet after 05:30.
    expect(stats.flaky?.spark[15]).toBeNull();
    expect(stats.flaky?.spark[19]).toBeGreaterThan(300);
    expect(stats.flaky?.upPct).toBeCloseTo((100 * (29.5 * 12 - 12)) / (29.5 * 12), 9);
    expect(stats.steady?.spark.slice(-1)).toEqual([expect.any(Number)]);
    // A monitor with history before the range only: present, with nothing to show.
    expect(stats.gone).toEqual({ checks: 0, upPct: null, spark: Array(30).fill(null) });
  });

  it('agree with series() over buckets of several hours, to the last tenth of a millisecond', () => {
    const h = spanningHistory();
    const stats = h.overviewStats(from, to, 10);
    for (const id of ['steady', 'flaky']) {
      const points = h.series(id, from, to, 3 * HOUR);
      const spark = stats[id]?.spark ?? [];
      expect(spark).toHaveLength(10);
      for (const [i, p] of points.entries()) {
        if (p.meanMs === null) expect(spark[i]).toBeNull();
        else expect(Math.abs((spark[i] ?? NaN) - p.meanMs)).toBeLessThanOrEqual(0.1 + 1e-9);
      }
    }
  });

  it('leave out monitors with no history, and forgotten ones', () => {
    const h = open();
    h.recordResults([result('a', T0 + 10 * MIN, 12), result('b', T0 + 20 * MIN, 30)]);
    h.forgetMonitor('b');
    expect(h.overviewStats(T0, T0 + 2 * HOUR, 2)).toEqual({ a: { checks: 1, upPct: 100, spark: [12, null] } });
    expect(open().overviewStats(T0, T0 + HOUR, 1)).toEqual({});
  });

  it('refuse ranges that are not whole hours in whole-hour buckets', () => {
    const h = open();
    expect(() => h.overviewStats(T0 + MIN, T0 + DAY, 24)).toThrow(RangeError);
    expect(() => h.overviewStats(T0, T0 + DAY, 48)).toThrow(RangeError);
    expect(() => h.overviewStats(T0, T0, 1)).toThrow(RangeError);
  });
});
