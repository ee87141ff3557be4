// What the OS knows before the engine can: the machine is going to sleep, it woke up, the
// network went away. Told early, the engine throws away checks that straddled a sleep and holds
// failures while offline, instead of alerting on them.

import { net, powerMonitor } from 'electron';

/** What the app does with the news: the engine's suspend/resume and its offline handling. */
export interface PowerTarget {
  suspend: () => void;
  resume: () => void;
  onNetworkChange: (online: boolean) => void;
}

export interface PowerOptions {
  /** How often to ask the OS whether it is online; Electron has no event for it in main. */
  pollMs?: number;
  isOnline?: () => boolean;
}

export const NETWORK_POLL_MS = 5_000;

/** Starts listening; call after the app is ready (powerMonitor needs it). Returns a dispose function. */
export function watchPower(target: PowerTarget, options: PowerOptions = {}): () => void {
  const isOnline = options.isOnline ?? (() => net.isOnline());
  const onSuspend = (): void => target.suspend();
  const onResume = (): void => target.resume();
  powerMonitor.on('suspend', onSuspend);
  powerMonitor.on('resume', onResume);
  // A locked screen is not a sleeping machine: monitoring goes on, so 'lock-screen' is not wired.

  let online = isOnline();
  // Starting offline is news; starting online is what the engine assumes anyway.
  if (!online) target.onNetworkChange(false);
  const timer = setInterval(() => {
    const now = isOnline();
    if (now === online) return;
    online = now;
    target.onNetworkChange(now);
  }, options.pollMs ?? NETWORK_POLL_MS);
  timer.unref?.();

  return () => {
    clearInterval(timer);
    powerMonitor.removeListener('suspend', onSuspend);
    powerMonitor.removeListener('resume', onResume);
  };
}
