import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';

// Electron mocked at its boundary: the tray records what the OS would be asked to show.
const os = vi.hoisted(() => ({
  trays: [] as {
    image: { path: string; template: boolean };
    calls: { setImage: number; setToolTip: number; setContextMenu: number };
    tip: string;
    menu: MenuItemConstructorOptions[];
    destroyed: boolean;
  }[],
}));
vi.mock('electron', () => {
  const nativeImage = {
    createFromPath: (path: string) => {
      const img = { path, template: false, setTemplateImage: (on: boolean) => void (img.template = on) };
      return img;
    },
  };
  class Tray {
    state: (typeof os.trays)[number];
    constructor(image: { path: string; template: boolean }) {
      this.state = {
        image,
        calls: { setImage: 0, setToolTip: 0, setContextMenu: 0 },
        tip: '',
        menu: [],
        destroyed: false,
      };
      os.trays.push(this.state);
    }
    setImage(image: { path: string; template: boolean }): void {
      this.state.image = image;
      this.state.calls.setImage++;
    }
    setToolTip(tip: string): void {
      this.state.tip = tip;
      this.state.calls.setToolTip++;
    }
    setContextMenu(menu: { template: MenuItemConstructorOptions[] }): void {
      this.state.menu = menu.template;
      this.state.calls.setContextMenu++;
    }
    on(): this {
      return this;
    }
    destroy(): void {
      this.state.destroyed = true;
    }
  }
  const Menu = { buildFromTemplate: (template: MenuItemConstructorOptions[]) => ({ template }) };
  return { default: { Tray, Menu, nativeImage }, Tray, Menu, nativeImage };
});

const { TrayController } = await import('../../main/app/tray');
const { vantageLines } = await import('../../main/app/tray-menu');
const { summarize } = await import('../../shared/aggregate');
type AggregateMonitor = import('../../shared/aggregate').AggregateMonitor;
type MonitorStatus = import('../../shared/status').MonitorStatus;

const ICONS = fileURLToPath(new URL('../../build', import.meta.url));
// Local noon, whatever the machine's time zone: menu times are local.
const NOW = new Date(2026, 2, 10, 12, 0, 0).getTime();
const MIN = 60_000;

function mon(id: string, status: MonitorStatus, since = NOW, extra: Record<string, unknown> = {}): AggregateMonitor {
  return { id, name: id, host: `${id}.example`, port: 6379, state: { status, since, ...extra } };
}

function actions() {
  return {
    checkAll: vi.fn(),
    snooze: vi.fn((choice: string | undefined) => (choice ? NOW + 4 * 60 * MIN : undefined)),
    pause: vi.fn(),
    resume: vi.fn(),
    openWindow: vi.fn(),
    openMonitor: vi.fn(),
    setStartAtLogin: vi.fn((on: boolean) => on),
    quit: vi.fn(),
  };
}

const calm = { offline: false, paused: false };
const controllers: InstanceType<typeof TrayController>[] = [];

function start(summary: ReturnType<typeof summarize>, platform: NodeJS.Platform = 'linux') {
  const a = actions();
  const c = new TrayController({ iconDir: ICONS, actions: a, platform, now: () => NOW, refreshMs: 0 }, summary);
  controllers.push(c);
  const tray = os.trays.at(-1);
  if (!tray) throw new Error('no tray was created');
  return { c, a, tray };
}

const labels = (items: MenuItemConstructorOptions[]): string[] => items.map((i) => i.label ?? `-${i.type}-`);
const item = (items: MenuItemConstructorOptions[], label: RegExp): MenuItemConstructorOptions => {
  const found = items.find((i) => i.label !== undefined && label.test(i.label));
  if (!found) throw new Error(`no menu item ${label} in ${labels(items).join(' | ')}`);
  return found;
};
const click = (i: MenuItemConstructorOptions): void =>
  (i.click as unknown as (() => void) | undefined)?.call(undefined);
const submenu = (i: MenuItemConstructorOptions): MenuItemConstructorOptions[] =>
  Array.isArray(i.submenu) ? i.submenu : [];

afterEach(() => {
  for (const c of controllers.splice(0)) c.dispose();
});

const cases = [
  ['up', [mon('a', 'up')], calm],
  ['degraded', [mon('a', 'up'), mon('b', 'degraded')], calm],
  ['down', [mon('a', 'down'), mon('b', 'degraded')], calm],
  ['paused', [mon('a', 'down')], { offline: false, paused: true }],
  ['offline', [mon('a', 'down')], { offline: true, paused: true }],
] as const;

