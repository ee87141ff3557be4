import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePki, type TestPki } from '../helpers/certs';
import { startDovecot, type MailDaemon } from '../helpers/daemons-text';
import { listen } from '../helpers/net';
import { MARGIN_MS, timedProbe } from '../helpers/probe';

describe('IMAP check against a real Dovecot', () => {
  let pki: TestPki;
  let dovecot: MailDaemon;
  beforeAll(async () => {
    pki = makePki();
    dovecot = await startDovecot(pki.valid);
  });
  afterAll(async () => {
    await dovecot?.stop();
  });

  it('reads the greeting and its capabilities, then logs out', async () => {
    const { result } = await timedProbe('service', { host: '127.0.0.1', port: dovecot.imap }, { check: 'imap' }, 3000);
    expect(result.outcome).toBe('ok');
    expect(result.detail).toMatch(/^IMAP: \* OK \[CAPABILITY IMAP4rev1 .*\] Dovecot.* ready\.$/);
    expect(result.facts).toMatchObject({ starttls: 'offered' });
    expect(result.tls).toBeUndefined();
    // Dovecot logs a clean logout, not a dropped connection.
    await expect.poll(() => dovecot.log(), { timeout: 3000 }).toMatch(/imap-login: .*Aborted login by logging out/);
  });

  it('STARTTLS: a1 STARTTLS, a1 OK, TLS with the certificate reported', async () => {
    const { result } = await timedProbe(
      'service',
      { host: '127.0.0.1', port: dovecot.imap },
      { check: 'imap', starttls: true, ca: [pki.ca.cert] },
      3000,
    );
    expect(result.outcome).toBe('ok');
    expect(result.detail).toMatch(/^IMAP: \* OK .*, STARTTLS$/);
    expect(result.tls).toMatchObject({ trusted: true, nameMatches: true, selfSigned: false });
  });

  it('implicit TLS (imaps): TLS first, then the same dialogue', async () => {
    const { result } = await timedProbe(
      'service',
      { host: '127.0.0.1', port: dovecot.imaps },
      { check: 'imap', implicitTls: true, ca: [pki.ca.cert] },
      3000,
    );
    expect(result.outcome).toBe('ok');
    expect(result.detail).toMatch(/^IMAP: \* OK .*Dovecot/);
    expect(result.tls).toMatchObject({ trusted: true, nameMatches: true });
  });

  it('a server that lists no capabilities in its greeting is asked for them', async () => {
    const bare = await listen((s) => {
      s.write('* OK IMAP4rev1 server ready\r\n');
      s.on('data', (d: Buffer) => {
        const text = d.toString();
        if (text.startsWith('a0 CAPABILITY'))
          s.write('* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\na0 OK done\r\n');
        if (text.startsWith('a2 LOGOUT')) s.end('* BYE bye\r\na2 OK done\r\n');
      });
    });
    try {
      const { result } = await timedProbe('service', { host: '127.0.0.1', port: bare.port }, { check: 'imap' }, 2000);
      expect(result.outcome).toBe('ok');
      expect(result.facts).toEqual({ greeting: '* OK IMAP4rev1 server ready', starttls: 'offered' });
    } finally {
      await bare.close();
    }
  });

  it('a PREAUTH greeting is alive and preauthenticated; a BYE greeting is a refusal', async () => {
    const pre = await listen((s) => s.write('* PREAUTH [CAPABILITY IMAP4rev1] welcome\r\n'));
    const bye = await listen((s) => s.end('* BYE Too many connections\r\n'));
    try {
      const ok = await timedProbe('service', { host: '127.0.0.1', port: pre.port }, { check: 'imap' }, 1000);
      expect(ok.result.outcome).toBe('ok');
      expect(ok.result.facts).toMatchObject({ auth: 'preauthenticated', starttls: 'not offered' });
      const refused = await timedProbe('service', { host: '127.0.0.1', port: bye.port }, { check: 'imap' }, 2000);
      expect(refused.result.outcome).toBe('protocol');
      expect(refused.result.phase).toBe('greeting');
      expect(refused.result.detail).toBe('the server refused the session: "* BYE Too many connections"');
    } finally {
      await pre.close();
      await bye.close();
    }
  });

  it('STARTTLS asked of a server that does not offer it fails as tls', async () => {
    const plain = await listen((s) => s.write('* OK [CAPABILITY IMAP4rev1] ready\r\n'));
    try {
      const { result } = await timedProbe(
        'service',
        { host: '127.0.0.1', port: plain.port },
        { check: 'imap', starttls: true },
        2000,
      );
      expect(result.outcome).toBe('tls');
      expect(result.detail).toBe('STARTTLS was asked for, but the server does not offer it');
    } finally {
      await plain.close();
    }
  });

  it('the wrong service on the port is a protocol mismatch, shown safely', async () => {
    const pop = await listen((s) => s.write('+OK Dovecot ready.\u0007\r\n'));
    try {
      const { result } = await timedProbe('service', { host: '127.0.0.1', port: pop.port }, { check: 'imap' }, 2000);
      expect(result.outcome).toBe('protocol');
      expect(result.phase).toBe('greeting');
      expect(result.detail).toBe('expected an IMAP greeting ("* OK"), got "+OK Dovecot ready.\\x07"');
    } finally {
      await pop.close();
    }
  });

  it('a server that accepts and stays silent times out within the deadline', async () => {
    const silent = await listen(() => undefined);
    try {
      const { result, waited } = await timedProbe(
        'service',
        { host: '127.0.0.1', port: silent.port },
        { check: 'imap' },
        600,
      );
      expect(result.outcome).toBe('timeout');
      expect(result.phase).toBe('greeting');
      expect(result.detail).toBe('waited for an IMAP greeting ("* OK") until the deadline');
      expect(waited).toBeLessThan(600 + MARGIN_MS);
    } finally {
      await silent.close();
    }
  });
});
