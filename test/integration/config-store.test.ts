import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MonitorInput } from '../../shared/monitor';
import { MIGRATIONS, migrate, type Migration } from '../../main/core/config/migrations';
import { configDir, historyFile } from '../../main/core/config/paths';
import { ConfigError, ConfigStore, lastGoodPath, openCliConfig, parseJson } from '../../main/core/config/store';

let dir: string;
const file = () => join(dir, 'config.json');
const read = () => readFileSync(file());
const readJson = () => JSON.parse(readFileSync(file(), 'utf8')) as Record<string, unknown>;
const brokenCopies = () => readdirSync(dir).filter((n) => n.startsWith('config.json.broken-'));

const db = { name: 'db primary', kind: 'tcp', host: 'db.internal', port: 5432 } as const;
const web = { name: 'web', kind: 'http', host: 'example.com', port: 443, url: 'https://example.com/' } as const;
const cache = { name: 'cache', kind: 'tcp', host: 'cache.internal', port: 6379 } as const;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'portwatch-config-'));
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe('saving monitors and settings', () => {
  it('adds, updates and removes monitors, and finds them all again after reopening', async () => {
    const store = await openCliConfig(dir);
    expect(store.report).toEqual({ ok: true, problems: [] });
    let changes = 0;
    store.onChange(() => changes++);

    const a = store.addMonitor(db);
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.tier).toBe(2);
    const b = store.addMonitor({ ...web, id: 'web-1', tags: ['prod'] });
    const c = store.addMonitor(cache);
    expect(store.updateMonitor(a.id, { port: 5433, intervalSec: 30 })).toMatchObject({ port: 5433, intervalSec: 30 });
    expect(store.removeMonitor(c.id)).toBe(true);
    expect(store.removeMonitor('no-such-id')).toBe(false);
    expect(store.updateSettings({ theme: 'dark', canary: { host: '1.1.1.1', port: 53 } }).theme).toBe('dark');
    expect(changes).toBe(6);

    const again = await openCliConfig(dir);
    expect(again.report.ok).toBe(true);
    expect(again.monitors()).toEqual(store.monitors());
    expect(again.monitors().map((m) => [m.id, m.name, m.port])).toEqual([
      [a.id, 'db primary', 5433],
      [b.id, 'web', 443],
    ]);
    expect(again.monitor('web-1')?.tags).toEqual(['prod']);
    expect(again.settings()).toMatchObject({ theme: 'dark', canary: { host: '1.1.1.1', port: 53 }, maxInFlight: 64 });

    const saved = readJson();
    expect(Object.keys(saved)).toEqual(['version', 'monitors', 'settings']);
    expect(saved.version).toBe(1);
    expect(readFileSync(lastGoodPath(file()), 'utf8')).toBe(readFileSync(file(), 'utf8'));
  });

  it('starts empty with the default settings when there is no file', async () => {
    const store = await openCliConfig(dir);
    expect(store.monitors()).toEqual([]);
    expect(store.settings()).toEqual({
      retentionRawDays: 14,
      retentionRollupDays: 400,
      maxInFlight: 64,
      maxPerHost: 4,
      resumeGraceSec: 10,
      theme: 'system',
      // No channel yet; tier routing and reminders as PRODUCT.md gives them.
      alerts: {
        channels: [],
        routing: { 1: ['desktop', 'telegram', 'email'], 2: ['telegram', 'email'], 3: ['email'] },
        reminderMinutes: { 1: 30, 2: 120, 3: null },
        maintenance: [],
      },
      // No other instance watching with this one; a down is alerted only when all that answer agree.
      sources: [],
      alertOnlyWhenAllVantagesAgree: true,
    });
  });

  it('removes a field given as null: an override back to the default, a URL when no longer http', async () => {
    const store = await openCliConfig(dir);
    const web = store.addMonitor({
      name: 'shop',
      kind: 'http',
      host: 'shop.internal',
      port: 443,
      url: 'https://shop.internal/health',
      retries: 4,
    });
    const tcp = store.updateMonitor(web.id, { kind: 'tcp', url: null, retries: null });
    expect(tcp.kind).toBe('tcp');
    expect('url' in tcp || 'retries' in tcp).toBe(false);
    // Without null the URL would stay, and a tcp monitor with a URL is refused.
    expect(() => store.updateMonitor(web.id, { kind: 'http' })).toThrow(/url: an http monitor needs a URL/);
    store.removeMonitor(web.id);
  });

  it('hands out copies, so changing a returned monitor changes nothing saved', async () => {
    const store = await openCliConfig(dir);
    const m = store.addMonitor(db);
    m.port = 1;
    store.monitors()[0]!.name = 'changed';
    expect(store.monitor(m.id)).toMatchObject({ port: 5432, name: 'db primary' });
  });

  it('rejects invalid input with a message naming the field, and leaves the file as it was', async () => {
    const store = await openCliConfig(dir);
    const a = store.addMonitor(db);
    const before = read();
    let changes = 0;
    store.onChange(() => changes++);

    const add = () => store.addMonitor({ ...db, port: 70000 });
    expect(add).toThrow(ConfigError);
    expect(add).toThrow(/port: the port must be from 1 to 65535/);
    try {
      add();
    } catch (e) {
      expect((e as ConfigError).problems).toEqual(['port: the port must be from 1 to 65535']);
    }
    expect(() => store.updateMonitor(a.id, { host: '' })).toThrow(/host: the host is empty/);
    expect(() => store.updateMonitor(a.id, { id: 'other' })).toThrow(/id: a monitor's id cannot be changed/);
    expect(() => store.updateMonitor('nope', { port: 1 })).toThrow(/no monitor with the id "nope"/);
    expect(() => store.addMonitor({ ...cache, id: a.id })).toThrow(/id: a monitor with the id .* already exists/);
    expect(() => store.updateSettings({ maxInFlight: 0 })).toThrow(/maxInFlight: .* from 1 to 1024/);
    expect(() => store.updateSettings({ maxPerHost: 32, maxInFlight: 8 })).toThrow(/maxPerHost: /);

    expect(read().equals(before)).toBe(true);
    expect(store.monitors()).toHaveLength(1);
    expect(changes).toBe(0);
  });

  it('imports all or nothing', async () => {
    const store = await openCliConfig(dir);
    store.addMonitor(db);
    const before = read();
    const bad: MonitorInput[] = [cache, { ...web, url: 'ftp://example.com/' }, { ...db, port: 0 }] as MonitorInput[];
    let error: ConfigError | undefined;
    try {
      store.replaceMonitors(bad);
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.problems).toEqual([
      'monitors.1.url: the URL must start with http:// or https:// (monitor "web")',
      'monitors.2.port: the port must be from 1 to 65535 (monitor "db primary")',
    ]);
    expect(read().equals(before)).toBe(true);

    expect(() =>
      store.replaceMonitors([
        { ...db, id: 'x' },
        { ...cache, id: 'x' },
      ]),
    ).toThrow(/monitors.1.id: "x" is already the id of monitors.0/);
    const saved = store.replaceMonitors([cache, web]);
    expect(saved.map((m) => m.name)).toEqual(['cache', 'web']);
    expect(saved.every((m) => m.id.length > 0)).toBe(true);
    expect((await openCliConfig(dir)).monitors()).toEqual(saved);
  });

  it('builds a change on what another process saved meanwhile, instead of undoing it', async () => {
    const app = await openCliConfig(dir);
    const cli = await openCliConfig(dir);
    app.addMonitor(db);
    cli.addMonitor(cache);
    expect(cli.monitors().map((m) => m.name)).toEqual(['db primary', 'cache']);
    expect((await openCliConfig(dir)).monitors()).toHaveLength(2);
  });

  it('works on any conf-compatible backend, such as one held in memory', () => {
    let data: Record<string, unknown> = { version: 1, monitors: [{ ...db, id: 'a' }] };
    const backend = {
      path: join(dir, 'nowhere', 'config.json'),
      get store() {
        return structuredClone(data);
      },
      set store(v: Record<string, unknown>) {
        data = structuredClone(v);
      },
    };
    const store = ConfigStore.open(() => backend);
    expect(store.report.ok).toBe(true);
    store.addMonitor(cache);
    expect((data.monitors as unknown[]).length).toBe(2);
  });
});

