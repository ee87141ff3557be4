// To whom an alert goes: the tier's channels, a monitor's own override, and a severity rule.
// Pure: the same alert and settings always give the same channels.

import { TIERS, type Tier } from '../../../shared/catalog';
import type { Alert, ChannelKind, Severity } from './types';

export interface MonitorRouting {
  /** Replaces the tier's channels for this monitor. */
  channels?: ChannelKind[];
}

export interface AlertRouting {
  /** Where each tier's alerts go. */
  tiers: Record<Tier, readonly ChannelKind[]>;
  /**
   * The least severe alert a channel still carries. Recoveries are exempt: they go wherever the
   * outage went, or someone woken by a critical alert would never hear it is over.
   */
  minSeverity: Partial<Record<ChannelKind, Severity>>;
  /**
   * Where 'offline' and 'online' go. Desktop only by default: when this machine's network is
   * down, Telegram, e-mail and webhooks cannot be reached anyway, and once it is back the news
   * that it was gone matters only to the person at this machine.
   */
  network: readonly ChannelKind[];
}

export const DEFAULT_ROUTING: AlertRouting = {
  tiers: { 1: [...TIERS[1].channels], 2: [...TIERS[2].channels], 3: [...TIERS[3].channels] },
  // A phone buzzing for "stopped flapping" is noise; warnings and worse go everywhere.
  minSeverity: { telegram: 'warning' },
  network: ['desktop'],
};

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };
const ORDER: readonly ChannelKind[] = ['desktop', 'telegram', 'email', 'webhook'];

/** Alerts that follow an earlier one to the same place, whatever their own severity. */
const FOLLOWS_OUTAGE = new Set<Alert['kind']>(['recovered', 'reminder']);

/**
 * The channels an alert goes to, in a fixed order (desktop, telegram, email, webhook).
 * - offline/online: routing.network (desktop by default), no per-monitor overrides.
 * - otherwise: for each subject its override's channels, or the tier's; a grouped alert goes to
 *   the union of its subjects' channels.
 * - then the severity rule drops channels whose minSeverity is above the alert's, except for
 *   recoveries and reminders, which go where the down alert went (as the down alert's routing).
 */
export function routeAlert(
  alert: Alert,
  routing: AlertRouting = DEFAULT_ROUTING,
  monitorOverrides: Readonly<Record<string, MonitorRouting>> = {},
): ChannelKind[] {
  if (alert.kind === 'offline' || alert.kind === 'online') return sorted(new Set(routing.network));
  const tierChannels = routing.tiers[alert.tier];
  const chosen = new Set<ChannelKind>();
  if (alert.subjects.length === 0) for (const c of tierChannels) chosen.add(c);
  for (const s of alert.subjects)
    for (const c of monitorOverrides[s.monitorId]?.channels ?? tierChannels) chosen.add(c);
  // A recovery is judged by the severity its outage had, so it reaches every channel the down reached.
  const severity: Severity = FOLLOWS_OUTAGE.has(alert.kind)
    ? alert.tier === 1
      ? 'critical'
      : 'warning'
    : alert.severity;
  for (const c of [...chosen]) {
    const min = routing.minSeverity[c];
    if (min && RANK[severity] < RANK[min]) chosen.delete(c);
  }
  return sorted(chosen);
}

const sorted = (set: ReadonlySet<ChannelKind>): ChannelKind[] => ORDER.filter((c) => set.has(c));
