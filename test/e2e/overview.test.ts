import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCliConfig, type NewMonitorInput } from '../../main/core/config/store';
import { closedPort, listen } from '../helpers/net';
import { launch, openUi, screenshot, seriousViolations, startServe, type Serve } from './harness';

// The overview as a user meets it: real monitors on loopback checked by serve, states and the
// reason for a failure in words, the list used with the keyboard alone, and a thousand monitors
// rendered through the windowed list.

async function serveWith(monitors: NewMonitorInput[]): Promise<Serve> {
  const dir = mkdtempSync(join(tmpdir(), 'pw-ui-overview-'));
  (await openCliConfig(dir)).replaceMonitors(monitors);
  return startServe(dir);
}

/** What has focus, as a user would see it: its role and its text (or its label). */
const focused = (page: Page): Promise<string> =>
  page.evaluate(`(() => {
    const el = document.activeElement;
    if (!el) return '';
    const role = el.getAttribute('role') ?? el.tagName.toLowerCase();
    return role + ': ' + (el.getAttribute('aria-label') ?? el.textContent?.trim() ?? '');
  })()`);

const grid = (page: Page) => page.getByRole('treegrid');

/** Whether the row in focus is wholly in sight: inside the scroll box and clear of the sticky header. */
const focusInSight = (page: Page): Promise<boolean> =>
  page.evaluate(`(() => {
    const row = document.activeElement.getBoundingClientRect();
    const box = document.querySelector('.ov-body').getBoundingClientRect();
    const head = document.querySelector('.ov-head').getBoundingClientRect();
    return row.top >= head.bottom - 1 && row.bottom <= box.bottom + 1;
  })()`);

/** Waits for a row's state cell to read `word` (after its glyph). */
const stateIs = (row: Locator, word: string, timeout = 5000): Promise<void> =>
  row
    .getByRole('gridcell')
    .first()
    .filter({ hasText: new RegExp(`${word}$`) })
    .waitFor({ timeout });

