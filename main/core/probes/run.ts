import type { ProbeKind, ProbeResult } from '../../../shared/probe';
import { exposureFinding } from '../exposure';
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
    const result = await probe(target, options, { signal, timeoutMs: run.timeoutMs });
    // Refused or silent ports expose nothing; anything that answered does.
    const answered = result.outcome === 'ok' || result.outcome === 'protocol' || result.outcome === 'tls';
    const check = (options as { check?: string }).check;
    const finding = answered ? exposureFinding(target.port, result.address, check) : undefined;
    return finding ? { ...result, findings: [...(result.findings ?? []), finding] } : result;
  } finally {
    clearTimeout(timer);
  }
}
