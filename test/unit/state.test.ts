import { describe, expect, it } from 'vitest';
import { flapShare } from '../../main/core/flapping';
import {
  FLAP_START,
  FLAP_STOP,
  FLAP_WINDOW,
  initialState,
  isSlow,
  reduce,
  type StateEvent,
  type Step,
} from '../../main/core/state';
import type { Policy } from '../../shared/monitor';
import type { Outcome, ProbeResult } from '../../shared/probe';
import type { MonitorState, Transition } from '../../shared/status';

const T0 = 1_000_000;
const SEC = 1000;

const policyOf = (over: Partial<Policy> = {}): Policy => ({
  intervalMs: 60_000,
  timeoutMs: 3000,
  retries: 1,
  retryIntervalMs: 30_000,
  slowMs: 1500,
  recoverySuccesses: 1,
  certWarnDays: [30, 14, 7],
  ...over,
});

const ok = (ms = 20): ProbeResult => ({
  outcome: 'ok',
  phase: 'connect',
  ms,
  phases: { resolve: 1, connect: ms - 1 },
  detail: `connected in ${ms} ms`,
  diagnosis: '',
  startedAt: 0,
});

const fail = (outcome: Outcome = 'refused', diagnosis = 'nothing is listening on port 5432'): ProbeResult => ({
  outcome,
  phase: 'connect',
  ms: 2,
  phases: { resolve: 1, connect: 1 },
  detail: `connect ECONNREFUSED 10.0.0.5:5432`,
  diagnosis,
  startedAt: 0,
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * One monitor fed events in order. The state handed to the reducer is frozen, so any mutation of
 * its input throws instead of passing silently.
 */
function monitor(policy: Policy = policyOf(), state: MonitorState = initialState(T0)) {
  const log: Transition[] = [];
  let current = state;
  const send = (event: StateEvent): Step => {
    const step = reduce(deepFreeze(current), event, policy);
    current = step.state;
    log.push(...step.transitions);
    return step;
  };
  return {
    get state() {
      return current;
    },
    log,
    send,
    result: (at: number, result: ProbeResult) => send({ type: 'result', at, result }),
    pause: (at: number) => send({ type: 'pause', at }),
    resume: (at: number) => send({ type: 'resume', at }),
    maintenance: (at: number, active: boolean) => send({ type: 'maintenance', at, active }),
  };
}

/** A monitor confirmed down, its outage dating from the first failure at `T0 + 10 s`. */
function downMonitor(policy: Policy = policyOf()) {
  const m = monitor(policy);
  m.result(T0, ok());
  m.result(T0 + 10 * SEC, fail());
  m.result(T0 + 40 * SEC, fail());
  expect(m.state.status).toBe('down');
  m.log.length = 0;
  return m;
}

describe('first checks', () => {
  it('starts unknown and goes up on the first pass', () => {
    const m = monitor();
    expect(m.state.status).toBe('unknown');
    const step = m.result(T0 + SEC, ok(12));
    expect(step.state.status).toBe('up');
    expect(step.state.since).toBe(T0 + SEC);
    expect(step.next).toBe('interval');
    expect(step.transitions).toHaveLength(1);
    expect(step.transitions[0]).toMatchObject({ from: 'unknown', to: 'up', at: T0 + SEC });
    expect(step.transitions[0]?.reason).toContain('12 ms');
    expect(step.transitions[0]?.result).toMatchObject({ outcome: 'ok', ms: 12, slow: false });
  });

  it('confirms a failing first check before calling it down', () => {
    const m = monitor();
    const first = m.result(T0 + SEC, fail());
    expect(first.state.status).toBe('pending');
    expect(first.next).toBe('retry');
    expect(first.state.incident).toBeUndefined();
    expect(first.transitions[0]).toMatchObject({ from: 'unknown', to: 'pending' });
    expect(first.transitions[0]?.reason).toContain('refused');
    expect(first.transitions[0]?.incident).toBeUndefined();

    const second = m.result(T0 + 31 * SEC, fail());
    expect(second.state.status).toBe('down');
    expect(second.next).toBe('interval');
    expect(second.transitions[0]).toMatchObject({ from: 'pending', to: 'down' });
    expect(second.transitions[0]?.incident).toEqual({
      action: 'opened',
      incident: {
        startedAt: T0 + SEC,
        confirmedAt: T0 + 31 * SEC,
        outcome: 'refused',
        phase: 'connect',
        diagnosis: 'nothing is listening on port 5432',
      },
    });
  });
});

describe('failures and confirmation', () => {
  it('a failure that passes on retry was noise: back up, no incident', () => {
    const m = monitor();
    m.result(T0, ok());
    const failed = m.result(T0 + 60 * SEC, fail('timeout', 'no answer within 3 s'));
    expect(failed.state.status).toBe('pending');
    expect(failed.next).toBe('retry');
    expect(failed.transitions[0]?.reason).toContain('timeout');

    const retried = m.result(T0 + 90 * SEC, ok());
    expect(retried.state.status).toBe('up');
    expect(retried.next).toBe('interval');
    expect(retried.state.incident).toBeUndefined();
    expect(retried.state.failingSince).toBeUndefined();
    expect(retried.transitions).toHaveLength(1);
    expect(retried.transitions[0]).toMatchObject({ from: 'pending', to: 'up' });
    expect(retried.transitions[0]?.reason).toBe('passed on retry: the failure was not confirmed');
    expect(m.log.some((t) => t.incident)).toBe(false);
  });

  it('two failures in a row open an incident dated from the first failure', () => {
    const m = monitor();
    m.result(T0, ok());
    m.result(T0 + 60 * SEC, fail());
    const step = m.result(T0 + 90 * SEC, fail());
    expect(step.state.status).toBe('down');
    expect(step.state.since).toBe(T0 + 90 * SEC);
    expect(step.state.incident).toMatchObject({ startedAt: T0 + 60 * SEC, confirmedAt: T0 + 90 * SEC });
    expect(step.transitions[0]?.incident?.action).toBe('opened');
    expect(step.transitions[0]?.reason).toMatch(/confirmed down after 2 failed checks.*refused/);
  });

  it('with retries 0 the first failure is down at once', () => {
    const m = monitor(policyOf({ retries: 0 }));
    m.result(T0, ok());
    const step = m.result(T0 + 60 * SEC, fail('dns', 'the name does not resolve'));
    expect(step.state.status).toBe('down');
    expect(step.next).toBe('interval');
    expect(step.transitions).toHaveLength(1);
    expect(step.transitions[0]).toMatchObject({ from: 'up', to: 'down' });
    expect(step.transitions[0]?.incident).toMatchObject({
      action: 'opened',
      incident: { startedAt: T0 + 60 * SEC, confirmedAt: T0 + 60 * SEC, outcome: 'dns' },
    });
    expect(step.transitions[0]?.reason).toContain('the name does not resolve');
  });

  it('with retries 2 it stays pending through the second failure and is down on the third', () => {
    const m = monitor(policyOf({ retries: 2 }));
    m.result(T0, ok());
    expect(m.result(T0 + 60 * SEC, fail()).state.status).toBe('pending');
    const second = m.result(T0 + 90 * SEC, fail());
    expect(second.state.status).toBe('pending');
    expect(second.transitions).toEqual([]);
    expect(second.next).toBe('retry');
    expect(second.state.since).toBe(T0 + 60 * SEC);
    const third = m.result(T0 + 120 * SEC, fail());
    expect(third.state.status).toBe('down');
    expect(third.transitions[0]?.reason).toContain('after 3 failed checks');
    expect(third.state.incident?.startedAt).toBe(T0 + 60 * SEC);
  });

  it('further failures while down change nothing worth telling, but are remembered', () => {
    const m = downMonitor();
    const incident = m.state.incident;
    const since = m.state.since;
    const step = m.result(T0 + 100 * SEC, fail('reset', 'the connection was reset'));
    expect(step.state.status).toBe('down');
    expect(step.transitions).toEqual([]);
    expect(step.next).toBe('interval');
    expect(step.state.incident).toEqual(incident);
    expect(step.state.since).toBe(since);
    expect(step.state.last).toMatchObject({ at: T0 + 100 * SEC, outcome: 'reset' });
    expect(step.state.consecutiveFailures).toBe(3);
  });

  it('a slow (degraded) monitor that fails goes to pending', () => {
    const m = monitor();
    m.result(T0, ok(2000));
    expect(m.state.status).toBe('degraded');
    const step = m.result(T0 + 60 * SEC, fail());
    expect(step.state.status).toBe('pending');
    expect(step.transitions[0]).toMatchObject({ from: 'degraded', to: 'pending' });
    expect(step.next).toBe('retry');
  });
});

describe('recovery', () => {
  it('one pass closes the incident when recoverySuccesses is 1, with its full duration', () => {
    const m = downMonitor();
    const at = T0 + 10 * SEC + 200 * SEC;
    const step = m.result(at, ok());
    expect(step.state.status).toBe('up');
    expect(step.state.incident).toBeUndefined();
    expect(step.next).toBe('interval');
    const t = step.transitions[0];
    expect(t).toMatchObject({ from: 'down', to: 'up', at });
    expect(t?.reason).toBe('recovered after 3 min 20 s');
    expect(t?.incident).toMatchObject({
      action: 'closed',
      incident: { startedAt: T0 + 10 * SEC },
      endedAt: at,
      durationMs: 200 * SEC,
    });
  });

  it('needs recoverySuccesses passes in a row, re-checking sooner meanwhile', () => {
    const m = downMonitor(policyOf({ recoverySuccesses: 3 }));
    const first = m.result(T0 + 100 * SEC, ok());
    expect(first.state.status).toBe('down');
    expect(first.transitions).toEqual([]);
    expect(first.next).toBe('retry');

    // A failure in between means it did not recover: the count starts again.
    const relapse = m.result(T0 + 130 * SEC, fail());
    expect(relapse.state.status).toBe('down');
    expect(relapse.next).toBe('interval');
    expect(relapse.transitions).toEqual([]);

    expect(m.result(T0 + 160 * SEC, ok()).next).toBe('retry');
    expect(m.result(T0 + 190 * SEC, ok()).state.status).toBe('down');
    const third = m.result(T0 + 220 * SEC, ok());
    expect(third.state.status).toBe('up');
    expect(third.transitions[0]?.incident).toMatchObject({ action: 'closed', durationMs: 210 * SEC });
    expect(third.transitions[0]?.reason).toContain('3 passing checks in a row');
    expect(m.log.filter((t) => t.incident?.action === 'opened')).toHaveLength(0);
  });

  it('recovering into a slow answer lands in degraded, still closing the incident', () => {
    const m = downMonitor();
    const step = m.result(T0 + 70 * SEC, ok(2000));
    expect(step.state.status).toBe('degraded');
    expect(step.transitions[0]?.incident?.action).toBe('closed');
    expect(step.transitions[0]?.reason).toContain('slow');
  });
});

describe('slow is degraded', () => {
  it('moves up -> degraded above the threshold and back below it, naming both figures', () => {
    const m = monitor(policyOf({ slowMs: 500 }));
    m.result(T0, ok(40));
    const slow = m.result(T0 + 60 * SEC, ok(812));
    expect(slow.state.status).toBe('degraded');
    expect(slow.state.last?.slow).toBe(true);
    expect(slow.transitions[0]).toMatchObject({ from: 'up', to: 'degraded' });
    expect(slow.transitions[0]?.result?.slow).toBe(true);
    expect(slow.transitions[0]?.reason).toContain('812 ms');
    expect(slow.transitions[0]?.reason).toContain('500 ms');

    const still = m.result(T0 + 120 * SEC, ok(900));
    expect(still.transitions).toEqual([]);

    const back = m.result(T0 + 180 * SEC, ok(45));
    expect(back.state.status).toBe('up');
    expect(back.state.last?.slow).toBe(false);
    expect(back.transitions[0]).toMatchObject({ from: 'degraded', to: 'up' });
    expect(back.transitions[0]?.reason).toContain('45 ms');
    expect(back.transitions[0]?.reason).toContain('500 ms');
  });

  it('judges against the monitor’s own normal once it has 10 samples', () => {
    const m = monitor();
    for (let i = 0; i < 9; i++) m.result(T0 + i * 60 * SEC, ok(20));
    // Nine samples: too few to trust, so 100 ms (well under the 1500 ms threshold) is fine.
    expect(isSlow(m.state, ok(100), policyOf())).toBe(false);
    m.result(T0 + 9 * 60 * SEC, ok(20));
    expect(m.state.baselineSamples).toBe(10);
    expect(m.state.baselineMs).toBeCloseTo(20);

    const step = m.result(T0 + 10 * 60 * SEC, ok(100));
    expect(step.state.status).toBe('degraded');
    expect(step.transitions[0]?.reason).toContain('100 ms');
    expect(step.transitions[0]?.reason).toContain('usual 20 ms');
    // Slow samples do not drag the normal up.
    expect(step.state.baselineSamples).toBe(10);
    expect(step.state.baselineMs).toBeCloseTo(20);

    const back = m.result(T0 + 11 * 60 * SEC, ok(25));
    expect(back.state.status).toBe('up');
    expect(back.state.baselineSamples).toBe(11);
  });

  it('does not call sub-millisecond loopback slow for a few milliseconds more', () => {
    const m = monitor();
    for (let i = 0; i < 12; i++) m.result(T0 + i * SEC, ok(0.3));
    expect(isSlow(m.state, ok(5), policyOf())).toBe(false);
    expect(isSlow(m.state, ok(60), policyOf())).toBe(true);
    expect(m.result(T0 + 20 * SEC, ok(5)).state.status).toBe('up');
  });

  it('never calls a failed check slow', () => {
    expect(isSlow(initialState(T0), { ...fail(), ms: 5000 }, policyOf())).toBe(false);
  });
});

describe('flapping', () => {
  const alternate = (m: ReturnType<typeof monitor>, count: number, start: number): void => {
    for (let i = 0; i < count; i++) m.result(start + i * 30 * SEC, i % 2 === 0 ? ok() : fail());
  };

  it('is not judged before 10 results, then starts on the status change that tips it', () => {
    const m = monitor();
    alternate(m, 9, T0);
    expect(m.state.flapping).toBe(false);
    expect(m.log.some((t) => t.flapping)).toBe(false);
    // Alternating ok/fail with one retry: every result flips up <-> pending, and nothing is confirmed.
    expect(m.log.map((t) => t.to)).toEqual(['up', 'pending', 'up', 'pending', 'up', 'pending', 'up', 'pending', 'up']);

    const step = m.result(T0 + 9 * 30 * SEC, fail());
    expect(step.state.flapping).toBe(true);
    expect(step.transitions).toHaveLength(1);
    expect(step.transitions[0]).toMatchObject({ from: 'up', to: 'pending', flapping: 'started' });
    expect(step.transitions[0]?.reason).toContain('flapping');
    expect(m.log.some((t) => t.incident)).toBe(false);
  });

  it('flags flapping on its own transition when the status does not change', () => {
    // A down monitor needing two passes to recover: fail/pass/fail/pass keeps it down throughout.
    const m = downMonitor(policyOf({ recoverySuccesses: 2 }));
    let started: Step | undefined;
    for (let i = 0; i < 12 && !started; i++) {
      const step = m.result(T0 + 100 * SEC + i * 30 * SEC, i % 2 === 0 ? ok() : fail());
      if (step.transitions.length) started = step;
    }
    expect(started?.state.status).toBe('down');
    expect(started?.transitions[0]).toMatchObject({ from: 'down', to: 'down', flapping: 'started' });
    expect(started?.transitions[0]?.reason).toMatch(/flapping: \d+% of the last \d+ checks changed state/);
  });

  it('keeps flapping until the share drops below the lower bound (hysteresis)', () => {
    const m = monitor();
    alternate(m, FLAP_WINDOW, T0);
    expect(m.state.flapping).toBe(true);
    expect(m.state.recent).toHaveLength(FLAP_WINDOW);

    let betweenBounds = 0;
    let stopped: Step | undefined;
    for (let i = 0; i < FLAP_WINDOW && !stopped; i++) {
      const step = m.result(T0 + 3600 * SEC + i * 60 * SEC, ok());
      const share = flapShare(step.state.recent);
      if (step.transitions.some((t) => t.flapping === 'stopped')) stopped = step;
      else {
        expect(step.state.flapping).toBe(true);
        if (share < FLAP_START) betweenBounds++;
      }
    }
    // It stayed flapping for several results after the share fell under the start level...
    expect(betweenBounds).toBeGreaterThan(0);
    // ...and stopped only once under the stop level, telling people so.
    expect(stopped).toBeDefined();
    expect(flapShare(stopped?.state.recent ?? [])).toBeLessThan(FLAP_STOP);
    expect(stopped?.state.flapping).toBe(false);
    expect(stopped?.transitions[0]).toMatchObject({ from: 'up', to: 'up', flapping: 'stopped' });
    expect(stopped?.transitions[0]?.reason).toContain('stopped flapping');
  });

  it('weighs recent changes more than old ones', () => {
    const oldChange = ['fail', 'ok', 'ok', 'ok', 'ok'] as const;
    const newChange = ['ok', 'ok', 'ok', 'ok', 'fail'] as const;
    expect(flapShare([...newChange])).toBeGreaterThan(flapShare([...oldChange]));
    expect(flapShare(['ok', 'fail', 'ok', 'fail'])).toBe(1);
    expect(flapShare(['ok', 'ok', 'ok'])).toBe(0);
  });
});

describe('pause and resume', () => {
  it('pauses from up, ignores results while paused, and resumes with a fresh start', () => {
    const m = monitor();
    m.result(T0, ok());
    const paused = m.pause(T0 + 10 * SEC);
    expect(paused.state.status).toBe('paused');
    expect(paused.state.resumeTo).toBe('up');
    expect(paused.next).toBe('none');
    expect(paused.transitions[0]).toMatchObject({ from: 'up', to: 'paused' });

    const before = m.state;
    const ignored = m.result(T0 + 20 * SEC, fail());
    expect(ignored.state).toEqual(before);
    expect(ignored.transitions).toEqual([]);
    expect(ignored.next).toBe('none');
    expect(m.pause(T0 + 25 * SEC).transitions).toEqual([]);

    const resumed = m.resume(T0 + 30 * SEC);
    expect(resumed.state.status).toBe('unknown');
    expect(resumed.state.since).toBe(T0 + 30 * SEC);
    expect(resumed.state.consecutiveFailures).toBe(0);
    expect(resumed.state.consecutiveSuccesses).toBe(0);
    expect(resumed.state.resumeTo).toBeUndefined();
    expect(resumed.next).toBe('interval');
    expect(m.result(T0 + 31 * SEC, ok()).state.status).toBe('up');
  });

  it('resume does nothing to a monitor that is not paused', () => {
    const m = monitor();
    m.result(T0, ok());
    const step = m.resume(T0 + SEC);
    expect(step.state.status).toBe('up');
    expect(step.transitions).toEqual([]);
  });

  it('keeps an open incident through a pause: nothing closed, nothing re-opened', () => {
    const m = downMonitor();
    const incident = m.state.incident;
    m.pause(T0 + 100 * SEC);
    expect(m.state.incident).toEqual(incident);
    m.result(T0 + 110 * SEC, ok());
    expect(m.state.status).toBe('paused');

    const resumed = m.resume(T0 + 200 * SEC);
    expect(resumed.state.status).toBe('down');
    expect(resumed.state.incident).toEqual(incident);
    expect(resumed.transitions[0]?.reason).toContain('still open');
    expect(m.result(T0 + 210 * SEC, fail()).transitions).toEqual([]);

    const recovered = m.result(T0 + 270 * SEC, ok());
    expect(recovered.transitions[0]?.incident).toMatchObject({ action: 'closed', durationMs: 260 * SEC });
    expect(m.log.filter((t) => t.incident)).toHaveLength(1);
  });
});

describe('maintenance windows', () => {
  it('ignores results during the window and starts afresh after it', () => {
    const m = monitor();
    m.result(T0, ok());
    const start = m.maintenance(T0 + 10 * SEC, true);
    expect(start.state.status).toBe('maintenance');
    expect(start.state.resumeTo).toBe('up');
    expect(start.next).toBe('interval');
    expect(start.transitions[0]).toMatchObject({ from: 'up', to: 'maintenance' });

    for (let i = 1; i <= 3; i++) {
      const step = m.result(T0 + 10 * SEC + i * 60 * SEC, fail());
      expect(step.state.status).toBe('maintenance');
      expect(step.transitions).toEqual([]);
      expect(step.next).toBe('interval');
    }
    expect(m.state.incident).toBeUndefined();

    const end = m.maintenance(T0 + 300 * SEC, false);
    expect(end.state.status).toBe('unknown');
    expect(end.transitions[0]).toMatchObject({ from: 'maintenance', to: 'unknown' });
    expect(end.next).toBe('interval');
    // The next failure still needs confirming, as on any fresh start.
    expect(m.result(T0 + 301 * SEC, fail()).state.status).toBe('pending');
  });

  it('a monitor down before and still down after sends nothing new', () => {
    const m = downMonitor();
    const incident = m.state.incident;
    m.maintenance(T0 + 100 * SEC, true);
    const end = m.maintenance(T0 + 400 * SEC, false);
    expect(end.state.status).toBe('down');
    expect(end.state.incident).toEqual(incident);
    const after = m.result(T0 + 401 * SEC, fail());
    expect(after.state.status).toBe('down');
    expect(after.transitions).toEqual([]);
    expect(m.result(T0 + 460 * SEC, fail()).transitions).toEqual([]);
    expect(m.log.some((t) => t.incident?.action === 'opened')).toBe(false);
  });

  it('a monitor down before and up after closes its incident the usual way', () => {
    const m = downMonitor();
    m.maintenance(T0 + 100 * SEC, true);
    m.maintenance(T0 + 400 * SEC, false);
    const step = m.result(T0 + 410 * SEC, ok());
    expect(step.state.status).toBe('up');
    expect(step.transitions[0]?.incident).toMatchObject({
      action: 'closed',
      incident: { startedAt: T0 + 10 * SEC },
      durationMs: 400 * SEC,
    });
    expect(step.transitions[0]?.reason).toBe('recovered after 6 min 40 s');
  });

  it('a pause during a window wins; the window ending does not unpause', () => {
    const m = monitor();
    m.result(T0, ok());
    m.maintenance(T0 + SEC, true);
    const paused = m.pause(T0 + 2 * SEC);
    expect(paused.state.resumeTo).toBe('up');
    const ended = m.maintenance(T0 + 3 * SEC, false);
    expect(ended.state.status).toBe('paused');
    expect(ended.next).toBe('none');
  });
});

describe('purity', () => {
  it('never changes the state it is given and depends only on its inputs', () => {
    const m = downMonitor();
    m.result(T0 + 100 * SEC, ok(30));
    const input = m.state;
    const copy = structuredClone(input);
    const events: StateEvent[] = [
      { type: 'result', at: T0 + 200 * SEC, result: fail() },
      { type: 'result', at: T0 + 200 * SEC, result: ok(3000) },
      { type: 'pause', at: T0 + 200 * SEC },
      { type: 'maintenance', at: T0 + 200 * SEC, active: true },
    ];
    for (const event of events) {
      const a = reduce(input, event, policyOf());
      const b = reduce(input, event, policyOf());
      expect(a).toEqual(b);
      expect(a.state).not.toBe(input);
      expect(input).toEqual(copy);
    }
    expect(input.recent).toEqual(copy.recent);
  });

  it('keeps at most FLAP_WINDOW results', () => {
    const m = monitor();
    for (let i = 0; i < FLAP_WINDOW + 5; i++) m.result(T0 + i * SEC, ok());
    expect(m.state.recent).toHaveLength(FLAP_WINDOW);
  });
});

describe('certificate expiry', () => {
  const withCert = (daysLeft: number): ProbeResult => ({
    ...ok(),
    tls: {
      subject: 'CN=shop.example',
      issuer: 'CN=CA',
      altNames: [],
      validFrom: '2026-01-01T00:00:00.000Z',
      validTo: '2026-12-08T00:00:00.000Z',
      daysLeft,
      nameMatches: true,
      trusted: true,
      selfSigned: false,
      protocol: 'TLSv1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
      fingerprint256: 'AA',
    },
  });

  it('a passing check whose certificate expires within the warning window is degraded, saying when', () => {
    const up = reduce(initialState(T0), { type: 'result', at: T0, result: withCert(90) }, policyOf()).state;
    expect(up.status).toBe('up');
    const step = reduce(up, { type: 'result', at: T0 + 60 * SEC, result: withCert(12) }, policyOf());
    expect(step.state.status).toBe('degraded');
    expect(step.transitions[0]?.reason).toBe('certificate expires in 12 days (2026-12-08), within the 14-day warning');
  });

  it('a renewed certificate brings it back up; custom thresholds are honoured', () => {
    const warned = reduce(initialState(T0), { type: 'result', at: T0, result: withCert(5) }, policyOf()).state;
    expect(warned.status).toBe('degraded');
    expect(reduce(warned, { type: 'result', at: T0 + SEC, result: withCert(89) }, policyOf()).state.status).toBe('up');
    const strict = policyOf({ certWarnDays: [3] });
    expect(reduce(initialState(T0), { type: 'result', at: T0, result: withCert(5) }, strict).state.status).toBe('up');
  });

  it('an expiring certificate does not keep the latency sample out of the baseline', () => {
    const s = reduce(initialState(T0), { type: 'result', at: T0, result: withCert(10) }, policyOf()).state;
    expect(s.baselineSamples).toBe(1);
  });
});

describe('a service that says it is impaired', () => {
  it('a passing check reporting a yellow cluster is degraded, with the service’s words', () => {
    const yellow: ProbeResult = { ...ok(), degraded: 'cluster status yellow (2 unassigned shards)' };
    const step = reduce(initialState(T0), { type: 'result', at: T0, result: yellow }, policyOf());
    expect(step.state.status).toBe('degraded');
    expect(step.transitions[0]?.reason).toMatch(/cluster status yellow/);
    expect(step.state.baselineSamples).toBe(1);
  });
});
