import { describe, expect, it } from 'vitest';
import { AlertPipeline } from '../../main/core/alerts/pipeline';
import { Quiet } from '../../main/core/alerts/quiet';
import { DEFAULT_ROUTING } from '../../main/core/alerts/router';
import type { Alert } from '../../main/core/alerts/types';
import { VirtualClock } from '../../main/core/clock';
import type { EngineEvent } from '../../main/core/engine';
import { seenUpElsewhere, verdicts, watchedOf, type VantageReport } from '../../main/core/vantage/verdict';
import type { MonitorState, OpenIncident } from '../../shared/status';
import type { WatchedTarget } from '../../shared/vantage';
import { monitor } from '../helpers/monitors';

const target = (partial: Partial<WatchedTarget> = {}): WatchedTarget => ({
  monitorId: 'db',
  name: 'orders-db',
  kind: 'tcp',
  host: '10.0.0.6',
  port: 5432,
  status: 'up',
  since: 0,
  ...partial,
});

const down = (why = 'no answer within 3 s (timeout at connect)'): Partial<WatchedTarget> => ({ status: 'down', why });

const here = (...targets: WatchedTarget[]): VantageReport => ({ name: 'office', targets });
const source = (name: string, targets: WatchedTarget[], unreachable?: VantageReport['unreachable']): VantageReport => ({
  name,
  source: name.toLowerCase(),
  targets,
  ...(unreachable ? { unreachable } : {}),
});

describe('what the vantage points say together', () => {
  it('a target failing from one place and passing from another is split, with the firewall hint', () => {
    const [v, ...rest] = verdicts([here(target(down())), source('cloud', [target({ monitorId: 'x' })])]);
    expect(rest).toEqual([]);
    expect(v).toMatchObject({
      kind: 'split',
      summary: 'reachable from cloud, not from office',
      reachableFrom: ['cloud'],
      notReachableFrom: ['office'],
      unknownFrom: [],
    });
    expect(v?.hint).toMatch(/^10\.0\.0\.6:5432 answers cloud, so the service is running/);
    expect(v?.hint).toMatch(/firewall DROP rule/);
    // What the failing side saw travels with the hint.
    expect(v?.hint).toMatch(/office sees down since [^:]+:[^:]+:[^:]+: no answer within 3 s \(timeout at connect\)/);
    expect(v?.seen.map((s) => [s.vantage, s.status])).toEqual([
      ['office', 'down'],
      ['cloud', 'up'],
    ]);
  });

  it('a refusal points at a REJECT rule or the address the service listens on', () => {
    const [v] = verdicts([here(target()), source('cloud', [target(down('connection refused (refused at connect)'))])]);
    expect(v?.summary).toBe('reachable from office, not from cloud');
    expect(v?.hint).toMatch(/firewall REJECT rule, or the service listening only on an address cloud does not reach/);
  });

  it('agreeing vantage points say up everywhere or down everywhere', () => {
    expect(verdicts([here(target()), source('cloud', [target()])])[0]).toMatchObject({
      kind: 'up',
      summary: 'up everywhere',
    });
    const [d] = verdicts([here(target(down())), source('cloud', [target(down())])]);
    expect(d).toMatchObject({ kind: 'down', summary: 'down everywhere', notReachableFrom: ['office', 'cloud'] });
    expect(d?.hint).toBeUndefined();
  });

  it('a source that stops answering makes its targets unknown, never down', () => {
    const since = Date.UTC(2026, 0, 5, 9, 30);
    const gone = { since, reason: 'connection refused at 10.1.0.2:7788 (is portwatch serve running there?)' };
    // Its last answer said down: that is stale, and must not turn into a down verdict.
    const [v] = verdicts([here(target()), source('cloud', [target(down())], gone)]);
    expect(v).toMatchObject({
      kind: 'unknown',
      summary: 'unknown from cloud (up from office)',
      reachableFrom: ['office'],
      notReachableFrom: [],
      unknownFrom: ['cloud'],
    });
    expect(v?.seen[1]).toMatchObject({
      vantage: 'cloud',
      status: 'unknown',
      detail:
        'cloud has not answered since 2026-01-05T09:30:00.000Z: connection refused at 10.1.0.2:7788 (is portwatch serve running there?)',
    });
  });

  it('names each vantage point for targets only the sources watch', () => {
    const out = verdicts([here(), source('cloud', [target({ name: 'cache', port: 6379 })])]);
    expect(out).toMatchObject([
      { name: 'cache', summary: 'up from cloud, the only vantage point watching it', seen: [{ vantage: 'cloud' }] },
    ]);
  });

  it('tells targets apart by port, kind and check, and never matches loopback across machines', () => {
    const out = verdicts([
      here(target(), target({ monitorId: 'lo', host: '127.0.0.1', port: 80, status: 'down' })),
      source('cloud', [
        target({ port: 5433, status: 'down' }),
        target({ kind: 'service', check: 'postgres', status: 'down' }),
        target({ monitorId: 'lo2', host: '127.0.0.1', port: 80 }),
      ]),
    ]);
    expect(out.map((v) => v.kind)).not.toContain('split');
    expect(out).toHaveLength(5);
  });

  it('lists splits first, so the surprising ones are on top', () => {
    const out = verdicts([
      here(target({ name: 'a-web', port: 80 }), target(down())),
      source('cloud', [target({ name: 'a-web', port: 80 }), target()]),
    ]);
    expect(out.map((v) => [v.name, v.kind])).toEqual([
      ['orders-db', 'split'],
      ['a-web', 'up'],
    ]);
  });

  it('reads why a monitor fails from its incident', () => {
    const incident: OpenIncident = {
      startedAt: 1,
      confirmedAt: 2,
      outcome: 'timeout',
      phase: 'connect',
      diagnosis: 'no answer within 3 s: a firewall may drop the packets',
    };
    const state = { status: 'down', since: 2, incident } as MonitorState;
    expect(watchedOf({ monitor: monitor({ port: 5432 }), state }).why).toBe(
      'no answer within 3 s: a firewall may drop the packets (timeout at connect)',
    );
    expect(watchedOf({ monitor: monitor({ port: 5432 }), state: undefined }).status).toBeUndefined();
  });
});

