import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { telegramChannel } from '../../main/core/alerts/channels/telegram';
import { SIGNATURE_HEADER, verifySignature, webhookChannel } from '../../main/core/alerts/channels/webhook';
import { Outbox } from '../../main/core/alerts/outbox';
import { AlertPipeline } from '../../main/core/alerts/pipeline';
import { Quiet } from '../../main/core/alerts/quiet';
import { DEFAULT_ROUTING, type AlertRouting } from '../../main/core/alerts/router';
import type { Alert, Channel } from '../../main/core/alerts/types';
import { systemClock } from '../../main/core/clock';
import { Engine } from '../../main/core/engine';
import { openHistory, type History } from '../../main/core/history/db';
import type { Monitor } from '../../shared/monitor';
import { monitor, waitFor } from '../helpers/monitors';
import { httpReceiver, telegramApi, type HttpReceiver } from '../helpers/receivers';

// The whole alert path for real: the engine checks loopback listeners on the system clock, the
// pipeline turns its transitions into alerts, the outbox stores them in SQLite and the real
// channels post them to a loopback webhook receiver (checking the signature) and a fake Bot API.

const SECRET = 'pipeline-webhook-secret';
const TOKEN = '123456789:AAH-pipeline-token';
const CHAT = '-1001234567890';
const STORM_MS = 300;
/**
 * For the storm: the monitors fail together, but each confirms at its retry (1 s later) or at its
 * next planned run if that comes sooner, so confirmations spread over up to 1 s; the window
 * must be longer than that.
 */
const HOST_STORM_MS = 1500;

/** Tier 1 goes to desktop, telegram and email by default; here to the two channels configured. */
const ROUTING: AlertRouting = { ...DEFAULT_ROUTING, tiers: { ...DEFAULT_ROUTING.tiers, 1: ['telegram', 'webhook'] } };

