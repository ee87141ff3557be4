// Export and import of monitors for the window (the CLI's `portwatch export` / `import`, over the
// service): the same Portwatch file format, the same merge by target, credentials left out.

import { MonitorSchema, describeIssues, type Monitor, type MonitorInput } from '../../shared/monitor';
import { parseMonitorsFile, renderMonitorsFile, sameTarget, type FileFormat } from './formats/portwatch';
import type { PortwatchService, Result } from './service';

type Monitors = Pick<PortwatchService, 'list' | 'add' | 'update'>;

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
  /** Every problem, by its place in the file; when there is one, nothing is saved. */
  problems: string[];
  saved: boolean;
}

const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export function exportMonitors(s: Pick<PortwatchService, 'list'>, format: FileFormat): Result<ExportedMonitors> {
  const monitors = s.list().map((v) => v.monitor);
  return ok({ ...renderMonitorsFile(monitors, format), count: monitors.length });
}

/**
 * An export blanks credential headers; importing it over the same monitor must not wipe the
 * credential still saved here.
 */
function keepSavedCredentials(saved: Monitor, incoming: MonitorInput): MonitorInput {
  if (!incoming.http?.headers || !saved.http) return incoming;
  const headers = { ...incoming.http.headers };
  for (const [k, v] of Object.entries(headers))
    if (v === '' && saved.http.headers[k]) headers[k] = saved.http.headers[k];
  return { ...incoming, http: { ...incoming.http, headers } };
}

interface Plan {
  updates: { id: string; name: string; patch: MonitorInput }[];
  adds: MonitorInput[];
  problems: string[];
}

function plan(saved: Monitor[], incoming: MonitorInput[]): Plan {
  const out: Plan = { updates: [], adds: [], problems: [] };
  incoming.forEach((m, i) => {
    const twin = incoming.findIndex((o) => sameTarget(o, m));
    if (twin < i) return void out.problems.push(`monitors.${i}: the same check of the same target as monitors.${twin}`);
    const match = saved.find((e) => sameTarget(e, m));
    if (match) {
      const patch = { ...keepSavedCredentials(match, m), id: match.id };
      const check = MonitorSchema.safeParse({ ...match, ...patch });
      if (!check.success) out.problems.push(...describeIssues(check.error, `monitors.${i}`));
      else out.updates.push({ id: match.id, name: m.name, patch });
    } else {
      // The id is ours to give, as in the CLI: one from another machine may clash here.
      const { id: _drop, ...rest } = m as MonitorInput & { id?: string };
      out.adds.push(rest as MonitorInput);
    }
  });
  return out;
}

/** Reads a file's text; a dry run only reports what an import would do. */
export function importMonitors(s: Monitors, text: string, format: FileFormat, dryRun: boolean): Result<ImportReport> {
  const parsed = parseMonitorsFile(text, format);
  const saved = s.list().map((v) => v.monitor);
  const p = parsed.problems.length ? { updates: [], adds: [], problems: [] } : plan(saved, parsed.monitors);
  const report: ImportReport = {
    added: p.adds.map((m) => m.name),
    updated: p.updates.map((u) => u.name),
    problems: [...parsed.problems, ...p.problems],
    saved: false,
  };
  if (dryRun || report.problems.length) return ok(report);
  // Every entry was checked above, so these only fail if the config changed meanwhile; what did
  // is said by name.
  for (const u of p.updates) {
    const r = s.update(u.id, u.patch);
    if (!r.ok) report.problems.push(`${u.name}: ${r.error}`);
  }
  for (const m of p.adds) {
    const r = s.add(m);
    if (!r.ok) report.problems.push(`${m.name}: ${r.error}`);
  }
  return ok({ ...report, saved: true });
}