describe('whether a down here waits for the other vantage points', () => {
  it('waits while a source that answers sees the target up, and not once it stops answering', () => {
    const mine = target(down());
    const cloud = [target({ monitorId: 'x' })];
    expect(seenUpElsewhere(mine, 'office', [source('cloud', cloud)])).toBe(true);
    expect(seenUpElsewhere(mine, 'office', [source('cloud', cloud, { since: 0, reason: 'timeout' })])).toBe(false);
    expect(seenUpElsewhere(mine, 'office', [source('cloud', [target(down())])])).toBe(false);
    expect(seenUpElsewhere({ ...mine, port: 5433 }, 'office', [source('cloud', cloud)])).toBe(false);
    const lo = { ...mine, host: '127.0.0.1' };
    expect(
      seenUpElsewhere(lo, 'office', [source('cloud', [{ ...cloud[0], host: '127.0.0.1' } as WatchedTarget])]),
    ).toBe(false);
  });

  /** A pipeline fed transitions by hand; `hold` plays the vantage registry's answer. */
  function rig() {
    const clock = new VirtualClock(1_000_000);
    const listeners = new Set<(e: EngineEvent) => void>();
    const sent: Alert[] = [];
    const m = monitor({ port: 5432, host: '10.0.0.6' });
    const control = { hold: true };
    const pipeline = new AlertPipeline({
      engine: { subscribe: (l) => (listeners.add(l), () => listeners.delete(l)) },
      monitorOf: (id) => (id === m.id ? m : undefined),
      outbox: { enqueue: (a: Alert) => void sent.push(a) } as unknown as ConstructorParameters<
        typeof AlertPipeline
      >[0]['outbox'],
      channels: [{ id: 'hook', kind: 'webhook' }],
      routing: { ...DEFAULT_ROUTING, tiers: { 1: ['webhook'], 2: ['webhook'], 3: ['webhook'] } },
      quiet: new Quiet(),
      clock,
      stormWindowMs: 100,
      holdDown: () => control.hold,
    });
    const incident: OpenIncident = {
      startedAt: 0,
      confirmedAt: 0,
      outcome: 'timeout',
      phase: 'connect',
      diagnosis: '',
    };
    const state = { status: 'down' } as MonitorState;
    const emit = (e: EngineEvent): void => listeners.forEach((l) => l(e));
    const goDown = (): void =>
      emit({
        type: 'transition',
        monitorId: m.id,
        state,
        transition: {
          from: 'pending',
          to: 'down',
          at: clock.now(),
          reason: 'confirmed',
          incident: { action: 'opened', incident },
        },
      });
    const recover = (): void =>
      emit({
        type: 'transition',
        monitorId: m.id,
        state,
        transition: {
          from: 'down',
          to: 'up',
          at: clock.now(),
          reason: 'back',
          incident: { action: 'closed', incident, endedAt: clock.now(), durationMs: 1000 },
        },
      });
    const result = (): void => emit({ type: 'result', monitorId: m.id, state, result: {} as never });
    return { clock, sent, control, pipeline, goDown, recover, result, id: m.id };
  }

  it('holds the down, then sends it at the next result once the vantage points agree', async () => {
    const r = rig();
    r.goDown();
    await r.clock.advance(1000);
    expect(r.sent).toEqual([]);
    expect(r.pipeline.holding(r.id)).toBe(true);
    r.result();
    await r.clock.advance(1000);
    expect(r.sent).toEqual([]);
    r.control.hold = false;
    r.result();
    await r.clock.advance(1000);
    expect(r.sent.map((a) => a.kind)).toEqual(['down']);
    expect(r.pipeline.holding(r.id)).toBe(false);
  });

  it('a held down that recovers sends nothing: neither the down nor its recovery', async () => {
    const r = rig();
    r.goDown();
    r.recover();
    r.control.hold = false;
    r.result();
    await r.clock.advance(1000);
    expect(r.sent).toEqual([]);
  });

  it('without a hold, the down and the recovery go as always', async () => {
    const r = rig();
    r.control.hold = false;
    r.goDown();
    await r.clock.advance(1000);
    r.recover();
    await r.clock.advance(1000);
    expect(r.sent.map((a) => a.kind)).toEqual(['down', 'recovered']);
  });
});
