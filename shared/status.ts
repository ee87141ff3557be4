// Monitor states and the transitions between them: the vocabulary the engine speaks to every
// front end (tray, window, CLI, serve) and to the alert router.

import type { Outcome, Phase } from './probe';

export const STATUSES = ['unknown', 'up', 'degraded', 'pending', 'down', 'paused', 'maintenance'] as const;
export type MonitorStatus = (typeof STATUSES)[number];

/** One result as the state machine keeps it: enough to explain, small enough to keep many. */
export interface ResultSummary {
  at: number;
  outcome: Outcome;
  phase: Phase;
  ms: number;
  detail: string;
  diagnosis: string;
  /** Whether the check passed but above the slow threshold or well above its own normal. */
  slow: boolean;
}

/** What the last ~20 results were, for flapping: ok, slow (passed but degraded) or failed. */
export type ResultClass = 'ok' | 'slow' | 'fail';

export interface OpenIncident {
  /** When the first failed attempt of this outage happened (not when it was confirmed). */
  startedAt: number;
  confirmedAt: number;
  outcome: Outcome;
  phase: Phase;
  diagnosis: string;
}

export interface MonitorState {
  status: MonitorStatus;
  /** When the current status began (epoch ms). */
  since: number;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  /** When the first failure of the current failing streak happened. */
  failingSince?: number;
  /** Result classes of the most recent checks, oldest first (at most FLAP_WINDOW). */
  recent: ResultClass[];
  flapping: boolean;
  /** The monitor's own normal latency (a moving average of passing, non-slow checks). */
  baselineMs?: number;
  baselineSamples: number;
  last?: ResultSummary;
  incident?: OpenIncident;
  /** The status to return to when a pause or maintenance window ends. */
  resumeTo?: MonitorStatus;
}

export interface Transition {
  from: MonitorStatus;
  to: MonitorStatus;
  at: number;
  /** In words: "confirmed down after 2 failed checks: refused", "recovered after 3 min". */
  reason: string;
  result?: ResultSummary;
  incident?:
    | { action: 'opened'; incident: OpenIncident }
    | { action: 'closed'; incident: OpenIncident; endedAt: number; durationMs: number };
  flapping?: 'started' | 'stopped';
}
