import type { Monitor, Policy } from '../../shared/monitor';
import { policyFor } from '../../shared/monitor';
import type { ProbeResult } from '../../shared/probe';
import type { MonitorState, Transition } from '../../shared/status';
import { checkMonitor } from './check-monitor';
import { systemClock, type Clock } from './clock';
import type { History, Incident, StoredResult } from './history/repo';
import { OfflineDetector, isNetworkFailure, type NetworkVerdict } from './offline';
import { runProbe } from './probes/run';
import { Scheduler, type Job, type RunInfo } from './scheduler';
import { initialState, reduce, type StateEvent } from './state';

export type EngineEvent =
  | { type: 'result'; monitorId: string; result: ProbeResult; state: MonitorState }
  | { type: 'transition'; monitorId: string; transition: Transition; state: MonitorState }
  | { type: 'offline'; at: number }
  | { type: 'online'; at: number }
  | { type: 'suspended'; at: number }
  | { type: 'resumed'; at: number };

export interface EngineOptions {
  clock?: Clock;
  /** Where results and incidents are kept; the one-shot CLI runs without. */
  history?: History;
  check?: (m: Monitor, signal: AbortSignal) => Promise<ProbeResult>;
  maxInFlight?: number;
  maxPerHost?: number;
  /** After a resume, wait this long for the network to come back before checking. */
  resumeGraceMs?: number;
  /** A target that should always answer; its failure confirms that the network is ours. */
  canary?: { host: string; port: number };
  /** 0 (the default) writes each result at once; more batches writes for at most this long. */
  flushMs?: number;
}

const CANARY_ID = '\u0000canary';
const CANARY_INTERVAL_MS = 30_000;

/**
 * Continuous monitoring: the scheduler says when, the probe measures, the pure state machine
 * judges, and the engine keeps the books (history, incidents) and tells its listeners.
 */
export class Engine {
  private readonly clock: Clock;
  private readonly scheduler: Scheduler;
  private readonly monitors = new Map<string, Monitor>();
  private readonly policies = new Map<string, Policy>();
  private readonly stateOf = new Map<string, MonitorState>();
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private readonly offline = new OfflineDetector();
  /** When each host's other monitors were last checked because one of them failed. */
  private readonly siblingSweeps = new Map<string, number>();
  /** Hosts already asked for once while the network looks suspect. */
  private readonly suspectChecks = new Set<string>();
  private readonly check: (m: Monitor, signal: AbortSignal) => Promise<ProbeResult>;
  private buffer: StoredResult[] = [];
  private flushTimer: unknown;
  private graceTimer: unknown;
  /** Bumped on suspend, so results of checks that straddled a sleep are thrown away. */
  private epoch = 0;
  private suspended = false;
  private paused = false;
  private stopped = false;
  /** Called with each run's lag (start minus plan), for the benchmark. */
  onLag: ((lagMs: number) => void) | undefined;

  constructor(private readonly options: EngineOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.check = options.check ?? checkMonitor;
    this.scheduler = new Scheduler({
      clock: this.clock,
      run: (job, info, signal) => this.run(job, info, signal),
      onLag: (lag) => this.onLag?.(lag),
      ...(options.maxInFlight ? { maxInFlight: options.maxInFlight } : {}),
      ...(options.maxPerHost ? { maxPerHost: options.maxPerHost } : {}),
    });
    if (options.canary) {
      this.scheduler.upsert({
        id: CANARY_ID,
        hostKey: options.canary.host,
        intervalMs: CANARY_INTERVAL_MS,
        timeoutMs: 3000,
      });
    }
  }

