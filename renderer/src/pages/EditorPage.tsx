import { useEffect, useState } from 'react';
import type { Monitor } from '../../../shared/monitor';
import { api } from '../api/client';
import { href } from '../router';
import { DeleteMonitor } from './editor/DeleteMonitor';
import { emptyForm, formFromMonitor } from './editor/form';
import { MonitorForm } from './editor/MonitorForm';
import './Editor.css';

type Loading = { state: 'loading' } | { state: 'ready'; monitor: Monitor } | { state: 'missing'; error: string };

/** Adds a monitor (#/new) or edits one (#/monitor/<id>/edit). */
export function EditorPage({ id }: { id: string | undefined }) {
  if (id === undefined)
    return (
      <section aria-labelledby="edit-title" className="editor">
        <h2 id="edit-title">Add a monitor</h2>
        <MonitorForm initial={emptyForm()} />
      </section>
    );
  return <EditExisting key={id} id={id} />;
}

function EditExisting({ id }: { id: string }) {
  const [loading, setLoading] = useState<Loading>({ state: 'loading' });

  useEffect(() => {
    let live = true;
    // Fresh from the service, not the store: the form must start from what is saved now.
    void api.invoke('monitors.get', id).then((r) => {
      if (live) setLoading(r.ok ? { state: 'ready', monitor: r.value.monitor } : { state: 'missing', error: r.error });
    });
    return () => {
      live = false;
    };
  }, [id]);

  const title = loading.state === 'ready' ? `Edit “${loading.monitor.name}”` : 'Edit monitor';
  return (
    <section aria-labelledby="edit-title" className="editor">
      <h2 id="edit-title">{title}</h2>
      {loading.state === 'loading' && <p role="status">Loading the monitor…</p>}
      {loading.state === 'missing' && (
        <>
          <p role="alert" className="field-error">
            {loading.error}
          </p>
          <p>
            <a href={href.overview}>Back to the overview</a>
          </p>
        </>
      )}
      {loading.state === 'ready' && (
        <>
          <MonitorForm initial={formFromMonitor(loading.monitor)} saved={loading.monitor} />
          <DeleteMonitor id={id} name={loading.monitor.name} />
        </>
      )}
    </section>
  );
}
