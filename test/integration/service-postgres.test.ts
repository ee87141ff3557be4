import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Daemon } from '../helpers/daemons';
import { startPostgres } from '../helpers/daemons-binary';
import { listen } from '../helpers/net';
import { MARGIN_MS, timedProbe } from '../helpers/probe';

describe('PostgreSQL check against a real PostgreSQL 15', () => {
  let plain: Daemon;
  let secure: Daemon;
  beforeAll(async () => {
    [plain, secure] = await Promise.all([startPostgres(), startPostgres({ ssl: true })]);
  });
  afterAll(async () => {
    await plain?.stop();
    await secure?.stop();
  });

  const at = (d: Daemon): { host: string; port: number } => ({ host: '127.0.0.1', port: d.port });

  it('a server without TLS answers "N": alive, TLS not offered', async () => {
    const { result } = await timedProbe('service', at(plain), { check: 'postgres' }, 2000);
    expect(result.outcome).toBe('ok');
    expect(result.detail).toBe('PostgreSQL SSLRequest: alive, TLS not offered');
    expect(result.facts).toEqual({ tls: 'not offered' });
    expect(result.tls).toBeUndefined();
  });

  it('asked for TLS, a server that does not offer it fails', async () => {
    const { result } = await timedProbe('service', at(plain), { check: 'postgres', starttls: true }, 2000);
    expect(result.outcome).toBe('tls');
    expect(result.detail).toBe('PostgreSQL does not offer TLS (it answered "N" to SSLRequest)');
  });

  it('a server with ssl=on answers "S": the handshake is made and the certificate reported, untrusted or not', async () => {
    const { result } = await timedProbe('service', at(secure), { check: 'postgres' }, 3000);
    expect(result.outcome).toBe('ok');
    expect(result.detail).toMatch(/^PostgreSQL SSLRequest: alive, TLS \(TLSv1\.[23]\)$/);
    // Self-signed here: reported, not refused, since TLS was not asked for.
    expect(result.tls?.trusted).toBe(false);
    expect(result.tls?.daysLeft).toBeGreaterThan(0);
    expect(result.phases.tls).toBeGreaterThan(0);
  });

  it('with starttls the connection is upgraded and the certificate reported', async () => {
    const { result } = await timedProbe(
      'service',
      at(secure),
      { check: 'postgres', starttls: true, insecure: true },
      3000,
    );
    expect(result.outcome).toBe('ok');
    expect(result.detail).toMatch(/^PostgreSQL SSLRequest: alive, TLS \(TLSv1\.[23]\)$/);
    expect(result.facts?.tls).toMatch(/^TLSv1\.[23]$/);
    expect(result.tls).toMatchObject({ selfSigned: true, nameMatches: true, trusted: false });
    expect(result.tls?.altNames).toContain('DNS:localhost');
  });

  it('with starttls and no `insecure`, the self-signed certificate fails, and is still shown', async () => {
    const { result } = await timedProbe('service', at(secure), { check: 'postgres', starttls: true }, 3000);
    expect(result.outcome).toBe('tls');
    expect(result.tls?.selfSigned).toBe(true);
  });

  it('an error packet instead of "S"/"N" is a protocol failure quoting it', async () => {
    // What an old server or a pooler that refuses the request sends: ErrorResponse with fields.
    const fields = Buffer.from('SFATAL\0C08P01\0Munsupported frontend protocol 1234.5679\0\0');
    const head = Buffer.alloc(5);
    head.write('E');
    head.writeUInt32BE(4 + fields.length, 1);
    const refusing = await listen((s) => s.once('data', () => s.end(Buffer.concat([head, fields]))));
    try {
      const { result } = await timedProbe(
        'service',
        { host: '127.0.0.1', port: refusing.port },
        { check: 'postgres' },
        2000,
      );
      expect(result.outcome).toBe('protocol');
      expect(result.detail).toBe(
        'expected an answer to SSLRequest ("S" or "N") from PostgreSQL, got an error: "FATAL 08P01 unsupported frontend protocol 1234.5679"',
      );
    } finally {
      await refusing.close();
    }
  });

  it('the wrong service on the port is a protocol mismatch, shown safely', async () => {
    const ssh = await listen((s) => s.write('SSH-2.0-OpenSSH_9.2p1 Debian\r\n\u0001\u0002'));
    try {
      const { result } = await timedProbe(
        'service',
        { host: '127.0.0.1', port: ssh.port },
        { check: 'postgres' },
        2000,
      );
      expect(result.outcome).toBe('protocol');
      expect(result.detail).toBe(
        'expected an answer to SSLRequest ("S" or "N") from PostgreSQL, got "SSH-2.0-OpenSSH_9.2p1 Debian\\r\\n\\x01\\x02"',
      );
    } finally {
      await ssh.close();
    }
  });

  it('a server that accepts and stays silent times out within the deadline', async () => {
    const silent = await listen(() => undefined);
    try {
      const { result, waited } = await timedProbe(
        'service',
        { host: '127.0.0.1', port: silent.port },
        { check: 'postgres' },
        600,
      );
      expect(result.outcome).toBe('timeout');
      expect(result.phase).toBe('response');
      expect(result.detail).toBe('waited for an answer to SSLRequest ("S" or "N") until the deadline');
      expect(waited).toBeLessThan(600 + MARGIN_MS);
    } finally {
      await silent.close();
    }
  });
});
