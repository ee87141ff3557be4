// The tray menu as data: what it says is decided here, from the summary and the clock, so it can
// be tested without a tray and compared to decide whether the live menu needs rebuilding.

import type { VantageOverview } from '../../shared/vantage';
import type { MenuItemConstructorOptions } from 'electron';
import { countsText, type Summary } from '../../shared/aggregate';
import { formatDuration } from '../../shared/duration';
import { NIGHT_ENDS_HOUR, type SnoozeChoice } from '../core/alerts/quiet';

/** What the tray can ask of the app. */
export interface TrayActions {
  checkAll: () => void;
  /** Snoozes alerts (undefined resumes them); returns when the snooze ends, undefined when none. */
  snooze: (choice: SnoozeChoice | undefined) => number | undefined;
  pause: () => void;
  resume: () => void;
  openWindow: () => void;
  openMonitor: (id: string) => void;
  /** Returns whether the app now starts at login: the OS may refuse. */
  setStartAtLogin: (on: boolean) => boolean;
  quit: () => void;
}

export interface TrayMenuView {
  summary: Summary;
  now: number;
  /** When alerts stop being snoozed; undefined (or past) when they are not. */
  snoozedUntil?: number;
  startAtLogin: boolean;
  /** What other Portwatch instances see differently: split targets and sources not answering. */
  vantage?: VantageLines;
}

export interface VantageLines {
  /** "orders-db: reachable from office, not from cloud". */
  splits: string[];
  /** Names of the sources that stopped answering. */
  silent: string[];
}

/** The vantage lines for the menu, from the registry's overview; empty when no source is set. */
export function vantageLines(o: Pick<VantageOverview, 'sources' | 'targets'>): VantageLines {
  return {
    splits: o.targets.filter((t) => t.kind === 'split').map((t) => `${t.name}: ${t.summary}`),
    silent: o.sources.filter((s) => s.state.status === 'unreachable').map((s) => s.name),
  };
}

function vantageItems(v: VantageLines | undefined, actions: TrayActions): MenuItemConstructorOptions[] {
  if (!v || (v.splits.length === 0 && v.silent.length === 0)) return [];
  const open = (): void => actions.openWindow();
  return [
    { type: 'separator' },
    { label: 'Seen from other places', enabled: false },
    ...v.splits.slice(0, MAX_LISTED).map((label) => ({ label: `⇄ ${label}`, click: open })),
    ...v.silent.map((name) => ({ label: `? ${name} is not answering`, click: open })),
  ];
}

/** More than this and the menu outgrows the screen; the window lists the rest. */
export const MAX_LISTED = 10;
const MAX_NAME = 40;

const pad = (n: number): string => String(n).padStart(2, '0');
const hhmm = (d: Date): string => `${pad(d.getHours())}:${pad(d.getMinutes())}`;
const dayStart = (d: Date): number => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "14:32" today, "tomorrow 09:00", else "Tue 09:00": local time, as people read a clock. */
export function clockText(at: number, now: number): string {
  const d = new Date(at);
  const day = dayStart(d);
  const next = new Date(now);
  if (day === dayStart(next)) return hhmm(d);
  // Calendar arithmetic, not +24 h: a DST change makes a day 23 or 25 hours long.
  next.setDate(next.getDate() + 1);
  if (day === dayStart(next)) return `tomorrow ${hhmm(d)}`;
  return `${WEEKDAYS[d.getDay()] ?? ''} ${hhmm(d)}`;
}

/**
 * How long, to the minute: a menu is rebuilt when its text changes, and a seconds counter
 * would rebuild it every second for a number nobody reads that closely.
 */
export function ageText(ms: number): string {
  if (ms < 60_000) return 'under a minute';
  return formatDuration(Math.floor(ms / 60_000) * 60_000);
}

