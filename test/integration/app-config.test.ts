import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Electron is mocked at its boundary: userData is a temp folder, as app.getPath would give.
const userData = vi.hoisted(() => ({ dir: '' }));
vi.mock('electron', () => {
  const app = { getPath: () => userData.dir, getVersion: () => '0.1.0' };
  const ipcMain = { on: () => undefined };
  return { default: { app, ipcMain, shell: {} }, app, ipcMain, shell: {} };
});

const { openAppConfig } = await import('../../main/app/config-store');
const { openCliConfig } = await import('../../main/core/config/store');

describe('the app and the command line share one config file', () => {
  userData.dir = mkdtempSync(join(tmpdir(), 'pw-userdata-'));
  afterAll(() => rmSync(userData.dir, { recursive: true, force: true }));

  it('a monitor saved in the window is what `portwatch verify` sees, and back', async () => {
    const app = openAppConfig();
    const saved = app.addMonitor({ name: 'orders-db', kind: 'tcp', host: '10.0.0.6', port: 5432, tier: 1 });
    const cli = await openCliConfig(userData.dir);
    expect(cli.monitors().map((m) => m.name)).toEqual(['orders-db']);
    cli.updateMonitor(saved.id, { timeoutMs: 2000 });
    const reopened = openAppConfig();
    expect(reopened.monitor(saved.id)?.timeoutMs).toBe(2000);
  });
});
