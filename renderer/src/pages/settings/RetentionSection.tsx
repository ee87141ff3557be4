import { StatusLine } from '../../components/StatusLine';
import { useRef, useState, type FormEvent } from 'react';
import { SettingsSchema, type Settings } from '../../../../shared/settings';
import { api } from '../../api/client';
import { Field, focusFirstInvalid } from '../alerts/Field';
import { fieldErrors, serviceFieldErrors, type FieldErrors } from '../alerts/field-errors';

const FIELDS = ['retentionRawDays', 'retentionRollupDays'] as const;

/** A whole number typed in; anything else goes to the schema as NaN, which words the error. */
const numberOf = (text: string): number => (/^\s*\d+\s*$/.test(text) ? Number(text) : NaN);

export function RetentionSection({ settings, onSaved }: { settings: Settings; onSaved: (s: Settings) => void }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [raw, setRaw] = useState(String(settings.retentionRawDays));
  const [rollup, setRollup] = useState(String(settings.retentionRollupDays));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState('');

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setStatus('');
    const patch = { retentionRawDays: numberOf(raw), retentionRollupDays: numberOf(rollup) };
    const checked = SettingsSchema.safeParse({ ...settings, ...patch });
    const found = checked.success ? {} : fieldErrors(checked.error);
    const mine = Object.fromEntries(FIELDS.filter((f) => found[f]).map((f) => [f, found[f]]));
    setErrors(mine);
    if (Object.keys(mine).length) return focusFirstInvalid(formRef.current);
    const r = await api.invoke('settings.update', patch);
    if (!r.ok) {
      const split = serviceFieldErrors(r.error, FIELDS);
      setErrors(split.fields);
      if (split.rest) setError(split.rest);
      return;
    }
    setStatus('Retention saved: older history goes at the next clean-up.');
    onSaved(r.value);
  };

  return (
    <section aria-labelledby="retention-title" className="panel settings-page-retention">
      <h3 id="retention-title">Data retention</h3>
      <form ref={formRef} onSubmit={(e) => void save(e)} noValidate aria-labelledby="retention-title">
        <div className="form-row">
          <Field
            id="retention-raw"
            label="Keep every check's result for (days)"
            error={errors.retentionRawDays}
            hint="For detailed charts and failure texts. 1 to 3650."
          >
            {(c) => <input {...c} inputMode="numeric" size={8} value={raw} onChange={(e) => setRaw(e.target.value)} />}
          </Field>
          <Field
            id="retention-rollup"
            label="Keep hourly summaries for (days)"
            error={errors.retentionRollupDays}
            hint="For uptime and long charts; at least as long as the results."
          >
            {(c) => (
              <input {...c} inputMode="numeric" size={8} value={rollup} onChange={(e) => setRollup(e.target.value)} />
            )}
          </Field>
        </div>
        <button type="submit">Save retention</button>
      </form>
      <StatusLine status={status} error={error} />
    </section>
  );
}
