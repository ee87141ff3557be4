// When to keep quiet: snoozing everything, maintenance windows, acknowledged outages, and when
// to remind people of an outage that goes on. Clock-free: every method takes `now` (epoch ms);
// local-time rules (09:00 tomorrow, weekly windows) are computed with Date's local calendar.

import type { Tier } from '../../../shared/catalog';
import type { Monitor } from '../../../shared/monitor';
import type { OpenIncident, Transition } from '../../../shared/status';

const MIN = 60_000;
const HOUR = 60 * MIN;

export type SnoozeChoice = '1h' | '4h' | '8h' | 'tomorrow-09';

/** Before this local hour, "until 09:00 tomorrow" means this morning's 09:00: it is still "tonight". */
export const NIGHT_ENDS_HOUR = 5;

/** When a snooze chosen at `now` ends (epoch ms). */
export function snoozeEnd(choice: SnoozeChoice, now: number): number {
  if (choice === '1h') return now + HOUR;
  if (choice === '4h') return now + 4 * HOUR;
  if (choice === '8h') return now + 8 * HOUR;
  const d = new Date(now);
  const days = d.getHours() < NIGHT_ENDS_HOUR ? 0 : 1;
  // Local calendar arithmetic: right across DST changes and month ends.
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + days, 9, 0, 0, 0).getTime();
}

export type MaintenanceScope = { monitorId: string } | { tag: string } | { host: string };

export type MaintenanceWindow =
  | { id: string; scope: MaintenanceScope; kind: 'once'; start: number; end: number }
  | {
      id: string;
      scope: MaintenanceScope;
      kind: 'weekly';
      /** Local weekday, 0 = Sunday (as Date#getDay). */
      day: number;
      /** Local minutes after midnight. */
      startMinute: number;
      /** At most a week. */
      durationMinutes: number;
    };

export type MaintainedMonitor = Pick<Monitor, 'id' | 'host' | 'tags'>;

export function windowApplies(w: MaintenanceWindow, m: MaintainedMonitor): boolean {
  const s = w.scope;
  if ('monitorId' in s) return s.monitorId === m.id;
  if ('tag' in s) return m.tags.includes(s.tag);
  return s.host === m.host;
}

/** The occurrence of a window that covers `now`, as {start, end}, or undefined. */
export function occurrenceAt(w: MaintenanceWindow, now: number): { start: number; end: number } | undefined {
  if (w.kind === 'once') return w.start <= now && now < w.end ? { start: w.start, end: w.end } : undefined;
  const duration = Math.min(w.durationMinutes, 7 * 24 * 60) * MIN;
  const d = new Date(now);
  // This week's occurrence or last week's, whichever may still be running.
  for (let back = 0; back <= 7; back++) {
    const day = new Date(d.getFullYear(), d.getMonth(), d.getDate() - back);
    if (day.getDay() !== w.day) continue;
    const start = new Date(day.getFullYear(), day.getMonth(), day.getDate(), 0, w.startMinute).getTime();
    if (start <= now && now < start + duration) return { start, end: start + duration };
  }
  return undefined;
}

export interface QuietOptions {
  /** How often to remind people of an outage per tier; undefined = never. */
  reminderEveryMs?: Partial<Record<Tier, number | undefined>>;
}

export const DEFAULT_REMINDERS: Record<Tier, number | undefined> = { 1: 30 * MIN, 2: 2 * HOUR, 3: undefined };

export interface DownMonitor {
  monitor: MaintainedMonitor & Pick<Monitor, 'tier'>;
  incident: OpenIncident;
}

export interface DueReminder extends DownMonitor {
  /** 1 for the first reminder of this outage. */
  count: number;
}

/** Snooze, maintenance windows, acknowledgements and reminders for one user. */
export class Quiet {
  private snoozedFrom: number | undefined;
  private snoozedUntil: number | undefined;
  private windows: MaintenanceWindow[] = [];
  private readonly acked = new Set<string>();
  /** Per monitor: the outage being reminded of (its startedAt), the next reminder and how many went. */
  private readonly reminders = new Map<string, { startedAt: number; next: number; count: number }>();
  private every: Record<Tier, number | undefined>;

  constructor(options: QuietOptions = {}) {
    this.every = { ...DEFAULT_REMINDERS, ...options.reminderEveryMs };
  }

  /** New reminder intervals (settings changed); outages already reminded of keep their count. */
  setReminders(every: Partial<Record<Tier, number | undefined>>): void {
    this.every = { ...DEFAULT_REMINDERS, ...every };
  }

  /** Takes back a snooze saved earlier (after a restart, or made by another process). */
  restoreSnooze(span: { from: number; until: number } | undefined): void {
    this.snoozedFrom = span?.from;
    this.snoozedUntil = span?.until;
  }

