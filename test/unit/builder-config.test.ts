import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { AGGREGATE_STATES } from '../../shared/aggregate';

// The packaging config cannot be exercised here (installers need downloads), so this holds it to
// electron-builder's own schema and to the promises users rely on: fuses, native module, signing.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (file: string): string => readFileSync(join(root, file), 'utf8');

interface FileSet {
  from: string;
  to: string;
  filter: string[];
}
interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { output: string; buildResources: string };
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  extraResources: FileSet[];
  icon: string;
  npmRebuild: boolean;
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; category: string; icon: string; maintainer: string };
  mac: {
    target: string;
    category: string;
    hardenedRuntime: boolean;
    gatekeeperAssess: boolean;
    entitlements: string;
    entitlementsInherit: string;
  };
  win: { target: string };
  nsis: { oneClick: boolean; perMachine: boolean };
}

const config = parse(read('electron-builder.yml')) as BuilderConfig;

/** The packages a module loads at run time: bare require()s in its JS, followed through node_modules. */
function runtimeClosure(names: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name) || builtinModules.includes(name)) return;
    seen.add(name);
    const dir = join(root, 'node_modules', name);
    const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
      (f) => /\.c?js$/.test(f) && !/^(node_modules|deps|src|build|test|benchmark|docs)\b/.test(f),
    );
    for (const f of sources)
      for (const [, spec = ''] of readFileSync(join(dir, f), 'utf8').matchAll(/require\(['"]([^'"]+)['"]\)/g))
        if (!/^(\.|\/|node:)/.test(spec)) visit(/^(@[^/]+\/)?[^/]+/.exec(spec)?.[0] ?? spec);
  };
  names.forEach(visit);
  return seen;
}

const globToRegExp = (glob: string): RegExp =>
  new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);

describe('electron-builder.yml (packaging)', () => {
  it("matches electron-builder's schema", () => {
    const require = createRequire(import.meta.url);
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? [], 'schema errors').toEqual([]);
    expect(valid).toBe(true);
  });

  it('flips the fuses that shut the side doors into the app', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
    });
    // onlyLoadAppFromAsar with no asar would leave nothing to load
    expect(config.asar).toBe(true);
  });

  it('packs the built app and rebuilds and unpacks better-sqlite3 for Electron', () => {
    const pkg = JSON.parse(read('package.json')) as { main: string; dependencies: Record<string, string> };
    expect(pkg.main).toBe('out/main/index.js');
    expect(config.files).toEqual(expect.arrayContaining(['out/main/**', 'out/preload/**', 'out/renderer/**']));
    expect(config.files.filter((f) => !f.startsWith('!') && /out\/(cli|bench|native)/.test(f))).toEqual([]);
    expect(pkg.dependencies['better-sqlite3']).toBeDefined();
    // node_modules is left out but for what the bundle keeps external (build.config.mjs) and what that requires
    const external = /external:\s*\[([^\]]*)\]/.exec(read('build.config.mjs'))?.[1] ?? '';
    const runtime = [...external.matchAll(/'([^']+)'/g)].map((m) => m[1] ?? '').filter((m) => m !== 'electron');
    expect(runtime).toEqual(['better-sqlite3']);
    expect(config.files).toContain('!node_modules/**');
    for (const dep of runtimeClosure(runtime)) expect(config.files, dep).toContain(`node_modules/${dep}/**`);
    expect(config.npmRebuild).toBe(true);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/*.node', 'node_modules/better-sqlite3/**']));
    // the trimming must keep what better-sqlite3 loads at run time
    const dropped = config.files.filter((f) => f.startsWith('!node_modules/better-sqlite3/')).join(' ');
    expect(dropped).not.toMatch(/\blib\b|better_sqlite3\.node|package\.json/);
  });

  it('signs for macOS with the hardened runtime and no entitlement beyond JIT', () => {
    expect(config.mac).toMatchObject({
      target: 'dmg',
      hardenedRuntime: true,
      gatekeeperAssess: false,
      category: 'public.app-category.developer-tools',
    });
    for (const file of [config.mac.entitlements, config.mac.entitlementsInherit]) {
      const keys = [...read(file).matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1]);
      expect(keys, file).toEqual(['com.apple.security.cs.allow-jit']);
    }
  });

  it('builds AppImage and deb for Linux, and a per-user NSIS installer with a choice for Windows', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.category.split(';')).toEqual(expect.arrayContaining(['Network', 'Monitor']));
    expect(config.linux.maintainer).toMatch(/<[^@\s]+@[^>\s]+>/);
    expect(config.win.target).toBe('nsis');
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false });
  });

  it('references icons that exist, a tray icon for every state included', () => {
    expect(existsSync(join(root, config.icon)), config.icon).toBe(true);
    expect(readdirSync(join(root, config.linux.icon))).toContain('512x512.png');

    const tray = config.extraResources.find((r) => r.to === 'icons');
    if (!tray) throw new Error('no extraResources entry copies the tray icons to resources/icons');
    expect(tray.from).toBe(config.directories.buildResources);
    const shipped = readdirSync(join(root, tray.from)).filter((f) => tray.filter.some((g) => globToRegExp(g).test(f)));
    for (const state of AGGREGATE_STATES) {
      // main/app/tray.ts: tray-<state>.png, and the template image on macOS
      expect(shipped).toContain(`tray-${state}.png`);
      expect(shipped).toContain(`tray-${state}Template.png`);
    }
  });
});