const shortName = (name: string): string => (name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 1)}…` : name);

function problemItems(view: TrayMenuView, actions: TrayActions): MenuItemConstructorOptions[] {
  const { problems } = view.summary;
  const items = problems.slice(0, MAX_LISTED).map((p): MenuItemConstructorOptions => {
    const how = `${p.status} for ${ageText(view.now - p.since)}`;
    const why = p.outcome ? ` (${p.outcome})` : '';
    return {
      label: `${shortName(p.name)} — ${how}${why}`,
      toolTip: `${p.host}:${p.port}`,
      click: () => actions.openMonitor(p.id),
    };
  });
  if (problems.length > MAX_LISTED) {
    items.push({ label: `…and ${problems.length - MAX_LISTED} more`, click: () => actions.openWindow() });
  }
  return items;
}

const SNOOZE_CHOICES: readonly [SnoozeChoice, string][] = [
  ['1h', 'For 1 hour'],
  ['4h', 'For 4 hours'],
  ['8h', 'For 8 hours'],
  ['tomorrow-09', 'Until 09:00 tomorrow'],
];

function snoozeItem(view: TrayMenuView, actions: TrayActions): MenuItemConstructorOptions {
  const until = view.snoozedUntil !== undefined && view.snoozedUntil > view.now ? view.snoozedUntil : undefined;
  // Before dawn, "tomorrow 09:00" is this morning (quiet.ts): say the hour the snooze will end.
  const earlyMorning = new Date(view.now).getHours() < NIGHT_ENDS_HOUR;
  const submenu: MenuItemConstructorOptions[] = [];
  if (until !== undefined) {
    submenu.push({ label: `Snoozed until ${clockText(until, view.now)}`, enabled: false }, { type: 'separator' });
  }
  for (const [choice, label] of SNOOZE_CHOICES) {
    const text = choice === 'tomorrow-09' && earlyMorning ? 'Until 09:00' : label;
    submenu.push({ label: text, click: () => actions.snooze(choice) });
  }
  submenu.push(
    { type: 'separator' },
    { label: 'Resume alerts', enabled: until !== undefined, click: () => actions.snooze(undefined) },
  );
  const label = until === undefined ? 'Snooze alerts' : `Alerts snoozed until ${clockText(until, view.now)}`;
  return { label, submenu };
}

function headline(summary: Summary): MenuItemConstructorOptions[] {
  if (summary.offline)
    return [{ label: 'This machine is offline: failures are held until it is back', enabled: false }];
  if (summary.paused) return [{ label: 'Monitoring is paused', enabled: false }];
  return [];
}

export function trayMenu(view: TrayMenuView, actions: TrayActions): MenuItemConstructorOptions[] {
  const { summary } = view;
  const counts = countsText(summary);
  const problems = problemItems(view, actions);
  return [
    ...headline(summary),
    { label: counts.charAt(0).toUpperCase() + counts.slice(1), enabled: false },
    ...(problems.length > 0 ? [{ type: 'separator' } as const, ...problems] : []),
    ...vantageItems(view.vantage, actions),
    { type: 'separator' },
    { label: 'Check everything now', enabled: !summary.paused, click: () => actions.checkAll() },
    snoozeItem(view, actions),
    summary.paused
      ? { label: 'Resume monitoring', click: () => actions.resume() }
      : { label: 'Pause monitoring', click: () => actions.pause() },
    { type: 'separator' },
    { label: 'Open Portwatch', click: () => actions.openWindow() },
    {
      label: 'Start at login',
      type: 'checkbox',
      checked: view.startAtLogin,
      click: () => actions.setStartAtLogin(!view.startAtLogin),
    },
    { type: 'separator' },
    { label: 'Quit Portwatch', click: () => actions.quit() },
  ];
}

/** Everything a person can see of a menu (labels, checks, greyed items), without the handlers. */
export function visibleKey(items: readonly MenuItemConstructorOptions[]): string {
  const strip = (i: MenuItemConstructorOptions): unknown[] => [
    i.type ?? 'normal',
    i.label ?? '',
    i.enabled ?? true,
    i.checked ?? false,
    i.toolTip ?? '',
    Array.isArray(i.submenu) ? i.submenu.map(strip) : [],
  ];
  return JSON.stringify(items.map(strip));
}
