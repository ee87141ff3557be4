import { StatusLine } from '../../components/StatusLine';
import { useRef, useState, type FormEvent } from 'react';
import type { AlertSettings } from '../../../../shared/alerts';
import { api } from '../../api/client';
import { useStore } from '../../store';
import { Field, focusFirstInvalid } from './Field';
import type { FieldErrors } from './field-errors';
import {
  DAYS,
  describeScope,
  describeWhen,
  emptyWindow,
  windowFromForm,
  type ScopeKind,
  type WindowFormValues,
} from './maintenance-form';

interface Props {
  settings: AlertSettings;
  onSaved: (s: AlertSettings) => void;
}

const SCOPES: { kind: ScopeKind; label: string }[] = [
  { kind: 'monitorId', label: 'One monitor' },
  { kind: 'tag', label: 'Monitors with a tag' },
  { kind: 'host', label: 'Monitors of a host' },
];

export function MaintenanceSection({ settings, onSaved }: Props) {
  const monitors = useStore((s) => s.monitors);
  const order = useStore((s) => s.order);
  const formRef = useRef<HTMLFormElement>(null);
  const [v, setV] = useState<WindowFormValues>(emptyWindow);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState('');
  const windows = settings.maintenance;
  const set = <K extends keyof WindowFormValues>(k: K, value: WindowFormValues[K]) =>
    setV((o) => ({ ...o, [k]: value }));
  const nameOf = (id: string) => monitors[id]?.monitor.name;

  const save = async (next: AlertSettings['maintenance'], done: string): Promise<boolean> => {
    setError(undefined);
    const r = await api.invoke('alerts.update', { maintenance: next });
    if (!r.ok) {
      setError(r.error);
      return false;
    }
    setStatus(done);
    onSaved(r.value);
    return true;
  };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const checked = windowFromForm(v, `mw-${Date.now().toString(36)}`);
    if (checked.errors) {
      setErrors(checked.errors);
      focusFirstInvalid(formRef.current);
      return;
    }
    setErrors({});
    if (await save([...windows, checked.window], 'Maintenance window added.')) setV(emptyWindow());
  };

  return (
    <section aria-labelledby="maintenance-title" className="panel">
      <h3 id="maintenance-title">Maintenance windows</h3>
      <p className="muted">No alert is sent for what a window covers while it is open.</p>
      {windows.length === 0 ? (
        <p>No maintenance window.</p>
      ) : (
        <table className="maintenance">
          <caption className="visually-hidden">Maintenance windows</caption>
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">When</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {windows.map((w) => (
              <tr key={w.id}>
                <td>{describeScope(w, nameOf)}</td>
                <td>{describeWhen(w)}</td>
                <td>
                  <button
                    type="button"
                    onClick={() =>
                      void save(
                        windows.filter((x) => x.id !== w.id),
                        'Maintenance window removed.',
                      )
                    }
                  >
                    Remove<span className="visually-hidden"> the window for {describeScope(w, nameOf)}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form ref={formRef} aria-labelledby="mw-add-title" onSubmit={(e) => void add(e)} noValidate>
        <h4 id="mw-add-title">Add a window</h4>
        <fieldset className="radio-row">
          <legend>Repeats</legend>
          {(['once', 'weekly'] as const).map((k) => (
            <label key={k}>
              <input type="radio" name="mw-kind" value={k} checked={v.kind === k} onChange={() => set('kind', k)} />{' '}
              {k === 'once' ? 'Once' : 'Every week'}
            </label>
          ))}
        </fieldset>
        <div className="form-row">
          <Field id="mw-scope-kind" label="Covers">
            {(c) => (
              <select
                {...c}
                value={v.scopeKind}
                onChange={(e) => setV((o) => ({ ...o, scopeKind: e.target.value as ScopeKind, scopeValue: '' }))}
              >
                {SCOPES.map((s) => (
                  <option key={s.kind} value={s.kind}>
                    {s.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {v.scopeKind === 'monitorId' ? (
            <Field id="mw-scope-value" label="Monitor" error={errors.scopeValue}>
              {(c) => (
                <select {...c} value={v.scopeValue} onChange={(e) => set('scopeValue', e.target.value)}>
                  <option value="">Choose…</option>
                  {order.map((id) => (
                    <option key={id} value={id}>
                      {nameOf(id)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : (
            <Field id="mw-scope-value" label={v.scopeKind === 'tag' ? 'Tag' : 'Host'} error={errors.scopeValue}>
              {(c) => <input {...c} value={v.scopeValue} onChange={(e) => set('scopeValue', e.target.value)} />}
            </Field>
          )}
        </div>
        {v.kind === 'once' ? (
          <div className="form-row">
            <Field id="mw-start" label="Starts" error={errors.start}>
              {(c) => (
                <input {...c} type="datetime-local" value={v.start} onChange={(e) => set('start', e.target.value)} />
              )}
            </Field>
            <Field id="mw-end" label="Ends" error={errors.end}>
              {(c) => <input {...c} type="datetime-local" value={v.end} onChange={(e) => set('end', e.target.value)} />}
            </Field>
          </div>
        ) : (
          <div className="form-row">
            <Field id="mw-day" label="Day" error={errors.day}>
              {(c) => (
                <select {...c} value={v.day} onChange={(e) => set('day', e.target.value)}>
                  {DAYS.map((d, i) => (
                    <option key={d} value={i}>
                      {d}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id="mw-time" label="Starts at" error={errors.time}>
              {(c) => <input {...c} type="time" value={v.time} onChange={(e) => set('time', e.target.value)} />}
            </Field>
            <Field id="mw-duration" label="Lasts (minutes)" error={errors.duration}>
              {(c) => (
                <input
                  {...c}
                  inputMode="numeric"
                  size={6}
                  value={v.duration}
                  onChange={(e) => set('duration', e.target.value)}
                />
              )}
            </Field>
          </div>
        )}
        <button type="submit">Add window</button>
      </form>
      <StatusLine status={status} error={error} />
    </section>
  );
}
