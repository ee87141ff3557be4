import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBlackbox, type SdFiles } from '../../main/core/formats/blackbox-import';
import { readImport } from '../../main/core/formats/read-import';

const dir = fileURLToPath(new URL('../fixtures/import/', import.meta.url));
const disk: SdFiles = { read: (f) => readFileSync(f, 'utf8'), list: (d) => readdirSync(d) };
const promFile = path.join(dir, 'prometheus.yml');

/** file_sd files kept in memory, by absolute path, to see exactly what is asked for. */
function memory(files: Record<string, string>): SdFiles & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    read: (f) => {
      asked.push(f);
      const text = files[f];
      if (text === undefined) throw new Error('no such file');
      return text;
    },
    list: (d) =>
      Object.keys(files)
        .filter((f) => path.dirname(f) === d)
        .map((f) => path.basename(f)),
  };
}

const MODULES = 'modules:\n  tcp_connect:\n    prober: tcp\n';
const job = (extra: string): string =>
  `scrape_configs:\n  - job_name: tcp\n    metrics_path: /probe\n    params:\n      module: [tcp_connect]\n${extra}    relabel_configs:\n      - source_labels: [__address__]\n        target_label: __param_target\n`;

describe('blackbox.yml with the prometheus.yml using it', () => {
  const r = readImport({
    text: readFileSync(path.join(dir, 'blackbox.yml'), 'utf8'),
    name: 'blackbox.yml',
    format: 'blackbox',
    prometheus: { text: readFileSync(promFile, 'utf8'), file: promFile, files: disk },
  });
  const byName = (name: string) => r.monitors.find((m) => m.name === name);

  it('makes one monitor per probed target, from static_configs and file_sd files', () => {
    expect(r.problems).toEqual([]);
    expect(r.monitors.map((m) => m.name)).toEqual([
      'blackbox-http: https://www.example.com',
      'blackbox-http: http://intranet.example.internal:8080/status',
      'blackbox-health: https://api.example.com/health',
      'blackbox-health: https://shop.example.com/health',
      'blackbox-tcp: db.example.internal:5432',
      'blackbox-tcp: cache.example.internal:6379',
      'blackbox-tcp: [2001:db8::5]:5432',
      'blackbox-ssh: bastion.example.internal:22',
      'blackbox-tls: www.example.com:443',
      'blackbox-dns: 192.0.2.53',
    ]);
    expect(r.origins[2]).toBe('targets/health-api.json: 0.targets.0 ("https://api.example.com/health")');
  });

  it('probes each target as its module says', () => {
    expect(byName('blackbox-http: https://www.example.com')).toMatchObject({
      kind: 'http',
      url: 'https://www.example.com/',
      family: 4,
      timeoutMs: 5000,
      http: { expectStatus: '200-299' },
      tags: ['blackbox-http'],
    });
    const health = byName('blackbox-health: https://api.example.com/health');
    expect(health?.http?.expectStatus).toBe('200,204');
    expect(new RegExp(health?.http?.bodyRegex ?? 'missing').test('{"status": "ok"}')).toBe(true);
    expect(byName('blackbox-tcp: [2001:db8::5]:5432')).toMatchObject({
      kind: 'tcp',
      host: '2001:db8::5',
      port: 5432,
      timeoutMs: 3000,
    });
    expect(byName('blackbox-ssh: bastion.example.internal:22')).toMatchObject({
      kind: 'service',
      check: 'ssh',
      port: 22,
    });
    expect(byName('blackbox-tls: www.example.com:443')).toMatchObject({ kind: 'tls', port: 443 });
    expect(byName('blackbox-dns: 192.0.2.53')).toMatchObject({
      kind: 'service',
      check: 'dns',
      host: '192.0.2.53',
      port: 53,
      settings: { name: 'example.com', type: 'A', transport: 'tcp', expectRcode: 'NOERROR' },
    });
  });

  it('lists the job that is no probe, the icmp target, and what a used module does beyond Portwatch', () => {
    expect(r.notMapped).toEqual([
      {
        item: 'prometheus.yml: scrape_configs.0 ("prometheus")',
        why: 'it scrapes metrics; it is not a blackbox probe',
      },
      {
        item: 'prometheus.yml: scrape_configs.7 ("blackbox-icmp").static_configs.0.targets.0 ("192.0.2.1")',
        why: expect.stringMatching(/^module icmp: an ICMP ping checks no port/),
      },
      { item: 'blackbox.yml: modules.http_health', why: expect.stringMatching(/^fail_if_not_ssl:/) },
    ]);
  });
});

