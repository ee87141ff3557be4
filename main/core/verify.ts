import type { Monitor } from '../../shared/monitor';
import { policyFor } from '../../shared/monitor';
import type { ProbeResult } from '../../shared/probe';
import { checkMonitor } from './check-monitor';

export interface VerifyOutcome {
  monitor: Monitor;
  result: ProbeResult;
  /** How many checks it took: 1, or more when a failure was re-checked to confirm it. */
  attempts: number;
}

export interface VerifyOptions {
  concurrency?: number;
  perHost?: number;
  /** Wait before re-checking a failure; short, since a deploy script is waiting. */
  retryDelayMs?: number;
  onResult?: (o: VerifyOutcome) => void;
  check?: (m: Monitor, signal?: AbortSignal) => Promise<ProbeResult>;
  signal?: AbortSignal;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/**
 * Every monitor checked once, a failure confirmed by its retries, with bounded concurrency
 * overall and per host (so a check-everything does not look like a port scan to the host).
 */
export async function verifyAll(monitors: Monitor[], options: VerifyOptions = {}): Promise<VerifyOutcome[]> {
  const check = options.check ?? checkMonitor;
  const limit = options.concurrency ?? 32;
  const perHost = options.perHost ?? 4;
  const retryDelay = options.retryDelayMs ?? 1000;
  const busy = new Map<string, number>();
  const waiting = [...monitors.keys()];
  const out: VerifyOutcome[] = new Array<VerifyOutcome>(monitors.length);
  let running = 0;

  const one = async (m: Monitor): Promise<VerifyOutcome> => {
    const retries = policyFor(m).retries;
    let attempts = 1;
    let result = await check(m, options.signal);
    while (result.outcome !== 'ok' && attempts <= retries && !options.signal?.aborted) {
      await sleep(retryDelay, options.signal);
      result = await check(m, options.signal);
      attempts++;
    }
    return { monitor: m, result, attempts };
  };

  await new Promise<void>((resolve) => {
    const pump = (): void => {
      if (waiting.length === 0 && running === 0) return resolve();
      for (let i = 0; i < waiting.length && running < limit;) {
        const index = waiting[i] as number;
        const m = monitors[index] as Monitor;
        if ((busy.get(m.host) ?? 0) >= perHost) {
          i++;
          continue;
        }
        waiting.splice(i, 1);
        running++;
        busy.set(m.host, (busy.get(m.host) ?? 0) + 1);
        void one(m).then((o) => {
          out[index] = o;
          running--;
          busy.set(m.host, (busy.get(m.host) ?? 1) - 1);
          options.onResult?.(o);
          pump();
        });
      }
    };
    pump();
  });
  return out;
}
