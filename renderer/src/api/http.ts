// The window's API over `portwatch serve`: the same calls as over Electron's IPC, by the same
// names (POST /api/call/<name>), and the engine's events from the WebSocket at /api/events.

import type { ApiEvents, EventName, PortwatchApi } from '../../../shared/api';
import type { Result } from '../../../shared/result';

type Listener = (payload: never) => void;

const RECONNECT_MS = [500, 1000, 2000, 5000];

export function httpApi(origin: string, token: string | undefined): PortwatchApi {
  const listeners = new Map<EventName, Set<Listener>>();
  let socket: WebSocket | undefined;
  let attempt = 0;

  const connect = (): void => {
    if (socket || !token) return;
    const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/api/events?token=${encodeURIComponent(token)}`);
    socket = ws;
    ws.onopen = () => (attempt = 0);
    ws.onmessage = (m: MessageEvent<string>) => {
      try {
        const events = (JSON.parse(m.data) as { events?: ApiEvents['events'] }).events;
        if (events) for (const l of listeners.get('events') ?? []) (l as (p: ApiEvents['events']) => void)(events);
      } catch {
        // A frame that is not ours is dropped; the next one carries the current state anyway.
      }
    };
    ws.onclose = () => {
      socket = undefined;
      if ((listeners.get('events')?.size ?? 0) === 0) return;
      // serve restarted or the laptop slept: come back without a reload.
      setTimeout(connect, RECONNECT_MS[Math.min(attempt++, RECONNECT_MS.length - 1)]);
    };
  };

  return {
    async invoke(channel, ...args) {
      if (!token)
        return { ok: false, error: 'open Portwatch from the address `portwatch serve` printed (it carries ?token=…)' };
      try {
        const res = await fetch(`${origin}/api/call/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ args }),
        });
        const body = (await res.json()) as Result<never>;
        return body;
      } catch (e) {
        return { ok: false, error: `Portwatch is not reachable: ${e instanceof Error ? e.message : String(e)}` };
      }
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      set.add(listener as Listener);
      if (event === 'events') connect();
      return () => void set.delete(listener as Listener);
    },
  };
}

const TOKEN_KEY = 'portwatch-token';

/**
 * The token from the address serve printed, kept for this tab and taken out of the address bar
 * so it is not left in the history, a bookmark or a screenshot.
 */
export function takeToken(): string | undefined {
  const url = new URL(location.href);
  const given = url.searchParams.get('token');
  if (given) {
    sessionStorage.setItem(TOKEN_KEY, given);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.toString());
    return given;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}
