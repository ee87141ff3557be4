import { MinHeap } from './heap';

/** Time source and one-shot timers, injected so the scheduler can run in virtual time in tests. */
export interface Clock {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

// setTimeout fires almost at once when asked for more than 2^31-1 ms; waking early is harmless
// (the caller re-arms), firing at once is not.
const MAX_TIMER_MS = 2_147_483_647;

const delayOf = (ms: number): number => (Number.isFinite(ms) ? Math.min(Math.max(0, ms), MAX_TIMER_MS) : 0);

/** Wall-clock time, because planned run times are shown to people and survive restarts. */
export const systemClock: Clock = {
  now: () => Date.now(),
  // Not unref'd: the pending check is what keeps a headless engine alive.
  setTimer: (fn, ms) => setTimeout(fn, delayOf(ms)),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface VirtualTimer {
  at: number;
  seq: number;
  fn: () => void;
  index: number;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Lets promise chains started by a timer (and anything they defer to setImmediate) finish. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await turn();
}

/** Time moves only when told; timers fire in due order, ties in the order they were set. */
export class VirtualClock implements Clock {
  private time: number;
  private seq = 0;
  private readonly timers = new MinHeap<VirtualTimer>(
    (a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq),
    (timer, index) => {
      timer.index = index;
    },
  );

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(fn: () => void, ms: number): unknown {
    const timer: VirtualTimer = { at: this.time + delayOf(ms), seq: this.seq++, fn, index: -1 };
    this.timers.push(timer);
    return timer;
  }

  clearTimer(handle: unknown): void {
    const timer = handle as VirtualTimer | undefined;
    if (timer && typeof timer.index === 'number' && timer.index >= 0) this.timers.removeAt(timer.index);
  }

  advance(ms: number): Promise<void> {
    return this.runUntil(this.time + ms);
  }

  /** Fires every timer due up to `t` (including ones set while doing so), then sets the time to `t`. */
  async runUntil(t: number): Promise<void> {
    await settle();
    for (let next = this.timers.peek(); next !== undefined && next.at <= t; next = this.timers.peek()) {
      this.timers.pop();
      this.time = next.at;
      next.fn();
      await settle();
    }
    this.time = Math.max(this.time, t);
    await settle();
  }
}
