import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Daemon } from '../helpers/daemons';
import { startMemcached } from '../helpers/daemons-text';
import { listen } from '../helpers/net';
import { MARGIN_MS, timedProbe } from '../helpers/probe';

describe('memcached check against a real memcached', () => {
  let open: Daemon;
  let locked: Daemon;
  beforeAll(async () => {
    open = await startMemcached();
    locked = await startMemcached({ user: 'portwatch', password: 's3cret-password' });
  });
  afterAll(async () => {
    await open?.stop();
    await locked?.stop();
  });

  it('"version" gets VERSION x.y.z', async () => {
    const { result } = await timedProbe(
      'service',
      { host: '127.0.0.1', port: open.port },
      { check: 'memcached' },
      2000,
    );
    expect(result.outcome).toBe('ok');
    expect(result.detail).toMatch(/^memcached version: VERSION \d+\.\d+\.\d+$/);
    expect(result.facts?.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(result.phases.greeting).toBeGreaterThan(0);
  });

  it('a memcached with ASCII authentication is alive, authentication required', async () => {
    const { result } = await timedProbe(
      'service',
      { host: '127.0.0.1', port: locked.port },
      { check: 'memcached' },
      2000,
    );
    expect(result.outcome).toBe('ok');
    expect(result.detail).toBe('memcached version: alive, authentication required');
    expect(result.facts).toEqual({ auth: 'required' });
  });

  it('the wrong service on the port is a protocol mismatch, shown safely', async () => {
    const ssh = await listen((s) => s.write('SSH-2.0-OpenSSH_9.2p1 Debian\r\n\u0001\u0002'));
    try {
      const { result } = await timedProbe(
        'service',
        { host: '127.0.0.1', port: ssh.port },
        { check: 'memcached' },
        2000,
      );
      expect(result.outcome).toBe('protocol');
      expect(result.phase).toBe('response');
      expect(result.detail).toBe('expected "VERSION x.y.z" from memcached, got "SSH-2.0-OpenSSH_9.2p1 Debian"');
    } finally {
      await ssh.close();
    }
  });

  it('garbage is quoted with escapes, never raw', async () => {
    const junk = await listen((s) => s.end(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x1b, 0x5b, 0x32, 0x4a, 0x0a])));
    try {
      const { result } = await timedProbe(
        'service',
        { host: '127.0.0.1', port: junk.port },
        { check: 'memcached' },
        2000,
      );
      expect(result.outcome).toBe('protocol');
      expect(result.detail).toBe('expected "VERSION x.y.z" from memcached, got "\\x16\\x03\\x01\\x00\\x1b[2J"');
    } finally {
      await junk.close();
    }
  });

  it('a server that accepts and stays silent times out within the deadline', async () => {
    const silent = await listen(() => undefined);
    try {
      const { result, waited } = await timedProbe(
        'service',
        { host: '127.0.0.1', port: silent.port },
        { check: 'memcached' },
        600,
      );
      expect(result.outcome).toBe('timeout');
      expect(result.phase).toBe('response');
      expect(result.detail).toBe('waited for a reply to "version" until the deadline');
      expect(waited).toBeLessThan(600 + MARGIN_MS);
    } finally {
      await silent.close();
    }
  });
});
