// One way in for every format: the size cap, telling the format when it is not given, the format's
// own reader, then every proposed monitor checked against the schema by its place in the file.

import { MonitorSchema, describeIssues } from '../../../shared/monitor';
import { parseBlackbox, type PrometheusInput } from './blackbox-import';
import { parseCsv } from './csv-import';
import { detectFormat } from './detect';
import { parseGatus } from './gatus';
import { MAX_IMPORT_BYTES, failed, placeOf, type ImportFormat, type ImportResult } from './import-result';
import { parseKuma } from './kuma';
import { parseNmap } from './nmap';
import { parseMonitorsFile } from './portwatch';

export interface ImportSource {
  text: string;
  /** The file's name, for telling the format and naming it in problems. */
  name: string;
  /** Absent: told from the content and the name. */
  format?: ImportFormat;
  /** For blackbox: the prometheus.yml whose scrape jobs name the targets. */
  prometheus?: PrometheusInput;
}

const megabytes = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Past the cap, with the sizes: the message for a file too large to import. */
export const tooLarge = (name: string, bytes: number): string =>
  `${name} is ${megabytes(bytes)}; an import reads at most ${megabytes(MAX_IMPORT_BYTES)}`;

function portwatchFile(text: string, name: string): ImportResult {
  const json = /^\s*[[{]/.test(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) || /\.json$/i.test(name);
  const parsed = parseMonitorsFile(text, json ? 'json' : 'yaml');
  return {
    monitors: parsed.problems.length ? [] : parsed.monitors,
    origins: parsed.monitors.map((m, i) => placeOf(`monitors.${i}`, m.name)),
    notMapped: [],
    problems: parsed.problems,
  };
}

export function readImport(source: ImportSource): ImportResult & { format?: ImportFormat } {
  const bytes = Buffer.byteLength(source.text, 'utf8');
  if (bytes > MAX_IMPORT_BYTES) return failed(tooLarge(source.name, bytes));
  let format = source.format;
  if (!format) {
    const detected = detectFormat(source.text, source.name);
    if (!detected.ok) return failed(detected.error);
    format = detected.format;
  }
  const result = parse(format, source);
  if (result.problems.length === 0 && format !== 'portwatch')
    result.monitors.forEach((m, i) => {
      const r = MonitorSchema.safeParse({ ...m, id: 'import' });
      if (!r.success) result.problems.push(...describeIssues(r.error, result.origins[i] ?? `monitor ${i + 1}`));
    });
  return { ...result, format };
}

function parse(format: ImportFormat, source: ImportSource): ImportResult {
  switch (format) {
    case 'portwatch':
      return portwatchFile(source.text, source.name);
    case 'kuma':
      return parseKuma(source.text);
    case 'gatus':
      return parseGatus(source.text);
    case 'blackbox':
      return parseBlackbox(source.text, source.name, source.prometheus);
    case 'nmap':
      return parseNmap(source.text);
    case 'csv':
      return parseCsv(source.text);
  }
}
