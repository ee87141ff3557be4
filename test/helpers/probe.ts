import type { ProbeKind, ProbeResult } from '../../shared/probe';
import { runProbe } from '../../main/core/probes/run';
import type { ProbeOptionsByKind, ProbeTarget } from '../../main/core/probes/types';
import { monotonic } from '../../main/core/probes/clock';

/** Runs a probe and measures, from outside, how long the caller waited for it. */
export async function timedProbe<K extends ProbeKind>(
  kind: K,
  target: ProbeTarget,
  options: ProbeOptionsByKind[K],
  timeoutMs: number,
): Promise<{ result: ProbeResult; waited: number }> {
  const start = monotonic();
  const result = await runProbe(kind, target, options, { timeoutMs });
  return { result, waited: monotonic() - start };
}

/** Lets closed sockets finish closing before handles are counted. */
export const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));
