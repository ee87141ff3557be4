import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredResult } from '../../shared/api';
import { historyFile } from '../../main/core/config/paths';
import { openCliConfig } from '../../main/core/config/store';
import { openHistory } from '../../main/core/history/db';
import { closedPort } from '../helpers/net';
import { launch, openUi, screenshot, seriousViolations, startServe, type Serve } from './harness';

// The weekly review as a user meets it, over a week of history written before serve starts: an
// incident of 4 min 10 s, checks with known latencies, and the files it exports.

const MIN = 60_000;

describe('the weekly review page', () => {
  let serve: Serve;
  let browser: Browser;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-ui-review-'));
    const port = await closedPort();
    // Paused, so serve's own checks add nothing to the history written here.
    (await openCliConfig(dir)).replaceMonitors([
      { id: 'orders-db', name: 'orders-db', kind: 'tcp', host: '127.0.0.1', port, tier: 1, enabled: false },
      { id: 'cache', name: 'cache', kind: 'tcp', host: '127.0.0.1', port: port + 1, tier: 2, enabled: false },
    ]);
    const history = openHistory(historyFile(dir));
    const now = Date.now();
    const outageAt = now - 2 * 86_400_000;
    const results: StoredResult[] = [];
    for (let i = 0; i < 100; i++) {
      const at = now - 3 * 86_400_000 + i * 10 * MIN;
      results.push({ monitorId: 'orders-db', at, outcome: 'ok', phase: 'connect', ms: 10 + (i % 20), slow: false });
      results.push({ monitorId: 'cache', at, outcome: 'ok', phase: 'connect', ms: 1 + (i % 2), slow: false });
    }
    for (let i = 0; i < 4; i++)
      results.push({
        monitorId: 'orders-db',
        at: outageAt + i * MIN,
        outcome: 'refused',
        phase: 'connect',
        ms: 1,
        slow: false,
        detail: 'connection refused',
        diagnosis: `nothing listens on 127.0.0.1:${port}`,
      });
    history.recordResults(results);
    history.openIncident({
      monitorId: 'orders-db',
      startedAt: outageAt,
      confirmedAt: outageAt + 30_000,
      outcome: 'refused',
      phase: 'connect',
      diagnosis: `nothing listens on 127.0.0.1:${port}`,
    });
    history.closeIncident('orders-db', outageAt + 4 * MIN + 10_000);
    history.close();
    serve = await startServe(dir);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('lists the incident with its duration, ranks the monitors, and exports the week', async () => {
    const { page, problems } = await openUi(browser, serve, '#/review');
    await page.getByRole('heading', { level: 2, name: 'Weekly review' }).waitFor();

    const incidents = page.getByRole('region', { name: 'Incidents of the week' });
    const row = incidents.getByRole('row').filter({ hasText: 'orders-db' });
    await row.waitFor();
    expect(await row.getByRole('cell').nth(2).textContent()).toBe('4 min 10 s');
    expect(await row.textContent()).toContain('nothing listens on 127.0.0.1:');

    const summary = page.getByRole('region', { name: 'Summary' });
    expect(await summary.getByRole('definition').first().textContent()).toBe('1');
    expect(await summary.textContent()).toContain('Time to recover (mean)4 min 10 s');

    // 100 passing checks and 4 failed: 96.15%; the cache never failed.
    const uptime = page.getByRole('region', { name: 'Uptime' });
    const dbRow = uptime.getByRole('row').filter({ hasText: 'orders-db' });
    expect(await dbRow.getByRole('cell').nth(3).textContent()).toBe('96.2%');
    expect(await uptime.getByRole('row').filter({ hasText: 'cache' }).getByRole('cell').nth(3).textContent()).toBe(
      '100.00%',
    );
    expect(await page.getByRole('region', { name: 'Noisiest' }).textContent()).toContain('orders-db');
    // Latencies 10..29 ms for orders-db against 1..2 ms for the cache: the database is the slowest.
    const slowest = page.getByRole('region', { name: 'Slowest (p95)' }).getByRole('listitem');
    expect(await slowest.first().textContent()).toMatch(/^orders-db.*p95 2\d ms$/);

    const md = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download as Markdown' }).click();
    const mdFile = await md;
    expect(mdFile.suggestedFilename()).toMatch(/^portwatch-review-\d{4}-\d{2}-\d{2}\.md$/);
    await mdFile.saveAs(join(serve.dir, 'review.md'));
    const markdown = readFileSync(join(serve.dir, 'review.md'), 'utf8');
    expect(markdown).toContain('# Portwatch weekly review');
    expect(markdown).toMatch(/\| orders-db \| .+ \| 4 min 10 s \| nothing listens on/);

    const csv = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download as CSV' }).click();
    const csvFile = await csv;
    await csvFile.saveAs(join(serve.dir, 'review.csv'));
    const lines = readFileSync(join(serve.dir, 'review.csv'), 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^monitor,target,tier,checks,uptime_pct,/);
    expect(lines.find((l) => l.startsWith('orders-db,'))).toMatch(/^orders-db,127\.0\.0\.1:\d+,1,104,96\.154,/);

    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'review');
    expect(problems).toEqual([]);
    await page.close();
  });
});
