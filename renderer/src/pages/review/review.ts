// The weekly review, computed from what the history answers: incidents of the week, how long
// recovery took, which monitors flapped or made the most noise, which answered slowest, and
// every monitor's uptime. Pure, so the page, the Markdown and the CSV all say the same.

import type { Incident } from '../../../../shared/api';
import type { Monitor } from '../../../../shared/monitor';

export const WEEK_MS = 7 * 86_400_000;

/** This many incidents in a week make a monitor count as flapping, even if it has settled now. */
export const FLAPPING_INCIDENTS = 3;
const TOP = 5;

export type ReviewMonitor = Pick<Monitor, 'id' | 'name' | 'host' | 'port' | 'tier'> & { url?: string | undefined };

export interface ReviewInput {
  from: number;
  to: number;
  monitors: ReviewMonitor[];
  /** Ids of the monitors flapping right now. */
  flappingNow: ReadonlySet<string>;
  incidents: Incident[];
  uptime: Readonly<Record<string, { checks: number; upPct: number | null }>>;
  /** p95 latency of the passing checks over the week, per monitor; null when none passed. */
  p95Ms: Readonly<Record<string, number | null>>;
}

export interface ReviewIncident {
  id: number;
  monitorId: string;
  name: string;
  startedAt: number;
  endedAt: number | null;
  /** Start to recovery, or to the end of the week while still going on. */
  durationMs: number;
  /** The part of it inside the week. */
  inWeekMs: number;
  diagnosis: string;
}

export interface MonitorRow {
  monitorId: string;
  name: string;
  target: string;
  tier: number;
  checks: number;
  upPct: number | null;
  p95Ms: number | null;
  incidents: number;
  downtimeMs: number;
  flappingNow: boolean;
}

export interface Review {
  from: number;
  to: number;
  summary: {
    incidents: number;
    ongoing: number;
    monitorsAffected: number;
    /** Sum of the incidents' time inside the week. */
    downtimeMs: number;
    /** Mean and median time to recover, over the incidents that ended; null if none did. */
    meanRecoveryMs: number | null;
    medianRecoveryMs: number | null;
    longestMs: number | null;
  };
  /** Newest first. */
  incidents: ReviewIncident[];
  flapping: MonitorRow[];
  noisiest: MonitorRow[];
  slowest: MonitorRow[];
  /** Every monitor, least available first; those without checks last. */
  uptime: MonitorRow[];
}

export const targetOf = (m: ReviewMonitor): string => m.url ?? `${m.host}:${m.port}`;

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function buildReview(input: ReviewInput): Review {
  const { from, to } = input;
  const byId = new Map(input.monitors.map((m) => [m.id, m]));
  const incidents: ReviewIncident[] = input.incidents
    .filter((i) => i.startedAt < to && (i.endedAt === null || i.endedAt >= from))
    .map((i) => {
      const end = i.endedAt ?? to;
      return {
        id: i.id,
        monitorId: i.monitorId,
        name: byId.get(i.monitorId)?.name ?? i.monitorId,
        startedAt: i.startedAt,
        endedAt: i.endedAt,
        durationMs: Math.max(0, end - i.startedAt),
        inWeekMs: Math.max(0, Math.min(end, to) - Math.max(i.startedAt, from)),
        diagnosis: i.diagnosis,
      };
    })
    .sort((a, b) => b.startedAt - a.startedAt || b.id - a.id);

  const recoveries = incidents.filter((i) => i.endedAt !== null).map((i) => i.durationMs);
  const perMonitor = new Map<string, { count: number; downtimeMs: number }>();
  for (const i of incidents) {
    const p = perMonitor.get(i.monitorId) ?? { count: 0, downtimeMs: 0 };
    perMonitor.set(i.monitorId, { count: p.count + 1, downtimeMs: p.downtimeMs + i.inWeekMs });
  }

  const rows: MonitorRow[] = input.monitors.map((m) => ({
    monitorId: m.id,
    name: m.name,
    target: targetOf(m),
    tier: m.tier,
    checks: input.uptime[m.id]?.checks ?? 0,
    upPct: input.uptime[m.id]?.upPct ?? null,
    p95Ms: input.p95Ms[m.id] ?? null,
    incidents: perMonitor.get(m.id)?.count ?? 0,
    downtimeMs: perMonitor.get(m.id)?.downtimeMs ?? 0,
    flappingNow: input.flappingNow.has(m.id),
  }));
  const byName = (a: MonitorRow, b: MonitorRow): number => a.name.localeCompare(b.name);

  return {
    from,
    to,
    summary: {
      incidents: incidents.length,
      ongoing: incidents.filter((i) => i.endedAt === null).length,
      monitorsAffected: perMonitor.size,
      downtimeMs: incidents.reduce((sum, i) => sum + i.inWeekMs, 0),
      meanRecoveryMs: recoveries.length ? recoveries.reduce((a, b) => a + b, 0) / recoveries.length : null,
      medianRecoveryMs: median(recoveries),
      longestMs: incidents.length ? Math.max(...incidents.map((i) => i.durationMs)) : null,
    },
    incidents,
    flapping: rows
      .filter((r) => r.flappingNow || r.incidents >= FLAPPING_INCIDENTS)
      .sort((a, b) => b.incidents - a.incidents || byName(a, b)),
    noisiest: rows
      .filter((r) => r.incidents > 0)
      .sort((a, b) => b.incidents - a.incidents || b.downtimeMs - a.downtimeMs || byName(a, b))
      .slice(0, TOP),
    slowest: rows
      .filter((r) => r.p95Ms !== null)
      .sort((a, b) => (b.p95Ms as number) - (a.p95Ms as number) || byName(a, b))
      .slice(0, TOP),
    uptime: [...rows].sort((a, b) => {
      if (a.upPct === null || b.upPct === null)
        return (a.upPct === null ? 1 : 0) - (b.upPct === null ? 1 : 0) || byName(a, b);
      return a.upPct - b.upPct || byName(a, b);
    }),
  };
}

/** The p95 of a week from series points: one bucket is asked for; should there be more, the worst. */
export function weekP95(points: readonly { count: number; p95Ms: number | null }[]): number | null {
  const known = points.filter((p) => p.p95Ms !== null).map((p) => p.p95Ms as number);
  return known.length ? Math.max(...known) : null;
}
