import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Alert, Channel, Delivery } from '../types';
import { printable, renderText, truncate } from './format';
import { postJson } from './http';

export type WebhookFormat = 'json' | 'slack' | 'discord';

export interface WebhookConfig {
  id: string;
  url: string;
  /** With 'json', signs each body so the receiver can tell it came from this Portwatch. */
  secret?: string;
  format: WebhookFormat;
  /** Extra headers, e.g. an Authorization the receiver wants. */
  headers?: Record<string, string>;
}

export const SIGNATURE_HEADER = 'X-Portwatch-Signature';
export const TIMESTAMP_HEADER = 'X-Portwatch-Timestamp';

/** Discord refuses a content over 2000 characters. */
const DISCORD_MAX_CONTENT = 2000;

/** "sha256=<hex>" of HMAC-SHA256 over the exact bytes sent. */
export function sign(secret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/**
 * For receivers: whether `header` is the signature of `rawBody` (the bytes as received, before
 * any JSON parsing). Timing-safe, so the comparison leaks nothing about the expected value.
 */
export function verifySignature(secret: string, rawBody: string | Buffer, header: string | undefined | null): boolean {
  if (typeof header !== 'string') return false;
  const expected = Buffer.from(sign(secret, rawBody));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The body in the receiver's shape: the Alert itself, or a chat message for Slack and Discord. */
export function webhookBody(alert: Alert, format: WebhookFormat): string {
  switch (format) {
    case 'json':
      return JSON.stringify(alert);
    case 'slack':
      return JSON.stringify({ text: renderText(alert) });
    case 'discord':
      return JSON.stringify({ content: truncate(renderText(alert), DISCORD_MAX_CONTENT) });
  }
}

/** POSTs alerts to a URL; a 2xx is delivered, a 4xx will not get better, a 5xx may. */
export function webhookChannel(config: WebhookConfig): Channel {
  const where = describeUrl(config.url);
  return {
    kind: 'webhook',
    id: config.id,
    send: async (alert: Alert, signal: AbortSignal): Promise<Delivery> => {
      if (!URL.canParse(config.url) || !/^https?:$/.test(new URL(config.url).protocol))
        return { ok: false, retryable: false, detail: 'the webhook URL is not a valid http(s) URL' };
      try {
        const body = webhookBody(alert, config.format);
        const headers: Record<string, string> = { ...config.headers, 'user-agent': 'Portwatch' };
        if (config.format === 'json') {
          headers[TIMESTAMP_HEADER] = String(Math.floor(Date.now() / 1000));
          if (config.secret) headers[SIGNATURE_HEADER] = sign(config.secret, body);
        }
        const res = await postJson(config.url, body, headers, signal);
        if (!res.ok)
          return res.reason === 'aborted'
            ? { ok: false, retryable: true, detail: `webhook ${where} did not answer in time (${res.detail})` }
            : { ok: false, retryable: true, detail: `webhook ${where} unreachable: ${res.detail}` };
        const said = printable(res.body, 200);
        const quoted = said ? `: ${said}` : '';
        if (res.status >= 200 && res.status < 300)
          return { ok: true, retryable: false, detail: `delivered to ${where} (${res.status})` };
        if (res.status === 429 || res.status >= 500) {
          const after = res.retryAfter === undefined ? '' : `; retry after ${res.retryAfter} s`;
          return { ok: false, retryable: true, detail: `webhook ${where} answered ${res.status}${quoted}${after}` };
        }
        if (res.status >= 300 && res.status < 400)
          return {
            ok: false,
            retryable: false,
            detail: `webhook ${where} redirects (${res.status}); use the final URL`,
          };
        return { ok: false, retryable: false, detail: `webhook ${where} refused the alert (${res.status})${quoted}` };
      } catch (e) {
        return { ok: false, retryable: true, detail: `webhook ${where} send failed: ${String(e)}` };
      }
    },
  };
}

/**
 * Where a webhook points, without its path: Slack and Discord URLs carry their secret in the
 * path, and details are shown and logged.
 */
function describeUrl(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}
