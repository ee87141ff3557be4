import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTING, routeAlert } from '../../main/core/alerts/router';
import type { Alert } from '../../main/core/alerts/types';

const alert = (over: Partial<Alert> = {}): Alert => ({
  id: 'x',
  kind: 'down',
  severity: 'critical',
  tier: 1,
  at: 0,
  title: 't',
  body: 'b',
  subjects: [{ monitorId: 'db', name: 'db', host: 'db-1', port: 5432 }],
  ...over,
});

describe('alert routing', () => {
  it('sends each tier to its default channels', () => {
    expect(routeAlert(alert())).toEqual(['desktop', 'telegram', 'email']);
    expect(routeAlert(alert({ tier: 2, severity: 'warning' }))).toEqual(['telegram', 'email']);
    expect(routeAlert(alert({ tier: 3, severity: 'warning' }))).toEqual(['email']);
  });

  it('a monitor override replaces the tier channels', () => {
    expect(routeAlert(alert(), DEFAULT_ROUTING, { db: { channels: ['webhook', 'desktop'] } })).toEqual([
      'desktop',
      'webhook',
    ]);
    expect(routeAlert(alert(), DEFAULT_ROUTING, { other: { channels: ['webhook'] } })).toEqual([
      'desktop',
      'telegram',
      'email',
    ]);
  });

  it('info alerts skip telegram, but recoveries go where the down went', () => {
    expect(routeAlert(alert({ kind: 'flapping-stopped', severity: 'info' }))).toEqual(['desktop', 'email']);
    const down = routeAlert(alert());
    expect(routeAlert(alert({ kind: 'recovered', severity: 'info' }))).toEqual(down);
    expect(routeAlert(alert({ kind: 'recovered', severity: 'info', tier: 2 }))).toEqual(
      routeAlert(alert({ tier: 2, severity: 'warning' })),
    );
  });

  it('offline and online go to the desktop only: the network is down', () => {
    expect(routeAlert(alert({ kind: 'offline', severity: 'warning', subjects: [] }))).toEqual(['desktop']);
    expect(
      routeAlert(alert({ kind: 'online', severity: 'info', subjects: [] }), DEFAULT_ROUTING, {
        db: { channels: ['email'] },
      }),
    ).toEqual(['desktop']);
  });

  it('a grouped alert goes to the union of its subjects', () => {
    const a = alert({
      tier: 2,
      severity: 'warning',
      subjects: [
        { monitorId: 'db', name: 'db', host: 'db-1', port: 5432 },
        { monitorId: 'redis', name: 'redis', host: 'db-1', port: 6379 },
      ],
    });
    expect(routeAlert(a, DEFAULT_ROUTING, { redis: { channels: ['desktop'] } })).toEqual([
      'desktop',
      'telegram',
      'email',
    ]);
  });
});
