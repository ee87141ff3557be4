import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dnsAnswering, listen, silentUdp, startDnsmasq, type Dnsmasq } from '../helpers/net';
import { MARGIN_MS, timedProbe } from '../helpers/probe';
import { portwatch } from '../helpers/cli';

const target = (port: number): { host: string; port: number } => ({ host: '127.0.0.1', port });
const query = (settings: Record<string, unknown>): { check: string; settings: Record<string, unknown> } => ({
  check: 'dns',
  settings,
});

/**
 * A UDP DNS stand-in (silent, or answering one rcode) with a TCP listener on the same port: the
 * service probe connects over TCP before the check runs, as it does to a real DNS server.
 */
async function withTcpToo(
  start: () => Promise<{ port: number; close: () => Promise<void> }>,
): Promise<{ port: number; close: () => Promise<void> }> {
  for (let attempt = 1; ; attempt++) {
    const udp = await start();
    const tcp: Server = createServer((s) => s.on('error', () => undefined));
    const ok = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(udp.port, '127.0.0.1', () => resolve(true));
    });
    if (ok)
      return {
        port: udp.port,
        close: async () => {
          await udp.close();
          await new Promise<void>((resolve) => tcp.close(() => resolve()));
        },
      };
    await udp.close();
    if (attempt >= 10) throw new Error('no port free on both UDP and TCP');
  }
}

describe('DNS check against a real dnsmasq', () => {
  let dns: Dnsmasq;
  beforeAll(async () => {
    dns = await startDnsmasq({ 'web.test': ['192.0.2.10'], 'v6.test': ['2001:db8::1'] });
  });
  afterAll(async () => {
    await dns?.stop();
  });

  it.each(['udp', 'tcp'])('an existing name resolves over %s', async (transport) => {
    const { result } = await timedProbe('service', target(dns.port), query({ name: 'web.test', transport }), 2000);
    expect(result.outcome).toBe('ok');
    expect(result.detail).toBe(`DNS query: web.test A over ${transport}: NOERROR, 1 answer, first 192.0.2.10`);
    expect(result.facts).toEqual({ rcode: 'NOERROR', answers: '1', transport, first: '192.0.2.10' });
  });

  it('AAAA answers are shown in the short IPv6 form', async () => {
    const { result } = await timedProbe('service', target(dns.port), query({ name: 'v6.test', type: 'AAAA' }), 2000);
    expect(result.outcome).toBe('ok');
    expect(result.facts?.first).toBe('2001:db8::1');
  });

  it.each(['udp', 'tcp'])('a missing name is NXDOMAIN over %s, a protocol failure', async (transport) => {
    const { result } = await timedProbe('service', target(dns.port), query({ name: 'missing.test', transport }), 2000);
    expect(result.outcome).toBe('protocol');
    expect(result.phase).toBe('response');
    expect(result.detail).toBe(`missing.test A over ${transport}: NXDOMAIN`);
  });

  it('NXDOMAIN is ok when the monitor expects it', async () => {
    const { result } = await timedProbe(
      'service',
      target(dns.port),
      query({ name: 'missing.test', expectRcode: 'NXDOMAIN' }),
      2000,
    );
    expect(result.outcome).toBe('ok');
    expect(result.facts).toMatchObject({ rcode: 'NXDOMAIN', answers: '0' });
  });

  it('an expected rcode that does not come is a failure', async () => {
    const { result } = await timedProbe(
      'service',
      target(dns.port),
      query({ name: 'web.test', expectRcode: 'NXDOMAIN' }),
      2000,
    );
    expect(result.outcome).toBe('protocol');
    expect(result.detail).toBe('web.test A over udp: expected NXDOMAIN, got NOERROR, 1 answer, first 192.0.2.10');
  });

  it('a name without records of the asked type (NODATA) is a protocol failure', async () => {
    const { result } = await timedProbe('service', target(dns.port), query({ name: 'web.test', type: 'AAAA' }), 2000);
    expect(result.outcome).toBe('protocol');
    expect(result.detail).toBe('web.test AAAA over udp: no AAAA record (NOERROR, 0 answers)');
  });

  it('without a name it asks version.bind and any reply proves the server alive', async () => {
    const { result } = await timedProbe('service', target(dns.port), query({}), 2000);
    expect(result.outcome).toBe('ok');
    expect(result.detail).toMatch(
      /^DNS query: alive, version\.bind CH TXT over udp: NOERROR, 1 answer, first dnsmasq-/,
    );
    expect(result.facts?.first).toMatch(/^dnsmasq-/);
  });

  it('`portwatch check --service dns` (no settings) proves the server answers', async () => {
    const run = await portwatch('check', `127.0.0.1:${dns.port}`, '--service', 'dns', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'ok', facts: { rcode: 'NOERROR', transport: 'udp' } });
  });
});