  subscribe(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get isOffline(): boolean {
    return this.offline.isOffline;
  }

  get isSuspended(): boolean {
    return this.suspended;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** The scheduler, for figures (lag, in flight); not for steering. */
  get schedulerStats(): { size: number; inFlight: number; queued: number } {
    return { size: this.scheduler.size, inFlight: this.scheduler.inFlight, queued: this.scheduler.queued };
  }

  state(id: string): MonitorState | undefined {
    return this.stateOf.get(id);
  }

  states(): Map<string, MonitorState> {
    return new Map(this.stateOf);
  }

  /** Brings the running set in line with the saved monitors; unchanged ones are not disturbed. */
  setMonitors(list: Monitor[]): void {
    const wanted = new Set(list.map((m) => m.id));
    for (const id of this.monitors.keys()) {
      if (!wanted.has(id)) {
        this.scheduler.remove(id);
        this.monitors.delete(id);
        this.policies.delete(id);
        this.stateOf.delete(id);
      }
    }
    // Read once per call: with thousands of new monitors, once each would be thousands of queries.
    const fresh = list.some((m) => !this.stateOf.has(m.id));
    const open = new Map(fresh ? (this.options.history?.openIncidents().map((i) => [i.monitorId, i]) ?? []) : []);
    for (const m of list) this.upsert(m, open);
    this.offline.setHosts(list.filter((m) => m.enabled).map((m) => m.host));
  }

  private upsert(m: Monitor, openIncidents: ReadonlyMap<string, Incident>): void {
    const before = this.monitors.get(m.id);
    const policy = policyFor(m);
    this.monitors.set(m.id, m);
    this.policies.set(m.id, policy);
    if (!this.stateOf.has(m.id)) this.stateOf.set(m.id, this.restoredState(openIncidents.get(m.id)));
    if (!m.enabled) {
      this.scheduler.remove(m.id);
      this.apply(m.id, { type: 'pause', at: this.clock.now() });
      return;
    }
    if (before && !before.enabled) this.apply(m.id, { type: 'resume', at: this.clock.now() });
    this.scheduler.upsert({ id: m.id, hostKey: m.host, intervalMs: policy.intervalMs, timeoutMs: policy.timeoutMs });
  }

  /** A monitor that was down when the app stopped is still down, with its incident open. */
  private restoredState(open: Incident | undefined): MonitorState {
    const now = this.clock.now();
    if (!open) return initialState(now);
    return {
      ...initialState(now),
      status: 'down',
      since: open.confirmedAt,
      failingSince: open.startedAt,
      incident: {
        startedAt: open.startedAt,
        confirmedAt: open.confirmedAt,
        outcome: open.outcome,
        phase: open.phase,
        diagnosis: open.diagnosis,
      },
    };
  }

  checkAllNow(): void {
    if (!this.suspended) this.scheduler.checkAllNow();
  }

  checkNow(id: string): void {
    if (!this.suspended) this.scheduler.checkNow(id);
  }

  /** "Pause monitoring" from the tray: no checks, every monitor shown as paused. */
  pauseAll(): void {
    if (this.paused) return;
    this.paused = true;
    this.scheduler.pause();
    const at = this.clock.now();
    for (const id of this.monitors.keys()) this.apply(id, { type: 'pause', at });
  }

  resumeAll(): void {
    if (!this.paused) return;
    this.paused = false;
    const at = this.clock.now();
    for (const [id, m] of this.monitors) if (m.enabled) this.apply(id, { type: 'resume', at });
    this.scheduler.resume();
    this.scheduler.checkAllNow();
  }

  /** The machine is going to sleep: nothing that happens until resume() counts. */
  suspend(): void {
    if (this.suspended) return;
    this.suspended = true;
    this.epoch++;
    this.scheduler.pause();
    if (this.graceTimer !== undefined) this.clock.clearTimer(this.graceTimer);
    this.graceTimer = undefined;
    this.emit({ type: 'suspended', at: this.clock.now() });
  }

  /** Back from sleep: give the network a moment, then check everything at once. */
  resume(): void {
    if (!this.suspended || this.graceTimer !== undefined) return;
    this.graceTimer = this.clock.setTimer(() => {
      this.graceTimer = undefined;
      this.suspended = false;
      this.epoch++;
      if (!this.paused) this.scheduler.resume();
      this.scheduler.checkAllNow();
      this.emit({ type: 'resumed', at: this.clock.now() });
    }, this.options.resumeGraceMs ?? 10_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.graceTimer !== undefined) this.clock.clearTimer(this.graceTimer);
    await this.scheduler.stop();
    this.flush();
  }

  private async run(job: Job, _info: RunInfo, signal: AbortSignal): Promise<void> {
    const epoch = this.epoch;
    if (job.id === CANARY_ID) return this.runCanary(signal, epoch);
    const m = this.monitors.get(job.id);
    if (!m) return;
    const result = await this.check(m, signal);
    if (signal.aborted && !this.monitors.has(job.id)) return;
    if (this.stopped || epoch !== this.epoch || this.suspended) return;
    this.accept(m, result);
  }

  private async runCanary(signal: AbortSignal, epoch: number): Promise<void> {
    const c = this.options.canary;
    if (!c) return;
    const result = await runProbe('tcp', c, {}, { timeoutMs: 3000, signal });
    if (this.stopped || epoch !== this.epoch || this.suspended) return;
    this.onNetworkVerdict(this.offline.observeCanary(result.outcome, this.clock.now()));
  }

  /** The OS's online/offline signal (desktop app): offline at once, one alert notice, no per-monitor downs. */
  setOsOnline(online: boolean): void {
    if (this.stopped) return;
    this.onNetworkVerdict(this.offline.setOsOnline(online));
  }

  private onNetworkVerdict(verdict: NetworkVerdict | undefined): void {
    if (!verdict) return;
    if (verdict.kind === 'suspect') {
      // Ask the hosts not heard from lately now, before any retry can confirm a false outage.
      const hosts = new Set(verdict.unchecked);
      for (const [id, m] of this.monitors) {
        if (hosts.has(m.host) && !this.suspectChecks.has(m.host)) this.scheduler.checkNow(id);
      }
      for (const h of hosts) this.suspectChecks.add(h);
      return;
    }
    this.suspectChecks.clear();
    this.emit({ type: verdict.kind, at: this.clock.now() });
    // Back online: what was held while offline is re-checked now, not at the next interval.
    if (verdict.kind === 'online') this.scheduler.checkAllNow();
  }

  private accept(m: Monitor, result: ProbeResult): void {
    const now = this.clock.now();
    this.onNetworkVerdict(this.offline.observe(m.host, result.outcome, now));
    // While our own network is down, a network-level failure says nothing about the service.
    const held = this.offline.isOffline && isNetworkFailure(result.outcome);
    const step = held ? undefined : this.apply(m.id, { type: 'result', at: now, result });
    const state = this.stateOf.get(m.id);
    if (!state) return;
    // `last` is this result only if the reducer took it (paused or maintenance ones are ignored).
    const slow = step !== undefined && state.last?.at === now && state.last.slow;
    this.record(m.id, result, now, slow);
    this.emit({ type: 'result', monitorId: m.id, result, state });
    if (step === 'retry') this.scheduler.retry(m.id, this.policies.get(m.id)?.retryIntervalMs ?? 30_000);
    if (step === 'retry' && state.status === 'pending') this.checkSiblings(m, now);
  }

  /**
   * A failure on one port makes the host's other monitors worth a look now rather than at their
   * own times: an outage of the host is then confirmed for all of them together (and alerted
   * as one), instead of port by port up to an interval apart.
   */
  private checkSiblings(m: Monitor, now: number): void {
    const window = this.policies.get(m.id)?.retryIntervalMs ?? 30_000;
    const last = this.siblingSweeps.get(m.host);
    if (last !== undefined && now - last < window) return;
    this.siblingSweeps.set(m.host, now);
    for (const [id, other] of this.monitors) {
      if (id === m.id || other.host !== m.host || !other.enabled) continue;
      const status = this.stateOf.get(id)?.status;
      if (status === 'up' || status === 'degraded' || status === 'unknown') this.scheduler.checkNow(id);
    }
  }

  /** Runs the reducer, keeps the books for its transitions, and returns what to do next. */
  private apply(id: string, event: StateEvent): 'interval' | 'retry' | 'none' | undefined {
    const state = this.stateOf.get(id);
    const policy = this.policies.get(id);
    if (!state || !policy) return undefined;
    const step = reduce(state, event, policy);
    this.stateOf.set(id, step.state);
    for (const t of step.transitions) {
      const h = this.options.history;
      if (h && t.incident?.action === 'opened') h.openIncident({ monitorId: id, ...t.incident.incident });
      if (h && t.incident?.action === 'closed') h.closeIncident(id, t.incident.endedAt);
      this.emit({ type: 'transition', monitorId: id, transition: t, state: step.state });
    }
    return step.next;
  }

  private record(monitorId: string, r: ProbeResult, at: number, slow: boolean): void {
    if (!this.options.history) return;
    const row: StoredResult = { monitorId, at, outcome: r.outcome, phase: r.phase, ms: r.ms, slow };
    if (r.outcome !== 'ok') {
      row.detail = r.detail;
      row.diagnosis = r.diagnosis;
    }
    // By default each result is committed as it arrives, so a crash loses only checks in
    // flight; batching is there for rates far above what one machine's monitors produce.
    const flushMs = this.options.flushMs ?? 0;
    if (flushMs === 0) return this.options.history.recordResult(row);
    this.buffer.push(row);
    if (this.buffer.length >= 1000) this.flush();
    else if (this.flushTimer === undefined) this.flushTimer = this.clock.setTimer(() => this.flush(), flushMs);
  }

  /** Writes buffered results in one transaction. */
  flush(): void {
    if (this.flushTimer !== undefined) this.clock.clearTimer(this.flushTimer);
    this.flushTimer = undefined;
    if (this.buffer.length === 0 || !this.options.history) return;
    const batch = this.buffer;
    this.buffer = [];
    this.options.history.recordResults(batch);
  }

  private emit(e: EngineEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // A broken listener must not stop monitoring.
      }
    }
  }
}
