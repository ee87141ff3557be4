// The configured sources, each polled by its own RemoteClient, rebuilt whenever the settings
// change; and what they all say together: the overview the API answers and the question the
// alert pipeline asks before sending a down ("does a source that answers still see it up?").

import type { MonitorView } from '../../../shared/api';
import type { Monitor } from '../../../shared/monitor';
import { errorMessage, fail, ok, type Result } from '../../../shared/result';
import type { Source, SourceState, SourceView, VantageOverview } from '../../../shared/vantage';
import type { ConfigStore } from '../config/store';
import type { SecretBox } from '../secrets';
import type { PortwatchService } from '../service';
import { RemoteClient } from './remote';
import { publicSource, removeSource, saveSource, sealStoredSources } from './sources';
import { seenUpElsewhere, verdicts, watchedOf, type VantageReport } from './verdict';

export interface VantageRegistryOptions {
  config: Pick<ConfigStore, 'settings' | 'updateSettings' | 'onChange'>;
  box: SecretBox;
  /** This instance's own vantage name. */
  here: string;
  /** This instance's monitors and their states. */
  local: () => readonly MonitorView[];
  intervalMs?: number;
  timeoutMs?: number;
  /** Told when sealing a token found in clear fails; never given a secret. */
  onError?: (err: unknown) => void;
}

interface Running {
  source: Source;
  /** Absent when the token could not be opened: then `broken` says why. */
  client?: RemoteClient;
  broken?: SourceState;
}

/** What a running source is identified by: a change to any of these means asking anew. */
const signature = (s: Source): string => JSON.stringify([s.name, s.url, s.token]);

export class VantageRegistry {
  private readonly running = new Map<string, Running>();
  private unwatch: (() => void) | undefined;

  constructor(private readonly o: VantageRegistryOptions) {}

  get here(): string {
    return this.o.here;
  }

  start(): void {
    if (this.unwatch) return;
    this.sealClear();
    this.rebuild();
    this.unwatch = this.o.config.onChange(() => {
      // Sealing saves, which calls this again with the sealed tokens: that call rebuilds.
      if (this.sealClear() > 0) return;
      this.rebuild();
    });
  }

  stop(): void {
    this.unwatch?.();
    this.unwatch = undefined;
    for (const r of this.running.values()) r.client?.stop();
    this.running.clear();
  }

  list(): SourceView[] {
    return this.o.config.settings().sources.map((s) => publicSource(s, this.stateOf(s.id)));
  }

  save(input: unknown): Result<SourceView> {
    const saved = saveSource(this.o.config, this.o.box, input, this.o.here);
    return saved.ok ? ok(publicSource(saved.value, this.stateOf(saved.value.id))) : saved;
  }

  remove(id: unknown): Result<true> {
    return removeSource(this.o.config, id);
  }

  overview(): VantageOverview {
    const here: VantageReport = { name: this.o.here, targets: this.o.local().map(watchedOf) };
    return { here: this.o.here, sources: this.list(), targets: verdicts([here, ...this.reports()]) };
  }

  /**
   * Whether a down of this instance's monitor should wait: the setting asks for every vantage
   * point to agree, and a source that answers still sees the same target up.
   */
  holdsDown(m: Pick<Monitor, 'host' | 'port' | 'kind' | 'check' | 'url'>): boolean {
    if (!this.o.config.settings().alertOnlyWhenAllVantagesAgree) return false;
    return seenUpElsewhere(m, this.o.here, this.reports());
  }

  private reports(): VantageReport[] {
    const out: VantageReport[] = [];
    for (const [id, r] of this.running) {
      const state = r.broken ?? r.client?.state;
      out.push({
        name: r.source.name,
        source: id,
        ...(state?.status === 'unreachable' ? { unreachable: { since: state.since, reason: state.reason } } : {}),
        targets: r.client?.monitors ?? [],
      });
    }
    return out;
  }

  private stateOf(id: string): SourceState {
    const r = this.running.get(id);
    return r?.broken ?? r?.client?.state ?? { status: 'connecting', since: Date.now() };
  }

  private sealClear(): number {
    try {
      return sealStoredSources(this.o.config, this.o.box);
    } catch (e) {
      this.o.onError?.(e);
      return 0;
    }
  }

  /** Starts clients for new or changed sources and stops those of removed or changed ones. */
  private rebuild(): void {
    const wanted = new Map(this.o.config.settings().sources.map((s) => [s.id, s]));
    for (const [id, r] of this.running) {
      const next = wanted.get(id);
      if (next && signature(next) === signature(r.source)) continue;
      r.client?.stop();
      this.running.delete(id);
    }
    for (const [id, source] of wanted) {
      if (this.running.has(id)) continue;
      let token: string;
      try {
        token = this.o.box.open(source.token);
      } catch (e) {
        const now = Date.now();
        const reason = `its token cannot be opened (${errorMessage(e)}): enter it again`;
        this.running.set(id, { source, broken: { status: 'unreachable', since: now, checkedAt: now, reason } });
        continue;
      }
      const client = new RemoteClient({
        url: source.url,
        token,
        ...(this.o.intervalMs !== undefined ? { intervalMs: this.o.intervalMs } : {}),
        ...(this.o.timeoutMs !== undefined ? { timeoutMs: this.o.timeoutMs } : {}),
      });
      this.running.set(id, { source, client });
      client.start();
    }
  }
}

// The handlers are made afresh for each HTTP call and know only the service, so the registry
// the runtime started is found through it.
const registries = new WeakMap<PortwatchService, VantageRegistry>();

export function attachVantage(s: PortwatchService, registry: VantageRegistry): void {
  registries.set(s, registry);
}

const NOT_HERE = fail('vantage points are watched by portwatch serve and the desktop app, not here');

/** Calls `fn` with the service's registry, or says there is none (a one-shot CLI command). */
export function withVantage<T>(s: PortwatchService, fn: (v: VantageRegistry) => Result<T>): Result<T> {
  const v = registries.get(s);
  return v ? fn(v) : NOT_HERE;
}
