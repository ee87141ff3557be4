import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramChannel } from '../../main/core/alerts/channels/telegram';
import { testAlert } from '../../main/core/alerts/channels/test-alert';
import type { Alert } from '../../main/core/alerts/types';
import { closedPort, listen } from '../helpers/net';
import { telegramApi, type HttpReceiver } from '../helpers/receivers';

const TOKEN = '123456789:AAH-secret_token-value_XYZ';
const CHAT = '-1001234567890';

const alert: Alert = {
  id: 'a1',
  kind: 'down',
  severity: 'critical',
  tier: 1,
  at: Date.UTC(2026, 10, 26, 9, 30, 0),
  title: 'orders-db (10.0.0.6:5432) is DOWN',
  body: 'Connection refused since 09:29 UTC after 2 confirmations.',
  subjects: [{ monitorId: 'm1', name: 'orders-db', host: '10.0.0.6', port: 5432 }],
};

const signal = (): AbortSignal => AbortSignal.timeout(5000);

describe('Telegram channel against a loopback Bot API', () => {
  let api: HttpReceiver;
  beforeAll(async () => {
    api = await telegramApi({ token: TOKEN, chat: CHAT });
  });
  afterAll(async () => {
    await api?.close();
  });
  const channel = (over: { botToken?: string; chatId?: string } = {}) =>
    telegramChannel({ id: 'ops-telegram', botToken: TOKEN, chatId: CHAT, apiBase: api.base, ...over });

  it('posts the rendered alert as plain text to sendMessage', async () => {
    const d = await channel().send(alert, signal());
    expect(d).toEqual({ ok: true, retryable: false, detail: `sent to chat ${CHAT} (message 100)` });
    const req = api.requests.at(-1);
    expect(req?.url).toBe(`/bot${TOKEN}/sendMessage`);
    expect(req?.headers['content-type']).toBe('application/json');
    const body = JSON.parse(req?.raw.toString() ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({ chat_id: CHAT, disable_web_page_preview: true });
    expect(body).not.toHaveProperty('parse_mode');
    expect(body.text).toContain(alert.title);
    expect(body.text).toContain(alert.body);
    expect(body.text).toContain('orders-db (10.0.0.6:5432)');
    expect(body.text).toContain('2026-11-26T09:30:00.000Z');
  });

  it('sends the test message', async () => {
    const d = await channel().send(testAlert(Date.now()), signal());
    expect(d.ok).toBe(true);
    expect(JSON.parse(api.requests.at(-1)?.raw.toString() ?? '{}')).toMatchObject({
      text: expect.stringContaining('Portwatch test message') as unknown,
    });
  });

  it('a wrong token is 401, not retryable, and the token is never in the detail', async () => {
    const bad = '987654321:AAwrong-token';
    const d = await channel({ botToken: bad }).send(alert, signal());
    expect(d).toEqual({ ok: false, retryable: false, detail: 'Telegram rejected the bot token (401 Unauthorized)' });
    expect(d.detail).not.toContain(bad);
  });

  it('an unknown chat names the chat id, not retryable', async () => {
    const d = await channel({ chatId: '42' }).send(alert, signal());
    expect(d.ok).toBe(false);
    expect(d.retryable).toBe(false);
    expect(d.detail).toContain('chat 42');
    expect(d.detail).toContain('chat not found');
  });

  it("429 is retryable with Telegram's retry_after", async () => {
    const d = await channel({ chatId: 'flood' }).send(alert, signal());
    expect(d).toEqual({
      ok: false,
      retryable: true,
      detail: 'Telegram is rate limiting the bot (429); retry after 17 s',
    });
  });

  it('5xx is retryable', async () => {
    const d = await channel({ chatId: 'broken' }).send(alert, signal());
    expect(d).toMatchObject({ ok: false, retryable: true });
    expect(d.detail).toContain('502');
  });

  it('a server that never answers ends by the signal, retryable, without the token', async () => {
    const started = Date.now();
    const d = await channel({ chatId: 'silent' }).send(alert, AbortSignal.timeout(500));
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(450);
    expect(took).toBeLessThan(2000);
    expect(d).toEqual({ ok: false, retryable: true, detail: 'Telegram did not answer in time (timed out)' });
  });

  it('a TCP server that accepts and stays silent also ends by the signal', async () => {
    const mute = await listen();
    try {
      const started = Date.now();
      const d2 = await telegramChannel({
        id: 't',
        botToken: TOKEN,
        chatId: CHAT,
        apiBase: `http://127.0.0.1:${mute.port}`,
      }).send(alert, AbortSignal.timeout(500));
      expect(d2.retryable).toBe(true);
      expect(d2.ok).toBe(false);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await mute.close();
    }
  });

  it('an unreachable API is retryable and names the cause, never the token', async () => {
    const port = await closedPort();
    const d = await telegramChannel({
      id: 't',
      botToken: TOKEN,
      chatId: CHAT,
      apiBase: `http://127.0.0.1:${port}`,
    }).send(alert, signal());
    expect(d.ok).toBe(false);
    expect(d.retryable).toBe(true);
    expect(d.detail).toMatch(/^Telegram unreachable: .*ECONNREFUSED/);
    expect(d.detail).not.toContain(TOKEN);
  });

  it('an already aborted signal returns at once', async () => {
    const c = new AbortController();
    c.abort();
    const d = await channel().send(alert, c.signal);
    expect(d).toMatchObject({ ok: false, retryable: true });
  });
});
