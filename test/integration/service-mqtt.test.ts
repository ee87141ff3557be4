import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Daemon } from '../helpers/daemons';
import { startMosquitto } from '../helpers/daemons-binary';
import { listen } from '../helpers/net';
import { MARGIN_MS, timedProbe } from '../helpers/probe';

describe('MQTT check against a real Mosquitto 2', () => {
  let open: Daemon;
  let locked: Daemon;
  beforeAll(async () => {
    [open, locked] = await Promise.all([startMosquitto(), startMosquitto({ anonymous: false })]);
  });
  afterAll(async () => {
    await open?.stop();
    await locked?.stop();
  });

  it('CONNECT is accepted by a broker that allows anonymous clients', async () => {
    const { result } = await timedProbe('service', { host: '127.0.0.1', port: open.port }, { check: 'mqtt' }, 2000);
    expect(result.outcome).toBe('ok');
    expect(result.detail).toBe('MQTT CONNECT: connection accepted');
  });

  it('a broker that refuses anonymous clients is alive, authentication required', async () => {
    const { result } = await timedProbe('service', { host: '127.0.0.1', port: locked.port }, { check: 'mqtt' }, 2000);
    expect(result.outcome).toBe('ok');
    expect(result.detail).toBe('MQTT CONNECT: alive, authentication required (not authorized)');
    expect(result.facts).toEqual({ auth: 'required' });
  });

  it('sends an MQTT 3.1.1 CONNECT with a portwatch client id, and DISCONNECT after CONNACK', async () => {
    let got = Buffer.alloc(0);
    const broker = await listen((s) => {
      s.on('data', (d: Buffer) => {
        if (got.length === 0) s.write(Buffer.from([0x20, 2, 0, 0]));
        got = Buffer.concat([got, d]);
      });
    });
    try {
      const { result } = await timedProbe('service', { host: '127.0.0.1', port: broker.port }, { check: 'mqtt' }, 2000);
      expect(result.outcome).toBe('ok');
      await new Promise((r) => setTimeout(r, 50));
      const text = got.toString('latin1');
      expect(got[0]).toBe(0x10);
      expect(text.slice(2, 12)).toBe('\x00\x04MQTT\x04\x02\x00\x0a');
      const idLength = got.readUInt16BE(12);
      expect(text.slice(14, 14 + idLength)).toMatch(/^portwatch-[0-9a-f]{12}$/);
      expect(got[1]).toBe(12 + idLength);
      expect([...got.subarray(14 + idLength)]).toEqual([0xe0, 0]);
    } finally {
      await broker.close();
    }
  });

  it('a broker that says it is unavailable fails, naming the return code', async () => {
    const busy = await listen((s) => s.once('data', () => s.end(Buffer.from([0x20, 2, 0, 3]))));
    try {
      const { result } = await timedProbe('service', { host: '127.0.0.1', port: busy.port }, { check: 'mqtt' }, 2000);
      expect(result.outcome).toBe('protocol');
      expect(result.detail).toBe('the MQTT broker refused the connection: server unavailable (CONNACK 3)');
    } finally {
      await busy.close();
    }
  });

  it('the wrong service on the port is a protocol mismatch, shown safely', async () => {
    const ssh = await listen((s) => s.write('SSH-2.0-OpenSSH_9.2p1 Debian\r\n\u0001\u0002'));
    try {
      const { result } = await timedProbe('service', { host: '127.0.0.1', port: ssh.port }, { check: 'mqtt' }, 2000);
      expect(result.outcome).toBe('protocol');
      expect(result.detail).toBe('expected a CONNACK from MQTT, got "SSH-2.0-OpenSSH_9.2p1 Debian\\r\\n\\x01\\x02"');
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
        { check: 'mqtt' },
        600,
      );
      expect(result.outcome).toBe('timeout');
      expect(result.phase).toBe('response');
      expect(result.detail).toBe('waited for a CONNACK from MQTT until the deadline');
      expect(waited).toBeLessThan(600 + MARGIN_MS);
    } finally {
      await silent.close();
    }
  });
});
