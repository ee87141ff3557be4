#!/usr/bin/env node
// Launches the bundled command line. The bundle is built by `npm install` (the prepare
// script) or `npm run build:cli`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../../out/cli/portwatch.mjs', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write('portwatch: the command line is not built yet: run "npm run build:cli"\n');
  process.exit(2);
}
await import(bundle.href);
