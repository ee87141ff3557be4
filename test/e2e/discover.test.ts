import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { MonitorView } from '../../shared/api';
import { startRedis, type Daemon } from '../helpers/daemons';
import { startSshd } from '../helpers/daemons-text';
import { closedPort, listen } from '../helpers/net';
import { launch, openUi, screenshot, seriousViolations, startServe, type Serve } from './harness';

// "Discover services on a host" as a user meets it: real Redis and sshd on loopback ports that are
// not their own, named right by their own checks, a closed port counted, the proposals added as
// monitors. Everything scanned is 127.0.0.1.

async function list(serve: Serve): Promise<MonitorView[]> {
  const res = await fetch(`${serve.base}/api/call/monitors.list`, {
    method: 'POST',
    headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ args: [] }),
  });
  return ((await res.json()) as { value: MonitorView[] }).value;
}

const hostGroup = (page: Page, host: string) =>
  page.locator('tbody', {
    has: page.getByRole('rowheader', { name: new RegExp(`^${host.replace(/\./g, '\\.')} \\(`) }),
  });

describe('discovering the services of a host in a browser', () => {
  let serve: Serve;
  let browser: Browser;
  let redis: Daemon;
  let sshd: Daemon;
  beforeAll(async () => {
    [serve, browser, redis, sshd] = await Promise.all([startServe(), launch(), startRedis(), startSshd()]);
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await redis?.stop();
    await sshd?.stop();
  });
  const open = async () => {
    const ui = await openUi(browser, serve, '#/inventory');
    ui.page.setDefaultTimeout(15_000);
    await ui.page.getByRole('heading', { level: 3, name: 'Discover services on a host' }).waitFor();
    return ui;
  };

  it('shows progress, then proposes Redis and SSH named right on ports not their own, and adds them', async () => {
    const { page, problems } = await open();
    const closed = await closedPort();
    const host = page.getByLabel('Host to scan');
    const ports = page.getByLabel('Ports to scan');
    expect(await ports.inputValue()).toBe('catalog');

    // A spec the CLI would refuse is refused at the field, in the same words, with focus on it.
    await host.fill('127.0.0.1');
    await ports.fill(`${redis.port},abc`);
    await page.getByRole('button', { name: 'Start' }).click();
    await page
      .locator('#discover-ports-error')
      .getByText('"abc" is not a port, a range, catalog or top', { exact: false })
      .waitFor();
    expect(await ports.getAttribute('aria-invalid')).toBe('true');
    expect(await ports.getAttribute('aria-describedby')).toContain('discover-ports-error');
    expect(await page.evaluate('document.activeElement?.id')).toBe('discover-ports');

    // Started from the keyboard; Redis waits out the greeting, so the progress is there to see.
    await ports.fill(`${redis.port},${sshd.port},${closed}`);
    await ports.press('Enter');
    const progress = page.getByRole('progressbar', { name: /^Scanned \d of 3 ports$/ });
    await progress.waitFor();
    expect(await progress.getAttribute('max')).toBe('3');
    await page.getByRole('button', { name: 'Cancel' }).waitFor();
    // Started from the field, the focus stays there: nothing is taken from under the keyboard.
    expect(await page.evaluate('document.activeElement?.id')).toBe('discover-ports');
    expect(await page.locator('.discover [role="status"]').textContent()).toMatch(
      /^Scanning 3 ports of 127\.0\.0\.1…$/,
    );
    await screenshot(page, 'discover-progress');

    const heading = page.getByRole('heading', { level: 4, name: 'Proposed monitors for 127.0.0.1' });
    await heading.waitFor();
    expect(await page.evaluate('document.activeElement?.id')).toBe('discover-ports');
    expect(await page.locator('.discover [role="status"]').first().textContent()).toBe(
      'Discovery of 127.0.0.1 finished, 3 ports: 2 open, 1 closed; 2 monitors proposed.',
    );
    const proposals = page.locator('.discover-proposals');
    await proposals.getByText('2 open, 1 closed.').waitFor();
    const redisBox = page.getByRole('checkbox', { name: `Redis ${redis.port} on 127.0.0.1` });
    const sshBox = page.getByRole('checkbox', { name: `SSH / SFTP ${sshd.port} on 127.0.0.1` });
    expect(await redisBox.isChecked()).toBe(true);
    expect(await sshBox.isChecked()).toBe(true);
    const row = (box: typeof redisBox) => page.getByRole('row').filter({ has: box });
    expect(await row(redisBox).textContent()).toMatch(/Redis.*redis check.*Tier 2 \(important\).*Internal/);
    expect(await row(sshBox).textContent()).toMatch(/SSH \/ SFTP.*ssh check.*Tier 3 \(tolerant\).*Internal/);
    await proposals.getByText(`${closed} closed:`, { exact: false }).waitFor({ state: 'attached' });

    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'discover');

    await page.getByRole('button', { name: 'Add 2 monitors' }).click();
    // In the checklist's order, by port.
    const names = [
      [redis.port, `Redis ${redis.port} on 127.0.0.1`],
      [sshd.port, `SSH / SFTP ${sshd.port} on 127.0.0.1`],
    ]
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, name]) => name);
    await page
      .getByRole('status')
      .getByText(`Added 2 monitors: ${names.join(' and ')}.`)
      .waitFor();
    const saved = await list(serve);
    expect(saved.map((v) => [v.monitor.name, v.monitor.kind, v.monitor.check, v.monitor.port]).sort()).toEqual([
      [`Redis ${redis.port} on 127.0.0.1`, 'service', 'redis', redis.port],
      [`SSH / SFTP ${sshd.port} on 127.0.0.1`, 'service', 'ssh', sshd.port],
    ]);
    const group = hostGroup(page, '127.0.0.1');
    await group.getByRole('link', { name: `Redis ${redis.port} on 127.0.0.1` }).waitFor();
    await group.getByRole('link', { name: `SSH / SFTP ${sshd.port} on 127.0.0.1` }).waitFor();

    // Saved now, so the checklist says so and offers nothing more.
    expect(await redisBox.isDisabled()).toBe(true);
    expect(await row(redisBox).textContent()).toContain('already watched');
    await proposals.getByText('Every proposed monitor is already watched.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'discover-added');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('cancels a scan that is taking its time, and refuses a range for the command line', async () => {
    // A port that accepts and never says a word keeps identification going for seconds.
    const silent = await listen((s) => s.resume());
    const { page, problems } = await open();
    await page.getByLabel('Host to scan').fill('127.0.0.0/24');
    await page.getByRole('button', { name: 'Start' }).click();
    await page
      .locator('#discover-host-error')
      .getByText(/127\.0\.0\.0\/24 is a range of 254 addresses/)
      .waitFor();

    await page.getByLabel('Host to scan').fill('127.0.0.1');
    await page.getByLabel('Ports to scan').fill(String(silent.port));
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('progressbar', { name: 'Scanned 0 of 1 port' }).waitFor();
    // Start is disabled while it runs: the focus moves to Cancel, and from Cancel to what was found.
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Cancel');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 4, name: 'Proposed from the ports scanned for 127.0.0.1' }).waitFor();
    await page.getByText('Cancelled after 0 of 1 port.', { exact: false }).waitFor();
    await page.getByText('No open port, so no monitor to propose.').waitFor();
    expect(await page.evaluate('document.activeElement?.id')).toBe('discover-proposals-title');
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
    await silent.close();
  });
});
