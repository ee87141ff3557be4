// Monitoring as a long-running process: the saved monitors, the history, the engine, alerting
// and housekeeping, started and stopped in the right order. `portwatch serve` and the desktop
// app both run exactly this; only the front ends and the secret box differ.

import { hostname } from 'node:os';
import { Alerting } from './alerts/alerting';
import { AlertService } from './alerts/alert-service';
import type { OpenOptions } from './alerts/channel-config';
import { systemClock } from './clock';
import type { ConfigStore } from './config/store';
import { Engine } from './engine';
import { openHistory, type History, type HistoryOptions } from './history/db';
import { startHousekeeping } from './housekeeping';
import type { SecretBox } from './secrets';
import { PortwatchService } from './service';
import { attachVantage, VantageRegistry } from './vantage/registry';

export interface RuntimeOptions extends HistoryOptions, OpenOptions {
  config: ConfigStore;
  historyFile: string;
  box: SecretBox;
  /** Told about failures in the background (alert delivery bookkeeping); never given a secret. */
  onError: (err: unknown) => void;
  /** This instance's name among vantage points (serve's --vantage); the host name by default. */
  vantageName?: string;
}

export interface Runtime {
  engine: Engine;
  history: History;
  alerting: Alerting;
  service: PortwatchService;
  /** The other instances this one watches targets from, and their verdicts. */
  vantage?: VantageRegistry;
  /** Stops the engine (checks in flight are aborted), queues what alerting still holds, closes the database. */
  stop: () => Promise<void>;
}

export function startRuntime(o: RuntimeOptions): Runtime {
  const history = openHistory(o.historyFile, o.nativeBinding ? { nativeBinding: o.nativeBinding } : {});
  const settings = o.config.settings();
  const engine = new Engine({
    history,
    maxInFlight: settings.maxInFlight,
    maxPerHost: settings.maxPerHost,
    resumeGraceMs: settings.resumeGraceSec * 1000,
    ...(settings.canary ? { canary: settings.canary } : {}),
  });
  const open = o.desktop ? { desktop: o.desktop } : {};
  const vantage = new VantageRegistry({
    config: o.config,
    box: o.box,
    here: o.vantageName ?? hostname(),
    local: () => o.config.monitors().map((monitor) => ({ monitor, state: engine.state(monitor.id) })),
    onError: o.onError,
  });
  const alerting = new Alerting({
    engine,
    config: o.config,
    db: history.db,
    box: o.box,
    onError: o.onError,
    vantage,
    ...open,
  });
  const service = new PortwatchService(o.config, engine, history, new AlertService(o.config, o.box, alerting, open));
  attachVantage(service, vantage);
  service.start();
  alerting.start();
  vantage.start();
  const stopHousekeeping = startHousekeeping(
    history,
    () => ({ rawDays: o.config.settings().retentionRawDays, rollupDays: o.config.settings().retentionRollupDays }),
    systemClock,
  );
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      stopHousekeeping();
      vantage.stop();
      await service.stop();
      // After the engine: what the storm grouper still holds is queued, and sent on the next start.
      await alerting.stop();
      history.close();
    })());
  return { engine, history, alerting, service, vantage, stop };
}
