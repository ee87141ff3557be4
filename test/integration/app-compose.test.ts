import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// The desktop app put together as main/index.ts does, with Electron mocked at its boundary and
// everything else real: the config file, SQLite history, the engine checking a loopback port,
// alerting. What a user sees is asserted through what the app asks Electron to show.

type Listener = (...args: unknown[]) => void;
interface MenuItem {
  label?: string;
  click?: () => void;
  submenu?: MenuItem[];
}

const electron = vi.hoisted(() => {
  const on = (map: Map<string, Listener[]>) => (event: string, fn: Listener) => {
    map.set(event, [...(map.get(event) ?? []), fn]);
  };
  const appEvents = new Map<string, Listener[]>();
  const state = {
    userData: '',
    appEvents,
    handlers: new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>(),
    windows: [] as FakeWindow[],
    trays: [] as FakeTray[],
    notifications: [] as { title: string; body: string }[],
    quits: 0,
  };
  class FakeWebContents {
    sent: unknown[][] = [];
    send = (...args: unknown[]) => void this.sent.push(args);
    isLoading = () => false;
    isDestroyed = () => false;
    once = () => undefined;
    on = () => undefined;
  }
  class FakeWindow {
    webContents = new FakeWebContents();
    events = new Map<string, Listener[]>();
    visible = false;
    constructor(readonly options: unknown) {
      state.windows.push(this);
    }
    static getAllWindows = () => state.windows;
    static fromWebContents = (wc: unknown) => state.windows.find((w) => w.webContents === wc) ?? null;
    on = on(this.events);
    once = on(this.events);
    loadFile = () => Promise.resolve();
    loadURL = () => Promise.resolve();
    show = () => void (this.visible = true);
    hide = () => void (this.visible = false);
    focus = () => undefined;
    isMinimized = () => false;
    restore = () => undefined;
    isDestroyed = () => false;
    flashFrame = () => undefined;
  }
  class FakeTray {
    image = '';
    tip = '';
    menu: MenuItem[] = [];
    destroyed = false;
    constructor(image: { path: string }) {
      this.image = image.path;
      state.trays.push(this);
    }
    setImage = (image: { path: string }) => void (this.image = image.path);
    setToolTip = (tip: string) => void (this.tip = tip);
    setContextMenu = (menu: MenuItem[]) => void (this.menu = menu);
    on = () => undefined;
    destroy = () => void (this.destroyed = true);
  }
  class FakeNotification {
    static isSupported = () => true;
    constructor(private readonly o: { title: string; body: string }) {}
    on = () => undefined;
    show = () => void state.notifications.push({ title: this.o.title, body: this.o.body });
  }
  const app = {
    isPackaged: false,
    getPath: () => state.userData,
    getVersion: () => '0.1.0',
    getLoginItemSettings: () => ({ openAtLogin: false, wasOpenedAtLogin: false }),
    setLoginItemSettings: () => undefined,
    on: on(appEvents),
    quit: () => {
      state.quits++;
      let prevented = false;
      for (const fn of appEvents.get('before-quit') ?? []) fn({ preventDefault: () => (prevented = true) });
      return prevented;
    },
    dock: undefined,
  };
  const xor = (b: Buffer): Buffer => Buffer.from(b.map((x) => x ^ 0x5a));
  const session = {
    defaultSession: {
      setPermissionRequestHandler: () => undefined,
      setPermissionCheckHandler: () => undefined,
      setDevicePermissionHandler: () => undefined,
      webRequest: { onHeadersReceived: () => undefined },
      on: () => undefined,
    },
  };
  const mod = {
    app,
    BrowserWindow: FakeWindow,
    Tray: FakeTray,
    Notification: FakeNotification,
    Menu: { buildFromTemplate: (t: MenuItem[]) => t },
    nativeImage: {
      createFromPath: (path: string) => ({ path, setTemplateImage: () => undefined, isEmpty: () => false }),
    },
    ipcMain: {
      handle: (ch: string, fn: (event: unknown, ...args: unknown[]) => Promise<unknown>) => state.handlers.set(ch, fn),
      removeHandler: (ch: string) => state.handlers.delete(ch),
      on: () => undefined,
    },
    powerMonitor: { on: () => undefined, removeListener: () => undefined },
    net: { isOnline: () => true },
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => xor(Buffer.from(s)),
      decryptString: (b: Buffer) => xor(b).toString(),
    },
    session,
    shell: { openExternal: () => Promise.resolve() },
  };
  return { state, mod };
});
vi.mock('electron', () => ({ default: electron.mod, ...electron.mod }));

