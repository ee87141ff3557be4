import { afterEach, describe, expect, it, vi } from 'vitest';
import { VirtualClock, type Clock } from '../../main/core/clock';
import { MinHeap } from '../../main/core/heap';
import { Scheduler, type Job, type RunInfo, type SchedulerOptions } from '../../main/core/scheduler';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2025, 0, 1);

/** Deterministic pseudo-random numbers in [0, 1), so run durations are varied but reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const job = (id: string, intervalMs = MIN, hostKey = 'h0'): Job => ({ id, hostKey, intervalMs, timeoutMs: 5 * SEC });

const sleep = (clock: Clock, ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const handle = clock.setTimer(resolve, ms);
    signal?.addEventListener('abort', () => {
      clock.clearTimer(handle);
      resolve();
    });
  });

interface Harness {
  clock: VirtualClock;
  scheduler: Scheduler;
  runs: RunInfo[];
  signals: Map<string, AbortSignal>;
}

/** A scheduler whose runs are recorded and then take `body` (default: finish at once). */
function harness(
  body: (job: Job, info: RunInfo, signal: AbortSignal, clock: VirtualClock) => Promise<void> = async () => {},
  options: Partial<SchedulerOptions> = {},
): Harness {
  const clock = new VirtualClock(T0);
  const runs: RunInfo[] = [];
  const signals = new Map<string, AbortSignal>();
  const scheduler = new Scheduler({
    clock,
    run: (j, info, signal) => {
      runs.push(info);
      signals.set(j.id, signal);
      return body(j, info, signal, clock);
    },
    ...options,
  });
  return { clock, scheduler, runs, signals };
}

const plannedOf = (runs: RunInfo[], id: string): number[] => runs.filter((r) => r.id === id).map((r) => r.planned);
const steps = (times: number[]): number[] => times.slice(1).map((t, i) => t - (times[i] as number));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('MinHeap', () => {
  it('pops in order after random pushes, removals and re-keys', () => {
    const random = mulberry32(7);
    type Item = { key: number; index: number };
    const heap = new MinHeap<Item>(
      (a, b) => a.key < b.key,
      (item, index) => (item.index = index),
    );
    const live = new Set<Item>();
    for (let i = 0; i < 2000; i++) {
      const item = { key: random(), index: -1 };
      heap.push(item);
      live.add(item);
    }
    for (const item of [...live].slice(0, 500)) {
      heap.removeAt(item.index);
      live.delete(item);
      expect(item.index).toBe(-1);
    }
    for (const item of [...live].slice(0, 500)) {
      item.key = random();
      heap.update(item.index);
    }
    const popped: number[] = [];
    for (let item = heap.pop(); item; item = heap.pop()) popped.push(item.key);
    expect(popped).toHaveLength(live.size);
    expect(popped).toEqual([...popped].sort((a, b) => a - b));
  });
});

describe('VirtualClock', () => {
  it('fires due timers in order, ties in the order set, and lets their promises finish', async () => {
    const clock = new VirtualClock(100);
    const seen: string[] = [];
    clock.setTimer(() => seen.push(`b@${clock.now()}`), 20);
    clock.setTimer(() => seen.push(`a@${clock.now()}`), 10);
    clock.setTimer(() => seen.push(`c@${clock.now()}`), 20);
    const cleared = clock.setTimer(() => seen.push('never'), 5);
    clock.clearTimer(cleared);
    clock.setTimer(() => void Promise.resolve().then(() => seen.push(`then@${clock.now()}`)), 15);
    await clock.advance(20);
    expect(seen).toEqual(['a@110', 'then@115', 'b@120', 'c@120']);
    expect(clock.now()).toBe(120);
  });
});

