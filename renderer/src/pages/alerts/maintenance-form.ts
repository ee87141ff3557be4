// A maintenance window as its form holds it, checked with the shared schema, and in words.
// Times are local, as the alerting layer reads them (weekday 0 = Sunday).

import { MaintenanceWindowSchema, type MaintenanceWindowConfig } from '../../../../shared/alerts';
import { formatDuration, formatTime } from '../../format';
import { fieldErrors, type FieldErrors } from './field-errors';

export type ScopeKind = 'monitorId' | 'tag' | 'host';

export interface WindowFormValues {
  kind: 'once' | 'weekly';
  scopeKind: ScopeKind;
  scopeValue: string;
  /** datetime-local values: "2025-03-01T02:00". */
  start: string;
  end: string;
  day: string;
  /** A time input's value: "02:00". */
  time: string;
  duration: string;
}

export const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export const emptyWindow = (): WindowFormValues => ({
  kind: 'once',
  scopeKind: 'monitorId',
  scopeValue: '',
  start: '',
  end: '',
  day: '0',
  time: '02:00',
  duration: '60',
});

const minutesOf = (time: string): number => {
  const m = /^(\d{2}):(\d{2})$/.exec(time);
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
};

/** The window to save, or the errors by form field. */
export function windowFromForm(
  v: WindowFormValues,
  id: string,
): { window: MaintenanceWindowConfig; errors?: undefined } | { window?: undefined; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (v.scopeValue.trim() === '')
    errors.scopeValue = v.scopeKind === 'monitorId' ? 'choose a monitor' : `enter the ${v.scopeKind}`;
  const scope = { [v.scopeKind]: v.scopeValue.trim() };
  let raw: Record<string, unknown>;
  if (v.kind === 'once') {
    const start = v.start ? new Date(v.start).getTime() : NaN;
    const end = v.end ? new Date(v.end).getTime() : NaN;
    if (Number.isNaN(start)) errors.start = 'enter when the window starts';
    if (Number.isNaN(end)) errors.end = 'enter when the window ends';
    raw = { id, scope, kind: 'once', start, end };
  } else {
    const startMinute = minutesOf(v.time);
    const duration = /^\d+$/.test(v.duration.trim()) ? Number(v.duration) : NaN;
    if (Number.isNaN(startMinute)) errors.time = 'enter the start time';
    if (Number.isNaN(duration)) errors.duration = 'enter the length in whole minutes';
    raw = { id, scope, kind: 'weekly', day: Number(v.day), startMinute, durationMinutes: duration };
  }
  const parsed = MaintenanceWindowSchema.safeParse(raw);
  if (!parsed.success) {
    const byField: Record<string, string> = { startMinute: 'time', durationMinutes: 'duration', scope: 'scopeValue' };
    const found = fieldErrors(parsed.error, (p) => byField[String(p[0])] ?? String(p[0]));
    if (found.duration?.startsWith('Too big')) found.duration = 'a window lasts at most a week (10080 minutes)';
    if (found.duration?.startsWith('Too small')) found.duration = 'a window lasts at least a minute';
    for (const [k, m] of Object.entries(found)) errors[k] ??= m;
  }
  if (Object.keys(errors).length || !parsed.success) return { errors };
  return { window: parsed.data };
}

const clock = (minute: number): string =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** "Every Sunday at 02:00 for 1 h" or "From … to …". */
export function describeWhen(w: MaintenanceWindowConfig): string {
  if (w.kind === 'once') return `From ${formatTime(w.start)} to ${formatTime(w.end)}`;
  return `Every ${DAYS[w.day]} at ${clock(w.startMinute)} for ${formatDuration(w.durationMinutes * 60_000)}`;
}

export function describeScope(w: MaintenanceWindowConfig, monitorName: (id: string) => string | undefined): string {
  const s = w.scope;
  if ('monitorId' in s) return `Monitor ${monitorName(s.monitorId) ?? s.monitorId}`;
  if ('tag' in s) return `Tag ${s.tag}`;
  return `Host ${s.host}`;
}
