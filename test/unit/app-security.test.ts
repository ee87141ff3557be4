import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';

// Electron mocked at its boundary: the session records the handlers it is given, app the listeners,
// shell the links it is asked to open.
const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void;
  const handlers = {
    request: undefined as undefined | ((wc: unknown, permission: string, callback: (ok: boolean) => void) => void),
    check: undefined as undefined | ((...args: unknown[]) => boolean),
    device: undefined as undefined | ((...args: unknown[]) => boolean),
    headers: undefined as
      | undefined
      | {
          filter: { urls: string[] };
          fn: (d: { responseHeaders?: Record<string, string[]> }, cb: (r: unknown) => void) => void;
        },
  };
  const makeSession = () => ({
    setPermissionRequestHandler: (h: typeof handlers.request) => (handlers.request = h),
    setPermissionCheckHandler: (h: typeof handlers.check) => (handlers.check = h),
    setDevicePermissionHandler: (h: typeof handlers.device) => (handlers.device = h),
    webRequest: {
      onHeadersReceived: (filter: { urls: string[] }, fn: NonNullable<typeof handlers.headers>['fn']) =>
        (handlers.headers = { filter, fn }),
    },
  });
  const appEvents = new Map<string, Listener>();
  const opened: string[] = [];
  return {
    handlers,
    appEvents,
    opened,
    session: { defaultSession: makeSession() },
    app: { isPackaged: false, on: (name: string, fn: Listener) => appEvents.set(name, fn) },
    shell: {
      openExternal: async (url: string) => {
        opened.push(url);
      },
    },
  };
});

vi.mock('electron', () => {
  const { app, session, shell } = fake;
  return { default: { app, session, shell }, app, session, shell };
});

const security = await import('../../main/app/security');
const { rendererFileUrl } = await import('../../main/app/paths');

// Read through a call, so TypeScript does not keep a narrowing from before a handler was installed.
const installedCheck = () => fake.handlers.check;

/** A web contents as far as the hardening touches it. */
function fakeContents() {
  const listeners = new Map<string, (event: unknown) => void>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    on: (name: string, fn: (event: unknown) => void) => listeners.set(name, fn),
    setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h),
  };
  fake.appEvents.get('web-contents-created')?.({}, contents);
  /** Fires an event the way Electron does; true when the page's action was stopped. */
  const fire = (name: string, url = ''): boolean => {
    let prevented = false;
    listeners.get(name)?.({ url, preventDefault: () => (prevented = true) });
    return prevented;
  };
  return { fire, open: (url: string) => openHandler?.({ url }).action };
}

beforeEach(() => {
  delete process.env.PORTWATCH_DEV_SERVER_URL;
  fake.handlers.headers = undefined;
  fake.opened.length = 0;
  fake.appEvents.clear();
  security.hardenSessions();
});

describe('window security (desktop app)', () => {
  it('blocks navigation and redirects away from the app, allows its own page', () => {
    const wc = fakeContents();
    expect(wc.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(wc.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(wc.fire('will-redirect', 'https://evil.example/phish')).toBe(true);
    expect(wc.fire('will-navigate', 'not a url')).toBe(true);
    expect(wc.fire('will-navigate', `${rendererFileUrl}#/monitor/api`)).toBe(false);
    expect(wc.fire('will-redirect', rendererFileUrl)).toBe(false);
  });

  it('opens https links in the browser and never in a new window', async () => {
    const wc = fakeContents();
    expect(wc.open('https://example.com/docs')).toBe('deny');
    expect(wc.open('http://localhost:8080/')).toBe('deny');
    await Promise.resolve();
    expect(fake.opened).toEqual(['https://example.com/docs', 'http://localhost:8080/']);
  });

  it('denies file:, javascript: and custom-scheme windows without opening anything', async () => {
    const wc = fakeContents();
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://share/x', 'ms-msdt:/id', ''])
      expect(wc.open(url)).toBe('deny');
    await Promise.resolve();
    expect(fake.opened).toEqual([]);
  });

  it('refuses webviews', () => {
    expect(fakeContents().fire('will-attach-webview')).toBe(true);
  });

  it('denies every permission request and every permission check, on new sessions too', () => {
    const callback = vi.fn();
    fake.handlers.request?.({}, 'media', callback);
    fake.handlers.request?.({}, 'notifications', callback);
    expect(callback.mock.calls).toEqual([[false], [false]]);
    expect(fake.handlers.check?.({}, 'clipboard-read', 'file:///', {})).toBe(false);
    expect(fake.handlers.device?.({ deviceType: 'usb' })).toBe(false);

    const fresh = { ...fake.session.defaultSession };
    fake.handlers.check = undefined;
    fake.appEvents.get('session-created')?.(fresh);
    expect(installedCheck()?.({}, 'geolocation', 'https://evil.example', {})).toBe(false);
  });
});

describe('renderer from a dev server (running from source)', () => {
  it('may only be on loopback, since the page gets the preload', () => {
    process.env.PORTWATCH_DEV_SERVER_URL = 'http://dev.example.com:5173';
    expect(() => security.hardenSessions()).toThrow(/on localhost/);
  });

  it('is the only place to navigate to, and gets the policy as a header', () => {
    process.env.PORTWATCH_DEV_SERVER_URL = 'http://localhost:5173/';
    security.hardenSessions();
    const wc = fakeContents();
    expect(wc.fire('will-navigate', 'http://localhost:5173/#/monitor/api')).toBe(false);
    expect(wc.fire('will-navigate', 'http://localhost:5174/')).toBe(true);
    expect(wc.fire('will-navigate', rendererFileUrl)).toBe(true);

    expect(fake.handlers.headers?.filter.urls).toEqual(['http://localhost:5173/*']);
    const callback = vi.fn();
    fake.handlers.headers?.fn({ responseHeaders: { 'Content-Type': ['text/html'] } }, callback);
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [security.RENDERER_CSP_HEADER] },
    });
  });
});

describe('renderer Content-Security-Policy', () => {
  const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html)?.[1] ?? '';

  it('is strict: nothing by default, scripts only from the app, never eval', () => {
    const directives = meta.split(';').map((d) => d.trim());
    expect(directives).toContain("default-src 'none'");
    expect(directives).toContain("script-src 'self'");
    expect(directives).toContain("object-src 'none'");
    expect(directives).toContain("base-uri 'none'");
    expect(meta).not.toContain('unsafe-eval');
    expect(meta).not.toContain('unsafe-inline');
    // a bare scheme would let the page talk to any host
    expect(meta).not.toMatch(/\s(ws|wss|http|https):(\s|;|$)/);
  });

  it('is the same policy the main process sends as a header, plus frame-ancestors', () => {
    expect(meta).toBe(security.RENDERER_CSP);
    expect(security.RENDERER_CSP_HEADER).toBe(`${meta}; frame-ancestors 'none'`);
  });
});
