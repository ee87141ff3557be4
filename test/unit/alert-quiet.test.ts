import { describe, expect, it } from 'vitest';
import { transitionAlert } from '../../main/core/alerts/messages';
import {
  NIGHT_ENDS_HOUR,
  Quiet,
  shouldAlert,
  snoozeEnd,
  type DownMonitor,
  type MaintenanceWindow,
} from '../../main/core/alerts/quiet';
import { VirtualClock } from '../../main/core/clock';
import type { OpenIncident, Transition } from '../../shared/status';

const MIN = 60_000;
const HOUR = 60 * MIN;
// Local time on purpose: these rules are about the user's calendar, whatever the machine's zone.
const local = (y: number, mo: number, d: number, h = 0, mi = 0): number => new Date(y, mo - 1, d, h, mi).getTime();

const pg = { id: 'pg', name: 'pg', host: 'db-1', port: 5432, tier: 1 as const, tags: ['prod', 'db'] };
const redis = { id: 'redis', name: 'redis', host: 'db-1', port: 6379, tier: 2 as const, tags: ['prod'] };
const ssh = { id: 'ssh', name: 'ssh', host: 'web-1', port: 22, tier: 3 as const, tags: [] };

const incidentAt = (confirmedAt: number): OpenIncident => ({
  startedAt: confirmedAt - 30_000,
  confirmedAt,
  outcome: 'refused',
  phase: 'connect',
  diagnosis: 'nothing is listening',
});

const opened = (at: number, startedAt = at - 30_000): Transition => ({
  from: 'pending',
  to: 'down',
  at,
  reason: 'confirmed down',
  incident: { action: 'opened', incident: { ...incidentAt(at), startedAt } },
});

describe('snooze', () => {
  it('1 h, 4 h, 8 h', () => {
    const now = local(2026, 11, 26, 14, 0);
    expect(snoozeEnd('1h', now)).toBe(now + HOUR);
    expect(snoozeEnd('4h', now)).toBe(now + 4 * HOUR);
    expect(snoozeEnd('8h', now)).toBe(now + 8 * HOUR);
  });

  it('until 09:00 tomorrow, in local time, across month and year ends', () => {
    expect(snoozeEnd('tomorrow-09', local(2026, 11, 26, 22, 30))).toBe(local(2026, 11, 27, 9));
    expect(snoozeEnd('tomorrow-09', local(2026, 11, 30, 8, 0))).toBe(local(2026, 12, 1, 9));
    expect(snoozeEnd('tomorrow-09', local(2026, 12, 31, 18, 0))).toBe(local(2027, 1, 1, 9));
    // Still up at 01:30: "tomorrow morning" is this morning.
    expect(NIGHT_ENDS_HOUR).toBe(5);
    expect(snoozeEnd('tomorrow-09', local(2026, 11, 27, 1, 30))).toBe(local(2026, 11, 27, 9));
  });

  it('isSnoozed until the end, and nothing is due meanwhile', async () => {
    const clock = new VirtualClock(local(2026, 11, 26, 14, 0));
    const quiet = new Quiet();
    quiet.snooze('1h', clock.now());
    expect(quiet.isSnoozed(clock.now())).toBe(true);
    expect(quiet.isQuiet(pg, clock.now())).toBe(true);
    const t = opened(clock.now());
    // What the app would send: the transition's alert, unless quiet.
    const send = transitionAlert(pg, t) && !quiet.isQuiet(pg, t.at);
    expect(send).toBe(false);
    await clock.advance(HOUR);
    expect(quiet.isSnoozed(clock.now())).toBe(false);
    quiet.snooze('4h', clock.now());
    quiet.unsnooze();
    expect(quiet.isSnoozed(clock.now())).toBe(false);
  });
});

