import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, screenshot, seriousViolations } from '../e2e/harness';
import type { OutboxEntry } from '../../shared/alerts';
import type { MonitorView } from '../../shared/api';
import type { SourceView, TargetVerdict, VantageOverview } from '../../shared/vantage';
import { BIN } from '../helpers/cli';
import { closedPort, listen } from '../helpers/net';
import { waitFor } from '../helpers/monitors';

// Two real `portwatch serve` instances, A and B, each in a network namespace of its own, both
// watching one TCP listener of the root namespace; a firewall rule inside B's namespace drops
// B's packets to it. Each has the other as a source. The firewall is only on B's path, so the
// target must read "reachable from A, not from B", and B must hold its down alert; when B stops,
// A must say B is unreachable, not that the target went down.
//
//   root ns: target 10.200.71.1 ── pwv-a0/pwv-a1 ── pwv-a: A (10.200.71.2, 10.200.73.1)
//            10.200.72.1        ── pwv-b0/pwv-b1 ── pwv-b: B (10.200.72.2, 10.200.73.2)
//   pwv-a ── pwv-ab0/pwv-ab1 ── pwv-b: how A and B reach each other's API, with no forwarding in root.

const NS = { a: 'pwv-a', b: 'pwv-b' } as const;
const TARGET = '10.200.71.1';
const ADDR = { a: '10.200.71.2', b: '10.200.72.2', aPeer: '10.200.73.1', bPeer: '10.200.73.2' } as const;
const TOKEN = { a: 'vantage-token-a-0123456789', b: 'vantage-token-b-0123456789' } as const;
const STORM_MS = 10_000;

const sh = (cmd: string, ...args: string[]): void => void execFileSync(cmd, args, { stdio: 'pipe' });
/** For cleanup: what is already gone is fine. */
const quietly = (cmd: string, ...args: string[]): void => {
  try {
    sh(cmd, ...args);
  } catch {
    // already removed, or never made
  }
};

function buildNetwork(): void {
  sh('ip', 'netns', 'add', NS.a);
  sh('ip', 'netns', 'add', NS.b);
  sh('ip', 'link', 'add', 'pwv-a0', 'type', 'veth', 'peer', 'name', 'pwv-a1', 'netns', NS.a);
  sh('ip', 'link', 'add', 'pwv-b0', 'type', 'veth', 'peer', 'name', 'pwv-b1', 'netns', NS.b);
  sh('ip', '-n', NS.a, 'link', 'add', 'pwv-ab0', 'type', 'veth', 'peer', 'name', 'pwv-ab1', 'netns', NS.b);
  sh('ip', 'addr', 'add', `${TARGET}/24`, 'dev', 'pwv-a0');
  sh('ip', 'addr', 'add', '10.200.72.1/24', 'dev', 'pwv-b0');
  sh('ip', 'link', 'set', 'pwv-a0', 'up');
  sh('ip', 'link', 'set', 'pwv-b0', 'up');
  sh('ip', '-n', NS.a, 'addr', 'add', `${ADDR.a}/24`, 'dev', 'pwv-a1');
  sh('ip', '-n', NS.a, 'addr', 'add', `${ADDR.aPeer}/24`, 'dev', 'pwv-ab0');
  sh('ip', '-n', NS.b, 'addr', 'add', `${ADDR.b}/24`, 'dev', 'pwv-b1');
  sh('ip', '-n', NS.b, 'addr', 'add', `${ADDR.bPeer}/24`, 'dev', 'pwv-ab1');
  for (const [ns, devs] of [
    [NS.a, ['lo', 'pwv-a1', 'pwv-ab0']],
    [NS.b, ['lo', 'pwv-b1', 'pwv-ab1']],
  ] as const)
    for (const dev of devs) sh('ip', '-n', ns, 'link', 'set', dev, 'up');
  // B reaches the target through the root namespace, which owns the address: delivered, not forwarded.
  sh('ip', '-n', NS.b, 'route', 'add', `${TARGET}/32`, 'via', '10.200.72.1');
}

