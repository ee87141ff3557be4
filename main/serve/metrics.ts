// What Prometheus scrapes from `portwatch serve`. The probe_* families keep blackbox_exporter's
// names and meanings (there per probe, here per monitor's last check), so dashboards and alert
// rules written for blackbox work unchanged; portwatch_* adds what only Portwatch knows.
//
// The per-monitor families are written as text directly: setting and rendering them through
// prom-client's registry takes about ten times as long at 10,000 monitors, several times the
// 100 ms a scrape may take (bench/metrics.ts measures both). prom-client still collects and
// renders the process metrics, in a registry of our own so nothing else in the process leaks in.

import { Registry, collectDefaultMetrics } from 'prom-client';
import type { Monitor } from '../../shared/monitor';
import { PHASES, type Phase, type ProbeResult } from '../../shared/probe';
import { STATUSES, type MonitorState, type ResultSummary } from '../../shared/status';
import type { EngineEvent } from '../core/engine';

const DAY_MS = 86_400_000;

/** The parts of the engine a scrape reads; all of it is current state, none of it history. */
export interface MetricsEngine {
  state(id: string): MonitorState | undefined;
  subscribe(listener: (e: EngineEvent) => void): () => void;
  readonly isOffline: boolean;
  readonly isPaused: boolean;
}

/** The saved monitors, as the config store gives them. */
export interface MetricsMonitors {
  monitors(): Monitor[];
  onChange(listener: () => void): () => void;
}

export interface MetricsOptions {
  engine: MetricsEngine;
  config: MetricsMonitors;
  /** Which instance is looking: one label value for every series, so several vantages can share a Prometheus. */
  vantage: string;
  /** Wall-clock milliseconds, for the days left on a certificate. */
  now?: () => number;
  /** False leaves the process metrics out, for tests that read only Portwatch's own families. */
  processMetrics?: boolean;
}

/** The last accepted check's phase timings, tied to the summary the state machine kept of it. */
interface Measured {
  last: ResultSummary;
  phases: Partial<Record<Phase, number>>;
}

interface Entry {
  id: string;
  /** The monitor's label pairs, escaped once per config change rather than once per scrape. */
  labels: string;
}

const escapeLabel = (v: string): string => v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));

