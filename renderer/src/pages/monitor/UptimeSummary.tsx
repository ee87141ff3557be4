import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { formatPct } from '../../format';
import { RANGES, type RangeId } from './ranges';

type Uptime = { checks: number; upPct: number | null } | { error: string };

/** The share of checks that passed over each of the chart's ranges. */
export function UptimeSummary({ monitorId, refresh }: { monitorId: string; refresh: unknown }) {
  const [uptime, setUptime] = useState<Partial<Record<RangeId, Uptime>>>({});

  useEffect(() => {
    let live = true;
    const to = Date.now();
    void Promise.all(
      RANGES.map((r) =>
        api
          .invoke('uptime', monitorId, { from: to - r.spanMs, to })
          .then((u) => [r.id, u.ok ? u.value : { error: u.error }] as const),
      ),
    ).then((all) => {
      if (live) setUptime(Object.fromEntries(all));
    });
    return () => {
      live = false;
    };
  }, [monitorId, refresh]);

  return (
    <section className="uptime" aria-labelledby="uptime-title">
      <h3 id="uptime-title">Uptime</h3>
      <dl className="uptime-list">
        {RANGES.map((r) => {
          const u = uptime[r.id];
          return (
            <div key={r.id} className="uptime-item">
              <dt>Last {r.label}</dt>
              <dd>
                {u === undefined ? (
                  '…'
                ) : 'error' in u ? (
                  <span className="field-error">{u.error}</span>
                ) : u.upPct === null ? (
                  'no checks'
                ) : (
                  <>
                    <span className="uptime-pct">{formatPct(u.upPct)}</span>{' '}
                    <span className="uptime-checks">
                      of {u.checks.toLocaleString()} {u.checks === 1 ? 'check' : 'checks'}
                    </span>
                  </>
                )}
              </dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}
