// Other Portwatch instances as vantage points: each one's `portwatch serve` address and token.
// The token never comes back ("(sealed)"), so changing a source leaves it blank to keep it.

import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Settings } from '../../../../shared/settings';
import type { SourceInput, SourceView } from '../../../../shared/vantage';
import { api } from '../../api/client';
import { StatusLine } from '../../components/StatusLine';
import { Field, focusFirstInvalid } from '../alerts/Field';
import { serviceFieldErrors, type FieldErrors } from '../alerts/field-errors';
import { SourceStateLine } from '../overview/VantagePanel';

const FIELDS = ['name', 'url', 'token'] as const;
const REFRESH_MS = 5000;
const EMPTY = { name: '', url: '', token: '' };

export function SourcesSection({ settings, onSaved }: { settings: Settings; onSaved: (s: Settings) => void }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [sources, setSources] = useState<SourceView[]>();
  const [listError, setListError] = useState<string>();
  const [editing, setEditing] = useState<string>();
  const [form, setForm] = useState(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState('');
  const [agreeError, setAgreeError] = useState<string>();
  // Shown as clicked at once; put back if the service refuses it.
  const [agree, setAgreeShown] = useState(settings.alertOnlyWhenAllVantagesAgree);

  // Bumped after a change, to list again at once rather than at the next refresh.
  const [changed, setChanged] = useState(0);

  // The state of each source changes on the service's own polls; follow it.
  useEffect(() => {
    let live = true;
    const load = async (): Promise<void> => {
      const r = await api.invoke('sources.list');
      if (!live) return;
      if (r.ok) {
        setSources(r.value);
        setListError(undefined);
      } else setListError(r.error);
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [changed]);
  const refresh = (): void => setChanged((n) => n + 1);

  const startEdit = (s: SourceView): void => {
    setEditing(s.id);
    setForm({ name: s.name, url: s.url, token: '' });
    setErrors({});
    setError(undefined);
    setStatus('');
  };
  const cancel = (): void => {
    setEditing(undefined);
    setForm(EMPTY);
    setErrors({});
    setError(undefined);
  };

  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    setStatus('');
    const input: SourceInput = {
      ...(editing ? { id: editing } : {}),
      name: form.name,
      url: form.url,
      ...(form.token.trim() ? { token: form.token } : {}),
    };
    const r = await api.invoke('sources.save', input);
    if (!r.ok) {
      const split = serviceFieldErrors(r.error, FIELDS);
      setErrors(split.fields);
      setError(split.rest || undefined);
      return focusFirstInvalid(formRef.current);
    }
    setErrors({});
    setStatus(`${r.value.name} saved; it is asked for its monitors every few seconds.`);
    setEditing(undefined);
    setForm(EMPTY);
    refresh();
  };

  const remove = async (s: SourceView): Promise<void> => {
    setError(undefined);
    const r = await api.invoke('sources.remove', s.id);
    if (!r.ok) return setError(r.error);
    setStatus(`${s.name} removed.`);
    if (editing === s.id) cancel();
    refresh();
  };

  const setAgree = async (value: boolean): Promise<void> => {
    setAgreeShown(value);
    const r = await api.invoke('settings.update', { alertOnlyWhenAllVantagesAgree: value });
    if (!r.ok) {
      setAgreeShown(!value);
      return setAgreeError(r.error);
    }
    setAgreeError(undefined);
    onSaved(r.value);
    setStatus(value ? 'Down alerts now wait for every answering instance to agree.' : 'Down alerts no longer wait.');
  };

  return (
    <section aria-labelledby="sources-title" className="panel settings-sources">
      <h3 id="sources-title">Other Portwatch instances</h3>
      <p className="muted">
        Another machine&apos;s <code>portwatch serve</code> is a second place to look from: a port that answers one and
        not the other is a firewall or a route, not an outage.
      </p>
      {listError && (
        <p role="alert" className="field-error">
          {listError}
        </p>
      )}
      {sources?.length === 0 && <p>No other instance yet.</p>}
      {sources && sources.length > 0 && (
        <ul className="source-list" aria-label="Other instances">
          {sources.map((s) => (
            <li key={s.id} className="source">
              <div>
                <strong>{s.name}</strong> <span className="muted">{s.url}</span>
              </div>
              <div>
                <SourceStateLine state={s.state} />
              </div>
              <div className="actions">
                <button type="button" onClick={() => startEdit(s)}>
                  Change<span className="visually-hidden"> {s.name}</span>
                </button>
                <button type="button" className="danger" onClick={() => void remove(s)}>
                  Remove<span className="visually-hidden"> {s.name}</span>
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}

      <form ref={formRef} onSubmit={(e) => void save(e)} noValidate aria-labelledby="source-form-title">
        <h4 id="source-form-title">{editing ? `Change ${form.name || editing}` : 'Add an instance'}</h4>
        <div className="form-row">
          <Field id="source-name" label="Name" error={errors.name} hint='As verdicts name it: "reachable from office".'>
            {(c) => <input {...c} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
          </Field>
          <Field
            id="source-url"
            label="URL of its portwatch serve"
            error={errors.url}
            hint="The address serve printed; its whole line with ?token= may be pasted here."
          >
            {(c) => (
              <input
                {...c}
                type="url"
                size={36}
                value={form.url}
                onChange={(e) => setForm({ ...form, url: e.target.value })}
              />
            )}
          </Field>
          <Field
            id="source-token"
            label="Token"
            error={errors.token}
            hint={editing ? 'Leave the token blank to keep the saved one.' : 'The token its portwatch serve printed.'}
          >
            {(c) => (
              <input
                {...c}
                type="password"
                autoComplete="off"
                value={form.token}
                onChange={(e) => setForm({ ...form, token: e.target.value })}
              />
            )}
          </Field>
        </div>
        <div className="actions">
          <button type="submit" className="primary">
            {editing ? 'Save changes' : 'Add instance'}
          </button>
          {editing && (
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          )}
        </div>
      </form>

      <div className="field field-check source-agree">
        <input
          id="source-agree"
          type="checkbox"
          checked={agree}
          disabled={agreeError !== undefined}
          aria-describedby={agreeError ? 'source-agree-hint source-agree-error' : 'source-agree-hint'}
          onChange={(e) => void setAgree(e.target.checked)}
        />
        <label htmlFor="source-agree">Alert a target down only when every answering instance agrees</label>
      </div>
      <p id="source-agree-hint" className="field-hint">
        While another instance still sees it up, a down here waits: the cause is on the path, not the target.
      </p>
      {agreeError && (
        <p id="source-agree-error" className="field-error">
          This setting could not be changed here, so it is shown read-only: {agreeError}
        </p>
      )}
      <StatusLine status={status} error={error} />
    </section>
  );
}
