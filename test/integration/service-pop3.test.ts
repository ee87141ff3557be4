import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePki, type TestPki } from '../helpers/certs';
import { startDovecot, type MailDaemon } from '../helpers/daemons-text';
import { listen } from '../helpers/net';
import { MARGIN_MS, timedProbe } from '../helpers/probe';

describe('POP3 check against a real Dovecot', () => {
  let pki: TestPki;
  let dovecot: MailDaemon;
  beforeAll(async () => {
    pki = makePki();
    dovecot = await startDovecot(pki.valid);
  });
  afterAll(async () => {
    await dovecot?.stop();
  });

  it('reads the greeting and CAPA, then quits', async () => {
    const { result } = await timedProbe('service', { host: '127.0.0.1', port: dovecot.pop3 }, { check: 'pop3' }, 3000);
    expect(result.outcome).toBe('ok');
    expect(result.detail).toMatch(/^POP3: \+OK Dovecot.* ready\.$/);
    expect(result.facts).toMatchObject({ starttls: 'offered' });
    expect(result.tls).toBeUndefined();
    await expect.poll(() => dovecot.log(), { timeout: 3000 }).toMatch(/pop3-login: .*Aborted login by logging out/);
  });

  it('STLS: +OK, TLS with the certificate reported', async () => {
    const { result } = await timedProbe(
      'service',
      { host: '127.0.0.1', port: dovecot.pop3 },
      { check: 'pop3', starttls: true, ca: [pki.ca.cert] },
      3000,
    );
    expect(result.outcome).toBe('ok');
    expect(result.detail).toMatch(/^POP3: \+OK .*, STLS$/);
    expect(result.tls).toMatchObject({ trusted: true, nameMatches: true, selfSigned: false });
  });

  it('implicit TLS (pop3s): TLS first, then the same dialogue', async () => {
    const { result } = await timedProbe(
      'service',
      { host: '127.0.0.1', port: dovecot.pop3s },
      { check: 'pop3', implicitTls: true, ca: [pki.ca.cert] },
      3000,
    );
    expect(result.outcome).toBe('ok');
    expect(result.detail).toMatch(/^POP3: \+OK Dovecot/);
    expect(result.tls).toMatchObject({ trusted: true, nameMatches: true });
  });

  it('a server without CAPA is fine; STLS asked of it fails as tls', async () => {
    const old = await listen((s) => {
      s.write('+OK POP3 ready\r\n');
      s.on('data', (d: Buffer) => {
        if (d.toString().startsWith('CAPA')) s.write('-ERR unknown command\r\n');
        if (d.toString().startsWith('QUIT')) s.end('+OK bye\r\n');
      });
    });
    try {
      const plain = await timedProbe('service', { host: '127.0.0.1', port: old.port }, { check: 'pop3' }, 2000);
      expect(plain.result.outcome).toBe('ok');
      expect(plain.result.facts).toEqual({ greeting: '+OK POP3 ready', starttls: 'not offered' });
      const tls = await timedProbe(
        'service',
        { host: '127.0.0.1', port: old.port },
        { check: 'pop3', starttls: true },
        2000,
      );
      expect(tls.result.outcome).toBe('tls');
      expect(tls.result.detail).toBe('STARTTLS (STLS) was asked for, but the server does not offer it');
    } finally {
      await old.close();
    }
  });

  it('a -ERR greeting is a refusal quoting it', async () => {
    const busy = await listen((s) => s.end('-ERR [SYS/TEMP] too many connections\r\n'));
    try {
      const { result } = await timedProbe('service', { host: '127.0.0.1', port: busy.port }, { check: 'pop3' }, 2000);
      expect(result.outcome).toBe('protocol');
      expect(result.phase).toBe('greeting');
      expect(result.detail).toBe('the server refused the session: "-ERR [SYS/TEMP] too many connections"');
    } finally {
      await busy.close();
    }
  });

  it('the wrong service on the port is a protocol mismatch, shown safely', async () => {
    const imap = await listen((s) => s.write('* OK [CAPABILITY IMAP4rev1]\tready\r\n'));
    try {
      const { result } = await timedProbe('service', { host: '127.0.0.1', port: imap.port }, { check: 'pop3' }, 2000);
      expect(result.outcome).toBe('protocol');
      expect(result.phase).toBe('greeting');
      expect(result.detail).toBe('expected a POP3 greeting ("+OK"), got "* OK [CAPABILITY IMAP4rev1]\\x09ready"');
    } finally {
      await imap.close();
    }
  });

  it('a server that accepts and stays silent times out within the deadline', async () => {
    const silent = await listen(() => undefined);
    try {
      const { result, waited } = await timedProbe(
        'service',
        { host: '127.0.0.1', port: silent.port },
        { check: 'pop3' },
        600,
      );
      expect(result.outcome).toBe('timeout');
      expect(result.phase).toBe('greeting');
      expect(result.detail).toBe('waited for a POP3 greeting ("+OK") until the deadline');
      expect(waited).toBeLessThan(600 + MARGIN_MS);
    } finally {
      await silent.close();
    }
  });
});
