import { afterEach, describe, expect, it } from 'vitest';
import { greetingChecks } from '../../main/core/discover/greeting';
import { BUDGET_TIMEOUTS, PROBE_ORDER, identify, stepsFor } from '../../main/core/discover/identify';
import { monotonic } from '../../main/core/probes/clock';
import { closedPort, listen } from '../helpers/net';
import { MARGIN_MS } from '../helpers/probe';

describe('what a greeting points to', () => {
  const checks = (text: string | Buffer): string[] => greetingChecks(Buffer.isBuffer(text) ? text : Buffer.from(text));

  it.each([
    ['SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n', ['ssh']],
    ['220 mail.example ESMTP Postfix\r\n', ['smtp', 'ftp']],
    ['220-mail.example Microsoft ESMTP MAIL Service ready\r\n', ['smtp', 'ftp']],
    ['220 (vsFTPd 3.0.3)\r\n', ['ftp', 'smtp']],
    ['220 ProFTPD Server (ESMTP-free FTP) ready\r\n', ['ftp', 'smtp']],
    ['* OK [CAPABILITY IMAP4rev1] Dovecot ready.\r\n', ['imap']],
    ['+OK Dovecot ready.\r\n', ['pop3']],
    ['HTTP/1.1 400 Bad Request\r\n', []],
    ['hello\r\n', []],
  ])('%j: %j', (greeting, expected) => {
    expect(checks(greeting)).toEqual(expected);
  });

  it('a MySQL handshake packet (protocol 10) or its error packet is MySQL; a cut one is not', () => {
    const payload = Buffer.concat([Buffer.from([0x0a]), Buffer.from('10.11.6-MariaDB\0'), Buffer.alloc(20)]);
    const head = Buffer.from([payload.length, 0, 0, 0]);
    expect(checks(Buffer.concat([head, payload]))).toEqual(['mysql']);
    const refusal = Buffer.concat([Buffer.from([0xff, 0x6a, 0x04]), Buffer.from("Host '10.0.0.9' is not allowed")]);
    expect(checks(Buffer.concat([Buffer.from([refusal.length, 0, 0, 0]), refusal]))).toEqual(['mysql']);
    expect(checks(Buffer.concat([head, payload.subarray(0, 5)]))).toEqual([]);
  });
});

describe('the order probe-first checks are tried in', () => {
  it("the port number's catalog service goes first", () => {
    expect(stepsFor(6379)[0]).toBe('redis');
    expect(stepsFor(27017)[0]).toBe('mongodb');
    expect(stepsFor(9200)[0]).toBe('elasticsearch');
    expect(stepsFor(80)[0]).toBe('http');
    // 443, 465, 993 and 995 speak TLS from the first byte.
    for (const port of [443, 465, 993, 995]) expect(stepsFor(port)[0]).toBe('tls');
  });

  it('a port the catalog does not know gets every probe-first check, each once', () => {
    expect(stepsFor(6380)).toEqual([...PROBE_ORDER]);
    expect(new Set(stepsFor(11211)).size).toBe(stepsFor(11211).length);
  });
});

describe('identify on loopback', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
  });
  const server = async (onConnection: Parameters<typeof listen>[0]): Promise<number> => {
    const l = await listen(onConnection);
    closers.push(l.close);
    return l.port;
  };

  it('a port that accepts and never answers is open, unidentified, within the budget', async () => {
    const port = await server(() => undefined);
    const timeoutMs = 300;
    const start = monotonic();
    const r = await identify({ host: '127.0.0.1', port }, { timeoutMs });
    const waited = monotonic() - start;
    expect(r).toMatchObject({ state: 'open', kind: 'tcp', address: '127.0.0.1' });
    expect(r.service).toBeUndefined();
    expect(r.detail).toMatch(/^says nothing first; no check recognised it \(tried memcached, redis, /);
    expect(r.detail).toMatch(/gave up after 3 × the timeout, untried: /);
    expect(waited).toBeLessThan(BUDGET_TIMEOUTS * timeoutMs + MARGIN_MS);
  });

  it('a greeting no check knows is quoted', async () => {
    const port = await server((s) => s.end('WELCOME TO THE MAINFRAME\r\n'));
    const r = await identify({ host: '127.0.0.1', port }, { timeoutMs: 500 });
    expect(r).toMatchObject({ state: 'open', kind: 'tcp' });
    expect(r.detail).toBe('greets with "WELCOME TO THE MAINFRAME\\r\\n", which no check recognises');
  });

  it('a greeting that looks like SSH but is not is not named SSH, and says what its check said', async () => {
    const port = await server((s) => s.end('SSH-banana\r\n'));
    const r = await identify({ host: '127.0.0.1', port }, { timeoutMs: 500 });
    expect(r.service).toBeUndefined();
    expect(r.detail).toMatch(/^greets with "SSH-banana\\r\\n", but the ssh check did not pass: expected an SSH banner/);
  });

  it('a server that hangs up at once is open, and says so', async () => {
    const port = await server((s) => s.destroy());
    const r = await identify({ host: '127.0.0.1', port }, { timeoutMs: 500 });
    expect(r.state).toBe('open');
    expect(r.detail).toMatch(/^accepts, then hangs up without a word; no check recognised it/);
  });

  it('a Redis-speaking server on an odd port is named Redis', async () => {
    const port = await server((s) =>
      s.on('data', (d: Buffer) => s.write(d.toString().startsWith('PING') ? '+PONG\r\n' : '-ERR unknown command\r\n')),
    );
    const r = await identify({ host: '127.0.0.1', port }, { timeoutMs: 500 });
    expect(r).toMatchObject({
      state: 'open',
      service: 'redis',
      kind: 'service',
      check: 'redis',
      detail: 'Redis PING: PONG',
    });
  });

  it('a refused port is closed, fast', async () => {
    const r = await identify({ host: '127.0.0.1', port: await closedPort() }, { timeoutMs: 2000 });
    expect(r.state).toBe('closed');
    expect(r.ms).toBeLessThan(500);
  });
});
