// Form errors keyed by field, from the shared zod schemas or from a service's "field: message"
// wording, so each message is shown at the control it concerns.

import type { z } from 'zod';

export type FieldErrors = Partial<Record<string, string>>;

/** The first message for each field, the field being the issue path's first part (or as `keyOf` says). */
export function fieldErrors(
  error: z.ZodError,
  keyOf: (path: PropertyKey[]) => string = (p) => String(p[0] ?? ''),
): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = keyOf(issue.path);
    out[key] ??= issue.message;
  }
  return out;
}

/**
 * Splits a service error such as "the channel was not saved: botToken: a bot token looks like …"
 * into messages for the fields it names, and whatever names no field.
 */
export function serviceFieldErrors(error: string, fields: readonly string[]): { fields: FieldErrors; rest: string } {
  const body = error.replace(/^[^:]*not saved: /, '');
  const out: FieldErrors = {};
  const rest: string[] = [];
  for (const part of body.split('; ')) {
    const m = /^([A-Za-z]+)(?:\.\d+)?: (.+)$/.exec(part);
    if (m?.[1] && m[2] && fields.includes(m[1])) out[m[1]] ??= m[2];
    else rest.push(part);
  }
  return { fields: out, rest: rest.length === body.split('; ').length ? error : rest.join('; ') };
}
