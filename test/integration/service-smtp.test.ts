import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePki, type TestPki } from '../helpers/certs';
import type { Daemon } from '../helpers/daemons';
import { startPostfix, startSmtpSink, type TlsDaemon } from '../helpers/daemons-text';
import { listen } from '../helpers/net';
import { MARGIN_MS, timedProbe } from '../helpers/probe';

describe('SMTP check against real Postfix servers (smtp-sink and a throwaway postfix)', () => {
  let pki: TestPki;
  let sink: Daemon;
  let plainSink: Daemon;
  let refusing: Daemon;
  let postfix: TlsDaemon;
  beforeAll(async () => {
    pki = makePki();
    [sink, plainSink, refusing, postfix] = await Promise.all([
      startSmtpSink(),
      startSmtpSink('-e', '-h', 'old.portwatch.test'),
      startSmtpSink('-f', 'connect'),
      startPostfix(pki.valid),
    ]);
  });
  afterAll(async () => {
    await Promise.all([sink?.stop(), plainSink?.stop(), refusing?.stop(), postfix?.stop()]);
  });

  it('greeting, EHLO and its extensions from smtp-sink', async () => {
    const { result } = await timedProbe('service', { host: '127.0.0.1', port: sink.port }, { check: 'smtp' }, 2000);
    expect(result.outcome).toBe('ok');
    expect(result.detail).toBe('SMTP: 220 smtp-sink ESMTP');
    expect(result.facts).toMatchObject({
      greeting: '220 smtp-sink ESMTP',
      starttls: 'not offered',
      auth: 'PLAIN LOGIN',
    });
    expect(result.facts?.extensions?.split(' ')).toEqual(expect.arrayContaining(['PIPELINING', '8BITMIME', 'AUTH']));
    expect(result.tls).toBeUndefined();
  });

  it('a server without ESMTP is greeted with HELO instead', async () => {
    const { result } = await timedProbe(
      'service',
      { host: '127.0.0.1', port: plainSink.port },
      { check: 'smtp' },
      2000,
    );
    expect(result.outcome).toBe('ok');
    expect(result.detail).toBe('SMTP: 220 old.portwatch.test');
    expect(result.facts).toEqual({ greeting: '220 old.portwatch.test', starttls: 'not offered' });
  });

  it('a 5xx greeting is a protocol failure quoting it', async () => {
    const { result } = await timedProbe('service', { host: '127.0.0.1', port: refusing.port }, { check: 'smtp' }, 2000);
    expect(result.outcome).toBe('protocol');
    expect(result.phase).toBe('greeting');
    expect(result.detail).toBe('the server refused the session: "500 5.3.0 Error: command failed"');
  });

  it('STARTTLS asked of a server that does not offer it fails as tls', async () => {
    const { result } = await timedProbe(
      'service',
      { host: '127.0.0.1', port: sink.port },
      { check: 'smtp', starttls: true },
      2000,
    );
    expect(result.outcome).toBe('tls');
    expect(result.detail).toBe('STARTTLS was asked for, but the server does not offer it');
  });

  it('postfix offers STARTTLS; without asking for it the dialogue stays plain', async () => {
    const { result } = await timedProbe('service', { host: '127.0.0.1', port: postfix.port }, { check: 'smtp' }, 5000);
    expect(result.outcome).toBe('ok');
    expect(result.detail).toBe('SMTP: 220 mx.portwatch.test ESMTP portwatch-test');
    expect(result.facts).toMatchObject({ starttls: 'offered' });
    expect(result.tls).toBeUndefined();
  });

  it('STARTTLS with postfix: upgrades, EHLOs again, reports the certificate', async () => {
    const { result } = await timedProbe(
      'service',
      { host: '127.0.0.1', port: postfix.port },
      { check: 'smtp', starttls: true, ca: [pki.ca.cert] },
      5000,
    );
    expect(result.outcome).toBe('ok');
    expect(result.detail).toBe('SMTP: 220 mx.portwatch.test ESMTP portwatch-test, STARTTLS');
    expect(result.facts).toMatchObject({ greeting: '220 mx.portwatch.test ESMTP portwatch-test', starttls: 'offered' });
    // After the upgrade postfix no longer lists STARTTLS.
    expect(result.facts?.extensions?.split(' ')).not.toContain('STARTTLS');
    expect(result.tls).toMatchObject({ trusted: true, nameMatches: true, selfSigned: false });
    expect(result.tls?.subject).toMatch(/localhost/);
  });

  it('implicit TLS (smtps) with postfix: TLS first, then the same dialogue', async () => {
    const { result } = await timedProbe(
      'service',
      { host: '127.0.0.1', port: postfix.tlsPort },
      { check: 'smtp', implicitTls: true, ca: [pki.ca.cert] },
      5000,
    );
    expect(result.outcome).toBe('ok');
    expect(result.detail).toBe('SMTP: 220 mx.portwatch.test ESMTP portwatch-test');
    expect(result.tls).toMatchObject({ trusted: true, nameMatches: true });
    expect(result.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
  });

  it('the wrong service on the port is a protocol mismatch, shown safely', async () => {
    const ssh = await listen((s) => s.write('SSH-2.0-OpenSSH_9.2p1 Debian\r\n\u0001\u0002'));
    try {
      const { result } = await timedProbe('service', { host: '127.0.0.1', port: ssh.port }, { check: 'smtp' }, 2000);
      expect(result.outcome).toBe('protocol');
      expect(result.phase).toBe('greeting');
      expect(result.detail).toBe('expected a 220 greeting, got "SSH-2.0-OpenSSH_9.2p1 Debian"');
    } finally {
      await ssh.close();
    }
  });

  it('a broken multi-line reply is a mismatch quoting both lines, escaped', async () => {
    const broken = await listen((s) => s.write('220-mx.example\r\n\u001b[2Jnot a reply line\r\n'));
    try {
      const { result } = await timedProbe('service', { host: '127.0.0.1', port: broken.port }, { check: 'smtp' }, 2000);
      expect(result.outcome).toBe('protocol');
      expect(result.detail).toBe('expected a 220 greeting, got "220-mx.example" and then "\\x1b[2Jnot a reply line"');
    } finally {
      await broken.close();
    }
  });

  it('a reply that never ends is cut off after a bounded number of bytes', async () => {
    const chatty = await listen((s) => {
      const blob = Buffer.from('220-more\r\n'.repeat(4096));
      const pump = (): void => {
        while (!s.destroyed && s.write(blob));
        if (!s.destroyed) s.once('drain', pump);
      };
      pump();
    });
    try {
      const { result } = await timedProbe('service', { host: '127.0.0.1', port: chatty.port }, { check: 'smtp' }, 2000);
      expect(result.outcome).toBe('protocol');
      expect(result.detail).toBe('expected a 220 greeting, got more than 16384 bytes: "220-more", …');
    } finally {
      await chatty.close();
    }
  });

  it('a server that accepts and stays silent times out within the deadline', async () => {
    const silent = await listen(() => undefined);
    try {
      const { result, waited } = await timedProbe(
        'service',
        { host: '127.0.0.1', port: silent.port },
        { check: 'smtp' },
        600,
      );
      expect(result.outcome).toBe('timeout');
      expect(result.phase).toBe('greeting');
      expect(result.detail).toBe('waited for a 220 greeting until the deadline');
      expect(waited).toBeLessThan(600 + MARGIN_MS);
    } finally {
      await silent.close();
    }
  });

  it('a server that greets and then goes silent times out in the response phase', async () => {
    const mute = await listen((s) => s.write('220 mx.example ESMTP\r\n'));
    try {
      const { result, waited } = await timedProbe(
        'service',
        { host: '127.0.0.1', port: mute.port },
        { check: 'smtp' },
        600,
      );
      expect(result.outcome).toBe('timeout');
      expect(result.phase).toBe('response');
      expect(result.detail).toBe('waited for a reply to EHLO until the deadline');
      expect(waited).toBeLessThan(600 + MARGIN_MS);
    } finally {
      await mute.close();
    }
  });
});
