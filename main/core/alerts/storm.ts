// Alert storms: when one host loses several services at once, people want one message naming the
// host and the ports, not one per port. And when this machine is offline, every monitor fails
// at once for a reason that has nothing to do with them: only the offline notice goes out.

import type { Clock } from '../clock';
import type { Alert, AlertKind, Severity } from './types';

export const DEFAULT_STORM_WINDOW_MS = 10_000;

export interface StormOptions {
  clock: Clock;
  /** How long after the first down (or recovery) of a host to wait for more of the same. */
  windowMs?: number;
}

interface Group {
  key: string;
  kind: AlertKind;
  host: string;
  opened: number;
  closes: number;
  seq: number;
  alerts: Alert[];
}

const GROUPED = new Set<AlertKind>(['down', 'recovered']);
const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/**
 * Groups per-host down and recovered alerts arriving within a fixed window (opened by the first
 * one, never extended, so a trickle cannot hold alerts back for long). Other alerts wait for
 * nothing: they come out at the next flush. Nothing runs by itself: call flush(now), e.g. when
 * nextDue() says so.
 */
export class StormGrouper {
  private readonly clock: Clock;
  private readonly windowMs: number;
  private readonly groups = new Map<string, Group>();
  private seq = 0;
  private offline = false;
  /** Monitors whose down alert was dropped while offline: their recovery is not news either. */
  private readonly dropped = new Set<string>();

  constructor(options: StormOptions) {
    this.clock = options.clock;
    this.windowMs = options.windowMs ?? DEFAULT_STORM_WINDOW_MS;
  }

  get isOffline(): boolean {
    return this.offline;
  }

  /** Takes an alert in; returns false when it was dropped (offline, or a repeated offline notice). */
  add(alert: Alert): boolean {
    const now = Math.max(this.clock.now(), alert.at);
    if (alert.kind === 'offline') {
      if (this.offline) return false;
      this.offline = true;
      // Outages confirmed in the last moments were most likely this machine's own network.
      for (const [key, g] of this.groups) {
        if (g.kind !== 'down') continue;
        for (const a of g.alerts) for (const s of a.subjects) this.dropped.add(s.monitorId);
        this.groups.delete(key);
      }
      this.push(`net:${alert.id}`, alert, '', now, 0);
      return true;
    }
    if (alert.kind === 'online') {
      if (!this.offline) return false;
      this.offline = false;
      this.push(`net:${alert.id}`, alert, '', now, 0);
      return true;
    }
    const ids = alert.subjects.map((s) => s.monitorId);
    if (this.offline) {
      if (alert.kind === 'down') for (const id of ids) this.dropped.add(id);
      return false;
    }
    if (alert.kind === 'recovered' && ids.length > 0 && ids.every((id) => this.dropped.has(id))) {
      for (const id of ids) this.dropped.delete(id);
      return false;
    }
    if (alert.kind === 'down') for (const id of ids) this.dropped.delete(id);
    const host = alert.subjects.length === 1 ? alert.subjects[0]?.host : undefined;
    if (host !== undefined && GROUPED.has(alert.kind))
      this.push(`${alert.kind}:${host}`, alert, host, now, this.windowMs);
    else this.push(`one:${alert.id}:${this.seq}`, alert, host ?? '', now, 0);
    return true;
  }

  private push(key: string, alert: Alert, host: string, now: number, windowMs: number): void {
    const g = this.groups.get(key);
    if (g) {
      g.alerts.push(alert);
      return;
    }
    this.groups.set(key, {
      key,
      kind: alert.kind,
      host,
      opened: now,
      closes: now + windowMs,
      seq: this.seq++,
      alerts: [alert],
    });
  }

  /** When the next window closes (epoch ms), or undefined when nothing is waiting. */
  nextDue(): number | undefined {
    let due: number | undefined;
    for (const g of this.groups.values()) due = due === undefined ? g.closes : Math.min(due, g.closes);
    return due;
  }

  /** The alerts whose window has closed by `now`, grouped, in the order their windows opened. */
  flush(now: number = this.clock.now()): Alert[] {
    const ready = [...this.groups.values()].filter((g) => g.closes <= now).sort((a, b) => a.seq - b.seq);
    for (const g of ready) this.groups.delete(g.key);
    return ready.map((g) => (g.alerts.length === 1 && g.alerts[0] ? g.alerts[0] : merge(g)));
  }
}

/** One alert for several monitors of one host: "db-1: 3 services down (5432, 6379, 11211)". */
export function merge(g: Pick<Group, 'host' | 'kind' | 'alerts'>): Alert {
  const alerts = [...g.alerts].sort((a, b) => (a.subjects[0]?.port ?? 0) - (b.subjects[0]?.port ?? 0));
  const subjects = alerts.flatMap((a) => a.subjects);
  const ports = subjects.map((s) => s.port).join(', ');
  const first = alerts.reduce((min, a) => Math.min(min, a.at), Number.POSITIVE_INFINITY);
  const severity = alerts.reduce<Severity>((s, a) => (RANK[a.severity] > RANK[s] ? a.severity : s), 'info');
  const tier = alerts.reduce((t, a) => (a.tier < t ? a.tier : t), 3 as Alert['tier']);
  const verb = g.kind === 'down' ? 'down' : 'recovered';
  const title = `${g.host}: ${subjects.length} services ${verb} (${ports})`;
  const intro =
    g.kind === 'down'
      ? `${subjects.length} services on ${g.host} stopped answering within seconds of each other; the host itself may be down.`
      : `${subjects.length} services on ${g.host} answer again.`;
  const sections = alerts.map((a) => `— ${a.title}\n${a.body}`);
  return {
    id: `host:${g.host}:${g.kind}:${first}`,
    kind: g.kind,
    severity,
    tier,
    at: first,
    title,
    body: [intro, '', ...sections].join('\n'),
    subjects,
  };
}
