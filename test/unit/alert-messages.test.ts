import { describe, expect, it } from 'vitest';
import {
  eventAlert,
  formatDuration,
  networkAlert,
  transitionAlert,
  type AlertMonitor,
} from '../../main/core/alerts/messages';
import type { EngineEvent } from '../../main/core/engine';
import { initialState, reduce, type StateEvent } from '../../main/core/state';
import type { Policy } from '../../shared/monitor';
import type { ProbeResult } from '../../shared/probe';
import type { MonitorState, Transition } from '../../shared/status';

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);
const SEC = 1000;

const db: AlertMonitor = { id: 'orders-db', name: 'orders-db', host: '10.0.0.6', port: 5432, tier: 1 };
const cache: AlertMonitor = { id: 'cache', name: 'cache', host: '10.0.0.7', port: 6379, tier: 2 };

const policy: Policy = {
  intervalMs: 60_000,
  timeoutMs: 3000,
  retries: 1,
  retryIntervalMs: 30_000,
  slowMs: 1500,
  recoverySuccesses: 1,
  certWarnDays: [30, 14, 7],
};

const ok = (ms = 20): ProbeResult => ({
  outcome: 'ok',
  phase: 'connect',
  ms,
  phases: { resolve: 1, connect: ms - 1 },
  detail: `connected in ${ms} ms`,
  diagnosis: '',
  startedAt: 0,
});

const refused: ProbeResult = {
  outcome: 'refused',
  phase: 'connect',
  ms: 2,
  phases: { resolve: 1, connect: 1 },
  detail: 'connect ECONNREFUSED 10.0.0.6:5432',
  diagnosis: 'nothing is listening on port 5432',
  startedAt: 0,
};

/** Feeds results to the real state machine and collects the alerts a user would get. */
function run(m: AlertMonitor, events: StateEvent[], state: MonitorState = initialState(T0)): string[] {
  const kinds: string[] = [];
  for (const e of events) {
    const step = reduce(state, e, policy);
    state = step.state;
    for (const t of step.transitions) {
      const a = transitionAlert(m, t);
      if (a) kinds.push(a.kind);
    }
  }
  return kinds;
}

const res = (at: number, result: ProbeResult): StateEvent => ({ type: 'result', at, result });

