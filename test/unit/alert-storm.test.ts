import { describe, expect, it } from 'vitest';
import { networkAlert, transitionAlert, type AlertMonitor } from '../../main/core/alerts/messages';
import { routeAlert } from '../../main/core/alerts/router';
import { StormGrouper } from '../../main/core/alerts/storm';
import type { Alert } from '../../main/core/alerts/types';
import { VirtualClock } from '../../main/core/clock';
import type { OpenIncident } from '../../shared/status';

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);
const SEC = 1000;

const mon = (id: string, host: string, port: number, tier: 1 | 2 | 3 = 2): AlertMonitor => ({
  id,
  name: id,
  host,
  port,
  tier,
});
const pg = mon('pg', 'db-1', 5432, 1);
const redis = mon('redis', 'db-1', 6379);
const memcached = mon('memcached', 'db-1', 11211);
const web = mon('web', 'web-1', 443, 1);

const incident = (at: number): OpenIncident => ({
  startedAt: at - 30 * SEC,
  confirmedAt: at,
  outcome: 'refused',
  phase: 'connect',
  diagnosis: 'nothing is listening',
});

const down = (m: AlertMonitor, at: number): Alert => {
  const a = transitionAlert(m, {
    from: 'pending',
    to: 'down',
    at,
    reason: 'confirmed',
    incident: { action: 'opened', incident: incident(at) },
  });
  if (!a) throw new Error('no alert');
  return a;
};

const up = (m: AlertMonitor, at: number): Alert => {
  const a = transitionAlert(m, {
    from: 'down',
    to: 'up',
    at,
    reason: 'recovered',
    incident: { action: 'closed', incident: incident(at - 60 * SEC), endedAt: at, durationMs: 90 * SEC },
  });
  if (!a) throw new Error('no alert');
  return a;
};

describe('alert storms', () => {
  it('three ports of one host failing together give one alert naming the host and ports', async () => {
    const clock = new VirtualClock(T0);
    const storm = new StormGrouper({ clock });
    storm.add(down(redis, clock.now()));
    await clock.advance(2 * SEC);
    storm.add(down(memcached, clock.now()));
    await clock.advance(3 * SEC);
    storm.add(down(pg, clock.now()));
    storm.add(down(web, clock.now()));
    expect(storm.flush()).toEqual([]);
    expect(storm.nextDue()).toBe(T0 + 10 * SEC);
    await clock.advance(5 * SEC);
    const out = storm.flush();
    expect(out).toHaveLength(1);
    const [grouped] = out;
    expect(grouped?.title).toBe('db-1: 3 services down (5432, 6379, 11211)');
    expect(grouped?.severity).toBe('critical');
    expect(grouped?.tier).toBe(1);
    expect(grouped?.subjects.map((s) => s.port)).toEqual([5432, 6379, 11211]);
    expect(grouped?.id).toBe(`host:db-1:down:${T0}`);
    expect(routeAlert(grouped as Alert)).toEqual(['desktop', 'telegram', 'email']);
    // The other host's single outage comes out unchanged when its own window closes.
    await clock.advance(5 * SEC);
    expect(storm.flush().map((a) => a.title)).toEqual(['web (web-1:443) is DOWN']);
    expect(storm.flush()).toEqual([]);
  });

  it('groups recoveries likewise, and a lone alert keeps its own text', async () => {
    const clock = new VirtualClock(T0);
    const storm = new StormGrouper({ clock });
    storm.add(up(redis, T0));
    storm.add(up(pg, T0 + SEC));
    await clock.advance(10 * SEC);
    expect(storm.flush().map((a) => a.title)).toEqual(['db-1: 2 services recovered (5432, 6379)']);
    storm.add(up(memcached, clock.now()));
    await clock.advance(10 * SEC);
    const [lone] = storm.flush();
    expect(lone?.id).toBe(`memcached:recovered:${T0 + 10 * SEC}`);
  });

  it('other kinds are not held back', () => {
    const clock = new VirtualClock(T0);
    const storm = new StormGrouper({ clock });
    const flap = transitionAlert(pg, { from: 'up', to: 'up', at: T0, reason: 'flapping', flapping: 'started' });
    storm.add(flap as Alert);
    expect(storm.flush().map((a) => a.kind)).toEqual(['flapping-started']);
  });

  it('while offline only the single offline notice passes; per-monitor outages are dropped', async () => {
    const clock = new VirtualClock(T0);
    const storm = new StormGrouper({ clock });
    storm.add(down(web, T0)); // confirmed seconds before the verdict: the network, most likely
    await clock.advance(2 * SEC);
    expect(storm.add(networkAlert({ type: 'offline', at: clock.now() }))).toBe(true);
    expect(storm.isOffline).toBe(true);
    expect(storm.add(down(pg, clock.now()))).toBe(false);
    expect(storm.add(down(redis, clock.now()))).toBe(false);
    expect(storm.add(networkAlert({ type: 'offline', at: clock.now() + SEC }))).toBe(false);
    await clock.advance(60 * SEC);
    expect(storm.flush().map((a) => a.kind)).toEqual(['offline']);
    storm.add(networkAlert({ type: 'online', at: clock.now() }));
    // Their recovery is no news to someone who never heard they were down.
    expect(storm.add(up(pg, clock.now()))).toBe(false);
    storm.add(down(redis, clock.now()));
    await clock.advance(10 * SEC);
    expect(storm.flush().map((a) => a.kind)).toEqual(['online', 'down']);
  });
});
