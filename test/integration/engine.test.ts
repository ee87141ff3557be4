import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { Engine, type EngineEvent } from '../../main/core/engine';
import { openHistory } from '../../main/core/history/db';
import type { History } from '../../main/core/history/repo';
import { monitor, waitFor } from '../helpers/monitors';

const listenOn = (port: number): Promise<Server> =>
  new Promise((resolve, reject) => {
    const s = createServer((c) => c.destroy());
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
const closeServer = (s: Server): Promise<void> => new Promise((r) => s.close(() => r()));

describe('engine against real loopback listeners', () => {
  let dir: string;
  let history: History | undefined;
  let engine: Engine | undefined;

  afterEach(async () => {
    await engine?.stop();
    history?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('goes pending -> down when a listener stops, up when it returns, with the incident in SQLite', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pw-engine-'));
    history = openHistory(join(dir, 'history.sqlite'));
    let server = await listenOn(0);
    const port = (server.address() as { port: number }).port;
    const m = monitor({ port, name: 'postgres' });
    engine = new Engine({ history, flushMs: 50 });
    const statuses: string[] = [];
    const events: EngineEvent[] = [];
    engine.subscribe((e) => {
      events.push(e);
      if (e.type === 'transition') statuses.push(e.transition.to);
    });
    engine.setMonitors([m]);
    engine.checkNow(m.id);
    await waitFor(() => engine?.state(m.id)?.status === 'up', 5000, 'up');

    await closeServer(server);
    engine.checkNow(m.id);
    await waitFor(() => engine?.state(m.id)?.status === 'pending', 5000, 'pending');
    // The retry comes at the retry interval (1 s), sooner than the 5 s interval, and confirms.
    await waitFor(() => engine?.state(m.id)?.status === 'down', 3000, 'down');
    const down = engine.state(m.id);
    expect(down?.last?.outcome).toBe('refused');
    expect(down?.incident?.diagnosis).toMatch(/Nothing is listening/);

    server = await listenOn(port);
    engine.checkNow(m.id);
    await waitFor(() => engine?.state(m.id)?.status === 'up', 5000, 'up again');
    await closeServer(server);
    engine.flush();

    expect(statuses).toEqual(['up', 'pending', 'down', 'up']);
    const incidents = history.incidents({ monitorId: m.id });
    expect(incidents).toHaveLength(1);
    const [incident] = incidents;
    expect(incident?.outcome).toBe('refused');
    expect(incident?.endedAt).toBeGreaterThan(incident?.startedAt ?? Infinity);
    // The incident began at the first failed attempt, not when it was confirmed.
    expect(incident?.confirmedAt).toBeGreaterThan(incident?.startedAt ?? Infinity);
    // History keeps one result per monitor and second, so checks run back to back may merge.
    const stored = history.recentResults(m.id, 10);
    expect(stored[0]?.outcome).toBe('ok');
    expect(stored.find((r) => r.outcome === 'refused')?.diagnosis).toMatch(/Nothing is listening/);
    expect(history.openIncidents()).toHaveLength(0);
  });

  it('after a restart, a monitor that was down keeps its open incident and recovers it once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pw-engine-'));
    const file = join(dir, 'history.sqlite');
    history = openHistory(file);
    const server = await listenOn(0);
    const port = (server.address() as { port: number }).port;
    await closeServer(server);
    const m = monitor({ port, retries: 0 });
    engine = new Engine({ history, flushMs: 50 });
    engine.setMonitors([m]);
    engine.checkNow(m.id);
    await waitFor(() => engine?.state(m.id)?.status === 'down', 5000, 'down');
    await engine.stop();
    history.close();

    history = openHistory(file);
    engine = new Engine({ history, flushMs: 50 });
    const opened: EngineEvent[] = [];
    engine.subscribe((e) => e.type === 'transition' && e.transition.incident && opened.push(e));
    engine.setMonitors([m]);
    expect(engine.state(m.id)?.status).toBe('down');
    const back = await listenOn(port);
    engine.checkNow(m.id);
    await waitFor(() => engine?.state(m.id)?.status === 'up', 5000, 'up');
    await closeServer(back);
    expect(opened.map((e) => (e.type === 'transition' ? e.transition.incident?.action : ''))).toEqual(['closed']);
    expect(history.incidents({ monitorId: m.id })).toHaveLength(1);
    expect(history.openIncidents()).toHaveLength(0);
  });
});