describe('the overview page', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  describe('with a few real monitors', () => {
    let serve: Serve;
    let web: Awaited<ReturnType<typeof listen>>;
    let refusedPort: number;
    beforeAll(async () => {
      web = await listen();
      refusedPort = await closedPort();
      const fast = { kind: 'tcp', host: '127.0.0.1', intervalSec: 5, retries: 0, timeoutMs: 1000 } as const;
      serve = await serveWith([
        { ...fast, id: 'web', name: 'Web front', port: web.port, group: 'app-1', tier: 1, tags: ['shop'] },
        {
          ...fast,
          id: 'cache',
          name: 'Cache',
          port: refusedPort,
          group: 'db-1',
          service: 'redis',
          tier: 2,
          tags: ['shop'],
        },
        {
          ...fast,
          id: 'queue',
          name: 'Queue',
          port: web.port,
          group: 'db-1',
          service: 'amqp',
          tier: 3,
          tags: ['data'],
        },
      ]);
    });
    afterAll(async () => {
      await serve?.stop();
      await web?.close();
    });

    it('shows each state in words with the diagnosis of the failure, and passes axe', { timeout: 60_000 }, async () => {
      const { page, problems } = await openUi(browser, serve);
      await grid(page).waitFor();
      await page.getByRole('button', { name: 'Check everything now' }).click();

      const webRow = page.getByRole('row', { name: /Web front/ });
      const cacheRow = page.getByRole('row', { name: /Cache/ });
      await stateIs(webRow, 'Up', 15_000);
      await stateIs(cacheRow, 'Down', 15_000);
      await stateIs(page.getByRole('row', { name: /Queue/ }), 'Up');
      await expect(cacheRow.textContent()).resolves.toContain(
        `Refused: Nothing is listening on 127.0.0.1:${refusedPort}`,
      );
      await expect(cacheRow.textContent()).resolves.toContain(`127.0.0.1:${refusedPort}`);
      await expect(cacheRow.textContent()).resolves.toContain('Redis');
      // A monitor that is up has nothing to explain.
      await expect(webRow.textContent()).resolves.not.toMatch(/Refused|Nothing is listening/);

      // Group headers count their monitors by state; the counts at the top filter by state.
      await expect(page.getByRole('row', { name: /db-1/ }).textContent()).resolves.toMatch(
        /2 monitors · ✕ 1 down · ✓ 1 up/,
      );
      await page.getByRole('button', { name: '1 down' }).click();
      await expect(page.getByRole('button', { name: '1 down' }).getAttribute('aria-pressed')).resolves.toBe('true');
      await expect(page.getByRole('status').filter({ hasText: 'Showing' }).textContent()).resolves.toBe(
        'Showing 1 of 3 monitors',
      );
      expect(await page.getByRole('row', { name: /Web front/ }).count()).toBe(0);
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await webRow.waitFor();

      // The page asks for uptime and latency once a minute; reload until history has the checks.
      const sparkline = page.getByRole('img', { name: /^latency over 24 h: median/ });
      const deadline = Date.now() + 20_000;
      while ((await sparkline.count()) === 0) {
        if (Date.now() > deadline) {
          const shown = await page.getByRole('main').textContent();
          throw new Error(`no sparkline with data after 20 s of reloads; the page shows: ${shown}`);
        }
        await page.waitForTimeout(500);
        const stats = page.waitForResponse((r) => r.url().endsWith('/api/call/monitors.stats'));
        await page.reload();
        await stats;
        await webRow.locator('svg').waitFor();
      }
      await expect(webRow.getByRole('gridcell').nth(5).textContent()).resolves.toMatch(/^100\.00%$/);

      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'overview');
      // The dark theme keeps its contrast (the default theme follows the system).
      await page.emulateMedia({ colorScheme: 'dark' });
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'overview-dark');
      await page.emulateMedia({ colorScheme: 'light' });

      // Grouped by tier and by tag too; a monitor with two tags shows under both.
      await page.getByLabel('Group by').selectOption('tier');
      await page.getByRole('row', { name: /Tier 1 · critical/ }).waitFor();
      await page.getByLabel('Group by').selectOption('tag');
      await page.getByRole('row', { name: /shop/ }).first().waitFor();
      await expect(page.getByRole('row', { name: /^data/ }).count()).resolves.toBe(1);
      await page.getByLabel('Tier').selectOption('3');
      await expect(page.getByRole('status').filter({ hasText: 'Showing' }).textContent()).resolves.toBe(
        'Showing 1 of 3 monitors',
      );
      await page.getByRole('button', { name: 'Clear filters' }).click();
      expect(await seriousViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    });

    it('works with the keyboard alone: from the search box into the list, row to row, and Enter opens', async () => {
      const { page, problems } = await openUi(browser, serve);
      await grid(page).waitFor();
      const search = page.getByRole('searchbox', { name: 'Search' });
      await search.focus();

      // Tab goes through the toolbar to the list, landing on one row (roving tabindex).
      const stops: string[] = [];
      for (let i = 0; i < 12 && !(await focused(page)).startsWith('row'); i++) {
        await page.keyboard.press('Tab');
        stops.push(await focused(page));
      }
      expect(stops.at(-1)).toMatch(/^row: ▾\s*app-1/);
      expect(stops.filter((s) => s.startsWith('row'))).toHaveLength(1);

      await page.keyboard.press('ArrowDown');
      expect(await focused(page)).toMatch(/^row: .*Web front/);
      await page.keyboard.press('ArrowDown');
      expect(await focused(page)).toMatch(/^row: ▾\s*db-1/);
      await page.keyboard.press('ArrowDown');
      expect(await focused(page)).toMatch(/^row: .*Cache/);

      // Right reaches the row's link and then its button; Left comes back out.
      await page.keyboard.press('ArrowRight');
      expect(await focused(page)).toBe('a: Cache');
      await page.keyboard.press('ArrowRight');
      expect(await focused(page)).toBe('button: Check Cache now');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      expect(await focused(page)).toMatch(/^row: .*Cache/);

      await page.keyboard.press('End');
      expect(await focused(page)).toMatch(/^row: .*Queue/);
      await page.keyboard.press('Home');
      expect(await focused(page)).toMatch(/^row: ▾\s*app-1/);

      // Left on a monitor goes to its group; Left again closes it, Right opens it again.
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowLeft');
      expect(await focused(page)).toMatch(/^row: ▾\s*db-1/);
      await page.keyboard.press('ArrowLeft');
      expect(await focused(page)).toMatch(/^row: ▸\s*db-1/);
      expect(await page.getByRole('row', { name: /db-1/ }).getAttribute('aria-expanded')).toBe('false');
      expect(await page.getByRole('row', { name: /Queue/ }).count()).toBe(0);
      await page.keyboard.press('ArrowRight');
      await page.getByRole('row', { name: /Queue/ }).waitFor();
      expect(await focused(page)).toMatch(/^row: ▾\s*db-1/);

      // Tab leaves the list in one step, and Shift+Tab comes back to the same row.
      await page.keyboard.press('Tab');
      expect(await focused(page)).not.toMatch(/^row/);
      await page.keyboard.press('Shift+Tab');
      expect(await focused(page)).toMatch(/^row: ▾\s*db-1/);

      // A search narrows the list; the list is still reached by Tab, and Enter opens the monitor.
      await search.focus();
      await page.keyboard.type('cache');
      await page.getByRole('status').filter({ hasText: 'Showing 1 of 3 monitors' }).waitFor();
      for (let i = 0; i < 12 && !(await focused(page)).startsWith('row'); i++) await page.keyboard.press('Tab');
      expect(await focused(page)).toMatch(/^row: ▾\s*db-1/);
      await page.keyboard.press('ArrowDown');
      expect(await focused(page)).toMatch(/^row: .*Cache/);
      await page.keyboard.press('Enter');
      await page.waitForURL(/#\/monitor\/cache$/);
      await page.waitForFunction(`document.activeElement?.id === 'main'`);
      // Back on the overview, the list is as it was left.
      await page.goBack();
      await grid(page).waitFor();
      expect(await search.inputValue()).toBe('cache');
      expect(await page.getByRole('row', { name: /Queue/ }).count()).toBe(0);
      expect(problems).toEqual([]);
      await page.close();
    });
  });

  it('without monitors, says how to add one', async () => {
    const serve = await serveWith([]);
    try {
      const { page, problems } = await openUi(browser, serve);
      await page.getByText('No monitors yet.').waitFor();
      const links = page.getByRole('main').getByRole('link');
      await expect(links.filter({ hasText: 'Add a monitor' }).last().getAttribute('href')).resolves.toBe('#/new');
      await expect(
        page.getByRole('link', { name: 'Find services to watch in the inventory' }).getAttribute('href'),
      ).resolves.toBe('#/inventory');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'overview-empty');
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await serve.stop();
    }
  });

  describe('with 1,000 monitors', () => {
    let serve: Serve;
    let web: Awaited<ReturnType<typeof listen>>;
    beforeAll(async () => {
      web = await listen();
      const closed = [await closedPort(), await closedPort(), await closedPort()];
      const monitors: NewMonitorInput[] = [];
      for (let i = 0; i < 1000; i++) {
        // Loopback only; a long interval so serve checks each once, here and now.
        monitors.push({
          id: `m${String(i).padStart(4, '0')}`,
          name: `service ${String(i).padStart(4, '0')}`,
          kind: 'tcp',
          host: '127.0.0.1',
          port: i % 10 === 0 ? closed[i % 3]! : web.port,
          group: `rack-${String(i % 25).padStart(2, '0')}`,
          tier: ((i % 3) + 1) as 1 | 2 | 3,
          tags: [['web', 'db', 'cache', 'queue'][i % 4]!],
          intervalSec: 3600,
          retries: 0,
          timeoutMs: 2000,
        });
      }
      serve = await serveWith(monitors);
    });
    afterAll(async () => {
      await serve?.stop();
      await web?.close();
    });

    it('renders only the rows in view, quickly, and stays responsive through a check of everything', async () => {
      const { page, problems } = await openUi(browser, serve);
      await grid(page).locator('[role=row][data-index]').first().waitFor();
      const marks = await page.evaluate(() => {
        const at = (name: string): number | undefined => performance.getEntriesByName(name)[0]?.startTime;
        const list = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((e) =>
          e.name.endsWith('/api/call/monitors.list'),
        );
        return { data: at('overview:data'), list: at('overview:list'), listResponse: list?.responseEnd };
      });
      expect(marks.data).toBeDefined();
      expect(marks.list).toBeDefined();
      await page.waitForFunction(() => performance.getEntriesByName('overview:painted').length > 0);
      const painted = await page.evaluate(() => performance.getEntriesByName('overview:painted')[0]!.startTime);
      const fromData = marks.list! - marks.data!;
      console.log(
        `overview with 1000 monitors rendered in ${Math.round(marks.list!)} ms from navigation start ` +
          `(monitors.list answered at ${Math.round(marks.listResponse ?? NaN)} ms; ` +
          `${Math.round(fromData)} ms from data arrival to rendered list, ` +
          `${Math.round(painted - marks.data!)} ms to the next frame after it)`,
      );
      expect(fromData).toBeLessThan(1000);

      await expect(grid(page).getAttribute('aria-rowcount')).resolves.toBe(String(1000 + 25 + 1));
      const inDom = async (): Promise<number> => grid(page).locator('[role=row][data-index]').count();
      expect(await inDom()).toBeLessThan(100);

      // The keyboard reaches the very end of the list, and the DOM stays small there too.
      await grid(page).locator('[role=row][tabindex="0"]').focus();
      await page.keyboard.press('End');
      expect(await focused(page)).toMatch(/^row: .*service 0999/);
      expect(await focusInSight(page)).toBe(true);
      expect(await inDom()).toBeLessThan(100);
      await page.keyboard.press('PageUp');
      await page.keyboard.press('PageUp');
      expect(await focused(page)).toMatch(/^row: .*service/);
      expect(await focusInSight(page)).toBe(true);
      await page.keyboard.press('ArrowUp');
      expect(await focusInSight(page)).toBe(true);
      expect(await inDom()).toBeLessThan(100);
      await screenshot(page, 'overview-1000-keyboard');

      // A thousand results arrive within seconds: the page keeps up without long stalls.
      // Long tasks (50 ms or more) on the page's main thread, the longest kept.
      await page.evaluate(`window.longest = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) window.longest = Math.max(window.longest, e.duration);
        }).observe({ type: 'longtask' });`);
      await page.getByRole('button', { name: 'Check everything now' }).click();
      await page.waitForTimeout(4000);
      const longest = (await page.evaluate('window.longest')) as number;
      expect(await page.evaluate(`PerformanceObserver.supportedEntryTypes.includes('longtask')`)).toBe(true);
      console.log(
        `overview with 1000 monitors: longest main-thread task during "check everything" ${Math.round(longest)} ms`,
      );
      await page.getByRole('button', { name: /^100 down$/ }).waitFor({ timeout: 15_000 });
      expect(await inDom()).toBeLessThan(100);

      await grid(page).locator('[role=row][tabindex="0"]').focus();
      await page.keyboard.press('Home');
      await screenshot(page, 'overview-1000');
      expect(problems).toEqual([]);
      await page.close();
    });
  });
});
