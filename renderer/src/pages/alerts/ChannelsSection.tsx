import { useState } from 'react';
import type { ChannelConfig } from '../../../../shared/alerts';
import { api } from '../../api/client';
import { ChannelForm } from './ChannelForm';
import { KIND_LABEL, describeChannel } from './channel-form';

type TestResult = { state: 'sending' } | { state: 'done'; ok: boolean; detail: string };

interface Props {
  channels: ChannelConfig[];
  /** Called after any change, to load the settings again. */
  onChanged: () => void;
}

function TestStatus({ result }: { result: TestResult | undefined }) {
  // Always in the page, so screen readers hear the answer when it arrives.
  return (
    <p role="status" className="test-result">
      {result?.state === 'sending' && 'Sending a test…'}
      {result?.state === 'done' &&
        (result.ok ? (
          <span className="ok">
            <span aria-hidden="true">✓ </span>Delivered: {result.detail}
          </span>
        ) : (
          <span className="bad">
            <span aria-hidden="true">✕ </span>Not delivered: {result.detail}
          </span>
        ))}
    </p>
  );
}

export function ChannelsSection({ channels, onChanged }: Props) {
  const [editing, setEditing] = useState<string | 'new' | undefined>();
  const [tests, setTests] = useState<Record<string, TestResult>>({});
  const [confirming, setConfirming] = useState<string>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const ids = channels.map((c) => c.id);

  const test = async (id: string) => {
    setTests((t) => ({ ...t, [id]: { state: 'sending' } }));
    const r = await api.invoke('alerts.testChannel', id);
    setTests((t) => ({
      ...t,
      [id]: r.ok
        ? { state: 'done', ok: r.value.ok, detail: r.value.detail }
        : { state: 'done', ok: false, detail: r.error },
    }));
  };

  const remove = async (id: string) => {
    const r = await api.invoke('alerts.removeChannel', id);
    setConfirming(undefined);
    if (!r.ok) return setErrors((e) => ({ ...e, [id]: r.error }));
    onChanged();
  };

  const saved = (c: ChannelConfig) => {
    setEditing(undefined);
    // An earlier test said nothing about the channel as it is now.
    setTests((t) => Object.fromEntries(Object.entries(t).filter(([k]) => k !== c.id)));
    onChanged();
  };

  return (
    <section aria-labelledby="channels-title" className="panel">
      <h3 id="channels-title">Channels</h3>
      {channels.length === 0 && <p>No channel is set up yet: alerts only show in this window.</p>}
      <ul className="channel-list">
        {channels.map((c) => (
          <li key={c.id} className="channel">
            {editing === c.id ? (
              <ChannelForm saved={c} takenIds={ids} onSaved={saved} onCancel={() => setEditing(undefined)} />
            ) : (
              <>
                <div className="channel-head">
                  <h4>
                    {c.id} <span className="muted">({KIND_LABEL[c.kind]})</span>
                  </h4>
                  <span className={c.enabled ? 'pill' : 'pill pill-off'}>{c.enabled ? 'Enabled' : 'Disabled'}</span>
                </div>
                <p className="muted">{describeChannel(c)}</p>
                <div className="actions">
                  <button type="button" onClick={() => void test(c.id)} disabled={tests[c.id]?.state === 'sending'}>
                    Send a test<span className="visually-hidden"> to {c.id}</span>
                  </button>
                  <button type="button" onClick={() => setEditing(c.id)}>
                    Change<span className="visually-hidden"> {c.id}</span>
                  </button>
                  {confirming === c.id ? (
                    <>
                      <button type="button" className="danger" onClick={() => void remove(c.id)}>
                        Yes, remove {c.id}
                      </button>
                      <button type="button" onClick={() => setConfirming(undefined)}>
                        Keep it
                      </button>
                    </>
                  ) : (
                    <button type="button" onClick={() => setConfirming(c.id)}>
                      Remove<span className="visually-hidden"> {c.id}</span>
                    </button>
                  )}
                </div>
                <TestStatus result={tests[c.id]} />
                {errors[c.id] && (
                  <p role="alert" className="field-error">
                    {errors[c.id]}
                  </p>
                )}
              </>
            )}
          </li>
        ))}
      </ul>
      {editing === 'new' ? (
        <ChannelForm takenIds={ids} onSaved={saved} onCancel={() => setEditing(undefined)} />
      ) : (
        <button type="button" className="primary" onClick={() => setEditing('new')}>
          Add a channel
        </button>
      )}
    </section>
  );
}
