import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { listen } from '../helpers/net';
import { launch, openUi, screenshot, seriousViolations, startServe, type Serve } from './harness';

// Two `portwatch serve` on loopback, A and B, both watching one loopback listener: B is added to
// A as another instance through A's settings page, and A's overview shows what B sees. When B
// stops, A must say B is unreachable and its view unknown, never that the target went down.
// (A real split needs network namespaces: test/integration/vantage.test.ts covers it.)

async function call<T>(serve: Serve, name: string, ...args: unknown[]): Promise<T> {
  const res = await fetch(`${serve.base}/api/call/${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ args }),
  });
  const body = (await res.json()) as { ok: boolean; value?: T; error?: string };
  if (!body.ok) throw new Error(`${name}: ${body.error}`);
  return body.value as T;
}

describe('other instances as vantage points, in a browser', () => {
  let a: Serve;
  let b: Serve;
  let browser: Browser;
  let target: Awaited<ReturnType<typeof listen>>;
  let bStopped = false;

  beforeAll(async () => {
    target = await listen((s) => s.end());
    [a, b] = await Promise.all([startServe(), startServe()]);
    const watch = { name: 'shared-api', kind: 'tcp', host: '127.0.0.1', port: target.port, intervalSec: 5, retries: 0 };
    await call(a, 'monitors.add', watch);
    await call(b, 'monitors.add', watch);
    browser = await launch();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await a?.stop();
    if (!bStopped) await b?.stop();
    await target?.close();
  });

  it('adds B through the settings, shows its view on the overview, and B gone as unknown, not down', async () => {
    const { page, problems } = await openUi(browser, a, '#/settings');
    const section = page.getByRole('region', { name: 'Other Portwatch instances' });
    await section.getByText('No other instance yet.').waitFor();

    // A bad URL is named at its field, in the service's words.
    await section.getByLabel('Name').fill('B');
    await section.getByLabel('URL of its portwatch serve').fill('not a url');
    await section.getByLabel('Token').fill(b.token);
    await section.getByRole('button', { name: 'Add instance' }).click();
    const urlError = section.getByText('the URL must be the http:// or https:// address of a portwatch serve');
    await urlError.waitFor();
    expect(await section.getByLabel('URL of its portwatch serve').getAttribute('aria-invalid')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);

    await section.getByLabel('URL of its portwatch serve').fill(b.base);
    await section.getByRole('button', { name: 'Add instance' }).click();
    await section.getByText('B saved').waitFor();
    const row = section.getByRole('list', { name: 'Other instances' }).getByRole('listitem');
    await row.getByText('answering').waitFor({ timeout: 20_000 });
    expect(await row.textContent()).toContain(`${b.base}/`);
    expect((await call<{ token: string }[]>(a, 'sources.list'))[0]?.token).toBe('(sealed)');

    // Changing it keeps the token when the field is left blank.
    await row.getByRole('button', { name: 'Change B' }).click();
    await section.getByText('Leave the token blank to keep the saved one.').waitFor();
    expect(await section.getByLabel('Token').inputValue()).toBe('');
    // The line serve prints, pasted whole: the token in it is taken out of the URL and sealed.
    await section.getByLabel('URL of its portwatch serve').fill(`${b.base}/?token=${b.token}`);
    await section.getByRole('button', { name: 'Save changes' }).click();
    await section.getByText('B saved').waitFor();
    await expect.poll(() => row.textContent()).not.toContain('token=');
    expect(JSON.stringify(await call(a, 'sources.list'))).not.toContain(b.token);

    const agree = section.getByRole('checkbox', { name: /every answering instance agrees/ });
    expect(await agree.isChecked()).toBe(true);
    await agree.uncheck();
    await section.getByText('Down alerts no longer wait.').waitFor();
    expect(await call(a, 'settings.get')).toMatchObject({ alertOnlyWhenAllVantagesAgree: false });
    await agree.check();
    await section.getByText('Down alerts now wait').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'vantage-settings');

    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    const panel = page.getByRole('region', { name: 'Seen from other places' });
    await panel.getByRole('list', { name: 'Instances' }).getByText('answering').waitFor({ timeout: 15_000 });
    // A loopback address is a different machine from each vantage point, so the core never merges
    // loopback targets across instances: each side's monitor stands alone, up from where it runs.
    const here = (await call<{ here: string }>(a, 'vantage.overview')).here;
    const up = panel.getByRole('list', { name: 'Targets up' });
    await up.getByText('up from B, the only vantage point watching it').waitFor({ timeout: 20_000 });
    await up.getByText(`up from ${here}, the only vantage point watching it`).waitFor({ timeout: 20_000 });
    expect(await up.getByRole('listitem').allTextContents()).toEqual([
      expect.stringMatching(/^✓Up shared-api 127\.0\.0\.1:\d+ — up from /),
      expect.stringMatching(/^✓Up shared-api 127\.0\.0\.1:\d+ — up from /),
    ]);
    await expect
      .poll(() => panel.getByRole('status').textContent(), { timeout: 10_000 })
      .toBe('1 other instance. 0 split, 2 up, 0 down, 0 unknown.');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'vantage');

    await b.stop();
    bStopped = true;
    const instances = panel.getByRole('list', { name: 'Instances' });
    await instances.getByText('unreachable').waitFor({ timeout: 20_000 });
    expect(await instances.textContent()).toMatch(/unreachable since .*: connection refused at 127\.0\.0\.1:\d+/);
    // What B saw last is not repeated as if it were still true: unknown, not up and not down.
    const unknown = panel.getByRole('list', { name: 'Down or unknown targets' });
    await unknown.getByText('unknown from B').waitFor({ timeout: 15_000 });
    expect(await unknown.getByRole('listitem').allTextContents()).toEqual([
      expect.stringMatching(/^\?Unknown shared-api 127\.0\.0\.1:\d+ — unknown from B/),
    ]);
    await up.getByText(`up from ${here}`).waitFor();
    await expect
      .poll(() => panel.getByRole('status').textContent())
      .toBe('1 other instance, 1 unreachable. 0 split, 1 up, 0 down, 1 unknown.');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'vantage-unreachable');
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});
