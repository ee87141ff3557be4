import type { Alert, ChannelKind, Delivery } from '../../../shared/alerts';

// The alert vocabulary (Alert, Delivery, …) is plain data shared with the window: shared/alerts.ts.
export type { Alert, AlertKind, AlertSubject, ChannelKind, Delivery, Severity } from '../../../shared/alerts';

/** One way of telling people; send never throws, it reports. */
export interface Channel {
  kind: ChannelKind;
  /** The configured channel's id, e.g. "ops-telegram". */
  id: string;
  send: (alert: Alert, signal: AbortSignal) => Promise<Delivery>;
}