describe('a file that cannot be used', () => {
  const saveGoodState = async () => {
    const store = await openCliConfig(dir);
    store.addMonitor({ ...db, id: 'db' });
    store.addMonitor({ ...cache, id: 'cache' });
    return store.monitors();
  };

  it('with broken JSON: says where, keeps an exact copy, starts from the last good state, and waits for a change', async () => {
    const good = await saveGoodState();
    const broken = Buffer.from(
      '{\n\t"version": 1,\n\t"monitors": [\n\t\t{ "id": "db" "name": "db primary" }\n\t]\n}\n',
    );
    writeFileSync(file(), broken);

    const store = await openCliConfig(dir);
    expect(store.report.ok).toBe(false);
    expect(store.report.problems[0]).toBe(
      'config.json line 4, column 16: expected "," or "}" after the value, found "\\""',
    );
    expect(store.report.problems.at(-1)).toMatch(/started from the last good state .* \(2 monitors\)/);
    expect(store.report.backupPath).toMatch(/config\.json\.broken-\d{4}-\d\d-\d\dT\d{6}\.\d{3}Z$/);
    expect(readFileSync(store.report.backupPath!).equals(broken)).toBe(true);
    expect(store.monitors()).toEqual(good);
    // Loading alone changes nothing on disk: the person may still want to fix the file by hand.
    expect(read().equals(broken)).toBe(true);

    // Opening again (a CLI run each minute) doesn't pile up identical copies.
    const again = await openCliConfig(dir);
    expect(again.report.backupPath).toBe(store.report.backupPath);
    expect(brokenCopies()).toHaveLength(1);

    store.addMonitor(web);
    expect(readJson().monitors).toHaveLength(3);
    expect(readFileSync(store.report.backupPath!).equals(broken)).toBe(true);
    expect((await openCliConfig(dir)).report).toEqual({ ok: true, problems: [] });
  });

  it('with broken JSON and no last good state: starts empty', async () => {
    writeFileSync(file(), '{"monitors": [');
    const store = await openCliConfig(dir);
    expect(store.report.problems[0]).toBe('config.json line 1, column 15: expected a value, found the end of the file');
    expect(store.report.problems.at(-1)).toMatch(/no usable last good state, so started empty/);
    expect(store.monitors()).toEqual([]);
    expect(brokenCopies()).toHaveLength(1);
  });

  it.each([
    ['{"a": 1,}', 'line 1, column 9: a comma may not come before "}"; expected a property, found "}"'],
    ["{'a': 1}", `line 1, column 2: expected a property name in double quotes, found "'"`],
    ['{"a": "x\ny"}', 'line 1, column 9: a string must end on the line it starts on'],
    ['{"a": 1} x', 'line 1, column 10: expected the end of the file after the value, found "x"'],
    ['[1, 2,]', 'line 1, column 7: a comma may not come before "]"'],
    ['\n\n  {"a": tru}', 'line 3, column 9: expected a value, found "t"'],
    ['', 'is empty'],
  ])('names where %j breaks', (text, expected) => {
    const r = parseJson(text);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problem).toContain(expected);
  });

  it('from a newer Portwatch: refused, not downgraded', async () => {
    const good = await saveGoodState();
    const newer = `${JSON.stringify({ version: 7, monitors: [{ ...db, id: 'db', probe: 'v7-only' }], settings: {} }, null, 2)}\n`;
    writeFileSync(file(), newer);
    const store = await openCliConfig(dir);
    expect(store.report.ok).toBe(false);
    expect(store.report.problems[0]).toMatch(
      /^version: the file is version 7, written by a newer Portwatch; this one understands up to version 1/,
    );
    expect(readFileSync(store.report.backupPath!, 'utf8')).toBe(newer);
    expect(store.monitors()).toEqual(good);
    expect(readFileSync(file(), 'utf8')).toBe(newer);
  });

  it.each([
    ['[]', 'the file must hold a JSON object, not a list'],
    ['{"version": 1, "monitors": {}}', 'monitors: must be a list of monitors, not an object'],
    ['{"version": "1"}', 'version: expected a whole number, found "1"'],
  ])('with the wrong shape (%s)', async (text, problem) => {
    writeFileSync(file(), text);
    const store = await openCliConfig(dir);
    expect(store.report.problems[0]).toBe(problem);
    expect(brokenCopies()).toHaveLength(1);
  });
});

