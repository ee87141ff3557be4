import { describe, expect, it } from 'vitest';
import { Engine, type EngineEvent } from '../../main/core/engine';
import { VirtualClock } from '../../main/core/clock';
import type { Outcome } from '../../shared/probe';
import { monitor } from '../helpers/monitors';
import { scripted } from '../helpers/scripted';

const transitionsOf = (events: EngineEvent[]) =>
  events.flatMap((e) => (e.type === 'transition' ? [e.transition.to] : []));

describe('engine: suspend and resume', () => {
  it('ignores failures of checks that straddle a sleep, then re-checks everything after a grace period', async () => {
    const clock = new VirtualClock(1_000_000);
    const outcomes = new Map<string, Outcome>();
    const monitors = [monitor({ port: 1, intervalSec: 60 }), monitor({ port: 2, intervalSec: 60 })];
    const { check, calls } = scripted(clock, outcomes, 5000);
    const engine = new Engine({ clock, check, resumeGraceMs: 10_000 });
    const events: EngineEvent[] = [];
    engine.subscribe((e) => events.push(e));
    engine.setMonitors(monitors);
    engine.checkAllNow();
    await clock.advance(6000);
    expect(monitors.map((m) => engine.state(m.id)?.status)).toEqual(['up', 'up']);

    // Both checks are in flight when the lid closes; they fail because the network is gone.
    engine.checkAllNow();
    await clock.advance(100);
    for (const m of monitors) outcomes.set(m.id, 'timeout');
    engine.suspend();
    await clock.advance(3_600_000);
    expect(monitors.map((m) => engine.state(m.id)?.status)).toEqual(['up', 'up']);
    expect(transitionsOf(events)).toEqual(['up', 'up']);

    // Awake: the network is back; nothing is checked during the grace period, then all at once.
    for (const m of monitors) outcomes.set(m.id, 'ok');
    const before = calls.length;
    engine.resume();
    await clock.advance(9000);
    expect(calls.length).toBe(before);
    await clock.advance(1000 + 5100);
    expect(calls.length).toBe(before + 2);
    expect(events.some((e) => e.type === 'resumed')).toBe(true);
    expect(transitionsOf(events)).toEqual(['up', 'up']);
    await engine.stop();
  });
});

/** Four monitors on four remote hosts, all answering until told otherwise. */
function fourRemoteHosts() {
  const clock = new VirtualClock(1_000_000);
  const outcomes = new Map<string, Outcome>();
  const hosts = ['db.example', 'cache.example', 'mail.example', 'web.example'];
  const monitors = hosts.map((host, i) => monitor({ port: 5432 + i, host, intervalSec: 60, retries: 1 }));
  const { check } = scripted(clock, outcomes);
  const engine = new Engine({ clock, check });
  const events: EngineEvent[] = [];
  engine.subscribe((e) => events.push(e));
  engine.setMonitors(monitors);
  return { clock, outcomes, monitors, engine, events };
}

