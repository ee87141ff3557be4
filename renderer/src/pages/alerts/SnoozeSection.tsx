import { useState } from 'react';
import { api } from '../../api/client';
import { formatTime } from '../../format';

const CHOICES = [
  { choice: '1h', label: '1 hour' },
  { choice: '4h', label: '4 hours' },
  { choice: '8h', label: '8 hours' },
  { choice: 'tomorrow-09', label: 'Until 09:00 tomorrow' },
] as const;

export function SnoozeSection({ until: savedUntil }: { until: number | undefined }) {
  const [until, setUntil] = useState(() =>
    savedUntil !== undefined && savedUntil > Date.now() ? savedUntil : undefined,
  );
  const [error, setError] = useState<string>();

  const snooze = async (choice: string) => {
    setError(undefined);
    const r = await api.invoke('alerts.snooze', choice);
    if (!r.ok) return setError(r.error);
    setUntil(r.value.until);
  };

  return (
    <section aria-labelledby="snooze-title" className="panel">
      <h3 id="snooze-title">Snooze</h3>
      <p role="status" className="status-line">
        {until === undefined ? (
          'Alerts are on.'
        ) : (
          <strong>Snoozed until {formatTime(until)}: no alert is sent until then.</strong>
        )}
      </p>
      <div className="actions" role="group" aria-label="Snooze alerts for">
        {CHOICES.map((c) => (
          <button key={c.choice} type="button" onClick={() => void snooze(c.choice)}>
            {c.label}
          </button>
        ))}
        <button type="button" onClick={() => void snooze('off')} disabled={until === undefined}>
          End the snooze
        </button>
      </div>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </section>
  );
}
