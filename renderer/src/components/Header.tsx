import { useMemo, useState } from 'react';
import { STATUSES, type MonitorStatus } from '../../../shared/status';
import { api } from '../api/client';
import { useStore } from '../store';
import { STATUS_LOOK } from './StatusBadge';

/** The counts at a glance, the engine's own state, and "check everything now". */
export function Header() {
  const monitors = useStore((s) => s.monitors);
  const flags = useStore((s) => s.flags);
  const [note, setNote] = useState<string>();
  const counts = useMemo(() => {
    const c = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<MonitorStatus, number>;
    for (const v of Object.values(monitors)) c[v.state?.status ?? 'unknown']++;
    return c;
  }, [monitors]);

  const checkAll = async (): Promise<void> => {
    const r = await api.invoke('checkAll');
    setNote(r.ok ? 'Checking every monitor now' : r.error);
  };

  return (
    <header className="header">
      <h1 className="brand">Portwatch</h1>
      <ul className="counts" aria-label="Monitors by state">
        {(['down', 'degraded', 'pending', 'up', 'paused', 'maintenance'] as const).map((s) =>
          counts[s] > 0 || s === 'up' || s === 'down' ? (
            <li key={s} className={`count status-${s}`}>
              <span aria-hidden="true">{STATUS_LOOK[s].glyph}</span> {counts[s]} {STATUS_LOOK[s].label.toLowerCase()}
            </li>
          ) : null,
        )}
      </ul>
      {flags.offline && (
        <p className="engine-flag" role="status">
          This machine looks offline: alerts for single monitors are held back.
        </p>
      )}
      {flags.paused && (
        <p className="engine-flag" role="status">
          Monitoring is paused.
        </p>
      )}
      <button type="button" onClick={() => void checkAll()}>
        Check everything now
      </button>
      <span role="status" className="header-note">
        {note}
      </span>
    </header>
  );
}
