import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { AlertSettingsSchema, type AlertSettings } from '../../shared/alerts';
import { MonitorSchema, type Monitor, type MonitorInput } from '../../shared/monitor';
import { renderAlertmanager } from '../../main/core/formats/alertmanager-export';
import { parseInstance, renderPrometheus } from '../../main/core/formats/prometheus-export';
import { keyFileBox } from '../../main/core/secrets';

const BOT_TOKEN = '123456789:AAH-unit-test-bot-token';
const SMTP_PASSWORD = 'unit-smtp-pa55word';

let n = 0;
const monitor = (partial: Partial<MonitorInput> & Pick<MonitorInput, 'port'>): Monitor =>
  MonitorSchema.parse({ id: `m${++n}`, name: `monitor ${n}`, kind: 'tcp', host: '10.0.0.1', ...partial });

interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

interface PromConfig {
  global: Record<string, string>;
  rule_files: string[];
  alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
  scrape_configs: {
    job_name: string;
    scheme: string;
    metrics_path: string;
    scrape_interval: string;
    scrape_timeout: string;
    authorization: Record<string, string>;
    static_configs: { targets: string[]; labels?: Record<string, string> }[];
  }[];
}

const renderProm = (monitors: Monitor[], options: Parameters<typeof renderPrometheus>[1] = {}) => {
  const result = renderPrometheus(monitors, options);
  const [prom, rules] = result.files;
  return {
    names: result.files.map((f) => f.name),
    config: parse(prom?.text ?? '') as PromConfig,
    rules: (parse(rules?.text ?? '') as { groups: { name: string; interval: string; rules: Rule[] }[] }).groups,
    lost: result.notCarried.map((l) => `${l.monitor}: ${l.what}`),
  };
};

const rule = (rules: { rules: Rule[] }[], alert: string, tier?: number): Rule | undefined =>
  rules[0]?.rules.find((r) => r.alert === alert && (tier === undefined || r.labels.tier === String(tier)));

interface Receiver {
  name: string;
  telegram_configs?: Record<string, unknown>[];
  email_configs?: Record<string, unknown>[];
  webhook_configs?: Record<string, unknown>[];
  slack_configs?: Record<string, unknown>[];
  discord_configs?: Record<string, unknown>[];
}
interface AmConfig {
  route: {
    receiver: string;
    group_by: string[];
    group_wait: string;
    group_interval: string;
    repeat_interval: string;
    routes: { matchers: string[]; receiver: string; repeat_interval: string }[];
  };
  receivers: Receiver[];
}