describe('engine: our own network is down', () => {
  it('reports offline once and marks no monitor down while every remote host times out', async () => {
    const { clock, outcomes, monitors, engine, events } = fourRemoteHosts();
    engine.checkAllNow();
    await clock.advance(1000);
    expect(monitors.every((m) => engine.state(m.id)?.status === 'up')).toBe(true);

    for (const m of monitors) outcomes.set(m.id, 'unreachable');
    // Several rounds, retries included: long enough that a real outage would be confirmed.
    for (let i = 0; i < 5; i++) {
      engine.checkAllNow();
      await clock.advance(31_000);
    }
    expect(events.filter((e) => e.type === 'offline')).toHaveLength(1);
    expect(monitors.map((m) => engine.state(m.id)?.status)).not.toContain('down');
    expect(engine.isOffline).toBe(true);

    // One host answers again: online, and everything is re-checked at once.
    for (const m of monitors) outcomes.set(m.id, 'ok');
    outcomes.set(monitors[3]?.id ?? '', 'refused');
    engine.checkNow(monitors[0]?.id ?? '');
    await clock.advance(1000);
    expect(events.filter((e) => e.type === 'online')).toHaveLength(1);
    // A real failure on a reachable host is still judged: refused goes pending, then down.
    await clock.advance(40_000);
    expect(engine.state(monitors[3]?.id ?? '')?.status).toBe('down');
    expect(engine.state(monitors[0]?.id ?? '')?.status).toBe('up');
    await engine.stop();
  });

  it('believes the OS when it says the network is gone, and re-checks all when it is back', async () => {
    const { clock, outcomes, monitors, engine, events } = fourRemoteHosts();
    engine.checkAllNow();
    await clock.advance(1000);
    engine.setOsOnline(false);
    expect(events.filter((e) => e.type === 'offline')).toHaveLength(1);
    // Only two hosts fail, fewer than the detector's own threshold: still held back, not down.
    for (const m of monitors.slice(0, 2)) outcomes.set(m.id, 'unreachable');
    for (let i = 0; i < 3; i++) {
      engine.checkAllNow();
      await clock.advance(31_000);
    }
    expect(engine.isOffline).toBe(true);
    expect(monitors.map((m) => engine.state(m.id)?.status)).not.toContain('down');

    for (const m of monitors) outcomes.set(m.id, 'ok');
    engine.setOsOnline(true);
    expect(events.filter((e) => e.type === 'online')).toHaveLength(1);
    await clock.advance(1000);
    expect(monitors.every((m) => engine.state(m.id)?.status === 'up')).toBe(true);
    await engine.stop();
  });

  it('does not call it offline when only some hosts fail: those go down', async () => {
    const { clock, outcomes, monitors, engine, events } = fourRemoteHosts();
    for (const m of monitors.slice(0, 3)) outcomes.set(m.id, 'timeout');
    for (let i = 0; i < 3; i++) {
      engine.checkAllNow();
      await clock.advance(31_000);
    }
    expect(events.some((e) => e.type === 'offline')).toBe(false);
    expect(monitors.map((m) => engine.state(m.id)?.status)).toEqual(['down', 'down', 'down', 'up']);
    await engine.stop();
  });
});

describe('engine: a failure on one port of a host', () => {
  it('checks the host’s other monitors at once, so a dead host is confirmed for all of them together', async () => {
    const clock = new VirtualClock(1_000_000);
    const outcomes = new Map<string, Outcome>();
    // Three ports of one host on a 5 min interval, first runs spread over it.
    const monitors = [5432, 6379, 11211].map((port) =>
      monitor({ port, host: 'db-1.example', intervalSec: 300, retries: 1 }),
    );
    const other = monitor({ port: 443, host: 'web.example', intervalSec: 300, retries: 1 });
    const { check, calls } = scripted(clock, outcomes);
    const engine = new Engine({ clock, check });
    const downAt = new Map<string, number>();
    engine.subscribe(
      (e) => e.type === 'transition' && e.transition.to === 'down' && downAt.set(e.monitorId, e.transition.at),
    );
    engine.setMonitors([...monitors, other]);
    engine.checkAllNow();
    await clock.advance(1000);
    expect([...monitors, other].every((m) => engine.state(m.id)?.status === 'up')).toBe(true);

    for (const m of monitors) outcomes.set(m.id, 'refused');
    const before = calls.filter((id) => id === other.id).length;
    engine.checkNow(monitors[0]?.id ?? '');
    await clock.advance(1000);
    // The failure pulled the siblings forward; the unrelated host was left alone.
    expect(monitors.map((m) => engine.state(m.id)?.status)).toEqual(['pending', 'pending', 'pending']);
    expect(calls.filter((id) => id === other.id).length).toBe(before);

    await clock.advance(31_000);
    expect(monitors.map((m) => engine.state(m.id)?.status)).toEqual(['down', 'down', 'down']);
    const times = [...downAt.values()];
    expect(Math.max(...times) - Math.min(...times)).toBeLessThan(2000);
    await engine.stop();
  });
});
