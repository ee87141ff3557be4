import { PHASES, type Phase } from '../../../shared/probe';

/** Monotonic milliseconds: unaffected by wall-clock changes (NTP steps, DST, suspend tweaks). */
export const monotonic = (): number => performance.now();

const round = (ms: number): number => Math.round(ms * 100) / 100;

/** Records how long each phase of one check took, on the monotonic clock. */
export class PhaseTimer {
  readonly startedAt = Date.now();
  private readonly origin = monotonic();
  private current: Phase | undefined;
  private lastBegun: Phase = 'resolve';
  private currentStart = 0;
  private readonly spent: Partial<Record<Phase, number>> = {};

  begin(phase: Phase): void {
    this.stop();
    this.current = phase;
    this.lastBegun = phase;
    this.currentStart = monotonic();
  }

  /** Ends the running phase; time spent in a phase twice (redirects) adds up. */
  stop(): void {
    if (this.current === undefined) return;
    this.spent[this.current] = (this.spent[this.current] ?? 0) + monotonic() - this.currentStart;
    this.current = undefined;
  }

  /** The phase running now, or the last one begun. */
  get phase(): Phase {
    return this.current ?? this.lastBegun;
  }

  elapsed(): number {
    return round(monotonic() - this.origin);
  }

  phases(): Partial<Record<Phase, number>> {
    const out: Partial<Record<Phase, number>> = {};
    for (const phase of PHASES) {
      const spent = this.spent[phase];
      if (spent !== undefined) out[phase] = round(spent);
    }
    return out;
  }
}
