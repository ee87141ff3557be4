import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGatus } from '../../main/core/formats/gatus';
import { readImport } from '../../main/core/formats/read-import';

const fixture = readFileSync(new URL('../fixtures/import/gatus-config.yaml', import.meta.url), 'utf8');

describe('a Gatus configuration', () => {
  const r = readImport({ text: fixture, name: 'config.yaml', format: 'gatus' });
  const byName = (name: string) => r.monitors.find((m) => m.name === name);
  const skipped = (name: string) => r.notMapped.filter((n) => n.item.includes(`("${name}")`)).map((n) => n.why);

  it('brings over every endpoint whose target Portwatch can check', () => {
    expect(r.problems).toEqual([]);
    expect(r.monitors.map((m) => m.name)).toEqual([
      'website',
      'api-ping',
      'postgres',
      'certificate',
      'dns-a',
      'mail-starttls',
      'front-page',
    ]);
    expect(skipped('gateway-ping')).toEqual([expect.stringMatching(/^icmp:\/\/ an ICMP ping checks no port/)]);
  });

  it('turns status, response time and certificate conditions into expectations', () => {
    expect(byName('website')).toMatchObject({
      kind: 'http',
      url: 'https://www.example.com/health',
      group: 'core',
      intervalSec: 300,
      slowMs: 300,
      certWarnDays: [2],
      http: { expectStatus: '200' },
    });
    expect(byName('certificate')).toMatchObject({
      kind: 'tls',
      host: 'www.example.com',
      port: 443,
      certWarnDays: [30],
    });
    expect(byName('postgres')).toMatchObject({
      kind: 'tcp',
      port: 5432,
      intervalSec: 30,
      slowMs: 50,
      group: 'databases',
    });
    expect(byName('front-page')).toMatchObject({ enabled: false, insecure: true, timeoutMs: 10_000 });
    expect(byName('front-page')?.http?.expectStatus).toBe('100-399');
  });

  it('reads any() and pat() as Gatus means them', () => {
    const api = byName('api-ping');
    expect(api?.http).toMatchObject({
      method: 'POST',
      expectStatus: '200,201',
      headers: { 'Content-Type': 'application/json' },
    });
    const body = new RegExp(api?.http?.bodyRegex ?? 'missing');
    expect(body.test('{"answer":"pong"}')).toBe(true);
    expect(body.test('{"answer":"nope"}')).toBe(false);
  });

  it('maps a DNS endpoint to the dns check with its query and rcode', () => {
    expect(byName('dns-a')).toMatchObject({
      kind: 'service',
      check: 'dns',
      host: '192.0.2.53',
      port: 53,
      settings: { name: 'example.com', type: 'A', expectRcode: 'NOERROR' },
    });
    expect(skipped('dns-a')).toEqual([
      expect.stringMatching(/"\[BODY\] == 192\.0\.2\.80" is not checked: the DNS answer/),
    ]);
  });

  it('maps starttls:// to the SMTP check with STARTTLS', () => {
    expect(byName('mail-starttls')).toMatchObject({
      kind: 'service',
      check: 'smtp',
      port: 587,
      starttls: true,
      certWarnDays: [2],
    });
    expect(byName('mail-starttls')?.implicitTls).toBeUndefined();
  });

  it('keeps the monitor when a condition cannot be said, and notes the condition on it', () => {
    expect(skipped('website')).toEqual([expect.stringMatching(/"\[BODY\]\.status == UP" is not checked/)]);
    expect(byName('website')?.notes).toMatch(/^Not brought over from Gatus: the condition "\[BODY\]\.status == UP"/);
    expect(skipped('front-page')).toEqual([
      expect.stringMatching(/\[IP\]/),
      expect.stringMatching(/\[DOMAIN_EXPIRATION\]/),
    ]);
    expect(r.notMapped.find((n) => n.item === 'alerting')?.why).toMatch(/alert providers are not imported/);
  });
});

describe('Gatus, conditions', () => {
  const one = (conditions: string[], extra = '') =>
    parseGatus(
      `endpoints:\n  - name: e\n    url: "${extra ? '192.0.2.53' : 'https://h.example/'}"\n${extra}    conditions:\n${conditions.map((c) => `      - '${c}'\n`).join('')}`,
    );

  it("reads pat() as Go's filepath.Match: ? one character, [] a class, \\ an escape", () => {
    const regex = new RegExp(one(['[BODY] == pat(v?.[0-9]*\\*)']).monitors[0]?.http?.bodyRegex ?? 'missing');
    expect(regex.test('v1.2 beta*')).toBe(true);
    expect(regex.test('v1.x beta*')).toBe(false);
    expect(regex.test('v10.2 beta*')).toBe(false);
    expect(regex.test('v1.2 beta')).toBe(false);
  });

  it('takes "an answer" with NOERROR as the dns check asks by default, and keeps another rcode', () => {
    const dns = '    dns:\n      query-name: example.com\n      query-type: A\n';
    expect(one(['[DNS_RCODE] == NOERROR', '[BODY] == pat(?*)'], dns).monitors[0]?.settings).toEqual({
      name: 'example.com',
      type: 'A',
    });
    const nx = one(['[DNS_RCODE] == NXDOMAIN'], dns);
    expect(nx.monitors[0]?.settings).toEqual({ name: 'example.com', type: 'A', expectRcode: 'NXDOMAIN' });
    expect(nx.notMapped).toEqual([]);
  });

  it('narrows statuses from bounds and says when none is left', () => {
    expect(one(['[STATUS] >= 200', '[STATUS] < 300']).monitors[0]?.http?.expectStatus).toBe('200-299');
    expect(one(['[STATUS] == 500', '[STATUS] < 300']).problems).toEqual([
      'endpoints.0 ("e").conditions: no HTTP status satisfies every [STATUS] condition',
    ]);
  });
});

describe('Gatus, bad files', () => {
  it('names the line of a YAML syntax error', () => {
    const r = parseGatus('endpoints:\n  - name: a\n    url: "http://x\n  - name: b\n');
    expect(r.problems).toEqual([expect.stringMatching(/^not valid YAML at line \d+, column \d+: /)]);
  });

  it('refuses YAML of the wrong shape, saying what was expected where', () => {
    expect(parseGatus('web:\n  port: 8080\n').problems).toEqual([
      'this is not a Gatus configuration: it has no "endpoints" list',
    ]);
    expect(parseGatus('endpoints:\n  website: https://x.example\n').problems).toEqual([
      'endpoints: expected a list of endpoints',
    ]);
    expect(
      parseGatus('endpoints:\n  - name: a\n  - url: tcp://h:1\n    name: b\n    interval: often\n').problems,
    ).toEqual([
      'endpoints.0 ("a").url: missing',
      'endpoints.1 ("b").interval: "often" is not a duration such as 30s, 5m or 1h',
    ]);
  });

  it('asks for the value of an environment variable Gatus would fill in', () => {
    const r = parseGatus('endpoints:\n  - name: a\n    url: "https://${HOST}/"\n');
    expect(r.problems).toEqual([expect.stringMatching(/^endpoints\.0 \("a"\)\.url: .*environment variable/)]);
  });
});
