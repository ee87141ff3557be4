import { describe, expect, it } from 'vitest';
import { MonitorSchema } from '../../shared/monitor';
import { propose } from '../../main/core/discover/propose';
import type { PortResult } from '../../main/core/discover/scan';

// 203.0.113.0/24 is a documentation range: public by its address, and never contacted here.
const PUBLIC = '203.0.113.5';

const open = (r: Partial<PortResult> & Pick<PortResult, 'port'>): PortResult => ({
  host: r.address ?? '127.0.0.1',
  address: '127.0.0.1',
  state: 'open',
  detail: '',
  ms: 1,
  ...r,
});

/** The proposal's monitor must be one the store accepts as it is. */
const valid = (m: object): void => {
  const parsed = MonitorSchema.safeParse({ id: 'x', ...m });
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
};

describe('proposals from scan results', () => {
  it('a closed or filtered port proposes nothing', () => {
    expect(propose({ host: 'h', port: 22, state: 'closed', detail: 'refused', ms: 1 })).toBeUndefined();
    expect(propose({ host: 'h', port: 22, state: 'filtered', detail: 'no answer', ms: 1 })).toBeUndefined();
  });

  it('Redis on a non-default port: its service check, the catalog tier and timeout, internal on loopback', () => {
    const p = propose(open({ port: 6380, kind: 'service', check: 'redis', service: 'redis' }));
    expect(p).toEqual({
      exposure: 'internal',
      monitor: {
        name: 'Redis 6380 on 127.0.0.1',
        kind: 'service',
        check: 'redis',
        service: 'redis',
        host: '127.0.0.1',
        port: 6380,
        tier: 2,
        timeoutMs: 2000,
        exposure: 'internal',
      },
    });
    valid(p?.monitor ?? {});
  });

  it('on its own port the name leaves the port out', () => {
    const p = propose(open({ port: 22, kind: 'service', check: 'ssh', service: 'ssh' }));
    expect(p?.monitor.name).toBe('SSH / SFTP on 127.0.0.1');
    expect(p?.monitor.tier).toBe(3);
  });

  it('Redis on a public address is external, with the exposure finding', () => {
    const p = propose(
      open({ host: 'cache.example', address: PUBLIC, port: 6379, kind: 'service', check: 'redis', service: 'redis' }),
    );
    expect(p?.exposure).toBe('external');
    expect(p?.monitor.exposure).toBe('external');
    expect(p?.monitor.host).toBe('cache.example');
    expect(p?.finding).toBe(
      `Redis answers on the public address ${PUBLIC}:6379: restrict it to the app servers and this monitor (firewall rule or bind address)`,
    );
  });

  it('HTTP on a public address is external without a finding, even on a database port number', () => {
    const p = propose(
      open({ address: PUBLIC, host: PUBLIC, port: 5432, kind: 'http', service: 'http', httpStatus: 200 }),
    );
    expect(p?.exposure).toBe('external');
    expect(p?.finding).toBeUndefined();
    expect(p?.monitor).toMatchObject({ kind: 'http', url: `http://${PUBLIC}:5432/`, tier: 1 });
  });

  it('an unidentified port on a public address is judged by its port number', () => {
    const p = propose(open({ address: PUBLIC, host: PUBLIC, port: 27017, kind: 'tcp' }));
    expect(p?.monitor).toMatchObject({ kind: 'tcp', name: `TCP 27017 on ${PUBLIC}`, tier: 1 });
    expect(p?.finding).toMatch(/^MongoDB answers on the public address/);
  });

  it('an unidentified port with no catalog service is a tier 2 tcp monitor', () => {
    const p = propose(open({ port: 5999, kind: 'tcp' }));
    expect(p?.monitor).toEqual({
      name: 'TCP 5999 on 127.0.0.1',
      kind: 'tcp',
      host: '127.0.0.1',
      port: 5999,
      tier: 2,
      exposure: 'internal',
    });
    valid(p?.monitor ?? {});
  });

  it('HTTPS with an untrusted certificate and a 404 at "/" is proposed to pass as it is, and says why', () => {
    const p = propose(
      open({
        port: 8443,
        kind: 'http',
        service: 'https',
        tls: true,
        httpStatus: 404,
        certificateProblem: 'self-signed',
      }),
    );
    expect(p?.monitor).toMatchObject({
      kind: 'http',
      url: 'https://127.0.0.1:8443/',
      insecure: true,
      http: { expectStatus: '404' },
      name: 'HTTPS 8443 on 127.0.0.1',
    });
    expect(p?.note).toBe(
      'the certificate is not one a check would accept (self-signed): proposed with insecure; "/" answers HTTP 404: proposed expecting that status',
    );
    valid(p?.monitor ?? {});
  });

  it('HTTPS on 443 and an IPv6 host: the URL has brackets and no port', () => {
    const p = propose(
      open({
        host: '2001:db8::1',
        address: '2001:db8::1',
        port: 443,
        kind: 'http',
        service: 'https',
        tls: true,
        httpStatus: 200,
      }),
    );
    expect(p?.monitor.url).toBe('https://[2001:db8::1]/');
    valid(p?.monitor ?? {});
  });

  it('IMAP over implicit TLS keeps implicitTls, and DNS keeps the transport it answered on', () => {
    const imaps = propose(open({ port: 10993, kind: 'service', check: 'imap', service: 'imap', tls: true }));
    expect(imaps?.monitor).toMatchObject({ kind: 'service', check: 'imap', implicitTls: true, tier: 3 });
    const dns = propose(
      open({ port: 53, kind: 'service', check: 'dns', service: 'dns', settings: { transport: 'tcp' } }),
    );
    expect(dns?.monitor).toMatchObject({ check: 'dns', settings: { transport: 'tcp' }, name: 'DNS on 127.0.0.1' });
    valid(imaps?.monitor ?? {});
    valid(dns?.monitor ?? {});
  });
});
