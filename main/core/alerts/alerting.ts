// Alerting as it runs beside the engine in `serve` and in the app: the saved channels opened
// into working ones, the outbox sending them, the pipeline turning engine events into alerts,
// reminders on a timer, and the quiet rules (snooze, maintenance) kept in step with the settings.

import type { AlertSettings, ChannelKind } from '../../../shared/alerts';
import type { Monitor } from '../../../shared/monitor';
import type { Tier } from '../../../shared/catalog';
import type { OpenIncident } from '../../../shared/status';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { ConfigStore } from '../config/store';
import type { Engine } from '../engine';
import type { Db } from '../history/db';
import type { SecretBox } from '../secrets';
import type { VantageRegistry } from '../vantage/registry';
import { openChannel, type OpenOptions } from './channel-config';
import { sealStoredSecrets } from './channel-store';
import { reminderAlert } from './messages';
import { Outbox, type OutboxEntry, type OutboxOptions, type OutboxState } from './outbox';
import { AlertPipeline } from './pipeline';
import { Quiet, type SnoozeChoice } from './quiet';
import { DEFAULT_ROUTING, type AlertRouting } from './router';
import type { Channel } from './types';

export interface AlertingOptions extends OpenOptions {
  engine: Pick<Engine, 'subscribe' | 'states'>;
  config: Pick<ConfigStore, 'settings' | 'updateSettings' | 'monitors' | 'onChange'>;
  /** The history database, which holds the outbox. */
  db: Db;
  box: SecretBox;
  clock?: Clock;
  outbox?: OutboxOptions;
  stormWindowMs?: number;
  /** How often to look for outages due a reminder. Default one minute. */
  reminderPollMs?: number;
  /** Told when something in alerting itself fails (a database error); never given a secret. */
  onError?: (err: unknown) => void;
  /** Other vantage points: a down waits while one that answers still sees the target up. */
  vantage?: Pick<VantageRegistry, 'holdsDown'>;
}

const MIN = 60_000;

/**
 * Rides out an offline period of a few hours: waits double from 5 s up to 15 min, so 24
 * attempts span about 4.5 hours; retryNow() sends at once when the network is back.
 */
const OUTBOX_DEFAULTS: OutboxOptions = { maxAttempts: 24 };

/** Escalation goes from the quickest channel to the most durable one. */
const ESCALATION_ORDER: readonly ChannelKind[] = ['desktop', 'telegram', 'email', 'webhook'];

export class Alerting {
  readonly quiet = new Quiet();
  private readonly clock: Clock;
  private readonly channels = new Map<string, Channel>();
  private readonly monitors = new Map<string, Monitor>();
  private readonly outbox: Outbox;
  private readonly pipeline: AlertPipeline;
  private readonly unsubscribe: () => void;
  private readonly unwatchConfig: () => void;
  private reminderTimer: unknown;
  private alerts: AlertSettings;
  private stopped = false;
  private readonly onError: (err: unknown) => void;

  constructor(private readonly o: AlertingOptions) {
    this.clock = o.clock ?? systemClock;
    this.onError = o.onError ?? ((e) => console.error('portwatch alerts:', e instanceof Error ? e.message : e));
    // A secret typed into the file by hand is sealed before anything else reads it.
    try {
      sealStoredSecrets(o.config, o.box);
    } catch (e) {
      this.onError(e);
    }
    this.alerts = o.config.settings().alerts;
    this.reload();
    this.outbox = new Outbox(o.db, this.clock, this.channels, {
      ...OUTBOX_DEFAULTS,
      escalation: (id) => this.escalationOf(id),
      onError: this.onError,
      ...o.outbox,
    });
    this.pipeline = new AlertPipeline({
      engine: o.engine,
      monitorOf: (id) => this.monitors.get(id),
      outbox: this.outbox,
      channels: () => [...this.channels.values()],
      routing: () => this.routing(),
      overrideOf: (id) => {
        const kinds = this.monitors.get(id)?.alertChannels;
        return kinds ? { channels: kinds } : undefined;
      },
      quiet: this.quiet,
      clock: this.clock,
      onError: this.onError,
      ...(o.stormWindowMs !== undefined ? { stormWindowMs: o.stormWindowMs } : {}),
      holdDown: (id) => {
        const m = this.monitors.get(id);
        return m !== undefined && (o.vantage?.holdsDown(m) ?? false);
      },
    });
    // The network is back: what waited for it goes now, not at its next backoff.
    this.unsubscribe = o.engine.subscribe((e) => {
      if (e.type === 'online') void this.outbox.retryNow().catch(this.onError);
    });
    this.unwatchConfig = o.config.onChange(() => this.reload());
  }

