import { useCallback, useEffect, useState } from 'react';
import { OUTBOX_STATES, type OutboxEntry, type OutboxState } from '../../../../shared/alerts';
import { api } from '../../api/client';
import { formatTime } from '../../format';
import { KIND_LABEL } from './channel-form';

const LIMIT = 50;

/** Each state has its glyph and word: never told by colour alone. */
const STATE_LOOK: Record<OutboxState, { glyph: string; label: string }> = {
  pending: { glyph: '…', label: 'Pending' },
  sent: { glyph: '✓', label: 'Sent' },
  failed: { glyph: '✕', label: 'Failed' },
  escalated: { glyph: '↑', label: 'Escalated' },
};

export function OutboxSection() {
  const [filter, setFilter] = useState<OutboxState | ''>('');
  const [rows, setRows] = useState<OutboxEntry[]>();
  const [error, setError] = useState<string>();

  const load = useCallback(
    () =>
      api.invoke('alerts.outbox', { limit: LIMIT, ...(filter ? { state: filter } : {}) }).then((r) => {
        if (r.ok) {
          setRows(r.value);
          setError(undefined);
        } else setError(r.error);
      }),
    [filter],
  );

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section aria-labelledby="outbox-title" className="panel">
      <h3 id="outbox-title">Outbox</h3>
      <p className="muted">The latest {LIMIT} alerts queued for a channel, and what became of each.</p>
      <div className="actions">
        <label htmlFor="outbox-state">Show</label>
        <select id="outbox-state" value={filter} onChange={(e) => setFilter(e.target.value as OutboxState | '')}>
          <option value="">Every state</option>
          {OUTBOX_STATES.map((s) => (
            <option key={s} value={s}>
              {STATE_LOOK[s].label} only
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      <p role="status" className="visually-hidden">
        {rows ? `${rows.length} outbox rows shown` : ''}
      </p>
      {rows && rows.length === 0 && (
        <p>Nothing {filter ? `${STATE_LOOK[filter].label.toLowerCase()} ` : ''}in the outbox.</p>
      )}
      {rows && rows.length > 0 && (
        <div className="table-wrap">
          <table className="outbox">
            <caption className="visually-hidden">Outbox</caption>
            <thead>
              <tr>
                <th scope="col">Queued</th>
                <th scope="col">Channel</th>
                <th scope="col">Alert</th>
                <th scope="col">State</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last word</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>{formatTime(r.createdAt)}</td>
                  <td>
                    {r.channel}
                    {r.kind && <span className="muted"> ({KIND_LABEL[r.kind]})</span>}
                  </td>
                  <td>{r.alert.title}</td>
                  <td className={`outbox-${r.state}`}>
                    <span aria-hidden="true">{STATE_LOOK[r.state].glyph} </span>
                    {STATE_LOOK[r.state].label}
                    {r.state === 'sent' && r.sentAt !== null && (
                      <span className="muted small"> {formatTime(r.sentAt)}</span>
                    )}
                    {r.state === 'pending' && r.attempts > 0 && (
                      <span className="muted small"> next try {formatTime(r.nextAttemptAt)}</span>
                    )}
                  </td>
                  <td>{r.attempts}</td>
                  <td>{r.detail ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
