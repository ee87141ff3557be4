import { describe, expect, it, vi } from 'vitest';
import type { PortwatchApi } from '../../shared/api';
import { eventChannel, invokeChannel } from '../../shared/ipc-channels';

// Electron mocked at its boundary: ipcRenderer is an event emitter whose invoke answers like main
// does, and contextBridge records what the preload exposes to the page.
const electron = vi.hoisted(async () => {
  const { EventEmitter } = await import('node:events');
  const ipcRenderer = Object.assign(new EventEmitter(), {
    invoke: vi.fn(async (channel: string, ...args: unknown[]): Promise<unknown> => {
      if (channel === 'portwatch:monitors.get') return { ok: true, value: { id: args[0] } };
      throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    }),
  });
  const contextBridge = { exposeInMainWorld: vi.fn() };
  return { ipcRenderer, contextBridge };
});
vi.mock('electron', async () => {
  const { ipcRenderer, contextBridge } = await electron;
  return { default: { ipcRenderer, contextBridge }, ipcRenderer, contextBridge };
});

const { ipcRenderer, contextBridge } = await electron;
await import('../../preload/index');

const exposed = (): PortwatchApi => {
  expect(contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
  const [key, api] = contextBridge.exposeInMainWorld.mock.calls[0] ?? [];
  expect(key).toBe('portwatch');
  return api as PortwatchApi;
};

describe('the preload', () => {
  it('exposes one object, window.portwatch, with invoke and on only', () => {
    expect(Object.keys(exposed()).sort()).toEqual(['invoke', 'on']);
  });

  it("sends a call on the contract's channel and hands back main's answer", async () => {
    const api = exposed();
    expect(await api.invoke('monitors.get', 'db')).toEqual({ ok: true, value: { id: 'db' } });
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith(invokeChannel('monitors.get'), 'db');
  });

  it('turns a call main does not answer into an error value instead of a rejection', async () => {
    const api = exposed();
    const answer = await api.invoke('checkAll');
    expect(answer).toMatchObject({ ok: false, error: expect.stringMatching(/^checkAll: .*No handler registered/) });
  });

  it('delivers events without the IPC event, and stops after unsubscribe', () => {
    const api = exposed();
    const listener = vi.fn();
    const unsubscribe = api.on('events', listener);
    const batch = [{ type: 'offline', at: 1 }];
    ipcRenderer.emit(eventChannel('events'), { sender: 'ipc-event' }, batch);
    expect(listener).toHaveBeenCalledExactlyOnceWith(batch);

    unsubscribe();
    ipcRenderer.emit(eventChannel('events'), { sender: 'ipc-event' }, batch);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(ipcRenderer.listenerCount(eventChannel('events'))).toBe(0);
  });
});