const { openCliConfig } = await import('../../main/core/config/store');
const { saveChannel } = await import('../../main/core/alerts/channel-store');
const { keyFileBox } = await import('../../main/core/secrets');
const { History } = await import('../../main/core/history/repo');
const { listen } = await import('../helpers/net');
const { waitFor } = await import('../helpers/monitors');
const { rendererIndex } = await import('../../main/app/paths');

const findItem = (menu: MenuItem[], label: RegExp): MenuItem | undefined => {
  for (const item of menu) {
    if (item.label && label.test(item.label)) return item;
    const inner = item.submenu && findItem(item.submenu, label);
    if (inner) return inner;
  }
  return undefined;
};

describe('the desktop app, composed', () => {
  electron.state.userData = mkdtempSync(join(tmpdir(), 'pw-app-'));
  afterAll(() => rmSync(electron.state.userData, { recursive: true, force: true }));

  it('watches, notifies, answers the window, and quits cleanly from the tray', { timeout: 60_000 }, async () => {
    const service = await listen();
    const config = await openCliConfig(electron.state.userData);
    config.addMonitor({
      id: 'cache',
      name: 'session cache',
      kind: 'tcp',
      host: '127.0.0.1',
      port: service.port,
      tier: 1,
      intervalSec: 5,
      retries: 0,
    });
    saveChannel(config, keyFileBox(join(electron.state.userData, 'unused.key')), { id: 'me', kind: 'desktop' });
    const closed = vi.spyOn(History.prototype, 'close');

    const { compose } = await import('../../main/compose');
    compose();
    const tray = electron.state.trays[0];
    const win = electron.state.windows[0];
    expect(tray && win).toBeTruthy();
    if (!tray || !win) return;

    // The window's calls go through the checked IPC wrapper.
    const trusted = { senderFrame: { url: pathToFileURL(rendererIndex).href }, sender: win.webContents };
    const list = (await electron.state.handlers.get('portwatch:monitors.list')?.(trusted)) as {
      ok: boolean;
      value: { monitor: { name: string } }[];
    };
    expect(list.value.map((v) => v.monitor.name)).toEqual(['session cache']);
    const stranger = { senderFrame: { url: 'https://evil.example/' }, sender: win.webContents };
    expect(await electron.state.handlers.get('portwatch:monitors.list')?.(stranger)).toMatchObject({ ok: false });

    await waitFor(() => /1 up/.test(tray.tip), 10_000, 'the tray to count the monitor up');
    expect(tray.image).toMatch(/tray-up\.png$/);

    await service.close();
    await waitFor(() => /tray-down\.png$/.test(tray.image), 15_000, 'the tray to turn down');
    expect(findItem(tray.menu, /session cache/)).toBeTruthy();
    // One notification after the storm window, saying what, where and why.
    await waitFor(() => electron.state.notifications.length > 0, 20_000, 'the desktop notification');
    expect(electron.state.notifications[0]?.title).toMatch(/session cache \(127\.0\.0\.1:\d+\) is DOWN/);
    expect(electron.state.notifications[0]?.body).toMatch(/refused/);
    // Events reach the window in batches.
    expect(win.webContents.sent.some(([channel]) => channel === 'portwatch-event:events')).toBe(true);

    findItem(tray.menu, /^Quit/)?.click?.();
    await waitFor(() => electron.state.quits >= 2, 10_000, 'the app to quit after stopping');
    expect(closed).toHaveBeenCalled();
    expect(tray.destroyed).toBe(true);
    expect(electron.state.handlers.size).toBe(0);
  });
});