describe('Scheduler', () => {
  it('keeps a fixed rate with no drift over 24 simulated hours of variable-length runs', async () => {
    const random = mulberry32(42);
    const durations: number[] = [];
    const h = harness(async (_j, _info, _signal, clock) => {
      const ms = Math.floor(random() * 5 * SEC);
      durations.push(ms);
      await sleep(clock, ms);
    });
    h.scheduler.upsert(job('db', MIN));
    await h.clock.advance(24 * HOUR);

    expect(h.runs.length).toBeGreaterThanOrEqual(24 * 60);
    expect(h.runs.every((r) => r.started - r.planned === 0)).toBe(true);
    const first = h.runs[0]?.planned as number;
    const n = h.runs.length - 1;
    expect(h.runs.at(-1)?.planned).toBe(first + n * MIN);
    expect(new Set(steps(plannedOf(h.runs, 'db')))).toEqual(new Set([MIN]));
    expect(Math.max(...durations)).toBeGreaterThan(4 * SEC);
    expect(h.scheduler.skipped).toBe(0);
  });

  it.each([
    { maxInFlight: 16, maxPerHost: 4 },
    { maxInFlight: 64, maxPerHost: 4 },
    { maxInFlight: 8, maxPerHost: 2 },
  ])('never exceeds maxInFlight=$maxInFlight or maxPerHost=$maxPerHost', async (caps) => {
    const random = mulberry32(1);
    const perHost = new Map<string, number>();
    let now = 0;
    let peak = 0;
    let peakPerHost = 0;
    const h = harness(async (j, _info, _signal, clock) => {
      now++;
      perHost.set(j.hostKey, (perHost.get(j.hostKey) ?? 0) + 1);
      peak = Math.max(peak, now);
      peakPerHost = Math.max(peakPerHost, perHost.get(j.hostKey) as number);
      await sleep(clock, 100 + Math.floor(random() * 900));
      now--;
      perHost.set(j.hostKey, (perHost.get(j.hostKey) as number) - 1);
    }, caps);
    for (let i = 0; i < 500; i++) h.scheduler.upsert(job(`m${i}`, HOUR, `host${i % 5}`));
    h.scheduler.checkAllNow();
    expect(h.scheduler.queued).toBe(500);
    await h.clock.advance(0);
    expect(h.scheduler.inFlight).toBe(Math.min(caps.maxInFlight, 5 * caps.maxPerHost));
    expect(h.scheduler.queued).toBe(500 - h.scheduler.inFlight);

    await h.clock.advance(2 * MIN);
    expect(h.runs.filter((r) => r.reason === 'now')).toHaveLength(500);
    expect(peak).toBe(Math.min(caps.maxInFlight, 5 * caps.maxPerHost));
    expect(peakPerHost).toBeLessThanOrEqual(caps.maxPerHost);
    if (caps.maxInFlight > 5 * caps.maxPerHost) expect(peakPerHost).toBe(caps.maxPerHost);
    expect(h.scheduler.inFlight + h.scheduler.queued).toBe(0);
  });

  it('starts waiting runs in planned order, and the lag counts the time spent waiting', async () => {
    const lags: number[] = [];
    const h = harness(async (j, _info, _signal, clock) => sleep(clock, j.id === 'a' ? 10 * SEC : SEC), {
      maxInFlight: 1,
      onLag: (ms) => lags.push(ms),
    });
    for (const id of ['a', 'b', 'c']) h.scheduler.upsert(job(id, 24 * HOUR, id));
    h.scheduler.checkNow('a');
    await h.clock.advance(SEC);
    h.scheduler.checkNow('c');
    await h.clock.advance(SEC);
    h.scheduler.checkNow('b');
    await h.clock.advance(20 * SEC);
    expect(h.runs.map((r) => r.id)).toEqual(['a', 'c', 'b']);
    expect(h.runs.map((r) => r.started - T0)).toEqual([0, 10 * SEC, 11 * SEC]);
    expect(lags).toEqual([0, 9 * SEC, 9 * SEC]);
  });

  it('spreads first runs over the interval, the same way after a restart', async () => {
    const offsets = async (): Promise<number[]> => {
      const h = harness();
      for (let i = 0; i < 1000; i++) h.scheduler.upsert(job(`monitor-${i}`, MIN, `host${i % 10}`));
      await h.clock.advance(MIN - 1);
      expect(h.runs).toHaveLength(1000);
      return h.runs.map((r) => r.planned - T0).sort((a, b) => a - b);
    };
    const first = await offsets();
    expect(first[0]).toBeGreaterThanOrEqual(0);
    expect(first.at(-1)).toBeLessThan(MIN);
    const buckets = new Map<number, number>();
    for (const o of first) buckets.set(Math.floor(o / SEC), (buckets.get(Math.floor(o / SEC)) ?? 0) + 1);
    expect(buckets.size).toBe(60);
    expect(Math.max(...buckets.values())).toBeLessThanOrEqual(40);
    expect(await offsets()).toEqual(first);
  });

  it('re-plans only the job whose interval changed, on its old phase', async () => {
    const h = harness();
    for (const id of ['a', 'b', 'c']) h.scheduler.upsert(job(id, MIN));
    await h.clock.advance(5 * MIN);
    const lastB = plannedOf(h.runs, 'b').at(-1) as number;
    h.scheduler.upsert(job('b', 30 * SEC));
    h.scheduler.upsert(job('c', MIN, 'elsewhere'));
    await h.clock.advance(5 * MIN);

    for (const id of ['a', 'c']) {
      expect(new Set(steps(plannedOf(h.runs, id)))).toEqual(new Set([MIN]));
      expect(plannedOf(h.runs, id)).toHaveLength(10);
    }
    const afterB = plannedOf(h.runs, 'b').filter((t) => t > lastB);
    expect(afterB.length).toBeGreaterThanOrEqual(9);
    expect((afterB[0] as number) - lastB).toBeGreaterThan(0);
    expect(((afterB[0] as number) - lastB) % (30 * SEC)).toBe(0);
    expect(new Set(steps(afterB))).toEqual(new Set([30 * SEC]));
  });

  it('remove aborts the run in flight and forgets the job', async () => {
    const h = harness(async (_j, _info, signal, clock) => sleep(clock, HOUR, signal));
    h.scheduler.upsert(job('a', MIN));
    h.scheduler.upsert(job('b', MIN));
    h.scheduler.checkNow('a');
    await h.clock.advance(0);
    const signal = h.signals.get('a');
    expect(signal?.aborted).toBe(false);
    expect(h.scheduler.inFlight).toBe(1);

    h.scheduler.remove('a');
    expect(signal?.aborted).toBe(true);
    await h.clock.advance(0);
    expect(h.scheduler.inFlight).toBe(0);
    expect(h.scheduler.size).toBe(1);
    const before = h.runs.length;
    await h.clock.advance(10 * MIN);
    expect(h.runs.slice(before).every((r) => r.id === 'b')).toBe(true);
  });

  it('runs a retry after its delay, then continues on a grid anchored at the retry', async () => {
    const retried = harness(async (j, info) => {
      if (info.reason === 'scheduled' && retried.runs.length === 1) retried.scheduler.retry(j.id, 10 * SEC);
    });
    retried.scheduler.upsert(job('a', MIN));
    await retried.clock.advance(4 * MIN);

    const p0 = retried.runs[0]?.planned as number;
    expect(retried.runs.slice(0, 4).map((r) => [r.planned - p0, r.reason])).toEqual([
      [0, 'scheduled'],
      [10 * SEC, 'retry'],
      [70 * SEC, 'scheduled'],
      [130 * SEC, 'scheduled'],
    ]);
    expect(retried.runs.every((r) => r.started === r.planned)).toBe(true);

    // A retry due after the next planned run changes nothing: that run comes sooner anyway.
    const next = (retried.runs.at(-1)?.planned as number) + MIN;
    retried.scheduler.retry('a', 2 * MIN);
    await retried.clock.advance(MIN);
    expect(retried.runs.at(-1)).toMatchObject({ planned: next, reason: 'scheduled' });
  });

  it('starts nothing while paused, then runs each overdue job once and keeps its grid', async () => {
    const h = harness();
    const ids = Array.from({ length: 20 }, (_, i) => `m${i}`);
    for (const id of ids) h.scheduler.upsert(job(id, MIN));
    await h.clock.advance(MIN);
    const grid = new Map(ids.map((id) => [id, plannedOf(h.runs, id)[0] as number]));

    h.scheduler.pause();
    h.scheduler.checkNow('m0');
    const before = h.runs.length;
    await h.clock.advance(5 * MIN + 30 * SEC);
    expect(h.runs.length).toBe(before);
    expect(h.scheduler.queued).toBe(1);

    h.scheduler.resume();
    await h.clock.advance(0);
    const onResume = h.runs.slice(before);
    expect(onResume.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(onResume.every((r) => r.started === h.clock.now())).toBe(true);

    await h.clock.advance(2 * MIN);
    for (const id of ids) {
      const after = plannedOf(
        h.runs.slice(before).filter((r) => r.reason === 'scheduled'),
        id,
      );
      expect(after.length).toBeGreaterThanOrEqual(2);
      expect(after.every((t) => (t - (grid.get(id) as number)) % MIN === 0)).toBe(true);
      expect(new Set(steps(after))).toEqual(new Set([MIN]));
    }
  });

  it('skips the slots a slow run overruns instead of overlapping it', async () => {
    let concurrent = 0;
    let peak = 0;
    const h = harness(async (_j, _info, _signal, clock) => {
      peak = Math.max(peak, ++concurrent);
      await sleep(clock, h.runs.length === 1 ? 150 * SEC : SEC);
      concurrent--;
    });
    h.scheduler.upsert(job('slow', MIN));
    await h.clock.advance(5 * MIN);
    const p0 = h.runs[0]?.planned as number;
    expect(h.runs.map((r) => r.planned - p0).slice(0, 3)).toEqual([0, 3 * MIN, 4 * MIN]);
    expect(h.runs.every((r) => r.started === r.planned)).toBe(true);
    expect(h.scheduler.skipped).toBe(2);
    expect(peak).toBe(1);
  });

  it('stop() aborts what is in flight, waits for it to settle and starts nothing more', async () => {
    let settled = 0;
    const h = harness(async (_j, _info, signal, clock) => {
      await sleep(clock, HOUR, signal);
      settled++;
    });
    for (let i = 0; i < 10; i++) h.scheduler.upsert(job(`m${i}`, MIN, `host${i}`));
    h.scheduler.checkAllNow();
    await h.clock.advance(0);
    expect(h.scheduler.inFlight).toBe(10);

    await h.scheduler.stop();
    expect([...h.signals.values()].every((s) => s.aborted)).toBe(true);
    expect(settled).toBe(10);
    expect(h.scheduler.inFlight).toBe(0);
    h.scheduler.checkNow('m0');
    h.scheduler.resume();
    await h.clock.advance(10 * MIN);
    expect(h.runs).toHaveLength(10);
  });

  it('logs a run that rejects or throws and keeps scheduling', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const h = harness((j) => {
      if (j.id === 'sync') throw new Error('sync boom');
      return Promise.reject(new Error('async boom'));
    });
    h.scheduler.upsert(job('sync', MIN));
    h.scheduler.upsert(job('async', MIN));
    await h.clock.advance(3 * MIN - 1);
    expect(plannedOf(h.runs, 'sync')).toHaveLength(3);
    expect(plannedOf(h.runs, 'async')).toHaveLength(3);
    expect(errors).toHaveBeenCalledTimes(6);
    expect(h.scheduler.inFlight).toBe(0);
  });

  it('runs 10,000 jobs through one interval with a single timer', async () => {
    const h = harness();
    let live = 0;
    let peakTimers = 0;
    const counting: Clock = {
      now: () => h.clock.now(),
      setTimer: (fn, ms) => {
        peakTimers = Math.max(peakTimers, ++live);
        return h.clock.setTimer(() => {
          live--;
          fn();
        }, ms);
      },
      clearTimer: (handle) => {
        live--;
        h.clock.clearTimer(handle);
      },
    };
    const runs: RunInfo[] = [];
    const scheduler = new Scheduler({ clock: counting, run: async (_j, info) => void runs.push(info) });
    for (let i = 0; i < 10_000; i++) scheduler.upsert(job(`monitor-${i}`, MIN, `host${i % 100}`));
    expect(scheduler.size).toBe(10_000);
    await h.clock.advance(MIN - 1);
    expect(runs).toHaveLength(10_000);
    expect(new Set(runs.map((r) => r.id)).size).toBe(10_000);
    expect(peakTimers).toBe(1);
  });
});
