import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { TIERS, type ServiceCategory } from '../../../../shared/catalog';
import { policyFor, type Monitor } from '../../../../shared/monitor';
import { api } from '../../api/client';
import { href, navigate } from '../../router';
import { useStore } from '../../store';
import { externalWarning } from '../inventory/exposure';
import { Field } from './Field';
import {
  firstInvalid,
  judge,
  serverErrors,
  withPreset,
  type FieldErrors,
  type FieldName,
  type FormValues,
  type Kind,
} from './form';
import { CHECKS, PRESETS, defaultUrl, presetByKey, type Preset } from './presets';
import { TestResult, type TestState } from './TestResult';

const KINDS: { kind: Kind; label: string }[] = [
  { kind: 'tcp', label: 'TCP: the port accepts connections' },
  { kind: 'tls', label: 'TLS: handshake and certificate' },
  { kind: 'http', label: 'HTTP: a request and its answer' },
  { kind: 'service', label: "Service: the protocol's own check" },
];

const CATEGORY: Record<ServiceCategory, string> = {
  web: 'Web',
  remote: 'Remote access',
  database: 'Databases',
  cache: 'Caches',
  search: 'Search',
  mail: 'Mail',
  file: 'File transfer',
  dns: 'DNS',
  queue: 'Queues',
  custom: 'Custom',
};

const PRESET_GROUPS = Object.entries(
  PRESETS.reduce<Record<string, Preset[]>>((groups, p) => {
    (groups[CATEGORY[p.entry.category]] ??= []).push(p);
    return groups;
  }, {}),
);

const STEPS_EXAMPLE = '[{ "send": "PING\\r\\n" }, { "expect": "^\\\\+PONG" }]';

interface Props {
  initial: FormValues;
  /** The saved monitor when editing; absent for a new one. */
  saved?: Monitor;
}