  /** Silences every alert until the chosen time; returns when that is. */
  snooze(choice: SnoozeChoice, now: number): number {
    this.snoozedFrom = now;
    this.snoozedUntil = snoozeEnd(choice, now);
    return this.snoozedUntil;
  }

  unsnooze(): void {
    this.snoozedFrom = undefined;
    this.snoozedUntil = undefined;
  }

  isSnoozed(now: number): boolean {
    const from = this.snoozedFrom ?? Number.NEGATIVE_INFINITY;
    return this.snoozedUntil !== undefined && from <= now && now < this.snoozedUntil;
  }

  get snoozeEndsAt(): number | undefined {
    return this.snoozedUntil;
  }

  setWindows(windows: readonly MaintenanceWindow[]): void {
    this.windows = [...windows];
  }

  /** The occurrences covering a monitor at `now`. */
  activeWindows(m: MaintainedMonitor, now: number): { id: string; start: number; end: number }[] {
    const out: { id: string; start: number; end: number }[] = [];
    for (const w of this.windows) {
      if (!windowApplies(w, m)) continue;
      const occ = occurrenceAt(w, now);
      if (occ) out.push({ id: w.id, ...occ });
    }
    return out;
  }

  inMaintenance(m: MaintainedMonitor, now: number): boolean {
    return this.activeWindows(m, now).length > 0;
  }

  /** Whether alerts about this monitor are held back now (snooze or maintenance). */
  isQuiet(m: MaintainedMonitor, now: number): boolean {
    return this.isSnoozed(now) || this.inMaintenance(m, now);
  }

  /** Stops reminders for this monitor until its state changes. */
  ack(monitorId: string): void {
    this.acked.add(monitorId);
  }

  isAcked(monitorId: string): boolean {
    return this.acked.has(monitorId);
  }

  /** Feed every transition: a change of state ends the acknowledgement. */
  observe(monitorId: string, t: Transition): void {
    if (t.from !== t.to || t.incident) this.acked.delete(monitorId);
  }

  /**
   * The monitors due a "still down" reminder at `now`: every reminderEveryMs[tier] after the
   * outage was confirmed. At most one per monitor per call, however late the call; a reminder
   * that falls in a snooze, a maintenance window or after an ack is skipped, not saved for later.
   */
  dueReminders(down: readonly DownMonitor[], now: number): DueReminder[] {
    const seen = new Set<string>();
    const due: DueReminder[] = [];
    for (const d of down) {
      const id = d.monitor.id;
      seen.add(id);
      const every = this.every[d.monitor.tier];
      if (every === undefined || every <= 0) continue;
      let r = this.reminders.get(id);
      if (!r || r.startedAt !== d.incident.startedAt) {
        r = { startedAt: d.incident.startedAt, next: d.incident.confirmedAt + every, count: 0 };
        this.reminders.set(id, r);
      }
      if (now < r.next) continue;
      // The latest reminder time that has passed: judged when it fell due, so one that fell in a
      // snooze or window is not sent late when the poll comes after its end.
      const dueAt = r.next + Math.floor((now - r.next) / every) * every;
      r.next = dueAt + every;
      if (this.acked.has(id) || this.isQuiet(d.monitor, dueAt) || this.isQuiet(d.monitor, now)) continue;
      r.count += 1;
      due.push({ ...d, count: r.count });
    }
    for (const id of this.reminders.keys()) if (!seen.has(id)) this.reminders.delete(id);
    return due;
  }
}

/** A past or present quiet period for one monitor: a maintenance window or a snooze. */
export interface QuietSpan {
  start: number;
  end: number;
}

/**
 * Whether a transition should alert, given the quiet periods that covered its monitor.
 * - Inside a period: no (it is held back, not queued for later).
 * - The end of a period (leaving 'maintenance' or 'paused' without opening or closing an outage):
 *   no, the status after a window is the status before it.
 * - An outage "opened" again after a period although it began before that period (the same
 *   incident, e.g. rebuilt after a restart): no, people were told when it began. Nothing is
 *   re-sent for monitors that were already down before a window; only changes alert.
 * - Everything else (a new outage, a recovery even of an outage older than the window): yes.
 */
export function shouldAlert(t: Transition, spans: readonly QuietSpan[]): boolean {
  if (spans.some((s) => s.start <= t.at && t.at < s.end)) return false;
  if ((t.from === 'maintenance' || t.from === 'paused') && !t.incident) return false;
  if (t.incident?.action === 'opened') {
    const began = t.incident.incident.startedAt;
    if (spans.some((s) => began < s.start && s.end <= t.at)) return false;
  }
  return true;
}
