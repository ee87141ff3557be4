// Export and import of monitors for the window (the CLI's `portwatch export` / `import`, over the
// service): Portwatch files both ways, and in the other tools' formats the CLI reads; the same
// merge plan as the CLI, credentials left out of exports.

import type { Monitor } from '../../shared/monitor';
import type { AlertService } from './alerts/alert-service';
import type { ImportFormat, NotMapped } from './formats/import-result';
import { planChannels, planMerge } from './formats/merge';
import { renderMonitorsFile, type FileFormat } from './formats/portwatch';
import { detectFormat } from './formats/detect';
import { readImport } from './formats/read-import';
import { ok, type Result } from '../../shared/result';
import type { PortwatchService } from './service';

type Monitors = Pick<PortwatchService, 'list' | 'add' | 'update'> & {
  /** Absent where no secret box is at hand: channels are then listed, not added. */
  alerts?: Pick<AlertService, 'channels' | 'saveChannel'> | undefined;
};

/**
 * What the window can import: a Portwatch file as json or yaml, or another tool's file. A
 * blackbox.yml is left to the CLI, as it needs the prometheus.yml beside it.
 */
export type ImportFileFormat = FileFormat | Exclude<ImportFormat, 'portwatch' | 'blackbox'>;

export interface ExportedMonitors {
  text: string;
  count: number;
  /** "name: header X" for every credential left out. */
  redacted: string[];
}

export interface ImportReport {
  /** Names of the monitors added (or that would be, on a dry run). */
  added: string[];
  /** Names of the saved monitors the file changes (same check of the same target). */
  updated: string[];
  /** Names of the saved monitors the file already matches. */
  unchanged: string[];
  /** What the file holds that Portwatch cannot bring over, and why. */
  notMapped: NotMapped[];
  /** Ids of the alert channels added (Uptime Kuma notifications). */
  channels: string[];
  /** Every problem, by its place in the file; when there is one, nothing is saved. */
  problems: string[];
  saved: boolean;
}

export function exportMonitors(s: Pick<PortwatchService, 'list'>, format: FileFormat): Result<ExportedMonitors> {
  const monitors = s.list().map((v) => v.monitor);
  return ok({ ...renderMonitorsFile(monitors, format), count: monitors.length });
}

/** Reads a file's text; a dry run only reports what an import would do. */
export function importMonitors(
  s: Monitors,
  text: string,
  asked: ImportFileFormat | 'auto',
  dryRun: boolean,
  fileName = 'the file',
): Result<ImportReport> {
  let format: ImportFileFormat;
  if (asked === 'auto') {
    const d = detectFormat(text, fileName);
    if (!d.ok) return { ok: false, error: d.error };
    if (d.format === 'blackbox')
      return { ok: false, error: `${fileName} is a blackbox.yml: import it with \`portwatch import --prometheus\`` };
    format = d.format === 'portwatch' ? (/^\s*[[{]/.test(text) ? 'json' : 'yaml') : d.format;
  } else format = asked;
  const portwatch = format === 'json' || format === 'yaml';
  const parsed = readImport({
    text,
    name: `the ${portwatch ? format.toUpperCase() : format} file`,
    format: format === 'json' || format === 'yaml' ? 'portwatch' : format,
  });
  const saved: Monitor[] = s.list().map((v) => v.monitor);
  const report: ImportReport = {
    added: [],
    updated: [],
    unchanged: [],
    notMapped: [...parsed.notMapped],
    channels: [],
    problems: [...parsed.problems],
    saved: false,
  };
  if (report.problems.length) return ok(report);
  const plan = planMerge(saved, parsed.monitors, parsed.origins, parsed.guessed);
  const origin = (i: number): string => parsed.origins[i] ?? `monitors.${i}`;
  report.problems.push(...plan.problems);
  for (const r of plan.repeats) {
    const what = `the same check of the same target as ${origin(r.of)}`;
    if (portwatch) report.problems.push(`${origin(r.index)}: ${what}`);
    else report.notMapped.push({ item: origin(r.index), why: `${what}; only that one is imported` });
  }
  report.added = plan.adds.map((a) => a.monitor.name);
  report.updated = plan.merges.map((u) => u.patch.name ?? u.savedName);
  report.unchanged = plan.unchanged.map((u) => u.name);
  const channels = s.alerts ? planChannels(s.alerts.channels(), parsed.channels) : { adds: [], kept: [] };
  if (!s.alerts)
    for (const c of parsed.channels ?? [])
      report.notMapped.push({ item: c.item, why: 'alert channels cannot be added here; add it under Alerts' });
  report.channels = channels.adds.map((c) => c.channel.id);
  if (dryRun || report.problems.length) return ok(report);
  // Every entry was checked above, so these only fail if the config changed meanwhile; what did
  // is said by name.
  for (const u of plan.merges) {
    const r = s.update(u.id, u.patch);
    if (!r.ok) report.problems.push(`${u.patch.name ?? u.savedName}: ${r.error}`);
  }
  for (const a of plan.adds) {
    const r = s.add(a.monitor);
    if (!r.ok) report.problems.push(`${a.monitor.name}: ${r.error}`);
  }
  for (const c of channels.adds) {
    const r = s.alerts?.saveChannel(c.channel);
    if (r && !r.ok) report.problems.push(`${c.item}: ${r.error}`);
  }
  return ok({ ...report, saved: true });
}
