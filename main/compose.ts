import { app, BrowserWindow, ipcMain } from 'electron';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { summarize, type Summary } from '../shared/aggregate';
import { ok } from '../shared/result';
import { historyFile, keyFile } from './core/config/paths';
import type { EngineEvent } from './core/engine';
import { startRuntime, type Runtime } from './core/runtime';
import { keyFileBox, type SecretBox } from './core/secrets';
import { openAppConfig } from './app/config-store';
import { forwardEvents, registerIpc, rendererSenderCheck } from './app/ipc';
import { openedAtLogin, setStartAtLogin, startsAtLogin } from './app/login';
import { desktopChannel } from './app/notifications';
import { devServerUrl, rendererIndex, sqliteNativeBinding, trayIconDir } from './app/paths';
import { watchPower } from './app/power';
import { keychainBox } from './app/secret-box';
import { hardenSessions } from './app/security';
import { TrayController } from './app/tray';
import { vantageLines } from './app/tray-menu';
import { createMainWindow, setQuitting, showMainWindow } from './app/windows';

/** Engine events that can change what the tray shows; a plain result never does. */
const TRAY_EVENTS = new Set<EngineEvent['type']>(['transition', 'offline', 'online', 'suspended', 'resumed']);

/** The OS keychain where there is one; else the CLI's key file, so secrets are still never in clear. */
function secretBox(userData: string): SecretBox {
  try {
    return keychainBox();
  } catch (e) {
    console.warn(`portwatch: ${e instanceof Error ? e.message : String(e)}; using the key file in ${userData}`);
    return keyFileBox(keyFile(userData));
  }
}

/** The one place that wires the core to its Electron adapters. */
export function compose(): void {
  hardenSessions();
  const userData = app.getPath('userData');
  const config = openAppConfig();
  for (const p of config.report.problems) console.error(`portwatch: config: ${p}`);

  let osOnline = true;
  const openMonitor = (id: string): void => void showMainWindow(id);
  const openWindow = (): void => void showMainWindow();
  // From source, the Electron build of the SQLite addon made by `npm start`, when it is there.
  const nativeBinding = sqliteNativeBinding();
  // The desktop channel reads the runtime only when an alert is shown, after it exists.
  const runtime: Runtime = startRuntime({
    config,
    historyFile: historyFile(userData),
    box: secretBox(userData),
    onError: (e) => console.error('portwatch:', e instanceof Error ? e.message : e),
    desktop: (id) =>
      desktopChannel({
        id,
        isSnoozed: () => runtime.alerting.quiet.isSnoozed(Date.now()),
        openMonitor,
        openWindow,
      }),
    ...(nativeBinding && existsSync(nativeBinding) ? { nativeBinding } : {}),
  });
  const { engine, service, alerting } = runtime;

  const summary = (): Summary => {
    const monitors = new Map(config.monitors().map((m) => [m.id, m]));
    const rows = [...engine.states()].flatMap(([id, state]) => {
      const m = monitors.get(id);
      return m ? [{ id, name: m.name, host: m.host, port: m.port, state }] : [];
    });
    return summarize(rows, { offline: engine.isOffline || !osOnline, paused: engine.isPaused });
  };
  const tray = new TrayController(
    {
      iconDir: trayIconDir(),
      startAtLogin: startsAtLogin(),
      ...(alerting.quiet.snoozeEndsAt !== undefined ? { snoozedUntil: alerting.quiet.snoozeEndsAt } : {}),
      actions: {
        checkAll: () => engine.checkAllNow(),
        snooze: (choice) => alerting.snooze(choice ?? 'off').until,
        pause: () => (engine.pauseAll(), tray.update(summary())),
        resume: () => (engine.resumeAll(), tray.update(summary())),
        openWindow,
        openMonitor,
        setStartAtLogin: (on) => setStartAtLogin(on),
        quit: () => {
          setQuitting();
          app.quit();
        },
      },
    },
    summary(),
  );
  const stopTray = service.subscribe((e) => {
    if (TRAY_EVENTS.has(e.type)) tray.update(summary());
  });
  // Other vantage points change on their own poll; the tray reads them as often, and rebuilds the
  // menu only when a line changes.
  const vantageTimer = setInterval(() => {
    if (runtime.vantage) tray.setVantage(vantageLines(runtime.vantage.overview()));
  }, 5_000);
  vantageTimer.unref();
  const stopConfig = config.onChange(() => {
    tray.setSnoozedUntil(alerting.quiet.snoozeEndsAt);
    tray.update(summary());
  });

  const disposeIpc = registerIpc({
    ipcMain,
    service,
    isTrustedSender: rendererSenderCheck({ rendererDir: dirname(rendererIndex), devServerUrl: devServerUrl() }),
    // The login item belongs to the OS, so only the app can answer these.
    extraHandlers: {
      'app.getStartAtLogin': () => ok(startsAtLogin()),
      'app.setStartAtLogin': (on) => {
        const now = setStartAtLogin(on);
        tray.setStartAtLogin(now);
        return ok(now);
      },
    },
  });
  const stopEvents = forwardEvents(service, () => BrowserWindow.getAllWindows().map((w) => w.webContents));
  const stopPower = watchPower({
    suspend: () => engine.suspend(),
    resume: () => engine.resume(),
    onNetworkChange: (online) => {
      osOnline = online;
      // Offline at once (one notice, no per-monitor downs); back online re-checks everything.
      engine.setOsOnline(online);
      tray.update(summary());
    },
  });

  createMainWindow({ show: !openedAtLogin() });
  app.on('second-instance', openWindow);
  app.on('activate', openWindow);
  // Closing the window keeps Portwatch in the tray; only Quit ends it.
  app.on('window-all-closed', () => undefined);

  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    // Checks in flight are aborted and the database closed before the process goes.
    event.preventDefault();
    setQuitting();
    stopped = true;
    stopTray();
    clearInterval(vantageTimer);
    stopConfig();
    stopEvents();
    stopPower();
    disposeIpc();
    tray.dispose();
    void runtime
      .stop()
      .catch((e: unknown) => console.error('portwatch: stopping failed:', e))
      .finally(() => app.quit());
  });
}
