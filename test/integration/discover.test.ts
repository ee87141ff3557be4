import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makePki } from '../helpers/certs';
import { portwatch, portwatchIn } from '../helpers/cli';
import { startRedis, type Daemon } from '../helpers/daemons';
import { startMariadb, startMosquitto, startPostgres, startRabbitmq } from '../helpers/daemons-binary';
import { startDovecot, startMemcached, startSmtpSink, startSshd, startVsftpd } from '../helpers/daemons-text';
import { startNginx } from '../helpers/daemons-web';
import { closedPort, dropPort, listen } from '../helpers/net';

// Real servers on the free (so non-default) loopback ports the helpers pick: each must be named by
// what it says, not by its port number. The built CLI is run as a user would run it.

interface PortResult {
  host: string;
  port: number;
  state: 'open' | 'closed' | 'filtered';
  service?: string;
  tls?: boolean;
  detail: string;
  proposal?: {
    monitor: Record<string, unknown>;
    exposure: string;
    finding?: string;
    note?: string;
  };
}

const pki = makePki();

/** What each started port must be named: the catalog service, and whether it speaks TLS first. */
interface Expected {
  label: string;
  port: number;
  service: string;
  tls?: boolean;
}

type Listener = Awaited<ReturnType<typeof listen>>;

describe('portwatch discover', () => {
  const daemons: { stop: () => Promise<void> }[] = [];
  const expected: Expected[] = [];
  const listeners: Listener[] = [];
  const undrops: (() => void)[] = [];
  const dirs: string[] = [];
  let closed: number;
  let dropped: Listener;
  let silent: Listener;

  beforeAll(async () => {
    const started = await Promise.allSettled([
      startRedis().then((d) => ({ d, ports: [{ label: 'redis-server', port: d.port, service: 'redis' }] })),
      startSshd().then((d) => ({ d, ports: [{ label: 'OpenSSH', port: d.port, service: 'ssh' }] })),
      startPostgres().then((d) => ({ d, ports: [{ label: 'PostgreSQL', port: d.port, service: 'postgres' }] })),
      startMariadb().then((d) => ({ d, ports: [{ label: 'MariaDB', port: d.port, service: 'mysql' }] })),
      startMemcached().then((d) => ({ d, ports: [{ label: 'memcached', port: d.port, service: 'memcached' }] })),
      startVsftpd().then((d) => ({ d, ports: [{ label: 'vsftpd', port: d.port, service: 'ftp' }] })),
      startMosquitto().then((d) => ({ d, ports: [{ label: 'Mosquitto', port: d.port, service: 'mqtt' }] })),
      startSmtpSink().then((d) => ({ d, ports: [{ label: 'smtp-sink', port: d.port, service: 'smtp' }] })),
      startRabbitmq().then((d) => ({ d, ports: [{ label: 'RabbitMQ', port: d.port, service: 'amqp' }] })),
      startNginx({ tls: pki.valid }).then((d) => ({
        d,
        ports: [
          { label: 'nginx', port: d.port, service: 'http' },
          { label: 'nginx TLS', port: d.tlsPort ?? 0, service: 'https', tls: true },
        ],
      })),
      startDovecot(pki.valid).then((d) => ({
        d,
        ports: [
          { label: 'Dovecot IMAP', port: d.imap, service: 'imap' },
          { label: 'Dovecot IMAPS', port: d.imaps, service: 'imap', tls: true },
          { label: 'Dovecot POP3', port: d.pop3, service: 'pop3' },
          { label: 'Dovecot POP3S', port: d.pop3s, service: 'pop3', tls: true },
        ],
      })),
    ] as Promise<{ d: Daemon; ports: Expected[] }>[]);
    for (const s of started)
      if (s.status === 'fulfilled') {
        daemons.push(s.value.d);
        expected.push(...s.value.ports);
      }
    const failed = started.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed.length) throw new Error(failed.map((f) => String(f.reason)).join('\n'));
    closed = await closedPort();
    dropped = await listen();
    listeners.push(dropped);
    undrops.push(dropPort(dropped.port));
    // Accepts and never says a word, whatever it is sent.
    silent = await listen();
    listeners.push(silent);
  }, 120_000);

  afterAll(async () => {
    for (const undrop of undrops) undrop();
    await Promise.all(listeners.map((l) => l.close()));
    await Promise.all(daemons.map((d) => d.stop()));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const home = (): Record<string, string> => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-discover-'));
    dirs.push(dir);
    return { PORTWATCH_HOME: dir };
  };
  const parse = (stdout: string): PortResult[] => JSON.parse(stdout) as PortResult[];
  const byPort = (results: PortResult[], port: number): PortResult => {
    const r = results.find((x) => x.port === port);
    if (!r) throw new Error(`port ${port} is missing from the results`);
    return r;
  };

  describe('one scan over every server, a closed, a DROP-ed and a silent port', () => {
    let results: PortResult[];
    let run: Awaited<ReturnType<typeof portwatch>>;

    beforeAll(async () => {
      const ports = [...expected.map((e) => e.port), closed, dropped.port, silent.port];
      run = await portwatch('discover', '127.0.0.1', '--ports', ports.join(','), '--json', '--timeout', '2000');
      results = parse(run.stdout);
    }, 60_000);

    it('exits 0 with one result per port, and nothing on stderr when it is not a terminal', () => {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toBe('');
      expect(results).toHaveLength(expected.length + 3);
    });

    it('names every server by what it says, on its non-default port', () => {
      const named = expected.map((e) => {
        const r = byPort(results, e.port);
        return { label: e.label, state: r.state, service: r.service, tls: r.tls === true, detail: r.detail };
      });
      expect(named).toEqual(
        expected.map((e) => ({
          label: e.label,
          state: 'open',
          service: e.service,
          tls: e.tls === true,
          detail: expect.any(String) as unknown,
        })),
      );
    });

    it('proposes each the way it was recognised, with the catalog tier, internal on loopback', () => {
      const redis = byPort(results, expected.find((e) => e.service === 'redis')?.port ?? 0);
      expect(redis.proposal?.monitor).toMatchObject({
        kind: 'service',
        check: 'redis',
        host: '127.0.0.1',
        port: redis.port,
        tier: 2,
        service: 'redis',
        exposure: 'internal',
      });
      expect(redis.proposal?.finding).toBeUndefined();
      const web = byPort(results, expected.find((e) => e.service === 'http')?.port ?? 0);
      expect(web.proposal?.monitor).toMatchObject({ kind: 'http', url: `http://127.0.0.1:${web.port}/`, tier: 1 });
      const imaps = byPort(results, expected.find((e) => e.label === 'Dovecot IMAPS')?.port ?? 0);
      expect(imaps.proposal?.monitor).toMatchObject({ kind: 'service', check: 'imap', implicitTls: true });
      // The test CA is no system authority: the monitor must accept the certificate to pass, and says so.
      expect(imaps.proposal?.monitor.insecure).toBe(true);
      expect(imaps.proposal?.note).toMatch(/certificate/);
    });

    it('reports the closed port as closed and the DROP-ed one as filtered, proposing neither', () => {
      expect(byPort(results, closed)).toMatchObject({ state: 'closed', detail: expect.stringMatching(/refused/) });
      expect(byPort(results, dropped.port)).toMatchObject({
        state: 'filtered',
        detail: expect.stringMatching(/no answer to the connection request within 2000 ms/),
      });
      expect(byPort(results, closed).proposal).toBeUndefined();
      expect(byPort(results, dropped.port).proposal).toBeUndefined();
    });

    it('reports the silent listener as open, unidentified, proposed as a tcp monitor', () => {
      const r = byPort(results, silent.port);
      expect(r.state).toBe('open');
      expect(r.service).toBeUndefined();
      expect(r.detail).toMatch(/^says nothing first; no check recognised it/);
      expect(r.proposal?.monitor).toMatchObject({ kind: 'tcp', port: silent.port });
    });
  });

  it('the table names the services and the closed and filtered ports', async () => {
    const ssh = expected.find((e) => e.service === 'ssh')?.port ?? 0;
    const run = await portwatch(
      'discover',
      '127.0.0.1',
      '--ports',
      `${ssh},${closed},${dropped.port}`,
      '--timeout',
      '1000',
    );
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^PORT +STATE +SERVICE +MONITOR +DETAIL$/);
    expect(lines.find((l) => l.startsWith(String(ssh)))).toMatch(/open +SSH \/ SFTP +service ssh, tier 3 +SSH banner/);
    expect(lines.find((l) => l.startsWith(String(closed)))).toMatch(/closed +connection refused/);
    expect(lines.find((l) => l.startsWith(String(dropped.port)))).toMatch(/filtered +no answer/);
    expect(run.stdout).toMatch(/3 ports in .*: 1 open \(1 recognised\), 1 closed, 1 filtered$/m);
  });

  it('about 40 ports, several DROP-ed, end within timeout × ceil(ports / concurrency) + 1 s', async () => {
    const drops: Listener[] = [];
    const undropHere: (() => void)[] = [];
    try {
      for (let i = 0; i < 8; i++) {
        const l = await listen();
        listeners.push(l);
        drops.push(l);
        undropHere.push(dropPort(l.port));
      }
      const ports = [...expected.map((e) => e.port), ...drops.map((d) => d.port), dropped.port, closed];
      while (ports.length < 40) ports.push(await closedPort());
      const run = await portwatch(
        'discover',
        '127.0.0.1',
        '--ports',
        ports.join(','),
        '--json',
        '--timeout',
        '1000',
        '--concurrency',
        '10',
      );
      expect(run.code, run.stderr).toBe(0);
      const results = parse(run.stdout);
      expect(results).toHaveLength(40);
      expect(results.filter((r) => r.state === 'filtered').map((r) => r.port)).toEqual(
        [...drops.map((d) => d.port), dropped.port].sort((a, b) => a - b),
      );
      expect(results.filter((r) => r.state === 'open' && r.service)).toHaveLength(expected.length);
      // The whole process, start-up included, against 1000 × ceil(40 / 10) + 1000.
      expect(run.wallMs).toBeLessThan(1000 * Math.ceil(40 / 10) + 1000);
    } finally {
      for (const undrop of undropHere) undrop();
    }
  }, 30_000);

  it('--add --yes saves the proposals, and a second run adds nothing new', async () => {
    const env = home();
    const redis = expected.find((e) => e.service === 'redis')?.port ?? 0;
    const ssh = expected.find((e) => e.service === 'ssh')?.port ?? 0;
    const ports = `${redis},${ssh},${closed}`;
    const first = await portwatchIn(env, 'discover', '127.0.0.1', '--ports', ports, '--add', '--yes');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/added 2 monitors/);
    const saved = (): { kind: string; port: number; check?: string; name: string }[] =>
      (JSON.parse(readFileSync(join(env.PORTWATCH_HOME ?? '', 'config.json'), 'utf8')) as { monitors: [] }).monitors;
    const byPortNumber = (a: [string, number, string?], b: [string, number, string?]): number => a[1] - b[1];
    expect(saved().map((m): [string, number, string?] => [m.kind, m.port, m.check])).toEqual(
      (
        [
          ['service', redis, 'redis'],
          ['service', ssh, 'ssh'],
        ] as [string, number, string?][]
      ).sort(byPortNumber),
    );
    const second = await portwatchIn(env, 'discover', '127.0.0.1', '--ports', ports, '--add', '--yes');
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/nothing to add: every proposed monitor is already saved/);
    expect(saved()).toHaveLength(2);
  });

  it('--add without --yes and no answer on stdin adds nothing, exit 1', async () => {
    const env = home();
    const redis = expected.find((e) => e.service === 'redis')?.port ?? 0;
    const run = await portwatchIn(env, 'discover', '127.0.0.1', '--ports', String(redis), '--add');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Add 1 monitor\? \[y\/N\]/);
    expect(run.stdout).toMatch(/nothing added/);
    expect(() => readFileSync(join(env.PORTWATCH_HOME ?? '', 'config.json'), 'utf8')).toThrow();
  });

  it('a range larger than a /24 is refused before anything is scanned, exit 2', async () => {
    const run = await portwatch('discover', '10.0.0.0/16', '--yes');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/10\.0\.0\.0\/16 holds 65,536 addresses; discover scans at most 256 at once \(a \/24\)/);
    expect(run.stdout).toBe('');
  });

  it('a range is scanned only once confirmed: no answer on stdin scans nothing, exit 1', async () => {
    const run = await portwatch('discover', '127.0.0.0/30', '--ports', String(closed));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /127\.0\.0\.0\/30 is 2 addresses, 1 port each\.\nScan 2 addresses\? \[y\/N\] \nnothing scanned/,
    );
    expect(run.stdout).toBe('');
  });

  it('a confirmed range (--yes) scans each address of it', async () => {
    const redis = expected.find((e) => e.service === 'redis')?.port ?? 0;
    const run = await portwatch('discover', '127.0.0.0/30', '--ports', String(redis), '--yes', '--json');
    expect(run.code, run.stderr).toBe(0);
    // redis-server listens on 127.0.0.1 only; 127.0.0.2 is loopback too, with nothing there.
    expect(parse(run.stdout).map((r) => [r.host, r.state, r.service])).toEqual([
      ['127.0.0.1', 'open', 'redis'],
      ['127.0.0.2', 'closed', undefined],
    ]);
  });

  it('a host with a port is refused with the way to write it, exit 2', async () => {
    const run = await portwatch('discover', '127.0.0.1:6379');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/discover takes a host without a port: "discover 127\.0\.0\.1 --ports 6379"/);
  });

  it.each([
    ['70000', /port 70000 in "70000" is out of range: ports are 1 to 65535/],
    ['22,a-b', /--ports item "a-b" is not a port, a range, catalog or top/],
    ['', /--ports is empty/],
    ['100-50', /the range "100-50" runs backwards: write it low-high \(50-100\)/],
  ])('--ports "%s" exits 2 naming the problem', async (ports, message) => {
    const run = await portwatch('discover', '127.0.0.1', '--ports', ports);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe('');
  });
});
