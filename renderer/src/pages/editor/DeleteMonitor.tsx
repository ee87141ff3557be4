import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/client';
import { href, navigate } from '../../router';
import { useStore } from '../../store';

/** Deleting asks once more, since the monitor's history goes with it. */
export function DeleteMonitor({ id, name }: { id: string; name: string }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const confirmRef = useRef<HTMLButtonElement>(null);
  const askRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (wasAsking.current) askRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  const remove = async (): Promise<void> => {
    setBusy(true);
    const r = await api.invoke('monitors.remove', id);
    setBusy(false);
    if (!r.ok) return setError(r.error);
    await useStore.getState().load();
    navigate(href.overview);
  };

  return (
    <section className="delete-monitor" aria-labelledby="delete-title">
      <h3 id="delete-title">Delete this monitor</h3>
      {!asking ? (
        <button type="button" ref={askRef} className="danger" onClick={() => setAsking(true)}>
          Delete monitor…
        </button>
      ) : (
        <div role="group" aria-labelledby="delete-question">
          <p id="delete-question">
            Delete “{name}”? Its checks stop and its history is removed; this cannot be undone.
          </p>
          <div className="editor-actions">
            <button type="button" ref={confirmRef} className="danger" disabled={busy} onClick={() => void remove()}>
              Yes, delete “{name}”
            </button>
            <button type="button" onClick={() => setAsking(false)}>
              Keep it
            </button>
          </div>
        </div>
      )}
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </section>
  );
}
