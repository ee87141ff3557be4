import { setMaxListeners } from 'node:events';
import { isIP } from 'node:net';
import { monotonic } from '../probes/clock';
import { ProbeDeadline, ProbeFailure } from '../probes/failure';
import { resolveHost } from '../probes/resolve';
import { identify, type Identified } from './identify';

/** Ports in flight on one host unless told otherwise. */
export const DEFAULT_CONCURRENCY = 50;

/** Ports in flight over all hosts of a range, whatever the per-host figure: file descriptors are finite. */
export const MAX_IN_FLIGHT = 256;

export interface PortResult extends Identified {
  /** The host as named, or one address of a range. */
  host: string;
  port: number;
}

export interface ScanProgress {
  done: number;
  total: number;
  /** The port just finished. */
  last: PortResult;
}

export interface ScanOptions {
  ports: readonly number[];
  timeoutMs: number;
  /** Ports in flight per host. */
  concurrency?: number;
  onProgress?: (p: ScanProgress) => void;
  /** Stops the scan: ports in flight end at once, and they and the ports not started are left out. */
  signal?: AbortSignal;
  /** Replaces identify (for tests of the scheduling). */
  identifyPort?: typeof identify;
}

export interface ScanReport {
  /** Every finished port, in the order of the hosts and then of the ports. */
  results: PortResult[];
  /** Hosts whose name could not be resolved, with why; none of their ports were tried. */
  unresolved: { host: string; detail: string }[];
  elapsedMs: number;
  cancelled: boolean;
}

/** Resolves a named host once before its ports are tried, so a typo fails once, not per port. */
async function resolves(host: string, timeoutMs: number, signal?: AbortSignal): Promise<string | undefined> {
  if (isIP(host) !== 0) return undefined;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new ProbeDeadline(timeoutMs)), timeoutMs);
  try {
    await resolveHost(host, {}, signal ? AbortSignal.any([deadline.signal, signal]) : deadline.signal, timeoutMs);
    return undefined;
  } catch (e) {
    return e instanceof ProbeFailure ? e.detail : String(e);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Scans the ports of each host: at most `concurrency` ports in flight per host (and
 * MAX_IN_FLIGHT in all), the hosts taken in turn so a range advances evenly. Each port is
 * identified (see identify.ts) and reported through onProgress as it finishes.
 */
export async function scan(hosts: readonly string[], options: ScanOptions): Promise<ScanReport> {
  const started = monotonic();
  // Every port in flight listens on the caller's signal, a few times over: many, and no leak.
  if (options.signal) setMaxListeners(MAX_IN_FLIGHT * 8, options.signal);
  const perHost = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const run = options.identifyPort ?? identify;
  const unresolved: ScanReport['unresolved'] = [];
  const live: string[] = [];
  for (const host of hosts) {
    const problem = await resolves(host, options.timeoutMs, options.signal);
    if (problem === undefined) live.push(host);
    else unresolved.push({ host, detail: problem });
  }
  const total = live.length * options.ports.length;
  const results = new Map<string, PortResult>();
  const next = live.map(() => 0);
  const busy = live.map(() => 0);
  let running = 0;
  let done = 0;
  let turn = 0;

  await new Promise<void>((resolve) => {
    const pump = (): void => {
      const stopped = options.signal?.aborted === true;
      if (stopped || done === total) {
        if (running === 0) resolve();
        if (stopped) return;
      }
      // Round robin over the hosts: one port from each host with room, until none has any.
      let idle = 0;
      while (running < MAX_IN_FLIGHT && idle < live.length) {
        const h = turn % live.length;
        turn++;
        const i = next[h] ?? 0;
        if (i >= options.ports.length || (busy[h] ?? 0) >= perHost) {
          idle++;
          continue;
        }
        idle = 0;
        next[h] = i + 1;
        busy[h] = (busy[h] ?? 0) + 1;
        running++;
        const host = live[h] ?? '';
        const port = options.ports[i] ?? 0;
        const servername = isIP(host) === 0 ? host : undefined;
        void run(
          { host, port },
          {
            timeoutMs: options.timeoutMs,
            ...(servername ? { servername } : {}),
            ...(options.signal ? { signal: options.signal } : {}),
          },
        )
          .catch((e: unknown): Identified => ({
            state: 'filtered',
            detail: `could not be scanned: ${String(e)}`,
            ms: 0,
          }))
          .then((found) => {
            running--;
            busy[h] = (busy[h] ?? 1) - 1;
            // A port cut short by the cancel says nothing about the port: it is left out.
            if (options.signal?.aborted) return pump();
            const result: PortResult = { host, port, ...found };
            results.set(`${h}:${i}`, result);
            done++;
            options.onProgress?.({ done, total, last: result });
            pump();
          });
      }
    };
    pump();
  });

  const ordered: PortResult[] = [];
  live.forEach((_, h) =>
    options.ports.forEach((_p, i) => {
      const r = results.get(`${h}:${i}`);
      if (r) ordered.push(r);
    }),
  );
  return {
    results: ordered,
    unresolved,
    elapsedMs: Math.round(monotonic() - started),
    cancelled: options.signal?.aborted === true,
  };
}
