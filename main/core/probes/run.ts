import type { ProbeKind, ProbeResult } from '../../../shared/probe';
import { ProbeDeadline } from './failure';
import { probes } from './registry';
import type { ProbeOptionsByKind, ProbeTarget } from './types';

export interface RunOptions {
  timeoutMs: number;
  /** Cancels the check from outside (the scheduler stopping, the app quitting). */
  signal?: AbortSignal;
}

/**
 * Runs one check under its deadline. The runner alone owns the timeout: probes only watch the
 * signal, so every kind ends on time in the same way.
 */
export async function runProbe<K extends ProbeKind>(
  kind: K,
  target: ProbeTarget,
  options: ProbeOptionsByKind[K],
  run: RunOptions,
): Promise<ProbeResult> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new ProbeDeadline(run.timeoutMs)), run.timeoutMs);
  const signal = run.signal ? AbortSignal.any([deadline.signal, run.signal]) : deadline.signal;
  try {
    const probe = probes[kind] as (
      t: ProbeTarget,
      o: ProbeOptionsByKind[K],
      c: { signal: AbortSignal; timeoutMs: number },
    ) => Promise<ProbeResult>;
    return await probe(target, options, { signal, timeoutMs: run.timeoutMs });
  } finally {
    clearTimeout(timer);
  }
}
