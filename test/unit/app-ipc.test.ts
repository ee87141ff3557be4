import { describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { CHANNELS, type MonitorView } from '../../shared/api';
import { eventChannel, invokeChannel } from '../../shared/ipc-channels';
import { fail, ok, type Result } from '../../shared/result';
import { VirtualClock } from '../../main/core/clock';
import type { EngineEvent } from '../../main/core/engine';
import type { PortwatchService } from '../../main/core/service';

// Electron mocked at its boundary: ipcMain keeps each handler in a map the test calls like the
// renderer would, and BrowserWindow knows which web contents are the app's windows.
const electron = vi.hoisted(() => {
  type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;
  const handlers = new Map<string, Handler>();
  const windows = new Set<unknown>();
  const ipcMain = {
    handle: (channel: string, fn: Handler) => {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, fn);
    },
    removeHandler: (channel: string) => handlers.delete(channel),
  };
  const BrowserWindow = { fromWebContents: (wc: unknown) => (windows.has(wc) ? {} : null) };
  return { handlers, windows, ipcMain, BrowserWindow };
});
vi.mock('electron', () => ({
  default: { ipcMain: electron.ipcMain, BrowserWindow: electron.BrowserWindow },
  ipcMain: electron.ipcMain,
  BrowserWindow: electron.BrowserWindow,
}));

const { forwardEvents, registerIpc, rendererSenderCheck } = await import('../../main/app/ipc');

const rendererDir = join(tmpdir(), 'portwatch-app', 'out', 'renderer');
const rendererPage = `${pathToFileURL(join(rendererDir, 'index.html')).href}#/monitors`;
const appWindow = { id: 1 } as unknown as WebContents;
electron.windows.add(appWindow);

const view = { monitor: { id: 'db', name: 'Postgres' }, state: undefined } as unknown as MonitorView;

function fakeService() {
  return {
    list: vi.fn(() => [view]),
    get: vi.fn((id: unknown): Result<MonitorView> =>
      id === 'db' ? ok(view) : fail(`no monitor with id ${String(id)}`),
    ),
    series: vi.fn(() => ok([])),
    checkAll: vi.fn((): Result<true> => {
      throw new Error('the engine has stopped');
    }),
  };
}

function setup(origin: { devServerUrl?: string } = {}) {
  electron.handlers.clear();
  const service = fakeService();
  const onError = vi.fn();
  const dispose = registerIpc({
    ipcMain: electron.ipcMain,
    service: service as unknown as PortwatchService,
    isTrustedSender: rendererSenderCheck({ rendererDir, ...origin }),
    onError,
  });
  const from =
    (url: string | null, sender: WebContents = appWindow) =>
    (channel: string, ...args: unknown[]): Promise<unknown> => {
      const handler = electron.handlers.get(invokeChannel(channel));
      if (!handler) throw new Error(`no handler for ${channel}`);
      const event = { senderFrame: url === null ? null : { url }, sender } as unknown as IpcMainInvokeEvent;
      return handler(event, ...args);
    };
  return { service, onError, dispose, call: from(rendererPage), from };
}

