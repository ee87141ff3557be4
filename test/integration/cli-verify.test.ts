import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { portwatchIn } from '../helpers/cli';
import { closedPort, dropPort, listen } from '../helpers/net';

describe('portwatch import, verify and export', () => {
  let open: Awaited<ReturnType<typeof listen>>;
  let dropped: Awaited<ReturnType<typeof listen>>;
  let undrop: () => void;
  let closed: number;
  const dirs: string[] = [];

  const home = (): Record<string, string> => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-home-'));
    dirs.push(dir);
    return { PORTWATCH_HOME: dir };
  };
  const file = (name: string, text: string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-file-'));
    dirs.push(dir);
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  beforeAll(async () => {
    open = await listen();
    dropped = await listen();
    undrop = dropPort(dropped.port);
    closed = await closedPort();
  });
  afterAll(async () => {
    undrop?.();
    await open?.close();
    await dropped?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const yaml = (ports: [string, number][]): string =>
    `portwatch: 1\nmonitors:\n${ports
      .map(
        ([name, port]) =>
          `  - name: ${name}\n    kind: tcp\n    host: 127.0.0.1\n    port: ${port}\n    tier: 1\n    timeoutMs: 800\n    tags: [deploy]\n`,
      )
      .join('')}`;

  it('with one open, one closed and one DROP-ed port: a table with each outcome, exit 1', async () => {
    const env = home();
    const imported = await portwatchIn(
      env,
      'import',
      file(
        'set.yaml',
        yaml([
          ['web', open.port],
          ['db', closed],
          ['cache', dropped.port],
        ]),
      ),
    );
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/imported: 3 added, 0 updated/);
    const run = await portwatchIn(env, 'verify', '--retry-delay', '100');
    expect(run.code).toBe(1);
    const line = (name: string): string => run.stdout.split('\n').find((l) => l.includes(` ${name} `)) ?? '';
    expect(line('web')).toMatch(/^ok\s/);
    expect(line('db')).toMatch(/^FAIL refused\s.*\s2\s+Nothing is listening/);
    expect(line('cache')).toMatch(/^FAIL timeout\s.*firewall is dropping packets/);
    expect(run.stdout).toMatch(/1 passed, 2 failed/);
  });

  it('with only the open one: exit 0; --json gives one object per monitor', async () => {
    const env = home();
    await portwatchIn(
      env,
      'import',
      file(
        'ok.json',
        JSON.stringify({
          portwatch: 1,
          monitors: [{ name: 'web', kind: 'tcp', host: '127.0.0.1', port: open.port, tags: ['deploy'] }],
        }),
      ),
    );
    const run = await portwatchIn(env, 'verify');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/1 passed, 0 failed/);
    const json = await portwatchIn(env, 'verify', '--json', '--tag', 'deploy');
    expect(JSON.parse(json.stdout)).toMatchObject([{ name: 'web', outcome: 'ok', attempts: 1 }]);
    const none = await portwatchIn(env, 'verify', '--tier', '3');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no saved monitor matches/);
  });

  it('import merges the same target instead of doubling it, and a dry run saves nothing', async () => {
    const env = home();
    const f = file('a.yaml', yaml([['web', open.port]]));
    await portwatchIn(env, 'import', f);
    const dry = await portwatchIn(
      env,
      'import',
      file(
        'b.yaml',
        yaml([
          ['web renamed', open.port],
          ['db', closed],
        ]),
      ),
      '--dry-run',
    );
    expect(dry.stdout).toMatch(/update\s+web renamed/);
    expect(dry.stdout).toMatch(/add\s+db/);
    expect(dry.stdout).toMatch(/nothing saved/);
    const again = await portwatchIn(env, 'import', file('c.yaml', yaml([['web renamed', open.port]])));
    expect(again.stdout).toMatch(/0 added, 1 updated/);
    const out = await portwatchIn(env, 'export', '-');
    const doc = JSON.parse(out.stdout) as { monitors: { name: string }[] };
    expect(doc.monitors.map((m) => m.name)).toEqual(['web renamed']);
  });

  it('refuses an invalid file with the place of each problem, and saves nothing of it', async () => {
    const env = home();
    const bad = file(
      'bad.yaml',
      'portwatch: 1\nmonitors:\n  - name: ok\n    kind: tcp\n    host: 127.0.0.1\n    port: 80\n  - name: broken\n    kind: tcp\n    host: 127.0.0.1\n    port: 70000\n',
    );
    const run = await portwatchIn(env, 'import', bad);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/monitors\.1 \("broken"\)\.port: the port must be from 1 to 65535/);
    const out = await portwatchIn(env, 'export', '-');
    expect((JSON.parse(out.stdout) as { monitors: unknown[] }).monitors).toHaveLength(0);
    const syntax = await portwatchIn(env, 'import', file('x.json', '{ "monitors": [ }'));
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(/not valid JSON/);
  });

  it('export never writes credentials', async () => {
    const env = home();
    const monitors = [
      {
        name: 'api',
        kind: 'http',
        host: '127.0.0.1',
        port: open.port,
        url: `http://127.0.0.1:${open.port}/health`,
        http: { headers: { Authorization: 'Bearer s3cret', 'X-Trace': 'yes' } },
      },
    ];
    await portwatchIn(env, 'import', file('api.json', JSON.stringify({ monitors })));
    const target = join(mkdtempSync(join(tmpdir(), 'pw-out-')), 'out.yaml');
    dirs.push(join(target, '..'));
    const run = await portwatchIn(env, 'export', target);
    expect(run.code).toBe(0);
    const text = readFileSync(target, 'utf8');
    expect(text).not.toContain('s3cret');
    expect(text).toContain('X-Trace');
    expect(run.stderr).toMatch(/left out credentials: api: header Authorization/);
  });
});
