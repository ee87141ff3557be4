import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { closedPort } from '../helpers/net';
import { launch, openUi, screenshot, seriousViolations, startServe, type Serve } from './harness';

// The frame every page sits in: it loads from serve with the token, keeps the token out of the
// address bar, works with the keyboard alone, and passes axe with no serious violation.

describe('the window shell in a browser', () => {
  let serve: Serve;
  let browser: Browser;
  beforeAll(async () => {
    serve = await startServe();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('loads with the token, hides it from the address bar, and reaches every page by keyboard', async () => {
    const { page, problems } = await openUi(browser, serve);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(page.url()).not.toContain(serve.token);

    // The first Tab lands on the skip link, which moves focus into the page's content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement?.id')).toBe('main');

    for (const name of ['Inventory', 'Alerts', 'Weekly review', 'Settings', 'Overview']) {
      await page.getByRole('link', { name, exact: true }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 2, name }).waitFor();
      expect(await page.getByRole('link', { name, exact: true }).getAttribute('aria-current')).toBe('page');
    }
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'shell');
    expect(problems).toEqual([]);
  });

  it('shows a monitor added elsewhere (CLI, API) as soon as the engine reports on it', async () => {
    const { page, problems } = await openUi(browser, serve);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const port = await closedPort();
    const res = await fetch(`${serve.base}/api/call/monitors.add`, {
      method: 'POST',
      headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ args: [{ name: 'added by API', kind: 'tcp', host: '127.0.0.1', port, retries: 0 }] }),
    });
    const added = (await res.json()) as { ok: boolean; value: { id: string } };
    await fetch(`${serve.base}/api/call/monitors.checkNow`, {
      method: 'POST',
      headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ args: [added.value.id] }),
    });
    await page
      .getByRole('list', { name: 'Monitors by state' })
      .getByText('1 down')
      .first()
      .waitFor({ timeout: 10_000 });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('says what to do when opened without the token', async () => {
    const page = await browser.newPage();
    await page.goto(`${serve.base}/`);
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/address `portwatch serve` printed/);
    await page.close();
  });
});
