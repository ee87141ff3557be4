import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { saveChannel } from '../../main/core/alerts/channel-store';
import { keyFile } from '../../main/core/config/paths';
import { openCliConfig } from '../../main/core/config/store';
import { keyFileBox } from '../../main/core/secrets';
import type { Monitor } from '../../shared/monitor';
import { BIN, portwatchIn, type CliRun } from '../helpers/cli';
import { startDaemon, type Daemon } from '../helpers/daemons';
import { waitFor } from '../helpers/monitors';
import { closedPort, listen } from '../helpers/net';
import { httpReceiver, telegramApi, type HttpReceiver, type RecordedRequest } from '../helpers/receivers';

// `portwatch export --format prometheus` checked by the tools that will read its files (promtool,
// amtool, from Debian), then the whole chain for real: portwatch serve probes a loopback port,
// Debian's Prometheus scrapes it with the metrics token and evaluates the exported rules, and
// Debian's Alertmanager routes the alert to the channels exported from Portwatch's settings.

const BOT_TOKEN = '777777777:AAE-prometheus-export-s3cret';
const CHAT = '-1007777777777';
const HOOK_PATH = '/hook/s3cret-hook-path';
const API_TOKEN = 'prometheus-export-api-token-0123';
const METRICS_TOKEN = 'prometheus-export-metrics-token-4567';

interface AmPayload {
  receiver: string;
  status: string;
  alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string> }[];
}

