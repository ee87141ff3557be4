import { useCallback, useEffect, useState } from 'react';
import type { MonitorView } from '../../../../shared/api';
import { api } from '../../api/client';
import { WEEK_MS, buildReview, weekP95, type Review } from './review';

/** Calls at once per batch: enough to be quick, few enough not to crowd serve or IPC. */
const PARALLEL = 8;

async function inBatches<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += PARALLEL)
    out.push(...(await Promise.all(items.slice(i, i + PARALLEL).map(fn))));
  return out;
}

async function loadReview(now: number): Promise<Review> {
  const to = now;
  const from = to - WEEK_MS;
  const [list, incidents] = await Promise.all([
    api.invoke('monitors.list'),
    api.invoke('incidents', { fromMs: from, toMs: to, limit: 10_000 }),
  ]);
  if (!list.ok) throw new Error(list.error);
  if (!incidents.ok) throw new Error(incidents.error);
  const views: MonitorView[] = list.value;
  const figures = await inBatches(views, async ({ monitor: m }) => {
    const [uptime, series] = await Promise.all([
      api.invoke('uptime', m.id, { from, to }),
      // Buckets are aligned to multiples of their length since the epoch: one as long as `from`
      // itself starts exactly at `from`, so the whole week is one bucket and one p95.
      api.invoke('series', m.id, { from, to, bucketMs: from }),
    ]);
    return {
      id: m.id,
      uptime: uptime.ok ? uptime.value : { checks: 0, upPct: null },
      p95: series.ok ? weekP95(series.value) : null,
    };
  });
  return buildReview({
    from,
    to,
    monitors: views.map((v) => v.monitor),
    flappingNow: new Set(views.filter((v) => v.state?.flapping).map((v) => v.monitor.id)),
    incidents: incidents.value,
    uptime: Object.fromEntries(figures.map((f) => [f.id, f.uptime])),
    p95Ms: Object.fromEntries(figures.map((f) => [f.id, f.p95])),
  });
}

export function useReview(): { review: Review | undefined; error: string | undefined; reload: () => void } {
  const [review, setReview] = useState<Review>();
  const [error, setError] = useState<string>();
  const reload = useCallback(() => {
    loadReview(Date.now()).then(
      (r) => (setReview(r), setError(undefined)),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, []);
  useEffect(reload, [reload]);
  return { review, error, reload };
}
