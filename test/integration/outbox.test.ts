import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../main/core/clock';
import { openHistory, type History } from '../../main/core/history/db';
import { MIGRATIONS, SCHEMA_VERSION } from '../../main/core/history/migrations';
import { Outbox, type OutboxEntry, type OutboxOptions } from '../../main/core/alerts/outbox';
import type { Alert, Channel, Delivery } from '../../main/core/alerts/types';

const T0 = Date.UTC(2026, 0, 5, 9);

const dir = mkdtempSync(join(tmpdir(), 'portwatch-outbox-'));
let files = 0;
const freshFile = (): string => join(dir, `history-${files++}.sqlite`);

/** A loopback HTTP endpoint that takes alerts; "offline" is the server closed (connection refused). */
class Receiver {
  port = 0;
  /** Status to answer with; 'hang' never answers. */
  mode: number | 'hang' = 200;
  readonly received: Alert[] = [];
  /** Requests that reached the server, answered or not. */
  hits = 0;
  private server: Server | undefined;
  private hitWaiters: (() => void)[] = [];

  async up(): Promise<this> {
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        this.hits++;
        for (const w of this.hitWaiters.splice(0)) w();
        if (this.mode === 'hang') return;
        if (this.mode < 300) this.received.push(JSON.parse(body) as Alert);
        res.writeHead(this.mode).end(this.mode < 300 ? 'ok' : 'the bot token was rejected');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resolves once the server has received `n` requests in all. */
  hit(n: number): Promise<void> {
    if (this.hits >= n) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.hits >= n) resolve();
        else this.hitWaiters.push(check);
      };
      this.hitWaiters.push(check);
    });
  }
}

/** A real channel: POSTs the alert to the receiver, a new connection each time. */
function webhook(id: string, rx: Receiver, sends?: Map<string, number>): Channel {
  return {
    kind: 'webhook',
    id,
    send: (alert: Alert, signal: AbortSignal) =>
      new Promise<Delivery>((resolve) => {
        sends?.set(id, (sends.get(id) ?? 0) + 1);
        const body = JSON.stringify(alert);
        const req = request(
          {
            host: '127.0.0.1',
            port: rx.port,
            method: 'POST',
            path: '/alert',
            agent: false,
            signal,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text += c));
            res.on('end', () => {
              const status = res.statusCode ?? 0;
              if (status < 300) resolve({ ok: true, retryable: false, detail: `accepted (${status})` });
              else resolve({ ok: false, retryable: status >= 500, detail: `rejected (${status}): ${text}` });
            });
          },
        );
        req.on('error', (e: NodeJS.ErrnoException) =>
          resolve({ ok: false, retryable: true, detail: `could not reach the webhook: ${e.code ?? e.message}` }),
        );
        req.end(body);
      }),
  };
}

let alerts = 0;
function alert(over: Partial<Alert> = {}): Alert {
  const n = alerts++;
  return {
    id: `down:orders-db:${n}`,
    kind: 'down',
    severity: 'critical',
    tier: 1,
    at: T0,
    title: `orders-db (10.0.0.6:5432) is DOWN #${n}`,
    body: 'Connection refused on 10.0.0.6:5432 since 09:00.',
    subjects: [{ monitorId: 'orders-db', name: 'orders-db', host: '10.0.0.6', port: 5432 }],
    ...over,
  };
}

const histories: History[] = [];
const outboxes: Outbox[] = [];
const receivers: Receiver[] = [];

function open(file: string): History {
  const h = openHistory(file);
  histories.push(h);
  return h;
}
function outbox(h: History, clock: VirtualClock, channels: Channel[], opts: OutboxOptions = {}): Outbox {
  const o = new Outbox(h.db, clock, new Map(channels.map((c) => [c.id, c])), { random: () => 0, ...opts });
  outboxes.push(o);
  return o;
}
async function receiver(state: 'up' | 'down' = 'up'): Promise<Receiver> {
  const rx = await new Receiver().up();
  receivers.push(rx);
  if (state === 'down') await rx.down();
  return rx;
}

