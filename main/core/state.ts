// The monitor state machine: a pure function from (state, event, policy) to the next state, the
// transitions worth telling people about, and when the engine should check again. Keeping it
// pure (no clock, no I/O) lets every rule be tested by feeding events, and lets the engine
// replay history to rebuild state.

import type { Policy } from '../../shared/monitor';
import { formatDuration } from '../../shared/duration';
import type { ProbeResult } from '../../shared/probe';
import type {
  MonitorState,
  MonitorStatus,
  OpenIncident,
  ResultClass,
  ResultSummary,
  Transition,
} from '../../shared/status';
import { certificateCause } from './certificate-expiry';
import { FLAP_WINDOW, flapVerdict, formatMs, nextBaseline, normalSpeed, slowCause } from './flapping';

export { FLAP_START, FLAP_STOP, FLAP_WINDOW } from './flapping';

export type StateEvent =
  | { type: 'result'; at: number; result: ProbeResult }
  | { type: 'pause'; at: number }
  | { type: 'resume'; at: number }
  | { type: 'maintenance'; at: number; active: boolean };

export interface Step {
  state: MonitorState;
  transitions: Transition[];
  next: 'interval' | 'retry' | 'none';
}

export function initialState(at: number): MonitorState {
  return {
    status: 'unknown',
    since: at,
    consecutiveFailures: 0,
    consecutiveSuccesses: 0,
    recent: [],
    flapping: false,
    baselineSamples: 0,
  };
}

export function reduce(state: MonitorState, event: StateEvent, policy: Policy): Step {
  switch (event.type) {
    case 'result':
      return onResult(state, event.at, event.result, policy);
    case 'pause':
      return onPause(state, event.at);
    case 'resume':
      return state.status === 'paused' ? restart(state, event.at, 'resumed') : unchanged(state);
    case 'maintenance':
      if (state.status === 'paused') return unchanged(state);
      if (event.active) return onMaintenanceStart(state, event.at);
      return state.status === 'maintenance' ? restart(state, event.at, 'maintenance window ended') : unchanged(state);
  }
}

export function isSlow(state: MonitorState, result: ProbeResult, policy: Policy): boolean {
  return result.outcome === 'ok' && slowCause(state, result.ms, policy.slowMs) !== undefined;
}

/** What the engine should do when the event changed nothing: carry on as the status implies. */
function unchanged(state: MonitorState): Step {
  const confirming = state.status === 'pending' || (state.status === 'down' && state.consecutiveSuccesses > 0);
  return {
    state,
    transitions: [],
    next: state.status === 'paused' ? 'none' : confirming ? 'retry' : 'interval',
  };
}

function moveTo(state: MonitorState, status: MonitorStatus, at: number): MonitorState {
  return status === state.status ? state : { ...state, status, since: at };
}

function onPause(state: MonitorState, at: number): Step {
  if (state.status === 'paused') return unchanged(state);
  // Paused from a maintenance window, the status worth remembering is the one before the window.
  const resumeTo = state.status === 'maintenance' ? state.resumeTo : state.status;
  return {
    state: { ...moveTo(state, 'paused', at), resumeTo },
    transitions: [{ from: state.status, to: 'paused', at, reason: 'paused: no checks until resumed' }],
    next: 'none',
  };
}

function onMaintenanceStart(state: MonitorState, at: number): Step {
  if (state.status === 'maintenance') return unchanged(state);
  return {
    state: { ...moveTo(state, 'maintenance', at), resumeTo: state.status },
    transitions: [
      { from: state.status, to: 'maintenance', at, reason: 'maintenance window started: results are not judged' },
    ],
    next: 'interval',
  };
}

/**
 * Ends a pause or maintenance window with fresh counters, so the next results decide afresh.
 * An outage that was open before stays open and the monitor comes back as down: the next failure
 * then changes nothing (nothing is re-sent) and the next pass closes the outage the usual way.
 */
function restart(state: MonitorState, at: number, why: string): Step {
  const { resumeTo: _resumeTo, failingSince: _failingSince, ...rest } = state;
  const to: MonitorStatus = state.incident ? 'down' : 'unknown';
  const reason = state.incident
    ? `${why}: the outage is still open until a check passes`
    : `${why}: the next check decides the status`;
  return {
    state: { ...moveTo(rest, to, at), consecutiveFailures: 0, consecutiveSuccesses: 0 },
    transitions: [{ from: state.status, to, at, reason }],
    next: 'interval',
  };
}

interface Judged {
  state: MonitorState;
  transition?: Transition;
  next: Step['next'];
}

