import { useId, useRef, useState, type FormEvent } from 'react';
import {
  CHANNEL_KINDS,
  EMAIL_SECURITY,
  WEBHOOK_FORMATS,
  type ChannelConfig,
  type ChannelKind,
} from '../../../../shared/alerts';
import { api } from '../../api/client';
import {
  KIND_LABEL,
  channelInput,
  emptyForm,
  formFromChannel,
  freeId,
  savedSecrets,
  type ChannelFormValues,
} from './channel-form';
import { Field, focusFirstInvalid } from './Field';
import { serviceFieldErrors, type FieldErrors } from './field-errors';

interface Props {
  /** The channel being changed; absent for a new one. */
  saved?: ChannelConfig;
  takenIds: readonly string[];
  onSaved: (c: ChannelConfig) => void;
  onCancel: () => void;
}

const FIELDS = Object.keys(emptyForm('desktop', '')) as (keyof ChannelFormValues)[];

export function ChannelForm({ saved, takenIds, onSaved, onCancel }: Props) {
  const uid = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [v, setV] = useState<ChannelFormValues>(() =>
    saved ? formFromChannel(saved) : emptyForm('telegram', freeId('telegram', takenIds)),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const kept = savedSecrets(saved);
  const id = (name: string): string => `${uid}-${name}`;
  const set = <K extends keyof ChannelFormValues>(k: K, value: ChannelFormValues[K]) =>
    setV((old) => ({ ...old, [k]: value }));

  const setKind = (kind: ChannelKind) =>
    setV((old) => ({
      ...emptyForm(kind, old.id === freeId(old.kind, takenIds) ? freeId(kind, takenIds) : old.id),
      enabled: old.enabled,
    }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(undefined);
    const checked = channelInput(v, saved);
    if (checked.errors) {
      setErrors(checked.errors);
      focusFirstInvalid(formRef.current);
      return;
    }
    setErrors({});
    setSaving(true);
    const r = await api.invoke('alerts.saveChannel', checked.input);
    setSaving(false);
    if (r.ok) {
      // Whatever secret was typed leaves the page with the form.
      setV(formFromChannel(r.value));
      onSaved(r.value);
      return;
    }
    const split = serviceFieldErrors(r.error, FIELDS);
    setErrors(split.fields);
    if (split.rest) setFormError(split.rest);
    focusFirstInvalid(formRef.current);
  };

  const secretHint = (field: string, what: string) =>
    kept.includes(field) ? `A ${what} is saved: leave blank to keep the saved ${what}.` : undefined;

  const text = (
    name: keyof ChannelFormValues,
    label: string,
    extra: { hint?: string; type?: string; placeholder?: string } = {},
  ) => (
    <Field id={id(name)} label={label} error={errors[name]} hint={extra.hint}>
      {(c) => (
        <input
          {...c}
          type={extra.type ?? 'text'}
          value={v[name] as string}
          placeholder={extra.placeholder}
          onChange={(e) => set(name, e.target.value)}
        />
      )}
    </Field>
  );

  const secret = (name: 'botToken' | 'password' | 'url' | 'secret', label: string, what: string, hint?: string) => (
    <Field id={id(name)} label={label} error={errors[name]} hint={secretHint(name, what) ?? hint}>
      {(c) => (
        <input
          {...c}
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={v[name]}
          placeholder={kept.includes(name) ? 'saved (hidden)' : ''}
          onChange={(e) => set(name, e.target.value)}
        />
      )}
    </Field>
  );

  const titleId = id('title');
  return (
    <form ref={formRef} className="channel-form" aria-labelledby={titleId} onSubmit={(e) => void submit(e)} noValidate>
      <h4 id={titleId}>{saved ? `Change channel ${saved.id}` : 'Add a channel'}</h4>
      <div className="form-grid">
        <Field id={id('kind')} label="Kind">
          {(c) => (
            <select
              {...c}
              value={v.kind}
              disabled={saved !== undefined}
              onChange={(e) => setKind(e.target.value as ChannelKind)}
            >
              {CHANNEL_KINDS.map((k) => (
                <option key={k} value={k}>
                  {KIND_LABEL[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id={id('id')}
          label="Channel id"
          error={errors.id}
          hint={saved ? 'The id cannot be changed.' : 'Lower-case letters, digits and dashes.'}
        >
          {(c) => (
            <input {...c} value={v.id} readOnly={saved !== undefined} onChange={(e) => set('id', e.target.value)} />
          )}
        </Field>
        {v.kind === 'telegram' && (
          <>
            {secret('botToken', 'Bot token', 'token', 'From @BotFather, like 123456789:AA…')}
            {text('chatId', 'Chat id', { hint: 'A number (-100…) or a public @channel name.' })}
            {text('apiBase', 'Bot API address (optional)', {
              hint: 'Only for a self-hosted Bot API server; blank means api.telegram.org.',
              type: 'url',
            })}
          </>
        )}
        {v.kind === 'email' && (
          <>
            {text('host', 'SMTP host')}
            {text('port', 'SMTP port', { hint: '587 for STARTTLS, 465 for TLS.' })}
            <Field id={id('security')} label="Security" error={errors.security}>
              {(c) => (
                <select {...c} value={v.security} onChange={(e) => set('security', e.target.value)}>
                  {EMAIL_SECURITY.map((s) => (
                    <option key={s} value={s}>
                      {s === 'starttls'
                        ? 'STARTTLS (required)'
                        : s === 'tls'
                          ? 'TLS from the start'
                          : 'None (plain text)'}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {text('user', 'SMTP user (optional)')}
            {secret('password', 'SMTP password', 'password')}
            {text('from', 'From address', { type: 'email' })}
            {text('to', 'To addresses', { hint: 'One or more, separated by commas.' })}
            <div className="field field-check">
              <input
                id={id('allowSelfSigned')}
                type="checkbox"
                checked={v.allowSelfSigned}
                onChange={(e) => set('allowSelfSigned', e.target.checked)}
              />
              <label htmlFor={id('allowSelfSigned')}>Accept a self-signed certificate</label>
            </div>
          </>
        )}
        {v.kind === 'webhook' && (
          <>
            {secret('url', 'Webhook URL', 'URL', 'The address is kept sealed: Slack and Discord URLs are credentials.')}
            <Field id={id('format')} label="Format" error={errors.format}>
              {(c) => (
                <select {...c} value={v.format} onChange={(e) => set('format', e.target.value)}>
                  {WEBHOOK_FORMATS.map((f) => (
                    <option key={f} value={f}>
                      {f === 'json' ? 'JSON' : f === 'slack' ? 'Slack' : 'Discord'}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {secret('secret', 'Signing secret (optional)', 'secret', 'Signs each request (HMAC-SHA256).')}
          </>
        )}
        {v.kind === 'desktop' && (
          <p className="field-hint">Desktop notifications need no settings; they only show in the desktop app.</p>
        )}
        <div className="field field-check">
          <input
            id={id('enabled')}
            type="checkbox"
            checked={v.enabled}
            onChange={(e) => set('enabled', e.target.checked)}
          />
          <label htmlFor={id('enabled')}>Enabled</label>
        </div>
      </div>
      {formError && (
        <p role="alert" className="field-error">
          {formError}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save channel'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
