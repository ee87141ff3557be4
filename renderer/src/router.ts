// Pages by the address's hash (#/monitor/<id>), so a reload, the back button and a link from a
// notification all land on the same page, in the app and in a browser alike.

import { useSyncExternalStore } from 'react';

export type Route =
  | { page: 'overview' }
  | { page: 'monitor'; id: string }
  | { page: 'edit'; id: string | undefined }
  | { page: 'inventory' }
  | { page: 'alerts' }
  | { page: 'review' }
  | { page: 'settings' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const [, first = '', second, third] = path.split('/');
  const id = second === undefined ? undefined : decodeURIComponent(second);
  if (first === 'monitor' && id && third === 'edit') return { page: 'edit', id };
  if (first === 'monitor' && id) return { page: 'monitor', id };
  if (first === 'new') return { page: 'edit', id: undefined };
  if (first === 'inventory' || first === 'alerts' || first === 'review' || first === 'settings') return { page: first };
  return { page: 'overview' };
}

export const href = {
  overview: '#/',
  monitor: (id: string) => `#/monitor/${encodeURIComponent(id)}`,
  edit: (id: string) => `#/monitor/${encodeURIComponent(id)}/edit`,
  newMonitor: '#/new',
  inventory: '#/inventory',
  alerts: '#/alerts',
  review: '#/review',
  settings: '#/settings',
};

export function navigate(to: string): void {
  location.hash = to.startsWith('#') ? to : `#${to}`;
}

const subscribe = (onChange: () => void): (() => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => location.hash);
  return parseRoute(hash);
}
