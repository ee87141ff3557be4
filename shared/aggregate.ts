// One state for everything: what the tray icon shows and what its menu lists. Pure, so the tray,
// the window and serve agree on what "worst" means.

import { STATUSES, type MonitorState, type MonitorStatus } from './status';

export const AGGREGATE_STATES = ['up', 'degraded', 'down', 'paused', 'offline'] as const;
export type AggregateState = (typeof AGGREGATE_STATES)[number];

/** What the summary needs of a monitor: who it is, and its state as the engine keeps it. */
export interface AggregateMonitor {
  id: string;
  name: string;
  host: string;
  port: number;
  state: Pick<MonitorState, 'status' | 'since' | 'incident'>;
}

export interface EngineFlags {
  /** Our own network is down (the engine's offline detection or the OS says so). */
  offline: boolean;
  /** "Pause monitoring" is on. */
  paused: boolean;
}

export interface Problem {
  id: string;
  name: string;
  host: string;
  port: number;
  status: 'down' | 'degraded';
  /** When it began: the first failed attempt of an outage, or when the monitor became degraded. */
  since: number;
  /** For an outage, how it failed ("refused", "timeout"), as the probe classified it. */
  outcome?: string;
}

export interface Summary {
  state: AggregateState;
  counts: Record<MonitorStatus, number>;
  total: number;
  offline: boolean;
  paused: boolean;
  /** Down before degraded, each oldest first, so the list does not reshuffle as news arrives. */
  problems: Problem[];
  /** Changes exactly when something shown changes: never for a latency-only result. */
  key: string;
}

export function emptyCounts(): Record<MonitorStatus, number> {
  return Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<MonitorStatus, number>;
}

/**
 * Offline outranks everything: with our network gone, every other signal is noise. A paused
 * engine checks nothing, so a red icon would be stale news. Pending is a failure not yet
 * confirmed: it stays out of the icon, exactly as it stays out of the alerts.
 */
export function aggregateState(counts: Readonly<Record<MonitorStatus, number>>, flags: EngineFlags): AggregateState {
  if (flags.offline) return 'offline';
  const total = STATUSES.reduce((n, s) => n + counts[s], 0);
  // Every monitor switched off one by one watches nothing either.
  if (flags.paused || (total > 0 && counts.paused === total)) return 'paused';
  if (counts.down > 0) return 'down';
  if (counts.degraded > 0) return 'degraded';
  return 'up';
}

const problemOrder = (a: Problem, b: Problem): number =>
  (a.status === b.status ? 0 : a.status === 'down' ? -1 : 1) || a.since - b.since || a.name.localeCompare(b.name);

export function summarize(monitors: Iterable<AggregateMonitor>, flags: EngineFlags): Summary {
  const counts = emptyCounts();
  const problems: Problem[] = [];
  for (const m of monitors) {
    const { status, since, incident } = m.state;
    counts[status] += 1;
    if (status === 'down') {
      const p: Problem = { id: m.id, name: m.name, host: m.host, port: m.port, status, since: since };
      if (incident) {
        p.since = incident.startedAt;
        p.outcome = incident.outcome;
      }
      problems.push(p);
    } else if (status === 'degraded') {
      problems.push({ id: m.id, name: m.name, host: m.host, port: m.port, status, since });
    }
  }
  problems.sort(problemOrder);
  const total = STATUSES.reduce((n, s) => n + counts[s], 0);
  const state = aggregateState(counts, flags);
  // Only what a person can see goes in: the icon, the counts, and each listed monitor's line.
  const key = JSON.stringify([
    state,
    flags.offline,
    flags.paused,
    STATUSES.map((s) => counts[s]),
    problems.map((p) => [p.id, p.name, p.host, p.port, p.status, p.since, p.outcome ?? '']),
  ]);
  return { state, counts, total, offline: flags.offline, paused: flags.paused, problems, key };
}

const COUNT_WORDS: readonly [MonitorStatus, string][] = [
  ['up', 'up'],
  ['down', 'down'],
  ['degraded', 'degraded'],
  ['pending', 're-checking'],
  ['maintenance', 'in maintenance'],
  ['paused', 'paused'],
  ['unknown', 'not checked yet'],
];

/** "12 up, 1 down, 2 degraded": only the statuses that occur, worst news right after "up". */
export function countsText(summary: Pick<Summary, 'counts' | 'total'>): string {
  if (summary.total === 0) return 'no monitors yet';
  return COUNT_WORDS.filter(([s]) => summary.counts[s] > 0)
    .map(([s, word]) => `${summary.counts[s]} ${word}`)
    .join(', ');
}

/** The tray's tooltip: "Portwatch — 12 up, 1 down, 2 degraded". */
export function summaryLine(summary: Summary): string {
  const counts = countsText(summary);
  if (summary.state === 'offline') return `Portwatch — this machine is offline (${counts})`;
  if (summary.paused) return `Portwatch — monitoring paused (${counts})`;
  return `Portwatch — ${counts}`;
}
