import { fail, ok, type Result } from '../../shared/result';
import { z } from 'zod';
import { MonitorSchema, describeIssues, type Monitor } from '../../shared/monitor';
import type { ProbeResult } from '../../shared/probe';
import { checkMonitor } from './check-monitor';
import type { Settings } from '../../shared/settings';
import { ConfigError, type ConfigStore } from './config/store';
import type { Engine, EngineEvent } from './engine';
import type { History, Incident, SeriesPoint, StoredResult } from './history/repo';
import { publicAlerts, type AlertService } from './alerts/alert-service';
import { SEALED_MARK } from './alerts/channel-config';

export type { Result };

export type { MonitorView, Overview } from '../../shared/api';
import type { MonitorView, Overview } from '../../shared/api';

const Id = z.string().min(1).max(64);
const Range = z.object({
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  bucketMs: z.number().int().min(1000).optional(),
});
const IncidentQuery = z.object({
  monitorId: Id.optional(),
  fromMs: z.number().int().optional(),
  toMs: z.number().int().optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
});

function guard<T>(fn: () => T): Result<T> {
  try {
    return ok(fn());
  } catch (e) {
    if (e instanceof ConfigError) return fail(e.problems.length ? e.problems.join('; ') : e.message);
    return fail(e instanceof Error ? e.message : String(e));
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): Result<T> {
  const r = schema.safeParse(value);
  if (r.success) return ok(r.data);
  return fail(`${what}: ${r.error.issues.map((i) => `${i.path.join('.') || 'value'} ${i.message}`).join('; ')}`);
}

/**
 * The one surface every front end calls (IPC, HTTP, CLI). Arguments arrive unchecked from
 * outside, so each is validated here; nothing throws past this class.
 */
export class PortwatchService {
  private unwatch: (() => void) | undefined;

  constructor(
    private readonly config: ConfigStore,
    private readonly engine: Engine,
    private readonly history?: History,
    /** Channels, snooze and the outbox; absent where no secret box is at hand. */
    readonly alerts?: AlertService,
  ) {}

  start(): void {
    this.engine.setMonitors(this.config.monitors());
    this.unwatch = this.config.onChange(() => this.engine.setMonitors(this.config.monitors()));
  }

  async stop(): Promise<void> {
    this.unwatch?.();
    await this.engine.stop();
  }

  list(): MonitorView[] {
    return this.config.monitors().map((monitor) => ({ monitor, state: this.engine.state(monitor.id) }));
  }

  get(id: unknown): Result<MonitorView> {
    const p = parse(Id, id, 'monitor id');
    if (!p.ok) return p;
    const monitor = this.config.monitor(p.value);
    return monitor ? ok({ monitor, state: this.engine.state(monitor.id) }) : fail(`no monitor with id ${p.value}`);
  }

  add(input: unknown): Result<Monitor> {
    if (typeof input !== 'object' || input === null) return fail('a monitor must be an object');
    return guard(() => this.config.addMonitor(input as Parameters<ConfigStore['addMonitor']>[0]));
  }

  update(id: unknown, patch: unknown): Result<Monitor> {
    const p = parse(Id, id, 'monitor id');
    if (!p.ok) return p;
    if (typeof patch !== 'object' || patch === null) return fail('the changes must be an object');
    return guard(() => this.config.updateMonitor(p.value, patch as Parameters<ConfigStore['updateMonitor']>[1]));
  }

  remove(id: unknown): Result<true> {
    const p = parse(Id, id, 'monitor id');
    if (!p.ok) return p;
    if (!this.config.removeMonitor(p.value)) return fail(`no monitor with id ${p.value}`);
    this.history?.forgetMonitor(p.value);
    return ok(true);
  }

  /** Runs the check of a monitor that may not be saved yet ("test now" in the editor); saves nothing. */
  async testMonitor(input: unknown): Promise<Result<ProbeResult>> {
    if (typeof input !== 'object' || input === null) return fail('a monitor must be an object');
    const m = MonitorSchema.safeParse({ id: 'test', name: 'test', ...input });
    if (!m.success) return fail(describeIssues(m.error).join('; '));
    try {
      return ok(await checkMonitor(m.data));
    } catch (e) {
      return fail(e instanceof Error ? e.message : String(e));
    }
  }

  checkNow(id: unknown): Result<true> {
    const p = parse(Id, id, 'monitor id');
    if (!p.ok) return p;
    if (!this.config.monitor(p.value)) return fail(`no monitor with id ${p.value}`);
    this.engine.checkNow(p.value);
    return ok(true);
  }

  checkAll(): Result<true> {
    this.engine.checkAllNow();
    return ok(true);
  }

  pauseAll(): Result<true> {
    this.engine.pauseAll();
    return ok(true);
  }

  resumeAll(): Result<true> {
    this.engine.resumeAll();
    return ok(true);
  }

  overview(): Overview {
    const counts = { unknown: 0, up: 0, degraded: 0, pending: 0, down: 0, paused: 0, maintenance: 0 };
    for (const m of this.config.monitors()) counts[this.engine.state(m.id)?.status ?? 'unknown']++;
    return { counts, offline: this.engine.isOffline, suspended: this.engine.isSuspended, paused: this.engine.isPaused };
  }

  series(id: unknown, range: unknown): Result<SeriesPoint[]> {
    const p = parse(Id, id, 'monitor id');
    const r = parse(Range, range, 'range');
    if (!p.ok) return p;
    if (!r.ok) return r;
    if (!this.history) return fail('history is not kept in this mode');
    const span = r.value.to - r.value.from;
    if (span <= 0) return fail('range: "to" must be after "from"');
    // About 300 points whatever the range, unless asked otherwise.
    const bucket = r.value.bucketMs ?? Math.max(60_000, Math.ceil(span / 300 / 60_000) * 60_000);
    const history = this.history;
    return guard(() => history.series(p.value, r.value.from, r.value.to, bucket));
  }

  uptime(id: unknown, range: unknown): Result<{ checks: number; upPct: number | null }> {
    const p = parse(Id, id, 'monitor id');
    const r = parse(Range, range, 'range');
    if (!p.ok) return p;
    if (!r.ok) return r;
    if (!this.history) return fail('history is not kept in this mode');
    const history = this.history;
    return guard(() => history.uptime(p.value, r.value.from, r.value.to));
  }

  /**
   * Every monitor with history over the last 24 hours: checks, uptime and a mean latency for
   * each clock hour, the last one the hour going on. An empty record where no history is kept.
   */
  overviewStats(): Result<Record<string, { checks: number; upPct: number | null; spark: (number | null)[] }>> {
    const history = this.history;
    if (!history) return ok({});
    const hour = 3_600_000;
    const to = Math.ceil(Date.now() / hour) * hour;
    return guard(() => history.overviewStats(to - 24 * hour, to, 24));
  }

  recentResults(id: unknown, limit: unknown = 50): Result<StoredResult[]> {
    const p = parse(Id, id, 'monitor id');
    const l = parse(z.number().int().min(1).max(5000), limit, 'limit');
    if (!p.ok) return p;
    if (!l.ok) return l;
    if (!this.history) return fail('history is not kept in this mode');
    const history = this.history;
    return guard(() => history.recentResults(p.value, l.value));
  }

  incidents(query: unknown = {}): Result<Incident[]> {
    const q = parse(IncidentQuery, query, 'incident query');
    if (!q.ok) return q;
    if (!this.history) return fail('history is not kept in this mode');
    const history = this.history;
    return guard(() => history.incidents(q.value));
  }

  /** The settings with every alert channel secret shown as "(sealed)". */
  /** The settings with every secret (alert channels, other instances' tokens) shown as "(sealed)". */
  settings(): Settings {
    const s = this.config.settings();
    return { ...s, alerts: publicAlerts(s.alerts), sources: s.sources.map((x) => ({ ...x, token: SEALED_MARK })) };
  }

  updateSettings(patch: unknown): Result<Settings> {
    if (typeof patch !== 'object' || patch === null) return fail('settings must be an object');
    // Taking alerts here would save the "(sealed)" markers over the real secrets.
    if ('alerts' in patch) return fail('alerts: change alert settings through the alert calls');
    if ('sources' in patch) return fail('sources: add or remove other instances through the sources calls');
    const saved = guard(() => this.config.updateSettings(patch as Partial<Settings>));
    return saved.ok ? ok(this.settings()) : saved;
  }

  subscribe(listener: (e: EngineEvent) => void): () => void {
    return this.engine.subscribe(listener);
  }
}
