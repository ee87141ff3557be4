import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { MonitorView } from '../../shared/api';
import { startDaemon, startRedis, type Daemon } from '../helpers/daemons';
import { launch, openUi, screenshot, seriousViolations, startServe, type Serve } from './harness';

// The scenario, as a user meets it: a Redis monitor added from the preset, watched
// through an outage of a real redis-server on loopback, then an invalid edit that saves nothing.

/** redis-server again on the port it had, as after a restart. */
const restartRedis = (port: number): Promise<Daemon> =>
  startDaemon(
    'redis-server',
    (p, dir) => ['--port', String(p), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
    { port },
  );

async function call<T>(serve: Serve, name: string, ...args: unknown[]): Promise<T> {
  const res = await fetch(`${serve.base}/api/call/${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ args }),
  });
  const body = (await res.json()) as { ok: true; value: T } | { ok: false; error: string };
  if (!body.ok) throw new Error(body.error);
  return body.value;
}

/** The monitor page's head: its heading and the status badge beside it. */
const monitorHead = (page: Page, name: string) =>
  page.locator('header', { has: page.getByRole('heading', { level: 2, name, exact: true }) });

/** A StatusBadge saying `label` (its glyph is hidden from screen readers but is in the text). */
const badge = (within: Locator, label: string) =>
  within.locator('.status').filter({ hasText: new RegExp(`^\\W*${label}$`) });

/** The inventory's row for a monitor (the inventory is this test's second witness). */
const inventoryRow = (page: Page, name: string) =>
  page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });

describe('the monitor editor in a browser', () => {
  let serve: Serve;
  let browser: Browser;
  let redis: Daemon | undefined;
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
    await redis?.stop();
    await browser?.close();
    await serve?.stop();
  });

  it('adds a Redis monitor from the preset and follows it up, pending, down (refused) and up again', async () => {
    redis = await startRedis();
    const port = redis.port;
    const { page, problems } = await open('#/new');
    await page.getByRole('heading', { level: 2, name: 'Add a monitor' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Service preset').selectOption({ label: 'Redis, port 6379' });
    // The preset fills the port, the check and the tier.
    expect(await page.getByLabel('Port', { exact: true }).inputValue()).toBe('6379');
    expect(await page.getByLabel('Kind of check').inputValue()).toBe('service');
    expect(await page.getByLabel('Service check').inputValue()).toBe('redis');
    expect(await page.getByLabel('Tier').inputValue()).toBe('2');
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Redis');

    await page.getByLabel('Name', { exact: true }).fill('Session cache');
    await page.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Port', { exact: true }).fill(String(port));
    await page.getByLabel('Check every (seconds)').fill('5');
    await page.getByLabel('Retries before down').fill('1');
    await page.getByLabel('Retry after (seconds)').fill('2');

    // "Test now" runs the check as the form stands, before anything is saved.
    await page.getByRole('button', { name: 'Test now' }).click();
    const result = page.locator('.test-result[role="status"]');
    await result.getByText(/Test passed in/).waitFor();
    expect(await result.textContent()).toContain(`127.0.0.1:${port}`);
    expect(await call<MonitorView[]>(serve, 'monitors.list')).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'editor');

    await page.getByRole('button', { name: 'Add monitor' }).click();
    await page.waitForURL(/#\/monitor\/[^/]+$/);
    const id = decodeURIComponent(/#\/monitor\/([^/]+)$/.exec(page.url())?.[1] ?? '');
    const saved = (await call<MonitorView>(serve, 'monitors.get', id)).monitor;
    expect(saved).toMatchObject({
      name: 'Session cache',
      kind: 'service',
      check: 'redis',
      service: 'redis',
      host: '127.0.0.1',
      port,
      tier: 2,
      intervalSec: 5,
      retries: 1,
      retryIntervalSec: 2,
      timeoutMs: 2000,
    });

    const head = monitorHead(page, 'Session cache');
    await badge(head, 'Up').waitFor({ timeout: 15_000 });

    await redis.stop();
    redis = undefined;
    // One failed check is not yet an outage: pending, then down once the retry fails too.
    await badge(head, 'Pending').waitFor({ timeout: 15_000 });
    await badge(head, 'Down').waitFor({ timeout: 15_000 });
    await head.getByText(/refused/).waitFor();

    // The inventory says the same, with the diagnosis in words.
    await page.getByRole('link', { name: 'Inventory', exact: true }).click();
    const row = inventoryRow(page, 'Session cache');
    await badge(row, 'Down').waitFor();
    expect(await row.textContent()).toMatch(/refused: Nothing is listening on 127\.0\.0\.1:\d+/);

    redis = await restartRedis(port);
    await badge(row, 'Up').waitFor({ timeout: 15_000 });
    await page.goBack();
    await badge(head, 'Up').waitFor({ timeout: 15_000 });
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('shows an invalid port at its field, focuses it, and saves nothing', async () => {
    const before = (await call<MonitorView[]>(serve, 'monitors.list'))[0]?.monitor;
    if (!before) throw new Error('the first test saved no monitor');
    const { page, problems } = await open(`#/monitor/${encodeURIComponent(before.id)}/edit`);
    await page.getByRole('heading', { level: 2, name: `Edit “${before.name}”` }).waitFor();
    const portField = page.getByLabel('Port', { exact: true });
    expect(await portField.inputValue()).toBe(String(before.port));

    await portField.fill('70000');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const error = page.locator('#edit-port-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('the port must be from 1 to 65535');
    expect(await page.evaluate('document.activeElement?.id')).toBe('edit-port');
    expect(await portField.getAttribute('aria-invalid')).toBe('true');
    expect(await portField.getAttribute('aria-describedby')).toContain('edit-port-error');
    // The accessible description carries the error, so a screen reader says it with the field.
    expect(await page.evaluate(`document.getElementById('edit-port-error').textContent`)).toMatch(/1 to 65535/);
    expect(page.url()).toMatch(/\/edit$/);
    expect((await call<MonitorView>(serve, 'monitors.get', before.id)).monitor.port).toBe(before.port);

    // Corrected, the error goes as soon as the field is right.
    await portField.fill(String(before.port));
    await error.waitFor({ state: 'detached' });
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows a bad host at its field before anything is sent, and the service’s own errors where they belong', async () => {
    const { page } = await open('#/new');
    await page.getByRole('heading', { level: 2, name: 'Add a monitor' }).waitFor();
    let sent = 0;
    // The schema is shared, so the service refuses only what the window cannot know; its answer is
    // stood in for here to show where its words land.
    await page.route('**/api/call/monitors.add', (route) => {
      sent++;
      return route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({
          ok: false,
          error: 'name: a monitor named "Shop" exists; the config folder is read-only',
        }),
      });
    });
    await page.getByLabel('Name', { exact: true }).fill('Shop');
    await page.getByLabel('Host', { exact: true }).fill('not a host!');
    await page.getByLabel('Port', { exact: true }).fill('80');
    await page.getByRole('button', { name: 'Add monitor' }).click();
    await page
      .locator('#edit-host-error')
      .getByText(/the host may hold only/)
      .waitFor();
    expect(await page.evaluate('document.activeElement?.id')).toBe('edit-host');
    expect(sent).toBe(0);

    await page.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await page.getByRole('button', { name: 'Add monitor' }).click();
    await page.locator('#edit-name-error').getByText('a monitor named "Shop" exists').waitFor();
    expect(await page.evaluate('document.activeElement?.id')).toBe('edit-name');
    expect(await page.getByRole('alert').filter({ hasText: 'the config folder is read-only' }).count()).toBe(1);
    expect(sent).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'editor-errors');
    await page.close();
  });

  it('deletes a monitor only after a confirm step', async () => {
    const m = await call<{ id: string }>(serve, 'monitors.add', {
      name: 'Throwaway',
      kind: 'tcp',
      host: '127.0.0.1',
      port: 9,
      enabled: false,
    });
    const { page, problems } = await open(`#/monitor/${m.id}/edit`);
    await page.getByRole('button', { name: 'Delete monitor…' }).click();
    const confirm = page.getByRole('button', { name: 'Yes, delete “Throwaway”' });
    await confirm.waitFor();
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Yes, delete “Throwaway”');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Keep it' }).click();
    expect((await call<MonitorView[]>(serve, 'monitors.list')).some((v) => v.monitor.id === m.id)).toBe(true);

    await page.getByRole('button', { name: 'Delete monitor…' }).click();
    await confirm.click();
    await page.waitForURL(/#\/$/);
    expect((await call<MonitorView[]>(serve, 'monitors.list')).some((v) => v.monitor.id === m.id)).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  });
});
