import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testAlert } from '../../main/core/alerts/channels/test-alert';
import { sign, verifySignature, webhookChannel, type WebhookConfig } from '../../main/core/alerts/channels/webhook';
import type { Alert } from '../../main/core/alerts/types';
import { closedPort } from '../helpers/net';
import { httpReceiver, type HttpReceiver, type RecordedRequest } from '../helpers/receivers';

const SECRET = 'whsec-portwatch-test';

const alert: Alert = {
  id: 'a-hook-1',
  kind: 'down',
  severity: 'critical',
  tier: 1,
  at: Date.UTC(2026, 10, 26, 9, 30, 0),
  title: 'orders-db (10.0.0.6:5432) is DOWN',
  body: 'Connection refused since 09:29 UTC after 2 confirmations.',
  subjects: [
    { monitorId: 'm1', name: 'orders-db', host: '10.0.0.6', port: 5432 },
    { monitorId: 'm2', name: 'orders-db-v6', host: 'fd00::6', port: 5432 },
  ],
};

const signal = (): AbortSignal => AbortSignal.timeout(5000);

describe('webhook channel against a loopback receiver', () => {
  let receiver: HttpReceiver;
  /** What the receiver concluded about each signed request. */
  const verdicts: boolean[] = [];
  beforeAll(async () => {
    receiver = await httpReceiver((req: RecordedRequest, res) => {
      if (req.url === '/missing') return res.writeHead(404).end('no such hook\n\u0007here');
      if (req.url === '/busy') return res.writeHead(503, { 'retry-after': '30' }).end('try later');
      if (req.url === '/silent') return; // never answered
      if (req.url === '/json') {
        const ok = verifySignature(SECRET, req.raw, req.headers['x-portwatch-signature'] as string | undefined);
        verdicts.push(ok);
        return res.writeHead(ok ? 204 : 401).end();
      }
      res.writeHead(200).end('ok');
    });
  });
  afterAll(async () => {
    await receiver?.close();
  });
  const channel = (over: Partial<WebhookConfig>) =>
    webhookChannel({ id: 'hook', url: `${receiver.base}/json`, format: 'json', secret: SECRET, ...over });

  it('json: the Alert itself, signed with HMAC-SHA256 and timestamped, verified by the receiver', async () => {
    const before = Math.floor(Date.now() / 1000);
    const d = await channel({ headers: { authorization: 'Bearer abc' } }).send(alert, signal());
    expect(d).toEqual({ ok: true, retryable: false, detail: `delivered to ${receiver.base} (204)` });
    expect(verdicts.at(-1)).toBe(true);
    const req = receiver.requests.at(-1);
    expect(JSON.parse(req?.raw.toString() ?? '')).toEqual(alert);
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.headers.authorization).toBe('Bearer abc');
    expect(req?.headers['x-portwatch-signature']).toBe(sign(SECRET, req?.raw ?? ''));
    expect(Number(req?.headers['x-portwatch-timestamp'])).toBeGreaterThanOrEqual(before);
  });

  it('a tampered body, a wrong secret or a missing header fails verification', () => {
    const req = receiver.requests.find((r) => r.url === '/json');
    const raw = req?.raw ?? Buffer.alloc(0);
    const header = req?.headers['x-portwatch-signature'] as string;
    expect(verifySignature(SECRET, raw, header)).toBe(true);
    const tampered = Buffer.from(raw.toString().replace('DOWN', 'UP'));
    expect(verifySignature(SECRET, tampered, header)).toBe(false);
    expect(verifySignature('other-secret', raw, header)).toBe(false);
    expect(verifySignature(SECRET, raw, undefined)).toBe(false);
    expect(verifySignature(SECRET, raw, 'sha256=00')).toBe(false);
  });

  it('json with a wrong secret is refused by the receiver: 401, not retryable', async () => {
    const d = await channel({ secret: 'not-the-secret' }).send(alert, signal());
    expect(verdicts.at(-1)).toBe(false);
    expect(d).toEqual({ ok: false, retryable: false, detail: `webhook ${receiver.base} refused the alert (401)` });
  });

  it('slack: { text } with the rendered alert', async () => {
    const d = await channel({ url: `${receiver.base}/slack`, format: 'slack' }).send(alert, signal());
    expect(d.ok).toBe(true);
    const req = receiver.requests.at(-1);
    const body = JSON.parse(req?.raw.toString() ?? '') as Record<string, string>;
    expect(Object.keys(body)).toEqual(['text']);
    expect(body.text).toContain(alert.title);
    expect(body.text).toContain(alert.body);
    expect(body.text).toContain('orders-db-v6 ([fd00::6]:5432)');
    expect(req?.headers['x-portwatch-signature']).toBeUndefined();
  });

  it('discord: { content } of at most 2000 characters', async () => {
    const long: Alert = { ...alert, body: 'x'.repeat(5000) };
    const d = await channel({ url: `${receiver.base}/discord`, format: 'discord' }).send(long, signal());
    expect(d.ok).toBe(true);
    const body = JSON.parse(receiver.requests.at(-1)?.raw.toString() ?? '') as Record<string, string>;
    expect(Object.keys(body)).toEqual(['content']);
    expect(Array.from(body.content ?? '').length).toBe(2000);
    expect(body.content?.startsWith(alert.title)).toBe(true);
    expect(body.content?.endsWith('…')).toBe(true);
  });

  it('the test message goes through', async () => {
    const d = await channel({ url: `${receiver.base}/slack`, format: 'slack' }).send(testAlert(), signal());
    expect(d.ok).toBe(true);
    expect(receiver.requests.at(-1)?.raw.toString()).toContain('Portwatch test message');
  });

  it('404 is not retryable and quotes a printable slice of the body', async () => {
    const d = await channel({ url: `${receiver.base}/missing` }).send(alert, signal());
    expect(d).toEqual({
      ok: false,
      retryable: false,
      detail: `webhook ${receiver.base} refused the alert (404): no such hook here`,
    });
  });

  it('503 is retryable, with Retry-After', async () => {
    const d = await channel({ url: `${receiver.base}/busy` }).send(alert, signal());
    expect(d).toEqual({
      ok: false,
      retryable: true,
      detail: `webhook ${receiver.base} answered 503: try later; retry after 30 s`,
    });
  });

  it('an unreachable receiver is retryable; the URL path (a Slack secret) is not shown', async () => {
    const port = await closedPort();
    const d = await channel({ url: `http://127.0.0.1:${port}/services/T000/B000/SECRETPATH` }).send(alert, signal());
    expect(d.ok).toBe(false);
    expect(d.retryable).toBe(true);
    expect(d.detail).toMatch(new RegExp(`^webhook http://127\\.0\\.0\\.1:${port} unreachable: .*ECONNREFUSED`));
    expect(d.detail).not.toContain('SECRETPATH');
  });

  it('a receiver that never answers ends by the signal, retryable', async () => {
    const started = Date.now();
    const d = await channel({ url: `${receiver.base}/silent` }).send(alert, AbortSignal.timeout(500));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(d).toEqual({
      ok: false,
      retryable: true,
      detail: `webhook ${receiver.base} did not answer in time (timed out)`,
    });
  });

  it('an invalid URL is not retryable', async () => {
    const d = await channel({ url: 'not a url' }).send(alert, signal());
    expect(d).toEqual({ ok: false, retryable: false, detail: 'the webhook URL is not a valid http(s) URL' });
  });
});
