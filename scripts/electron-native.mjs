#!/usr/bin/env node
// Builds better-sqlite3 for Electron, for `npm start` (running the app from source).
//
// node_modules/better-sqlite3 is built for Node, and must stay so: the CLI and the tests load it.
// Electron has another ABI, so the app gets its own copy under out/native, rebuilt with
// @electron/rebuild (electron-builder's own rebuilder: a prebuilt binary when one is published,
// else node-gyp against Electron's headers), and opens the history with
// `nativeBinding: sqliteNativeBinding()` (main/app/paths.ts). A packaged app does not need this:
// electron-builder rebuilds the packaged node_modules itself (npmRebuild).
//
//   node scripts/electron-native.mjs [--force]
//
// Skips the work when the copy was already built for this Electron, better-sqlite3 and platform.

import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'out', 'native');
const copyDir = join(outDir, 'node_modules', 'better-sqlite3');
const binding = join(copyDir, 'build', 'Release', 'better_sqlite3.node');
const stampFile = join(outDir, 'built-for.json');

function fail(message) {
  console.error(`electron-native: ${message}`);
  process.exit(1);
}

function versionOf(pkg) {
  const file = join(root, 'node_modules', pkg, 'package.json');
  if (!existsSync(file)) fail(`${pkg} is not installed (no ${relative(root, file)}); run npm install first.`);
  return JSON.parse(readFileSync(file, 'utf8')).version;
}

const wanted = {
  electron: versionOf('electron'),
  betterSqlite3: versionOf('better-sqlite3'),
  platform: process.platform,
  arch: process.arch,
};

const built = existsSync(stampFile) ? readFileSync(stampFile, 'utf8') : '';
if (!process.argv.includes('--force') && existsSync(binding) && built === JSON.stringify(wanted)) {
  console.log(`electron-native: better-sqlite3 ${wanted.betterSqlite3} is built for Electron ${wanted.electron}`);
  process.exit(0);
}

// A fresh copy without the Node build, so a failed rebuild cannot leave a Node binary where
// Electron would load it.
rmSync(outDir, { recursive: true, force: true });
mkdirSync(dirname(copyDir), { recursive: true });
const source = join(root, 'node_modules', 'better-sqlite3');
const nodeBuild = join(source, 'build') + sep;
cpSync(source, copyDir, { recursive: true, filter: (src) => !(src + sep).startsWith(nodeBuild) });
writeFileSync(
  join(outDir, 'package.json'),
  JSON.stringify({ name: 'portwatch-native', private: true, dependencies: { 'better-sqlite3': wanted.betterSqlite3 } }),
);

console.log(`electron-native: building better-sqlite3 ${wanted.betterSqlite3} for Electron ${wanted.electron}…`);
const started = Date.now();
try {
  const { rebuild } = await import('@electron/rebuild');
  await rebuild({
    buildPath: outDir,
    electronVersion: wanted.electron,
    onlyModules: ['better-sqlite3'],
    force: true,
    mode: 'sequential',
  });
} catch (e) {
  rmSync(outDir, { recursive: true, force: true });
  const cause = e instanceof Error ? e.message : String(e);
  fail(
    `could not build better-sqlite3 for Electron ${wanted.electron}: ${cause.trim()}\n` +
      'It needs either a prebuilt binary (downloaded from github.com/WiseLibs/better-sqlite3/releases) or\n' +
      "Electron's headers (downloaded from https://www.electronjs.org/headers) plus python3 and a C++ compiler.\n" +
      'Offline, neither download can happen: run `npm start` again once online. The CLI and tests do not need this.',
  );
}
if (!existsSync(binding)) fail(`the rebuild finished but ${relative(root, binding)} is missing.`);
writeFileSync(stampFile, JSON.stringify(wanted));
console.log(`electron-native: built ${relative(root, binding)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