function onResult(state: MonitorState, at: number, result: ProbeResult, policy: Policy): Step {
  if (state.status === 'paused' || state.status === 'maintenance') return unchanged(state);
  const passed = result.outcome === 'ok';
  const slowness = passed ? slowCause(state, result.ms, policy.slowMs) : undefined;
  // A certificate about to expire degrades a passing check as slowness does, but it says
  // nothing about speed, so it neither counts as slow nor keeps the sample from the baseline.
  const slow =
    slowness !== undefined
      ? `slow: ${slowness}`
      : passed
        ? (certificateCause(result, policy.certWarnDays) ?? result.degraded)
        : undefined;
  const summary: ResultSummary = {
    at,
    outcome: result.outcome,
    phase: result.phase,
    ms: result.ms,
    detail: result.detail,
    diagnosis: result.diagnosis,
    slow: slow !== undefined,
  };
  const cls: ResultClass = !passed ? 'fail' : slow ? 'slow' : 'ok';
  const recorded: MonitorState = {
    ...state,
    last: summary,
    recent: [...state.recent, cls].slice(-FLAP_WINDOW),
    // Slow samples stay out of the baseline, or a slowdown would become the new normal.
    ...(passed && slowness === undefined ? nextBaseline(state, result.ms) : {}),
  };
  const judged = passed ? onPass(recorded, at, summary, slow, policy) : onFail(recorded, at, summary, policy);
  return withFlapping(judged, at, summary);
}

function onPass(
  state: MonitorState,
  at: number,
  result: ResultSummary,
  slow: string | undefined,
  policy: Policy,
): Judged {
  const successes = state.consecutiveSuccesses + 1;
  const { failingSince: _failingSince, ...rest } = state;
  const counted: MonitorState = { ...rest, consecutiveSuccesses: successes, consecutiveFailures: 0 };
  const to: MonitorStatus = slow ? 'degraded' : 'up';
  const speed = slow ? `, but ${slow}` : '';
  const from = state.status;

  if (state.incident) {
    // One pass after an outage is often a blip of a service still restarting: confirm it.
    if (successes < policy.recoverySuccesses) return { state: counted, next: 'retry' };
    const { incident: _incident, ...closed } = counted;
    const incident = state.incident;
    const durationMs = at - incident.startedAt;
    const confirmed = policy.recoverySuccesses > 1 ? ` (${successes} passing checks in a row)` : '';
    return {
      state: moveTo(closed, to, at),
      transition: {
        from,
        to,
        at,
        reason: `recovered after ${formatDuration(durationMs)}${confirmed}${speed}`,
        result,
        incident: { action: 'closed', incident, endedAt: at, durationMs },
      },
      next: 'interval',
    };
  }

  if (from === to) return { state: counted, next: 'interval' };
  let reason: string;
  if (from === 'pending') reason = `passed on retry: the failure was not confirmed${speed}`;
  else if (from === 'up') reason = slow ?? '';
  else if (from === 'degraded') reason = `back to normal speed: ${normalSpeed(state, result.ms, policy.slowMs)}`;
  else reason = `check passed in ${formatMs(result.ms)}${speed}`;
  return { state: moveTo(counted, to, at), transition: { from, to, at, reason, result }, next: 'interval' };
}

function onFail(state: MonitorState, at: number, result: ResultSummary, policy: Policy): Judged {
  const failures = state.consecutiveFailures + 1;
  const failingSince = state.failingSince ?? at;
  const counted: MonitorState = { ...state, consecutiveFailures: failures, consecutiveSuccesses: 0, failingSince };
  const from = state.status;
  const cause = result.diagnosis ? `${result.outcome}: ${result.diagnosis}` : result.outcome;

  // Already down: people were told once; repeating it on every check would be noise.
  if (from === 'down') return { state: counted, next: 'interval' };

  if (state.incident) {
    // An outage is already open (a state from elsewhere): it needs no new confirmation nor a new incident.
    return {
      state: moveTo(counted, 'down', at),
      transition: { from, to: 'down', at, reason: `still down: ${cause}`, result },
      next: 'interval',
    };
  }

  if (failures > policy.retries) {
    const incident: OpenIncident = {
      startedAt: failingSince,
      confirmedAt: at,
      outcome: result.outcome,
      phase: result.phase,
      diagnosis: result.diagnosis,
    };
    const reason =
      failures === 1
        ? `down after 1 failed check (no retries configured): ${cause}`
        : `confirmed down after ${failures} failed checks in a row: ${cause}`;
    return {
      state: { ...moveTo(counted, 'down', at), incident },
      transition: { from, to: 'down', at, reason, result, incident: { action: 'opened', incident } },
      next: 'interval',
    };
  }

  if (from === 'pending') return { state: counted, next: 'retry' };
  return {
    state: moveTo(counted, 'pending', at),
    transition: {
      from,
      to: 'pending',
      at,
      reason: `check failed (${cause}); re-checking to confirm: ${policy.retries + 1} failures in a row mean down`,
      result,
    },
    next: 'retry',
  };
}

function withFlapping(judged: Judged, at: number, result: ResultSummary): Step {
  const { state, transition, next } = judged;
  const verdict = flapVerdict(state.recent, state.flapping);
  if (!verdict) return { state, transitions: transition ? [transition] : [], next };
  const { change, words } = verdict;
  const flagged: Transition = transition
    ? { ...transition, reason: `${transition.reason}; ${words}`, flapping: change }
    : { from: state.status, to: state.status, at, reason: words, result, flapping: change };
  return { state: { ...state, flapping: change === 'started' }, transitions: [flagged], next };
}
