// The contract's calls (shared/api.ts) onto the service, one line each. Both transports use
// it: Electron's IPC (main/app/ipc.ts) and serve's HTTP (POST /api/call/<name>).

import { CHANNELS, parseArgs, type ArgsOut, type Channel, type ResultOf } from '../../shared/api';
import { errorMessage, fail, ok, type Result } from '../../shared/result';
import type { PortwatchService } from './service';
import { discoveryOf } from './discover-service';
import { exportMonitors, importMonitors } from './transfer-service';
import { withVantage } from './vantage/registry';

export type Handler<C extends Channel> = (...args: ArgsOut<C>) => Result<ResultOf<C>> | Promise<Result<ResultOf<C>>>;
/** A handler for every call in the contract: a call added there is a compile error here until handled. */
export type Handlers = { [C in Channel]: Handler<C> };
/** Any one of them, once its arguments have been checked against its own channel's schema. */
export type AnyHandler = (...args: unknown[]) => Result<unknown> | Promise<Result<unknown>>;

/** The contract's calls onto the service, one line each. */
const NO_ALERTS = fail('alerts are not available here');
const NOT_HERE_LOGIN = fail('start at login is set in the desktop app');

export function serviceHandlers(s: PortwatchService): Handlers {
  return {
    'monitors.list': () => ok(s.list()),
    'monitors.get': (id) => s.get(id),
    'monitors.add': (monitor) => s.add(monitor),
    'monitors.update': (id, patch) => s.update(id, patch),
    'monitors.remove': (id) => s.remove(id),
    'monitors.checkNow': (id) => s.checkNow(id),
    'monitors.test': (monitor) => s.testMonitor(monitor),
    checkAll: () => s.checkAll(),
    pauseAll: () => s.pauseAll(),
    resumeAll: () => s.resumeAll(),
    overview: () => ok(s.overview()),
    'monitors.stats': () => s.overviewStats(),
    series: (id, range) => s.series(id, range),
    uptime: (id, range) => s.uptime(id, range),
    recentResults: (id, limit) => s.recentResults(id, limit),
    incidents: (query) => s.incidents(query),
    'settings.get': () => ok(s.settings()),
    'settings.update': (patch) => s.updateSettings(patch),
    'alerts.get': () => (s.alerts ? ok(s.alerts.settings()) : NO_ALERTS),
    'alerts.update': (patch) => s.alerts?.updateAlerts(patch) ?? NO_ALERTS,
    'alerts.saveChannel': (channel) => s.alerts?.saveChannel(channel) ?? NO_ALERTS,
    'alerts.removeChannel': (id) => s.alerts?.removeChannel(id) ?? NO_ALERTS,
    'alerts.testChannel': (id) => s.alerts?.testChannel(id) ?? NO_ALERTS,
    'alerts.snooze': (choice) => s.alerts?.snooze(choice) ?? NO_ALERTS,
    'alerts.outbox': (query) => s.alerts?.outbox(query) ?? NO_ALERTS,
    'monitors.ack': (id) => s.alerts?.ack(id) ?? NO_ALERTS,
    'monitors.export': (format) => exportMonitors(s, format),
    'monitors.import': (text, format, dryRun, fileName) => importMonitors(s, text, format, dryRun, fileName),
    'discover.start': (host, ports, options) => discoveryOf(s).start(host, ports, options),
    'discover.status': (id, from) => discoveryOf(s).status(id, from),
    'discover.cancel': (id) => discoveryOf(s).cancel(id),
    'sources.list': () => withVantage(s, (v) => ok(v.list())),
    'sources.save': (source) => withVantage(s, (v) => v.save(source)),
    'sources.remove': (id) => withVantage(s, (v) => v.remove(id)),
    'vantage.overview': () => withVantage(s, (v) => ok(v.overview())),
    // The desktop app replaces these through registerIpc's extraHandlers.
    'app.getStartAtLogin': () => NOT_HERE_LOGIN,
    'app.setStartAtLogin': () => NOT_HERE_LOGIN,
  };
}

/** Checks the arguments against the contract and calls the handler; never throws. */
export async function dispatch(
  handlers: Handlers,
  channel: string,
  args: readonly unknown[],
  onError: (channel: Channel, error: unknown) => void = () => undefined,
): Promise<Result<unknown>> {
  if (!(CHANNELS as readonly string[]).includes(channel)) return fail(`there is no call named "${channel}"`);
  const c = channel as Channel;
  try {
    const parsed = parseArgs(c, args);
    if (!parsed.ok) return parsed;
    return await (handlers[c] as AnyHandler)(...(parsed.value as unknown[]));
  } catch (e) {
    onError(c, e);
    return fail(`${c}: ${errorMessage(e)}`);
  }
}