describe('Prometheus export: scrape config and tier rules', () => {
  it('scrapes the default instance with the metrics token from a file, and sends alerts to Alertmanager', () => {
    const { names, config } = renderProm([]);
    expect(names).toEqual(['prometheus.yml', 'portwatch-rules.yml']);
    expect(config.global).toEqual({ scrape_interval: '15s', evaluation_interval: '15s' });
    expect(config.rule_files).toEqual(['portwatch-rules.yml']);
    expect(config.alerting.alertmanagers[0]?.static_configs[0]?.targets).toEqual(['127.0.0.1:9093']);
    expect(config.scrape_configs).toEqual([
      {
        job_name: 'portwatch',
        scrape_interval: '15s',
        scrape_timeout: '10s',
        scheme: 'http',
        metrics_path: '/metrics',
        authorization: { type: 'Bearer', credentials_file: 'portwatch-metrics.token' },
        static_configs: [{ targets: ['127.0.0.1:7788'] }],
      },
    ]);
  });

  it('scrapes several instances in one job; one with another scheme or path says so per target', () => {
    const { config } = renderProm([], {
      instances: ['http://10.0.0.5:7788/', 'http://10.0.0.6:7788', 'https://watch.example.test/portwatch'],
      tokenFile: '/etc/prometheus/portwatch.token',
      alertmanager: '10.0.0.9:9093',
    });
    const job = config.scrape_configs[0];
    expect(config.scrape_configs).toHaveLength(1);
    expect(job?.authorization.credentials_file).toBe('/etc/prometheus/portwatch.token');
    expect(job?.static_configs).toEqual([
      { targets: ['10.0.0.5:7788', '10.0.0.6:7788'] },
      {
        targets: ['watch.example.test:443'],
        labels: { __scheme__: 'https', __metrics_path__: '/portwatch/metrics' },
      },
    ]);
    expect(config.alerting.alertmanagers[0]?.static_configs[0]?.targets).toEqual(['10.0.0.9:9093']);
  });

  it('refuses instance URLs Prometheus could not scrape as meant', () => {
    expect(parseInstance('http://[::1]:7788')).toEqual({
      scheme: 'http',
      address: '[::1]:7788',
      metricsPath: '/metrics',
    });
    expect(parseInstance('127.0.0.1:7788')).toMatch(/must start with http/);
    expect(parseInstance('http://user:pw@127.0.0.1:7788')).toMatch(/holds credentials/);
    expect(parseInstance('http://127.0.0.1:7788/?token=x')).toMatch(/query/);
    expect(parseInstance('http://exa mple.test')).toMatch(/not a URL/);
    expect(parseInstance('ftp://127.0.0.1:7788')).toMatch(/must start with http/);
  });

  it("gives each tier a PortwatchDown rule waiting the tier's confirmation time, loudest for tier 1", () => {
    const { rules } = renderProm([]);
    expect(rules[0]?.interval).toBe('15s');
    // Every tier confirms with 1 retry 30 s later (shared/catalog.ts).
    expect([1, 2, 3].map((t) => rule(rules, 'PortwatchDown', t))).toEqual([
      expect.objectContaining({
        expr: 'probe_success{job="portwatch",tier="1"} == 0',
        for: '30s',
        labels: { severity: 'critical', tier: '1' },
      }),
      expect.objectContaining({
        expr: 'probe_success{job="portwatch",tier="2"} == 0',
        for: '30s',
        labels: { severity: 'warning', tier: '2' },
      }),
      expect.objectContaining({
        expr: 'probe_success{job="portwatch",tier="3"} == 0',
        for: '30s',
        labels: { severity: 'info', tier: '3' },
      }),
    ]);
    expect(rule(rules, 'PortwatchDegraded', 1)).toMatchObject({
      expr: 'portwatch_monitor_state{job="portwatch",state="degraded",tier="1"} == 1',
      labels: { severity: 'warning' },
    });
    expect(rule(rules, 'PortwatchDegraded', 3)?.labels.severity).toBe('info');
    expect(rule(rules, 'PortwatchInstanceDown')).toMatchObject({ expr: 'up{job="portwatch"} == 0', for: '30s' });
  });

  it('never waits less than one scrape, and shortens "for:" only when asked to', () => {
    expect(rule(renderProm([], { scrapeIntervalMs: 60_000 }).rules, 'PortwatchDown', 1)?.for).toBe('1m');
    const fast = renderProm([], { scrapeIntervalMs: 1000, forScale: 0.1 });
    expect(rule(fast.rules, 'PortwatchDown', 2)?.for).toBe('3s');
    expect(fast.config.scrape_configs[0]?.scrape_timeout).toBe('1s');
    // One missed scrape (a restart) is not an instance gone.
    expect(rule(renderProm([], { scrapeIntervalMs: 1000, forScale: 0.01 }).rules, 'PortwatchInstanceDown')?.for).toBe(
      '2s',
    );
  });

  it('names the host and port from the series, so monitors added after the export read right too', () => {
    const { rules } = renderProm([monitor({ name: 'orders-db', host: '10.0.0.6', port: 5432, tier: 1 })]);
    expect(rule(rules, 'PortwatchDown', 1)?.annotations.summary).toBe(
      '{{ $labels.name }} ({{ $labels.host }}:{{ $labels.port }}) is DOWN',
    );
    expect(rule(rules, 'PortwatchDown', 2)?.annotations.description).toContain('port {{ $labels.port }}');
  });

  it('lists what the per-tier rules cannot follow for single monitors', () => {
    const { lost } = renderProm([
      monitor({ name: 'plain', port: 1, tier: 1 }),
      monitor({ name: 'patient', port: 2, tier: 2, retries: 3, retryIntervalSec: 20 }),
      monitor({ name: 'picky', port: 3, tier: 3, recoverySuccesses: 2, alertChannels: ['email'] }),
    ]);
    expect(lost).toEqual([
      'patient: its own confirmation (3 × 20s): the tier 2 rule waits 30s for every monitor of the tier',
      'picky: 2 successes before recovery: the alert resolves on the first good check',
      'picky: its own alert channels (email): Alertmanager routes by tier',
    ]);
  });
});

