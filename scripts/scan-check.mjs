#!/usr/bin/env node
// The gate over scripts/scan.mjs's SARIF: exits 1 on a high-severity finding that the allowlist does
// not explain, or when a file could not be parsed (so was not checked). Electronegativity itself
// exits 0 whatever it finds.
//
//   node scripts/scan-check.mjs [sarif] [allowlist]
//
// The allowlist (scripts/scan-allow.json) is a list of { check, file, why }: a check id, a path from
// the repository root, and why that finding is not a problem there. Lower severities are printed for
// review and may be explained there too; an entry nothing matches any more is reported, to be removed.

import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sarifFile = process.argv[2] ?? join(root, 'out', 'scan', 'electronegativity.sarif');
const allowFile = process.argv[3] ?? join(root, 'scripts', 'scan-allow.json');
const FAIL_ON = 'HIGH';

function readJson(file, what) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`scan-check: cannot read the ${what} ${relative(root, file)}: ${e.message}`);
    process.exit(2);
  }
}

const sarif = readJson(sarifFile, 'SARIF report (run `node scripts/scan.mjs` first)');
const allow = readJson(allowFile, 'allowlist');
const problems = [];

if (!Array.isArray(allow)) problems.push(`${relative(root, allowFile)} must be a list of { check, file, why }`);
const entries = Array.isArray(allow) ? allow : [];
entries.forEach((e, i) => {
  const ok = ['check', 'file', 'why'].every((k) => typeof e?.[k] === 'string' && e[k].trim() !== '');
  if (!ok) problems.push(`allowlist entry ${i + 1} needs a check, a file and a why: ${JSON.stringify(e)}`);
});

const run = sarif.runs?.[0];
if (!run) problems.push(`${relative(root, sarifFile)} holds no run`);
if (run && !(run.properties?.scannedFiles > 0)) problems.push('the scan looked at no files: check scripts/scan.mjs');
for (const n of run?.invocations?.[0]?.toolExecutionNotifications ?? [])
  if (n.level === 'error') problems.push(`not scanned: ${n.message.text}`);

const used = new Set();
const review = [];
for (const r of run?.results ?? []) {
  const file = r.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '?';
  const line = r.locations?.[0]?.physicalLocation?.region?.startLine ?? 1;
  const severity = r.properties?.severity ?? (r.level === 'error' ? 'HIGH' : 'UNKNOWN');
  const where = `${r.ruleId} (${severity}) at ${file}:${line}`;
  const entry = entries.find((e) => e.check === r.ruleId && e.file === file);
  if (entry) {
    used.add(entry);
    console.log(`allowed   ${where}\n          ${entry.why}`);
  } else if (severity === FAIL_ON) problems.push(`${where}: ${r.message.text}`);
  else review.push(`review    ${where}: ${r.message.text}`);
}
for (const line of review) console.log(line);
for (const e of entries)
  if (!used.has(e)) console.log(`stale     allowlist entry ${e.check} for ${e.file} matches nothing: remove it`);

if (problems.length > 0) {
  console.error(`\nscan-check: FAILED\n${problems.map((p) => `  ✗ ${p}`).join('\n')}`);
  console.error(`Fix the code, or explain the finding in ${relative(root, allowFile)} as { check, file, why }.`);
  process.exit(1);
}
console.log(`scan-check: passed (${run.results.length} finding(s), none ${FAIL_ON} without a reason)`);
