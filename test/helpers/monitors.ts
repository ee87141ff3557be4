import { MonitorSchema, type Monitor, type MonitorInput } from '../../shared/monitor';

let n = 0;

/** A valid monitor with test-friendly timings: short interval, quick retry, short timeout. */
export function monitor(partial: Partial<MonitorInput> & Pick<MonitorInput, 'port'>): Monitor {
  n++;
  return MonitorSchema.parse({
    id: `m${n}`,
    name: `monitor ${n}`,
    kind: 'tcp',
    host: '127.0.0.1',
    tier: 1,
    intervalSec: 5,
    retryIntervalSec: 1,
    timeoutMs: 500,
    ...partial,
  });
}

/** Resolves when `predicate` holds, polling; rejects with `what` after `ms`. */
export async function waitFor(predicate: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
