import type { ProbeKind, ProbeResult } from '../../shared/probe';
import { runProbe } from '../../main/core/probes/run';
import type { ProbeOptionsByKind, ProbeTarget } from '../../main/core/probes/types';
import { monotonic } from '../../main/core/probes/clock';

/** Allowance for timers and scheduling on a busy 2-core machine. */
export const MARGIN_MS = 300;

/**
 * Runs a probe and measures, from outside, how long the caller waited for it. Every check must
 * end within its timeout plus a small margin, whatever the other side does; this holds for each
 * call, so every test asserts it.
 */
export async function timedProbe<K extends ProbeKind>(
  kind: K,
  target: ProbeTarget,
  options: ProbeOptionsByKind[K],
  timeoutMs: number,
): Promise<{ result: ProbeResult; waited: number }> {
  const start = monotonic();
  const result = await runProbe(kind, target, options, { timeoutMs });
  const waited = monotonic() - start;
  if (waited > timeoutMs + MARGIN_MS)
    throw new Error(`the ${kind} probe took ${waited.toFixed(0)} ms, past its ${timeoutMs} ms timeout`);
  return { result, waited };
}

/** Lets closed sockets finish closing before handles are counted. */
export const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));
