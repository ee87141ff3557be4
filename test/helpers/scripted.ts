import type { VirtualClock } from '../../main/core/clock';
import type { Monitor } from '../../shared/monitor';
import type { Outcome, ProbeResult } from '../../shared/probe';

// Engine logic in virtual time. The check is scripted here because what is under test is what
// the engine does with results (suspend, offline), not how they are measured.
export function scripted(clock: VirtualClock, outcomes: Map<string, Outcome>, delayMs = 100, reportedMs = 10) {
  const calls: string[] = [];
  const check = (m: Monitor): Promise<ProbeResult> => {
    calls.push(m.id);
    return new Promise((resolve) =>
      clock.setTimer(() => {
        const outcome = outcomes.get(m.id) ?? 'ok';
        resolve({
          outcome,
          phase: 'connect',
          ms: reportedMs,
          phases: { connect: reportedMs },
          detail: outcome,
          diagnosis: `${m.name} ${outcome}`,
          startedAt: clock.now(),
        });
      }, delayMs),
    );
  };
  return { check, calls };
}
