// The outbox: every alert is written to the history database for each of its channels BEFORE
// anything is sent, then sent with retries and exponential backoff, and each row ends with its
// delivery result. Pending rows outlive the process: start() picks them up on the next run.
//
// Delivery is at least once: a crash after a channel accepted an alert but before the result
// was committed sends it again on the next run (Alert.id is stable, so a receiver can tell).
// One process should run an Outbox over a given database; two would both send a due row.
//
// Policy, per row (one alert, one channel):
//  - ok                          -> 'sent' (sent_at, the channel's detail).
//  - not retryable (bad token, 4xx, no such channel) -> 'failed' at once, and the alert is
//    passed on to the escalation target, if any, since this channel will never deliver it.
//  - retryable (network down, 5xx, timeout, a channel that threw) -> tried again after
//    min(maxDelayMs, baseDelayMs * 2^(attempts - 1)), less up to 25% jitter, so after 5, 10,
//    20 s... by default;
//    - after `escalateAfter` failed attempts, if escalation(channel) names another configured
//      channel that does not have this alert yet, the alert is queued there (due at once) and
//      this row ends as 'escalated': it is NOT retried any more, the next route carries it with
//      its own attempts (and may escalate further; UNIQUE(alert, channel) stops a loop). Not
//      retrying avoids the same page arriving twice, the second time late. With no target,
//      the row keeps retrying;
//    - the `maxAttempts`-th failed attempt ends it as 'failed' (passed on as above).
//  With the defaults, a row's 8 attempts span about 10 minutes, so an offline period longer
//  than that ends rows as 'failed'. To ride out longer ones raise maxAttempts (each further
//  wait is capped at maxDelayMs, 15 minutes), and call retryNow() when the network is back so
//  waiting rows go at once rather than at their next backoff.

import type { Clock } from '../clock';
import type { Db } from '../history/db';
import { OutboxStore, type OutboxEntry, type OutboxState } from './outbox-store';
import type { Alert, Channel, Delivery } from './types';

export type { OutboxEntry, OutboxState } from './outbox-store';
export { OUTBOX_STATES } from './outbox-store';

export interface OutboxOptions {
  /** Attempts per row before it is 'failed'. Default 8. */
  maxAttempts?: number;
  /** Wait after the first failed attempt, doubled after each next one. Default 5 s. */
  baseDelayMs?: number;
  /** Longest wait between two attempts. Default 15 minutes. */
  maxDelayMs?: number;
  /** Failed attempts on one channel before the alert is passed on to the escalation target. Default 3. */
  escalateAfter?: number;
  /** The next route of the tier after `channelId`, if any. */
  escalation?: (channelId: string) => string | undefined;
  /** Sends in flight at once. Default 4. */
  concurrency?: number;
  /** A send that has not answered by then is aborted and counts as a retryable failure. Default 15 s. */
  sendTimeoutMs?: number;
  /** In [0, 1), for the jitter. Default Math.random. */
  random?: () => number;
  /** Told about failures of the outbox itself (database errors, a throwing escalation). */
  onError?: (err: unknown) => void;
}

/** Share of a wait that jitter may take off, so many rows failing together do not retry together. */
const JITTER = 0.25;