function tearDownNetwork(): void {
  quietly('ip', 'netns', 'del', NS.a);
  quietly('ip', 'netns', 'del', NS.b);
  quietly('ip', 'link', 'del', 'pwv-a0');
  quietly('ip', 'link', 'del', 'pwv-b0');
}

interface Instance {
  name: 'A' | 'B';
  dir: string;
  child: ChildProcess;
  base: string;
  token: string;
  stdout: () => string;
}

/** `portwatch serve` inside `ns`, with a host name of its own (its default vantage name, as on a real machine). */
async function serveIn(ns: string, name: 'A' | 'B', address: string, token: string): Promise<Instance> {
  const dir = mkdtempSync(join(tmpdir(), `pw-vantage-${name}-`));
  const child = spawn(
    'ip',
    [
      ...['netns', 'exec', ns, 'unshare', '--uts', '--', 'sh', '-c', 'hostname "$1" && shift && exec "$@"', 'sh'],
      ...[name, process.execPath, BIN, 'serve', '--host', '0.0.0.0', '--allow-remote', '--port', '0'],
      ...['--vantage', name],
    ],
    { env: { ...process.env, PORTWATCH_HOME: dir, PORTWATCH_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor(() => /serving .* on http:\/\/\S+:(\d+)\//.test(out) || child.exitCode !== null, 15_000, `${name}`);
  const port = /serving .* on http:\/\/\S+:(\d+)\//.exec(out)?.[1];
  if (!port) throw new Error(`serve ${name} did not start: ${out}`);
  return { name, dir, child, base: `http://${address}:${port}`, token, stdout: () => out };
}

async function stop(i: Instance | undefined): Promise<void> {
  if (!i || i.child.exitCode !== null || i.child.signalCode !== null) return;
  const exited = new Promise((r) => i.child.once('exit', r));
  i.child.kill('SIGTERM');
  const late = setTimeout(() => i.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(late);
}

async function call<T>(i: Instance, name: string, ...args: unknown[]): Promise<T> {
  const res = await fetch(`${i.base}/api/call/${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${i.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ args }),
  });
  const body = (await res.json()) as { ok: boolean; value?: T; error?: string };
  if (!body.ok) throw new Error(`${i.name} ${name}: ${body.error}`);
  return body.value as T;
}

const targetIn = (o: VantageOverview, port: number): TargetVerdict | undefined =>
  o.targets.find((t) => t.host === TARGET && t.port === port);

/** Polls `probe` until `done` holds for its answer; returns that answer. */
async function until<T>(probe: () => Promise<T>, done: (v: T) => boolean, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('vantage points: other instances as sources', () => {
  let a: Instance | undefined;
  let b: Instance | undefined;
  let target: Awaited<ReturnType<typeof listen>> | undefined;
  let closed = 0;
  let dropRule: string[] = [];
  const ids = { bTarget: '', bClosed: '' };

  beforeAll(async () => {
    sh(process.execPath, 'build.config.mjs', 'cli');
    tearDownNetwork(); // what a crashed earlier run may have left
    buildNetwork();
    target = await listen((s) => s.end(), TARGET);
    closed = await closedPort(TARGET);
    // The firewall between B and the target: B's packets to the target's port go nowhere.
    dropRule = ['OUTPUT', '-d', TARGET, '-p', 'tcp', '--dport', String(target.port), '-j', 'DROP'];
    sh('ip', 'netns', 'exec', NS.b, 'iptables', '-w', '-A', ...dropRule);
    [a, b] = await Promise.all([serveIn(NS.a, 'A', ADDR.a, TOKEN.a), serveIn(NS.b, 'B', ADDR.b, TOKEN.b)]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([stop(a), stop(b)]);
    if (dropRule.length) quietly('ip', 'netns', 'exec', NS.b, 'iptables', '-w', '-D', ...dropRule);
    tearDownNetwork();
    await target?.close();
    for (const i of [a, b]) if (i) rmSync(i.dir, { recursive: true, force: true });
  });

  it('adds each as a source of the other, keeping the token sealed', async () => {
    if (!a || !b) throw new Error('the instances did not start');
    const saved = await call<SourceView>(a, 'sources.save', {
      name: 'B',
      url: `http://${ADDR.bPeer}:${new URL(b.base).port}`,
      token: TOKEN.b,
    });
    expect(saved).toMatchObject({ id: 'b', name: 'B', token: '(sealed)' });
    await call(b, 'sources.save', { name: 'A', url: `http://${ADDR.aPeer}:${new URL(a.base).port}/?token=${TOKEN.a}` });

    const listed = await until(
      () => call<SourceView[]>(a as Instance, 'sources.list'),
      (l) => l[0]?.state.status === 'ok',
      15_000,
      'A to reach B',
    );
    expect(listed).toMatchObject([
      { name: 'B', url: `http://${ADDR.bPeer}:${new URL(b.base).port}/`, token: '(sealed)' },
    ]);
    await until(
      () => call<SourceView[]>(b as Instance, 'sources.list'),
      (l) => l[0]?.state.status === 'ok',
      15_000,
      'B to reach A',
    );
    // A wrong token is named as such, not as a network fault.
    const wrong = await call<SourceView>(b, 'sources.save', {
      name: 'stale',
      url: `http://${ADDR.aPeer}:${new URL(a.base).port}`,
      token: 'not-the-token-of-a-0123',
    });
    const refused = await until(
      () => call<SourceView[]>(b as Instance, 'sources.list'),
      (l) => l.find((s) => s.id === wrong.id)?.state.status === 'unreachable',
      15_000,
      'B to be refused by A',
    );
    expect(refused.find((s) => s.id === wrong.id)?.state).toMatchObject({
      reason: 'the token was refused (401): enter the token its portwatch serve printed',
    });
    await call(b, 'sources.remove', wrong.id);
    expect((await call<SourceView[]>(b, 'sources.list')).map((s) => s.name)).toEqual(['A']);

    const file = readFileSync(join(a.dir, 'config.json'), 'utf8');
    expect(file).not.toContain(TOKEN.b);
    expect(file).toMatch(/"token": "pw-key:v1:/);
    expect(JSON.stringify(await call(b, 'settings.get'))).not.toContain(TOKEN.a);
  }, 40_000);

  it('shows a target blocked on B only as reachable from A, not from B, and holds B down alert', async () => {
    if (!a || !b || !target) throw new Error('the instances did not start');
    const watch = {
      kind: 'tcp',
      host: TARGET,
      tier: 1,
      intervalSec: 5,
      retries: 1,
      retryIntervalSec: 1,
      timeoutMs: 500,
    };
    const blocked = { ...watch, name: 'target', port: target.port, alertChannels: ['webhook'] };
    const refused = { ...watch, name: 'closed', port: closed, alertChannels: ['webhook'] };
    await call(a, 'monitors.add', blocked);
    await call(a, 'monitors.add', refused);
    // B hears from A that the target is up before its own monitor of it can fail.
    await until(
      () => call<VantageOverview>(b as Instance, 'vantage.overview'),
      (o) => targetIn(o, target?.port ?? 0)?.seen.some((s) => s.vantage === 'A' && s.status === 'up') ?? false,
      20_000,
      'B to see the target up from A',
    );
    // Somewhere for B's alerts to be queued; nothing listens there, which does not matter here.
    await call(b, 'alerts.saveChannel', { id: 'hook', kind: 'webhook', url: 'http://127.0.0.1:9/hook' });
    ids.bTarget = (await call<{ id: string }>(b, 'monitors.add', blocked)).id;
    ids.bClosed = (await call<{ id: string }>(b, 'monitors.add', refused)).id;

    const onB = await until(
      () => call<VantageOverview>(b as Instance, 'vantage.overview'),
      (o) => targetIn(o, target?.port ?? 0)?.kind === 'split' && targetIn(o, closed)?.kind === 'down',
      30_000,
      'B to see the split, and the closed port down from both',
    );
    const split = targetIn(onB, target.port);
    expect(onB.here).toBe('B');
    expect(split).toMatchObject({
      summary: 'reachable from A, not from B',
      reachableFrom: ['A'],
      notReachableFrom: ['B'],
      unknownFrom: [],
    });
    expect(split?.hint).toMatch(/answers A, so the service is running.*firewall DROP rule/);
    expect(split?.hint).toMatch(/B sees down since .*timeout/);
    // The closed port fails from both: that one is an outage, and is alerted.
    expect(targetIn(onB, closed)).toMatchObject({ kind: 'down', summary: 'down everywhere' });
    const onA = await until(
      () => call<VantageOverview>(a as Instance, 'vantage.overview'),
      (o) => targetIn(o, target?.port ?? 0)?.kind === 'split',
      15_000,
      'A to see the split',
    );
    expect(targetIn(onA, target.port)?.summary).toBe('reachable from A, not from B');

    // Long enough for B's down of the target to have reached the outbox, had it not been held.
    const held = (await call<MonitorView>(b, 'monitors.get', ids.bTarget)).state;
    expect(held?.status).toBe('down');
    const downAt = held?.since ?? 0;
    const outbox = await until(
      () => call<OutboxEntry[]>(b as Instance, 'alerts.outbox'),
      (l) => Date.now() > downAt + STORM_MS + 2000 && l.some((e) => subjects(e).includes(ids.bClosed)),
      40_000,
      "B's down alert for the closed port",
    );
    expect(outbox.filter((e) => subjects(e).includes(ids.bTarget))).toEqual([]);
    expect(outbox.find((e) => subjects(e).includes(ids.bClosed))?.alert.kind).toBe('down');
  }, 120_000);

  it('shows the split in the window too, as a person at A sees it', async () => {
    if (!a || !target) throw new Error('A did not start');
    const browser = await launch();
    try {
      const page = await browser.newPage();
      await page.goto(`${a.base}/?token=${TOKEN.a}#/`);
      const panel = page.getByRole('region', { name: 'Seen from other places' });
      await panel.getByText('reachable from A, not from B').first().waitFor({ timeout: 15_000 });
      expect(await panel.textContent()).toMatch(/firewall DROP rule/);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'vantage-split');
    } finally {
      await browser.close();
    }
  }, 40_000);

  it('sends the held down alert once the setting no longer asks every vantage point to agree', async () => {
    if (!b) throw new Error('B did not start');
    await call(b, 'settings.update', { alertOnlyWhenAllVantagesAgree: false });
    const outbox = await until(
      () => call<OutboxEntry[]>(b as Instance, 'alerts.outbox'),
      (l) => l.some((e) => subjects(e).includes(ids.bTarget)),
      40_000,
      "B's held down alert",
    );
    expect(outbox.find((e) => subjects(e).includes(ids.bTarget))?.alert).toMatchObject({
      kind: 'down',
      title: expect.stringMatching(/target .* is DOWN/),
    });
  }, 60_000);

  it('when B stops answering, A shows B unreachable and its targets unknown, not down', async () => {
    if (!a || !target) throw new Error('A did not start');
    await stop(b);
    const onA = await until(
      () => call<VantageOverview>(a as Instance, 'vantage.overview'),
      (o) => o.sources[0]?.state.status === 'unreachable',
      20_000,
      'A to notice B is gone',
    );
    const state = onA.sources[0]?.state;
    expect(state).toMatchObject({
      status: 'unreachable',
      reason: `connection refused at ${ADDR.bPeer}:${new URL(b?.base ?? '').port} (is portwatch serve running there?)`,
    });
    const t = targetIn(onA, target.port);
    // B's last word on the target was "down"; silence must not repeat it.
    expect(t).toMatchObject({
      kind: 'unknown',
      summary: 'unknown from B (up from A)',
      reachableFrom: ['A'],
      notReachableFrom: [],
      unknownFrom: ['B'],
    });
    expect(t?.seen.find((s) => s.vantage === 'B')).toMatchObject({
      status: 'unknown',
      detail: expect.stringMatching(/^B has not answered since \S+: connection refused/),
    });
    expect(targetIn(onA, closed)?.summary).toBe('unknown from B (down from A)');
  }, 40_000);
});

const subjects = (e: OutboxEntry): string[] => e.alert.subjects.map((s) => s.monitorId);
