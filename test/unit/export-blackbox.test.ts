import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { blackboxConfig, dialogueSteps, renderBlackbox } from '../../main/core/formats/blackbox-export';
import { re2Literal, toRe2 } from '../../main/core/formats/export-result';
import type { MonitorInput } from '../../shared/monitor';
import { monitor } from '../helpers/monitors';

type Partial1 = Partial<MonitorInput> & Pick<MonitorInput, 'port'>;

interface ScrapeJob {
  job_name: string;
  params: { module: string[] };
  scrape_interval: string;
  scrape_timeout: string;
  static_configs: { targets: string[]; labels: Record<string, string> }[];
  relabel_configs: Record<string, unknown>[];
}

const render = (partials: Partial1[], exporter?: string) => {
  const result = renderBlackbox(
    partials.map((p) => monitor(p)),
    exporter ? { exporter } : {},
  );
  const [bb, prom] = result.files;
  return {
    names: result.files.map((f) => f.name),
    modules: (parse(bb?.text ?? '') as { modules: Record<string, Record<string, unknown>> }).modules,
    jobs: (parse(prom?.text ?? '') as { scrape_configs: ScrapeJob[] }).scrape_configs,
    lost: result.notCarried.map((n) => `${n.monitor}: ${n.what}`),
    text: result.files.map((f) => f.text).join('\n'),
  };
};

describe('blackbox_exporter and Prometheus export', () => {
  it('shares one module among monitors of one shape, and a job among those of one interval', () => {
    const { names, modules, jobs } = render([
      { name: 'a', port: 1, timeoutMs: 2000, intervalSec: 60 },
      { name: 'b', port: 2, timeoutMs: 2000, intervalSec: 60 },
      { name: 'c', port: 3, timeoutMs: 2000, intervalSec: 300 },
      { name: 'd', port: 4, timeoutMs: 5000, intervalSec: 60 },
    ]);
    expect(names).toEqual(['blackbox.yml', 'prometheus.yml']);
    expect(Object.keys(modules)).toEqual(['tcp_connect', 'tcp_connect_2']);
    expect(modules.tcp_connect).toEqual({ prober: 'tcp', timeout: '2s', tcp: { preferred_ip_protocol: 'ip4' } });
    expect(jobs.map((j) => [j.job_name, j.params.module[0], j.scrape_interval, j.static_configs.length])).toEqual([
      ['tcp_connect_1m', 'tcp_connect', '1m', 2],
      ['tcp_connect_5m', 'tcp_connect', '5m', 1],
      ['tcp_connect_2', 'tcp_connect_2', '1m', 1],
    ]);
  });

  it('points every job at the exporter with the standard relabelling, and labels each target', () => {
    const { jobs } = render(
      [{ name: 'Postgres', kind: 'service', check: 'postgres', service: 'postgres', port: 5432, tier: 1, group: 'db' }],
      '10.0.0.9:9115',
    );
    const job = jobs[0];
    expect(job?.static_configs).toEqual([
      { targets: ['127.0.0.1:5432'], labels: { monitor: 'Postgres', group: 'db', tier: '1', service: 'postgres' } },
    ]);
    expect(job?.relabel_configs).toEqual([
      { source_labels: ['__address__'], target_label: '__param_target' },
      { source_labels: ['__param_target'], target_label: 'instance' },
      { target_label: '__address__', replacement: '10.0.0.9:9115' },
    ]);
  });

  it('keeps the scrape timeout above the probe timeout and within the interval', () => {
    const { jobs, lost } = render([
      { name: 'slow', port: 1, timeoutMs: 8000, intervalSec: 60 },
      { name: 'tight', port: 2, timeoutMs: 9000, intervalSec: 5 },
    ]);
    expect(jobs.map((j) => j.scrape_timeout)).toEqual(['9s', '5s']);
    expect(lost).toContain('tight: a 9s timeout (cut to the 5s scrape interval)');
  });

  it('writes an http monitor with its method, statuses, body rules and headers, never a credential', () => {
    const { modules, jobs, lost, text } = render([
      {
        name: 'API health',
        kind: 'http',
        port: 8443,
        url: 'https://127.0.0.1:8443/health',
        insecure: true,
        http: {
          method: 'HEAD',
          expectStatus: '200,204',
          bodyContains: 'a.b (c)',
          bodyRegex: '^(?<state>up)$',
          followRedirects: false,
          headers: { Authorization: 'Bearer s3cret', 'X-Api-Key': 'k3y', Accept: 'text/plain' },
        },
      },
    ]);
    expect(modules.http_api_health).toEqual({
      prober: 'http',
      timeout: '500ms',
      http: {
        preferred_ip_protocol: 'ip4',
        method: 'HEAD',
        headers: { Accept: 'text/plain' },
        valid_status_codes: [200, 204],
        fail_if_body_not_matches_regexp: ['a\\.b \\(c\\)', '^(?P<state>up)$'],
        follow_redirects: false,
        tls_config: { insecure_skip_verify: true },
      },
    });
    expect(jobs[0]?.static_configs[0]?.targets).toEqual(['https://127.0.0.1:8443/health']);
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain('k3y');
    expect(lost).toContain('API health: header Authorization (a credential: never exported)');
    expect(lost).toContain('API health: header X-Api-Key (a credential: never exported)');
    expect(lost).toContain(
      'API health: certificate warnings at 30, 14, 7 days: alert on probe_ssl_earliest_cert_expiry in a Prometheus rule',
    );
  });

  it('lists every status of a wide rule, and leaves blackbox its own default for 2xx', () => {
    const { modules } = render([
      { name: 'a', kind: 'http', port: 80, url: 'http://127.0.0.1/' },
      { name: 'b', kind: 'http', port: 80, url: 'http://127.0.0.1/b', http: { expectStatus: '2xx' } },
    ]);
    const a = (modules.http_a?.http as { valid_status_codes: number[] }).valid_status_codes;
    expect(a).toHaveLength(200);
    expect([a[0], a[199]]).toEqual([200, 399]);
    expect(modules.http_b?.http).not.toHaveProperty('valid_status_codes');
  });

  it('says what a regex RE2 cannot read would have checked, instead of writing a config that fails to load', () => {
    const { modules, lost } = render([
      { name: 'w', kind: 'http', port: 80, url: 'http://127.0.0.1/', http: { bodyRegex: 'a(?=b)' } },
    ]);
    expect(modules.http_w?.http).not.toHaveProperty('fail_if_body_not_matches_regexp');
    expect(lost).toContain("w: body regex /a(?=b)/ (it needs features Go's RE2 lacks)");
  });

  it('speaks Redis, SSH and mail greetings with query_response, and STARTTLS where asked', () => {
    const { modules } = render([
      { name: 'cache', kind: 'service', check: 'redis', port: 6379 },
      { name: 'mail', kind: 'service', check: 'smtp', port: 587, starttls: true },
      { name: 'imaps', kind: 'service', check: 'imap', port: 993, implicitTls: true },
    ]);
    expect(modules.redis?.tcp).toMatchObject({ query_response: [{ send: 'PING\r' }, { expect: '^(\\+PONG|-)' }] });
    const smtp = (modules.smtp_starttls?.tcp as { query_response: Record<string, unknown>[] }).query_response;
    expect(smtp).toContainEqual({ starttls: true });
    expect(modules.imap_tls?.tcp).toMatchObject({ tls: true });
  });

  it('exports checks it cannot speak as a TCP connect and says so', () => {
    const { modules, lost } = render([{ name: 'pg', kind: 'service', check: 'postgres', port: 5432 }]);
    expect(Object.keys(modules)).toEqual(['tcp_connect']);
    expect(lost).toContain('pg: postgres protocol check exported as a TCP connect');
  });

  it('asks DNS as the check does: a name and type wanting an answer, or any reply to version.bind', () => {
    const { modules } = render([
      { name: 'mx', kind: 'service', check: 'dns', port: 53, settings: { name: 'example.test', type: 'MX' } },
      { name: 'alive', kind: 'service', check: 'dns', port: 53, settings: { transport: 'tcp' } },
      { name: 'gone', kind: 'service', check: 'dns', port: 53, settings: { name: 'x.test', expectRcode: 'NXDOMAIN' } },
    ]);
    expect(modules.dns_example_test_mx?.dns).toMatchObject({
      query_name: 'example.test',
      query_type: 'MX',
      transport_protocol: 'udp',
      validate_answer_rrs: { fail_if_none_matches_regexp: ['.*'] },
    });
    const alive = modules.dns_any_reply?.dns as Record<string, unknown>;
    expect(alive).toMatchObject({ query_name: 'version.bind', query_class: 'CH', transport_protocol: 'tcp' });
    expect(alive.valid_rcodes).toContain('REFUSED');
    expect(modules.dns_x_test_a?.dns).toMatchObject({ valid_rcodes: ['NXDOMAIN'] });
  });

  it('leaves out a paused monitor and says so; the slow threshold and retries are named as not carried', () => {
    const config = blackboxConfig([
      monitor({ name: 'off', port: 1, enabled: false }),
      monitor({ name: 'on', port: 2, slowMs: 300 }),
    ]);
    expect(config.jobs.flatMap((j) => j.targets.map((t) => t.labels.monitor))).toEqual(['on']);
    expect(config.notCarried.map((n) => `${n.monitor}: ${n.what}`)).toEqual(
      expect.arrayContaining([
        'off: left out: it is paused, and Prometheus has no paused target',
        'on: slow threshold (300 ms): alert on probe_duration_seconds in a Prometheus rule',
        'on: 1 retry before a failure counts',
      ]),
    );
  });
});