const signatureOf = (headers: IncomingHttpHeaders): string | undefined => {
  const v = headers[SIGNATURE_HEADER.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Long enough after an alert is due for a second, wrong one to have arrived too. */
const settle = (r: Rig): Promise<void> => sleep(r.stormMs + 700);

const closeServer = (s: Server): Promise<void> => new Promise((r) => s.close(() => r()));
const portOf = (s: Server): number => (s.address() as { port: number }).port;

interface Rig {
  engine: Engine;
  quiet: Quiet;
  /** Alerts the webhook receiver got, each with a valid signature. */
  hooks: () => Alert[];
  /** Texts of the messages the Bot API got. */
  texts: () => string[];
  /** The pipeline's storm window. */
  stormMs: number;
  /** Status of the monitor now. */
  status: (m: Monitor) => string | undefined;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A loopback TCP listener (closed after the test, if the test has not closed it). */
const listenOn = (port: number): Promise<Server> =>
  new Promise((resolve, reject) => {
    const s = createServer((c) => c.destroy());
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => {
      cleanups.push(() => closeServer(s));
      resolve(s);
    });
  });

async function rig(monitors: Monitor[], stormMs = STORM_MS): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'pw-alert-pipeline-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const history: History = openHistory(join(dir, 'history.sqlite'));
  cleanups.push(() => history.close());

  const hook: HttpReceiver = await httpReceiver((req, res) => {
    const ok = verifySignature(SECRET, req.raw, signatureOf(req.headers));
    res.writeHead(ok ? 200 : 401).end(ok ? 'ok' : 'bad signature');
  });
  const telegram: HttpReceiver = await telegramApi({ token: TOKEN, chat: CHAT });
  cleanups.push(
    () => hook.close(),
    () => telegram.close(),
  );

  const channels: Channel[] = [
    webhookChannel({ id: 'ops-hook', url: `${hook.base}/alerts`, secret: SECRET, format: 'json' }),
    telegramChannel({ id: 'ops-telegram', botToken: TOKEN, chatId: CHAT, apiBase: telegram.base }),
  ];
  const outbox = new Outbox(history.db, systemClock, new Map(channels.map((c) => [c.id, c])));
  outbox.start();
  cleanups.push(() => outbox.stop());

  const engine = new Engine({ history });
  const quiet = new Quiet();
  const byId = new Map(monitors.map((m) => [m.id, m]));
  const pipeline = new AlertPipeline({
    engine,
    monitorOf: (id) => byId.get(id),
    outbox,
    channels,
    quiet,
    clock: systemClock,
    routing: ROUTING,
    stormWindowMs: stormMs,
  });
  cleanups.push(() => pipeline.stop());
  cleanups.push(() => engine.stop());

  engine.setMonitors(monitors);
  for (const m of monitors) engine.checkNow(m.id);
  const status = (m: Monitor): string | undefined => engine.state(m.id)?.status;
  await waitFor(() => monitors.every((m) => status(m) === 'up'), 5000, 'every monitor up');

  return {
    engine,
    quiet,
    stormMs,
    hooks: () => {
      // Every request the receiver got carried a valid signature over the exact bytes sent.
      for (const r of hook.requests) expect(verifySignature(SECRET, r.raw, signatureOf(r.headers))).toBe(true);
      return hook.requests.map((r) => JSON.parse(r.raw.toString('utf8')) as Alert);
    },
    texts: () => telegram.requests.map((r) => String((JSON.parse(r.raw.toString('utf8')) as { text: unknown }).text)),
    status,
  };
}

/** Stops the listeners and asks for a check at once, rather than at the next 5 s interval. */
async function stop(r: Rig, servers: Server[], monitors: Monitor[]): Promise<void> {
  await Promise.all(servers.map(closeServer));
  for (const m of monitors) r.engine.checkNow(m.id);
}

describe('alert pipeline: engine -> quiet -> storm -> router -> outbox -> channels', () => {
  it('alerts once per channel after the outage is confirmed, and once per channel when it recovers', async () => {
    const server = await listenOn(0);
    const port = portOf(server);
    const m = monitor({ port, name: 'postgres' });
    const r = await rig([m]);
    let downAt = 0;
    r.engine.subscribe((e) => {
      if (e.type === 'transition' && e.transition.to === 'down') downAt = e.transition.at;
    });

    await stop(r, [server], [m]);
    await waitFor(() => r.status(m) === 'pending', 5000, 'pending');
    // One failed check is not an outage: nothing goes out while it waits for the retry (1 s).
    await sleep(500);
    expect(r.status(m)).toBe('pending');
    expect(r.hooks()).toEqual([]);
    expect(r.texts()).toEqual([]);

    await waitFor(() => r.status(m) === 'down', 3000, 'down');
    await waitFor(() => r.hooks().length > 0 && r.texts().length > 0, 5000, 'the down alert on both channels');
    await settle(r);
    const [down, ...moreHooks] = r.hooks();
    expect(moreHooks).toEqual([]);
    expect(down).toMatchObject({ kind: 'down', severity: 'critical', tier: 1, at: downAt });
    expect(down?.subjects).toEqual([{ monitorId: m.id, name: 'postgres', host: '127.0.0.1', port }]);
    expect(down?.title).toBe(`postgres (127.0.0.1:${port}) is DOWN`);
    expect(r.texts()).toHaveLength(1);
    expect(r.texts()[0]).toContain(`postgres (127.0.0.1:${port}) is DOWN`);
    expect(r.texts()[0]).toContain('Nothing is listening');

    await listenOn(port);
    r.engine.checkNow(m.id);
    await waitFor(() => r.status(m) === 'up', 5000, 'up again');
    await waitFor(() => r.hooks().length > 1 && r.texts().length > 1, 5000, 'the recovery on both channels');
    await settle(r);
    expect(r.hooks().map((a) => a.kind)).toEqual(['down', 'recovered']);
    expect(r.texts()).toHaveLength(2);
    expect(r.texts()[1]).toContain(`postgres (127.0.0.1:${port}) recovered`);
  });

  it('sends nothing while snoozed; after the snooze the recovery still goes out', async () => {
    const server = await listenOn(0);
    const port = portOf(server);
    const m = monitor({ port, name: 'redis' });
    const r = await rig([m]);
    r.quiet.snooze('1h', Date.now());

    await stop(r, [server], [m]);
    await waitFor(() => r.status(m) === 'down', 5000, 'down while snoozed');
    await settle(r);
    expect(r.hooks()).toEqual([]);
    expect(r.texts()).toEqual([]);

    // The pipeline was alive all along: once the snooze is over, the next change alerts.
    r.quiet.unsnooze();
    await listenOn(port);
    r.engine.checkNow(m.id);
    await waitFor(() => r.hooks().length > 0 && r.texts().length > 0, 5000, 'the recovery on both channels');
    await settle(r);
    expect(r.hooks().map((a) => [a.kind, a.subjects.map((s) => s.port)])).toEqual([['recovered', [port]]]);
    expect(r.texts()).toHaveLength(1);
  });

  it('sends nothing for a monitor in a maintenance window, while a monitor outside it still alerts', async () => {
    const servers = [await listenOn(0), await listenOn(0)];
    const [inWindow, outside] = servers.map((s, i) => monitor({ port: portOf(s), name: `svc-${i}` })) as [
      Monitor,
      Monitor,
    ];
    const r = await rig([inWindow, outside]);
    const now = Date.now();
    r.quiet.setWindows([
      { id: 'upgrade', scope: { monitorId: inWindow.id }, kind: 'once', start: now - 1000, end: now + 60_000 },
    ]);

    await stop(r, servers, [inWindow, outside]);
    await waitFor(() => r.status(inWindow) === 'down' && r.status(outside) === 'down', 5000, 'both down');
    await waitFor(() => r.hooks().length > 0 && r.texts().length > 0, 5000, 'an alert on both channels');
    await settle(r);
    expect(r.hooks().map((a) => [a.kind, a.subjects.map((s) => s.monitorId)])).toEqual([['down', [outside.id]]]);
    expect(r.texts()).toHaveLength(1);
    expect(r.texts()[0]).not.toContain(inWindow.name);
  });

  it('five ports of one host stopping together give one grouped alert per channel, not five', async () => {
    const servers = await Promise.all([0, 1, 2, 3, 4].map(() => listenOn(0)));
    const ports = servers.map(portOf).sort((a, b) => a - b);
    const monitors = ports.map((port, i) => monitor({ port, name: `svc-${i}` }));
    const r = await rig(monitors, HOST_STORM_MS);

    await stop(r, servers, monitors);
    await waitFor(() => monitors.every((m) => r.status(m) === 'down'), 5000, 'all five down');
    await waitFor(() => r.hooks().length > 0 && r.texts().length > 0, 5000, 'an alert on both channels');
    await settle(r);

    const hooks = r.hooks();
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({ kind: 'down', title: `127.0.0.1: 5 services down (${ports.join(', ')})` });
    expect(hooks[0]?.subjects.map((s) => s.port)).toEqual(ports);
    const texts = r.texts();
    expect(texts).toHaveLength(1);
    for (const port of ports) expect(texts[0]).toContain(String(port));
    expect(texts[0]).toContain('5 services down');
  });
});
