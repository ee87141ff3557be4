import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type Daemon } from '../helpers/daemons';
import { listen } from '../helpers/net';
import { MARGIN_MS, timedProbe } from '../helpers/probe';
import { portwatch } from '../helpers/cli';

describe('Redis check against a real redis-server', () => {
  let open: Daemon;
  let locked: Daemon;
  beforeAll(async () => {
    open = await startRedis();
    locked = await startRedis('s3cret-password');
  });
  afterAll(async () => {
    await open?.stop();
    await locked?.stop();
  });

  it('PING gets PONG', async () => {
    const { result } = await timedProbe('service', { host: '127.0.0.1', port: open.port }, { check: 'redis' }, 2000);
    expect(result.outcome).toBe('ok');
    expect(result.detail).toBe('Redis PING: PONG');
    expect(result.phases.greeting).toBeGreaterThan(0);
  });

  it('a password-protected Redis is alive, authentication required', async () => {
    const { result } = await timedProbe('service', { host: '127.0.0.1', port: locked.port }, { check: 'redis' }, 2000);
    expect(result.outcome).toBe('ok');
    expect(result.detail).toMatch(/alive, authentication required \(NOAUTH/);
    expect(result.facts).toEqual({ auth: 'required' });
  });

  it('the wrong service on the port is a protocol mismatch, shown safely', async () => {
    const ssh = await listen((s) => s.write('SSH-2.0-OpenSSH_9.2p1 Debian\r\n\u0001\u0002'));
    try {
      const { result } = await timedProbe('service', { host: '127.0.0.1', port: ssh.port }, { check: 'redis' }, 2000);
      expect(result.outcome).toBe('protocol');
      expect(result.detail).toBe('expected "+PONG" from Redis, got "SSH-2.0-OpenSSH_9.2p1 Debian"');
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
        { check: 'redis' },
        600,
      );
      expect(result.outcome).toBe('timeout');
      expect(result.phase).toBe('response');
      expect(result.detail).toBe('waited for a reply to PING until the deadline');
      expect(waited).toBeLessThan(600 + MARGIN_MS);
    } finally {
      await silent.close();
    }
  });

  it('a server that talks forever is cut off after a bounded number of bytes', async () => {
    const chatty = await listen((s) => {
      const blob = Buffer.alloc(64 * 1024, 'x');
      const pump = (): void => {
        while (!s.destroyed && s.write(blob));
        if (!s.destroyed) s.once('drain', pump);
      };
      pump();
    });
    try {
      const { result } = await timedProbe(
        'service',
        { host: '127.0.0.1', port: chatty.port },
        { check: 'redis' },
        2000,
      );
      expect(result.outcome).toBe('protocol');
      expect(result.detail).toMatch(/got more than 16384 bytes/);
    } finally {
      await chatty.close();
    }
  });

  it('`portwatch check --service` runs a named check and refuses unknown names and unguessable ports', async () => {
    const run = await portwatch('check', `127.0.0.1:${open.port}`, '--service', 'redis', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'ok', detail: 'Redis PING: PONG' });
    const unknown = await portwatch('check', `127.0.0.1:${open.port}`, '--service', 'gopher');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/"gopher" is not a known check: use one of .*redis/);
    const noGuess = await portwatch('check', `127.0.0.1:${open.port}`, '--service', 'auto');
    expect(noGuess.code).toBe(2);
    expect(noGuess.stderr).toMatch(/no service check is known for port/);
  });
});
