// What several vantage points together say of each target. Pure: the monitors each one reports
// (this instance's own, and those of every source) in, one verdict per target out. A source that
// has stopped answering says "unknown", never "down": its silence is about it, not its targets.

import type { MonitorStatus } from '../../../shared/status';
import type { TargetVerdict, VantageSeen, VantageStatus, VerdictKind, WatchedTarget } from '../../../shared/vantage';
import { isLoopback } from '../addresses';

/** One vantage point and what it reports. */
export interface VantageReport {
  name: string;
  /** The source's id; absent for this instance. */
  source?: string;
  /** Set while a source does not answer: its last known monitors are then shown as unknown. */
  unreachable?: { since: number; reason: string };
  targets: readonly WatchedTarget[];
}

/** The part of a monitor view (this instance's, or as a source sends it) a verdict needs. */
export interface ViewLike {
  monitor: Pick<WatchedTarget, 'name' | 'kind' | 'host' | 'port' | 'url' | 'check'> & { id: string };
  state?:
    | {
        status: MonitorStatus;
        since: number;
        incident?: { outcome: string; phase: string; diagnosis: string } | undefined;
        last?: { outcome: string; phase: string; diagnosis: string } | undefined;
      }
    | null
    | undefined;
}

export function watchedOf(v: ViewLike): WatchedTarget {
  const { monitor: m, state } = v;
  const failure = state?.incident ?? (state?.last && state.last.outcome !== 'ok' ? state.last : undefined);
  const failing = state?.status === 'down' || state?.status === 'pending';
  return {
    monitorId: m.id,
    name: m.name,
    kind: m.kind,
    host: m.host,
    port: m.port,
    ...(m.url !== undefined ? { url: m.url } : {}),
    ...(m.check !== undefined ? { check: m.check } : {}),
    ...(state ? { status: state.status, since: state.since } : {}),
    ...(failing && failure
      ? { why: `${failure.diagnosis || failure.outcome} (${failure.outcome} at ${failure.phase})` }
      : {}),
  };
}

const hostPort = (host: string, port: number): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/**
 * What a monitor checks: host:port/kind, and the check or URL that makes two monitors of one
 * port different. Loopback is a different machine from every vantage point, so it never matches.
 */
export function targetKey(t: Pick<WatchedTarget, 'host' | 'port' | 'kind' | 'check' | 'url'>, vantage: string): string {
  const host = t.host.toLowerCase();
  const what = t.kind === 'service' ? `/${t.check ?? ''}` : t.kind === 'http' ? ` ${t.url ?? ''}` : '';
  const key = `${hostPort(host, t.port)}/${t.kind}${what}`;
  return isLoopback(host) ? `${vantage}@${key}` : key;
}

export function vantageStatus(s: MonitorStatus | undefined): VantageStatus {
  if (s === 'up' || s === 'degraded') return 'up';
  if (s === 'down') return 'down';
  return 'unknown';
}

const when = (at: number): string => new Date(at).toISOString();

function detailOf(r: VantageReport, t: WatchedTarget): string {
  if (r.unreachable) return `${r.name} has not answered since ${when(r.unreachable.since)}: ${r.unreachable.reason}`;
  switch (t.status) {
    case 'up':
      return 'up';
    case 'degraded':
      return 'up, degraded';
    case 'down':
      return `down${t.since !== undefined ? ` since ${when(t.since)}` : ''}${t.why ? `: ${t.why}` : ''}`;
    case 'pending':
      return `failing, not yet confirmed${t.why ? `: ${t.why}` : ''}`;
    case 'paused':
      return 'paused';
    case 'maintenance':
      return 'in a maintenance window';
    default:
      return 'not checked yet';
  }
}

/** "A", "A and B", "A, B and C". */
export function names(list: readonly string[]): string {
  if (list.length <= 1) return list.join('');
  return `${list.slice(0, -1).join(', ')} and ${list[list.length - 1] ?? ''}`;
}

