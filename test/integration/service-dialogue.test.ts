import { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePki, type TestPki } from '../helpers/certs';
import { startRedis, type Daemon } from '../helpers/daemons';
import { listen } from '../helpers/net';
import { MARGIN_MS, timedProbe } from '../helpers/probe';

const target = (port: number): { host: string; port: number } => ({ host: '127.0.0.1', port });
const steps = (...s: unknown[]): { check: string; settings: Record<string, unknown> } => ({
  check: 'dialogue',
  settings: { steps: s },
});

describe('dialogue check (steps as data) against a real redis-server and loopback listeners', () => {
  let redis: Daemon;
  let pki: TestPki;
  beforeAll(async () => {
    redis = await startRedis();
    pki = makePki();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('send "PING\\r\\n", expect ^\\+PONG passes against Redis', async () => {
    const { result } = await timedProbe(
      'service',
      target(redis.port),
      steps({ send: 'PING\r\n' }, { expect: '^\\+PONG' }),
      2000,
    );
    expect(result.outcome).toBe('ok');
    expect(result.detail).toBe('Dialogue: 2 steps passed, last reply "+PONG"');
    expect(result.facts).toEqual({ steps: '2' });
  });

  it('sendHex and expectHex speak bytes (RESP array PING, +PONG)', async () => {
    const { result } = await timedProbe(
      'service',
      target(redis.port),
      steps({ sendHex: '2a310d0a 24340d0a 50494e47 0d0a' }, { expectHex: '2b504f4e47' }, { expect: '^$' }),
      2000,
    );
    expect(result.outcome).toBe('ok');
    expect(result.detail).toBe('Dialogue: 3 steps passed, last reply ""');
  });

  it('a server saying something else fails the step, naming it and showing what arrived safely', async () => {
    const garbage = await listen((s) => s.end('\u0000\u0001garbage\r\nSSH-2.0-OpenSSH_9.2p1\r\n'));
    try {
      const { result } = await timedProbe('service', target(garbage.port), steps({ expect: '^220 ' }), 2000);
      expect(result.outcome).toBe('protocol');
      expect(result.phase).toBe('greeting');
      expect(result.detail).toBe(
        'step 1 (expect /^220 /): no matching line, got "\\x00\\x01garbage\\nSSH-2.0-OpenSSH_9.2p1", then the server closed the connection',
      );
    } finally {
      await garbage.close();
    }
  });

  it('expectHex shows the bytes that came instead', async () => {
    const { result } = await timedProbe(
      'service',
      target(redis.port),
      steps({ send: 'PING\r\n' }, { expectHex: '2d45' }),
      2000,
    );
    expect(result.outcome).toBe('protocol');
    expect(result.phase).toBe('response');
    expect(result.detail).toBe('step 2 (expectHex 2d45): got 2b50 "+P"');
  });

  it('a silent server times out within the deadline, naming the step it waited in', async () => {
    const silent = await listen(() => undefined);
    try {
      const { result, waited } = await timedProbe(
        'service',
        target(silent.port),
        steps({ send: 'HELLO\r\n' }, { expect: 'WORLD' }),
        600,
      );
      expect(result.outcome).toBe('timeout');
      expect(result.phase).toBe('response');
      expect(result.detail).toBe('step 2 (expect /WORLD/): waited for a matching line until the deadline');
      expect(waited).toBeLessThan(600 + MARGIN_MS);
    } finally {
      await silent.close();
    }
  });

  it('a server that sends endless non-matching lines is cut off after a bounded number of bytes', async () => {
    const chatty = await listen((s) => {
      const blob = Buffer.from('NOPE\r\n'.repeat(10_000));
      const pump = (): void => {
        while (!s.destroyed && s.write(blob));
        if (!s.destroyed) s.once('drain', pump);
      };
      pump();
    });
    try {
      const { result } = await timedProbe('service', target(chatty.port), steps({ expect: '^OK' }), 2000);
      expect(result.outcome).toBe('protocol');
      expect(result.detail).toBe('step 1 (expect /^OK/): no matching line in 16384 bytes, last "NOPE\\nNOPE\\nNOPE"');
    } finally {
      await chatty.close();
    }
  });

  it('starttls upgrades mid-dialogue and the rest runs over TLS', async () => {
    const server = await listen((s) => {
      s.write('220 ready\r\n');
      s.once('data', () => {
        s.write('220 go ahead\r\n', () => {
          const secure = new TLSSocket(s, { isServer: true, key: pki.valid.key, cert: pki.valid.cert });
          secure.on('error', () => undefined);
          secure.once('data', (d) => secure.end(`secure hello, you said ${d.toString().trim()}\r\n`));
        });
      });
    });
    try {
      const { result } = await timedProbe(
        'service',
        target(server.port),
        {
          ...steps(
            { expect: '^220 ' },
            { send: 'STARTTLS\r\n' },
            { expect: '^220 ' },
            { starttls: true },
            { send: 'HI\r\n' },
            { expect: '^secure hello' },
          ),
          ca: [pki.ca.cert],
        },
        3000,
      );
      expect(result.outcome).toBe('ok');
      expect(result.detail).toBe('Dialogue: 6 steps passed, last reply "secure hello, you said HI"');
      expect(result.tls?.subject).toMatch(/localhost/);
      expect(result.phases.tls).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it.each([
    [{}, 'dialogue settings: "steps" must be a non-empty list of'],
    [{ steps: [] }, 'dialogue settings: "steps" must be a non-empty list of'],
    [
      { steps: [{ send: 'x' }, { expect: '(' }] },
      'dialogue settings: step 2 (expect) is not a valid regular expression',
    ],
    [
      { steps: [{ sendHex: 'abc' }] },
      'dialogue settings: step 1 (sendHex) has an odd number of hex digits: {"sendHex":"abc"}',
    ],
    [{ steps: [{ expectHex: 'zz' }] }, 'dialogue settings: step 1 (expectHex) is not hex digits'],
    [{ steps: [{ send: 'x', expect: 'y' }] }, 'dialogue settings: step 1 must be one of'],
    [{ steps: ['PING'] }, 'dialogue settings: step 1 must be one of { expect: "<regex>" }'],
    [{ steps: [{ starttls: false }] }, 'dialogue settings: step 1 (starttls) must be true'],
  ])('refuses bad settings %j before saying anything', async (settings, message) => {
    const { result } = await timedProbe('service', target(redis.port), { check: 'dialogue', settings }, 2000);
    expect(result.outcome).toBe('error');
    expect(result.phase).toBe('greeting');
    expect(result.detail).toContain(message);
  });
});
