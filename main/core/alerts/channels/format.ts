import type { Alert } from '../types';

// One plain-text rendering for every channel, so an alert reads the same in a chat, a mail and
// a webhook. Plain text on purpose: no channel has to escape Markdown or HTML it did not write.

/** "orders-db (10.0.0.6:5432)"; IPv6 hosts are bracketed so the port stays unambiguous. */
export function subjectLine(s: Alert['subjects'][number]): string {
  const host = s.host.includes(':') ? `[${s.host}]` : s.host;
  return `${s.name} (${host}:${s.port})`;
}

/** Title line, body, the subjects with host:port, and when it happened in ISO 8601 (UTC). */
export function renderText(alert: Alert): string {
  const lines = [alert.title];
  const body = alert.body.trim();
  if (body) lines.push('', body);
  if (alert.subjects.length > 0) {
    lines.push('', alert.subjects.length === 1 ? 'Affected:' : `Affected (${alert.subjects.length}):`);
    for (const s of alert.subjects) lines.push(`- ${subjectLine(s)}`);
  }
  lines.push('', `At: ${isoTime(alert.at)}`);
  return lines.join('\n');
}

/** An epoch-ms time as ISO 8601, or a visible placeholder rather than a throw on a bad value. */
export function isoTime(at: number): string {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? `(invalid time ${String(at)})` : d.toISOString();
}

const ELLIPSIS = '…';

/**
 * Cuts text to at most `max` characters (code points, so an emoji or a non-BMP character is
 * never split in half), marking the cut with an ellipsis.
 */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  if (max <= 0) return '';
  return chars.slice(0, max - 1).join('') + ELLIPSIS;
}

/**
 * A short, printable slice of a remote answer (an HTTP error body, an SMTP reply) for a detail:
 * control characters and runs of whitespace become single spaces, then it is truncated.
 */
export function printable(text: string, max = 200): string {
  // Control characters are exactly what this removes.
  // eslint-disable-next-line no-control-regex
  const controls = /[\u0000-\u001f\u007f-\u009f]+/g;
  const flat = text.replace(controls, ' ').replace(/\s+/g, ' ').trim();
  return truncate(flat, max);
}

/** Removes every occurrence of a secret (a token, a password) from text meant for people. */
export function redact(text: string, secret: string | undefined, mask = '<redacted>'): string {
  if (!secret) return text;
  return text.split(secret).join(mask);
}

/** An error's message without assuming it is an Error. */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return typeof e === 'string' ? e : String(e);
}