/** What Alertmanager posted to the webhook; serve's own alerts reach it too, told apart by the user agent. */
const fromAlertmanager = (r: HttpReceiver): RecordedRequest[] =>
  r.requests.filter((q) => /^Alertmanager\//.test(String(q.headers['user-agent'])));
const payloads = (r: HttpReceiver): AmPayload[] =>
  fromAlertmanager(r).map((q) => JSON.parse(q.raw.toString()) as AmPayload);
const firing = (r: HttpReceiver, alertname: string) =>
  payloads(r).flatMap((p) =>
    p.alerts
      .filter((a) => a.status === 'firing' && a.labels.alertname === alertname)
      .map((a) => ({ ...a, receiver: p.receiver })),
  );

const run = (command: string, ...args: string[]) => spawnSync(command, args, { encoding: 'utf8' });

interface Serve {
  child: ChildProcess;
  output: () => string;
  exited: Promise<unknown>;
}

function startServe(home: string): Serve {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--metrics-token', METRICS_TOKEN, '--vantage', 'ci-vantage'],
    { env: { ...process.env, PORTWATCH_HOME: home, PORTWATCH_TOKEN: API_TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out, exited: new Promise((r) => child.once('exit', r)) };
}

/** An instant query; nothing while Prometheus is still starting (it answers 503 in plain text until ready). */
async function query(
  prometheus: number,
  promql: string,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`http://127.0.0.1:${prometheus}/api/v1/query?query=${encodeURIComponent(promql)}`);
  if (!res.ok) return [];
  const body = (await res.json()) as {
    data?: { result?: { metric: Record<string, string>; value: [number, string] }[] };
  };
  return body.data?.result ?? [];
}

async function until(check: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('portwatch export --format prometheus', () => {
  const dirs: string[] = [];
  const daemons: Daemon[] = [];
  const serves: Serve[] = [];
  const outputs: string[] = [];
  let home: string;
  let env: Record<string, string>;
  let out: string;
  let tokenFile: string;
  let exported: CliRun;
  let webhook: HttpReceiver;
  let telegram: HttpReceiver;
  let services: Awaited<ReturnType<typeof listen>>[];
  let monitors: Monitor[];

  const tempDir = (prefix: string): string => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
  const exportTo = async (dir: string, ...args: string[]): Promise<CliRun> => {
    const r = await portwatchIn(
      env,
      'export',
      dir,
      '--format',
      'prometheus',
      '--metrics-token-file',
      tokenFile,
      ...args,
    );
    outputs.push(r.stdout, r.stderr);
    return r;
  };

  beforeAll(async () => {
    execFileSync(process.execPath, ['build.config.mjs', 'cli']);
    home = tempDir('pw-prom-home-');
    env = { PORTWATCH_HOME: home };
    webhook = await httpReceiver((_req, res) => res.writeHead(200).end());
    telegram = await telegramApi({ token: BOT_TOKEN, chat: CHAT });
    services = [await listen(), await listen(), await listen()];
    const config = await openCliConfig(home);
    const box = keyFileBox(keyFile(home));
    for (const channel of [
      { id: 'desk', kind: 'desktop' },
      { id: 'oncall', kind: 'telegram', botToken: BOT_TOKEN, chatId: CHAT, apiBase: telegram.base },
      { id: 'ops-hook', kind: 'webhook', url: `${webhook.base}${HOOK_PATH}` },
    ])
      expect(saveChannel(config, box, channel)).toMatchObject({ ok: true });
    const alerts = config.settings().alerts;
    config.updateSettings({
      alerts: {
        ...alerts,
        routing: { 1: ['desktop', 'telegram', 'webhook'], 2: ['telegram', 'webhook'], 3: ['webhook'] },
        maintenance: [
          {
            id: 'later',
            scope: { host: '10.9.9.9' },
            kind: 'once',
            start: Date.UTC(2099, 0, 1),
            end: Date.UTC(2099, 0, 2),
          },
        ],
      },
    });
    const [db, cache, ssh] = services;
    monitors = [
      // Short timings so the chain runs in seconds; the rules' "for:" is shortened by --for-scale alone.
      config.addMonitor({
        name: 'orders-db',
        kind: 'tcp',
        host: '127.0.0.1',
        port: db?.port ?? 0,
        tier: 1,
        intervalSec: 5,
        retries: 1,
        retryIntervalSec: 1,
        timeoutMs: 500,
      }),
      config.addMonitor({ name: 'sessions', kind: 'tcp', host: '127.0.0.1', port: cache?.port ?? 0, tier: 2 }),
      config.addMonitor({ name: 'deploy-ssh', kind: 'tcp', host: '127.0.0.1', port: ssh?.port ?? 0, tier: 3 }),
    ];
    const secrets = tempDir('pw-prom-token-');
    tokenFile = join(secrets, 'metrics.token');
    writeFileSync(tokenFile, `${METRICS_TOKEN}\n`, { mode: 0o600 });
    out = tempDir('pw-prom-out-');
    exported = await exportTo(out);
  });

  afterAll(async () => {
    for (const s of serves) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    for (const d of daemons) await d.stop();
    for (const s of services ?? []) await s.close();
    await webhook?.close();
    await telegram?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('writes files promtool and amtool accept, and says what it could not carry', () => {
    expect(exported.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['alertmanager.yml', 'portwatch-rules.yml', 'prometheus.yml']);
    for (const [tool, ...args] of [
      ['promtool', 'check', 'config', '--lint-fatal', join(out, 'prometheus.yml')],
      ['promtool', 'check', 'rules', '--lint-fatal', join(out, 'portwatch-rules.yml')],
      ['amtool', 'check-config', join(out, 'alertmanager.yml')],
    ] as const) {
      const r = run(tool, ...args);
      outputs.push(r.stdout, r.stderr);
      expect(r.status, `${tool} ${args.join(' ')}:\n${r.stdout}${r.stderr}`).toBe(0);
    }
    expect(exported.stderr).toMatch(/^ {2}channel desk \(desktop\): Alertmanager cannot reach a desktop/m);
    expect(exported.stderr).toMatch(/maintenance window\(s\) as Alertmanager silences, which are a separate thing/);
    expect(exported.stderr).toMatch(/orders-db: its own confirmation \(1 × 1s\)/);
  });

  it('puts the channel secrets in alertmanager.yml alone, readable only by its owner', () => {
    const amFile = join(out, 'alertmanager.yml');
    expect(statSync(amFile).mode & 0o777).toBe(0o600);
    expect(exported.stderr).toMatch(
      /alertmanager\.yml holds secrets in clear \(the bot token of channel oncall, the URL of channel ops-hook\)/,
    );
    const receivers = (parse(readFileSync(amFile, 'utf8')) as { receivers: Record<string, unknown>[] }).receivers;
    expect(receivers.find((r) => r.name === 'tier-1-critical')).toEqual({
      name: 'tier-1-critical',
      telegram_configs: [{ bot_token: BOT_TOKEN, chat_id: Number(CHAT), api_url: telegram.base, send_resolved: true }],
      webhook_configs: [{ url: `${webhook.base}${HOOK_PATH}`, send_resolved: true }],
    });
    const holders = (secret: string): string[] => [
      ...readdirSync(out).filter((f) => readFileSync(join(out, f), 'utf8').includes(secret)),
      ...readdirSync(home).filter((f) => f.endsWith('.json') && readFileSync(join(home, f), 'utf8').includes(secret)),
      ...(exported.stdout.includes(secret) || exported.stderr.includes(secret) ? ['the command output'] : []),
    ];
    expect(holders(BOT_TOKEN)).toEqual(['alertmanager.yml']);
    expect(holders(HOOK_PATH)).toEqual(['alertmanager.yml']);
    // The scrape token stays in its own file: prometheus.yml names the file only.
    expect(holders(METRICS_TOKEN)).toEqual([]);
    expect(readFileSync(join(out, 'prometheus.yml'), 'utf8')).toContain(`credentials_file: ${tokenFile}`);
  });

  it('tightens a loosened alertmanager.yml again when exporting over it', async () => {
    const again = tempDir('pw-prom-again-');
    const amFile = join(again, 'alertmanager.yml');
    writeFileSync(amFile, 'left from before\n', { mode: 0o644 });
    chmodSync(amFile, 0o644);
    expect((await exportTo(again)).code).toBe(0);
    expect(statSync(amFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(amFile, 'utf8')).toContain(BOT_TOKEN);
  });

  it('fires PortwatchDown on failed checks after the tier time, never on a silent instance', () => {
    const [db, , ssh] = monitors;
    const labels = (m: Monitor | undefined) =>
      `job="portwatch",instance="127.0.0.1:7788",monitor="${m?.id}",name="${m?.name}",host="127.0.0.1",port="${m?.port}",service="",tier="${m?.tier}",vantage="v"`;
    const expected = (m: Monitor | undefined, severity: string) => ({
      exp_labels: {
        alertname: 'PortwatchDown',
        job: 'portwatch',
        instance: '127.0.0.1:7788',
        monitor: m?.id,
        name: m?.name,
        host: '127.0.0.1',
        port: String(m?.port),
        tier: String(m?.tier),
        vantage: 'v',
        severity,
      },
      exp_annotations: {
        summary: `${m?.name} (127.0.0.1:${m?.port}) is DOWN`,
        description:
          `${m?.name} does not answer on host 127.0.0.1 port ${m?.port}: its checks by Portwatch at 127.0.0.1:7788 ` +
          `(vantage v) have failed for longer than 30s. Tier ${m?.tier} (${m?.tier === 1 ? 'critical' : 'tolerant'}); ` +
          'Portwatch shows why it failed and since when.',
      },
    });
    // The instance rule's description is long prose: take it as generated, with the instance filled in.
    const rules = parse(readFileSync(join(out, 'portwatch-rules.yml'), 'utf8')) as {
      groups: { rules: { alert: string; annotations: { description: string } }[] }[];
    };
    const instanceDescription = (
      rules.groups[0]?.rules.find((x) => x.alert === 'PortwatchInstanceDown')?.annotations.description ?? ''
    ).replace('{{ $labels.instance }}', '127.0.0.1:7788');
    const tests = {
      rule_files: ['portwatch-rules.yml'],
      evaluation_interval: '15s',
      tests: [
        {
          // Failing from 15s: pending at 30s, firing once 30s have passed.
          interval: '15s',
          input_series: [
            { series: `probe_success{${labels(db)}}`, values: '1 0 0 0 0 0' },
            { series: `probe_success{${labels(ssh)}}`, values: '1 1 0 0 0 0' },
            { series: 'up{job="portwatch",instance="127.0.0.1:7788"}', values: '1 1 1 1 1 1' },
          ],
          alert_rule_test: [
            { eval_time: '30s', alertname: 'PortwatchDown', exp_alerts: [] },
            { eval_time: '45s', alertname: 'PortwatchDown', exp_alerts: [expected(db, 'critical')] },
            {
              eval_time: '60s',
              alertname: 'PortwatchDown',
              exp_alerts: [expected(db, 'critical'), expected(ssh, 'info')],
            },
          ],
        },
        {
          // The instance stops answering: its series go stale; that is the instance down, not its monitors.
          interval: '15s',
          input_series: [
            { series: `probe_success{${labels(db)}}`, values: '1 1 stale' },
            { series: 'up{job="portwatch",instance="127.0.0.1:7788"}', values: '1 1 0 0 0 0 0' },
          ],
          alert_rule_test: [
            { eval_time: '90s', alertname: 'PortwatchDown', exp_alerts: [] },
            {
              eval_time: '90s',
              alertname: 'PortwatchInstanceDown',
              exp_alerts: [
                {
                  exp_labels: { job: 'portwatch', instance: '127.0.0.1:7788', severity: 'critical' },
                  exp_annotations: {
                    summary: 'Portwatch at 127.0.0.1:7788 does not answer Prometheus',
                    description: instanceDescription,
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    const file = join(out, 'rules.test.yml');
    writeFileSync(file, stringify(tests));
    const r = run('promtool', 'test', 'rules', file);
    outputs.push(r.stdout, r.stderr);
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
  });

  it(
    'serve, Prometheus and Alertmanager deliver a stopped tier-1 port to the webhook and Telegram in time',
    { timeout: 180_000 },
    async () => {
      const serve = startServe(home);
      serves.push(serve);
      await waitFor(() => /serving 3 monitors on (\S+)/.test(serve.output()), 15_000, 'serve to start');
      const url = /serving 3 monitors on (\S+)/.exec(serve.output())?.[1] ?? '';
      expect(serve.output()).toMatch(/Metrics: .*vantage "ci-vantage"/);

      const alertmanagerPort = await closedPort();
      const chain = tempDir('pw-prom-chain-');
      const r = await exportTo(
        chain,
        '--instance',
        url,
        '--alertmanager',
        `127.0.0.1:${alertmanagerPort}`,
        '--scrape-interval',
        '1s',
        '--for-scale',
        '0.1',
      );
      expect(r.code, r.stderr).toBe(0);
      const rules = parse(readFileSync(join(chain, 'portwatch-rules.yml'), 'utf8')) as {
        groups: { rules: { alert: string; for: string; labels: Record<string, string> }[] }[];
      };
      const seconds = (d: string | undefined): number => Number(/^(\d+)s$/.exec(d ?? '')?.[1] ?? NaN);
      const forTier1 = seconds(
        rules.groups[0]?.rules.find((x) => x.alert === 'PortwatchDown' && x.labels.tier === '1')?.for,
      );
      const groupWait = seconds(
        (parse(readFileSync(join(chain, 'alertmanager.yml'), 'utf8')) as { route: { group_wait: string } }).route
          .group_wait,
      );
      expect(forTier1).toBe(3);

      daemons.push(
        await startDaemon(
          'prometheus-alertmanager',
          (port, dir) => [
            `--config.file=${join(chain, 'alertmanager.yml')}`,
            `--storage.path=${dir}`,
            `--web.listen-address=127.0.0.1:${port}`,
            '--cluster.listen-address=',
          ],
          { port: alertmanagerPort },
        ),
      );
      const prometheus = await startDaemon('prometheus', (port, dir) => [
        `--config.file=${join(chain, 'prometheus.yml')}`,
        `--storage.tsdb.path=${dir}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ]);
      daemons.push(prometheus);

      const [db] = monitors;
      // Scraped with the token from the file: serve answers nothing without it.
      await until(
        async () => (await query(prometheus.port, `probe_success{monitor="${db?.id}"}`))[0]?.value[1] === '1',
        30_000,
        'Prometheus to scrape orders-db as up',
      );
      expect(fromAlertmanager(webhook)).toEqual([]);

      await services[0]?.close();
      const stoppedAt = Date.now();
      // Each step of the chain at its slowest: serve's next check, a scrape, the rule's "for:", an
      // evaluation, Alertmanager's group_wait; plus slack for process scheduling.
      const boundMs = ((db?.intervalSec ?? 0) + 1 + forTier1 + 1 + groupWait) * 1000 + 10_000;
      await until(() => firing(webhook, 'PortwatchDown').length > 0, boundMs, 'PortwatchDown at the webhook');
      const tookMs = Date.now() - stoppedAt;
      expect(tookMs).toBeLessThan(boundMs);

      const [alert] = firing(webhook, 'PortwatchDown');
      expect(alert?.receiver).toBe('tier-1-critical');
      expect(alert?.labels).toMatchObject({
        monitor: db?.id,
        name: 'orders-db',
        host: '127.0.0.1',
        tier: '1',
        severity: 'critical',
        vantage: 'ci-vantage',
      });
      expect(alert?.annotations.summary).toBe(`orders-db (127.0.0.1:${db?.port}) is DOWN`);
      expect(fromAlertmanager(webhook)[0]?.url).toBe(HOOK_PATH);
      // The only monitor that went down is the only one alerted.
      expect(new Set(firing(webhook, 'PortwatchDown').map((a) => a.labels.name))).toEqual(new Set(['orders-db']));

      // Telegram got it too, with the bot token opened from the sealed config. Serve's own alert
      // arrives there as well; Alertmanager's is the one listing the alert's labels.
      const relayed = (): RecordedRequest[] =>
        telegram.requests.filter((q) => q.raw.toString().includes('alertname = PortwatchDown'));
      await until(() => relayed().length > 0, 15_000, 'the Alertmanager message at the Bot API');
      expect(relayed()[0]?.url).toBe(`/bot${BOT_TOKEN}/sendMessage`);
      const message = JSON.parse(relayed()[0]?.raw.toString() ?? '{}') as { chat_id?: unknown; text?: string };
      expect(String(message.chat_id)).toBe(CHAT);
      expect(message.text).toMatch(/name = orders-db/);
      expect(message.text).toMatch(/host = 127\.0\.0\.1/);

      // The instance goes silent: that is PortwatchInstanceDown, and none of its monitors is reported down.
      serve.child.kill('SIGTERM');
      await serve.exited;
      await until(
        () => firing(webhook, 'PortwatchInstanceDown').length > 0,
        30_000,
        'PortwatchInstanceDown at the webhook',
      );
      expect(firing(webhook, 'PortwatchInstanceDown')[0]?.receiver).toBe('portwatch-default');
      // Nothing printed along the way (exports, checks, serve) shows the bot token.
      expect([...outputs, serve.output()].join('\n')).not.toContain(BOT_TOKEN);
      expect(new Set(firing(webhook, 'PortwatchDown').map((a) => a.labels.name))).toEqual(new Set(['orders-db']));
    },
  );
});
