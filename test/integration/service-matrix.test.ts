import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Outcome, ProbeResult } from '../../shared/probe';
import type { ServiceOptions } from '../../main/core/probes/types';
import { makePki } from '../helpers/certs';
import { startRedis } from '../helpers/daemons';
import { startMariadb, startMosquitto, startPostgres, startRabbitmq } from '../helpers/daemons-binary';
import { startDovecot, startMemcached, startSmtpSink, startSshd, startVsftpd } from '../helpers/daemons-text';
import { startNginx } from '../helpers/daemons-web';
import { startDnsmasq } from '../helpers/net';
import { timedProbe } from '../helpers/probe';

// The acceptance matrix: for each real server, (1) its own check is `ok`, with its version where
// the protocol gives one; (2) the check of another service aimed at its port is `protocol` (or,
// where the server never says anything to a stranger, the outcome it does produce, with why);
// (3) once the server is stopped, its own check is `refused`.

const pki = makePki();

/** A started server as the table needs it: where it listens, and how to stop it (once). */
interface Running {
  ports: Record<string, number>;
  stop: () => Promise<void>;
}

/** Stops at most once, however many rows share the server (nginx, dovecot) and afterAll too. */
function once(stop: () => Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => (stopping ??= stop());
}

const starters = {
  redis: async (): Promise<Running> => {
    const d = await startRedis();
    return { ports: { main: d.port }, stop: once(d.stop) };
  },
  postgres: async (): Promise<Running> => {
    const d = await startPostgres();
    return { ports: { main: d.port }, stop: once(d.stop) };
  },
  mariadb: async (): Promise<Running> => {
    const d = await startMariadb();
    return { ports: { main: d.port }, stop: once(d.stop) };
  },
  memcached: async (): Promise<Running> => {
    const d = await startMemcached();
    return { ports: { main: d.port }, stop: once(d.stop) };
  },
  nginx: async (): Promise<Running> => {
    const d = await startNginx({ tls: pki.valid });
    return { ports: { main: d.port, tls: d.tlsPort ?? 0 }, stop: once(d.stop) };
  },
  smtpSink: async (): Promise<Running> => {
    const d = await startSmtpSink();
    return { ports: { main: d.port }, stop: once(d.stop) };
  },
  dovecot: async (): Promise<Running> => {
    const d = await startDovecot(pki.valid);
    return { ports: { main: d.imap, tls: d.imaps }, stop: once(d.stop) };
  },
  vsftpd: async (): Promise<Running> => {
    const d = await startVsftpd();
    return { ports: { main: d.port }, stop: once(d.stop) };
  },
  sshd: async (): Promise<Running> => {
    const d = await startSshd();
    return { ports: { main: d.port }, stop: once(d.stop) };
  },
  dnsmasq: async (): Promise<Running> => {
    const d = await startDnsmasq({ 'web.test': ['192.0.2.10'] });
    return { ports: { main: d.port }, stop: once(d.stop) };
  },
  rabbitmq: async (): Promise<Running> => {
    const d = await startRabbitmq();
    return { ports: { main: d.port }, stop: once(d.stop) };
  },
  mosquitto: async (): Promise<Running> => {
    const d = await startMosquitto();
    return { ports: { main: d.port }, stop: once(d.stop) };
  },
};
type ServerName = keyof typeof starters;

/** One probe of a row: a service check with its options, or the http probe with its URL. */
type Check = { service: ServiceOptions } | { http: { scheme: 'http' | 'https'; ca?: string[] } };

interface Row {
  /** The row's title. */
  name: string;
  server: ServerName;
  /** Which of the server's ports: `main` or `tls`. */
  port?: string;
  /** Its own check(s), each expected `ok`, and what each result must show. */
  up: { check: Check; expect: (r: ProbeResult) => void }[];
  /** Another service's check aimed at the port, the outcome it produces, and its detail. */
  foreign: { check: Check; outcome: Outcome; detail: RegExp; timeoutMs?: number };
}

const service = (options: ServiceOptions): Check => ({ service: options });
const tlsCa = { ca: [pki.ca.cert] };

