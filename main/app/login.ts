// "Start at login": the OS's login items on macOS and Windows, an XDG autostart entry on Linux
// (where Electron's login item settings do nothing). Started at login, the app stays in the
// tray: nobody asked for a window at that moment.

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { app } from 'electron';

/** Passed by the login item on Windows and Linux, so the app knows to start in the tray only. */
export const HIDDEN_ARG = '--hidden';

const DESKTOP_FILE = 'portwatch.desktop';

export interface LoginOptions {
  platform?: NodeJS.Platform;
  /** Linux: the autostart folder; ~/.config/autostart (or $XDG_CONFIG_HOME/autostart) otherwise. */
  autostartDir?: string;
  /** Linux: the command that starts the app, program first. */
  command?: string[];
}

export function defaultAutostartDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'autostart');
}

/**
 * How this app is started again: the AppImage when run from one (its mount point changes every
 * run), the executable when packaged, or Electron with the app's folder in development.
 */
function defaultCommand(): string[] {
  if (process.env.APPIMAGE) return [process.env.APPIMAGE];
  return app.isPackaged ? [process.execPath] : [process.execPath, app.getAppPath()];
}

/** One Exec argument, quoted as the Desktop Entry spec asks when it holds a reserved character. */
function execArg(arg: string): string {
  if (!/[\s"'\\><~|&;$*?#()`]/.test(arg)) return arg;
  const quoted = `"${arg.replace(/["`$\\]/g, (c) => `\\${c}`)}"`;
  // Exec is also a string value, whose own escaping doubles each backslash again.
  return quoted.replace(/\\/g, '\\\\');
}

export function desktopEntry(command: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Portwatch',
    'Comment=Watches the service ports your product depends on',
    `Exec=${[...command, HIDDEN_ARG].map(execArg).join(' ')}`,
    'Icon=portwatch',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

const autostartFile = (options: LoginOptions): string =>
  join(options.autostartDir ?? defaultAutostartDir(), DESKTOP_FILE);

/** Whether the app starts at login now, as the OS sees it. */
export function startsAtLogin(options: LoginOptions = {}): boolean {
  const platform = options.platform ?? process.platform;
  if (platform === 'linux') {
    const file = autostartFile(options);
    if (!existsSync(file)) return false;
    // A desktop's own settings switch an entry off in the file rather than deleting it.
    const text = readFileSync(file, 'utf8');
    return !/^Hidden\s*=\s*true\s*$/m.test(text) && !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(text);
  }
  // Windows matches the entry by its arguments too: ask with the ones it was written with.
  const settings = platform === 'win32' ? app.getLoginItemSettings({ args: [HIDDEN_ARG] }) : app.getLoginItemSettings();
  return settings.openAtLogin;
}

/** Turns starting at login on or off; returns whether it is on afterwards (the OS may refuse). */
export function setStartAtLogin(on: boolean, options: LoginOptions = {}): boolean {
  const platform = options.platform ?? process.platform;
  try {
    if (platform === 'linux') {
      const file = autostartFile(options);
      if (on) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, desktopEntry(options.command ?? defaultCommand()));
      } else {
        rmSync(file, { force: true });
      }
    } else if (platform === 'win32') {
      app.setLoginItemSettings({ openAtLogin: on, args: [HIDDEN_ARG] });
    } else {
      // macOS ignores arguments and "open as hidden" since 13; wasOpenedAtLogin tells instead.
      app.setLoginItemSettings({ openAtLogin: on });
    }
  } catch {
    // Reported by what startsAtLogin reads back: the checkbox shows what the OS did.
  }
  try {
    return startsAtLogin(options);
  } catch {
    return false;
  }
}

/** Whether this launch came from the login item, so the app should stay in the tray. */
export function openedAtLogin(argv: readonly string[] = process.argv, options: LoginOptions = {}): boolean {
  const platform = options.platform ?? process.platform;
  if (platform === 'darwin') return app.getLoginItemSettings().wasOpenedAtLogin;
  return argv.includes(HIDDEN_ARG);
}
