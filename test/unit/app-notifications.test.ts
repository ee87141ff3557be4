import { beforeEach, describe, expect, it, vi } from 'vitest';

// Electron mocked at its boundary: notifications, the dock and windows record what was asked.
const os = vi.hoisted(() => ({
  supported: true,
  shown: [] as { options: Record<string, unknown>; handlers: Map<string, () => void> }[],
  bounces: [] as string[],
  flashes: [] as boolean[],
  windows: [] as { isDestroyed: () => boolean; flashFrame: (on: boolean) => void }[],
}));
vi.mock('electron', () => {
  class Notification {
    static isSupported = (): boolean => os.supported;
    private readonly handlers = new Map<string, () => void>();
    constructor(private readonly options: Record<string, unknown>) {}
    on(event: string, handler: () => void): this {
      this.handlers.set(event, handler);
      return this;
    }
    show(): void {
      os.shown.push({ options: this.options, handlers: this.handlers });
    }
  }
  const app = { dock: { bounce: (type: string) => os.bounces.push(type) } };
  const BrowserWindow = { getAllWindows: () => os.windows };
  return { default: { Notification, app, BrowserWindow }, Notification, app, BrowserWindow };
});

const { desktopChannel, notificationBody } = await import('../../main/app/notifications');
const { transitionAlert } = await import('../../main/core/alerts/messages');
const { merge } = await import('../../main/core/alerts/storm');
type AlertMonitor = import('../../main/core/alerts/messages').AlertMonitor;
type Alert = import('../../main/core/alerts/types').Alert;

const T0 = 1_760_000_000_000;

function downAlert(m: AlertMonitor): Alert {
  const incident = {
    startedAt: T0 - 40_000,
    confirmedAt: T0,
    outcome: 'refused' as const,
    phase: 'connect' as const,
    diagnosis: 'connection refused: the host is up but nothing listens on the port',
  };
  const alert = transitionAlert(m, {
    from: 'pending',
    to: 'down',
    at: T0,
    reason: 'confirmed down after 2 failed checks: refused',
    incident: { action: 'opened', incident },
  });
  if (!alert) throw new Error('no alert for an opened incident');
  return alert;
}

const db: AlertMonitor = { id: 'orders-db', name: 'orders-db', host: '10.0.0.6', port: 5432, tier: 1 };
const cache: AlertMonitor = { id: 'sessions', name: 'sessions', host: '10.0.0.6', port: 6379, tier: 2 };

function channel(platform: NodeJS.Platform, snoozed = false) {
  const calls = { openMonitor: vi.fn(), openWindow: vi.fn() };
  const ch = desktopChannel({ isSnoozed: () => snoozed, platform, ...calls });
  return { ch, ...calls };
}

const send = (ch: ReturnType<typeof desktopChannel>, alert: Alert) => ch.send(alert, new AbortController().signal);
const last = () => {
  const n = os.shown.at(-1);
  if (!n) throw new Error('no notification was shown');
  return n;
};

beforeEach(() => {
  os.supported = true;
  os.shown.length = 0;
  os.bounces.length = 0;
  os.flashes.length = 0;
  os.windows.length = 0;
});

describe('desktop notifications', () => {
  it('shows a down alert saying what, where and why', async () => {
    const { ch } = channel('linux');
    const delivery = await send(ch, downAlert(cache));
    expect(ch.kind).toBe('desktop');
    expect(delivery).toMatchObject({ ok: true });
    const { options } = last();
    expect(options.title).toBe('sessions (10.0.0.6:6379) is DOWN');
    expect(options.body).toContain('10.0.0.6 port 6379');
    expect(options.body).toContain('Why: connection refused: the host is up but nothing listens on the port');
    expect(options.urgency).toBeUndefined();
  });

  it('shows nothing while alerts are snoozed, and says so', async () => {
    const { ch } = channel('linux', true);
    const delivery = await send(ch, downAlert(db));
    expect(os.shown).toHaveLength(0);
    expect(delivery.ok).toBe(true);
    expect(delivery.detail).toMatch(/snoozed/);
    expect(os.bounces).toEqual([]);
  });

  it('opens the monitor when clicked, or the window for a grouped alert', async () => {
    const one = channel('linux');
    await send(one.ch, downAlert(cache));
    last().handlers.get('click')?.();
    expect(one.openMonitor).toHaveBeenCalledWith('sessions');

    const grouped = channel('linux');
    await send(grouped.ch, merge({ host: '10.0.0.6', kind: 'down', alerts: [downAlert(db), downAlert(cache)] }));
    expect(last().options.title).toBe('10.0.0.6: 2 services down (5432, 6379)');
    last().handlers.get('click')?.();
    expect(grouped.openWindow).toHaveBeenCalledOnce();
    expect(grouped.openMonitor).not.toHaveBeenCalled();
  });

  it('asks for attention for a critical tier-1 outage the way each OS does', async () => {
    await send(channel('darwin').ch, downAlert(db));
    expect(os.bounces).toEqual(['critical']);

    await send(channel('linux').ch, downAlert(db));
    expect(last().options.urgency).toBe('critical');

    os.windows.push({ isDestroyed: () => false, flashFrame: (on) => os.flashes.push(on) });
    await send(channel('win32').ch, downAlert(db));
    expect(os.flashes).toEqual([true]);

    // Tier 2 is a warning: shown, but nobody is interrupted.
    await send(channel('darwin').ch, downAlert(cache));
    expect(os.bounces).toEqual(['critical']);
  });

  it('reports, without throwing, a desktop that cannot show notifications', async () => {
    os.supported = false;
    const delivery = await send(channel('linux').ch, downAlert(db));
    expect(delivery.ok).toBe(false);
    expect(delivery.detail).toMatch(/cannot show notifications/);
    expect(os.shown).toHaveLength(0);
  });

  it('keeps a long body short, the diagnosis first after the opening line', () => {
    const body = ['db does not answer.', 'Since: 2026-01-01T00:00:00.000Z', 'Why: refused', 'x'.repeat(400)].join('\n');
    expect(notificationBody(body)).toBe('db does not answer.\nWhy: refused');
    expect(Array.from(notificationBody('y'.repeat(1000))).length).toBeLessThanOrEqual(240);
  });
});