const positive = (name: string, v: number, min: number): number => {
  if (!Number.isFinite(v) || v < min) throw new RangeError(`outbox: ${name} must be at least ${min}; got ${v}`);
  return v;
};

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class Outbox {
  private readonly store: OutboxStore;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly escalateAfter: number;
  private readonly escalation: ((channelId: string) => string | undefined) | undefined;
  private readonly concurrency: number;
  private readonly sendTimeoutMs: number;
  private readonly random: () => number;
  private readonly onError: (err: unknown) => void;

  private running = false;
  private readonly inFlight = new Map<number, Promise<void>>();
  /** Rows whose result could not be recorded, kept out of the drain for a while so they do not spin. */
  private readonly held = new Map<number, unknown>();
  private timer: unknown;
  private timerAt: number | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(
    db: Db,
    private readonly clock: Clock,
    /** Channel id -> channel; read at each attempt, so edits to the map take effect. */
    private readonly channels: ReadonlyMap<string, Channel>,
    opts: OutboxOptions = {},
  ) {
    this.store = new OutboxStore(db);
    this.maxAttempts = positive('maxAttempts', opts.maxAttempts ?? 8, 1);
    this.baseDelayMs = positive('baseDelayMs', opts.baseDelayMs ?? 5_000, 0);
    this.maxDelayMs = positive('maxDelayMs', opts.maxDelayMs ?? 15 * 60_000, 0);
    this.escalateAfter = positive('escalateAfter', opts.escalateAfter ?? 3, 1);
    this.escalation = opts.escalation;
    this.concurrency = positive('concurrency', opts.concurrency ?? 4, 1);
    this.sendTimeoutMs = positive('sendTimeoutMs', opts.sendTimeoutMs ?? 15_000, 1);
    this.random = opts.random ?? Math.random;
    this.onError = opts.onError ?? ((err) => console.error('portwatch outbox:', err));
  }

  /**
   * Stores the alert for each channel (one transaction; a channel that has this alert already is
   * skipped), then, if started, starts sending. Returns how many rows it queued. Works before
   * start() and after stop() too: the rows wait for the next start.
   */
  enqueue(alert: Alert, channelIds: readonly string[]): number {
    const now = this.clock.now();
    const queued = this.store.transaction(() => {
      let n = 0;
      for (const channel of new Set(channelIds)) {
        const kind = this.channels.get(channel)?.kind ?? null;
        if (this.store.insert({ alert, channel, kind, createdAt: now, nextAttemptAt: now })) n++;
      }
      return n;
    });
    if (queued > 0) this.pump();
    return queued;
  }

  /** Starts sending: rows due now (including ones left pending by a previous run) at once, the rest on time. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.pump();
  }

  /** Stops sending and waits for the sends in flight to be recorded. Pending rows stay for the next start. */
  async stop(): Promise<void> {
    this.running = false;
    this.disarm();
    for (const h of this.held.values()) this.clock.clearTimer(h);
    this.held.clear();
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight.values()]);
    this.wakeIdle();
  }

  /**
   * Sends every row due now and resolves once none is due and none is in flight (retries
   * scheduled for later do not hold it). Resolves at once when not started.
   */
  drain(): Promise<void> {
    this.pump();
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Makes every pending row due now and drains, e.g. when the network is back after an offline period. */
  retryNow(): Promise<void> {
    this.store.retryNow(this.clock.now());
    return this.drain();
  }

  /** The latest rows, newest first, with their state, attempts and last detail; for the UI. */
  list(q: { limit: number; state?: OutboxState }): OutboxEntry[] {
    return this.store.list(q.limit, q.state);
  }

  /** Deletes settled rows (sent, failed, escalated) queued before `beforeMs`; pending ones are kept. */
  prune(beforeMs: number): number {
    return this.store.prune(beforeMs);
  }

  /** Starts sends for due rows while there is room, then sets the timer for the next due row. */
  private pump(): void {
    if (this.running && this.store.open) {
      try {
        const now = this.clock.now();
        if (this.inFlight.size < this.concurrency) {
          // In-flight and held rows are still pending and due, so ask for enough to skip them.
          const limit = this.concurrency + this.inFlight.size + this.held.size;
          for (const row of this.store.due(now, limit)) {
            if (this.inFlight.size >= this.concurrency) break;
            if (this.inFlight.has(row.id) || this.held.has(row.id)) continue;
            this.launch(row);
          }
        }
        this.arm(now);
      } catch (e) {
        this.onError(e);
      }
    }
    if (this.inFlight.size === 0) this.wakeIdle();
  }

  private launch(row: OutboxEntry): void {
    const done = this.attempt(row)
      .then((d) => this.record(row, d))
      .catch((e: unknown) => this.hold(row.id, e))
      .finally(() => {
        this.inFlight.delete(row.id);
        this.pump();
      });
    this.inFlight.set(row.id, done);
  }

  /** One send, never rejecting: a channel that throws or does not answer in time is a retryable failure. */
  private async attempt(row: OutboxEntry): Promise<Delivery> {
    const channel = this.channels.get(row.channel);
    if (channel === undefined) {
      return { ok: false, retryable: false, detail: `No channel "${row.channel}" is configured any more.` };
    }
    const ac = new AbortController();
    let timer: unknown;
    const timeout = new Promise<Delivery>((resolve) => {
      timer = this.clock.setTimer(() => {
        const detail = `No answer from ${channel.kind} channel "${channel.id}" within ${this.sendTimeoutMs / 1000} s.`;
        ac.abort(new Error(detail));
        resolve({ ok: false, retryable: true, detail });
      }, this.sendTimeoutMs);
    });
    const sent = Promise.resolve()
      .then(() => channel.send(row.alert, ac.signal))
      .catch((e: unknown): Delivery => ({
        ok: false,
        retryable: true,
        detail: `The ${channel.kind} channel "${channel.id}" failed: ${message(e)}`,
      }));
    try {
      return await Promise.race([sent, timeout]);
    } finally {
      this.clock.clearTimer(timer);
    }
  }

  private record(row: OutboxEntry, d: Delivery): void {
    if (!this.store.open) return;
    const now = this.clock.now();
    const attempts = row.attempts + 1;
    this.store.transaction(() => {
      if (d.ok) {
        this.store.markSent(row.id, now, d.detail);
        return;
      }
      if (!d.retryable || attempts >= this.maxAttempts) {
        const to = this.handOver(row, now);
        this.store.settle(row.id, 'failed', now, to === undefined ? d.detail : `${d.detail} (passed on to ${to})`);
        return;
      }
      if (attempts >= this.escalateAfter) {
        const to = this.handOver(row, now);
        if (to !== undefined) {
          this.store.settle(
            row.id,
            'escalated',
            now,
            `${d.detail} (after ${attempts} failed attempts, passed on to ${to})`,
          );
          return;
        }
      }
      this.store.retryAt(row.id, row.attempts, now + this.backoff(attempts), d.detail);
    });
  }

  /** Queues the alert to the escalation target of the row's channel; the target's id if it queued it. */
  private handOver(row: OutboxEntry, now: number): string | undefined {
    let to: string | undefined;
    try {
      to = this.escalation?.(row.channel);
    } catch (e) {
      this.onError(e);
      return undefined;
    }
    if (to === undefined || to === row.channel) return undefined;
    const channel = this.channels.get(to);
    if (channel === undefined) return undefined;
    const queued = this.store.insert({
      alert: row.alert,
      channel: to,
      kind: channel.kind,
      createdAt: now,
      nextAttemptAt: now,
    });
    return queued ? to : undefined;
  }

  /** The wait after the `attempts`-th failed attempt. */
  private backoff(attempts: number): number {
    const full = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempts - 1));
    return Math.round(full * (1 - JITTER * this.random()));
  }

  /** A row whose result could not be written stays pending; leave it alone for a while rather than resend it at once. */
  private hold(id: number, err: unknown): void {
    this.onError(err);
    if (!this.running) return;
    const h = this.clock.setTimer(() => {
      this.held.delete(id);
      this.pump();
    }, this.maxDelayMs);
    this.held.set(id, h);
  }

  private arm(now: number): void {
    const next = this.store.nextDue(now);
    if (next === this.timerAt) return;
    this.disarm();
    if (next === undefined) return;
    this.timerAt = next;
    this.timer = this.clock.setTimer(() => {
      this.timer = undefined;
      this.timerAt = undefined;
      this.pump();
    }, next - now);
  }

  private disarm(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.timerAt = undefined;
  }

  private wakeIdle(): void {
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
