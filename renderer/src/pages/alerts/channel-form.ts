// A channel as its form holds it (strings), and back to what alerts.saveChannel takes, checked
// with the shared schema. Secrets are never put into the form: a blank secret field of a saved
// channel keeps the saved one.

import {
  ChannelConfigSchema,
  SECRET_FIELDS,
  type ChannelConfig,
  type ChannelConfigInput,
  type ChannelKind,
} from '../../../../shared/alerts';
import { fieldErrors, type FieldErrors } from './field-errors';

/** What the service shows in place of a saved secret, and takes as "keep it". */
export const SEALED = '(sealed)';

export interface ChannelFormValues {
  kind: ChannelKind;
  id: string;
  enabled: boolean;
  botToken: string;
  chatId: string;
  apiBase: string;
  host: string;
  port: string;
  security: string;
  user: string;
  password: string;
  from: string;
  to: string;
  allowSelfSigned: boolean;
  url: string;
  format: string;
  secret: string;
}

export const KIND_LABEL: Record<ChannelKind, string> = {
  desktop: 'Desktop',
  telegram: 'Telegram',
  email: 'Email',
  webhook: 'Webhook',
};

/** A free id for a new channel of `kind`: the kind's name, numbered if taken. */
export function freeId(kind: ChannelKind, taken: readonly string[]): string {
  if (!taken.includes(kind)) return kind;
  for (let n = 2; ; n++) if (!taken.includes(`${kind}-${n}`)) return `${kind}-${n}`;
}

export function emptyForm(kind: ChannelKind, id: string): ChannelFormValues {
  return {
    kind,
    id,
    enabled: true,
    botToken: '',
    chatId: '',
    apiBase: '',
    host: '',
    port: '587',
    security: 'starttls',
    user: '',
    password: '',
    from: '',
    to: '',
    allowSelfSigned: false,
    url: '',
    format: 'json',
    secret: '',
  };
}

/** The form for a saved channel; its secret fields start blank. */
export function formFromChannel(c: ChannelConfig): ChannelFormValues {
  const v = emptyForm(c.kind, c.id);
  v.enabled = c.enabled;
  if (c.kind === 'telegram') Object.assign(v, { chatId: c.chatId, apiBase: c.apiBase ?? '' });
  if (c.kind === 'email')
    Object.assign(v, {
      host: c.host,
      port: String(c.port),
      security: c.security,
      user: c.user ?? '',
      from: c.from,
      to: c.to.join(', '),
      allowSelfSigned: c.allowSelfSigned,
    });
  if (c.kind === 'webhook') v.format = c.format;
  return v;
}

/** The secret fields a saved channel has a value for. */
export function savedSecrets(saved: ChannelConfig | undefined): string[] {
  if (!saved) return [];
  return SECRET_FIELDS[saved.kind].filter((f) => (saved as unknown as Record<string, unknown>)[f] !== undefined);
}

const optional = (s: string): string | undefined => (s.trim() === '' ? undefined : s.trim());

/** Checks the form against the schema; the input to save, or the errors by field. */
export function channelInput(
  v: ChannelFormValues,
  saved?: ChannelConfig,
): { input: ChannelConfigInput; errors?: undefined } | { input?: undefined; errors: FieldErrors } {
  const kept = saved?.kind === v.kind ? savedSecrets(saved) : [];
  // A blank secret that is saved already is sent as the marker: the service keeps the saved one.
  const secret = (f: string, value: string): string | undefined =>
    optional(value) ?? (kept.includes(f) ? SEALED : undefined);
  const base = { id: v.id.trim(), enabled: v.enabled };
  const errors: FieldErrors = {};
  let raw: Record<string, unknown>;
  switch (v.kind) {
    case 'desktop':
      raw = { ...base, kind: 'desktop' };
      break;
    case 'telegram':
      raw = {
        ...base,
        kind: 'telegram',
        botToken: secret('botToken', v.botToken),
        chatId: v.chatId.trim(),
        apiBase: optional(v.apiBase),
      };
      break;
    case 'email': {
      const port = optional(v.port);
      if (port !== undefined && !/^\d+$/.test(port)) errors.port = 'the port must be a whole number from 1 to 65535';
      else if (port !== undefined && (Number(port) < 1 || Number(port) > 65535))
        errors.port = 'the port must be from 1 to 65535';
      raw = {
        ...base,
        kind: 'email',
        host: v.host,
        port: port === undefined ? undefined : Number(port),
        security: v.security,
        user: optional(v.user),
        password: secret('password', v.password),
        from: v.from,
        to: v.to.split(/[\s,;]+/).filter(Boolean),
        allowSelfSigned: v.allowSelfSigned,
      };
      if (raw.user !== undefined && raw.password === undefined)
        errors.password = 'give the password for this user, or leave the user blank';
      break;
    }
    case 'webhook':
      raw = {
        ...base,
        kind: 'webhook',
        url: secret('url', v.url),
        format: v.format,
        secret: secret('secret', v.secret),
      };
      break;
  }
  for (const k of Object.keys(raw)) if (raw[k] === undefined) delete raw[k];
  const parsed = ChannelConfigSchema.safeParse(raw);
  if (!parsed.success) Object.assign(errors, { ...fieldErrors(parsed.error), ...errors });
  if (Object.keys(errors).length > 0 || !parsed.success) return { errors };
  return { input: parsed.data };
}

/** One line about a saved channel, without any secret. */
export function describeChannel(c: ChannelConfig): string {
  switch (c.kind) {
    case 'desktop':
      return 'Notifications on this computer (desktop app only)';
    case 'telegram':
      return `Chat ${c.chatId}${c.apiBase ? ` via ${c.apiBase}` : ''}; bot token saved`;
    case 'email':
      return `To ${c.to.join(', ')} from ${c.from} through ${c.host}:${c.port} (${c.security})`;
    case 'webhook':
      return `${c.format === 'json' ? 'JSON' : c.format === 'slack' ? 'Slack' : 'Discord'} webhook; address saved${c.secret ? ', signed' : ''}`;
  }
}