describe('a file with some invalid entries', () => {
  it('keeps the good monitors, names the bad one, and copies the file before a change drops it', async () => {
    const text = `${JSON.stringify(
      {
        version: 1,
        monitors: [
          { ...db, id: 'a' },
          { ...cache, id: 'b', name: 'redis', port: 70000 },
          { ...web, id: 'c' },
          { ...cache, id: 'a', name: 'twin' },
        ],
        settings: { theme: 'neon', maxInFlight: 32 },
      },
      null,
      2,
    )}\n`;
    writeFileSync(file(), text);
    const store = await openCliConfig(dir);
    expect(store.report.ok).toBe(false);
    expect(store.report.problems).toEqual([
      'monitors.1.port: the port must be from 1 to 65535 (monitor "redis" was set aside)',
      'monitors.3.id: "a" is already the id of monitors.0 (monitor "twin" was set aside)',
      'settings.theme: the theme must be system, light or dark (the default is used)',
      expect.stringMatching(/^config\.json: 2 monitor\(s\) were set aside; the file keeps them/),
    ]);
    expect(store.monitors().map((m) => m.id)).toEqual(['a', 'c']);
    expect(store.settings()).toMatchObject({ theme: 'system', maxInFlight: 32 });
    expect(readFileSync(file(), 'utf8')).toBe(text);
    expect(brokenCopies()).toEqual([]);

    store.updateSettings({ theme: 'light' });
    expect(readFileSync(store.report.backupPath!, 'utf8')).toBe(text);
    expect((readJson().monitors as { id: string }[]).map((m) => m.id)).toEqual(['a', 'c']);
    store.updateSettings({ theme: 'dark' });
    expect(brokenCopies()).toHaveLength(1);
  });
});

