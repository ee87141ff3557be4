import { readFileSync } from 'node:fs';
import type { MonitorInput } from '../../shared/monitor';
import { ConfigError, openCliConfig } from '../core/config/store';
import { parseMonitorsFile, sameTarget } from '../core/formats/portwatch';
import { UsageError, type CommandIO } from './io';
import { fileFormat, parseTransferArgs } from './transfer';

export const IMPORT_HELP = `Usage: portwatch import <file.json | file.yaml> [--dry-run]

Adds the monitors of a Portwatch export to the saved ones. A monitor that already exists (same
check of the same target) is updated, not doubled. Nothing is saved unless the whole file is valid.

Options:
  --dry-run   list what would be added and updated, and save nothing`;

export async function importCommand(args: string[], io: CommandIO): Promise<number> {
  const { file, dryRun, help } = parseTransferArgs(args, true);
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