describe('maintenance windows', () => {
  it('one-off windows by monitor, tag or host', () => {
    const start = local(2026, 11, 26, 2);
    const end = local(2026, 11, 26, 3);
    const quiet = new Quiet();
    quiet.setWindows([{ id: 'w', scope: { monitorId: 'pg' }, kind: 'once', start, end }]);
    expect(quiet.inMaintenance(pg, start)).toBe(true);
    expect(quiet.inMaintenance(pg, end - 1)).toBe(true);
    expect(quiet.inMaintenance(pg, end)).toBe(false);
    expect(quiet.inMaintenance(redis, start)).toBe(false);
    quiet.setWindows([{ id: 'w', scope: { tag: 'db' }, kind: 'once', start, end }]);
    expect([quiet.inMaintenance(pg, start), quiet.inMaintenance(redis, start)]).toEqual([true, false]);
    quiet.setWindows([{ id: 'w', scope: { host: 'db-1' }, kind: 'once', start, end }]);
    expect([
      quiet.inMaintenance(pg, start),
      quiet.inMaintenance(redis, start),
      quiet.inMaintenance(ssh, start),
    ]).toEqual([true, true, false]);
  });

  it('weekly windows in local time, also across midnight', () => {
    // 2026-11-29 is a Sunday.
    expect(new Date(2026, 10, 29).getDay()).toBe(0);
    const sunday: MaintenanceWindow = {
      id: 'sun',
      scope: { host: 'db-1' },
      kind: 'weekly',
      day: 0,
      startMinute: 23 * 60,
      durationMinutes: 120,
    };
    const quiet = new Quiet();
    quiet.setWindows([sunday]);
    expect(quiet.inMaintenance(pg, local(2026, 11, 29, 22, 59))).toBe(false);
    expect(quiet.inMaintenance(pg, local(2026, 11, 29, 23, 0))).toBe(true);
    expect(quiet.inMaintenance(pg, local(2026, 11, 30, 0, 30))).toBe(true); // Monday, still in Sunday's window
    expect(quiet.inMaintenance(pg, local(2026, 11, 30, 1, 0))).toBe(false);
    expect(quiet.inMaintenance(pg, local(2026, 12, 6, 23, 30))).toBe(true); // the next Sunday
    expect(quiet.inMaintenance(pg, local(2026, 12, 2, 23, 30))).toBe(false); // a Wednesday
    expect(quiet.activeWindows(pg, local(2026, 11, 29, 23, 30))).toEqual([
      { id: 'sun', start: local(2026, 11, 29, 23), end: local(2026, 11, 29, 23) + 2 * HOUR },
    ]);
  });
});

