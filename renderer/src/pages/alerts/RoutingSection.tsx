import { StatusLine } from '../../components/StatusLine';
import { useState, type FormEvent } from 'react';
import { AlertSettingsSchema, CHANNEL_KINDS, type AlertSettings, type ChannelKind } from '../../../../shared/alerts';
import { TIERS, type Tier } from '../../../../shared/catalog';
import { api } from '../../api/client';
import { Field } from './Field';
import { KIND_LABEL } from './channel-form';
import { fieldErrors, type FieldErrors } from './field-errors';

const TIER_LIST: Tier[] = [1, 2, 3];
const tierName = (t: Tier): string => `Tier ${t} (${TIERS[t].label})`;

interface Props {
  settings: AlertSettings;
  onSaved: (s: AlertSettings) => void;
}

const reminderText = (settings: AlertSettings) =>
  Object.fromEntries(
    TIER_LIST.map((t) => [t, settings.reminderMinutes[t] === null ? '' : String(settings.reminderMinutes[t])]),
  );

export function RoutingSection({ settings, onSaved }: Props) {
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [reminders, setReminders] = useState<Record<string, string>>(() => reminderText(settings));
  const [reminderErrors, setReminderErrors] = useState<FieldErrors>({});
  const configured = new Set(settings.channels.filter((c) => c.enabled).map((c) => c.kind));

  const toggle = async (tier: Tier, kind: ChannelKind, on: boolean) => {
    const current = settings.routing[tier];
    const next = CHANNEL_KINDS.filter((k) => (k === kind ? on : current.includes(k)));
    setBusy(true);
    setError(undefined);
    const r = await api.invoke('alerts.update', { routing: { ...settings.routing, [tier]: next } });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setStatus(`${tierName(tier)} alerts ${on ? 'now go' : 'no longer go'} to ${KIND_LABEL[kind]}.`);
    onSaved(r.value);
  };

  const saveReminders = async (e: FormEvent) => {
    e.preventDefault();
    const minutes = Object.fromEntries(
      TIER_LIST.map((t) => {
        const text = (reminders[t] ?? '').trim();
        return [t, text === '' ? null : /^\d+$/.test(text) ? Number(text) : NaN];
      }),
    ) as AlertSettings['reminderMinutes'];
    const checked = AlertSettingsSchema.safeParse({ ...settings, reminderMinutes: minutes });
    const errs = checked.success
      ? {}
      : fieldErrors(checked.error, (p) => (p[0] === 'reminderMinutes' ? String(p[1]) : ''));
    delete errs[''];
    for (const t of TIER_LIST)
      if (Number.isNaN(minutes[t])) errs[t] = 'enter whole minutes, or leave blank for no reminders';
    setReminderErrors(errs);
    if (Object.keys(errs).length) return;
    const r = await api.invoke('alerts.update', { reminderMinutes: minutes });
    if (!r.ok) return setError(r.error);
    setStatus('Reminders saved.');
    onSaved(r.value);
  };

  return (
    <section aria-labelledby="routing-title" className="panel">
      <h3 id="routing-title">Routing</h3>
      <p className="muted">Which kinds of channel get each tier&apos;s alerts. A change is saved at once.</p>
      <div className="table-wrap">
        <table className="routing">
          <caption className="visually-hidden">Channel kinds each tier&apos;s alerts go to</caption>
          <thead>
            <tr>
              <th scope="col">Tier</th>
              {CHANNEL_KINDS.map((k) => (
                <th key={k} scope="col">
                  {KIND_LABEL[k]}
                  {!configured.has(k) && <span className="muted small"> (no channel)</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {TIER_LIST.map((t) => (
              <tr key={t}>
                <th scope="row">{tierName(t)}</th>
                {CHANNEL_KINDS.map((k) => (
                  <td key={k}>
                    <input
                      type="checkbox"
                      aria-label={`Tier ${t} to ${KIND_LABEL[k]}`}
                      checked={settings.routing[t].includes(k)}
                      disabled={busy}
                      onChange={(e) => void toggle(t, k, e.target.checked)}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form className="reminders" aria-labelledby="reminders-title" onSubmit={(e) => void saveReminders(e)} noValidate>
        <h4 id="reminders-title">Reminders while still down</h4>
        <p className="muted">Minutes between &quot;still down&quot; reminders; leave blank for none.</p>
        <div className="form-row">
          {TIER_LIST.map((t) => (
            <Field key={t} id={`reminder-${t}`} label={`${tierName(t)}, every (minutes)`} error={reminderErrors[t]}>
              {(c) => (
                <input
                  {...c}
                  inputMode="numeric"
                  size={6}
                  placeholder="off"
                  value={reminders[t] ?? ''}
                  onChange={(e) => setReminders((r) => ({ ...r, [t]: e.target.value }))}
                />
              )}
            </Field>
          ))}
        </div>
        <button type="submit">Save reminders</button>
      </form>
      <StatusLine status={status} error={error} />
    </section>
  );
}
