import { beforeEach, describe, expect, it, vi } from 'vitest';

// Electron mocked at its boundary: a BrowserWindow that records what it was built with and what
// was done to it, and an app whose listeners the test can fire.
const fake = await vi.hoisted(async () => {
  const { EventEmitter } = await import('node:events');

  class FakeWindow extends EventEmitter {
    static all: FakeWindow[] = [];
    visible = false;
    minimized = false;
    destroyed = false;
    loading = true;
    loaded: { file?: string; url?: string; hash?: string } = {};
    readonly sent: [string, unknown][] = [];
    readonly calls: string[] = [];
    readonly webContents = Object.assign(new EventEmitter(), {
      isLoading: () => this.loading,
      send: (channel: string, payload: unknown) => this.sent.push([channel, payload]),
    });
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      super();
      FakeWindow.all.push(this);
    }
    async loadFile(file: string, opts?: { hash?: string }) {
      this.loaded = { file, hash: opts?.hash };
    }
    async loadURL(url: string) {
      this.loaded = { url };
    }
    show() {
      this.calls.push('show');
      this.visible = true;
    }
    hide() {
      this.calls.push('hide');
      this.visible = false;
    }
    focus() {
      this.calls.push('focus');
    }
    restore() {
      this.calls.push('restore');
      this.minimized = false;
    }
    isMinimized() {
      return this.minimized;
    }
    isDestroyed() {
      return this.destroyed;
    }
    /** What Electron does on close: a listener may preventDefault, else the window goes away. */
    close(): void {
      let prevented = false;
      this.emit('close', { preventDefault: () => (prevented = true) });
      if (prevented) return;
      this.destroyed = true;
      this.emit('closed');
    }
    finishLoading(): void {
      this.loading = false;
      this.webContents.emit('did-finish-load');
    }
  }
  const app = Object.assign(new EventEmitter(), { isPackaged: false });
  return { FakeWindow, app };
});

vi.mock('electron', () => ({
  default: { app: fake.app, BrowserWindow: fake.FakeWindow },
  app: fake.app,
  BrowserWindow: fake.FakeWindow,
}));

type Windows = typeof import('../../main/app/windows');
type FakeWin = InstanceType<typeof fake.FakeWindow>;
let windows: Windows;
const create = (): FakeWin => windows.createMainWindow() as unknown as FakeWin;
const showMain = (monitorId?: string): FakeWin => windows.showMainWindow(monitorId) as unknown as FakeWin;

beforeEach(async () => {
  // Fresh module state (the one main window, the quitting flag) for each test.
  vi.resetModules();
  fake.FakeWindow.all = [];
  fake.app.removeAllListeners();
  windows = await import('../../main/app/windows');
});

describe('main window (desktop app)', () => {
  it('is built locked down: isolated, sandboxed, no Node, web security, no webview, no spellcheck', () => {
    const win = create();
    expect(fake.FakeWindow.all).toEqual([win]);
    const prefs = win.options.webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    });
    expect(String(prefs.preload)).toMatch(/preload[\\/]index\.cjs$/);
    expect(win.loaded.file).toMatch(/renderer[\\/]index\.html$/);
  });

  it('shows itself once painted', () => {
    const win = create();
    expect(win.visible).toBe(false);
    win.emit('ready-to-show');
    expect(win.visible).toBe(true);
  });

  it('hides on close so monitoring goes on from the tray', () => {
    const win = create();
    win.show();
    win.close();
    expect(win.destroyed).toBe(false);
    expect(win.visible).toBe(false);
  });

  it('really closes once the app is quitting, whether told directly or through before-quit', () => {
    const first = create();
    windows.setQuitting();
    first.close();
    expect(first.destroyed).toBe(true);

    windows.setQuitting(false);
    const second = create();
    fake.app.emit('before-quit');
    second.close();
    expect(second.destroyed).toBe(true);
  });

  it('showMainWindow(id) brings a hidden, minimised window up and routes it to the monitor', () => {
    const win = create();
    win.finishLoading();
    win.close();
    win.minimized = true;
    win.calls.length = 0;

    expect(windows.showMainWindow('db/primary 1')).toBe(win);
    expect(win.sent).toEqual([[windows.NAVIGATE_CHANNEL, '/monitor/db%2Fprimary%201']]);
    expect(win.calls).toEqual(['restore', 'show', 'focus']);
    expect(fake.FakeWindow.all).toHaveLength(1);
  });

  it('waits for the page before routing, or it would send to nobody', () => {
    const win = create();
    windows.showMainWindow('redis');
    expect(win.sent).toEqual([]);
    win.finishLoading();
    expect(win.sent).toEqual([['portwatch-event:navigate', '/monitor/redis']]);
  });

  it('opens a new window straight on the monitor when none is left', () => {
    const win = showMain('api');
    expect(win.loaded.hash).toBe('/monitor/api');
    expect(win.sent).toEqual([]);
    win.emit('ready-to-show');
    expect(win.visible).toBe(true);
  });

  it('shows without routing when no monitor is given', () => {
    const win = create();
    win.finishLoading();
    windows.showMainWindow();
    expect(win.sent).toEqual([]);
    expect(win.visible).toBe(true);
  });
});
