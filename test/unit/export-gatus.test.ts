import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderGatus, statusConditions, type GatusEndpoint } from '../../main/core/formats/gatus-export';
import { monitor } from '../helpers/monitors';
import type { MonitorInput } from '../../shared/monitor';

const gatus = (...partials: (Partial<MonitorInput> & Pick<MonitorInput, 'port'>)[]) => {
  const result = renderGatus(partials.map((p) => monitor(p)));
  const doc = parse(result.files[0]?.text ?? '') as { endpoints: GatusEndpoint[] };
  return { endpoints: doc.endpoints, lost: result.notCarried.map((n) => `${n.monitor}: ${n.what}`) };
};

describe('Gatus export', () => {
  it('turns a status rule into the conditions Gatus documents, exactly as wide', () => {
    expect(statusConditions('200-399')).toEqual(['[STATUS] >= 200', '[STATUS] <= 399']);
    expect(statusConditions('200')).toEqual(['[STATUS] == 200']);
    expect(statusConditions('2xx,3xx')).toEqual(['[STATUS] >= 200', '[STATUS] <= 399']);
    expect(statusConditions('100-499')).toEqual(['[STATUS] <= 499']);
    const gap = statusConditions('2xx,404');
    expect(gap).toHaveLength(1);
    expect(gap[0]).toMatch(/^\[STATUS\] == any\(200, 201, .*, 299, 404\)$/);
    expect(gap[0]).not.toContain('300');
  });

  it('writes an http monitor as its URL, method, headers, status, body and timing conditions', () => {
    const { endpoints, lost } = gatus({
      name: 'api',
      kind: 'http',
      port: 8443,
      url: 'https://127.0.0.1:8443/health',
      group: 'backend',
      slowMs: 800,
      intervalSec: 30,
      timeoutMs: 4000,
      insecure: true,
      http: {
        method: 'POST',
        expectStatus: '2xx',
        bodyContains: 'ok*[1]?',
        followRedirects: false,
        headers: { Authorization: 'Bearer s3cret', 'X-Trace': 'yes' },
      },
    });
    expect(endpoints[0]).toEqual({
      name: 'api',
      group: 'backend',
      url: 'https://127.0.0.1:8443/health',
      method: 'POST',
      headers: { 'X-Trace': 'yes' },
      interval: '30s',
      client: { timeout: '4s', insecure: true, 'ignore-redirect': true },
      conditions: [
        '[STATUS] >= 200',
        '[STATUS] <= 299',
        '[BODY] == pat(*ok\\*\\[1]\\?*)',
        '[CERTIFICATE_EXPIRATION] > 720h',
        '[RESPONSE_TIME] < 800',
      ],
    });
    expect(lost).toContain('api: header Authorization (a credential: never exported)');
  });

  it('says what it cannot write: a body regex, a text holding " == ", retries', () => {
    const { endpoints, lost } = gatus({
      name: 'web',
      kind: 'http',
      port: 80,
      url: 'http://127.0.0.1/',
      tier: 1,
      http: { bodyRegex: '^up$', bodyContains: 'a == b' },
    });
    expect(endpoints[0]?.conditions.some((c) => c.startsWith('[BODY]'))).toBe(false);
    expect(lost).toEqual(
      expect.arrayContaining([
        'web: body regex /^up$/ (Gatus matches patterns only)',
        'web: body must contain a text holding " == "',
        'web: 1 retry before a failure counts',
      ]),
    );
  });

  it('takes the interval from the tier unless the monitor has its own', () => {
    const { endpoints } = gatus(
      { name: 'a', port: 1, tier: 3, intervalSec: undefined },
      { name: 'b', port: 2, tier: 1, intervalSec: 45 },
    );
    expect(endpoints.map((e) => e.interval)).toEqual(['15m', '45s']);
  });

  it('connects to tcp and tls ports, with IPv6 in brackets and the certificate judged on tls', () => {
    const { endpoints } = gatus(
      { name: 'raw', kind: 'tcp', host: '::1', port: 9000 },
      { name: 'ldaps', kind: 'tls', host: 'ldap.test', port: 636, certWarnDays: [10, 3] },
    );
    expect(endpoints[0]?.url).toBe('tcp://[::1]:9000');
    expect(endpoints[0]?.conditions[0]).toBe('[CONNECTED] == true');
    expect(endpoints[1]?.url).toBe('tls://ldap.test:636');
    expect(endpoints[1]?.conditions).toContain('[CERTIFICATE_EXPIRATION] > 240h');
  });

  it('exports a Redis check as a TCP connect and says so; SMTP STARTTLS stays STARTTLS', () => {
    const { endpoints, lost } = gatus(
      { name: 'cache', kind: 'service', check: 'redis', port: 6379 },
      { name: 'mail', kind: 'service', check: 'smtp', port: 587, starttls: true },
      { name: 'inbox', kind: 'service', check: 'imap', port: 143, starttls: true },
      { name: 'imaps', kind: 'service', check: 'imap', port: 993, implicitTls: true },
    );
    expect(endpoints.map((e) => e.url)).toEqual([
      'tcp://127.0.0.1:6379',
      'starttls://127.0.0.1:587',
      'tcp://127.0.0.1:143',
      'tls://127.0.0.1:993',
    ]);
    expect(lost).toContain('cache: redis protocol check exported as a TCP connect');
    expect(lost).toContain('inbox: imap protocol check and its STARTTLS upgrade exported as a TCP connect');
    expect(lost).toContain('imaps: imap protocol check exported as a TLS handshake');
    expect(lost.some((l) => l.startsWith('mail:') && l.includes('protocol check'))).toBe(false);
  });

  it('asks a DNS server through its dns block; with no name, any reply will do', () => {
    const { endpoints, lost } = gatus(
      { name: 'mx', kind: 'service', check: 'dns', port: 5353, settings: { name: 'example.test', type: 'MX' } },
      { name: 'any', kind: 'service', check: 'dns', port: 53, settings: { transport: 'tcp' } },
      { name: 'gone', kind: 'service', check: 'dns', port: 53, settings: { name: 'x.test', expectRcode: 'NXDOMAIN' } },
    );
    expect(endpoints[0]).toMatchObject({
      url: '127.0.0.1:5353',
      dns: { 'query-name': 'example.test', 'query-type': 'MX' },
      conditions: ['[DNS_RCODE] == NOERROR', '[BODY] == pat(?*)', '[RESPONSE_TIME] < 250'],
    });
    expect(endpoints[1]?.dns).toEqual({ 'query-name': 'version.bind', 'query-type': 'TXT' });
    expect(endpoints[1]?.conditions[0]).toBe('[CONNECTED] == true');
    expect(lost).toContain('any: DNS over TCP (Gatus asks over UDP)');
    expect(endpoints[2]?.conditions[0]).toBe('[DNS_RCODE] == NXDOMAIN');
  });

  it('keeps a paused monitor paused, and gives two monitors of one name in one group two names', () => {
    const { endpoints, lost } = gatus(
      { name: 'db', port: 5432, enabled: false },
      { name: 'db', port: 5433 },
      { name: 'say "hi"', port: 1 },
    );
    expect(endpoints[0]?.enabled).toBe(false);
    expect(endpoints[1]?.enabled).toBeUndefined();
    expect(endpoints.map((e) => e.name)).toEqual(['db', 'db (2)', "say 'hi'"]);
    expect(lost).toContain('db: its name, taken by another monitor in 127.0.0.1 (now "db (2)")');
    expect(lost).toContain('say "hi": " and \\ in its name or group (Gatus refuses them)');
  });
});