describe('Alertmanager export: tier routing to the configured channels', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pw-am-unit-'));
  const box = keyFileBox(join(dir, 'secret.key'));
  const otherBox = keyFileBox(join(dir, 'other.key'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const settings = (input: Record<string, unknown>): AlertSettings => AlertSettingsSchema.parse(input);
  const render = (alerts: AlertSettings) => {
    const result = renderAlertmanager(alerts, box);
    return { ...result, config: parse(result.file.text) as AmConfig };
  };
  const receiver = (config: AmConfig, name: string): Receiver | undefined =>
    config.receivers.find((r) => r.name === name);

  const channels = [
    { id: 'desk', kind: 'desktop' },
    { id: 'oncall', kind: 'telegram', botToken: box.seal(BOT_TOKEN), chatId: '-1001234567890123' },
    {
      id: 'ops-mail',
      kind: 'email',
      host: 'smtp.example.test',
      port: 587,
      user: 'alerts',
      password: box.seal(SMTP_PASSWORD),
      from: 'portwatch@example.test',
      to: ['ops@example.test', 'lead@example.test'],
    },
    { id: 'hook', kind: 'webhook', url: box.seal('https://hooks.example.test/in/abc'), secret: box.seal('sign') },
  ];

  it("routes each tier to a receiver of its channel kinds, grouped by host, repeating at the tier's reminder", () => {
    const { config } = render(
      settings({
        channels,
        routing: { 1: ['desktop', 'telegram', 'email', 'webhook'], 2: ['telegram'], 3: ['email'] },
      }),
    );
    expect(config.route).toEqual({
      receiver: 'portwatch-default',
      group_by: ['host'],
      group_wait: '10s',
      group_interval: '1m',
      repeat_interval: '30m',
      routes: [
        { matchers: ['tier="1"'], receiver: 'tier-1-critical', repeat_interval: '30m' },
        { matchers: ['tier="2"'], receiver: 'tier-2-important', repeat_interval: '2h' },
        // Tier 3 has no reminders; Alertmanager cannot stop repeating, so it repeats rarely.
        { matchers: ['tier="3"'], receiver: 'tier-3-tolerant', repeat_interval: '120h' },
      ],
    });
    const kinds = (r?: Receiver): string[] => Object.keys(r ?? {}).filter((k) => k !== 'name');
    expect(kinds(receiver(config, 'tier-1-critical'))).toEqual([
      'telegram_configs',
      'email_configs',
      'webhook_configs',
    ]);
    expect(kinds(receiver(config, 'tier-2-important'))).toEqual(['telegram_configs']);
    expect(kinds(receiver(config, 'tier-3-tolerant'))).toEqual(['email_configs']);
    // Alerts about Portwatch itself carry no tier: they go where tier 1 goes.
    expect(receiver(config, 'portwatch-default')).toEqual({
      ...receiver(config, 'tier-1-critical'),
      name: 'portwatch-default',
    });
  });

  it('opens the sealed secrets into the receivers and says which secrets the file holds', () => {
    const { config, secrets, file } = render(settings({ channels, routing: { 1: ['telegram', 'email', 'webhook'] } }));
    const tier1 = receiver(config, 'tier-1-critical');
    expect(tier1?.telegram_configs).toEqual([
      { bot_token: BOT_TOKEN, chat_id: -1001234567890123, send_resolved: true },
    ]);
    // Exact in the file, though beyond what a double holds exactly.
    expect(file.text).toContain('chat_id: -1001234567890123\n');
    expect(tier1?.email_configs).toEqual([
      {
        to: 'ops@example.test, lead@example.test',
        from: 'portwatch@example.test',
        smarthost: 'smtp.example.test:587',
        auth_username: 'alerts',
        auth_password: SMTP_PASSWORD,
        require_tls: true,
        send_resolved: true,
      },
    ]);
    expect(tier1?.webhook_configs).toEqual([{ url: 'https://hooks.example.test/in/abc', send_resolved: true }]);
    expect(secrets).toEqual([
      'the bot token of channel oncall',
      'the SMTP password of channel ops-mail',
      'the URL of channel hook',
    ]);
    expect(secrets.join(' ')).not.toContain(BOT_TOKEN);
    expect(file.text.split('\n')[1]).toMatch(/holds secrets in clear.*0600/);
    expect(file.text).not.toMatch(/pw-key:/);
  });

  it('carries Slack and Discord webhooks, implicit TLS on 465, and a self-hosted Bot API', () => {
    const { config } = render(
      settings({
        channels: [
          { id: 'slack', kind: 'webhook', format: 'slack', url: box.seal('https://hooks.slack.test/T/B/x') },
          { id: 'discord', kind: 'webhook', format: 'discord', url: box.seal('https://discord.test/api/webhooks/1/x') },
          {
            id: 'smtps',
            kind: 'email',
            host: 'mail.test',
            port: 465,
            security: 'tls',
            from: 'a@b.test',
            to: ['c@d.test'],
          },
          {
            id: 'bot',
            kind: 'telegram',
            botToken: box.seal(BOT_TOKEN),
            chatId: '42',
            apiBase: 'http://127.0.0.1:8081/',
          },
        ],
        routing: { 1: ['webhook', 'email', 'telegram'] },
      }),
    );
    const tier1 = receiver(config, 'tier-1-critical');
    expect(tier1?.slack_configs).toEqual([{ api_url: 'https://hooks.slack.test/T/B/x', send_resolved: true }]);
    expect(tier1?.discord_configs).toEqual([
      { webhook_url: 'https://discord.test/api/webhooks/1/x', send_resolved: true },
    ]);
    expect(tier1?.email_configs?.[0]).toMatchObject({ smarthost: 'mail.test:465', require_tls: false });
    expect(tier1?.telegram_configs?.[0]).toMatchObject({ api_url: 'http://127.0.0.1:8081', chat_id: 42 });
  });

  it('leaves out what Alertmanager cannot use, and says why', () => {
    const { config, notCarried, file } = render(
      settings({
        channels: [
          { id: 'desk', kind: 'desktop' },
          { id: 'public', kind: 'telegram', botToken: box.seal(BOT_TOKEN), chatId: '@portwatch_news' },
          { id: 'elsewhere', kind: 'telegram', botToken: otherBox.seal('999:other-machine'), chatId: '7' },
          { id: 'off', kind: 'webhook', url: box.seal('https://x.test/'), enabled: false },
          {
            id: 'odd-tls',
            kind: 'email',
            host: 'mail.test',
            port: 2465,
            security: 'tls',
            from: 'a@b.test',
            to: ['c@d.test'],
          },
          { id: 'signed', kind: 'webhook', url: box.seal('https://x.test/signed'), secret: box.seal('k') },
        ],
        maintenance: [
          { id: 'w', scope: { host: '10.0.0.1' }, kind: 'weekly', day: 0, startMinute: 60, durationMinutes: 60 },
        ],
        snooze: { from: 0, until: Date.UTC(2030, 0, 1) },
      }),
    );
    expect(notCarried).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^channel desk \(desktop\): Alertmanager cannot reach a desktop/),
        expect.stringMatching(/^channel public \(telegram\): .*numeric chat id/),
        expect.stringMatching(/^channel elsewhere \(telegram\): its bot token cannot be opened here/),
        'channel off: it is disabled, so it is left out',
        expect.stringMatching(/^channel odd-tls \(email\): implicit TLS on port 2465/),
        'channel signed (webhook): its signing secret: Alertmanager does not sign what it posts',
        expect.stringMatching(/^1 maintenance window\(s\) as Alertmanager silences, which are a separate thing/),
        expect.stringMatching(/^the snooze until 2030-01-01T00:00:00.000Z/),
      ]),
    );
    // Default routing: tier 3 goes to e-mail only, and no e-mail channel was carried.
    expect(notCarried).toContain(
      'tier 3 (tolerant): none of its channels (email) reaches Alertmanager, so its receiver sends nothing',
    );
    expect(receiver(config, 'tier-3-tolerant')).toEqual({ name: 'tier-3-tolerant' });
    expect(file.text).not.toContain('999:other-machine');
  });

  it('holds no secret, and says none, when no channel has one', () => {
    const { secrets, file } = render(settings({ channels: [{ id: 'desk', kind: 'desktop' }] }));
    expect(secrets).toEqual([]);
    expect(file.text).not.toMatch(/secrets/);
  });
});
