import type { Clock } from './clock';
import { MinHeap } from './heap';

export interface Job {
  id: string;
  hostKey: string;
  intervalMs: number;
  timeoutMs: number;
}

export interface RunInfo {
  id: string;
  planned: number;
  started: number;
  reason: 'scheduled' | 'retry' | 'now';
}

export interface SchedulerOptions {
  clock: Clock;
  /** The engine's check; resolves when done. A rejection is logged, never propagated. */
  run: (job: Job, info: RunInfo, signal: AbortSignal) => Promise<void>;
  /** Global cap on checks in flight, default 64. */
  maxInFlight?: number;
  /** Cap per hostKey, default 4. */
  maxPerHost?: number;
  /** started - planned for every run, queueing included. */
  onLag?: (lagMs: number) => void;
}

type Reason = RunInfo['reason'];

interface Entry {
  job: Job;
  order: number;
  /** Next planned time on the job's grid, or of a pending retry. */
  due: number;
  dueReason: Reason;
  /** The last slot the timer reached: the anchor when the interval changes. */
  lastPlanned: number | undefined;
  timerIndex: number;
  waitingAt: Host | undefined;
  waitPlanned: number;
  waitReason: Reason;
  waitSeq: number;
  queueIndex: number;
  running: AbortController | undefined;
}

interface Host {
  key: string;
  inFlight: number;
  waiting: MinHeap<Entry>;
  readyIndex: number;
}

/** FNV-1a over UTF-16 code units: the same id gets the same first-run offset after every restart. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

const positive = (name: string, value: number): number => {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
};

const waitBefore = (a: Entry, b: Entry): boolean =>
  a.waitPlanned < b.waitPlanned || (a.waitPlanned === b.waitPlanned && a.waitSeq < b.waitSeq);

/**
 * Decides when each job runs and how many run at once, with one timer for all jobs: due times sit
 * in a min-heap and due jobs wait in per-host queues, so every operation is O(log n).
 */
export class Scheduler {
  private readonly clock: Clock;
  private readonly maxInFlight: number;
  private readonly maxPerHost: number;
  private readonly entries = new Map<string, Entry>();
  private readonly hosts = new Map<string, Host>();
  private readonly active = new Map<AbortController, Promise<void>>();
  private readonly timers = new MinHeap<Entry>(
    (a, b) => a.due < b.due || (a.due === b.due && a.order < b.order),
    (entry, index) => (entry.timerIndex = index),
  );
  // Hosts with a waiting job and a free slot, earliest head first: a busy host never blocks others.
  private readonly ready = new MinHeap<Host>(
    (a, b) => waitBefore(a.waiting.peek() as Entry, b.waiting.peek() as Entry),
    (host, index) => (host.readyIndex = index),
  );
  private armed: { at: number; handle: unknown } | undefined;
  private order = 0;
  private seq = 0;
  private running = 0;
  private waiting = 0;
  private skips = 0;
  private paused = false;
  private stopped = false;
  private pumpPending = false;

  constructor(private readonly opts: SchedulerOptions) {
    this.clock = opts.clock;
    this.maxInFlight = positive('maxInFlight', opts.maxInFlight ?? 64);
    this.maxPerHost = positive('maxPerHost', opts.maxPerHost ?? 4);
  }

  get size(): number {
    return this.entries.size;
  }
  get inFlight(): number {
    return this.running;
  }
  get queued(): number {
    return this.waiting;
  }
  /** Planned slots that got no run of their own: still busy, or missed while paused or asleep. */
  get skipped(): number {
    return this.skips;
  }

  upsert(job: Job): void {
    positive('intervalMs', job.intervalMs);
    const copy = { ...job };
    const now = this.clock.now();
    const entry = this.entries.get(job.id);
    if (entry === undefined) {
      const added: Entry = {
        job: copy,
        order: this.order++,
        due: now + (fnv1a(job.id) % job.intervalMs),
        dueReason: 'scheduled',
        lastPlanned: undefined,
        timerIndex: -1,
        waitingAt: undefined,
        waitPlanned: 0,
        waitReason: 'scheduled',
        waitSeq: 0,
        queueIndex: -1,
        running: undefined,
      };
      this.entries.set(job.id, added);
      this.timers.push(added);
      this.arm();
      return;
    }
    const previous = entry.job;
    entry.job = copy;
    if (previous.intervalMs !== job.intervalMs && entry.dueReason !== 'retry') {
      entry.due = this.replan(entry, now);
      if (entry.timerIndex >= 0) this.timers.update(entry.timerIndex);
      this.arm();
    }
    if (previous.hostKey !== job.hostKey && entry.waitingAt) {
      this.unqueue(entry);
      this.queue(entry, entry.waitPlanned, entry.waitReason);
      this.pumpSoon();
    }
  }

  remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    if (entry.timerIndex >= 0) this.timers.removeAt(entry.timerIndex);
    this.unqueue(entry);
    entry.running?.abort();
  }

  retry(id: string, delayMs: number): void {
    if (!Number.isFinite(delayMs) || delayMs < 0) throw new RangeError(`retry delay must be >= 0, got ${delayMs}`);
    const entry = this.entries.get(id);
    if (!entry || entry.timerIndex < 0) return;
    const at = this.clock.now() + delayMs;
    // A sooner planned run already serves as the retry.
    if (at >= entry.due) return;
    entry.due = at;
    entry.dueReason = 'retry';
    this.timers.update(entry.timerIndex);
    this.arm();
  }

  checkAllNow(): void {
    for (const id of this.entries.keys()) this.checkNow(id);
  }

  checkNow(id: string): void {
    const entry = this.entries.get(id);
    if (!entry || entry.running || entry.waitingAt || this.stopped) return;
    this.queue(entry, this.clock.now(), 'now');
    this.pumpSoon();
  }

  pause(): void {
    this.paused = true;
    this.disarm();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.stopped) return;
    // Overdue jobs join the queue now, so a checkNow() queued meanwhile is not run twice; they
    // start a microtask later, never inside the caller's stack.
    this.collect();
    this.arm();
    this.pumpSoon();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.disarm();
    for (const entry of this.entries.values()) this.unqueue(entry);
    const pending = [...this.active];
    for (const [controller] of pending) controller.abort();
    await Promise.all(pending.map(([, done]) => done));
  }

  /** Keeps the phase of the old grid so a bulk interval change does not bunch jobs together. */
  private replan(entry: Entry, now: number): number {
    const interval = entry.job.intervalMs;
    if (entry.lastPlanned === undefined) return now + (fnv1a(entry.job.id) % interval);
    const steps = Math.max(1, Math.ceil((now - entry.lastPlanned) / interval));
    return entry.lastPlanned + steps * interval;
  }

  private tick(): void {
    this.armed = undefined;
    try {
      this.collect();
      this.pump();
    } catch (err) {
      console.error('portwatch scheduler: tick failed', err);
    } finally {
      this.arm();
    }
  }

  private collect(): void {
    const now = this.clock.now();
    for (let next = this.timers.peek(); next && next.due <= now; next = this.timers.peek()) {
      this.timers.pop();
      this.reach(next, now);
    }
  }

  /** Plans the slot the timer reached (the latest one passed, after a pause or a sleep) and the next. */
  private reach(entry: Entry, now: number): void {
    const interval = entry.job.intervalMs;
    const missed = Math.floor((now - entry.due) / interval);
    const planned = entry.due + missed * interval;
    const reason = missed === 0 ? entry.dueReason : 'scheduled';
    this.skips += missed;
    entry.lastPlanned = planned;
    entry.due = planned + interval;
    entry.dueReason = 'scheduled';
    this.timers.push(entry);
    if (entry.running || entry.waitingAt) this.skips++;
    else this.queue(entry, planned, reason);
  }

  private queue(entry: Entry, planned: number, reason: Reason): void {
    const host = this.hostFor(entry.job.hostKey);
    entry.waitPlanned = planned;
    entry.waitReason = reason;
    entry.waitSeq = this.seq++;
    entry.waitingAt = host;
    host.waiting.push(entry);
    this.waiting++;
    this.refresh(host);
  }

  private unqueue(entry: Entry): void {
    const host = entry.waitingAt;
    if (!host) return;
    host.waiting.removeAt(entry.queueIndex);
    entry.waitingAt = undefined;
    this.waiting--;
    this.refresh(host);
  }

  private hostFor(key: string): Host {
    let host = this.hosts.get(key);
    if (!host) {
      host = {
        key,
        inFlight: 0,
        waiting: new MinHeap<Entry>(waitBefore, (entry, index) => (entry.queueIndex = index)),
        readyIndex: -1,
      };
      this.hosts.set(key, host);
    }
    return host;
  }

  /** Re-files a host after its queue or its in-flight count changed. */
  private refresh(host: Host): void {
    const canStart = host.waiting.size > 0 && host.inFlight < this.maxPerHost;
    if (canStart) {
      if (host.readyIndex >= 0) this.ready.update(host.readyIndex);
      else this.ready.push(host);
    } else if (host.readyIndex >= 0) {
      this.ready.removeAt(host.readyIndex);
    }
    if (host.waiting.size === 0 && host.inFlight === 0) this.hosts.delete(host.key);
  }

  private pumpSoon(): void {
    if (this.pumpPending) return;
    this.pumpPending = true;
    queueMicrotask(() => {
      this.pumpPending = false;
      this.pump();
    });
  }

  private pump(): void {
    while (!this.paused && !this.stopped && this.running < this.maxInFlight) {
      const host = this.ready.peek();
      const entry = host?.waiting.peek();
      if (!host || !entry) return;
      const { waitPlanned, waitReason } = entry;
      this.unqueue(entry);
      this.start(entry, host, waitPlanned, waitReason);
    }
  }

  private start(entry: Entry, host: Host, planned: number, reason: Reason): void {
    const controller = new AbortController();
    const started = this.clock.now();
    entry.running = controller;
    this.running++;
    host.inFlight++;
    this.refresh(host);
    try {
      this.opts.onLag?.(started - planned);
    } catch (err) {
      console.error('portwatch scheduler: onLag failed', err);
    }
    const info: RunInfo = { id: entry.job.id, planned, started, reason };
    this.active.set(controller, this.execute(entry, host, info, controller));
  }

  private async execute(entry: Entry, host: Host, info: RunInfo, controller: AbortController): Promise<void> {
    try {
      // Through a promise so that even a synchronous throw settles after start() returns: no
      // re-entrant pump() and no bookkeeping done before it was set up.
      await new Promise<void>((resolve) => resolve(this.opts.run(entry.job, info, controller.signal)));
    } catch (err) {
      console.error(`portwatch scheduler: check ${info.id} failed`, err);
    } finally {
      this.active.delete(controller);
      if (entry.running === controller) entry.running = undefined;
      this.running--;
      host.inFlight--;
      this.refresh(host);
      this.pump();
    }
  }

  private arm(): void {
    const next = this.timers.peek();
    if (this.paused || this.stopped || !next) return this.disarm();
    // An earlier timer is fine: it wakes, finds nothing due and re-arms.
    if (this.armed && this.armed.at <= next.due) return;
    this.disarm();
    const at = next.due;
    this.armed = { at, handle: this.clock.setTimer(() => this.tick(), at - this.clock.now()) };
  }

  private disarm(): void {
    if (this.armed) this.clock.clearTimer(this.armed.handle);
    this.armed = undefined;
  }
}