/** Go's ParseFloat, which Prometheus uses, reads JavaScript's number text except for the infinities. */
const num = (n: number): string => (Number.isFinite(n) ? String(n) : Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf');

export class PortwatchMetrics {
  private readonly registry = new Registry();
  private readonly vantageLabel: string;
  private readonly now: () => number;
  private entries: Entry[] = [];
  private readonly measured = new Map<string, Measured>();
  /** The last certificate each monitor showed: it still expires when a later check fails before TLS. */
  private readonly certs = new Map<string, { expiresAt: number }>();
  private readonly incidents = new Map<string, number>();
  private readonly unsubscribe: (() => void)[];

  constructor(private readonly o: MetricsOptions) {
    this.vantageLabel = `vantage="${escapeLabel(o.vantage)}"`;
    this.now = o.now ?? Date.now;
    if (o.processMetrics !== false) {
      this.registry.setDefaultLabels({ vantage: o.vantage });
      collectDefaultMetrics({ register: this.registry });
    }
    this.load();
    this.unsubscribe = [o.config.onChange(() => this.load()), o.engine.subscribe((e) => this.observe(e))];
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  dispose(): void {
    for (const u of this.unsubscribe) u();
    this.registry.clear();
  }

  /** The whole scrape: the per-monitor families, the engine's, then the process's. */
  async metrics(): Promise<Buffer[]> {
    const own = this.render();
    if (this.o.processMetrics === false) return own;
    return [...own, Buffer.from(await this.registry.metrics())];
  }

  private load(): void {
    const monitors = this.o.config.monitors();
    this.entries = monitors.map((m) => ({ id: m.id, labels: this.labelsOf(m) }));
    const ids = new Set(monitors.map((m) => m.id));
    for (const book of [this.measured, this.certs, this.incidents]) {
      for (const id of book.keys()) if (!ids.has(id)) book.delete(id);
    }
  }

  /** Bounded labels only: one value per monitor or per instance, never a diagnosis or a detail. */
  private labelsOf(m: Monitor): string {
    const pairs: [string, string][] = [
      ['monitor', m.id],
      ['name', m.name],
      ['host', m.host],
      ['port', String(m.port)],
      ['service', m.service ?? m.check ?? ''],
      ['tier', String(m.tier)],
    ];
    return `${pairs.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')},${this.vantageLabel}`;
  }

  private observe(e: EngineEvent): void {
    if (e.type === 'result') this.observeResult(e.monitorId, e.result, e.state);
    else if (e.type === 'transition' && e.transition.incident?.action === 'opened')
      this.incidents.set(e.monitorId, (this.incidents.get(e.monitorId) ?? 0) + 1);
  }

  private observeResult(id: string, result: ProbeResult, state: MonitorState): void {
    if (result.tls) {
      const expiresAt = Date.parse(result.tls.validTo);
      if (Number.isFinite(expiresAt)) this.certs.set(id, { expiresAt });
    }
    // The reducer makes a new summary only for a result it took (not while paused, not one held
    // while our own network is down), so phases are kept only for the check probe_success shows.
    const last = state.last;
    if (last && this.measured.get(id)?.last !== last) this.measured.set(id, { last, phases: result.phases });
  }

  /** The text format for every monitor, read from the engine's states as they are now, in pieces to send in order. */
  render(): Buffer[] {
    const out = new TextBuffer();
    const entries = this.entries;
    const states = entries.map((e) => this.o.engine.state(e.id));
    const family = (
      name: string,
      type: 'gauge' | 'counter',
      help: string,
      each: (e: Entry, st: MonitorState | undefined) => void,
    ): void => {
      out.add(`# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`);
      for (let i = 0; i < entries.length; i++) each(entries[i] as Entry, states[i]);
    };
    // A paused monitor or one in maintenance is not being checked: its last result would be
    // stale, and a stale probe_success 0 would keep blackbox-style alert rules firing.
    const checked = (st: MonitorState | undefined): ResultSummary | undefined =>
      st && st.status !== 'paused' && st.status !== 'maintenance' ? st.last : undefined;
    const now = this.now();

    family('probe_success', 'gauge', "Whether the monitor's last check succeeded (1) or failed (0).", (e, st) => {
      const last = checked(st);
      if (last) out.add(`probe_success{${e.labels}} ${last.outcome === 'ok' ? 1 : 0}\n`);
    });
    family('probe_duration_seconds', 'gauge', "How long the monitor's last check took, in seconds.", (e, st) => {
      const last = checked(st);
      if (last) out.add(`probe_duration_seconds{${e.labels}} ${num(last.ms / 1000)}\n`);
    });
    family(
      'probe_phase_duration_seconds',
      'gauge',
      "Seconds the monitor's last check spent in each phase it reached (resolve, connect, tls, greeting, request, response, body).",
      (e, st) => {
        const last = checked(st);
        const measured = this.measured.get(e.id);
        if (!last || measured?.last !== last) return;
        for (const p of PHASES) {
          const ms = measured.phases[p];
          if (ms !== undefined) out.add(`probe_phase_duration_seconds{${e.labels},phase="${p}"} ${num(ms / 1000)}\n`);
        }
      },
    );
    family(
      'probe_ssl_earliest_cert_expiry',
      'gauge',
      "When the certificate the monitor last saw expires, as unix seconds (the server's own certificate, not the rest of its chain).",
      (e) => {
        const cert = this.certs.get(e.id);
        if (cert) out.add(`probe_ssl_earliest_cert_expiry{${e.labels}} ${cert.expiresAt / 1000}\n`);
      },
    );
    family(
      'portwatch_certificate_days_left',
      'gauge',
      'Whole days until the certificate the monitor last saw expires; negative once expired.',
      (e) => {
        const cert = this.certs.get(e.id);
        if (cert)
          out.add(`portwatch_certificate_days_left{${e.labels}} ${Math.floor((cert.expiresAt - now) / DAY_MS)}\n`);
      },
    );
    family(
      'portwatch_monitor_state',
      'gauge',
      'The monitor status: 1 for the status it is in, 0 for the others.',
      (e, st) => {
        const status = st?.status ?? 'unknown';
        for (const s of STATUSES)
          out.add(`portwatch_monitor_state{${e.labels},state="${s}"} ${s === status ? 1 : 0}\n`);
      },
    );
    family(
      'portwatch_incidents_total',
      'counter',
      'Incidents (confirmed outages) opened since this process started.',
      (e) => out.add(`portwatch_incidents_total{${e.labels}} ${this.incidents.get(e.id) ?? 0}\n`),
    );
    family(
      'portwatch_monitor_down_since_seconds',
      'gauge',
      "When the monitor's open incident began (its first failed check), as unix seconds; absent while none is open.",
      (e, st) => {
        if (st?.incident)
          out.add(`portwatch_monitor_down_since_seconds{${e.labels}} ${st.incident.startedAt / 1000}\n`);
      },
    );
    const v = `{${this.vantageLabel}}`;
    const engine = (name: string, help: string, value: number): void =>
      out.add(`# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name}${v} ${value}\n`);
    engine(
      'portwatch_engine_offline',
      'Whether Portwatch judges its own network to be down (1): failures are then not counted.',
      this.o.engine.isOffline ? 1 : 0,
    );
    engine('portwatch_engine_paused', 'Whether monitoring is paused (1).', this.o.engine.isPaused ? 1 : 0);
    engine('portwatch_monitors', 'Monitors configured, enabled or not.', entries.length);
    return out.done();
  }
}

const CHUNK = 256 * 1024;

/**
 * Text appended straight into buffers and sent as they are: a scrape of 10,000 monitors is
 * about 18 MB, and a string built with += would be flattened, then encoded again, then copied.
 */
class TextBuffer {
  private readonly chunks: Buffer[] = [];
  private chunk = Buffer.allocUnsafe(CHUNK);
  private used = 0;

  add(s: string): void {
    // Three bytes per UTF-16 unit is the most UTF-8 can take, so the check never undercounts.
    if (this.used + s.length * 3 > this.chunk.length) {
      this.chunks.push(this.chunk.subarray(0, this.used));
      this.chunk = Buffer.allocUnsafe(Math.max(CHUNK, s.length * 3));
      this.used = 0;
    }
    this.used += this.chunk.write(s, this.used);
  }

  done(): Buffer[] {
    this.chunks.push(this.chunk.subarray(0, this.used));
    return this.chunks;
  }
}