describe('RE2 and dialogue translation', () => {
  it('escapes text so it matches only itself', () => {
    const text = 'a.b*c+(d)[e]{f}|g^h$i?j\\k';
    expect(new RegExp(`^${re2Literal(text)}$`).test(text)).toBe(true);
    expect(new RegExp(re2Literal('a.b')).test('axb')).toBe(false);
  });

  it('refuses what RE2 lacks and renames named groups', () => {
    expect(toRe2('^up\\s+(\\d+)$')).toBe('^up\\s+(\\d+)$');
    expect(toRe2('(?<n>x)')).toBe('(?P<n>x)');
    for (const js of ['a(?=b)', 'a(?!b)', '(?<=a)b', '(?<!a)b', '(a)\\1', '\\u00e9', '[^]', '(?<n>a)\\k<n>'])
      expect(toRe2(js), js).toBeUndefined();
  });

  it('maps a dialogue to query_response only when blackbox would send the same bytes', () => {
    expect(dialogueSteps({ steps: [{ send: 'HELLO\r\n' }, { expect: '^OK' }, { starttls: true }] })).toEqual([
      { send: 'HELLO\r' },
      { expect: '^OK' },
      { starttls: true },
    ]);
    expect(dialogueSteps({ steps: [{ send: 'HELLO' }] })).toMatch(/no line break/);
    expect(dialogueSteps({ steps: [{ sendHex: '00ff' }] })).toMatch(/hex/);
    expect(dialogueSteps({ steps: [{ expect: 'a(?=b)' }] })).toMatch(/RE2/);
  });
});
