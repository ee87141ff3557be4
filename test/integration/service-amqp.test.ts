import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Daemon } from '../helpers/daemons';
import { startRabbitmq } from '../helpers/daemons-binary';
import { listen } from '../helpers/net';
import { MARGIN_MS, timedProbe } from '../helpers/probe';

describe('AMQP check against a real RabbitMQ', () => {
  let broker: Daemon;
  beforeAll(async () => {
    broker = await startRabbitmq();
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('reads Connection.Start: product, version and login mechanisms', async () => {
    const { result } = await timedProbe('service', { host: '127.0.0.1', port: broker.port }, { check: 'amqp' }, 2000);
    expect(result.outcome).toBe('ok');
    expect(result.detail).toMatch(/^AMQP Connection\.Start: RabbitMQ 3\.\d+\.\d+ \(AMQP 0-9-1\)$/);
    expect(result.facts).toMatchObject({ product: 'RabbitMQ', platform: expect.stringMatching(/^Erlang\/OTP/) });
    expect(result.facts?.version).toMatch(/^3\.\d+\.\d+$/);
    expect(result.facts?.mechanisms?.split(' ')).toContain('PLAIN');
  });

  it('a broker that prefers another AMQP version answers with its header: a mismatch naming it', async () => {
    // What an AMQP 1.0-only broker (ActiveMQ Artemis, Qpid, Azure Service Bus) sends back.
    const amqp10 = await listen((s) => s.once('data', () => s.end(Buffer.from('AMQP\x00\x01\x00\x00', 'latin1'))));
    try {
      const { result } = await timedProbe('service', { host: '127.0.0.1', port: amqp10.port }, { check: 'amqp' }, 2000);
      expect(result.outcome).toBe('protocol');
      expect(result.detail).toBe(
        'expected Connection.Start from AMQP 0-9-1, got a protocol header offering AMQP 1.0.0 instead ("AMQP\\x00\\x01\\x00\\x00")',
      );
    } finally {
      await amqp10.close();
    }
  });

  it('a truncated frame is a protocol failure quoting what came', async () => {
    // A method frame header promising 500 bytes, then the start of Connection.Start, then close.
    const cut = await listen((s) =>
      s.once('data', () => s.end(Buffer.from([1, 0, 0, 0, 0, 0x01, 0xf4, 0, 10, 0, 10, 0, 9]))),
    );
    try {
      const { result } = await timedProbe('service', { host: '127.0.0.1', port: cut.port }, { check: 'amqp' }, 2000);
      expect(result.outcome).toBe('protocol');
      expect(result.detail).toBe(
        'expected Connection.Start from AMQP 0-9-1, got a truncated reply: "\\x01\\x00\\x00\\x00\\x00\\x01\\xf4\\x00\\n\\x00\\n\\x00\\x09"',
      );
    } finally {
      await cut.close();
    }
  });

  it('the wrong service on the port is a protocol mismatch, shown safely', async () => {
    const ssh = await listen((s) => s.write('SSH-2.0-OpenSSH_9.2p1 Debian\r\n\u0001\u0002'));
    try {
      const { result } = await timedProbe('service', { host: '127.0.0.1', port: ssh.port }, { check: 'amqp' }, 2000);
      expect(result.outcome).toBe('protocol');
      expect(result.detail).toBe(
        'expected Connection.Start from AMQP 0-9-1, got "SSH-2.0-OpenSSH_9.2p1 Debian\\r\\n\\x01\\x02"',
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
        { check: 'amqp' },
        600,
      );
      expect(result.outcome).toBe('timeout');
      expect(result.phase).toBe('response');
      expect(result.detail).toBe('waited for Connection.Start from AMQP 0-9-1 until the deadline');
      expect(waited).toBeLessThan(600 + MARGIN_MS);
    } finally {
      await silent.close();
    }
  });
});
