import { useState } from 'react';
import type { Monitor } from '../../../../shared/monitor';
import type { ResultSummary } from '../../../../shared/status';
import { api } from '../../api/client';
import { formatMs } from '../../format';
import { href } from '../../router';
import { useStore } from '../../store';

/** A check asked for shows the first result newer than the one there was when it was asked for. */
type Note = { text: string; error?: boolean } | { before: number | undefined };

function checkedNote(last: ResultSummary): string {
  if (last.outcome === 'ok') return `Checked: passed in ${formatMs(last.ms)}${last.slow ? ', slow' : ''}.`;
  return `Checked: failed (${last.outcome}). ${last.diagnosis}`;
}

/** Check now, pause or resume, edit; what came of the last of these is said in a live region. */
export function MonitorActions({
  monitor,
  last,
  onChanged,
}: {
  monitor: Monitor;
  last: ResultSummary | undefined;
  onChanged: (m: Monitor) => void;
}) {
  const [note, setNote] = useState<Note>();
  const [busy, setBusy] = useState(false);

  const checkNow = async (): Promise<void> => {
    const before = last?.at;
    const r = await api.invoke('monitors.checkNow', monitor.id);
    setNote(r.ok ? { before } : { text: r.error, error: true });
  };

  const togglePause = async (): Promise<void> => {
    setBusy(true);
    const r = await api.invoke('monitors.update', monitor.id, { enabled: !monitor.enabled });
    setBusy(false);
    if (!r.ok) return setNote({ text: r.error, error: true });
    onChanged(r.value);
    setNote({ text: r.value.enabled ? 'Resumed: checks start again.' : 'Paused: no checks until resumed.' });
    void useStore.getState().load();
  };

  let text: string | undefined;
  if (note && 'before' in note) text = last && last.at !== note.before ? checkedNote(last) : 'Checking now…';
  else text = note?.text;

  return (
    <div className="monitor-actions">
      <div className="monitor-buttons">
        <button type="button" className="primary" onClick={() => void checkNow()}>
          Check now
        </button>
        <button type="button" disabled={busy} onClick={() => void togglePause()}>
          {monitor.enabled ? 'Pause' : 'Resume'}
        </button>
        <a className="button-link" href={href.edit(monitor.id)}>
          Edit
        </a>
      </div>
      <p role="status" className={note && 'error' in note && note.error ? 'field-error' : 'monitor-note'}>
        {text}
      </p>
    </div>
  );
}