describe('a file with a bad setting', () => {
  it('resets only that setting, and copies the file before a change drops the bad value', async () => {
    const text = JSON.stringify({ version: 1, monitors: [], settings: { maxInFlight: 'lots', retentionRawDays: 30 } });
    writeFileSync(file(), text);
    const store = await openCliConfig(dir);
    expect(store.report.problems[0]).toBe(
      'settings.maxInFlight: the number of checks at once must be a number (the default is used)',
    );
    expect(store.settings()).toMatchObject({ maxInFlight: 64, retentionRawDays: 30 });
    store.addMonitor(db);
    expect(readFileSync(store.report.backupPath!, 'utf8')).toBe(text);
  });
});

describe('versions', () => {
  it('upgrades a version-0 file (interval in milliseconds, no version key)', async () => {
    const v0 = {
      monitors: [
        { ...db, id: 'a', interval: 30_000 },
        { ...cache, id: 'b', interval: 1_000 },
        { ...web, id: 'c' },
      ],
      settings: { theme: 'dark' },
    };
    writeFileSync(file(), JSON.stringify(v0));
    const store = await openCliConfig(dir);
    expect(store.report).toEqual({ ok: true, problems: [] });
    expect(store.monitors().map((m) => m.intervalSec)).toEqual([30, 5, undefined]);
    expect(store.monitors()[0]).not.toHaveProperty('interval');
    expect(store.settings().theme).toBe('dark');
    // Only loading: the file is upgraded on disk by the first change.
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toEqual(v0);
    store.updateSettings({ theme: 'light' });
    expect(readJson()).toMatchObject({ version: 1, monitors: [{ intervalSec: 30 }, { intervalSec: 5 }, {}] });
  });

  it('reports a v0 interval that is not a number under its new name', async () => {
    writeFileSync(file(), JSON.stringify({ monitors: [{ ...db, id: 'a', interval: '30s' }] }));
    const store = await openCliConfig(dir);
    expect(store.report.problems[0]).toMatch(/^monitors\.0\.intervalSec: .*\(monitor "db primary" was set aside\)$/);
  });

  it('runs migrations in order on a copy, and applies none when one fails', () => {
    const steps: Migration[] = [
      { from: 0, describe: 'a', up: (d) => ({ ...d, a: true }) },
      { from: 1, describe: 'b', up: (d) => ({ ...d, b: (d.a as boolean) && 'after a' }) },
      {
        from: 2,
        describe: 'c',
        up: () => {
          throw new Error('boom');
        },
      },
    ];
    const doc = { monitors: [] };
    expect(migrate(doc, steps, 2)).toEqual({
      ok: true,
      from: 0,
      doc: { monitors: [], a: true, b: 'after a', version: 2 },
    });
    expect(migrate(doc, steps, 3)).toEqual({
      ok: false,
      from: 0,
      problem: 'version: upgrading from version 2 failed: boom',
    });
    expect(doc).toEqual({ monitors: [] });
    expect(migrate({ version: 1 }, steps.slice(0, 1), 2)).toMatchObject({
      ok: false,
      problem: 'version: no upgrade is known from version 1',
    });
  });

  it('has one migration for every version before the current one', () => {
    expect(MIGRATIONS.map((m) => m.from)).toEqual(MIGRATIONS.map((_, i) => i));
  });
});