describe('tray icon', () => {
  it.each(cases)('shows the %s icon, a checked-in file, and a template image on macOS', (state, monitors, flags) => {
    const { tray } = start(summarize(monitors, flags), 'win32');
    expect(tray.image.path).toBe(join(ICONS, `tray-${state}.png`));
    expect(tray.image.template).toBe(false);
    expect(existsSync(tray.image.path)).toBe(true);

    const mac = start(summarize(monitors, flags), 'darwin').tray;
    expect(mac.image.path).toBe(join(ICONS, `tray-${state}Template.png`));
    expect(mac.image.template).toBe(true);
    expect(existsSync(mac.image.path)).toBe(true);
    expect(existsSync(join(ICONS, `tray-${state}Template@2x.png`))).toBe(true);
  });

  it('says the counts in the tooltip and switches the icon when the state changes', () => {
    const fleet = [...Array.from({ length: 12 }, (_, i) => mon(`up${i}`, 'up')), mon('db', 'down')];
    const { c, tray } = start(summarize([...fleet, mon('c1', 'degraded'), mon('c2', 'degraded')], calm));
    expect(tray.tip).toBe('Portwatch — 12 up, 1 down, 2 degraded');
    expect(tray.image.path).toMatch(/tray-down\.png$/);

    c.update(
      summarize(
        fleet.map((m) => (m.id === 'db' ? mon('db', 'up') : m)),
        calm,
      ),
    );
    expect(tray.image.path).toMatch(/tray-up\.png$/);
    expect(tray.tip).toBe('Portwatch — 13 up');
  });
});

describe('tray menu', () => {
  it('lists what is down or degraded with how long, and opens the monitor on click', () => {
    const incident = {
      startedAt: NOW - 7 * MIN,
      confirmedAt: NOW - 6 * MIN,
      outcome: 'refused',
      phase: 'connect',
      diagnosis: '',
    };
    const { a, tray } = start(
      summarize(
        [
          mon('web', 'up'),
          mon('orders-db', 'down', NOW - 6 * MIN, { incident }),
          mon('search', 'degraded', NOW - 125 * MIN),
        ],
        calm,
      ),
    );
    expect(labels(tray.menu).slice(0, 4)).toEqual([
      '1 up, 1 down, 1 degraded',
      '-separator-',
      'orders-db — down for 7 min (refused)',
      'search — degraded for 2 h 5 min',
    ]);
    expect(item(tray.menu, /^1 up/).enabled).toBe(false);
    click(item(tray.menu, /^orders-db/));
    expect(a.openMonitor).toHaveBeenCalledWith('orders-db');
  });

  it('offers every action, and each item does what it says', () => {
    const { a, tray } = start(summarize([mon('web', 'up')], calm));
    click(item(tray.menu, /^Check everything now$/));
    click(item(tray.menu, /^Pause monitoring$/));
    click(item(tray.menu, /^Open Portwatch$/));
    click(item(tray.menu, /^Quit/));
    expect(a.checkAll).toHaveBeenCalledOnce();
    expect(a.pause).toHaveBeenCalledOnce();
    expect(a.openWindow).toHaveBeenCalledOnce();
    expect(a.quit).toHaveBeenCalledOnce();

    const login = item(tray.menu, /^Start at login$/);
    expect(login).toMatchObject({ type: 'checkbox', checked: false });
    click(login);
    expect(a.setStartAtLogin).toHaveBeenCalledWith(true);
    expect(item(tray.menu, /^Start at login$/).checked).toBe(true);
  });

  it('snoozes for a chosen time, then shows until when and offers to resume alerts', () => {
    const { a, tray } = start(summarize([mon('web', 'up')], calm));
    const snooze = submenu(item(tray.menu, /^Snooze alerts$/));
    expect(labels(snooze)).toEqual([
      'For 1 hour',
      'For 4 hours',
      'For 8 hours',
      'Until 09:00 tomorrow',
      '-separator-',
      'Resume alerts',
    ]);
    expect(item(snooze, /^Resume alerts$/).enabled).toBe(false);

    click(item(snooze, /^For 4 hours$/));
    expect(a.snooze).toHaveBeenCalledWith('4h');
    const snoozed = item(tray.menu, /^Alerts snoozed until 16:00$/);
    expect(labels(submenu(snoozed))[0]).toBe('Snoozed until 16:00');
    expect(tray.tip).toContain('alerts snoozed until 16:00');

    const resume = item(submenu(snoozed), /^Resume alerts$/);
    expect(resume.enabled).toBe(true);
    click(resume);
    expect(a.snooze).toHaveBeenLastCalledWith(undefined);
    expect(item(tray.menu, /^Snooze alerts$/)).toBeTruthy();
  });

  it('offers to resume monitoring while paused, and says the machine is offline when it is', () => {
    const paused = start(summarize([mon('web', 'paused')], { offline: false, paused: true }));
    expect(labels(paused.tray.menu)[0]).toBe('Monitoring is paused');
    click(item(paused.tray.menu, /^Resume monitoring$/));
    expect(paused.a.resume).toHaveBeenCalledOnce();

    const offline = start(summarize([mon('web', 'up')], { offline: true, paused: false }));
    expect(labels(offline.tray.menu)[0]).toMatch(/offline/);
    expect(offline.tray.tip).toMatch(/^Portwatch — .*offline/);
  });
});

