import { app } from 'electron';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

// The bundle lives in out/main; its siblings are out/preload, out/renderer and, for `npm start`, out/native.
const here = dirname(fileURLToPath(import.meta.url));

export const preloadPath = join(here, '..', 'preload', 'index.cjs');
export const rendererIndex = join(here, '..', 'renderer', 'index.html');
export const rendererFileUrl = pathToFileURL(rendererIndex).href;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A Vite dev server to load instead of the built renderer (PORTWATCH_DEV_SERVER_URL). Honoured only
 * from source and only on loopback: the window gets the preload, so it must never load a remote page.
 */
export function devServerUrl(): string | undefined {
  const raw = process.env.PORTWATCH_DEV_SERVER_URL;
  if (!raw || app.isPackaged) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`PORTWATCH_DEV_SERVER_URL is not a URL: ${raw}`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !LOOPBACK.has(url.hostname))
    throw new Error(`PORTWATCH_DEV_SERVER_URL must be an http(s) URL on localhost, not ${raw}`);
  return url.origin;
}

/** Tray icons: electron-builder copies build/tray-*.png to resources/icons; from source they stay in build/. */
export function trayIconDir(): string {
  return app.isPackaged ? join(process.resourcesPath, 'icons') : join(here, '..', '..', 'build');
}

/**
 * better-sqlite3's `nativeBinding` option. node_modules holds a build for Node (the CLI and the tests
 * need it), so from source the app uses the copy scripts/electron-native.mjs built for Electron's ABI;
 * a packaged app's node_modules was rebuilt for Electron by electron-builder, so the default applies.
 */
export function sqliteNativeBinding(): string | undefined {
  return app.isPackaged
    ? undefined
    : join(here, '..', 'native', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
}
