import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { openCliConfig } from '../../main/core/config/store';
import { historyFile } from '../../main/core/config/paths';
import { openHistory } from '../../main/core/history/db';
import { BIN } from '../helpers/cli';
import { listen } from '../helpers/net';
import { waitFor } from '../helpers/monitors';

const TOKEN = 'crash-test-token-0123456789';

describe('killed with SIGKILL while it writes', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('loses at most what was in flight; the config and the database stay sound', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-crash-'));
    dirs.push(dir);
    const open = await listen();
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
      env: { ...process.env, PORTWATCH_HOME: dir, PORTWATCH_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => /on (http:\S+)/.test(out), 10_000, 'serve to start');
    const base = (/on (http:\S+)/.exec(out)?.[1] ?? '').replace(/\/$/, '');
    const post = (path: string, body?: unknown) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });

    const seen: { monitorId: string; at: number }[] = [];
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/events?token=${TOKEN}`);
    ws.on('message', (d: Buffer) => {
      const msg = JSON.parse(d.toString()) as {
        events?: { type: string; monitorId: string; state: { last?: { at: number } } }[];
      };
      for (const e of msg.events ?? [])
        if (e.type === 'result' && e.state.last) seen.push({ monitorId: e.monitorId, at: e.state.last.at });
    });
    await new Promise((r) => ws.once('open', r));

    // Config writes and result writes going on together, until the kill.
    let acknowledged = 0;
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await post('/api/monitors', {
            name: `svc ${i}`,
            kind: 'tcp',
            host: '127.0.0.1',
            port: open.port,
          });
          if (res.ok) acknowledged++;
          await post('/api/check-all');
        } catch {
          return;
        }
      }
    })();
    await waitFor(() => acknowledged >= 40 && seen.length >= 20, 30_000, 'writes to pile up');
    // Listen for the exit before killing: it can come while the writer is still winding down.
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    stop = true;
    await writer;
    await exited;
    ws.terminate();
    await open.close();

    const config = await openCliConfig(dir);
    expect(config.report.problems).toEqual([]);
    expect(config.monitors().length).toBeGreaterThanOrEqual(acknowledged);
    expect(config.monitors().length).toBeLessThanOrEqual(acknowledged + 1);

    const history = openHistory(historyFile(dir));
    try {
      expect(history.integrityCheck()).toBe('ok');
      // Every result the engine announced had been committed before it was announced.
      const stored = new Set<string>();
      for (const id of new Set(seen.map((s) => s.monitorId))) {
        for (const r of history.recentResults(id, 10_000)) stored.add(`${id}@${Math.floor(r.at / 1000)}`);
      }
      const missing = seen.filter((s) => !stored.has(`${s.monitorId}@${Math.floor(s.at / 1000)}`));
      expect(missing).toEqual([]);
    } finally {
      history.close();
    }
  });
});
