import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { MonitorSchema, describeIssues, type Monitor, type MonitorInput } from '../../../shared/monitor';

export type FileFormat = 'json' | 'yaml';

export const FORMAT_VERSION = 1;

/** Header names whose values are credentials: never written to an export. */
const SECRET_HEADER = /authorization|cookie|token|secret|password|api[-_]?key/i;

export function formatOf(file: string): FileFormat | undefined {
  if (/\.json$/i.test(file)) return 'json';
  if (/\.ya?ml$/i.test(file)) return 'yaml';
  return undefined;
}

export interface ParsedFile {
  monitors: MonitorInput[];
  problems: string[];
}

/** Reads a Portwatch export; every problem is named by its place in the file. */
export function parseMonitorsFile(text: string, format: FileFormat): ParsedFile {
  let doc: unknown;
  try {
    doc = format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    return {
      monitors: [],
      problems: [`the file is not valid ${format.toUpperCase()}: ${e instanceof Error ? e.message : String(e)}`],
    };
  }
  const list = Array.isArray(doc) ? doc : (doc as { monitors?: unknown } | null)?.monitors;
  if (!Array.isArray(list)) return { monitors: [], problems: ['the file holds no "monitors" list'] };
  const version = Array.isArray(doc) ? FORMAT_VERSION : (doc as { portwatch?: unknown }).portwatch;
  if (version !== undefined && version !== FORMAT_VERSION)
    return {
      monitors: [],
      problems: [`the file is format version ${String(version)}; this Portwatch reads version ${FORMAT_VERSION}`],
    };
  const monitors: MonitorInput[] = [];
  const problems: string[] = [];
  list.forEach((entry: unknown, i) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`monitors.${i}: not a monitor (an object with name, kind, host, port)`);
      return;
    }
    // The id is ours to give; an entry is valid without one.
    const parsed = MonitorSchema.safeParse({ id: 'import', ...entry });
    if (!parsed.success) {
      const name = (entry as { name?: unknown } | null)?.name;
      const label = typeof name === 'string' ? ` ("${name}")` : '';
      problems.push(
        ...describeIssues(parsed.error, `monitors.${i}`).map((p) => p.replace(/^(monitors\.\d+)/, `$1${label}`)),
      );
    } else {
      monitors.push(entry as MonitorInput);
    }
  });
  return { monitors, problems };
}

/** Writes monitors for another machine or a backup; credentials in headers are left out. */
export function renderMonitorsFile(monitors: Monitor[], format: FileFormat): { text: string; redacted: string[] } {
  const redacted: string[] = [];
  const clean = monitors.map((m) => {
    if (!m.http) return m;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(m.http.headers)) {
      if (SECRET_HEADER.test(k)) {
        redacted.push(`${m.name}: header ${k}`);
        headers[k] = '';
      } else headers[k] = v;
    }
    return { ...m, http: { ...m.http, headers } };
  });
  const doc = { portwatch: FORMAT_VERSION, monitors: clean };
  const text = format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : stringifyYaml(doc);
  return { text, redacted };
}

/** Same check of the same target: what an import merges instead of doubling. */
export const sameTarget = (
  a: Pick<Monitor, 'kind' | 'host' | 'port' | 'url'>,
  b: Pick<MonitorInput, 'kind' | 'host' | 'port' | 'url'>,
): boolean => a.kind === b.kind && a.host === b.host && a.port === b.port && (a.url ?? '') === (b.url ?? '');
