import { useEffect, useState } from 'react';
import type { Incident } from '../../../../shared/api';
import { api } from '../../api/client';
import { formatDuration, formatTime } from '../../format';

const DAYS = 30;

/** The outages of the last 30 days, newest first: when, how long, and why. */
export function IncidentList({ monitorId, refresh }: { monitorId: string; refresh: unknown }) {
  const [incidents, setIncidents] = useState<{ list: Incident[]; now: number }>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    const now = Date.now();
    void api.invoke('incidents', { monitorId, fromMs: now - DAYS * 86_400_000, limit: 50 }).then((r) => {
      if (!live) return;
      if (r.ok) setIncidents({ list: r.value, now });
      setError(r.ok ? undefined : r.error);
    });
    return () => {
      live = false;
    };
  }, [monitorId, refresh]);

  return (
    <section className="incidents" aria-labelledby="incidents-title">
      <h3 id="incidents-title">Incidents, last {DAYS} days</h3>
      {error && <p className="field-error">{error}</p>}
      {incidents && incidents.list.length === 0 && <p>No incidents.</p>}
      {incidents && incidents.list.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
                <th scope="col">Cause</th>
                <th scope="col">Failed at</th>
              </tr>
            </thead>
            <tbody>
              {incidents.list.map((i) => (
                <tr key={i.id} className={i.endedAt === null ? 'incident-open' : undefined}>
                  <td>{formatTime(i.startedAt)}</td>
                  <td>
                    {i.endedAt === null ? (
                      <strong>Ongoing, {formatDuration(incidents.now - i.startedAt)} so far</strong>
                    ) : (
                      formatDuration(i.endedAt - i.startedAt)
                    )}
                  </td>
                  <td>{i.diagnosis || i.outcome}</td>
                  <td>
                    {i.outcome} during {i.phase}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
