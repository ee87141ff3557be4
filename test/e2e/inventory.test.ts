import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { MonitorView } from '../../shared/api';
import { launch, openUi, screenshot, seriousViolations, startServe, type Serve } from './harness';

// The inventory as a user meets it: several services of one host added at once, the table by
// host, the exposure warning of a database marked external, and the CSV download.

async function list(serve: Serve): Promise<MonitorView[]> {
  const res = await fetch(`${serve.base}/api/call/monitors.list`, {
    method: 'POST',
    headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ args: [] }),
  });
  return ((await res.json()) as { value: MonitorView[] }).value;
}

/** The rows of the table body under the host's row-group heading. */
const hostGroup = (page: Page, host: string) =>
  page.locator('tbody', {
    has: page.getByRole('rowheader', { name: new RegExp(`^${host.replace(/\./g, '\\.')} \\(`) }),
  });

/** RFC 4180 lines back into cells (enough for what the inventory writes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      row.push(cell);
      cell = '';
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += c;
    }
  }
  return rows;
}

describe('the inventory in a browser', () => {
  let serve: Serve;
  let browser: Browser;
  beforeAll(async () => {
    serve = await startServe();
    browser = await launch();
  });
  // A step that never comes fails at that step, not as the whole test's timeout.
  const open = async (hash: string) => {
    const ui = await openUi(browser, serve, hash);
    ui.page.setDefaultTimeout(10_000);
    return ui;
  };
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('adds three presets to one host at once, warns about the exposed database, and exports CSV', async () => {
    const { page, problems } = await open('#/inventory');
    await page.getByRole('heading', { level: 2, name: 'Inventory' }).waitFor();
    await page.getByText('No hosts yet').waitFor();

    // Nothing chosen and no host: both said at their place, focus on the first.
    await page.getByRole('button', { name: 'Add services' }).click();
    await page.locator('#inv-host-error').getByText('the host is empty').waitFor();
    await page.getByText('choose at least one service').waitFor();
    expect(await page.evaluate('document.activeElement?.id')).toBe('inv-host');

    // Loopback only: nothing listens on these ports, which the table will say in words.
    await page.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Exposure', { exact: true }).selectOption('external');
    for (const name of ['PostgreSQL, port 5432', 'Redis, port 6379', 'HTTPS, port 443'])
      await page.getByRole('checkbox', { name }).check();
    await page.getByRole('button', { name: 'Add 3 services' }).click();
    await page
      .getByRole('status')
      .getByText('Added HTTPS, port 443, PostgreSQL, port 5432 and Redis, port 6379 to 127.0.0.1.')
      .waitFor();

    const saved = await list(serve);
    expect(saved.map((v) => [v.monitor.name, v.monitor.kind, v.monitor.port, v.monitor.exposure]).sort()).toEqual([
      ['HTTPS on 127.0.0.1', 'http', 443, 'external'],
      ['PostgreSQL on 127.0.0.1', 'service', 5432, 'external'],
      ['Redis on 127.0.0.1', 'service', 6379, 'external'],
    ]);

    // One row group for the host, its services by port.
    const group = hostGroup(page, '127.0.0.1');
    await group.getByRole('link', { name: 'Redis on 127.0.0.1' }).waitFor();
    const names = await group.getByRole('rowheader').allTextContents();
    expect(names).toEqual([
      '127.0.0.1 (3 services)',
      'HTTPS on 127.0.0.1',
      'PostgreSQL on 127.0.0.1',
      'Redis on 127.0.0.1',
    ]);
    const row = (name: string) => page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
    expect(await row('PostgreSQL on 127.0.0.1').textContent()).toContain(
      'Exposure warning: PostgreSQL is a database marked external',
    );
    expect(await row('Redis on 127.0.0.1').textContent()).toContain(
      'Exposure warning: Redis is a cache marked external',
    );
    expect(await row('HTTPS on 127.0.0.1').textContent()).not.toContain('Exposure warning');
    await page.getByText('2 services have an exposure warning.').waitFor();
    // New monitors start spread over their interval; asked now, each row comes to say what happened.
    await page.getByRole('button', { name: 'Check everything now' }).click();
    await row('PostgreSQL on 127.0.0.1')
      .getByText(/refused: Nothing is listening on 127\.0\.0\.1:5432/)
      .waitFor({
        timeout: 15_000,
      });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export as CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^portwatch-inventory-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = parseCsv(readFileSync(await download.path(), 'utf8'));
    expect(csv[0]).toEqual([
      'host',
      'name',
      'service',
      'kind',
      'address',
      'port',
      'tier',
      'exposure',
      'tags',
      'notes',
      'enabled',
      'state',
      'last checked',
      'last result',
      'warnings',
    ]);
    expect(csv.slice(1).map((r) => r.slice(0, 8))).toEqual([
      ['127.0.0.1', 'HTTPS on 127.0.0.1', 'HTTPS', 'http', 'https://127.0.0.1/', '443', '1', 'external'],
      ['127.0.0.1', 'PostgreSQL on 127.0.0.1', 'PostgreSQL', 'service', '127.0.0.1', '5432', '1', 'external'],
      ['127.0.0.1', 'Redis on 127.0.0.1', 'Redis', 'service', '127.0.0.1', '6379', '2', 'external'],
    ]);
    expect(csv[2]?.[14]).toMatch(/^PostgreSQL is a database marked external/);
    expect(csv[1]?.[14]).toBe('');
    await page.getByRole('status').getByText('Exported 3 services as CSV.').waitFor();

    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'inventory');
    expect(problems).toEqual([]);
    await page.close();
  });
});
