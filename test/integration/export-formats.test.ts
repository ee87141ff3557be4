import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { openCliConfig, type NewMonitorInput } from '../../main/core/config/store';
import type { GatusEndpoint } from '../../main/core/formats/gatus-export';
import { portwatchIn, type CliRun } from '../helpers/cli';
import { makePki } from '../helpers/certs';
import { startDaemon, startRedis, type Daemon } from '../helpers/daemons';
import { startDovecot, startMemcached, startPostfix, startSshd, startVsftpd } from '../helpers/daemons-text';
import { closedPort, listen } from '../helpers/net';
import { httpReceiver, type HttpReceiver } from '../helpers/receivers';

const SECRET = 'Bearer s3cret-export-token';

/** RFC 4180: quoted cells may hold commas, quotes (doubled) and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (quoted) cell += c;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      rows.push([...row, cell]);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

/** blackbox_exporter on a free loopback port with `config`; `probe` gives probe_success for a module and target. */
async function blackboxExporter(config: string) {
  const daemon = await startDaemon('prometheus-blackbox-exporter', (port) => [
    `--config.file=${config}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
  const probe = async (module: string, target: string): Promise<number> => {
    const url = `http://127.0.0.1:${daemon.port}/probe?module=${module}&target=${encodeURIComponent(target)}`;
    const body = await (await fetch(url)).text();
    const success = /^probe_success (\d)$/m.exec(body)?.[1];
    if (success === undefined) throw new Error(`no probe_success from ${url}:\n${body}`);
    return Number(success);
  };
  return { probe, stop: daemon.stop };
}

/** Each monitor's module, by the monitor label of its target in prometheus.yml. */
function modulesByMonitor(prometheusYml: string): (name: string) => string {
  const { scrape_configs: jobs } = parse(prometheusYml) as {
    scrape_configs: { params: { module: string[] }; static_configs: { labels: Record<string, string> }[] }[];
  };
  return (name) => jobs.find((j) => j.static_configs.some((s) => s.labels.monitor === name))?.params.module[0] ?? '';
}

describe('portwatch export --format gatus | blackbox | csv', () => {
  const dirs: string[] = [];
  const outputs: string[] = [];
  let env: Record<string, string>;
  let out: string;
  let redis: Daemon;
  let web: HttpReceiver;
  let open: Awaited<ReturnType<typeof listen>>;
  let chatter: Awaited<ReturnType<typeof listen>>;
  let closed: number;
  let monitors: NewMonitorInput[];

  const tempDir = (prefix: string): string => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
  const run = async (...args: string[]): Promise<CliRun> => {
    const r = await portwatchIn(env, 'export', ...args);
    outputs.push(r.stdout, r.stderr);
    return r;
  };
  const read = (path: string): string => {
    const text = readFileSync(path, 'utf8');
    outputs.push(text);
    return text;
  };

  beforeAll(async () => {
    execFileSync(process.execPath, ['build.config.mjs', 'cli']);
    redis = await startRedis();
    open = await listen();
    // Answers like some other line protocol, then hangs up: not Redis.
    chatter = await listen((s) => s.end('220 not redis\r\n'));
    closed = await closedPort();
    web = await httpReceiver((req, res) => {
      res.writeHead(req.url === '/health' ? 200 : 500, { 'content-type': 'text/plain' });
      res.end('status: ok\n');
    });
    monitors = [
      { name: 'Web port', kind: 'tcp', host: '127.0.0.1', port: open.port, tier: 1, tags: ['edge'] },
      { name: 'LDAPS', kind: 'tls', host: '127.0.0.1', port: 636, tier: 2, certWarnDays: [14, 3] },
      {
        name: 'API',
        kind: 'http',
        host: '127.0.0.1',
        port: Number(new URL(web.base).port),
        url: `${web.base}/health`,
        tier: 1,
        slowMs: 700,
        http: {
          expectStatus: '200-299',
          bodyContains: 'status: ok',
          headers: { Authorization: SECRET, 'X-Trace': 'export-test' },
        },
      },
      { name: 'Redis', kind: 'service', check: 'redis', service: 'redis', host: '127.0.0.1', port: redis.port },
      {
        name: 'Postgres',
        kind: 'service',
        check: 'postgres',
        service: 'postgres',
        host: '127.0.0.1',
        port: 5432,
        tier: 1,
        notes: '=SUM(A1), "primary"',
      },
      {
        name: 'Resolver',
        kind: 'service',
        check: 'dns',
        service: 'dns',
        host: '127.0.0.1',
        port: 53,
        exposure: 'external',
        settings: { name: 'example.test', type: 'A' },
      },
    ];
    const home = tempDir('pw-home-');
    (await openCliConfig(home)).replaceMonitors(monitors);
    env = { PORTWATCH_HOME: home };
    out = tempDir('pw-export-');
  });

  afterAll(async () => {
    await redis?.stop();
    await open?.close();
    await chatter?.close();
    await web?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('explains the formats and refuses what it cannot do', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--format portwatch\|gatus\|blackbox\|csv/);
    expect(help.stdout).toMatch(/--exporter host:port/);
    const bad = await run(join(out, 'x'), '--format', 'nagios');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown format "nagios"/);
    const misplaced = await run(join(out, 'x.yaml'), '--format', 'gatus', '--exporter', '127.0.0.1:9115');
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toMatch(/--exporter applies only to --format blackbox/);
  });

  it('gatus: one endpoint per monitor with the documented url and conditions; says what it left out', async () => {
    const file = join(out, 'gatus.yaml');
    const r = await run(file, '--format', 'gatus');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(`exported 6 monitors to ${file}`);
    const { endpoints } = parse(read(file)) as { endpoints: GatusEndpoint[] };
    const byName = Object.fromEntries(endpoints.map((e) => [e.name, e]));
    expect(Object.keys(byName)).toEqual(['Web port', 'LDAPS', 'API', 'Redis', 'Postgres', 'Resolver']);
    expect(byName['Web port']).toMatchObject({
      group: '127.0.0.1',
      url: `tcp://127.0.0.1:${open.port}`,
      interval: '1m',
      conditions: ['[CONNECTED] == true', '[RESPONSE_TIME] < 1500'],
    });
    expect(byName.LDAPS).toMatchObject({ url: 'tls://127.0.0.1:636', interval: '5m' });
    expect(byName.LDAPS?.conditions).toContain('[CERTIFICATE_EXPIRATION] > 336h');
    expect(byName.API).toMatchObject({
      url: `${web.base}/health`,
      headers: { 'X-Trace': 'export-test' },
      conditions: ['[STATUS] >= 200', '[STATUS] <= 299', '[BODY] == pat(*status: ok*)', '[RESPONSE_TIME] < 700'],
    });
    expect(byName.Redis?.url).toBe(`tcp://127.0.0.1:${redis.port}`);
    expect(byName.Resolver).toMatchObject({
      url: '127.0.0.1:53',
      dns: { 'query-name': 'example.test', 'query-type': 'A' },
    });
    expect(byName.Resolver?.conditions).toContain('[DNS_RCODE] == NOERROR');
    expect(r.stderr).toMatch(/Gatus could not carry, per monitor:/);
    expect(r.stderr).toMatch(/^ {2}Redis: redis protocol check exported as a TCP connect; /m);
    expect(r.stderr).toMatch(/^ {2}Postgres: postgres protocol check exported as a TCP connect; /m);
    expect(r.stderr).toMatch(/^ {2}API: header Authorization \(a credential: never exported\)/m);
  });

  it('blackbox: both files pass blackbox_exporter --config.check and promtool check config', async () => {
    const dir = join(out, 'blackbox');
    const r = await run(dir, '--format', 'blackbox', '--exporter', '127.0.0.1:19115');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(`exported 6 monitors to ${join(dir, 'blackbox.yml')} and ${join(dir, 'prometheus.yml')}`);
    const check = spawnSync('prometheus-blackbox-exporter', [
      `--config.file=${join(dir, 'blackbox.yml')}`,
      '--config.check',
    ]);
    expect(check.status, check.stderr.toString()).toBe(0);
    const prom = spawnSync('promtool', ['check', 'config', join(dir, 'prometheus.yml')]);
    expect(prom.status, `${prom.stdout.toString()}${prom.stderr.toString()}`).toBe(0);
    const { scrape_configs: jobs } = parse(read(join(dir, 'prometheus.yml'))) as {
      scrape_configs: { scrape_interval: string; static_configs: { labels: Record<string, string> }[] }[];
    };
    const intervalOf = (name: string): string | undefined =>
      jobs.find((j) => j.static_configs.some((s) => s.labels.monitor === name))?.scrape_interval;
    expect([intervalOf('Web port'), intervalOf('LDAPS')]).toEqual(['1m', '5m']);
    expect(read(join(dir, 'prometheus.yml'))).toContain('replacement: 127.0.0.1:19115');
    expect(read(join(dir, 'blackbox.yml'))).toContain('X-Trace: export-test');
    expect(r.stderr).toMatch(/blackbox_exporter and Prometheus could not carry, per monitor:/);
    expect(r.stderr).toMatch(/^ {2}Postgres: postgres protocol check exported as a TCP connect; /m);
    expect(r.stderr).toMatch(/^ {2}API: .*slow threshold \(700 ms\)/m);
    expect(r.stderr).toMatch(/^ {2}Redis: .*1 retry before a failure counts/m);
  });

  it('blackbox: the modules really probe: open and closed ports, a Redis PING, an HTTP status and body', async () => {
    const dir = join(out, 'live');
    expect((await run(dir, '--format', 'blackbox')).code).toBe(0);
    const moduleOf = modulesByMonitor(read(join(dir, 'prometheus.yml')));
    const { probe, stop } = await blackboxExporter(join(dir, 'blackbox.yml'));
    try {
      const tcp = moduleOf('Web port');
      expect(await probe(tcp, `127.0.0.1:${open.port}`)).toBe(1);
      expect(await probe(tcp, `127.0.0.1:${closed}`)).toBe(0);
      const ping = moduleOf('Redis');
      expect(await probe(ping, `127.0.0.1:${redis.port}`)).toBe(1);
      expect(await probe(ping, `127.0.0.1:${chatter.port}`)).toBe(0);
      const api = moduleOf('API');
      expect(await probe(api, `${web.base}/health`)).toBe(1);
      expect(await probe(api, `${web.base}/broken`)).toBe(0);
      const seen = web.requests.find((q) => q.url === '/health');
      expect(seen?.headers['x-trace']).toBe('export-test');
      expect(seen?.headers.authorization).toBeUndefined();
    } finally {
      await stop();
    }
  });

  it('blackbox: the line-protocol modules talk to real servers, STARTTLS and implicit TLS included', async () => {
    const pki = makePki();
    const [memcached, sshd, postfix, dovecot, vsftpd] = await Promise.all([
      startMemcached(),
      startSshd(),
      startPostfix(pki.valid),
      startDovecot(pki.valid),
      startVsftpd({ pair: pki.valid }),
    ]);
    try {
      // The test CA is no system's: these monitors skip verification, as their modules must.
      const service = (
        name: string,
        check: string,
        port: number,
        tls: Partial<NewMonitorInput> = {},
      ): NewMonitorInput => ({
        name,
        kind: 'service',
        check,
        host: '127.0.0.1',
        port,
        insecure: true,
        ...tls,
      });
      const home = tempDir('pw-home-');
      (await openCliConfig(home)).replaceMonitors([
        service('memcached', 'memcached', memcached.port),
        service('ssh', 'ssh', sshd.port),
        service('smtp', 'smtp', postfix.port, { starttls: true }),
        service('imap', 'imap', dovecot.imap, { starttls: true }),
        service('imaps', 'imap', dovecot.imaps, { implicitTls: true }),
        service('pop3', 'pop3', dovecot.pop3, { starttls: true }),
        service('pop3s', 'pop3', dovecot.pop3s, { implicitTls: true }),
        service('ftp', 'ftp', vsftpd.port, { starttls: true }),
      ]);
      const dir = join(out, 'lines');
      const r = await portwatchIn({ PORTWATCH_HOME: home }, 'export', dir, '--format', 'blackbox');
      expect(r.code).toBe(0);
      expect(r.stderr).not.toMatch(/protocol check/);
      const moduleOf = modulesByMonitor(read(join(dir, 'prometheus.yml')));
      const { probe, stop } = await blackboxExporter(join(dir, 'blackbox.yml'));
      try {
        const targets: [string, number][] = [
          ['memcached', memcached.port],
          ['ssh', sshd.port],
          ['smtp', postfix.port],
          ['imap', dovecot.imap],
          ['imaps', dovecot.imaps],
          ['pop3', dovecot.pop3],
          ['pop3s', dovecot.pop3s],
          ['ftp', vsftpd.port],
        ];
        const results = await Promise.all(targets.map(([name, port]) => probe(moduleOf(name), `127.0.0.1:${port}`)));
        expect(Object.fromEntries(targets.map(([name], i) => [name, results[i]]))).toEqual(
          Object.fromEntries(targets.map(([name]) => [name, 1])),
        );
        // Another protocol on the port fails the module: it does check the dialogue.
        expect(await probe(moduleOf('imap'), `127.0.0.1:${chatter.port}`)).toBe(0);
        expect(await probe(moduleOf('smtp'), `127.0.0.1:${chatter.port}`)).toBe(0);
      } finally {
        await stop();
      }
    } finally {
      await Promise.all([memcached.stop(), sshd.stop(), postfix.stop(), dovecot.stop(), vsftpd.stop()]);
    }
  });

  it('csv: the rows parse back as the monitors, formulas defused, and what has no column is named', async () => {
    const r = await run('-', '--format', 'csv');
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(r.stdout);
    expect(rows[0]).toEqual(['host', 'port', 'service', 'tier', 'exposure', 'notes', 'name', 'kind', 'check', 'url']);
    expect(rows.slice(1)).toEqual(
      monitors.map((m) => [
        m.host,
        String(m.port),
        m.service ?? '',
        String(m.tier ?? 2),
        m.exposure ?? 'internal',
        m.notes?.startsWith('=') ? `'${m.notes}` : (m.notes ?? ''),
        m.name,
        m.kind,
        m.check ?? '',
        m.url ?? '',
      ]),
    );
    expect(r.stderr).toMatch(/CSV could not carry, per monitor:/);
    expect(r.stderr).toMatch(
      /^ {2}API: its own timings \(slow threshold 700 ms\); HTTP rules \(status 200-299, body text, headers\)/m,
    );
    const file = join(out, 'monitors.csv');
    expect((await run(file)).code).toBe(0);
    expect(read(file)).toBe(r.stdout);
  });

  // Last, so it sees every output above; an assertion here, not in a hook, so cleanup always runs.
  it('the credential is in no file and no output of any format', () => {
    expect(outputs.length).toBeGreaterThan(10);
    for (const text of outputs) expect(text).not.toContain('s3cret-export-token');
  });
});
