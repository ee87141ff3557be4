import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiEvents, PortwatchApi } from '../shared/api';
import { eventChannel, invokeChannel } from '../shared/ipc-channels';

export type { PortwatchApi } from '../shared/api';

// Only types come from the contract: its schemas would pull zod into a bundle every window loads.
// Main checks every argument; here a name only picks a channel under our own prefix, so the page
// cannot reach any other channel through this object.
const api: PortwatchApi = {
  async invoke(channel, ...args) {
    try {
      if (typeof channel !== 'string') return { ok: false, error: 'the call name must be a string' };
      return await ipcRenderer.invoke(invokeChannel(channel), ...args);
    } catch (e) {
      // No handler yet, a value that cannot be copied across: still an answer, not a rejection.
      return { ok: false, error: `${channel}: ${e instanceof Error ? e.message : String(e)}` };
    }
  },
  on(event, listener) {
    const name = eventChannel(event);
    const forward = (_e: IpcRendererEvent, payload: ApiEvents[typeof event]): void => listener(payload);
    ipcRenderer.on(name, forward);
    return () => {
      ipcRenderer.removeListener(name, forward);
    };
  },
};

contextBridge.exposeInMainWorld('portwatch', api);