describe('where the files are', () => {
  it('matches Electron userData for productName Portwatch on each OS', () => {
    expect(configDir({}, 'linux', '/home/ann')).toBe('/home/ann/.config/Portwatch');
    expect(configDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/ann')).toBe('/xdg/Portwatch');
    expect(configDir({ XDG_CONFIG_HOME: '' }, 'linux', '/home/ann')).toBe('/home/ann/.config/Portwatch');
    expect(configDir({}, 'darwin', '/Users/ann')).toBe('/Users/ann/Library/Application Support/Portwatch');
    expect(configDir({ APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ann')).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\Portwatch',
    );
    expect(configDir({}, 'win32', 'C:\\Users\\ann')).toBe('C:\\Users\\ann\\AppData\\Roaming\\Portwatch');
    expect(configDir({ PORTWATCH_HOME: '/srv/pw', XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/ann')).toBe('/srv/pw');
    expect(historyFile('/srv/pw')).toBe('/srv/pw/history.sqlite');
  });

  it('opens the file under PORTWATCH_HOME by default', async () => {
    vi.stubEnv('PORTWATCH_HOME', dir);
    const store = await openCliConfig();
    store.addMonitor(db);
    expect((readJson().monitors as unknown[]).length).toBe(1);
  });
});

describe('crash safety', () => {
  it('a writer killed mid-write leaves a config.json that parses and validates', async () => {
    const confPkg = resolve('node_modules/conf');
    const entry = (JSON.parse(readFileSync(join(confPkg, 'package.json'), 'utf8')) as { exports: { default: string } })
      .exports.default;
    const script = join(dir, 'writer.mjs');
    writeFileSync(
      script,
      `import Conf from ${JSON.stringify(pathToFileURL(join(confPkg, entry)).href)};
const conf = new Conf({ cwd: process.argv[2], configName: 'config', projectName: 'portwatch', clearInvalidConfig: false, accessPropertiesByDotNotation: false });
const monitors = (n) => Array.from({ length: 400 }, (_, i) => ({
  id: 'm' + i, name: 'monitor ' + i + ' round ' + n + ' ' + 'x'.repeat(100), kind: 'tcp', host: 'db.internal', port: 1 + ((i + n) % 65535),
}));
for (let n = 0; ; n++) {
  conf.store = { version: 1, monitors: monitors(n), settings: {} };
  if (n === 2) process.stdout.write('writing\\n');
}
`,
    );
    const { SNAP: _snap, ...env } = process.env; // conf writes non-atomically under Snap
    for (let round = 0; round < 5; round++) {
      const child = spawn(process.execPath, [script, dir], { stdio: ['ignore', 'pipe', 'inherit'], env });
      await new Promise<void>((ok, fail) => {
        child.stdout.on('data', () => ok());
        child.on('exit', (code) => fail(new Error(`the writer exited early with ${code}`)));
      });
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 150));
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGKILL');
      expect(await exited).toBeNull();

      expect(() => JSON.parse(readFileSync(file(), 'utf8'))).not.toThrow();
      const store = await openCliConfig(dir);
      expect(store.report).toEqual({ ok: true, problems: [] });
      expect(store.monitors()).toHaveLength(400);
    }
  });
});