  /** Starts sending (including alerts a previous run stored but did not send) and reminding. */
  start(): void {
    this.outbox.start();
    this.armReminders();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.reminderTimer !== undefined) this.clock.clearTimer(this.reminderTimer);
    this.unsubscribe();
    this.unwatchConfig();
    this.pipeline.stop();
    await this.outbox.stop();
  }

  /** Silences every alert until the chosen time, or ends the snooze ('off'); saved, so a restart keeps it. */
  snooze(choice: SnoozeChoice | 'off'): { until: number | undefined } {
    const now = this.clock.now();
    if (choice === 'off') this.quiet.unsnooze();
    else this.quiet.snooze(choice, now);
    const until = this.quiet.snoozeEndsAt;
    const { snooze: _old, ...rest } = this.o.config.settings().alerts;
    this.o.config.updateSettings({
      alerts: until === undefined ? rest : { ...rest, snooze: { from: now, until } },
    });
    return { until };
  }

  /** Stops reminders of this monitor's outage until its state changes. */
  ack(monitorId: string): void {
    this.quiet.ack(monitorId);
  }

  outboxEntries(q: { limit: number; state?: OutboxState }): OutboxEntry[] {
    return this.outbox.list(q);
  }

  /** Sends what is due now and waits for it; for shutdown paths and tests. */
  drain(): Promise<void> {
    return this.outbox.drain();
  }

  /** Re-reads channels, monitors, routing, reminders, windows and snooze from the settings. */
  private reload(): void {
    const settings = this.o.config.settings();
    this.alerts = settings.alerts;
    this.monitors.clear();
    for (const m of this.o.config.monitors()) this.monitors.set(m.id, m);
    this.channels.clear();
    for (const c of this.alerts.channels)
      if (c.enabled)
        this.channels.set(c.id, openChannel(c, this.o.box, this.o.desktop ? { desktop: this.o.desktop } : {}));
    const every = (t: Tier): number | undefined => {
      const minutes = this.alerts.reminderMinutes[t];
      return minutes === null ? undefined : minutes * MIN;
    };
    this.quiet.setReminders({ 1: every(1), 2: every(2), 3: every(3) });
    this.quiet.setWindows(this.alerts.maintenance);
    this.quiet.restoreSnooze(this.alerts.snooze);
  }

  private routing(): AlertRouting {
    return { ...DEFAULT_ROUTING, tiers: this.alerts.routing };
  }

  /** The first enabled channel of a later kind than the failing one's. */
  private escalationOf(id: string): string | undefined {
    const from = this.channels.get(id);
    if (!from) return undefined;
    const rank = ESCALATION_ORDER.indexOf(from.kind);
    return [...this.channels.values()]
      .filter((c) => ESCALATION_ORDER.indexOf(c.kind) > rank)
      .sort((a, b) => ESCALATION_ORDER.indexOf(a.kind) - ESCALATION_ORDER.indexOf(b.kind))[0]?.id;
  }

  private armReminders(): void {
    if (this.stopped) return;
    this.reminderTimer = this.clock.setTimer(() => {
      try {
        this.remind();
      } catch (e) {
        this.onError(e);
      }
      this.armReminders();
    }, this.o.reminderPollMs ?? MIN);
  }

  private remind(): void {
    const now = this.clock.now();
    const down: { monitor: Monitor; incident: OpenIncident }[] = [];
    for (const [id, state] of this.o.engine.states()) {
      const monitor = this.monitors.get(id);
      if (monitor && state.status === 'down' && state.incident && !this.pipeline.holding(id))
        down.push({ monitor, incident: state.incident });
    }
    const due = this.quiet.dueReminders(down, now);
    const alerts = due.flatMap((d) => {
      const m = this.monitors.get(d.monitor.id);
      return m ? [reminderAlert(m, d.incident, now)] : [];
    });
    if (alerts.length > 0) this.pipeline.send(alerts);
  }
}
