import { describe, expect, it } from 'vitest';
import { summarize, summaryLine, type AggregateMonitor } from '../../shared/aggregate';
import type { MonitorStatus } from '../../shared/status';

const T0 = 1_700_000_000_000;

function mon(id: string, status: MonitorStatus, extra: Partial<AggregateMonitor['state']> = {}): AggregateMonitor {
  return { id, name: id, host: `${id}.internal`, port: 5432, state: { status, since: T0, ...extra } };
}

const calm = { offline: false, paused: false };

describe('aggregate state (tray icon)', () => {
  it('follows the precedence offline > paused > down > degraded > up', () => {
    const all = [mon('a', 'up'), mon('b', 'degraded'), mon('c', 'down')];
    expect(summarize(all, { offline: true, paused: true }).state).toBe('offline');
    expect(summarize(all, { offline: false, paused: true }).state).toBe('paused');
    expect(summarize(all, calm).state).toBe('down');
    expect(summarize([mon('a', 'up'), mon('b', 'degraded')], calm).state).toBe('degraded');
    expect(summarize([mon('a', 'up'), mon('b', 'unknown'), mon('m', 'maintenance')], calm).state).toBe('up');
  });

  it('does not show a failure that is still being confirmed (pending) as down', () => {
    const s = summarize([mon('a', 'up'), mon('b', 'pending')], calm);
    expect(s.state).toBe('up');
    expect(s.problems).toEqual([]);
    expect(s.counts.pending).toBe(1);
  });

  it('shows paused when every monitor was switched off one by one', () => {
    expect(summarize([mon('a', 'paused'), mon('b', 'paused')], calm).state).toBe('paused');
  });

  it('counts each status and lists down before degraded, with since-when from the outage start', () => {
    const incident = {
      startedAt: T0 - 90_000,
      confirmedAt: T0,
      outcome: 'refused' as const,
      phase: 'connect' as const,
      diagnosis: 'nothing listens',
    };
    const s = summarize(
      [
        mon('web', 'up'),
        mon('cache', 'degraded', { since: T0 - 5_000 }),
        mon('db', 'down', { incident }),
        mon('api', 'up'),
      ],
      calm,
    );
    expect(s.counts).toMatchObject({ up: 2, degraded: 1, down: 1 });
    expect(s.total).toBe(4);
    expect(s.problems.map((p) => [p.id, p.status, p.since])).toEqual([
      ['db', 'down', T0 - 90_000],
      ['cache', 'degraded', T0 - 5_000],
    ]);
    expect(s.problems[0]?.outcome).toBe('refused');
    expect(summaryLine(s)).toBe('Portwatch — 2 up, 1 down, 1 degraded');
  });
});

describe('summary key (menu rebuilds)', () => {
  it('stays the same when only latencies change', () => {
    const before = [
      { ...mon('a', 'up'), state: { status: 'up' as const, since: T0, last: { ms: 12 } } },
      mon('b', 'degraded'),
    ];
    const after = [
      { ...mon('a', 'up'), state: { status: 'up' as const, since: T0, last: { ms: 870 } } },
      mon('b', 'degraded'),
    ];
    expect(summarize(after, calm).key).toBe(summarize(before, calm).key);
  });

  it('changes when a monitor goes down, and when the network or pause flags change', () => {
    const base = summarize([mon('a', 'up'), mon('b', 'up')], calm).key;
    expect(summarize([mon('a', 'up'), mon('b', 'down')], calm).key).not.toBe(base);
    expect(summarize([mon('a', 'up'), mon('b', 'up')], { offline: true, paused: false }).key).not.toBe(base);
    expect(summarize([mon('a', 'up'), mon('b', 'up')], { offline: false, paused: true }).key).not.toBe(base);
  });
});
