// The two statistics the state machine keeps about a monitor's recent history: how often it
// changed state (flapping) and how fast it normally answers (its latency baseline).

import type { MonitorState, ResultClass } from '../../shared/status';

export const FLAP_WINDOW = 21; // results kept for flapping (Nagios uses 21 -> 20 changes)
export const FLAP_START = 0.5; // weighted share of state changes at which flapping starts
export const FLAP_STOP = 0.25; // ... and below which it stops (hysteresis)

/** Below this many results a few changes would look like a high share: too early to judge. */
const FLAP_MIN_RESULTS = 10;

/**
 * Nagios-style weighted share of state changes between consecutive results, oldest first.
 * Newer changes weigh more (0.8 for the oldest to 1.2 for the newest), so a monitor that has
 * just settled stops counting as flapping sooner than one that has just started bouncing.
 */
export function flapShare(recent: readonly ResultClass[]): number {
  const changes = recent.length - 1;
  if (changes < 1) return 0;
  let changed = 0;
  let total = 0;
  for (let i = 1; i < recent.length; i++) {
    const weight = changes === 1 ? 1 : 0.8 + (0.4 * (i - 1)) / (changes - 1);
    total += weight;
    if (recent[i] !== recent[i - 1]) changed += weight;
  }
  return changed / total;
}

/** Whether flapping starts or stops with this history, and how to say so; undefined if neither. */
export function flapVerdict(
  recent: readonly ResultClass[],
  flapping: boolean,
): { change: 'started' | 'stopped'; words: string } | undefined {
  if (recent.length < FLAP_MIN_RESULTS) return undefined;
  const share = flapShare(recent);
  const percent = `${Math.round(share * 100)}% of the last ${recent.length} checks changed state`;
  if (!flapping && share >= FLAP_START)
    return { change: 'started', words: `flapping: ${percent} (starts at ${FLAP_START * 100}%)` };
  if (flapping && share < FLAP_STOP)
    return { change: 'stopped', words: `stopped flapping: ${percent} (stops below ${FLAP_STOP * 100}%)` };
  return undefined;
}

/** A smoothing factor of 0.1 follows a real shift within ~20 checks but shrugs off one odd sample. */
const BASELINE_ALPHA = 0.1;
/** A baseline from fewer samples is too young to call anything "well above normal". */
const BASELINE_MIN_SAMPLES = 10;
const BASELINE_FACTOR = 3;
/** Loopback answers in well under a millisecond, where 3x is noise: demand a real gap too. */
const BASELINE_MARGIN_MS = 50;

export function nextBaseline(
  state: Pick<MonitorState, 'baselineMs' | 'baselineSamples'>,
  ms: number,
): { baselineMs: number; baselineSamples: number } {
  const base = state.baselineMs;
  return {
    baselineMs: base === undefined ? ms : base + BASELINE_ALPHA * (ms - base),
    baselineSamples: state.baselineSamples + 1,
  };
}

const trustedBaseline = (state: Pick<MonitorState, 'baselineMs' | 'baselineSamples'>): number | undefined =>
  state.baselineSamples >= BASELINE_MIN_SAMPLES ? state.baselineMs : undefined;

/** Why a passing check of `ms` counts as slow, naming the latency and the bar it crossed. */
export function slowCause(
  state: Pick<MonitorState, 'baselineMs' | 'baselineSamples'>,
  ms: number,
  slowMs: number,
): string | undefined {
  if (ms > slowMs) return `${formatMs(ms)} is above the ${formatMs(slowMs)} slow threshold`;
  const base = trustedBaseline(state);
  if (base !== undefined && ms > BASELINE_FACTOR * base && ms > base + BASELINE_MARGIN_MS)
    return `${formatMs(ms)} is over ${BASELINE_FACTOR}x its usual ${formatMs(base)}`;
  return undefined;
}

/** The counterpart of slowCause, for a check that is back to its normal speed. */
export function normalSpeed(
  state: Pick<MonitorState, 'baselineMs' | 'baselineSamples'>,
  ms: number,
  slowMs: number,
): string {
  const base = trustedBaseline(state);
  const usual = base === undefined ? '' : ` and within ${BASELINE_FACTOR}x its usual ${formatMs(base)}`;
  return `${formatMs(ms)} is under the ${formatMs(slowMs)} slow threshold${usual}`;
}

export function formatMs(n: number): string {
  return n < 10 ? `${Number(n.toFixed(2))} ms` : `${Math.round(n)} ms`;
}
