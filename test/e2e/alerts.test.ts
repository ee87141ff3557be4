import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../helpers/net';
import { httpReceiver, telegramApi, type HttpReceiver } from '../helpers/receivers';
import { launch, openUi, screenshot, seriousViolations, startServe, type Serve } from './harness';

// The alerts page as a user meets it: channels added through the form and tested against
// loopback stand-ins for a webhook receiver and Telegram's Bot API, the routing table, snooze and
// maintenance windows, and never a secret in the page once it is saved.

const WEBHOOK_PATH = `/hooks/T0K3N-in-the-path-${process.pid}`;
const GOOD_TOKEN = '111111:good-token';
const BAD_TOKEN = '222222:WRONG-bot-token';

/** The li of a saved channel, by its id. */
const channel = (page: Page, id: string) =>
  page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 4, name: new RegExp(`^${id} `) }) });

async function addChannel(page: Page, kind: string, fill: Record<string, string>): Promise<void> {
  await page.getByRole('button', { name: 'Add a channel' }).click();
  await page.getByLabel('Kind').selectOption(kind);
  for (const [label, value] of Object.entries(fill)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole('button', { name: 'Save channel' }).click();
  await page.getByRole('button', { name: 'Add a channel' }).waitFor();
}

describe('the alerts page', () => {
  let serve: Serve;
  let browser: Browser;
  let hook: HttpReceiver;
  let telegram: HttpReceiver;
  beforeAll(async () => {
    hook = await httpReceiver((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
    telegram = await telegramApi({ token: GOOD_TOKEN, chat: '4242' });
    serve = await startServe();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await hook?.close();
    await telegram?.close();
  });

  it('adds a webhook channel, sends a test that arrives, and keeps the URL out of the page', async () => {
    const { page, problems } = await openUi(browser, serve, '#/alerts');
    await page.getByRole('heading', { level: 2, name: 'Alerts' }).waitFor();

    // Saving with the URL missing says so at the field.
    await page.getByRole('button', { name: 'Add a channel' }).click();
    await page.getByLabel('Kind').selectOption('webhook');
    await page.getByRole('button', { name: 'Save channel' }).click();
    const urlField = page.getByLabel('Webhook URL', { exact: true });
    await expect.poll(() => urlField.getAttribute('aria-invalid')).toBe('true');
    await page.getByText('the webhook URL is missing').waitFor();
    expect(await urlField.getAttribute('type')).toBe('password');
    expect(await urlField.getAttribute('autocomplete')).toBe('off');
    await page.getByRole('button', { name: 'Cancel' }).click();

    await addChannel(page, 'webhook', { 'Webhook URL': `${hook.base}${WEBHOOK_PATH}` });
    const row = channel(page, 'webhook');
    await row.waitFor();
    await row.getByRole('button', { name: 'Send a test to webhook' }).click();
    await expect.poll(() => row.getByRole('status').textContent(), { timeout: 10_000 }).toMatch(/^✓ Delivered: /);
    expect(await row.getByRole('status').textContent()).toContain(hook.base);
    expect(hook.requests).toHaveLength(1);
    expect(hook.requests[0]?.url).toBe(WEBHOOK_PATH);
    expect(hook.requests[0]?.raw.toString()).toContain('Portwatch test message');

    // Changing the channel shows that the URL is saved, and saving it blank keeps it.
    await row.getByRole('button', { name: 'Change webhook' }).click();
    await page.getByText('leave blank to keep the saved URL').waitFor();
    expect(await page.getByLabel('Webhook URL', { exact: true }).inputValue()).toBe('');
    await page.getByRole('button', { name: 'Save channel' }).click();
    await row.getByRole('button', { name: 'Send a test to webhook' }).click();
    await expect.poll(() => hook.requests.length, { timeout: 10_000 }).toBe(2);

    await page.reload();
    await channel(page, 'webhook').waitFor();
    expect(await page.content()).not.toContain('T0K3N');
    expect(await page.evaluate('document.body.innerText')).not.toContain('T0K3N');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('says Telegram rejected a bad bot token, and never shows the token', async () => {
    const { page, problems } = await openUi(browser, serve, '#/alerts');
    await page.getByRole('button', { name: 'Add a channel' }).waitFor();
    await addChannel(page, 'telegram', {
      'Bot token': BAD_TOKEN,
      'Chat id': '4242',
      'Bot API address (optional)': telegram.base,
    });
    const row = channel(page, 'telegram');
    await row.waitFor();
    expect(await page.content()).not.toContain(BAD_TOKEN);
    await row.getByRole('button', { name: 'Send a test to telegram' }).click();
    await expect
      .poll(() => row.getByRole('status').textContent(), { timeout: 10_000 })
      .toMatch(/Not delivered: Telegram rejected the bot token/);
    expect(telegram.requests.at(-1)?.url).toBe(`/bot${BAD_TOKEN}/sendMessage`);
    expect(await page.content()).not.toContain(BAD_TOKEN);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('keeps a routing change, snoozes, and adds a maintenance window', async () => {
    const { page, problems } = await openUi(browser, serve, '#/alerts');
    const box = page.getByRole('checkbox', { name: 'Tier 3 to Webhook' });
    await box.waitFor();
    const before = await box.isChecked();
    await box.click();
    await expect.poll(() => page.locator('#routing-title ~ [role=status]').textContent()).toMatch(/Tier 3/);
    await page.reload();
    await page.getByRole('checkbox', { name: 'Tier 3 to Webhook' }).waitFor();
    expect(await page.getByRole('checkbox', { name: 'Tier 3 to Webhook' }).isChecked()).toBe(!before);

    // Reminders: a value under the schema's minimum is refused at its field.
    await page.getByLabel('Tier 1 (critical), every (minutes)').fill('2');
    await page.getByRole('button', { name: 'Save reminders' }).click();
    await page.getByText('reminders come at most every 5 minutes').waitFor();

    await page.getByRole('button', { name: '1 hour' }).click();
    const snooze = page.locator('#snooze-title ~ [role=status]');
    await expect.poll(() => snooze.textContent()).toMatch(/Snoozed until .+: no alert is sent until then/);

    // A weekly window on a host: missing host first, then added and listed.
    await page.getByRole('radio', { name: 'Every week' }).check();
    await page.getByLabel('Covers').selectOption('host');
    await page.getByRole('button', { name: 'Add window' }).click();
    await page.getByText('enter the host').waitFor();
    await page.getByLabel('Host', { exact: true }).fill('10.0.0.6');
    await page.getByLabel('Day').selectOption('Sunday');
    await page.getByLabel('Lasts (minutes)').fill('90');
    await page.getByRole('button', { name: 'Add window' }).click();
    await page.getByRole('cell', { name: 'Every Sunday at 02:00 for 1 h 30 min' }).waitFor();

    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows an alert in the outbox with its delivery result', { timeout: 60_000 }, async () => {
    const { page, problems } = await openUi(browser, serve, '#/alerts');
    await page.getByRole('button', { name: 'End the snooze' }).waitFor();
    if (await page.getByRole('button', { name: 'End the snooze' }).isEnabled())
      await page.getByRole('button', { name: 'End the snooze' }).click();
    await expect.poll(() => page.locator('#snooze-title ~ [role=status]').textContent()).toBe('Alerts are on.');
    const toWebhook = page.getByRole('checkbox', { name: 'Tier 3 to Webhook' });
    if (!(await toWebhook.isChecked())) await toWebhook.click();
    await expect.poll(() => toWebhook.isChecked()).toBe(true);

    // A monitor on a port nothing listens on: down at its first check, alerted after the storm window.
    const port = await closedPort();
    const res = await fetch(`${serve.base}/api/call/monitors.add`, {
      method: 'POST',
      headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        args: [{ name: 'refusing', kind: 'tcp', host: '127.0.0.1', port, tier: 3, retries: 0, intervalSec: 60 }],
      }),
    });
    const added = (await res.json()) as { ok: boolean; value: { id: string } };
    expect(added.ok).toBe(true);
    // New monitors start at a random point of their interval; this one is wanted now.
    await fetch(`${serve.base}/api/call/monitors.checkNow`, {
      method: 'POST',
      headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ args: [added.value.id] }),
    });

    const row = page.getByRole('row').filter({ hasText: 'webhook' }).filter({ hasText: 'refusing' });
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Refresh' }).click();
          return row.count();
        },
        { timeout: 40_000, interval: 1000 },
      )
      .toBe(1);
    await expect
      .poll(async () => (await page.getByRole('button', { name: 'Refresh' }).click(), row.textContent()), {
        timeout: 20_000,
        interval: 1000,
      })
      .toMatch(/✓ Sent/);
    expect(await row.textContent()).toMatch(/delivered to http:\/\/127\.0\.0\.1:\d+ \(200\)/);
    expect(hook.requests.some((r) => r.raw.toString().includes('refusing'))).toBe(true);

    // The filter shows only the rows in the chosen state.
    await page.getByLabel('Show').selectOption('failed');
    await page.getByText('Nothing failed in the outbox.').waitFor();
    await page.getByLabel('Show').selectOption('');
    await row.waitFor();

    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'alerts');
    expect(problems).toEqual([]);
    await page.close();
  });
});
