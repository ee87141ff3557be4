// From the service's buckets to what the chart draws and what its text alternative says.

import type { Incident, SeriesPoint } from '../../../../shared/api';

/** The median arrives with newer services; older ones give only the mean, and the chart says so. */
type Point = SeriesPoint & { p50Ms?: number | null };

export interface ChartRow {
  t: number;
  /** The median where the service gives one, else the mean: see `middle`. */
  mid: number | null;
  /** Fastest to p95, as recharts draws a range area: [low, high]. */
  band: [number, number] | null;
  p95: number | null;
  min: number | null;
  max: number | null;
  count: number;
  failed: number;
  degraded: number;
}

export interface Span {
  x1: number;
  x2: number;
  kind: 'failed' | 'incident';
}

export interface ChartData {
  rows: ChartRow[];
  /** Which figure the line shows: every point must carry a median for the chart to call it one. */
  middle: 'median' | 'mean';
  spans: Span[];
  /** Buckets with at least one failed check. */
  failedBuckets: number;
  summary: {
    checks: number;
    lowMid: number | null;
    highMid: number | null;
    highP95: number | null;
  };
}

export function chartData(
  points: readonly Point[],
  bucketMs: number,
  incidents: readonly Incident[],
  now: number,
): ChartData {
  const middle = points.every((p) => p.p50Ms !== undefined) ? 'median' : 'mean';
  const rows = points.map((p): ChartRow => {
    const mid = middle === 'median' ? (p.p50Ms ?? null) : p.meanMs;
    return {
      t: p.t,
      mid,
      band: p.minMs !== null && p.p95Ms !== null ? [p.minMs, p.p95Ms] : null,
      p95: p.p95Ms,
      min: p.minMs,
      max: p.maxMs,
      count: p.count,
      failed: p.down,
      degraded: p.degraded,
    };
  });

  // Neighbouring buckets with failures become one block: fewer shapes, and an outage reads as one.
  const spans: Span[] = [];
  let failedBuckets = 0;
  for (const r of rows) {
    if (r.failed === 0) continue;
    failedBuckets++;
    const last = spans[spans.length - 1];
    if (last && last.x2 === r.t) last.x2 = r.t + bucketMs;
    else spans.push({ x1: r.t, x2: r.t + bucketMs, kind: 'failed' });
  }
  const start = rows[0]?.t ?? now;
  for (const i of incidents) {
    const x1 = Math.max(i.startedAt, start);
    const x2 = Math.min(i.endedAt ?? now, now);
    if (x2 > x1) spans.push({ x1, x2, kind: 'incident' });
  }

  const mids = rows.map((r) => r.mid).filter((v): v is number => v !== null);
  const p95s = rows.map((r) => r.p95).filter((v): v is number => v !== null);
  return {
    rows,
    middle,
    spans,
    failedBuckets,
    summary: {
      checks: rows.reduce((n, r) => n + r.count, 0),
      lowMid: mids.length ? Math.min(...mids) : null,
      highMid: mids.length ? Math.max(...mids) : null,
      highP95: p95s.length ? Math.max(...p95s) : null,
    },
  };
}

/**
 * Whether the slow threshold fits on the chart's scale: a threshold far above every point would
 * flatten the line against the axis, so then it is told in words instead.
 */
export const thresholdFits = (slowMs: number, highP95: number | null): boolean =>
  highP95 === null || slowMs <= highP95 * 4;
