// Bundles the Node side with esbuild: the CLI (plain Node), and Electron's main and preload.
// The renderer is built by Vite (vite.config.ts). `node build.config.mjs cli` builds the CLI only.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const only = process.argv[2];

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // Native and Electron modules are loaded at run time, never bundled.
  external: ['electron', 'better-sqlite3'],
  define: { PORTWATCH_VERSION: JSON.stringify(pkg.version) },
};

const targets = {
  cli: {
    ...common,
    entryPoints: { portwatch: 'main/cli/entry.ts' },
    outdir: 'out/cli',
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    // Bundled CommonJS dependencies still call require(); give ESM output one.
    banner: {
      js: "import { createRequire as __pwRequire } from 'node:module'; const require = __pwRequire(import.meta.url);",
    },
  },
  main: {
    ...common,
    entryPoints: { index: 'main/index.ts' },
    outdir: 'out/main',
    format: 'esm',
    banner: {
      js: "import { createRequire as __pwRequire } from 'node:module'; const require = __pwRequire(import.meta.url);",
    },
  },
  bench: {
    ...common,
    entryPoints: {
      probes: 'bench/probes.ts',
      engine: 'bench/engine.ts',
      peers: 'bench/peers.ts',
      discover: 'bench/discover.ts',
      metrics: 'bench/metrics.ts',
    },
    outdir: 'out/bench',
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    banner: {
      js: "import { createRequire as __pwRequire } from 'node:module'; const require = __pwRequire(import.meta.url);",
    },
  },
  preload: {
    ...common,
    // A sandboxed preload must be CommonJS.
    entryPoints: { index: 'preload/index.ts' },
    outdir: 'out/preload',
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
  },
};

const { bench: _bench, ...app } = targets;
const chosen = only ? { [only]: targets[only] } : app;
if (only && !targets[only]) {
  console.error(`unknown build target "${only}": use one of ${Object.keys(targets).join(', ')}`);
  process.exit(2);
}
await Promise.all(Object.values(chosen).map((options) => build(options)));
