import { app, BrowserWindow } from 'electron';
import { eventChannel } from '../../shared/ipc-channels';
import { devServerUrl, preloadPath, rendererIndex } from './paths';

/**
 * Main → renderer: a route such as '/monitor/<id>' for the page to show. Under the event prefix, so
 * the preload's `portwatch.on('navigate', …)` is the one way the page hears it.
 */
export const NAVIGATE_CHANNEL = eventChannel('navigate');

export const monitorRoute = (monitorId: string): string => `/monitor/${encodeURIComponent(monitorId)}`;

let mainWindow: BrowserWindow | undefined;
let quitting = false;
let quitHookInstalled = false;

/**
 * Closing the window only hides it, so monitoring goes on from the tray; once the app is quitting
 * the close must go through, or hide-on-close would swallow every quit (tray Quit, Cmd+Q, logout).
 */
export function setQuitting(value = true): void {
  quitting = value;
}

function load(win: BrowserWindow, route: string | undefined): Promise<void> {
  const dev = devServerUrl();
  if (dev) return win.loadURL(route ? `${dev}/#${route}` : dev);
  return win.loadFile(rendererIndex, route ? { hash: route } : {});
}

function sendRoute(win: BrowserWindow, route: string): void {
  // Before the page has loaded nobody listens yet; deliver once it has.
  if (win.webContents.isLoading())
    win.webContents.once('did-finish-load', () => win.webContents.send(NAVIGATE_CHANNEL, route));
  else win.webContents.send(NAVIGATE_CHANNEL, route);
}

export interface MainWindowOptions {
  /** Route to open at, e.g. monitorRoute(id); the page reads it from location.hash. */
  route?: string;
  /** Show as soon as it is painted; false starts in the tray. */
  show?: boolean;
}

export function createMainWindow({ route, show = true }: MainWindowOptions = {}): BrowserWindow {
  if (!quitHookInstalled) {
    app.on('before-quit', () => setQuitting());
    quitHookInstalled = true;
  }
  const win = new BrowserWindow({
    width: 1100,
    height: 720,
    title: 'Portwatch',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  mainWindow = win;
  if (show) win.once('ready-to-show', () => win.show());
  win.on('close', (event) => {
    if (quitting) return;
    event.preventDefault();
    win.hide();
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = undefined;
  });
  load(win, route).catch((e: unknown) => {
    console.error(`the window could not load the app: ${e instanceof Error ? e.message : String(e)}`);
  });
  return win;
}

/** Brings the window up (creating it if needed), on the given monitor's page when there is one. */
export function showMainWindow(monitorId?: string): BrowserWindow {
  const route = monitorId === undefined ? undefined : monitorRoute(monitorId);
  const win = mainWindow;
  // A new window shows itself once painted, already on the route.
  if (!win || win.isDestroyed()) return createMainWindow({ route });
  if (route) sendRoute(win, route);
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
  return win;
}
