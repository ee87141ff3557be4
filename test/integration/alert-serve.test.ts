import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { saveChannel } from '../../main/core/alerts/channel-store';
import { openCliConfig } from '../../main/core/config/store';
import { historyFile, keyFile } from '../../main/core/config/paths';
import { keyFileBox } from '../../main/core/secrets';
import { BIN } from '../helpers/cli';
import { waitFor } from '../helpers/monitors';
import { closedPort, listen } from '../helpers/net';
import { telegramApi, type HttpReceiver } from '../helpers/receivers';

// `portwatch serve` with a Telegram channel, for real: a loopback service stops, the alert is
// stored, the Bot API cannot be reached yet, the process is killed with SIGKILL. After a
// restart (the Bot API now up) the alert arrives exactly once, and the recovery follows.

const BOT_TOKEN = '555555555:AAE-serve-bot-token-s3cret';
const CHAT = '-1005555555555';
const API_TOKEN = 'alert-serve-test-token-0123456789';

interface Serve {
  child: ChildProcess;
  output: () => string;
  exited: Promise<unknown>;
}

function startServe(dir: string): Serve {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
    env: { ...process.env, PORTWATCH_HOME: dir, PORTWATCH_TOKEN: API_TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out, exited: new Promise((r) => child.once('exit', r)) };
}

interface Row {
  state: string;
  attempts: number;
  alert: string;
}

const outboxRows = (dir: string): Row[] => {
  const db = new Database(historyFile(dir), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT state, attempts, alert FROM outbox ORDER BY id').all() as Row[];
  } catch {
    return []; // not migrated yet
  } finally {
    db.close();
  }
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const texts = (api: HttpReceiver): string[] =>
  api.requests.map((r) => String((JSON.parse(r.raw.toString()) as { text?: unknown }).text));

describe('serve sends alerts through its outbox', () => {
  const dirs: string[] = [];
  const running: Serve[] = [];
  afterAll(async () => {
    for (const s of running) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  it('an alert stored before a SIGKILL is sent once after the restart', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-alert-serve-'));
    dirs.push(dir);
    const service = await listen();
    const apiPort = await closedPort();
    const config = await openCliConfig(dir);
    const saved = saveChannel(config, keyFileBox(keyFile(dir)), {
      id: 'oncall',
      kind: 'telegram',
      botToken: BOT_TOKEN,
      chatId: CHAT,
      apiBase: `http://127.0.0.1:${apiPort}`,
    });
    expect(saved.ok).toBe(true);
    config.addMonitor({
      name: 'orders cache',
      kind: 'tcp',
      host: '127.0.0.1',
      port: service.port,
      tier: 2,
      intervalSec: 5,
      retries: 1,
      retryIntervalSec: 1,
    });

    const first = startServe(dir);
    running.push(first);
    await waitFor(() => /serving 1 monitors/.test(first.output()), 10_000, 'serve to start');
    await service.close();
    // Confirmed down, grouped for the storm window, stored, and tried against a Bot API that is not there.
    const stored = async (): Promise<boolean> => outboxRows(dir).some((r) => r.state === 'pending' && r.attempts >= 1);
    for (let i = 0; i < 120 && !(await stored()); i++) await sleep(250);
    expect(await stored()).toBe(true);
    first.child.kill('SIGKILL');
    await first.exited;

    const api = await telegramApi({ token: BOT_TOKEN, chat: CHAT, port: apiPort });
    try {
      const second = startServe(dir);
      running.push(second);
      await waitFor(() => api.requests.length >= 1, 20_000, 'the stored alert to be sent');
      // Long enough for a duplicate (a re-sent row, or a second alert for the restored outage).
      await sleep(6_000);
      expect(texts(api)).toHaveLength(1);
      expect(texts(api)[0]).toMatch(/orders cache \(127\.0\.0\.1:\d+\) is DOWN/);
      expect(texts(api)[0]).toMatch(/refused/);

      const back = createServer((s) => s.end());
      await new Promise<void>((r) => back.listen(service.port, '127.0.0.1', r));
      await waitFor(() => api.requests.length >= 2, 40_000, 'the recovery');
      expect(texts(api)[1]).toMatch(/orders cache .* recovered/i);
      second.child.kill('SIGTERM');
      await second.exited;
      await new Promise((r) => back.close(r));
      expect(outboxRows(dir).map((r) => r.state)).toEqual(['sent', 'sent']);

      // Neither the config file nor anything either process printed holds the bot token.
      const logs = first.output() + second.output();
      expect(logs).not.toContain(BOT_TOKEN);
      expect(readFileSync(join(dir, 'config.json'), 'utf8')).not.toContain(BOT_TOKEN);
    } finally {
      await api.close();
    }
  });
});
