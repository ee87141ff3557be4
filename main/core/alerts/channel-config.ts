// From a saved channel (shared/alerts.ts) to a working Channel, and the secret handling around
// it: clear secrets are checked then sealed before they are saved, opened only to send, and
// replaced by a marker whenever a channel is shown.

import { SECRET_FIELDS, type ChannelConfig } from '../../../shared/alerts';
import { isSealed, type SecretBox } from '../secrets';
import { emailChannel } from './channels/email';
import { telegramChannel } from './channels/telegram';
import { webhookChannel } from './channels/webhook';
import type { Channel } from './types';

/** What a secret shows as outside the config file. */
export const SEALED_MARK = '(sealed)';

type SecretField = 'botToken' | 'password' | 'url' | 'secret';

const secretFields = (c: ChannelConfig): readonly SecretField[] => SECRET_FIELDS[c.kind];

const fieldOf = (c: ChannelConfig, f: SecretField): string | undefined =>
  (c as Partial<Record<SecretField, string>>)[f];

/**
 * Problems with the clear values of a channel about to be saved, named by field. Sealed values
 * cannot be read here and were checked when they were first entered.
 */
export function clearSecretProblems(c: ChannelConfig): string[] {
  const problems: string[] = [];
  const clear = (f: SecretField): string | undefined => {
    const v = fieldOf(c, f);
    return v === undefined || isSealed(v) ? undefined : v;
  };
  const token = clear('botToken');
  if (token !== undefined && !/^\d+:[\w-]+$/.test(token))
    problems.push('botToken: a bot token looks like 123456789:AA… (from @BotFather)');
  const url = clear('url');
  if (url !== undefined && !(URL.canParse(url) && /^https?:$/.test(new URL(url).protocol)))
    problems.push('url: the webhook URL must be an http:// or https:// address');
  if (c.kind === 'email' && (c.user === undefined) !== (c.password === undefined))
    problems.push('password: give both the SMTP user and password, or neither');
  return problems;
}

/** The channel with every clear secret sealed by `box`; already sealed values are kept. */
export function sealChannel(c: ChannelConfig, box: SecretBox): ChannelConfig {
  const out: Record<string, unknown> = { ...c };
  for (const f of secretFields(c)) {
    const v = fieldOf(c, f);
    if (v !== undefined && !isSealed(v)) out[f] = box.seal(v);
  }
  return out as ChannelConfig;
}

/** Whether a saved channel still holds a secret in clear (hand-edited file, older version). */
export const hasClearSecret = (c: ChannelConfig): boolean =>
  secretFields(c).some((f) => {
    const v = fieldOf(c, f);
    return v !== undefined && !isSealed(v);
  });

/** The channel as it may be shown or returned over the API: secrets replaced by SEALED_MARK. */
export function publicChannel(c: ChannelConfig): ChannelConfig {
  const out: Record<string, unknown> = { ...c };
  for (const f of secretFields(c)) if (fieldOf(c, f) !== undefined) out[f] = SEALED_MARK;
  return out as ChannelConfig;
}

/** A channel that cannot send, saying why each time it is asked to. */
function brokenChannel(c: ChannelConfig, detail: string): Channel {
  return { kind: c.kind, id: c.id, send: () => Promise.resolve({ ok: false, retryable: false, detail }) };
}

export interface OpenOptions {
  /** The desktop notification channel; only the app has one. */
  desktop?: (id: string) => Channel;
}

/**
 * A working channel for a saved one, its secrets opened with `box`. A secret that cannot be opened
 * (another machine's key, a damaged value) gives a channel whose every send reports that; a
 * desktop channel outside the app reports that notifications need the desktop app.
 */
export function openChannel(c: ChannelConfig, box: SecretBox, options: OpenOptions = {}): Channel {
  const open = (f: SecretField, v: string): string => {
    try {
      return box.open(v);
    } catch (e) {
      throw new Error(`${f}: ${e instanceof Error ? e.message : String(e)}; enter it again`, { cause: e });
    }
  };
  try {
    switch (c.kind) {
      case 'desktop':
        return (
          options.desktop?.(c.id) ??
          brokenChannel(c, 'desktop notifications need the Portwatch desktop app; `portwatch serve` cannot show them')
        );
      case 'telegram':
        return telegramChannel({
          id: c.id,
          botToken: open('botToken', c.botToken),
          chatId: c.chatId,
          ...(c.apiBase ? { apiBase: c.apiBase } : {}),
        });
      case 'email':
        return emailChannel({
          id: c.id,
          host: c.host,
          port: c.port,
          secure: c.security === 'tls',
          requireTLS: c.security === 'starttls',
          ...(c.user !== undefined && c.password !== undefined
            ? { auth: { user: c.user, pass: open('password', c.password) } }
            : {}),
          from: c.from,
          to: c.to,
          ...(c.allowSelfSigned ? { tls: { rejectUnauthorized: false } } : {}),
        });
      case 'webhook':
        return webhookChannel({
          id: c.id,
          url: open('url', c.url),
          format: c.format,
          ...(c.secret !== undefined ? { secret: open('secret', c.secret) } : {}),
        });
    }
  } catch (e) {
    return brokenChannel(c, `channel ${c.id}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
