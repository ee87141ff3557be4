import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCliConfig, type NewMonitorInput } from '../../main/core/config/store';
import { portwatchIn } from '../helpers/cli';

// A user moving monitors to another tool and back: what goes out in Gatus, blackbox_exporter or
// CSV form comes back as the same targets and checks, and bringing it back over the monitors it
// came from doubles nothing. Gatus cannot speak Redis or SSH: those go out as TCP connects (the
// export says so), come back as such, and are the only monitors added beside the originals.

const MONITORS: NewMonitorInput[] = [
  { name: 'web', kind: 'tcp', host: '127.0.0.1', port: 8080, tier: 1 },
  { name: 'site', kind: 'tls', host: '127.0.0.1', port: 8443, tier: 2 },
  {
    name: 'health',
    kind: 'http',
    host: '127.0.0.1',
    port: 8081,
    url: 'http://127.0.0.1:8081/health',
    http: { expectStatus: '200-299', bodyContains: 'ok' },
    tier: 2,
  },
  { name: 'cache', kind: 'service', check: 'redis', host: '127.0.0.1', port: 6380, tier: 2 },
  { name: 'shell', kind: 'service', check: 'ssh', host: '127.0.0.1', port: 2222, tier: 3 },
];

/** host:port/kind/check of each monitor, the identity a round trip must keep. */
const identity = (m: Pick<NewMonitorInput, 'host' | 'port' | 'kind' | 'check'>): string =>
  `${m.host}:${m.port}/${m.kind}${m.check ? `/${m.check}` : ''}`;
const targets = async (home: string): Promise<string[]> => (await openCliConfig(home)).monitors().map(identity).sort();

/** What a format carries of each monitor: Gatus turns the protocol checks into TCP connects. */
const carried = (format: string): string[] =>
  MONITORS.map((m) =>
    identity(format === 'gatus' && m.kind === 'service' ? { ...m, kind: 'tcp', check: undefined } : m),
  ).sort();
const lost = (format: string): number => (format === 'gatus' ? MONITORS.filter((m) => m.kind === 'service').length : 0);

describe('export to another tool and import back', () => {
  const dirs: string[] = [];
  const home = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'pw-roundtrip-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  for (const format of ['gatus', 'blackbox', 'csv'] as const) {
    it(`${format}: the same targets and checks come back, and nothing doubles over the originals`, async () => {
      const source = home();
      const config = await openCliConfig(source);
      for (const m of MONITORS) config.addMonitor(m);
      const out = join(home(), format === 'blackbox' ? 'bb' : `monitors.${format === 'gatus' ? 'yaml' : 'csv'}`);
      const exported = await portwatchIn({ PORTWATCH_HOME: source }, 'export', out, '--format', format);
      expect(exported.code, exported.stderr).toBe(0);
      const importArgs =
        format === 'blackbox'
          ? [join(out, 'blackbox.yml'), '--from', 'blackbox', '--prometheus', join(out, 'prometheus.yml')]
          : [out, '--from', format];

      // Into an empty Portwatch: every target with its check.
      const fresh = home();
      const imported = await portwatchIn({ PORTWATCH_HOME: fresh }, 'import', ...importArgs);
      expect(imported.code, imported.stderr + imported.stdout).toBe(0);
      expect(await targets(fresh)).toEqual(carried(format));

      // Over the monitors it came from: merged, none added.
      const again = await portwatchIn({ PORTWATCH_HOME: source }, 'import', ...importArgs);
      expect(again.code, again.stderr + again.stdout).toBe(0);
      expect(again.stdout).toMatch(new RegExp(`\\b${lost(format)} added\\b`));
      expect((await openCliConfig(source)).monitors()).toHaveLength(MONITORS.length + lost(format));
      // Merged, not doubled: the same targets and checks as before (values the other tool spelt
      // out, such as its timeout, may now be written down explicitly).
      const after = (await openCliConfig(source)).monitors().map(identity);
      for (const m of MONITORS) expect(after).toContain(identity(m));
    });
  }
});
