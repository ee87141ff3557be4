import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePki, type TestPki } from '../helpers/certs';
import type { Daemon } from '../helpers/daemons';
import { startVsftpd } from '../helpers/daemons-text';
import { listen } from '../helpers/net';
import { MARGIN_MS, timedProbe } from '../helpers/probe';

describe('FTP check against a real vsftpd', () => {
  let pki: TestPki;
  let plain: Daemon;
  let tls: Daemon;
  let implicit: Daemon;
  let refusing: Daemon;
  beforeAll(async () => {
    pki = makePki();
    [plain, tls, implicit, refusing] = await Promise.all([
      startVsftpd(),
      startVsftpd({ pair: pki.valid }),
      startVsftpd({ pair: pki.valid, implicit: true }),
      startVsftpd({ refuse: true }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([plain?.stop(), tls?.stop(), implicit?.stop(), refusing?.stop()]);
  });

  it('reads the greeting and FEAT, then quits', async () => {
    const { result } = await timedProbe('service', { host: '127.0.0.1', port: plain.port }, { check: 'ftp' }, 2000);
    expect(result.outcome).toBe('ok');
    expect(result.detail).toBe('FTP: 220 portwatch-test FTP ready');
    expect(result.facts).toEqual({ greeting: '220 portwatch-test FTP ready', starttls: 'not offered' });
    expect(result.tls).toBeUndefined();
  });

  it('AUTH TLS: 234, TLS with the certificate reported', async () => {
    const { result } = await timedProbe(
      'service',
      { host: '127.0.0.1', port: tls.port },
      { check: 'ftp', starttls: true, ca: [pki.ca.cert] },
      3000,
    );
    expect(result.outcome).toBe('ok');
    expect(result.detail).toBe('FTP: 220 portwatch-test FTP ready, AUTH TLS');
    expect(result.facts).toMatchObject({ starttls: 'offered' });
    expect(result.tls).toMatchObject({ trusted: true, nameMatches: true, selfSigned: false });
  });

  it('implicit TLS (ftps): TLS first, then the same dialogue', async () => {
    const { result } = await timedProbe(
      'service',
      { host: '127.0.0.1', port: implicit.port },
      { check: 'ftp', implicitTls: true, ca: [pki.ca.cert] },
      3000,
    );
    expect(result.outcome).toBe('ok');
    expect(result.detail).toBe('FTP: 220 portwatch-test FTP ready');
    expect(result.tls).toMatchObject({ trusted: true, nameMatches: true });
  });

  it('AUTH TLS asked of a server without TLS fails as tls, quoting the refusal', async () => {
    const { result } = await timedProbe(
      'service',
      { host: '127.0.0.1', port: plain.port },
      { check: 'ftp', starttls: true },
      2000,
    );
    expect(result.outcome).toBe('tls');
    expect(result.detail).toMatch(/^the server refused AUTH TLS: "5\d\d /);
  });

  it('a 500 OOPS greeting is a refusal quoting it', async () => {
    const { result } = await timedProbe('service', { host: '127.0.0.1', port: refusing.port }, { check: 'ftp' }, 2000);
    expect(result.outcome).toBe('protocol');
    expect(result.phase).toBe('greeting');
    expect(result.detail).toBe(
      'the server refused the session: "500 OOPS: vsftpd: both local and anonymous access disabled!"',
    );
  });

  it('a multi-line greeting with free text between is read whole', async () => {
    const chatty = await listen((s) => {
      s.write('220-Welcome\r\n  no code on this line\r\n220 ready\r\n');
      s.on('data', (d: Buffer) => {
        if (d.toString().startsWith('FEAT')) s.write('502 no\r\n');
        if (d.toString().startsWith('QUIT')) s.end('221 bye\r\n');
      });
    });
    try {
      const { result } = await timedProbe('service', { host: '127.0.0.1', port: chatty.port }, { check: 'ftp' }, 2000);
      expect(result.outcome).toBe('ok');
      expect(result.facts).toEqual({ greeting: '220-Welcome', starttls: 'not offered' });
    } finally {
      await chatty.close();
    }
  });

  it('the wrong service on the port is a protocol mismatch, shown safely', async () => {
    const http = await listen((s) => s.end('\u0000HTTP/1.1 400 Bad Request\r\n\r\n'));
    try {
      const { result } = await timedProbe('service', { host: '127.0.0.1', port: http.port }, { check: 'ftp' }, 2000);
      expect(result.outcome).toBe('protocol');
      expect(result.phase).toBe('greeting');
      expect(result.detail).toBe('expected a 220 greeting, got "\\x00HTTP/1.1 400 Bad Request"');
    } finally {
      await http.close();
    }
  });

  it('a server that accepts and stays silent times out within the deadline', async () => {
    const silent = await listen(() => undefined);
    try {
      const { result, waited } = await timedProbe(
        'service',
        { host: '127.0.0.1', port: silent.port },
        { check: 'ftp' },
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
});
