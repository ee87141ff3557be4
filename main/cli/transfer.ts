import { readFileSync, writeFileSync } from 'node:fs';
import type { MonitorInput } from '../../shared/monitor';
import { ConfigError, openCliConfig } from '../core/config/store';
import {
  formatOf,
  parseMonitorsFile,
  renderMonitorsFile,
  sameTarget,
  type FileFormat,
} from '../core/formats/portwatch';
import { UsageError, parseCommandArgs, type CommandIO } from './io';

export const IMPORT_HELP = `Usage: portwatch import <file.json | file.yaml> [--dry-run]

Adds the monitors of a Portwatch export to the saved ones. A monitor that already exists (same
check of the same target) is updated, not doubled. Nothing is saved unless the whole file is valid.

Options:
  --dry-run   list what would be added and updated, and save nothing`;

export const EXPORT_HELP = `Usage: portwatch export <file.json | file.yaml | ->

Writes every saved monitor to a file (JSON or YAML by its extension; "-" prints JSON).
Credentials (authorization, cookie, token, key headers) are never exported.`;

function fileFormat(file: string): FileFormat {
  const f = formatOf(file);
  if (!f) throw new UsageError(`cannot tell the format of "${file}": name it .json, .yaml or .yml`);
  return f;
}

const TRANSFER_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  'dry-run': { type: 'boolean' },
} as const;

function parse(args: string[], withDryRun: boolean): { file: string; dryRun: boolean; help: boolean } {
  const parsed = parseCommandArgs(args, TRANSFER_OPTIONS, true);
  if (!withDryRun && parsed.values['dry-run']) throw new UsageError('--dry-run applies only to import');
  const help = parsed.values.help === true;
  if (!help && parsed.positionals.length !== 1) throw new UsageError('give exactly one file');
  return {
    file: parsed.positionals[0] ?? '',
    dryRun: parsed.values['dry-run'] === true,
    help,
  };
}

export async function importCommand(args: string[], io: CommandIO): Promise<number> {
  const { file, dryRun, help } = parse(args, true);
  if (help) return (io.out(IMPORT_HELP), 0);
  const format = fileFormat(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const { monitors, problems } = parseMonitorsFile(text, format);
  if (problems.length) throw new UsageError(`${file} was not imported:\n  ${problems.join('\n  ')}`);
  const config = await openCliConfig();
  const existing = config.monitors();
  const merged: MonitorInput[] = [...existing];
  let added = 0;
  let updated = 0;
  for (const m of monitors) {
    const i = merged.findIndex((e) => sameTarget(e as Parameters<typeof sameTarget>[0], m));
    if (i >= 0) {
      merged[i] = { ...merged[i], ...m, id: (merged[i] as { id: string }).id };
      updated++;
      io.out(`update  ${m.name}`);
    } else {
      const { id: _drop, ...rest } = m as MonitorInput & { id?: string };
      merged.push(rest as MonitorInput);
      added++;
      io.out(`add     ${m.name}`);
    }
  }
  if (dryRun) {
    io.out(`\ndry run: ${added} to add, ${updated} to update; nothing saved`);
    return 0;
  }
  try {
    config.replaceMonitors(merged);
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(`${file} was not imported:\n  ${e.problems.join('\n  ')}`);
    throw e;
  }
  io.out(`\nimported: ${added} added, ${updated} updated`);
  return 0;
}

export async function exportCommand(args: string[], io: CommandIO): Promise<number> {
  const { file, help } = parse(args, false);
  if (help) return (io.out(EXPORT_HELP), 0);
  const format = file === '-' ? 'json' : fileFormat(file);
  const config = await openCliConfig();
  const { text, redacted } = renderMonitorsFile(config.monitors(), format);
  if (file === '-') io.out(text.trimEnd());
  else {
    writeFileSync(file, text);
    io.err(`exported ${config.monitors().length} monitors to ${file}`);
  }
  if (redacted.length) io.err(`left out credentials: ${redacted.join('; ')}`);
  return 0;
}