describe('IPC between the window and the app', () => {
  it("passes the window's calls to the service and returns its answer", async () => {
    const { service, call } = setup();
    expect(await call('monitors.get', 'db')).toEqual({ ok: true, value: view });
    expect(service.get).toHaveBeenCalledWith('db');
    expect(await call('monitors.get', 'nope')).toEqual({ ok: false, error: 'no monitor with id nope' });
    expect(await call('monitors.list')).toEqual({ ok: true, value: [view] });
  });

  it('refuses calls from anything but our own page in our own window, without calling the service', async () => {
    const { service, from } = setup();
    const elsewhere = pathToFileURL(join(rendererDir, '..', 'renderer-other', 'index.html')).href;
    const webview = { id: 2 } as unknown as WebContents;
    const refusals = await Promise.all([
      from('https://evil.example/')('monitors.get', 'db'),
      from(elsewhere)('monitors.get', 'db'),
      from('file:///etc/passwd')('monitors.get', 'db'),
      from(rendererPage, webview)('monitors.get', 'db'),
      from(null)('monitors.get', 'db'),
      from('http://localhost:5173/')('monitors.get', 'db'),
    ]);
    for (const r of refusals) expect(r).toMatchObject({ ok: false, error: /^monitors\.get: this call is not allowed/ });
    expect(refusals[0]).toEqual({
      ok: false,
      error: 'monitors.get: this call is not allowed from https://evil.example/',
    });
    expect(refusals[1]).toMatchObject({ error: expect.stringContaining('renderer-other') });
    expect(service.get).not.toHaveBeenCalled();
  });

  it('trusts the dev server when one is configured, and only its origin', async () => {
    const { service, from } = setup({ devServerUrl: 'http://localhost:5173' });
    expect(await from('http://localhost:5173/#/settings')('monitors.get', 'db')).toEqual({ ok: true, value: view });
    expect(await from('http://localhost:5174/')('monitors.get', 'db')).toMatchObject({ ok: false });
    expect(service.get).toHaveBeenCalledTimes(1);
  });

  it('rejects malformed arguments, naming the call and the argument, without calling the service', async () => {
    const { service, call } = setup();
    expect(await call('monitors.get', 42)).toEqual({
      ok: false,
      error: 'monitors.get: argument 1 must be a string, not number 42',
    });
    expect(await call('monitors.get')).toEqual({ ok: false, error: 'monitors.get: argument 1 is missing' });
    expect(await call('monitors.get', 'db', 'extra')).toEqual({
      ok: false,
      error: 'monitors.get: takes at most 1 argument, got 2',
    });
    expect(await call('monitors.list', 'extra')).toEqual({
      ok: false,
      error: 'monitors.list: takes no arguments, got 1',
    });
    expect(await call('series', 'db', { from: 'yesterday', to: 2, step: 5 })).toEqual({
      ok: false,
      error:
        'series: argument 2 field "from" must be a number, not string "yesterday"; argument 2 has unknown field "step"',
    });
    expect(await call('monitors.add', 'postgres:5432')).toEqual({
      ok: false,
      error: 'monitors.add: argument 1 must be an object',
    });
    expect(service.get).not.toHaveBeenCalled();
    expect(service.series).not.toHaveBeenCalled();
  });

  it('answers a handler that throws with an error value, and reports it', async () => {
    const { call, onError } = setup();
    expect(await call('checkAll')).toEqual({ ok: false, error: 'checkAll: the engine has stopped' });
    expect(onError).toHaveBeenCalledWith('checkAll', expect.any(Error));
  });

  it('registers a handler for every call in the contract, and removes them all again', () => {
    const { dispose } = setup();
    expect([...electron.handlers.keys()].sort()).toEqual(CHANNELS.map(invokeChannel).sort());
    dispose();
    expect(electron.handlers.size).toBe(0);
  });

  it('lets another object serve a call instead of the service', async () => {
    electron.handlers.clear();
    const service = fakeService();
    registerIpc({
      ipcMain: electron.ipcMain,
      service: service as unknown as PortwatchService,
      isTrustedSender: () => true,
      extraHandlers: { checkAll: () => ok(true) },
    });
    const handler = electron.handlers.get(invokeChannel('checkAll'));
    expect(await handler?.({} as IpcMainInvokeEvent)).toEqual({ ok: true, value: true });
    expect(service.checkAll).not.toHaveBeenCalled();
  });
});

describe('engine events to the window', () => {
  const event = (monitorId: string, at: number): EngineEvent =>
    ({ type: 'result', monitorId, result: { startedAt: at }, state: { status: 'up', since: at } }) as EngineEvent;

  function source() {
    const listeners = new Set<(e: EngineEvent) => void>();
    return {
      listeners,
      emit: (e: EngineEvent) => listeners.forEach((l) => l(e)),
      subscribe: (l: (e: EngineEvent) => void) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    };
  }
  const contents = () => {
    const sent: [string, unknown][] = [];
    let destroyed = false;
    const wc = {
      send: (channel: string, payload: unknown) => sent.push([channel, payload]),
      isDestroyed: () => destroyed,
    } as unknown as WebContents;
    return { wc, sent, destroy: () => (destroyed = true) };
  };

  it('sends a busy stretch as one batch with the latest result per monitor', async () => {
    const clock = new VirtualClock(0);
    const engine = source();
    const win = contents();
    forwardEvents(engine, () => win.wc, { clock });
    for (let i = 0; i < 100; i++) engine.emit(event(`m${i % 2}`, i));
    await clock.advance(200);
    expect(win.sent).toEqual([[eventChannel('events'), [event('m0', 98), event('m1', 99)]]]);
  });

  it('keeps nothing while no window is open or after it closed, and stops when told', async () => {
    const clock = new VirtualClock(0);
    const engine = source();
    const win = contents();
    const open: { window?: WebContents } = {};
    const stop = forwardEvents(engine, () => open.window, { clock });
    engine.emit(event('m0', 1));
    await clock.advance(200);
    open.window = win.wc;
    engine.emit(event('m0', 2));
    await clock.advance(200);
    expect(win.sent).toEqual([[eventChannel('events'), [event('m0', 2)]]]);
    win.destroy();
    engine.emit(event('m0', 3));
    await clock.advance(200);
    expect(win.sent).toHaveLength(1);
    stop();
    expect(engine.listeners.size).toBe(0);
  });

  it('carries on past a window that fails to receive', async () => {
    const clock = new VirtualClock(0);
    const engine = source();
    const broken = {
      send: () => {
        throw new Error('Render frame was disposed');
      },
      isDestroyed: () => false,
    } as unknown as WebContents;
    const win = contents();
    const onError = vi.fn();
    forwardEvents(engine, () => [broken, win.wc], { clock, onError });
    engine.emit(event('m0', 1));
    await clock.advance(200);
    expect(win.sent).toHaveLength(1);
    expect(onError).toHaveBeenCalledTimes(1);
  });
});
