import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitorView } from '../../shared/api';
import { openCliConfig } from '../../main/core/config/store';
import { fileURLToPath } from 'node:url';
import { launch, openUi, screenshot, seriousViolations, startServe, type Serve } from './harness';

// The settings page as a user meets it: the theme applied at once and kept, retention checked at
// its fields, and monitors exported to a file and imported back with a preview first.

const SECRET = `Bearer sk-live-${process.pid}`;

const FIXTURES = fileURLToPath(new URL('../fixtures/import', import.meta.url));

describe('the settings page', () => {
  let serve: Serve;
  let browser: Browser;

  const call = async <T>(name: string, ...args: unknown[]): Promise<T> => {
    const res = await fetch(`${serve.base}/api/call/${name}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ args }),
    });
    const body = (await res.json()) as { ok: boolean; value: T; error: string };
    if (!body.ok) throw new Error(body.error);
    return body.value;
  };

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-ui-settings-'));
    // Paused monitors: this test is about their definitions, not their checks.
    (await openCliConfig(dir)).replaceMonitors([
      { id: 'db', name: 'orders-db', kind: 'tcp', host: '127.0.0.1', port: 5432, tier: 1, enabled: false },
      {
        id: 'api',
        name: 'orders-api',
        kind: 'http',
        host: '127.0.0.1',
        port: 8080,
        url: 'http://127.0.0.1:8080/health',
        http: { headers: { Authorization: SECRET, Accept: 'application/json' } },
        enabled: false,
      },
    ]);
    serve = await startServe(dir);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('switches to the dark theme at once and keeps it after a reload', async () => {
    const { page, problems } = await openUi(browser, serve, '#/settings');
    await page.getByRole('heading', { level: 2, name: 'Settings' }).waitFor();
    await page.getByRole('radio', { name: 'Dark' }).check();
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    await expect.poll(() => page.locator('#theme-title ~ [role=status]').textContent()).toBe('Theme: dark.');
    await page.reload();
    await page.getByRole('radio', { name: 'Dark' }).waitFor();
    await expect.poll(() => page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    expect(await page.getByRole('radio', { name: 'Dark' }).isChecked()).toBe(true);
    expect((await call<{ theme: string }>('settings.get')).theme).toBe('dark');

    // In a browser, start at login is off and says why.
    const login = page.getByRole('checkbox', { name: 'Start Portwatch when I log in' });
    expect(await login.isDisabled()).toBe(true);
    await page.getByText('Only the desktop app can start at login').waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows an invalid retention at its field and saves a valid one', async () => {
    const { page, problems } = await openUi(browser, serve, '#/settings');
    const raw = page.getByLabel("Keep every check's result for (days)");
    const rollup = page.getByLabel('Keep hourly summaries for (days)');
    await raw.fill('0');
    await page.getByRole('button', { name: 'Save retention' }).click();
    await page.getByText('the days raw results are kept must be from 1 to 3650').waitFor();
    expect(await raw.getAttribute('aria-invalid')).toBe('true');

    await raw.fill('30');
    await rollup.fill('20');
    await page.getByRole('button', { name: 'Save retention' }).click();
    await page.getByText('rollups must be kept at least as long as raw results').waitFor();
    expect(await rollup.getAttribute('aria-invalid')).toBe('true');
    expect(await raw.getAttribute('aria-invalid')).toBeNull();

    await rollup.fill('90');
    await page.getByRole('button', { name: 'Save retention' }).click();
    await page.getByText('Retention saved').waitFor();
    expect(await call('settings.get')).toMatchObject({ retentionRawDays: 30, retentionRollupDays: 90 });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('exports the monitors without credentials and imports the file back after a preview', async () => {
    const { page, problems } = await openUi(browser, serve, '#/settings');
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export monitors' }).click();
    const file = await downloading;
    expect(file.suggestedFilename()).toMatch(/^portwatch-monitors-\d{4}-\d{2}-\d{2}\.json$/);
    const path = join(serve.dir, 'export.json');
    await file.saveAs(path);
    const text = readFileSync(path, 'utf8');
    const doc = JSON.parse(text) as { portwatch: number; monitors: { name: string }[] };
    expect(doc.portwatch).toBe(1);
    expect(doc.monitors.map((m) => m.name).sort()).toEqual(['orders-api', 'orders-db']);
    expect(text).not.toContain('sk-live');
    await page.getByText('Exported 2 monitors. Left out credentials: orders-api: header Authorization.').waitFor();

    // A file with mistakes lists each by its place, and offers no import.
    await page.getByLabel('File to import').setInputFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from(
        JSON.stringify({ portwatch: 1, monitors: [{ name: 'bad', kind: 'tcp', host: 'h', port: 70000 }, 'x'] }),
      ),
    });
    await page.getByText('broken.json cannot be imported: 2 problems').waitFor();
    await page.getByText('monitors.0 ("bad").port: the port must be from 1 to 65535').waitFor();
    await page.getByText('monitors.1: not a monitor').waitFor();
    expect(await page.getByRole('button', { name: /^Import \d/ }).count()).toBe(0);

    // One monitor removed since the export: the file adds it back and leaves the other as it is.
    await call('monitors.remove', 'db');
    await page.getByLabel('File to import').setInputFiles(path);
    await page.getByText('export.json: 1 monitor to add, 0 to update').waitFor();
    await page.getByRole('heading', { name: 'Already here, unchanged' }).waitFor();
    await page.getByRole('list').filter({ hasText: 'orders-db' }).waitFor();
    expect((await call<MonitorView[]>('monitors.list')).length).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'settings');
    await page.getByRole('button', { name: 'Import 1 monitor' }).click();
    await page.getByText('Imported export.json: 1 monitor added, 0 updated.').waitFor();

    const after = await call<MonitorView[]>('monitors.list');
    expect(after.map((v) => v.monitor.name).sort()).toEqual(['orders-api', 'orders-db']);
    // The credential left out of the file is still the one saved here.
    expect(after.find((v) => v.monitor.name === 'orders-api')?.monitor.http?.headers.Authorization).toBe(SECRET);

    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('imports an Uptime Kuma backup, telling the format from the file and listing what cannot come over', async () => {
    const { page, problems } = await openUi(browser, serve, '#/settings');
    await page.getByLabel('File to import').setInputFiles(join(FIXTURES, 'kuma-backup.json'));
    await page.getByText(/^kuma-backup\.json: \d+ monitors to add/).waitFor();
    await page.getByRole('heading', { name: 'Cannot come over' }).waitFor();
    await page
      .getByText(/ping.*not/i)
      .first()
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