const trustedLocalhost = (r: ProbeResult): void => {
  expect(r.tls).toMatchObject({
    subject: 'CN=localhost',
    issuer: 'CN=Portwatch Test CA',
    trusted: true,
    nameMatches: true,
    selfSigned: false,
  });
  expect(r.tls?.daysLeft).toBeGreaterThan(80);
  expect(r.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
};

/** The server hung up on the request (a reset, or a plain close when it read every byte first). */
const HUNG_UP =
  /^expected .*, but the server hung up without a reply \((connection reset by peer \(ECONNRESET\)|the server closed the connection)\): is another service on this port\?$/;

const ROWS: Row[] = [
  {
    name: 'redis-server',
    server: 'redis',
    up: [{ check: service({ check: 'redis' }), expect: (r) => expect(r.detail).toBe('Redis PING: PONG') }],
    // PING gives no version. Redis answers memcached's "version" with an error line.
    foreign: {
      check: service({ check: 'memcached' }),
      outcome: 'protocol',
      detail: /^expected "VERSION x\.y\.z" from memcached, got "-ERR unknown command 'version'/,
    },
  },
  {
    name: 'PostgreSQL',
    server: 'postgres',
    // The SSLRequest exchange gives no version, only whether TLS is offered.
    up: [
      {
        check: service({ check: 'postgres' }),
        expect: (r) => expect(r.facts).toEqual({ tls: 'not offered' }),
      },
    ],
    // PostgreSQL reads the first 4 bytes as a big-endian startup-packet length: every other
    // client-first check ("PING\r\n", "version\r\n", an AMQP or MQTT header, an HTTP request, a
    // DNS query) makes an absurd length, so it logs "invalid length of startup packet" and closes
    // without a word; server-first checks just wait (timeout). Hanging up on a request is an
    // empty reply: a protocol mismatch.
    foreign: { check: service({ check: 'redis' }), outcome: 'protocol', detail: HUNG_UP },
  },
  {
    name: 'MariaDB',
    server: 'mariadb',
    up: [
      {
        check: service({ check: 'mysql' }),
        expect: (r) => expect(r.facts?.version).toMatch(/^\d+\.\d+\.\d+-MariaDB/),
      },
    ],
    // MariaDB speaks first: its binary handshake packet is no Redis reply.
    foreign: {
      check: service({ check: 'redis' }),
      outcome: 'protocol',
      detail: /^expected "\+PONG" from Redis, got "/,
    },
  },
  {
    name: 'memcached',
    server: 'memcached',
    up: [
      {
        check: service({ check: 'memcached' }),
        expect: (r) => expect(r.facts?.version).toMatch(/^\d+\.\d+\.\d+$/),
      },
    ],
    // memcached answers an unknown command ("PING") with "ERROR".
    foreign: {
      check: service({ check: 'redis' }),
      outcome: 'protocol',
      detail: /^expected "\+PONG" from Redis, got "ERROR"$/,
    },
  },
  {
    name: 'nginx HTTP',
    server: 'nginx',
    // The http probe does not keep the Server: header, so no version here.
    up: [{ check: { http: { scheme: 'http' } }, expect: (r) => expect(r.http?.status).toBe(200) }],
    // nginx answers "PING" with 400 Bad Request.
    foreign: {
      check: service({ check: 'redis' }),
      outcome: 'protocol',
      detail: /^expected "\+PONG" from Redis, got "HTTP\/1\.1 400 Bad Request"$/,
    },
  },
  {
    name: 'nginx HTTPS',
    server: 'nginx',
    port: 'tls',
    up: [
      {
        check: { http: { scheme: 'https', ...tlsCa } },
        expect: (r) => {
          expect(r.http?.status).toBe(200);
          trustedLocalhost(r);
        },
      },
    ],
    // Over TLS, nginx answers "PING" with 400 Bad Request as over plain HTTP.
    foreign: {
      check: service({ check: 'redis', implicitTls: true, ...tlsCa }),
      outcome: 'protocol',
      detail: /^expected "\+PONG" from Redis, got "HTTP\/1\.1 400 Bad Request"$/,
    },
  },
  {
    name: 'Postfix smtp-sink',
    server: 'smtpSink',
    // smtp-sink's greeting names no version.
    up: [
      {
        check: service({ check: 'smtp' }),
        expect: (r) => expect(r.facts).toMatchObject({ greeting: '220 smtp-sink ESMTP', starttls: 'not offered' }),
      },
    ],
    // Both greet with "220": the ftp check must still tell SMTP apart.
    foreign: {
      check: service({ check: 'ftp' }),
      outcome: 'protocol',
      detail: /^expected an FTP server, got an SMTP greeting: "220 smtp-sink ESMTP"$/,
    },
  },
  {
    name: 'Dovecot IMAP',
    server: 'dovecot',
    // Dovecot's greeting names the software, not its version.
    up: [
      {
        check: service({ check: 'imap' }),
        expect: (r) =>
          expect(r.facts).toMatchObject({ greeting: expect.stringMatching(/Dovecot/), starttls: 'offered' }),
      },
    ],
    foreign: {
      check: service({ check: 'redis' }),
      outcome: 'protocol',
      detail: /^expected "\+PONG" from Redis, got "\* OK /,
    },
  },
  {
    name: 'Dovecot IMAPS',
    server: 'dovecot',
    port: 'tls',
    up: [
      {
        check: service({ check: 'imap', implicitTls: true, ...tlsCa }),
        expect: (r) => {
          expect(r.facts?.greeting).toMatch(/Dovecot/);
          trustedLocalhost(r);
        },
      },
    ],
    // POP3S aimed at the IMAPS port: TLS succeeds, then the IMAP greeting is no "+OK".
    foreign: {
      check: service({ check: 'pop3', implicitTls: true, ...tlsCa }),
      outcome: 'protocol',
      detail: /^expected a POP3 greeting \("\+OK"\), got "\* OK /,
    },
  },
  {
    name: 'vsftpd',
    server: 'vsftpd',
    // The configured banner (ftpd_banner) replaces vsftpd's version.
    up: [
      {
        check: service({ check: 'ftp' }),
        expect: (r) => expect(r.facts).toMatchObject({ greeting: '220 portwatch-test FTP ready' }),
      },
    ],
    foreign: {
      check: service({ check: 'redis' }),
      outcome: 'protocol',
      detail: /^expected "\+PONG" from Redis, got "220 portwatch-test FTP ready"$/,
    },
  },
  {
    name: 'OpenSSH sshd',
    server: 'sshd',
    up: [
      {
        check: service({ check: 'ssh' }),
        expect: (r) =>
          expect(r.facts).toMatchObject({
            protocol: '2.0',
            software: 'OpenSSH',
            version: expect.stringMatching(/^\d+\.\d+/),
          }),
      },
    ],
    foreign: {
      check: service({ check: 'redis' }),
      outcome: 'protocol',
      detail: /^expected "\+PONG" from Redis, got "SSH-2\.0-OpenSSH_/,
    },
  },
  {
    name: 'dnsmasq',
    server: 'dnsmasq',
    up: [
      {
        check: service({ check: 'dns', settings: { name: 'web.test', transport: 'tcp' } }),
        expect: (r) =>
          expect(r.facts).toEqual({ rcode: 'NOERROR', answers: '1', transport: 'tcp', first: '192.0.2.10' }),
      },
      {
        check: service({ check: 'dns', settings: { name: 'web.test', transport: 'udp' } }),
        expect: (r) =>
          expect(r.facts).toEqual({ rcode: 'NOERROR', answers: '1', transport: 'udp', first: '192.0.2.10' }),
      },
      {
        // Without a name the check asks version.bind (CHAOS TXT): dnsmasq tells its version.
        check: service({ check: 'dns', settings: { transport: 'udp' } }),
        expect: (r) => expect(r.facts?.first).toMatch(/dnsmasq-\d+\.\d+/),
      },
    ],
    // Over TCP, dnsmasq reads the first two bytes as the message length: "PING\r\n" announces
    // 0x5049 (20553) bytes, so it would wait for the rest; an SSLRequest's two zero bytes make it
    // hang up instead, an empty reply: a protocol mismatch.
    foreign: { check: service({ check: 'postgres' }), outcome: 'protocol', detail: HUNG_UP },
  },
  {
    name: 'RabbitMQ',
    server: 'rabbitmq',
    up: [
      {
        check: service({ check: 'amqp' }),
        expect: (r) =>
          expect(r.facts).toMatchObject({ product: 'RabbitMQ', version: expect.stringMatching(/^\d+\.\d+\.\d+$/) }),
      },
    ],
    // RabbitMQ answers any 8 bytes that are not its protocol header with the header it speaks.
    foreign: {
      check: service({ check: 'postgres' }),
      outcome: 'protocol',
      detail: /^expected an answer to SSLRequest \("S" or "N"\) from PostgreSQL, got "AMQP\\x00\\x00\\x09\\x01"$/,
    },
  },
  {
    name: 'Mosquitto',
    server: 'mosquitto',
    // CONNACK carries no version.
    up: [
      { check: service({ check: 'mqtt' }), expect: (r) => expect(r.detail).toBe('MQTT CONNECT: connection accepted') },
    ],
    // Mosquitto drops a connection whose first packet is not CONNECT, unread bytes and all:
    // hanging up on a request is an empty reply, a protocol mismatch.
    foreign: { check: service({ check: 'redis' }), outcome: 'protocol', detail: HUNG_UP },
  },
];

const TIMEOUT_MS = 3000;

function probe(check: Check, port: number, timeoutMs = TIMEOUT_MS): Promise<{ result: ProbeResult }> {
  const target = { host: '127.0.0.1', port };
  if ('service' in check) return timedProbe('service', target, check.service, timeoutMs);
  const { scheme, ca } = check.http;
  const host = scheme === 'https' ? 'localhost' : '127.0.0.1';
  return timedProbe('http', target, { url: `${scheme}://${host}:${port}/`, ...(ca ? { ca } : {}) }, timeoutMs);
}

describe('every real server: up, aimed at by another check, stopped', () => {
  const running: Partial<Record<ServerName, Running>> = {};
  const server = (name: ServerName): Running => {
    const r = running[name];
    if (!r) throw new Error(`${name} did not start`);
    return r;
  };

  beforeAll(async () => {
    const started = await Promise.allSettled(
      Object.entries(starters).map(async ([name, start]) => {
        running[name as ServerName] = await start();
      }),
    );
    const failed = started.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed.length) throw new Error(failed.map((f) => String(f.reason)).join('\n'));
  }, 90_000);

  afterAll(async () => {
    await Promise.all(Object.values(running).map((r) => r.stop()));
  });

  const portOf = (row: Row): number => {
    const p = server(row.server).ports[row.port ?? 'main'];
    if (p === undefined) throw new Error(`${row.server} has no ${row.port} port`);
    return p;
  };

  // Stopping comes last, as nginx and dovecot each serve two rows.
  describe('up: its own check is ok', () => {
    it.each(ROWS)('$name', async (row) => {
      for (const { check, expect: see } of row.up) {
        const { result } = await probe(check, portOf(row));
        expect(result.outcome, result.detail).toBe('ok');
        see(result);
      }
    });
  });

  describe("another service's check aimed at its port", () => {
    it.each(ROWS)('$name: $foreign.outcome', async (row) => {
      const { result } = await probe(row.foreign.check, portOf(row), row.foreign.timeoutMs);
      expect(result.outcome, result.detail).toBe(row.foreign.outcome);
      expect(result.detail).toMatch(row.foreign.detail);
    });
  });

  describe('stopped: its own check is refused', () => {
    it.each(ROWS)('$name', async (row) => {
      await server(row.server).stop();
      const first = row.up[0];
      if (!first) throw new Error(`${row.name} has no check`);
      const { result } = await probe(first.check, portOf(row));
      expect(result.outcome, result.detail).toBe('refused');
    });
  });
});
