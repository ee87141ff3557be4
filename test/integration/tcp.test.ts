import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closedPort,
  dnsAnswering,
  dropPort,
  listen,
  openSockets,
  silentUdp,
  startDnsmasq,
  type Dnsmasq,
} from '../helpers/net';
import { MARGIN_MS, settle, timedProbe } from '../helpers/probe';
import { runProbe } from '../../main/core/probes/run';

describe('tcp probe', () => {
  let open: Awaited<ReturnType<typeof listen>>;
  let dns: Dnsmasq;

  beforeAll(async () => {
    open = await listen();
    dns = await startDnsmasq({ 'db.test': ['127.0.0.1'], 'v6only.test': ['::1'] });
  });
  afterAll(async () => {
    await open?.close();
    await dns?.stop();
  });

  it('passes on an open port, names the address and times each phase', async () => {
    const { result } = await timedProbe('tcp', { host: '127.0.0.1', port: open.port }, {}, 2000);
    expect(result.outcome).toBe('ok');
    expect(result.phase).toBe('connect');
    expect(result.address).toBe('127.0.0.1');
    expect(result.family).toBe(4);
    expect(result.phases.connect).toBeGreaterThan(0);
    expect(result.ms).toBeGreaterThanOrEqual(result.phases.connect ?? 0);
    expect(result.diagnosis).toContain('accepts connections');
  });

  it('reports a closed port as refused, quickly, with the advice to look for the service or a REJECT rule', async () => {
    const port = await closedPort();
    const { result, waited } = await timedProbe('tcp', { host: '127.0.0.1', port }, {}, 2000);
    expect(result.outcome).toBe('refused');
    expect(result.phase).toBe('connect');
    expect(result.detail).toContain('ECONNREFUSED');
    expect(result.diagnosis).toMatch(/Nothing is listening.*REJECT/);
    expect(waited).toBeLessThan(100);
  });

  it('reports a port whose packets are dropped as a timeout when the deadline passes', async () => {
    const { port, close } = await listen();
    const undrop = dropPort(port);
    try {
      const { result, waited } = await timedProbe('tcp', { host: '127.0.0.1', port }, {}, 800);
      expect(result.outcome).toBe('timeout');
      expect(result.phase).toBe('connect');
      expect(result.diagnosis).toMatch(/firewall is dropping packets/);
      expect(waited).toBeGreaterThanOrEqual(790);
      expect(waited).toBeLessThan(800 + MARGIN_MS);
    } finally {
      undrop();
      await close();
    }
  });

  it('connects over IPv6 to [::1]', async () => {
    const v6 = await listen(undefined, '::1');
    try {
      const { result } = await timedProbe('tcp', { host: '::1', port: v6.port }, {}, 2000);
      expect(result.outcome).toBe('ok');
      expect(result.family).toBe(6);
      expect(result.address).toBe('::1');
    } finally {
      await v6.close();
    }
  });

  it('resolves a name through the DNS server it is given', async () => {
    const { result } = await timedProbe(
      'tcp',
      { host: 'db.test', port: open.port },
      { resolver: { host: '127.0.0.1', port: dns.port } },
      2000,
    );
    expect(result.outcome).toBe('ok');
    expect(result.address).toBe('127.0.0.1');
    expect(result.phases.resolve).toBeGreaterThan(0);
  });

  it('honours a forced address family', async () => {
    const resolver = { host: '127.0.0.1', port: dns.port };
    const v4 = await timedProbe('tcp', { host: 'v6only.test', port: open.port }, { resolver, family: 4 }, 2000);
    expect(v4.result.outcome).toBe('dns');
    expect(v4.result.detail).toContain('no address records');
    const v6 = await listen(undefined, '::1');
    try {
      const forced = await timedProbe('tcp', { host: 'v6only.test', port: v6.port }, { resolver, family: 6 }, 2000);
      expect(forced.result.outcome).toBe('ok');
      expect(forced.result.address).toBe('::1');
    } finally {
      await v6.close();
    }
  });

  it('says a name does not exist (NXDOMAIN), at the resolve phase', async () => {
    const { result, waited } = await timedProbe(
      'tcp',
      { host: 'nope.test', port: 80 },
      { resolver: { host: '127.0.0.1', port: dns.port } },
      2000,
    );
    expect(result.outcome).toBe('dns');
    expect(result.phase).toBe('resolve');
    expect(result.detail).toContain('NXDOMAIN');
    expect(result.diagnosis).toContain('does not resolve');
    expect(waited).toBeLessThan(2000);
  });

  it('says the resolver timed out when the DNS server never answers, and ends on time', async () => {
    const silent = await silentUdp();
    try {
      const { result, waited } = await timedProbe(
        'tcp',
        { host: 'db.test', port: 80 },
        { resolver: { host: '127.0.0.1', port: silent.port } },
        700,
      );
      expect(result.outcome).toBe('dns');
      expect(result.phase).toBe('resolve');
      expect(result.detail).toMatch(/resolver timeout/);
      expect(result.diagnosis).toMatch(/resolver did not answer/);
      expect(waited).toBeLessThan(700 + MARGIN_MS);
    } finally {
      await silent.close();
    }
  });

  it('tells a DNS server failure (SERVFAIL) apart from a missing name', async () => {
    const failing = await dnsAnswering(2);
    try {
      const { result } = await timedProbe(
        'tcp',
        { host: 'db.test', port: 80 },
        { resolver: { host: '127.0.0.1', port: failing.port } },
        2000,
      );
      expect(result.outcome).toBe('dns');
      expect(result.phase).toBe('resolve');
      expect(result.detail).toContain('server failure (SERVFAIL)');
      expect(result.diagnosis).toContain('check the DNS server');
    } finally {
      await failing.close();
    }
  });

  it('reports a reset when the listener accepts and resets at once', async () => {
    const resetter = await listen((s) => s.resetAndDestroy());
    try {
      const { result } = await timedProbe('tcp', { host: '127.0.0.1', port: resetter.port }, {}, 2000);
      expect(result.outcome).toBe('reset');
      expect(result.phase).toBe('connect');
      expect(result.diagnosis).toMatch(/reset the connection/);
    } finally {
      await resetter.close();
    }
  });

  it('opens no connection at all when it is cancelled before it starts (a cancelled discovery)', async () => {
    let accepted = 0;
    const counting = await listen(() => accepted++);
    try {
      const cancelled = AbortSignal.abort(new Error('cancelled by the user'));
      const result = await runProbe(
        'tcp',
        { host: '127.0.0.1', port: counting.port },
        {},
        {
          timeoutMs: 1000,
          signal: cancelled,
        },
      );
      expect(result.outcome).not.toBe('ok');
      await settle();
      expect(accepted).toBe(0);
    } finally {
      await counting.close();
    }
  });

  it('leaves no socket open, whatever the outcome', async () => {
    await settle();
    const before = openSockets();
    const port = await closedPort();
    for (let i = 0; i < 20; i++) {
      await timedProbe('tcp', { host: '127.0.0.1', port: open.port }, {}, 1000);
      await timedProbe('tcp', { host: '127.0.0.1', port }, {}, 1000);
    }
    await settle();
    expect(openSockets()).toBe(before);
  });
});