afterEach(async () => {
  for (const o of outboxes.splice(0)) await o.stop();
  for (const h of histories.splice(0)) h.close();
  for (const rx of receivers.splice(0)) await rx.down();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const only = (o: Outbox): OutboxEntry => {
  const rows = o.list({ limit: 10 });
  expect(rows).toHaveLength(1);
  return rows[0] as OutboxEntry;
};

describe('history migration 2', () => {
  it('a fresh file runs every migration and has the outbox table', () => {
    const file = freshFile();
    const h = open(file);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
    expect(h.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const cols = (h.db.prepare("SELECT name FROM pragma_table_info('outbox')").pluck().all() as string[]).sort();
    expect(cols).toEqual(
      [
        'alert',
        'alert_id',
        'attempts',
        'channel',
        'created_at',
        'id',
        'kind',
        'last_detail',
        'next_attempt_at',
        'sent_at',
        'state',
      ].sort(),
    );
    const indexes = h.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox'").pluck();
    expect(indexes.all()).toContain('outbox_due');
    h.close();
    // In the file itself once the log is checkpointed (SQLite keeps user_version at bytes 60-63).
    expect(readFileSync(file).readUInt32BE(60)).toBe(SCHEMA_VERSION);
  });

  it('upgrades a database written by migration 1 only, keeping its data', () => {
    const file = freshFile();
    const v1 = new Database(file);
    v1.pragma('journal_mode = WAL');
    const first = MIGRATIONS.find((m) => m.version === 1);
    if (!first) throw new Error('no migration 1');
    v1.exec(first.sql);
    v1.pragma('user_version = 1');
    v1.prepare("INSERT INTO monitor_keys (id) VALUES ('orders-db')").run();
    v1.close();

    const h = open(file);
    expect(h.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(h.db.prepare('SELECT id FROM monitor_keys').pluck().all()).toEqual(['orders-db']);
    expect(h.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
    h.close();
    // Reopening runs nothing again.
    expect(open(file).db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  });
});

describe('Outbox', () => {
  it('stores the alert before sending it, and a send that never answers times out and is retried', async () => {
    const file = freshFile();
    const h = open(file);
    const clock = new VirtualClock(T0);
    const rx = await receiver();
    rx.mode = 'hang';
    const o = outbox(h, clock, [webhook('ops-hook', rx)]);
    o.start();
    const a = alert();
    expect(o.enqueue(a, ['ops-hook'])).toBe(1);
    await rx.hit(1);

    // The send is in flight, unanswered: the row is already committed, as another connection sees.
    const reader = open(file);
    const rows = reader.db.prepare('SELECT alert_id, channel, kind, state, attempts, alert FROM outbox').all();
    expect(rows).toEqual([
      { alert_id: a.id, channel: 'ops-hook', kind: 'webhook', state: 'pending', attempts: 0, alert: JSON.stringify(a) },
    ]);

    await clock.advance(15_000);
    await o.drain();
    const row = only(o);
    expect(row).toMatchObject({ state: 'pending', attempts: 1, nextAttemptAt: T0 + 15_000 + 5_000, sentAt: null });
    expect(row.detail).toBe('No answer from webhook channel "ops-hook" within 15 s.');
    expect(row.alert).toEqual(a);

    rx.mode = 200;
    await clock.advance(5_000);
    await o.drain();
    expect(only(o)).toMatchObject({ state: 'sent', attempts: 2, sentAt: T0 + 20_000, detail: 'accepted (200)' });
    expect(rx.received).toEqual([a]);
  });

  it('retries with growing delays while the receiver is down, and delivers once it is back', async () => {
    const h = open(freshFile());
    const clock = new VirtualClock(T0);
    const rx = await receiver('down');
    const o = outbox(h, clock, [webhook('ops-hook', rx)]);
    o.start();
    o.enqueue(alert(), ['ops-hook']);
    await o.drain();

    const waits: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const row = only(o);
      expect(row).toMatchObject({ state: 'pending', attempts: i });
      expect(row.detail).toBe('could not reach the webhook: ECONNREFUSED');
      const wait = row.nextAttemptAt - clock.now();
      waits.push(wait);
      // Not a moment early.
      await clock.advance(wait - 1);
      await o.drain();
      expect(only(o).attempts).toBe(i);
      await clock.advance(1);
      await o.drain();
    }
    expect(waits).toEqual([5_000, 10_000, 20_000, 40_000, 80_000]);
    expect(only(o)).toMatchObject({ state: 'pending', attempts: 6 });

    await rx.up();
    const wait = only(o).nextAttemptAt - clock.now();
    expect(wait).toBe(160_000);
    await clock.advance(wait);
    await o.drain();
    expect(only(o)).toMatchObject({ state: 'sent', attempts: 7, sentAt: clock.now() });
    expect(rx.received).toHaveLength(1);
  });

  it('caps the wait at maxDelayMs, jitters it down by at most a quarter, and gives up after maxAttempts', async () => {
    const h = open(freshFile());
    const clock = new VirtualClock(T0);
    const rx = await receiver('down');
    const o = outbox(h, clock, [webhook('ops-hook', rx)], {
      maxAttempts: 4,
      baseDelayMs: 1_000,
      maxDelayMs: 3_000,
      random: () => 0.5,
    });
    o.start();
    o.enqueue(alert(), ['ops-hook']);
    await o.drain();
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      const wait = only(o).nextAttemptAt - clock.now();
      waits.push(wait);
      await clock.advance(wait);
      await o.drain();
    }
    // 1000, 2000, 4000 capped to 3000; each less 12.5% (half the 25% jitter).
    expect(waits).toEqual([875, 1_750, 2_625]);
    expect(only(o)).toMatchObject({
      state: 'failed',
      attempts: 4,
      detail: 'could not reach the webhook: ECONNREFUSED',
    });
    await rx.up();
    await clock.advance(3_600_000);
    await o.drain();
    expect(rx.hits).toBe(0);
  });

  it('records a failure that retrying cannot fix as failed, with its detail, and does not retry it', async () => {
    const h = open(freshFile());
    const clock = new VirtualClock(T0);
    const rx = await receiver();
    rx.mode = 403;
    const o = outbox(h, clock, [webhook('ops-hook', rx)]);
    o.start();
    o.enqueue(alert(), ['ops-hook']);
    await o.drain();
    expect(only(o)).toMatchObject({
      state: 'failed',
      attempts: 1,
      detail: 'rejected (403): the bot token was rejected',
      sentAt: null,
    });
    await clock.advance(3_600_000);
    await o.drain();
    expect(rx.hits).toBe(1);
  });

  it('queues an alert for a channel once, however often it is enqueued', async () => {
    const h = open(freshFile());
    const clock = new VirtualClock(T0);
    const rx = await receiver();
    const o = outbox(h, clock, [webhook('a', rx), webhook('b', rx)]);
    o.start();
    const a = alert();
    expect(o.enqueue(a, ['a', 'a', 'b'])).toBe(2);
    expect(o.enqueue(a, ['b', 'a'])).toBe(0);
    await o.drain();
    expect(o.enqueue({ ...a, title: 'replayed' }, ['a'])).toBe(0);
    await o.drain();
    const rows = o.list({ limit: 10 });
    expect(rows.map((r) => [r.channel, r.state])).toEqual([
      ['b', 'sent'],
      ['a', 'sent'],
    ]);
    expect(rx.received).toEqual([a, a]);
  });

  it('survives a restart: pending rows from a previous run are sent by start()', async () => {
    const file = freshFile();
    const rx = await receiver('down');
    const clock1 = new VirtualClock(T0);
    const h1 = open(file);
    const o1 = outbox(h1, clock1, [webhook('ops-hook', rx)]);
    o1.start();
    const due = alert();
    const later = alert();
    o1.enqueue(due, ['ops-hook']);
    await o1.drain();
    await clock1.advance(5_000);
    await o1.drain();
    o1.enqueue(later, ['ops-hook']);
    await o1.drain();
    expect(o1.list({ limit: 10 }).map((r) => [r.alertId, r.attempts, r.nextAttemptAt])).toEqual([
      [later.id, 1, T0 + 10_000],
      [due.id, 2, T0 + 15_000],
    ]);
    // Closed mid-retry, as on quitting while offline.
    await o1.stop();
    h1.close();

    await rx.up();
    // Back at T0 + 12 s: the first row is due, the second is not yet.
    const clock2 = new VirtualClock(T0 + 12_000);
    const h2 = open(file);
    const o2 = outbox(h2, clock2, [webhook('ops-hook', rx)]);
    expect(o2.list({ limit: 10, state: 'pending' })).toHaveLength(2);
    expect(rx.hits).toBe(0);
    o2.start();
    await o2.drain();
    expect(rx.received).toEqual([later]);
    await clock2.advance(3_000 - 1);
    await o2.drain();
    expect(rx.received).toEqual([later]);
    await clock2.advance(1);
    await o2.drain();
    expect(rx.received).toEqual([later, due]);
    expect(o2.list({ limit: 10 }).map((r) => [r.alertId, r.state, r.attempts, r.sentAt])).toEqual([
      [later.id, 'sent', 2, T0 + 12_000],
      [due.id, 'sent', 3, T0 + 15_000],
    ]);
  });

  it('passes the alert on to the next channel after escalateAfter failed attempts, and stops retrying the first', async () => {
    const h = open(freshFile());
    const clock = new VirtualClock(T0);
    const primary = await receiver('down');
    const backup = await receiver();
    const sends = new Map<string, number>();
    const o = outbox(h, clock, [webhook('telegram', primary, sends), webhook('email', backup, sends)], {
      escalation: (id) => (id === 'telegram' ? 'email' : undefined),
    });
    o.start();
    const a = alert();
    o.enqueue(a, ['telegram']);
    await o.drain();
    await clock.advance(5_000);
    await o.drain();
    expect(backup.received).toEqual([]);
    expect(o.list({ limit: 10 })).toHaveLength(1);
    await clock.advance(10_000);
    await o.drain();

    const [email, telegram] = o.list({ limit: 10 });
    expect(telegram).toMatchObject({ channel: 'telegram', state: 'escalated', attempts: 3 });
    expect(telegram?.detail).toBe(
      'could not reach the webhook: ECONNREFUSED (after 3 failed attempts, passed on to email)',
    );
    expect(email).toMatchObject({ channel: 'email', kind: 'webhook', state: 'sent', attempts: 1, sentAt: T0 + 15_000 });
    expect(backup.received).toEqual([a]);

    await primary.up();
    await clock.advance(3_600_000);
    await o.drain();
    expect(sends).toEqual(
      new Map([
        ['telegram', 3],
        ['email', 1],
      ]),
    );
    expect(primary.received).toEqual([]);
  });

  it('passes a hopeless alert on at once, and an escalation loop ends', async () => {
    const h = open(freshFile());
    const clock = new VirtualClock(T0);
    const rejecting = await receiver();
    rejecting.mode = 401;
    const down = await receiver('down');
    const next: Record<string, string> = { telegram: 'email', email: 'telegram' };
    const o = outbox(h, clock, [webhook('telegram', rejecting), webhook('email', down)], {
      escalation: (id) => next[id],
      escalateAfter: 2,
      maxAttempts: 4,
    });
    o.start();
    o.enqueue(alert(), ['telegram']);
    await o.drain();
    const [email, telegram] = o.list({ limit: 10 });
    expect(telegram).toMatchObject({
      state: 'failed',
      detail: 'rejected (401): the bot token was rejected (passed on to email)',
    });
    expect(email).toMatchObject({ channel: 'email', state: 'pending', attempts: 1 });
    // email would pass it back to telegram, which has it already: it keeps retrying instead.
    await clock.advance(3_600_000);
    await o.drain();
    expect(o.list({ limit: 10 }).map((r) => [r.channel, r.state, r.attempts])).toEqual([
      ['email', 'failed', 4],
      ['telegram', 'failed', 1],
    ]);
  });

  it('fails a row whose channel is not configured, and lists results newest first, by state', async () => {
    const h = open(freshFile());
    const clock = new VirtualClock(T0);
    const rx = await receiver();
    const o = outbox(h, clock, [webhook('ops-hook', rx)]);
    o.start();
    const a = alert();
    const b = alert();
    o.enqueue(a, ['ops-hook', 'gone']);
    await clock.advance(1_000);
    o.enqueue(b, ['ops-hook']);
    await o.drain();

    const all = o.list({ limit: 10 });
    expect(all.map((r) => [r.alertId, r.channel, r.kind, r.state, r.attempts, r.detail])).toEqual([
      [b.id, 'ops-hook', 'webhook', 'sent', 1, 'accepted (200)'],
      [a.id, 'gone', null, 'failed', 1, 'No channel "gone" is configured any more.'],
      [a.id, 'ops-hook', 'webhook', 'sent', 1, 'accepted (200)'],
    ]);
    expect(all[0]).toMatchObject({ createdAt: T0 + 1_000, sentAt: T0 + 1_000, alert: b });
    expect(o.list({ limit: 1 }).map((r) => r.alertId)).toEqual([b.id]);
    expect(o.list({ limit: 10, state: 'failed' }).map((r) => r.channel)).toEqual(['gone']);
    expect(o.list({ limit: 10, state: 'pending' })).toEqual([]);
  });

  it('sends nothing before start(), keeps a few sends in flight at most, and stop() waits for them', async () => {
    const h = open(freshFile());
    const clock = new VirtualClock(T0);
    const rx = await receiver();
    rx.mode = 'hang';
    const o = outbox(h, clock, [webhook('ops-hook', rx)], { concurrency: 2 });
    for (let i = 0; i < 5; i++) o.enqueue(alert(), ['ops-hook']);
    await o.drain();
    expect(rx.hits).toBe(0);

    o.start();
    await rx.hit(2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(rx.hits).toBe(2);

    let stopped = false;
    const stopping = o.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);
    await clock.advance(15_000);
    await stopping;
    // The two timed out and were recorded; the others were not started after stop().
    expect(rx.hits).toBe(2);
    const rows = o.list({ limit: 10 });
    expect(rows.map((r) => r.attempts).sort()).toEqual([0, 0, 0, 1, 1]);
    expect(rows.every((r) => r.state === 'pending')).toBe(true);
  });

  it('retryNow() sends waiting rows at once when the network is back', async () => {
    const h = open(freshFile());
    const clock = new VirtualClock(T0);
    const rx = await receiver('down');
    const o = outbox(h, clock, [webhook('ops-hook', rx)]);
    o.start();
    o.enqueue(alert(), ['ops-hook']);
    await o.drain();
    expect(only(o).nextAttemptAt).toBe(T0 + 5_000);
    await rx.up();
    await o.retryNow();
    expect(only(o)).toMatchObject({ state: 'sent', attempts: 2, sentAt: T0 });
  });
});