describe('alert messages', () => {
  it('a confirmed outage gives exactly one down alert, a pending blip none', () => {
    const blip = run(db, [res(T0, ok()), res(T0 + 60 * SEC, refused), res(T0 + 90 * SEC, ok())]);
    expect(blip).toEqual([]);
    const outage = run(db, [
      res(T0, ok()),
      res(T0 + 60 * SEC, refused),
      res(T0 + 90 * SEC, refused),
      res(T0 + 150 * SEC, refused),
      res(T0 + 210 * SEC, refused),
    ]);
    expect(outage).toEqual(['down']);
  });

  it('the down alert says what, since when, why, where; critical for tier 1, warning otherwise', () => {
    const incident = {
      startedAt: T0,
      confirmedAt: T0 + 120 * SEC,
      outcome: 'refused' as const,
      phase: 'connect' as const,
      diagnosis: 'nothing is listening on port 5432',
    };
    const t: Transition = {
      from: 'pending',
      to: 'down',
      at: T0 + 120 * SEC,
      reason: 'confirmed down after 2 failed checks in a row: refused: nothing is listening on port 5432',
      incident: { action: 'opened', incident },
    };
    const a = transitionAlert(db, t);
    expect(a).toMatchObject({
      id: `orders-db:down:${T0 + 120 * SEC}`,
      kind: 'down',
      severity: 'critical',
      tier: 1,
      title: 'orders-db (10.0.0.6:5432) is DOWN',
      subjects: [{ monitorId: 'orders-db', name: 'orders-db', host: '10.0.0.6', port: 5432 }],
    });
    expect(a?.body).toContain('2026-11-26T10:00:00.000Z (for 2 min)');
    expect(a?.body).toContain('nothing is listening on port 5432');
    expect(a?.body).toContain('host 10.0.0.6, port 5432');
    expect(transitionAlert(cache, t)?.severity).toBe('warning');
  });

  it('recovery says how long it was down', () => {
    const incident = {
      startedAt: T0,
      confirmedAt: T0 + 30 * SEC,
      outcome: 'refused' as const,
      phase: 'connect' as const,
      diagnosis: '',
    };
    const t: Transition = {
      from: 'down',
      to: 'up',
      at: T0 + 200 * SEC,
      reason: 'recovered after 3 min 20 s',
      incident: { action: 'closed', incident, endedAt: T0 + 200 * SEC, durationMs: 200 * SEC },
    };
    const a = transitionAlert(db, t);
    expect(a?.kind).toBe('recovered');
    expect(a?.severity).toBe('info');
    expect(a?.body).toContain('was down for 3 min 20 s');
  });

  it('resuming a paused monitor whose outage is open does not alert', () => {
    const down = run(db, [res(T0, refused), res(T0 + 30 * SEC, refused)]);
    expect(down).toEqual(['down']);
    let state = initialState(T0);
    for (const e of [res(T0, refused), res(T0 + 30 * SEC, refused)]) state = reduce(state, e, policy).state;
    const kinds = run(
      db,
      [{ type: 'pause', at: T0 + 60 * SEC }, { type: 'resume', at: T0 + 120 * SEC }, res(T0 + 180 * SEC, refused)],
      state,
    );
    expect(kinds).toEqual([]);
  });

  it('up -> degraded: slow is degraded, a certificate reason is certificate; other moves are quiet', () => {
    const base: Transition = {
      from: 'up',
      to: 'degraded',
      at: T0,
      reason: 'slow: 1.8 s is above the 1.5 s slow threshold',
    };
    expect(transitionAlert(db, base)?.kind).toBe('degraded');
    expect(
      transitionAlert(db, { ...base, reason: 'certificate expires in 20 days (2026-12-16), within the 30-day warning' })
        ?.kind,
    ).toBe('certificate');
    expect(
      transitionAlert(db, { ...base, from: 'unknown', reason: 'check passed in 1.8 s, but slow: x' }),
    ).toBeUndefined();
    expect(transitionAlert(db, { from: 'degraded', to: 'up', at: T0, reason: 'back to normal speed' })).toBeUndefined();
    expect(transitionAlert(db, { from: 'up', to: 'pending', at: T0, reason: 'check failed' })).toBeUndefined();
  });

  it('flapping started and stopped', () => {
    const t: Transition = { from: 'up', to: 'up', at: T0, reason: 'flapping', flapping: 'started' };
    expect(transitionAlert(db, t)?.kind).toBe('flapping-started');
    expect(transitionAlert(db, { ...t, flapping: 'stopped' })?.kind).toBe('flapping-stopped');
  });

  it('offline and online are one alert each, about this machine, with no subjects', () => {
    const off = networkAlert({ type: 'offline', at: T0 });
    expect(off).toMatchObject({ kind: 'offline', subjects: [], id: `engine:offline:${T0}` });
    expect(off.body).toMatch(/^this machine is offline: /);
    const on = eventAlert({ type: 'online', at: T0 + 200 * SEC }, () => undefined, T0);
    expect(on).toMatchObject({ kind: 'online', subjects: [] });
    expect(on?.body).toContain('after 3 min 20 s');
    expect(eventAlert({ type: 'suspended' }, () => db)).toBeUndefined();
    // Takes the engine's own events as they come.
    const fromEngine: EngineEvent = { type: 'resumed', at: T0 };
    expect(eventAlert(fromEngine, () => db)).toBeUndefined();
    const transition: EngineEvent = {
      type: 'transition',
      monitorId: 'orders-db',
      transition: { from: 'up', to: 'up', at: T0, reason: 'flapping', flapping: 'started' },
      state: initialState(T0),
    };
    expect(eventAlert(transition, (id) => (id === db.id ? db : undefined))?.kind).toBe('flapping-started');
    expect(eventAlert({ ...transition, monitorId: 'gone' }, () => undefined)).toBeUndefined();
  });

  it('formats durations for people', () => {
    expect(formatDuration(200 * SEC)).toBe('3 min 20 s');
    expect(formatDuration(120 * SEC)).toBe('2 min');
    expect(formatDuration(12 * SEC)).toBe('12 s');
    expect(formatDuration(2 * 3600 * SEC + 5 * 60 * SEC)).toBe('2 h 5 min');
  });
});