describe('tray updates', () => {
  it('does not touch the OS when only latencies change', () => {
    const { c, tray } = start(summarize([mon('a', 'up'), mon('b', 'degraded', NOW - 3 * MIN)], calm));
    const before = { ...tray.calls };
    for (const ms of [12, 480, 33, 2900]) {
      c.update(
        summarize([mon('a', 'up', NOW, { last: { ms } }), mon('b', 'degraded', NOW - 3 * MIN, { last: { ms } })], calm),
      );
    }
    expect(tray.calls).toEqual(before);
  });

  it('rebuilds the menu and changes the icon when a monitor changes state', () => {
    const { c, tray } = start(summarize([mon('a', 'up'), mon('b', 'up')], calm));
    const before = { ...tray.calls };
    c.update(summarize([mon('a', 'up'), mon('b', 'down')], calm));
    expect(tray.calls.setContextMenu).toBe(before.setContextMenu + 1);
    expect(tray.calls.setImage).toBe(before.setImage + 1);
    expect(labels(tray.menu)).toContain('b — down for under a minute');
  });
});

describe('tray: other vantage points', () => {
  it('names targets only some places reach and sources gone silent, and opens the window on click', () => {
    const { c, a, tray } = start(summarize([mon('a', 'up')], calm));
    expect(labels(tray.menu)).not.toContain('Seen from other places');
    const lines = vantageLines({
      sources: [
        {
          id: 'cloud',
          name: 'cloud',
          url: 'http://10.0.0.9:7788/',
          token: '(sealed)',
          state: { status: 'ok', since: NOW, checkedAt: NOW, monitors: 3 },
        },
        {
          id: 'branch',
          name: 'branch',
          url: 'http://10.0.0.8:7788/',
          token: '(sealed)',
          state: { status: 'unreachable', since: NOW, checkedAt: NOW, reason: 'connection refused' },
        },
      ],
      targets: [
        {
          key: 'db:5432/tcp',
          name: 'orders-db',
          host: 'db',
          port: 5432,
          kind: 'split',
          summary: 'reachable from office, not from cloud',
          reachableFrom: ['office'],
          notReachableFrom: ['cloud'],
          unknownFrom: [],
          seen: [],
        },
        {
          key: 'web:443/tcp',
          name: 'web',
          host: 'web',
          port: 443,
          kind: 'up',
          summary: 'up everywhere',
          reachableFrom: ['office', 'cloud'],
          notReachableFrom: [],
          unknownFrom: [],
          seen: [],
        },
      ],
    });
    c.setVantage(lines);
    expect(labels(tray.menu)).toContain('Seen from other places');
    expect(labels(tray.menu)).toContain('⇄ orders-db: reachable from office, not from cloud');
    expect(labels(tray.menu)).toContain('? branch is not answering');
    expect(labels(tray.menu).some((l) => l.includes('web'))).toBe(false);
    click(item(tray.menu, /orders-db: reachable/));
    expect(a.openWindow).toHaveBeenCalled();
    // The same lines again: nothing for the OS to redraw.
    const before = { ...tray.calls };
    c.setVantage(vantageLines({ sources: [], targets: [] }));
    c.setVantage(lines);
    c.setVantage(lines);
    expect(tray.calls.setContextMenu).toBe(before.setContextMenu + 2);
  });
});
