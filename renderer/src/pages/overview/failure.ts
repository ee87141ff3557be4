// The line a row shows when its monitor is not up: why it failed, in the probe's own words.

import type { Outcome } from '../../../../shared/probe';
import type { MonitorState } from '../../../../shared/status';
import { formatMs } from '../../format';

const OUTCOME_WORD: Record<Outcome, string> = {
  ok: 'OK',
  refused: 'Refused',
  timeout: 'Timed out',
  dns: 'DNS',
  unreachable: 'Unreachable',
  reset: 'Reset',
  tls: 'TLS',
  protocol: 'Protocol',
  error: 'Error',
};

/** Undefined when there is nothing to explain (up, or never checked). */
export function failureText(state: MonitorState | undefined): string | undefined {
  if (!state || state.status === 'up' || state.status === 'unknown') return undefined;
  // An open incident names the failure that was confirmed, which a later different failure does not replace.
  const failed = state.incident ?? (state.last && state.last.outcome !== 'ok' ? state.last : undefined);
  if (failed) return `${OUTCOME_WORD[failed.outcome]}: ${failed.diagnosis}`;
  if (state.status === 'degraded' && state.last)
    return state.last.slow ? `Slow: answered in ${formatMs(state.last.ms)}` : state.last.diagnosis;
  return undefined;
}