describe('DNS check against stand-in servers', () => {
  it('a silent UDP server times out within the deadline', async () => {
    const silent = await withTcpToo(silentUdp);
    try {
      const { result, waited } = await timedProbe('service', target(silent.port), query({ name: 'web.test' }), 600);
      expect(result.outcome).toBe('timeout');
      expect(result.phase).toBe('response');
      expect(result.detail).toBe('waited for a DNS reply over UDP until the deadline (1 query sent)');
      expect(waited).toBeLessThan(600 + MARGIN_MS);
    } finally {
      await silent.close();
    }
  });

  it('the query is resent every second until the deadline', async () => {
    const silent = await withTcpToo(silentUdp);
    try {
      const { result, waited } = await timedProbe('service', target(silent.port), query({ name: 'web.test' }), 2500);
      expect(result.outcome).toBe('timeout');
      expect(result.detail).toBe('waited for a DNS reply over UDP until the deadline (3 queries sent)');
      expect(waited).toBeLessThan(2500 + MARGIN_MS);
    } finally {
      await silent.close();
    }
  });

  it('a server with TCP open but no UDP port answers the datagram with "port unreachable": refused', async () => {
    const tcpOnly = await listen(() => undefined);
    try {
      const { result } = await timedProbe('service', target(tcpOnly.port), query({ name: 'web.test' }), 2000);
      expect(result.outcome).toBe('refused');
      expect(result.phase).toBe('response');
      expect(result.detail).toBe(`nothing answers on UDP port ${tcpOnly.port} (port unreachable)`);
    } finally {
      await tcpOnly.close();
    }
  });

  it('SERVFAIL is a protocol failure naming the rcode', async () => {
    const failing = await withTcpToo(() => dnsAnswering(2));
    try {
      const { result } = await timedProbe('service', target(failing.port), query({ name: 'web.test' }), 2000);
      expect(result.outcome).toBe('protocol');
      expect(result.detail).toBe('web.test A over udp: SERVFAIL');
      const alive = await timedProbe('service', target(failing.port), query({}), 2000);
      expect(alive.result.outcome).toBe('ok');
      expect(alive.result.detail).toBe('DNS query: alive, version.bind CH TXT over udp: SERVFAIL, 0 answers');
    } finally {
      await failing.close();
    }
  });

  it('over TCP, something that is not DNS is a protocol mismatch, shown safely', async () => {
    const other = await listen((s) => s.write('\u0000\u0005hello'));
    try {
      const { result } = await timedProbe(
        'service',
        target(other.port),
        query({ name: 'web.test', transport: 'tcp' }),
        2000,
      );
      expect(result.outcome).toBe('protocol');
      expect(result.detail).toBe('expected a DNS reply, got only 5 bytes: "\\x00\\x05hello"');
    } finally {
      await other.close();
    }
  });

  it('over TCP, a silent server times out within the deadline', async () => {
    const silent = await listen(() => undefined);
    try {
      const { result, waited } = await timedProbe(
        'service',
        target(silent.port),
        query({ name: 'web.test', transport: 'tcp' }),
        600,
      );
      expect(result.outcome).toBe('timeout');
      expect(result.detail).toBe('waited for a DNS reply over TCP until the deadline');
      expect(waited).toBeLessThan(600 + MARGIN_MS);
    } finally {
      await silent.close();
    }
  });

  it.each([
    [{ type: 'PTR', name: 'x.test' }, 'dns settings: "type" '],
    [{ name: 'a..b' }, 'dns settings: "name" is not a domain name: "a..b"'],
    [{ type: 'A' }, 'dns settings: "type" needs a "name" to ask for'],
    [{ name: 'x.test', transport: 'quic' }, 'dns settings: "transport" '],
    [{ name: 'x.test', server: '1.1.1.1' }, 'dns settings: '],
  ])('refuses bad settings %j', async (settings, message) => {
    const other = await listen(() => undefined);
    try {
      const { result } = await timedProbe('service', target(other.port), query(settings), 2000);
      expect(result.outcome).toBe('error');
      expect(result.detail).toContain(message);
    } finally {
      await other.close();
    }
  });
});
