import { useState, type FormEvent } from 'react';
import { MonitorSchema, type Monitor } from '../../../../shared/monitor';
import { api } from '../../api/client';
import { useStore } from '../../store';
import { Field } from '../editor/Field';
import { PRESETS, monitorFromPreset } from '../editor/presets';

interface Outcome {
  added: string[];
  failed: { name: string; error: string }[];
}

const list = (names: string[]): string =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;

/** Several services of one host at once, one monitor per chosen preset. */
export function AddServices() {
  const [host, setHost] = useState('');
  const [exposure, setExposure] = useState<Monitor['exposure']>('internal');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [errors, setErrors] = useState<{ host?: string; services?: string }>({});
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();

  const toggle = (key: string, on: boolean): void => {
    const next = new Set(chosen);
    if (on) next.add(key);
    else next.delete(key);
    setChosen(next);
  };

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const presets = PRESETS.filter((p) => chosen.has(p.key));
    const monitors = presets.map((p) => ({ preset: p, monitor: monitorFromPreset(p, host.trim(), exposure) }));
    // The host is judged by the shared schema, as it will be when saved.
    const hostIssue = MonitorSchema.safeParse({
      id: 'new',
      name: 'new',
      kind: 'tcp',
      host: host.trim(),
      port: 1,
    }).error?.issues.find((i) => i.path[0] === 'host');
    const found = {
      ...(hostIssue ? { host: hostIssue.message } : {}),
      ...(presets.length === 0 ? { services: 'choose at least one service' } : {}),
    };
    setErrors(found);
    if (found.host) return document.getElementById('inv-host')?.focus();
    if (found.services) return document.getElementById(`inv-preset-${PRESETS[0]?.key}`)?.focus();

    setBusy(true);
    setOutcome(undefined);
    const result: Outcome = { added: [], failed: [] };
    // One at a time, so each failure is reported against its own service.
    for (const { preset, monitor } of monitors) {
      const r = await api.invoke('monitors.add', monitor);
      if (r.ok) result.added.push(preset.label);
      else result.failed.push({ name: preset.label, error: r.error });
    }
    setBusy(false);
    setOutcome(result);
    setChosen(new Set(presets.filter((p) => result.failed.some((f) => f.name === p.label)).map((p) => p.key)));
    await useStore.getState().load();
  };

  return (
    <section aria-labelledby="add-services-title" className="add-services">
      <h3 id="add-services-title">Add services to a host</h3>
      <form noValidate onSubmit={(e) => void submit(e)}>
        <div className="field-row">
          <Field id="inv-host" label="Host" error={errors.host} className="grow" hint="A name or an IP address.">
            {(c) => (
              <input
                {...c}
                value={host}
                autoComplete="off"
                spellCheck={false}
                onChange={(e) => setHost(e.target.value)}
              />
            )}
          </Field>
          <Field id="inv-exposure" label="Exposure" className="narrow">
            {(c) => (
              <select {...c} value={exposure} onChange={(e) => setExposure(e.target.value as Monitor['exposure'])}>
                <option value="internal">Internal</option>
                <option value="external">External</option>
              </select>
            )}
          </Field>
        </div>
        <fieldset className="preset-list" aria-describedby={errors.services ? 'inv-services-error' : undefined}>
          <legend>Services on this host</legend>
          {errors.services && (
            <p id="inv-services-error" className="field-error">
              <span aria-hidden="true">✕ </span>
              {errors.services}
            </p>
          )}
          <ul>
            {PRESETS.map((p) => (
              <li key={p.key}>
                <input
                  id={`inv-preset-${p.key}`}
                  type="checkbox"
                  checked={chosen.has(p.key)}
                  onChange={(e) => toggle(p.key, e.target.checked)}
                />
                <label htmlFor={`inv-preset-${p.key}`}>{p.label}</label>
              </li>
            ))}
          </ul>
        </fieldset>
        <div className="editor-actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Adding…' : chosen.size > 1 ? `Add ${chosen.size} services` : 'Add services'}
          </button>
        </div>
      </form>
      <p role="status" className="add-outcome">
        {outcome && outcome.added.length > 0 && `Added ${list(outcome.added)} to ${host.trim()}.`}
      </p>
      {outcome && outcome.failed.length > 0 && (
        <div role="alert" className="form-errors">
          <p>Not added:</p>
          <ul>
            {outcome.failed.map((f) => (
              <li key={f.name} className="field-error">
                {f.name}: {f.error}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
