import type { Clock } from './clock';
import type { History } from './history/repo';

const HOUR = 3_600_000;

/** Hourly: roll complete hours into rollups, then drop what is past its retention. */
export function startHousekeeping(
  history: History,
  retention: () => { rawDays: number; rollupDays: number },
  clock: Clock,
): () => void {
  let timer: unknown;
  const run = (): void => {
    try {
      const now = clock.now();
      history.rollup(now);
      history.prune(now, retention());
    } catch {
      // A failed pass is retried next hour; monitoring goes on.
    }
    timer = clock.setTimer(run, HOUR);
  };
  timer = clock.setTimer(run, 60_000);
  return () => clock.clearTimer(timer);
}
