// The window, tested as a user meets it: Debian's Chromium, driven by playwright-core, against
// `portwatch serve` with a throwaway config folder, on loopback only.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { BIN } from '../helpers/cli';
import { waitFor } from '../helpers/monitors';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');

export interface Serve {
  /** http://127.0.0.1:<port> */
  base: string;
  token: string;
  /** The PORTWATCH_HOME of this run. */
  dir: string;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

export async function startServe(dir = mkdtempSync(join(tmpdir(), 'pw-ui-'))): Promise<Serve> {
  const token = `ui-test-token-${process.pid}-${Date.now()}`;
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
    env: { ...process.env, PORTWATCH_HOME: dir, PORTWATCH_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor(() => /on (http:\S+)/.test(out) || child.exitCode !== null, 15_000, 'serve to start');
  const base = (/on (http:\S+)/.exec(out)?.[1] ?? '').replace(/\/$/, '');
  if (!base) throw new Error(`serve did not start:\n${out}`);
  return {
    base,
    token,
    dir,
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface UiPage {
  page: Page;
  /** Console errors and CSP refusals seen so far: a working page has none. */
  problems: string[];
}

/** Opens the UI as `serve` tells a user to: its address with ?token=. */
export async function openUi(browser: Browser, serve: Serve, hash = '#/'): Promise<UiPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${serve.base}/?token=${serve.token}${hash}`);
  return { page, problems };
}

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Serious and critical accessibility violations on the page as it is now (axe-core, WCAG 2.1 A
 * and AA rules). Evaluated over the DevTools protocol, which the page's CSP does not govern.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  const violations = (await page.evaluate(`${AXE}
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
      .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`)) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Kept as a test artifact in test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