describe('reminders and acknowledgements', () => {
  const downOf = (m: DownMonitor['monitor'], confirmedAt: number): DownMonitor => ({
    monitor: m,
    incident: incidentAt(confirmedAt),
  });

  it('tier 1 every 30 min, tier 2 every 2 h, tier 3 never, one per monitor per call', async () => {
    const t0 = local(2026, 11, 26, 10);
    const clock = new VirtualClock(t0);
    const quiet = new Quiet();
    const down = [downOf(pg, t0), downOf(redis, t0), downOf(ssh, t0)];
    const sent: string[] = [];
    for (let i = 0; i < 4 * 60; i++) {
      await clock.advance(MIN);
      for (const r of quiet.dueReminders(down, clock.now()))
        sent.push(`${r.monitor.id}#${r.count}@${(clock.now() - t0) / MIN}`);
    }
    expect(sent).toEqual([
      'pg#1@30',
      'pg#2@60',
      'pg#3@90',
      'pg#4@120',
      'redis#1@120',
      'pg#5@150',
      'pg#6@180',
      'pg#7@210',
      'pg#8@240',
      'redis#2@240',
    ]);
  });

  it('a late call gives one reminder, not a backlog', () => {
    const t0 = local(2026, 11, 26, 10);
    const quiet = new Quiet();
    expect(quiet.dueReminders([downOf(pg, t0)], t0 + 3 * HOUR + MIN)).toHaveLength(1);
    expect(quiet.dueReminders([downOf(pg, t0)], t0 + 3 * HOUR + 2 * MIN)).toHaveLength(0);
    expect(quiet.dueReminders([downOf(pg, t0)], t0 + 3.5 * HOUR)).toHaveLength(1);
  });

  it('ack stops reminders until the state changes', () => {
    const t0 = local(2026, 11, 26, 10);
    const quiet = new Quiet();
    quiet.ack('pg');
    expect(quiet.isAcked('pg')).toBe(true);
    expect(quiet.dueReminders([downOf(pg, t0)], t0 + 30 * MIN)).toEqual([]);
    expect(quiet.dueReminders([downOf(pg, t0)], t0 + 5 * HOUR)).toEqual([]);
    // A result that changes nothing keeps the ack; a recovery ends it.
    quiet.observe('pg', { from: 'down', to: 'down', at: t0, reason: 'still down' });
    expect(quiet.isAcked('pg')).toBe(true);
    quiet.observe('pg', {
      from: 'down',
      to: 'up',
      at: t0 + 6 * HOUR,
      reason: 'recovered',
      incident: { action: 'closed', incident: incidentAt(t0), endedAt: t0 + 6 * HOUR, durationMs: 6 * HOUR },
    });
    expect(quiet.isAcked('pg')).toBe(false);
    // The next outage reminds again.
    const t1 = t0 + 7 * HOUR;
    expect(quiet.dueReminders([downOf(pg, t1)], t1 + 30 * MIN).map((r) => r.count)).toEqual([1]);
  });

  it('no reminders during snooze or maintenance, and none saved up for their end', () => {
    const t0 = local(2026, 11, 26, 10);
    const quiet = new Quiet();
    quiet.snooze('1h', t0 + 20 * MIN);
    expect(quiet.dueReminders([downOf(pg, t0)], t0 + 30 * MIN)).toEqual([]);
    expect(quiet.dueReminders([downOf(pg, t0)], t0 + 80 * MIN)).toEqual([]);
    expect(quiet.dueReminders([downOf(pg, t0)], t0 + 81 * MIN)).toEqual([]);
    expect(quiet.dueReminders([downOf(pg, t0)], t0 + 90 * MIN)).toHaveLength(1);
    quiet.setWindows([{ id: 'm', scope: { tag: 'db' }, kind: 'once', start: t0 + 100 * MIN, end: t0 + 200 * MIN }]);
    expect(quiet.dueReminders([downOf(pg, t0)], t0 + 120 * MIN)).toEqual([]);
    expect(quiet.dueReminders([downOf(pg, t0)], t0 + 201 * MIN)).toEqual([]);
    expect(quiet.dueReminders([downOf(pg, t0)], t0 + 210 * MIN)).toHaveLength(1);
  });

  it('custom intervals, and tier 3 can be turned on', () => {
    const t0 = local(2026, 11, 26, 10);
    const quiet = new Quiet({ reminderEveryMs: { 3: 4 * HOUR, 1: undefined } });
    expect(quiet.dueReminders([downOf(pg, t0), downOf(ssh, t0)], t0 + 4 * HOUR).map((r) => r.monitor.id)).toEqual([
      'ssh',
    ]);
  });
});

describe('after a maintenance window only changes alert', () => {
  const start = local(2026, 11, 26, 2);
  const end = local(2026, 11, 26, 3);
  const spans = [{ start, end }];

  it('nothing during the window', () => {
    expect(shouldAlert(opened(start + 10 * MIN), spans)).toBe(false);
  });

  it('no re-send for an outage that began before the window', () => {
    // Leaving the window with the outage still open: the engine's "maintenance -> down".
    expect(shouldAlert({ from: 'maintenance', to: 'down', at: end, reason: 'maintenance window ended' }, spans)).toBe(
      false,
    );
    // The same outage reported as opened again (e.g. state rebuilt after a restart during the window).
    expect(shouldAlert(opened(end + 5 * MIN, start - 10 * MIN), spans)).toBe(false);
  });

  it('changes after the window alert: its recovery, or a new outage', () => {
    const closed: Transition = {
      from: 'down',
      to: 'up',
      at: end + 10 * MIN,
      reason: 'recovered',
      incident: {
        action: 'closed',
        incident: incidentAt(start - 10 * MIN),
        endedAt: end + 10 * MIN,
        durationMs: 80 * MIN,
      },
    };
    expect(shouldAlert(closed, spans)).toBe(true);
    expect(shouldAlert(opened(end + 10 * MIN), spans)).toBe(true);
    expect(shouldAlert(opened(start - MIN), [])).toBe(true);
  });
});
