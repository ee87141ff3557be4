import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailChannel, type EmailConfig } from '../../main/core/alerts/channels/email';
import type { Alert } from '../../main/core/alerts/types';
import { makePki, type TestPki } from '../helpers/certs';
import { startPostfix, type TlsDaemon } from '../helpers/daemons-text';
import { closedPort, listen } from '../helpers/net';
import { decodeQuotedPrintable, startMailSink, tlsFront, type MailSink } from '../helpers/receivers';

const alert: Alert = {
  id: 'a-mail-1',
  kind: 'down',
  severity: 'critical',
  tier: 1,
  at: Date.UTC(2026, 10, 26, 9, 30, 0),
  title: 'orders-db (10.0.0.6:5432) is DOWN',
  body: 'Connection refused since 09:29 UTC after 2 confirmations.',
  subjects: [{ monitorId: 'm1', name: 'orders-db', host: '10.0.0.6', port: 5432 }],
};

const PASS = 'hunter2-very-secret';
const signal = (): AbortSignal => AbortSignal.timeout(10_000);

describe('e-mail channel against real SMTP servers (smtp-sink, a throwaway Postfix)', () => {
  let pki: TestPki;
  let sink: MailSink;
  let noAuth: MailSink;
  let rcptRefused: MailSink;
  let postfix: TlsDaemon;
  let stalling: TlsDaemon;
  let front: { port: number; close: () => Promise<void> };
  beforeAll(async () => {
    pki = makePki();
    [sink, noAuth, rcptRefused, postfix, stalling] = await Promise.all([
      startMailSink(),
      startMailSink('-f', 'AUTH'),
      startMailSink('-f', 'RCPT'),
      startPostfix(pki.valid),
      startPostfix(pki.valid),
    ]);
    front = await tlsFront(pki.valid, sink.port);
  });
  afterAll(async () => {
    await Promise.all([
      sink?.stop(),
      noAuth?.stop(),
      rcptRefused?.stop(),
      postfix?.stop(),
      stalling?.stop(),
      front?.close(),
    ]);
  });

  const base = (port: number, over: Partial<EmailConfig> = {}): EmailConfig => ({
    id: 'ops-mail',
    host: '127.0.0.1',
    port,
    secure: false,
    requireTLS: false,
    from: 'portwatch@portwatch.test',
    to: ['ops@portwatch.test'],
    ...over,
  });

  it('delivers subject and body to smtp-sink, which dumps the mail', async () => {
    const before = sink.messages().length;
    const d = await emailChannel(base(sink.port)).send(alert, signal());
    expect(d).toEqual({ ok: true, retryable: false, detail: `sent to ops@portwatch.test via 127.0.0.1:${sink.port}` });
    const mails = sink.messages();
    expect(mails.length).toBe(before + 1);
    const mail = decodeQuotedPrintable(mails.at(-1) ?? '');
    expect(mail).toContain(`Subject: ${alert.title}`);
    expect(mail).toContain(alert.body);
    expect(mail).toContain('orders-db (10.0.0.6:5432)');
    expect(mail).toContain('Sent by Portwatch');
    expect(mail).toMatch(/ops@portwatch\.test/);
  });

  it('with implicit TLS (a TLS front on smtp-sink), verified against the test CA', async () => {
    const before = sink.messages().length;
    const d = await emailChannel(base(front.port, { secure: true, tls: { ca: [pki.ca.cert] } })).send(alert, signal());
    expect(d.ok).toBe(true);
    expect(sink.messages().length).toBe(before + 1);
  });

  it('implicit TLS with an untrusted certificate fails as TLS, not retryable', async () => {
    const d = await emailChannel(base(front.port, { secure: true })).send(alert, signal());
    expect(d.ok).toBe(false);
    expect(d.retryable).toBe(false);
    expect(d.detail).toMatch(/^TLS with the SMTP server failed: .*certificate/i);
  });

  it('STARTTLS required of a server that does not offer it fails as TLS', async () => {
    const d = await emailChannel(base(sink.port, { requireTLS: true })).send(alert, signal());
    expect(d.ok).toBe(false);
    expect(d.retryable).toBe(false);
    expect(d.detail).toMatch(/^TLS with the SMTP server failed: /);
  });

  it('STARTTLS against Postfix with an untrusted CA fails as TLS', async () => {
    const d = await emailChannel(base(postfix.port, { requireTLS: true })).send(alert, signal());
    expect(d).toMatchObject({ ok: false, retryable: false });
    expect(d.detail).toMatch(/^TLS with the SMTP server failed: .*certificate/i);
  });

  it('implicit TLS against Postfix (smtps) with an untrusted CA fails as TLS', async () => {
    const d = await emailChannel(base(postfix.tlsPort, { secure: true })).send(alert, signal());
    expect(d).toMatchObject({ ok: false, retryable: false });
    expect(d.detail).toMatch(/^TLS with the SMTP server failed: .*certificate/i);
  });

  // The throwaway Postfix runs smtpd alone (no cleanup, no trivial-rewrite): it cannot take mail,
  // so MAIL FROM stalls, and the send ends by the signal with a detail showing TLS got through.
  // A stalled smtpd keeps its listener busy, hence a Postfix of its own for these two.
  it('STARTTLS against Postfix, verified against the test CA, gets through TLS and the handshake', async () => {
    const d = await emailChannel(base(stalling.port, { requireTLS: true, tls: { ca: [pki.ca.cert] } })).send(
      alert,
      AbortSignal.timeout(1500),
    );
    expect(d).toEqual({
      ok: false,
      retryable: true,
      detail: `SMTP server 127.0.0.1:${stalling.port} did not finish in time (SMTP handshake finished over TLS, then sending the message stalled)`,
    });
  });

  it('implicit TLS against Postfix (smtps), verified, gets through TLS and the handshake', async () => {
    const d = await emailChannel(base(stalling.tlsPort, { secure: true, tls: { ca: [pki.ca.cert] } })).send(
      alert,
      AbortSignal.timeout(1500),
    );
    expect(d).toEqual({
      ok: false,
      retryable: true,
      detail: `SMTP server 127.0.0.1:${stalling.tlsPort} did not finish in time (SMTP handshake finished over TLS, then sending the message stalled)`,
    });
  });

  it('a server rejecting AUTH is an authentication failure naming the user, never the password', async () => {
    const d = await emailChannel(base(noAuth.port, { auth: { user: 'alerts@portwatch.test', pass: PASS } })).send(
      alert,
      signal(),
    );
    expect(d.ok).toBe(false);
    expect(d.retryable).toBe(false);
    expect(d.detail).toMatch(/^SMTP authentication failed for alerts@portwatch\.test/);
    expect(d.detail).not.toContain(PASS);
    expect(noAuth.messages()).toHaveLength(0);
  });

  it('a 5xx refusal of the recipient is not retryable and quotes the server', async () => {
    const d = await emailChannel(base(rcptRefused.port)).send(alert, signal());
    expect(d.ok).toBe(false);
    expect(d.retryable).toBe(false);
    expect(d.detail).toMatch(/refused the mail: .*5\d\d/);
  });

  it('an unreachable port is retryable and names host:port', async () => {
    const port = await closedPort();
    const d = await emailChannel(base(port)).send(alert, signal());
    expect(d.ok).toBe(false);
    expect(d.retryable).toBe(true);
    expect(d.detail).toMatch(new RegExp(`^SMTP server 127\\.0\\.0\\.1:${port} unreachable: .*ECONNREFUSED`));
  });

  it('a server that never greets ends by the signal, retryable', async () => {
    const mute = await listen();
    try {
      const started = Date.now();
      const d = await emailChannel(base(mute.port)).send(alert, AbortSignal.timeout(500));
      expect(Date.now() - started).toBeLessThan(2000);
      expect(d).toEqual({
        ok: false,
        retryable: true,
        detail: `SMTP server 127.0.0.1:${mute.port} did not finish in time (connected without TLS, then no greeting or handshake)`,
      });
    } finally {
      await mute.close();
    }
  });
});
