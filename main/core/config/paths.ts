// Where Portwatch keeps its files. The CLI must find the very folder the desktop app writes to, so
// this mirrors Electron's app.getPath('userData') for productName "Portwatch" instead of using
// conf's own default (env-paths puts it elsewhere, under a "-nodejs" suffix).

import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'Portwatch';
/** electron-store's default name; conf adds the .json extension. */
export const CONFIG_NAME = 'config';
export const CONFIG_FILE = `${CONFIG_NAME}.json`;
export const HISTORY_FILE = 'history.sqlite';
/** The CLI's and serve's secret key (the app uses the OS keychain instead). */
export const KEY_FILE = 'secret.key';

export function configDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  // Paths are built for the platform asked about, so tests can check every OS from one machine.
  const p = platform === 'win32' ? path.win32 : path.posix;
  const override = env.PORTWATCH_HOME;
  if (override) return p.resolve(override);
  switch (platform) {
    case 'darwin':
      return p.join(home, 'Library', 'Application Support', PRODUCT_NAME);
    case 'win32':
      return p.join(env.APPDATA || p.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
    default:
      // Chromium takes XDG_CONFIG_HOME whenever it is set and non-empty; so must we.
      return p.join(env.XDG_CONFIG_HOME || p.join(home, '.config'), PRODUCT_NAME);
  }
}

export const configFile = (dir: string = configDir()): string => path.join(dir, CONFIG_FILE);
export const historyFile = (dir: string = configDir()): string => path.join(dir, HISTORY_FILE);
export const keyFile = (dir: string = configDir()): string => path.join(dir, KEY_FILE);
