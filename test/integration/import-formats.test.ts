// `portwatch import` of other tools' files through the built CLI (run `node build.config.mjs cli`
// first): what a person sees in the dry run, what is saved, and that a bad file changes nothing.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portwatchIn } from '../helpers/cli';
import { closedPort, listen } from '../helpers/net';

const FIXTURES = fileURLToPath(new URL('../fixtures/import/', import.meta.url));
const fixture = (name: string): string => join(FIXTURES, name);

interface Exported {
  monitors: { name: string; kind: string; host: string; port: number; check?: string; url?: string; tier: number }[];
}

describe('portwatch import from other tools', () => {
  const dirs: string[] = [];
  const temp = (prefix: string): string => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  const home = (): { env: Record<string, string>; config: string } => {
    const dir = temp('pw-home-');
    return { env: { PORTWATCH_HOME: dir }, config: join(dir, 'config.json') };
  };
  const file = (name: string, text: string): string => {
    const path = join(temp('pw-file-'), name);
    writeFileSync(path, text);
    return path;
  };
  const exported = async (env: Record<string, string>): Promise<Exported['monitors']> =>
    (JSON.parse((await portwatchIn(env, 'export', '-')).stdout) as Exported).monitors;

  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a dry run of a Kuma backup lists what will be created, what is not mapped and why, and saves nothing', async () => {
    const { env, config } = home();
    const run = await portwatchIn(env, 'import', fixture('kuma-backup.json'), '--dry-run');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^add {5}Website {2}\(http https:\/\/www\.example\.com\/, from monitorList\.0/m);
    expect(run.stdout).toMatch(/^add {5}DNS example\.com MX {2}\(dns 192\.0\.2\.53:53 example\.com/m);
    expect(run.stdout).toMatch(/^channel kuma-ops-telegram {2}telegram, chat -1001234567890/m);
    expect(run.stdout).toMatch(/^not mapped \(14\):$/m);
    expect(run.stdout).toMatch(/^ {2}monitorList\.9 \("Gateway ping"\): type ping: an ICMP ping checks no port/m);
    expect(run.stdout).toMatch(/^ {2}notificationList\.2 \("Phone push"\): the notification type "pushover"/m);
    expect(run.stdout).toMatch(
      /dry run: 13 to add, 0 to update, 0 unchanged, 14 not mapped, 2 alert channels to add; nothing saved/,
    );
    expect(run.stdout).not.toContain('AAFixtureTokenNotReal');
    expect(existsSync(config)).toBe(false);
  });

  it('imports a Kuma backup with its channels sealed, and importing it again changes nothing', async () => {
    const { env, config } = home();
    const first = await portwatchIn(env, 'import', fixture('kuma-backup.json'));
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/imported: 13 added, 0 updated, 0 unchanged, 14 not mapped, 2 alert channels added/);
    const monitors = await exported(env);
    expect(monitors).toHaveLength(13);
    expect(monitors.find((m) => m.name === 'Orders DB')).toMatchObject({
      kind: 'service',
      check: 'postgres',
      port: 5432,
    });
    expect(monitors.find((m) => m.name === 'DNS example.com A')).toMatchObject({
      kind: 'service',
      check: 'dns',
      host: '192.0.2.53',
    });
    const channels = await portwatchIn(env, 'alert', 'list');
    expect(channels.stdout).toMatch(/^kuma-ops-telegram {2}telegram chat -1001234567890, token \(sealed\)$/m);
    expect(channels.stdout).toMatch(/^kuma-ops-mail {2}email via mail\.example\.com:465 \(tls\)/m);
    const saved = readFileSync(config);
    expect(saved.toString()).not.toContain('AAFixtureTokenNotReal');
    expect(saved.toString()).not.toContain('fixture-smtp-password');

    const again = await portwatchIn(env, 'import', fixture('kuma-backup.json'));
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/imported: 0 added, 0 updated, 13 unchanged, 14 not mapped$/m);
    expect(again.stdout).toMatch(/^channel kuma-ops-telegram {2}already saved; left as it is/m);
    expect(readFileSync(config).equals(saved)).toBe(true);
  });

  it.each([
    ['Gatus', [fixture('gatus-config.yaml')], 7, 7],
    ['blackbox', [fixture('blackbox.yml'), '--prometheus', fixture('prometheus.yml')], 10, 3],
    ['nmap', [fixture('nmap-scan.xml')], 10, 1],
    ['CSV', [fixture('inventory.csv')], 5, 1],
  ])(
    'imports a %s file once, told by its content, and doubles nothing the second time',
    async (_, args, added, notMapped) => {
      const { env, config } = home();
      const first = await portwatchIn(env, 'import', ...args);
      expect(first.stderr).toBe('');
      expect(first.stdout).toContain(`imported: ${added} added, 0 updated, 0 unchanged, ${notMapped} not mapped`);
      const saved = readFileSync(config);
      const again = await portwatchIn(env, 'import', ...args);
      expect(again.stdout).toContain(`imported: 0 added, 0 updated, ${added} unchanged`);
      expect(readFileSync(config).equals(saved)).toBe(true);
      expect(await exported(env)).toHaveLength(added);
    },
  );

  it('merges what another file already brought (the same check of the same target) instead of doubling it', async () => {
    const { env } = home();
    await portwatchIn(env, 'import', fixture('nmap-scan.xml'));
    const csv = file(
      'inventory.csv',
      'host,port,service,tier,notes\napp.example.internal,22,ssh,1,bastion\nnew.example,80,http,2,\n',
    );
    const run = await portwatchIn(env, 'import', csv);
    expect(run.stdout).toMatch(
      /^update {2}SSH \/ SFTP on app\.example\.internal {2}\(ssh app\.example\.internal:22, from row 2\)$/m,
    );
    expect(run.stdout).toMatch(/imported: 1 added, 1 updated, 0 unchanged/);
    const monitors = await exported(env);
    expect(monitors).toHaveLength(11);
    expect(monitors.filter((m) => m.port === 22)).toEqual([expect.objectContaining({ tier: 1, check: 'ssh' })]);
  });

  describe('bad files: a clear error naming the place, and nothing saved', () => {
    let env: Record<string, string>;
    let config: string;
    let before: Buffer;
    beforeAll(async () => {
      ({ env, config } = home());
      await portwatchIn(env, 'import', fixture('inventory.csv'));
      before = readFileSync(config);
    });
    const refused = async (args: string[], message: RegExp): Promise<void> => {
      const run = await portwatchIn(env, 'import', ...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(readFileSync(config).equals(before)).toBe(true);
    };

    it('truncated JSON', async () => {
      const text = readFileSync(fixture('kuma-backup.json'), 'utf8');
      await refused(
        [file('backup.json', text.slice(0, Math.floor(text.length / 2)))],
        /backup\.json was not imported \(nothing was saved\):\n {2}not valid JSON at line \d+, column \d+: /,
      );
    });

    it('YAML of the wrong shape', async () => {
      await refused(
        [file('config.yaml', 'endpoints:\n  website:\n    url: https://www.example.com/\n')],
        /config\.yaml was not imported \(nothing was saved\):\n {2}endpoints: expected a list of endpoints/,
      );
      await refused(
        [
          file('blackbox.yml', 'modules:\n  tcp:\n    prober: tcp\n'),
          '--prometheus',
          file('prometheus.yml', 'scrape_configs: {}\n'),
        ],
        /prometheus\.yml: this is not a prometheus\.yml: it has no "scrape_configs" list/,
      );
    });

    it('a 50 MB file, refused before it is read', async () => {
      const big = file('huge.json', '');
      truncateSync(big, 50 * 1024 * 1024);
      await refused([big], /huge\.json is 50\.0 MB; an import reads at most 10\.0 MB; nothing was imported/);
    });

    it('nmap XML with an entity bomb', async () => {
      await refused(
        [fixture('nmap-entity-bomb.xml')],
        /nmap-entity-bomb\.xml was not imported \(nothing was saved\):\n {2}line 4: the file declares entities in a DOCTYPE/,
      );
    });

    it('a CSV row with a bad port, named by row and column', async () => {
      await refused(
        [file('hosts.csv', 'Host,Port,Service\nok.example,80,http\nweb.example,eighty,http\n')],
        /row 3, column B \("port"\): "eighty" is not a port/,
      );
    });

    it('a format that is not one, or a file it cannot tell', async () => {
      await refused(
        [fixture('inventory.csv'), '--from', 'excel'],
        /--from excel: the formats are portwatch, kuma, gatus, blackbox, nmap, csv/,
      );
      await refused(
        [file('notes.txt', 'hello there\n')],
        /cannot tell which tool wrote notes\.txt; say it with --from/,
      );
    });
  });

  describe('nmap run against loopback listeners', () => {
    let web: Server;
    let webPort: number;
    let plain: Awaited<ReturnType<typeof listen>>;
    let closed: number;
    const nmap = (() => {
      try {
        execFileSync('nmap', ['--version'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    })();
    beforeAll(async () => {
      web = createServer((_req, res) => res.end('ok'));
      await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
      webPort = (web.address() as { port: number }).port;
      plain = await listen();
      closed = await closedPort();
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => web.close(() => resolve()));
      await plain.close();
    });

    it.skipIf(!nmap)('imports the open ports of a real `nmap -sT -oX -` and leaves out the closed one', async () => {
      const { stdout } = await promisify(execFile)('nmap', [
        '-sT',
        '-Pn',
        '-p',
        `${webPort},${plain.port},${closed}`,
        '-oX',
        '-',
        '127.0.0.1',
      ]);
      const { env } = home();
      const run = await portwatchIn(env, 'import', file('scan.xml', stdout));
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/imported: 2 added, 0 updated, 0 unchanged, 0 not mapped/);
      const monitors = await exported(env);
      expect(monitors.map((m) => [m.kind, m.host, m.port]).sort()).toEqual(
        [
          ['tcp', '127.0.0.1', webPort],
          ['tcp', '127.0.0.1', plain.port],
        ].sort(),
      );
    });
  });
});
