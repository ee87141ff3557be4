import type { ChannelKind } from '../../../shared/alerts';
import type { Tier } from '../../../shared/catalog';

export type { ChannelKind };

// The alert vocabulary shared by the router (what to say, to whom), the outbox (never lose it)
// and the channels (how to deliver it). Channels know nothing about monitors beyond this.

export type AlertKind =
  | 'down'
  | 'recovered'
  | 'degraded'
  | 'certificate'
  | 'flapping-started'
  | 'flapping-stopped'
  | 'offline'
  | 'online'
  | 'reminder'
  | 'test';

export type Severity = 'critical' | 'warning' | 'info';

export interface AlertSubject {
  monitorId: string;
  name: string;
  host: string;
  port: number;
}

export interface Alert {
  /** Stable for the same event, so a retried or replayed alert is recognised. */
  id: string;
  kind: AlertKind;
  severity: Severity;
  tier: Tier;
  /** When the event happened (epoch ms). */
  at: number;
  /** One line: "orders-db (10.0.0.6:5432) is DOWN". */
  title: string;
  /** What is wrong, since when, why (the diagnosis), on which host and port. */
  body: string;
  /** One monitor, or several when a storm was grouped (e.g. many ports of one host). */
  subjects: AlertSubject[];
}

export interface Delivery {
  ok: boolean;
  /** What happened, in words a person can act on: "Telegram rejected the bot token (401)". */
  detail: string;
  /** Whether trying again later may help (network down, 5xx) or not (bad token, 4xx). */
  retryable: boolean;
}

/** One way of telling people; send never throws, it reports. */
export interface Channel {
  kind: ChannelKind;
  /** The configured channel's id, e.g. "ops-telegram". */
  id: string;
  send: (alert: Alert, signal: AbortSignal) => Promise<Delivery>;
}