function splitHint(target: string, port: number, up: string[], down: VantageSeen[]): string {
  const from = names([...new Set(down.map((s) => s.vantage))]);
  const refused = down.some((s) => /\brefused\b/.test(s.detail));
  const likely = refused
    ? `something refuses the connection from ${from}: a firewall REJECT rule, or the service listening only on an address ${from} does not reach`
    : `the traffic from ${from} is dropped on the way: a firewall DROP rule, a security group or network ACL, or a missing route`;
  const saw = down.map((s) => `${s.vantage} sees ${s.detail}`).join('; ');
  return (
    `${target} answers ${names(up)}, so the service is running; ${likely}. ` +
    `Check the firewall on both ends for port ${port} from ${from}. (${saw})`
  );
}

const RANK: Record<VerdictKind, number> = { split: 0, down: 1, unknown: 2, up: 3 };

/** One verdict per target any vantage point watches; splits first, then downs, unknowns, ups. */
export function verdicts(reports: readonly VantageReport[]): TargetVerdict[] {
  const byKey = new Map<string, { first: WatchedTarget; seen: VantageSeen[] }>();
  for (const r of reports)
    for (const t of r.targets) {
      const key = targetKey(t, r.name);
      const entry = byKey.get(key) ?? { first: t, seen: [] };
      entry.seen.push({
        vantage: r.name,
        ...(r.source !== undefined ? { source: r.source } : {}),
        monitorId: t.monitorId,
        monitorName: t.name,
        status: r.unreachable ? 'unknown' : vantageStatus(t.status),
        detail: detailOf(r, t),
      });
      byKey.set(key, entry);
    }

  const out: TargetVerdict[] = [];
  for (const [key, { first, seen }] of byKey) {
    // A vantage point with two monitors on one target counts once: up if either gets through.
    const order = [...new Set(seen.map((s) => s.vantage))];
    const statusOf = (v: string): VantageStatus => {
      const mine = seen.filter((s) => s.vantage === v).map((s) => s.status);
      return mine.includes('up') ? 'up' : mine.includes('down') ? 'down' : 'unknown';
    };
    const up = order.filter((v) => statusOf(v) === 'up');
    const down = order.filter((v) => statusOf(v) === 'down');
    const unknown = order.filter((v) => statusOf(v) === 'unknown');
    const only = order.length === 1 ? `, the only vantage point watching it` : '';
    let kind: VerdictKind;
    let summary: string;
    if (up.length > 0 && down.length > 0) {
      kind = 'split';
      summary = `reachable from ${names(up)}, not from ${names(down)}`;
      if (unknown.length > 0) summary += `; unknown from ${names(unknown)}`;
    } else if (unknown.length > 0) {
      kind = 'unknown';
      summary = `unknown from ${names(unknown)}`;
      if (up.length > 0) summary += ` (up from ${names(up)})`;
      if (down.length > 0) summary += ` (down from ${names(down)})`;
    } else if (down.length > 0) {
      kind = 'down';
      summary = only ? `down from ${names(down)}${only}` : 'down everywhere';
    } else {
      kind = 'up';
      summary = only ? `up from ${names(up)}${only}` : 'up everywhere';
    }
    const target = hostPort(first.host, first.port);
    out.push({
      key,
      name: first.name,
      host: first.host,
      port: first.port,
      kind,
      summary,
      reachableFrom: up,
      notReachableFrom: down,
      unknownFrom: unknown,
      ...(kind === 'split'
        ? {
            hint: splitHint(
              target,
              first.port,
              up,
              seen.filter((s) => down.includes(s.vantage) && s.status === 'down'),
            ),
          }
        : {}),
      seen,
    });
  }
  return out.sort((a, b) => RANK[a.kind] - RANK[b.kind] || a.name.localeCompare(b.name) || a.key.localeCompare(b.key));
}

/**
 * Whether a source that is answering sees this instance's target up: a down here is then
 * probably the path from here, not the service. Sources that do not answer have no say.
 */
export function seenUpElsewhere(
  target: Pick<WatchedTarget, 'host' | 'port' | 'kind' | 'check' | 'url'>,
  here: string,
  sources: readonly VantageReport[],
): boolean {
  const key = targetKey(target, here);
  return sources.some(
    (r) =>
      r.source !== undefined &&
      !r.unreachable &&
      r.targets.some((t) => vantageStatus(t.status) === 'up' && targetKey(t, r.name) === key),
  );
}