describe('blackbox, file_sd and relabelling', () => {
  it('reads file_sd files relative to the prometheus.yml, through the reader it is given', () => {
    const files = memory({
      '/etc/prometheus/sd/a.json': '[{"targets": ["a.example:1"]}]',
      '/etc/prometheus/sd/b.yml': '- targets: ["b.example:2"]\n',
      '/etc/prometheus/sd/notes.txt': 'not a target file',
    });
    const prom = job('    file_sd_configs:\n      - files: ["sd/*.json", "sd/b.yml"]\n');
    const r = parseBlackbox(MODULES, 'blackbox.yml', { text: prom, file: '/etc/prometheus/prometheus.yml', files });
    expect(r.problems).toEqual([]);
    expect(r.monitors.map((m) => `${m.host}:${m.port}`)).toEqual(['a.example:1', 'b.example:2']);
    expect(files.asked).toEqual(['/etc/prometheus/sd/a.json', '/etc/prometheus/sd/b.yml']);
  });

  it('names a file_sd file that cannot be read, or is broken, in the problems', () => {
    const prom = job('    file_sd_configs:\n      - files: ["gone.json", "bad.json"]\n');
    const files = memory({ '/p/bad.json': '[{"targets": ["x:1"]' });
    const r = parseBlackbox(MODULES, 'blackbox.yml', { text: prom, file: '/p/prometheus.yml', files });
    expect(r.problems).toEqual([
      'gone.json: cannot be read: no such file',
      expect.stringMatching(/^bad\.json: not valid JSON at line 1, column \d+/),
    ]);
  });

  it('follows keep and drop rules and a module chosen per target by a label', () => {
    const prom = `scrape_configs:
  - job_name: mixed
    metrics_path: /probe
    static_configs:
      - targets: ["h.example:22"]
        labels: {module: ssh_banner}
      - targets: ["h.example:5432", "skip.example:1"]
        labels: {module: tcp_connect}
    relabel_configs:
      - source_labels: [__address__]
        regex: "skip\\\\..*"
        action: drop
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [module]
        target_label: __param_module
`;
    const modules = `${MODULES}  ssh_banner:\n    prober: tcp\n    tcp:\n      query_response:\n        - expect: "^SSH-2.0-"\n`;
    const r = parseBlackbox(modules, 'blackbox.yml', { text: prom, file: '/p/prometheus.yml', files: memory({}) });
    expect(r.problems).toEqual([]);
    expect(r.monitors.map((m) => [m.kind, m.check, m.port])).toEqual([
      ['service', 'ssh', 22],
      ['tcp', undefined, 5432],
    ]);
  });

  it('knows a service by its query_response exchange, and the dns check by its own questions', () => {
    const modules = `modules:
  redis:
    prober: tcp
    tcp:
      query_response: [{send: "PING\\r"}, {expect: "^(\\\\+PONG|-)"}]
  imap_starttls:
    prober: tcp
    tcp:
      query_response:
        - expect: "(?i)^\\\\* (OK|PREAUTH)"
        - send: "a1 STARTTLS\\r"
        - expect: "(?i)^a1 OK"
        - starttls: true
  any_reply:
    prober: dns
    dns: {query_name: version.bind, query_class: CH, query_type: TXT, valid_rcodes: [NOERROR, REFUSED, SERVFAIL]}
  answer:
    prober: dns
    dns:
      query_name: example.com
      query_type: MX
      validate_answer_rrs: {fail_if_none_matches_regexp: [".*"]}
`;
    const prom = ['redis', 'imap_starttls', 'any_reply', 'answer']
      .map(
        (m, i) =>
          `  - job_name: ${m}\n    params: {module: [${m}]}\n    static_configs: [{targets: ["192.0.2.${i + 1}:${[6379, 143, 53, 53][i]}"]}]\n    relabel_configs: [{source_labels: [__address__], target_label: __param_target}]\n`,
      )
      .join('');
    const r = parseBlackbox(modules, 'blackbox.yml', {
      text: `scrape_configs:\n${prom}`,
      file: '/p/prometheus.yml',
      files: memory({}),
    });
    expect(r.problems).toEqual([]);
    expect(r.notMapped).toEqual([]);
    expect(r.monitors.map((m) => [m.check, m.starttls, m.settings])).toEqual([
      ['redis', undefined, undefined],
      ['imap', true, undefined],
      ['dns', undefined, { transport: 'udp' }],
      ['dns', undefined, { name: 'example.com', type: 'MX', transport: 'udp' }],
    ]);
  });

  it('needs the prometheus.yml, and refuses files of the wrong shape by name', () => {
    expect(parseBlackbox(MODULES, 'blackbox.yml').problems).toEqual([
      expect.stringMatching(/^blackbox\.yml: a blackbox\.yml names no targets: give the prometheus\.yml/),
    ]);
    expect(parseBlackbox('modules: [http_2xx]\n', 'bb.yml').problems).toEqual([
      'bb.yml: this is not a blackbox_exporter configuration: it has no "modules" map',
    ]);
    const wrong = parseBlackbox(MODULES, 'blackbox.yml', {
      text: 'global: {}\n',
      file: '/p/prom.yml',
      files: memory({}),
    });
    expect(wrong.problems).toEqual(['prom.yml: this is not a prometheus.yml: it has no "scrape_configs" list']);
  });

  it('lists a module Portwatch cannot run, and a target of an unknown module', () => {
    const modules = 'modules:\n  dns_any:\n    prober: dns\n    dns:\n      query_name: example.com\n';
    const prom = `scrape_configs:
  - job_name: d
    params: {module: [dns_any]}
    static_configs: [{targets: ["192.0.2.53"]}]
    relabel_configs: [{source_labels: [__address__], target_label: __param_target}]
  - job_name: e
    params: {module: [nope]}
    static_configs: [{targets: ["192.0.2.54"]}]
    relabel_configs: [{source_labels: [__address__], target_label: __param_target}]
`;
    const r = parseBlackbox(modules, 'blackbox.yml', { text: prom, file: '/p/prometheus.yml', files: memory({}) });
    expect(r.monitors).toEqual([]);
    expect(r.notMapped.map((n) => n.why)).toEqual([
      expect.stringMatching(/^module dns_any: the query type ANY is not one Portwatch asks for/),
      'the module "nope" is not in the blackbox.yml',
    ]);
  });
});
