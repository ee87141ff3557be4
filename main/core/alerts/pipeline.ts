// From engine events to the outbox: each event becomes at most one alert (messages.ts), quiet
// periods hold it back (quiet.ts), storms are grouped per host (storm.ts), and what is released
// is routed to channel kinds (router.ts), then to every configured channel of those kinds, and
// queued in the outbox, which delivers it.

import type { Monitor } from '../../../shared/monitor';
import type { Clock } from '../clock';
import type { EngineEvent } from '../engine';
import { eventAlert } from './messages';
import type { Outbox } from './outbox';
import { shouldAlert, type Quiet, type QuietSpan } from './quiet';
import { DEFAULT_ROUTING, routeAlert, type AlertRouting, type MonitorRouting } from './router';
import { StormGrouper } from './storm';
import type { Alert, ChannelKind } from './types';

export interface AlertPipelineOptions {
  engine: { subscribe: (listener: (e: EngineEvent) => void) => () => void };
  monitorOf: (id: string) => Monitor | undefined;
  outbox: Pick<Outbox, 'enqueue'>;
  /** The configured channels (read at each alert); an alert goes to every one whose kind it is routed to. */
  channels: readonly { id: string; kind: ChannelKind }[] | (() => readonly { id: string; kind: ChannelKind }[]);
  quiet: Quiet;
  clock: Clock;
  routing?: AlertRouting | (() => AlertRouting);
  /** Per-monitor channel kinds replacing the tier's. */
  overrideOf?: (monitorId: string) => MonitorRouting | undefined;
  /** How long to wait for more downs (or recoveries) of the same host; storm.ts's default if unset. */
  stormWindowMs?: number;
  /** Told when queueing an alert fails (e.g. the database is closed). Default console.error. */
  onError?: (err: unknown) => void;
  /**
   * Whether a monitor's down waits (another vantage point still sees its target up). Asked again
   * at each of its results, so the down goes once they agree; a recovery meanwhile drops both.
   */
  holdDown?: (monitorId: string) => boolean;
}

/** Maintenance occurrences remembered per monitor, for shouldAlert's "began before the window" rule. */
const SPANS_KEPT = 8;

export class AlertPipeline {
  private readonly storm: StormGrouper;
  private readonly unsubscribe: () => void;
  private readonly spans = new Map<string, QuietSpan[]>();
  private readonly held = new Map<string, Alert>();
  private offlineSince: number | undefined;
  private timer: unknown;
  private timerAt: number | undefined;
  private stopped = false;

  constructor(private readonly o: AlertPipelineOptions) {
    this.storm = new StormGrouper({
      clock: o.clock,
      ...(o.stormWindowMs !== undefined ? { windowMs: o.stormWindowMs } : {}),
    });
    this.unsubscribe = o.engine.subscribe((e) => this.onEvent(e));
  }

  /** Stops listening, sends what the storm grouper still holds, and clears the timer. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe();
    this.disarm();
    this.release(this.storm.flush(Number.POSITIVE_INFINITY));
  }

  private onEvent(e: EngineEvent): void {
    const now = this.o.clock.now();
    if (e.type === 'result' || e.type === 'transition') this.rememberWindows(e.monitorId, now);
    if (e.type === 'result') this.recheckHeld(e.monitorId, now);
    if (e.type === 'transition') this.o.quiet.observe(e.monitorId, e.transition);
    // A held down that ends unsent ends quietly: its recovery would announce an outage never told.
    const dropped = e.type === 'transition' && e.transition.to !== 'down' && this.held.delete(e.monitorId);

    const alert = eventAlert(e, this.o.monitorOf, this.offlineSince);
    if (e.type === 'offline') this.offlineSince = e.at;
    if (e.type === 'online') this.offlineSince = undefined;
    if (!alert) return;

    if (e.type === 'transition') {
      const m = this.o.monitorOf(e.monitorId);
      if (!m || this.o.quiet.isQuiet(m, now)) return;
      if (!shouldAlert(e.transition, this.spans.get(m.id) ?? [])) return;
      if (alert.kind === 'recovered' && dropped) return;
      if (alert.kind === 'down' && this.o.holdDown?.(m.id)) return void this.held.set(m.id, alert);
    }
    // Offline/online notices always go through the grouper, which must know the network state
    // (it drops the downs an outage of our own network causes); a snooze is applied on release.
    this.storm.add(alert);
    this.schedule();
  }

  /** Whether a down of this monitor is being held back (see holdDown); reminders wait for it too. */
  holding(monitorId: string): boolean {
    return this.held.has(monitorId);
  }

  private recheckHeld(monitorId: string, now: number): void {
    const alert = this.held.get(monitorId);
    if (!alert || this.o.holdDown?.(monitorId)) return;
    this.held.delete(monitorId);
    const m = this.o.monitorOf(monitorId);
    if (!m || this.o.quiet.isQuiet(m, now)) return;
    this.storm.add(alert);
    this.schedule();
  }

  /** Keeps the maintenance occurrences covering a monitor now, so they are known after they end. */
  private rememberWindows(monitorId: string, now: number): void {
    const m = this.o.monitorOf(monitorId);
    if (!m) return;
    const active = this.o.quiet.activeWindows(m, now);
    if (active.length === 0) return;
    const kept = this.spans.get(monitorId) ?? [];
    for (const w of active)
      if (!kept.some((s) => s.start === w.start && s.end === w.end)) kept.push({ start: w.start, end: w.end });
    this.spans.set(monitorId, kept.slice(-SPANS_KEPT));
  }

  /** Arms the clock timer for the grouper's next due window, if sooner than the one armed. */
  private schedule(): void {
    const due = this.storm.nextDue();
    if (due === undefined || this.stopped || (this.timerAt !== undefined && this.timerAt <= due)) return;
    this.disarm();
    this.timerAt = due;
    this.timer = this.o.clock.setTimer(() => {
      this.timer = undefined;
      this.timerAt = undefined;
      this.release(this.storm.flush(this.o.clock.now()));
      this.schedule();
    }, due - this.o.clock.now());
  }

  private disarm(): void {
    if (this.timer !== undefined) this.o.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.timerAt = undefined;
  }

  /** Routes and queues alerts that need no grouping (reminders), as if the grouper released them. */
  send(alerts: readonly Alert[]): void {
    if (!this.stopped) this.release(alerts);
  }

  private release(alerts: readonly Alert[]): void {
    const routing = typeof this.o.routing === 'function' ? this.o.routing() : (this.o.routing ?? DEFAULT_ROUTING);
    const channels = typeof this.o.channels === 'function' ? this.o.channels() : this.o.channels;
    for (const alert of alerts) {
      const network = alert.kind === 'offline' || alert.kind === 'online';
      if (network && this.o.quiet.isSnoozed(this.o.clock.now())) continue;
      const overrides: Record<string, MonitorRouting> = {};
      for (const s of alert.subjects) {
        const o = this.o.overrideOf?.(s.monitorId);
        if (o) overrides[s.monitorId] = o;
      }
      const kinds = routeAlert(alert, routing, overrides);
      const ids = channels.filter((c) => kinds.includes(c.kind)).map((c) => c.id);
      if (ids.length === 0) continue;
      try {
        this.o.outbox.enqueue(alert, ids);
      } catch (err) {
        (this.o.onError ?? ((e: unknown) => console.error('portwatch alerts:', e)))(err);
      }
    }
  }
}
