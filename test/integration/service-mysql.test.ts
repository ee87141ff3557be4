import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Daemon } from '../helpers/daemons';
import { startMariadb } from '../helpers/daemons-binary';
import { listen } from '../helpers/net';
import { MARGIN_MS, timedProbe } from '../helpers/probe';

/** A client that connects and waits for the greeting, then holds its place. */
const holdConnection = (port: number): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('data', () => resolve(s));
    s.once('error', reject);
  });

describe('MySQL check against a real MariaDB 10.11', () => {
  let db: Daemon;
  let secure: Daemon;
  beforeAll(async () => {
    [db, secure] = await Promise.all([startMariadb(), startMariadb({ ssl: true })]);
  });
  afterAll(async () => {
    await db?.stop();
    await secure?.stop();
  });

  it('reads the greeting: version, TLS and authentication plugin', async () => {
    const { result } = await timedProbe('service', { host: '127.0.0.1', port: db.port }, { check: 'mysql' }, 2000);
    expect(result.outcome).toBe('ok');
    expect(result.phase).toBe('greeting');
    expect(result.detail).toMatch(/^MySQL greeting: server 10\.11\.\d+-MariaDB/);
    expect(result.facts?.version).toMatch(/^10\.11\.\d+-MariaDB/);
    expect(result.facts).toMatchObject({ tls: 'not offered', authPlugin: 'mysql_native_password' });
  });

  it('asked for TLS, a server that does not offer it fails', async () => {
    const { result } = await timedProbe(
      'service',
      { host: '127.0.0.1', port: db.port },
      { check: 'mysql', starttls: true },
      2000,
    );
    expect(result.outcome).toBe('tls');
    expect(result.detail).toBe('MySQL does not offer TLS (its greeting lacks CLIENT_SSL)');
  });

  it('a server with a certificate offers TLS; with starttls the connection is upgraded and the certificate reported', async () => {
    const plain = await timedProbe('service', { host: '127.0.0.1', port: secure.port }, { check: 'mysql' }, 2000);
    expect(plain.result.outcome).toBe('ok');
    expect(plain.result.facts?.tls).toBe('offered');
    expect(plain.result.tls).toBeUndefined();
    const { result } = await timedProbe(
      'service',
      { host: '127.0.0.1', port: secure.port },
      { check: 'mysql', starttls: true, insecure: true },
      3000,
    );
    expect(result.outcome).toBe('ok');
    expect(result.detail).toMatch(/^MySQL greeting: server 10\.11\.\d+-MariaDB\S*, TLS \(TLSv1\.[23]\)$/);
    expect(result.facts?.tls).toMatch(/^TLSv1\.[23]$/);
    expect(result.tls).toMatchObject({ selfSigned: true, nameMatches: true });
    const strict = await timedProbe(
      'service',
      { host: '127.0.0.1', port: secure.port },
      { check: 'mysql', starttls: true },
      3000,
    );
    expect(strict.result.outcome).toBe('tls');
    expect(strict.result.tls?.selfSigned).toBe(true);
  });

  it('an error packet instead of the greeting is a protocol failure with the server\u2019s words', async () => {
    // Sent before the handshake, so without the "#" SQL state (as MySQL and MariaDB do).
    const message = Buffer.from("Host '10.1.2.3' is not allowed to connect to this MariaDB server");
    const payload = Buffer.concat([Buffer.from([0xff, 0x6a, 0x04]), message]);
    const head = Buffer.from([payload.length & 0xff, payload.length >> 8, 0, 0]);
    const refusing = await listen((s) => s.end(Buffer.concat([head, payload])));
    try {
      const { result } = await timedProbe(
        'service',
        { host: '127.0.0.1', port: refusing.port },
        { check: 'mysql' },
        2000,
      );
      expect(result.outcome).toBe('protocol');
      expect(result.detail).toBe(
        `MySQL refused the connection: error 1130: "Host '10.1.2.3' is not allowed to connect to this MariaDB server"`,
      );
    } finally {
      await refusing.close();
    }
  });

  it('the wrong service on the port is a protocol mismatch, shown safely', async () => {
    const ssh = await listen((s) => s.write('SSH-2.0-OpenSSH_9.2p1 Debian\r\n\u0001\u0002'));
    try {
      const { result } = await timedProbe('service', { host: '127.0.0.1', port: ssh.port }, { check: 'mysql' }, 2000);
      expect(result.outcome).toBe('protocol');
      expect(result.detail).toBe(
        'expected a MySQL greeting (protocol 10), got "SSH-2.0-OpenSSH_9.2p1 Debian\\r\\n\\x01\\x02"',
      );
    } finally {
      await ssh.close();
    }
  });

  it('a truncated greeting is a protocol failure quoting what came', async () => {
    const cut = await listen((s) => s.end(Buffer.from([0x64, 0, 0, 0, 0x0a, 0x38, 0x2e, 0x30])));
    try {
      const { result } = await timedProbe('service', { host: '127.0.0.1', port: cut.port }, { check: 'mysql' }, 2000);
      expect(result.outcome).toBe('protocol');
      expect(result.detail).toBe('expected a MySQL greeting, got a truncated reply: "d\\x00\\x00\\x00\\n8.0"');
    } finally {
      await cut.close();
    }
  });

  it('a server that accepts and stays silent times out within the deadline', async () => {
    const silent = await listen(() => undefined);
    try {
      const { result, waited } = await timedProbe(
        'service',
        { host: '127.0.0.1', port: silent.port },
        { check: 'mysql' },
        600,
      );
      expect(result.outcome).toBe('timeout');
      expect(result.phase).toBe('greeting');
      expect(result.detail).toBe('waited for a MySQL greeting until the deadline');
      expect(waited).toBeLessThan(600 + MARGIN_MS);
    } finally {
      await silent.close();
    }
  });

  // Last: it fills the server (max_connections 10, plus the one MariaDB keeps for an admin).
  it('a full server answers "Too many connections": a protocol failure with its message', async () => {
    const held: Socket[] = [];
    try {
      for (let i = 0; i < 11; i++) held.push(await holdConnection(db.port));
      const { result } = await timedProbe('service', { host: '127.0.0.1', port: db.port }, { check: 'mysql' }, 2000);
      expect(result.outcome).toBe('protocol');
      expect(result.detail).toBe('MySQL refused the connection: error 1040: "Too many connections"');
    } finally {
      for (const s of held) s.destroy();
    }
  });
});
