import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// Electron mocked at its boundary: the OS login item is a record of what was set, read back with
// the same arguments as Windows requires.
const os = vi.hoisted(() => ({ items: new Map<string, boolean>(), openedAtLogin: false, calls: [] as unknown[] }));
vi.mock('electron', () => {
  const key = (args?: string[]): string => JSON.stringify(args ?? []);
  const app = {
    isPackaged: true,
    getAppPath: () => '/opt/Portwatch/resources/app.asar',
    setLoginItemSettings: (s: { openAtLogin?: boolean; args?: string[] }) => {
      os.calls.push(s);
      os.items.set(key(s.args), s.openAtLogin ?? false);
    },
    getLoginItemSettings: (o?: { args?: string[] }) => ({
      openAtLogin: os.items.get(key(o?.args)) ?? false,
      wasOpenedAtLogin: os.openedAtLogin,
    }),
  };
  return { default: { app }, app };
});

const { HIDDEN_ARG, openedAtLogin, setStartAtLogin, startsAtLogin } = await import('../../main/app/login');

beforeEach(() => {
  os.items.clear();
  os.calls.length = 0;
  os.openedAtLogin = false;
});

describe('start at login on macOS and Windows', () => {
  it.each(['darwin', 'win32'] as const)('%s: the checkbox turns the login item on and off', (platform) => {
    expect(startsAtLogin({ platform })).toBe(false);
    expect(setStartAtLogin(true, { platform })).toBe(true);
    expect(startsAtLogin({ platform })).toBe(true);
    expect(os.calls.at(-1)).toMatchObject({ openAtLogin: true });
    expect(setStartAtLogin(false, { platform })).toBe(false);
    expect(startsAtLogin({ platform })).toBe(false);
  });

  it('starts in the tray when launched by the login item', () => {
    os.openedAtLogin = true;
    expect(openedAtLogin([], { platform: 'darwin' })).toBe(true);
    expect(openedAtLogin(['/opt/Portwatch/portwatch', HIDDEN_ARG], { platform: 'win32' })).toBe(true);
    expect(openedAtLogin(['/opt/Portwatch/portwatch'], { platform: 'linux' })).toBe(false);
  });
});

describe('start at login on Linux (XDG autostart)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'portwatch-autostart-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes an autostart entry that starts the app hidden, and removes it again', () => {
    const options = {
      platform: 'linux' as const,
      autostartDir: join(dir, 'autostart'),
      command: ['/home/ana/Apps/Port Watch.AppImage'],
    };
    const file = join(dir, 'autostart', 'portwatch.desktop');
    expect(startsAtLogin(options)).toBe(false);

    expect(setStartAtLogin(true, options)).toBe(true);
    const entry = readFileSync(file, 'utf8');
    expect(entry).toMatch(/^\[Desktop Entry\]\n/);
    expect(entry).toContain('Type=Application');
    expect(entry).toContain(`Exec="/home/ana/Apps/Port Watch.AppImage" ${HIDDEN_ARG}\n`);
    expect(os.calls).toEqual([]);

    expect(setStartAtLogin(false, options)).toBe(false);
    expect(existsSync(file)).toBe(false);
  });

  it('reads an entry the desktop switched off as off', () => {
    const options = { platform: 'linux' as const, autostartDir: dir, command: ['/usr/bin/portwatch'] };
    setStartAtLogin(true, options);
    const file = join(dir, 'portwatch.desktop');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'),
    );
    expect(startsAtLogin(options)).toBe(false);
  });
});
