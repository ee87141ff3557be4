// What the window knows: the monitors with their live state, engine flags and per-monitor stats.
// Loaded once, then kept current by the engine's batched events; a change made here reloads.

import { create } from 'zustand';
import type { MonitorView, PortwatchEvent } from '../../shared/api';
import type { MonitorState } from '../../shared/status';
import { api } from './api/client';

export interface Flags {
  offline: boolean;
  paused: boolean;
  suspended: boolean;
}

export interface PortwatchState {
  monitors: Record<string, MonitorView>;
  /** Monitor ids sorted by name, for stable lists. */
  order: string[];
  flags: Flags;
  loaded: boolean;
  /** Why the last load failed, in words; cleared by the next good one. */
  error: string | undefined;
  load: () => Promise<void>;
  apply: (events: readonly PortwatchEvent[]) => void;
}

const byName = (monitors: Record<string, MonitorView>): string[] =>
  Object.values(monitors)
    .sort((a, b) => a.monitor.name.localeCompare(b.monitor.name) || a.monitor.id.localeCompare(b.monitor.id))
    .map((v) => v.monitor.id);

export const useStore = create<PortwatchState>((set, get) => ({
  monitors: {},
  order: [],
  flags: { offline: false, paused: false, suspended: false },
  loaded: false,
  error: undefined,

  async load() {
    const [list, overview] = await Promise.all([api.invoke('monitors.list'), api.invoke('overview')]);
    if (!list.ok) return set({ error: list.error, loaded: true });
    const monitors = Object.fromEntries(list.value.map((v) => [v.monitor.id, v]));
    set({
      monitors,
      order: byName(monitors),
      loaded: true,
      error: undefined,
      ...(overview.ok
        ? {
            flags: {
              offline: overview.value.offline,
              paused: overview.value.paused,
              suspended: overview.value.suspended,
            },
          }
        : {}),
    });
  },

  apply(events) {
    const states = new Map<string, MonitorState>();
    let flags = get().flags;
    for (const e of events) {
      if (e.type === 'result' || e.type === 'transition') states.set(e.monitorId, e.state);
      else if (e.type === 'offline' || e.type === 'online') flags = { ...flags, offline: e.type === 'offline' };
      else flags = { ...flags, suspended: e.type === 'suspended' };
    }
    const current = get().monitors;
    let monitors = current;
    let unknown = false;
    for (const [id, state] of states) {
      const view = current[id];
      if (view) monitors = { ...monitors, [id]: { ...view, state } };
      else unknown = true;
    }
    set({ monitors, flags });
    // A monitor added elsewhere (the CLI, another window, the API): load it with its config.
    if (unknown) reloadSoon();
  },
}));

let reloadTimer: ReturnType<typeof setTimeout> | undefined;
/** One reload for a burst of events about monitors the window does not know yet. */
function reloadSoon(): void {
  reloadTimer ??= setTimeout(() => {
    reloadTimer = undefined;
    void useStore.getState().load();
  }, 500);
}

/** Starts listening to the engine; returns the function that stops. */
export function subscribeToEngine(): () => void {
  return api.on('events', (events) => useStore.getState().apply(events));
}
