#!/usr/bin/env node
// Runs Electronegativity (Electron security lint) over the app's sources and writes SARIF for CI:
//
//   node scripts/scan.mjs [out/scan/electronegativity.sarif]
//
// It scans sources, not out/: the main bundle inlines its dependencies, and a finding should point at a
// line we can fix; Electronegativity parses TypeScript and TSX itself. Sources are staged into out/scan
// because it walks every file under its input, node_modules included, before filtering.
// It is called as a library because its own SARIF drops each finding's severity, which
// scripts/scan-check.mjs gates on; findings never change this script's exit code, only a failed run does.

import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stage = join(root, 'out', 'scan', 'src');
const sarifFile = process.argv[2] ?? join(root, 'out', 'scan', 'electronegativity.sarif');
// Everything that runs in Electron's main process, the preload or the page (shared/ runs in the page too).
const SCANNED = ['main', 'preload', 'renderer', 'shared', 'package.json'];
// It downloads Electron's release notes to report missing security fixes: not hermetic, and Electron
// upgrades are Dependabot's and `npm outdated`'s job.
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];
const LEVEL = { HIGH: 'error', MEDIUM: 'warning', LOW: 'note', INFORMATIONAL: 'note' };

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity');
const electronVersion = JSON.parse(
  readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8'),
).version;

rmSync(stage, { recursive: true, force: true });
for (const entry of SCANNED) cpSync(join(root, entry), join(stage, entry), { recursive: true });
const scannedFiles = readdirSync(stage, { recursive: true }).filter((f) => /\.(m?[jt]sx?|html?)$/.test(f)).length;

const started = Date.now();
const result = await run({
  input: stage,
  isRelative: true,
  electronVersionOverride: electronVersion,
  excludeFromScan: EXCLUDED_CHECKS,
});

const rules = new Map();
const results = result.issues.map((issue) => {
  rules.set(issue.id, {
    id: issue.id,
    shortDescription: { text: issue.description },
    helpUri: `https://github.com/doyensec/electronegativity/wiki/${issue.id}`,
  });
  return {
    ruleId: issue.id,
    level: LEVEL[issue.severity.name] ?? 'note',
    message: { text: issue.description },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: issue.file, uriBaseId: '%SRCROOT%' },
          region: {
            startLine: Math.max(1, issue.location?.line ?? 1),
            startColumn: (issue.location?.column ?? 0) + 1,
            ...(issue.sample ? { snippet: { text: issue.sample } } : {}),
          },
        },
      },
    ],
    properties: {
      severity: issue.severity.name,
      confidence: issue.confidence.name,
      manualReview: Boolean(issue.manualReview),
    },
  };
});

// A file it could not parse is a file it did not check: the gate must hear of it.
const unparsed = result.errors.filter((e) => !e.tolerable);
const sarif = {
  $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
  version: '2.1.0',
  runs: [
    {
      tool: {
        driver: {
          name: 'Electronegativity',
          version: require('@doyensec/electronegativity/package.json').version,
          informationUri: 'https://github.com/doyensec/electronegativity',
          rules: [...rules.values()],
        },
      },
      originalUriBaseIds: { '%SRCROOT%': { uri: './' } },
      invocations: [
        {
          executionSuccessful: unparsed.length === 0,
          toolExecutionNotifications: result.errors.map((e) => ({
            level: e.tolerable ? 'warning' : 'error',
            message: { text: `${relative(stage, e.file)}: ${e.message}` },
          })),
        },
      ],
      properties: { electronVersion, scannedFiles, checks: result.globalChecks + result.atomicChecks },
      results,
    },
  ],
};

mkdirSync(dirname(sarifFile), { recursive: true });
writeFileSync(sarifFile, `${JSON.stringify(sarif, null, 2)}\n`);
console.log(
  `scan: ${results.length} finding(s) in ${scannedFiles} files, ${result.globalChecks + result.atomicChecks} checks, ` +
    `${((Date.now() - started) / 1000).toFixed(1)} s → ${relative(root, sarifFile)}`,
);