export function MonitorForm({ initial, saved }: Props) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [other, setOther] = useState<string[]>([]);
  const [attempted, setAttempted] = useState(false);
  const [urlTouched, setUrlTouched] = useState(saved?.kind === 'http');
  const [saving, setSaving] = useState(false);
  const [test, setTest] = useState<TestState>({ state: 'idle' });
  const [focus, setFocus] = useState<{ field: FieldName } | undefined>();

  useEffect(() => {
    if (focus) document.getElementById(`edit-${focus.field}`)?.focus();
  }, [focus]);

  /** The form's next values; once the user has tried to save, errors follow the fields as they are corrected. */
  const update = (next: FormValues): void => {
    setValues(next);
    if (!attempted) return;
    const judged = judge(next, saved);
    setErrors(judged.fields);
    setOther(judged.other);
  };

  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]): void => {
    const next = { ...values, [key]: value };
    // Until the user writes a URL, it follows the host and port.
    if (next.kind === 'http' && !urlTouched && (key === 'host' || key === 'port' || key === 'kind'))
      next.url = defaultUrl(next.host, next.port);
    update(next);
  };

  const pickPreset = (key: string): void => {
    const picked = presetByKey(key);
    if (picked?.port.check === 'http') setUrlTouched(false);
    update(withPreset(values, picked, presetByKey(values.preset)));
  };

  /** Judges the form; on a problem shows it at its field and moves focus there. */
  const check = (): Monitor | undefined => {
    setAttempted(true);
    const judged = judge(values, saved);
    setErrors(judged.fields);
    setOther(judged.other);
    const first = firstInvalid(judged.fields);
    if (first) setFocus({ field: first });
    return first || judged.other.length ? undefined : (judged.monitor as Monitor);
  };

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const monitor = check();
    if (!monitor) return;
    setSaving(true);
    const r = saved
      ? await api.invoke('monitors.update', saved.id, monitor)
      : await api.invoke('monitors.add', monitor);
    setSaving(false);
    if (!r.ok) {
      const found = serverErrors(r.error);
      setErrors(found.fields);
      setOther(found.other);
      const first = firstInvalid(found.fields);
      if (first) setFocus({ field: first });
      return;
    }
    await useStore.getState().load();
    navigate(href.monitor(r.value.id));
  };

  const runTest = async (): Promise<void> => {
    const monitor = check();
    if (!monitor) return;
    setTest({ state: 'running' });
    const r = await api.invoke('monitors.test', monitor);
    setTest(r.ok ? { state: 'done', result: r.value } : { state: 'failed', error: r.error });
  };

  const policy = useMemo(
    () => policyFor({ kind: values.kind, tier: Number(values.tier) as Monitor['tier'] }),
    [values.kind, values.tier],
  );
  const preset = presetByKey(values.preset);
  const exposureWarning = externalWarning({
    port: Number(values.port),
    exposure: values.exposure,
    ...(values.check ? { check: values.check } : {}),
    ...(values.service ? { service: values.service } : {}),
  });
  const checks = values.check && !CHECKS.includes(values.check) ? [...CHECKS, values.check] : CHECKS;
  const err = (f: FieldName): string | undefined => errors[f];

  return (
    <form className="monitor-form" noValidate onSubmit={(e) => void submit(e)}>
      <fieldset>
        <legend>What to check</legend>
        <Field
          id="edit-preset"
          label="Service preset"
          hint={
            preset
              ? `Fills the port, check and tier. When ${preset.entry.name} is gone: ${preset.entry.impact}.`
              : 'Fills the port, check and tier; or leave it custom and choose them yourself.'
          }
        >
          {(c) => (
            <select {...c} value={values.preset} onChange={(e) => pickPreset(e.target.value)}>
              <option value="">Custom (no preset)</option>
              {PRESET_GROUPS.map(([group, presets]) => (
                <optgroup key={group} label={group}>
                  {presets.map((p) => (
                    <option key={p.key} value={p.key}>
                      {p.label}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          )}
        </Field>
        <Field id="edit-name" label="Name" error={err('name')}>
          {(c) => <input {...c} value={values.name} onChange={(e) => set('name', e.target.value)} />}
        </Field>
        <Field id="edit-kind" label="Kind of check" error={err('kind')}>
          {(c) => (
            <select {...c} value={values.kind} onChange={(e) => set('kind', e.target.value as Kind)}>
              {KINDS.map((k) => (
                <option key={k.kind} value={k.kind}>
                  {k.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="field-row">
          <Field id="edit-host" label="Host" error={err('host')} className="grow" hint="A name or an IP address.">
            {(c) => (
              <input
                {...c}
                value={values.host}
                autoComplete="off"
                spellCheck={false}
                onChange={(e) => set('host', e.target.value)}
              />
            )}
          </Field>
          <Field id="edit-port" label="Port" error={err('port')} className="narrow">
            {(c) => (
              <input {...c} value={values.port} inputMode="numeric" onChange={(e) => set('port', e.target.value)} />
            )}
          </Field>
        </div>
        {values.kind === 'http' && (
          <Field id="edit-url" label="URL" error={err('url')} hint="The address to request, http:// or https://.">
            {(c) => (
              <input
                {...c}
                type="url"
                value={values.url}
                spellCheck={false}
                onChange={(e) => (setUrlTouched(true), set('url', e.target.value))}
              />
            )}
          </Field>
        )}
        {values.kind === 'service' && (
          <>
            <Field
              id="edit-check"
              label="Service check"
              error={err('check')}
              hint="“dialogue” sends and expects what you write below, for services without a check of their own."
            >
              {(c) => (
                <select {...c} value={values.check} onChange={(e) => set('check', e.target.value)}>
                  <option value="">Choose a check</option>
                  {checks.map((ch) => (
                    <option key={ch} value={ch}>
                      {ch}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {values.check === 'dialogue' && (
              <Field
                id="edit-steps"
                label="Dialogue steps (JSON)"
                error={err('steps')}
                hint={`A list of steps: send, expect (a regular expression), sendHex, expectHex, starttls. For example ${STEPS_EXAMPLE}`}
              >
                {(c) => (
                  <textarea
                    {...c}
                    rows={5}
                    spellCheck={false}
                    value={values.steps}
                    onChange={(e) => set('steps', e.target.value)}
                  />
                )}
              </Field>
            )}
            <div className="field checkbox">
              <input
                id="edit-implicitTls"
                type="checkbox"
                checked={values.implicitTls}
                onChange={(e) => set('implicitTls', e.target.checked)}
              />
              <label htmlFor="edit-implicitTls">TLS from the first byte (SMTPS 465, IMAPS 993)</label>
            </div>
            <div className="field checkbox">
              <input
                id="edit-starttls"
                type="checkbox"
                checked={values.starttls}
                onChange={(e) => set('starttls', e.target.checked)}
              />
              <label htmlFor="edit-starttls">Upgrade with STARTTLS and judge the certificate</label>
            </div>
          </>
        )}
      </fieldset>

      <fieldset>
        <legend>How often and how strict</legend>
        <Field
          id="edit-tier"
          label="Tier"
          error={err('tier')}
          hint="How loudly a failure is told, and the defaults below."
        >
          {(c) => (
            <select {...c} value={values.tier} onChange={(e) => set('tier', e.target.value as FormValues['tier'])}>
              {Object.values(TIERS).map((t) => (
                <option key={t.tier} value={String(t.tier)}>
                  {t.tier}: {t.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="field-row">
          <NumberField
            name="intervalSec"
            label="Check every (seconds)"
            value={values.intervalSec}
            onChange={set}
            error={err('intervalSec')}
            empty={`${policy.intervalMs / 1000} s`}
          />
          <NumberField
            name="timeoutMs"
            label="Timeout (ms)"
            value={values.timeoutMs}
            onChange={set}
            error={err('timeoutMs')}
            empty={`${policy.timeoutMs} ms`}
          />
          <NumberField
            name="slowMs"
            label="Slow above (ms)"
            value={values.slowMs}
            onChange={set}
            error={err('slowMs')}
            empty={`half the timeout, ${Math.round((Number(values.timeoutMs) || policy.timeoutMs) / 2)} ms`}
          />
        </div>
        <div className="field-row">
          <NumberField
            name="retries"
            label="Retries before down"
            value={values.retries}
            onChange={set}
            error={err('retries')}
            empty={String(policy.retries)}
          />
          <NumberField
            name="retryIntervalSec"
            label="Retry after (seconds)"
            value={values.retryIntervalSec}
            onChange={set}
            error={err('retryIntervalSec')}
            empty={`${policy.retryIntervalMs / 1000} s`}
          />
        </div>
      </fieldset>

      <fieldset>
        <legend>About it</legend>
        <Field id="edit-tags" label="Tags" error={err('tags')} hint="Separated by commas, e.g. shop, production.">
          {(c) => <input {...c} value={values.tags} onChange={(e) => set('tags', e.target.value)} />}
        </Field>
        <Field id="edit-notes" label="Owner and notes" error={err('notes')}>
          {(c) => <textarea {...c} rows={3} value={values.notes} onChange={(e) => set('notes', e.target.value)} />}
        </Field>
        <Field
          id="edit-exposure"
          label="Exposure"
          error={err('exposure')}
          hint={
            exposureWarning ? (
              <span className="exposure-warning">
                <span aria-hidden="true">⚠ </span>Exposure warning: {exposureWarning}.
              </span>
            ) : (
              'Internal: reached only from your own network. External: meant to answer the internet.'
            )
          }
        >
          {(c) => (
            <select
              {...c}
              value={values.exposure}
              onChange={(e) => set('exposure', e.target.value as FormValues['exposure'])}
            >
              <option value="internal">Internal</option>
              <option value="external">External</option>
            </select>
          )}
        </Field>
        <div className="field checkbox">
          <input
            id="edit-enabled"
            type="checkbox"
            checked={values.enabled}
            onChange={(e) => set('enabled', e.target.checked)}
          />
          <label htmlFor="edit-enabled">Enabled: check it on schedule</label>
        </div>
      </fieldset>

      {other.length > 0 && (
        <div role="alert" className="form-errors">
          {other.map((o) => (
            <p key={o} className="field-error">
              <span aria-hidden="true">✕ </span>
              {o}
            </p>
          ))}
        </div>
      )}
      <div className="editor-actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : saved ? 'Save changes' : 'Add monitor'}
        </button>
        <button type="button" disabled={test.state === 'running'} onClick={() => void runTest()}>
          Test now
        </button>
        <a href={saved ? href.monitor(saved.id) : href.overview}>Cancel</a>
      </div>
      <TestResult test={test} />
    </form>
  );
}

type NumberName = 'intervalSec' | 'timeoutMs' | 'retries' | 'retryIntervalSec' | 'slowMs';

function NumberField(props: {
  name: NumberName;
  label: string;
  value: string;
  error: string | undefined;
  /** What an empty field means: the tier's default. */
  empty: string;
  onChange: (name: NumberName, value: string) => void;
}) {
  return (
    <Field id={`edit-${props.name}`} label={props.label} error={props.error} hint={`Empty: ${props.empty}`}>
      {(c) => (
        <input
          {...c}
          inputMode="numeric"
          value={props.value}
          onChange={(e) => props.onChange(props.name, e.target.value)}
        />
      )}
    </Field>
  );
}
