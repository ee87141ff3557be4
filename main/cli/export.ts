import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Monitor } from '../../shared/monitor';
import { openCliConfig } from '../core/config/store';
import { DEFAULT_EXPORTER, renderBlackbox } from '../core/formats/blackbox-export';
import { renderCsv } from '../core/formats/csv-export';
import { notCarriedLines, type ExportResult } from '../core/formats/export-result';
import { renderGatus } from '../core/formats/gatus-export';
import { formatOf, renderMonitorsFile } from '../core/formats/portwatch';
import { UsageError, parseCommandArgs, type CommandIO } from './io';

export const EXPORT_HELP = `Usage: portwatch export <file | dir | -> [--format portwatch|gatus|blackbox|csv] [--exporter host:port]

Writes every saved monitor for Portwatch or for another monitoring tool; "-" prints it instead.

Formats:
  portwatch  JSON or YAML by the file's extension, for "portwatch import" ("-" prints JSON)
  gatus      a Gatus configuration: one endpoint per monitor with its conditions
  blackbox   a directory with blackbox.yml (blackbox_exporter modules) and prometheus.yml
             (a scrape job per module, probing through the exporter)
  csv        one row per monitor: host, port, service, tier, exposure, notes, name, kind, check, url

Options:
  --format <name>        the format; without it, csv for a .csv file and portwatch otherwise
  --exporter host:port   where Prometheus reaches blackbox_exporter (blackbox only; default ${DEFAULT_EXPORTER})

What a format cannot express (a Redis PING in Gatus, retries and slow thresholds in Prometheus,
timings in CSV) is listed per monitor on standard error. Gatus has no "degraded": there a slow
answer or a certificate inside its warning window fails the endpoint.
Credentials (authorization, cookie, token, key headers) are never exported.`;

const FORMATS = ['portwatch', 'gatus', 'blackbox', 'csv'] as const;
type ExportFormat = (typeof FORMATS)[number];

const FORMAT_NAMES: Record<Exclude<ExportFormat, 'portwatch'>, string> = {
  gatus: 'Gatus',
  blackbox: 'blackbox_exporter and Prometheus',
  csv: 'CSV',
};

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  format: { type: 'string', short: 'f' },
  exporter: { type: 'string' },
} as const;

/** host:port or [v6]:port, the way Prometheus writes an address. */
function parseExporter(text: string): string {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/.exec(text);
  const port = Number(m?.[2]);
  if (!m || port < 1 || port > 65535)
    throw new UsageError(`--exporter must be host:port (like ${DEFAULT_EXPORTER}), got "${text}"`);
  return text;
}

function parseExportArgs(args: string[]): { target: string; format: ExportFormat; exporter?: string; help: boolean } {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, true);
  const help = values.help === true;
  if (help) return { target: '', format: 'portwatch', help };
  if (positionals.length !== 1) throw new UsageError('give exactly one file, directory or "-"');
  const target = positionals[0] ?? '';
  const format = values.format ?? (/\.csv$/i.test(target) ? 'csv' : 'portwatch');
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`unknown format "${format}": use ${FORMATS.join(', ')}`);
  if (values.exporter !== undefined && format !== 'blackbox')
    throw new UsageError('--exporter applies only to --format blackbox');
  return {
    target,
    format: format as ExportFormat,
    ...(values.exporter !== undefined && { exporter: parseExporter(values.exporter) }),
    help,
  };
}

const isDirectory = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();

function portwatchExport(monitors: Monitor[], target: string, io: CommandIO): void {
  const format = target === '-' ? 'json' : formatOf(target);
  if (!format)
    throw new UsageError(
      `cannot tell the format of "${target}": name it .json, .yaml or .yml, or give --format gatus, blackbox or csv`,
    );
  const { text, redacted } = renderMonitorsFile(monitors, format);
  if (target === '-') io.out(text.trimEnd());
  else {
    writeFileSync(target, text);
    io.err(`exported ${monitors.length} monitors to ${target}`);
  }
  if (redacted.length) io.err(`left out credentials: ${redacted.join('; ')}`);
}

/** One file, or a directory of them (blackbox); "-" prints each, headed by its name when several. */
function writeResult(result: ExportResult, target: string, asDirectory: boolean, count: number, io: CommandIO): void {
  if (target === '-') {
    const several = result.files.length > 1;
    // io.out ends the text with "\n": drop one, so a CSV's CRLF lines come out exactly as written.
    const exact = (text: string): string => (text.endsWith('\n') ? text.slice(0, -1) : text);
    for (const f of result.files) io.out(several ? `# ==> ${f.name} <==\n${exact(f.text)}` : exact(f.text));
    return;
  }
  if (asDirectory) {
    if (existsSync(target) && !isDirectory(target))
      throw new UsageError(
        `${target} is a file: this format writes a directory (${result.files.map((f) => f.name).join(', ')})`,
      );
    mkdirSync(target, { recursive: true });
    const paths = result.files.map((f) => join(target, f.name));
    result.files.forEach((f, i) => writeFileSync(paths[i] ?? '', f.text));
    io.err(`exported ${count} monitors to ${paths.join(' and ')}`);
    return;
  }
  if (isDirectory(target)) throw new UsageError(`${target} is a directory: name a file to write`);
  writeFileSync(target, result.files[0]?.text ?? '');
  io.err(`exported ${count} monitors to ${target}`);
}

export async function exportCommand(args: string[], io: CommandIO): Promise<number> {
  const { target, format, exporter, help } = parseExportArgs(args);
  if (help) return (io.out(EXPORT_HELP), 0);
  const config = await openCliConfig();
  const monitors = config.monitors();
  if (format === 'portwatch') return (portwatchExport(monitors, target, io), 0);
  const result =
    format === 'gatus'
      ? renderGatus(monitors)
      : format === 'csv'
        ? renderCsv(monitors)
        : renderBlackbox(monitors, exporter === undefined ? {} : { exporter });
  writeResult(result, target, format === 'blackbox', monitors.length, io);
  const lines = notCarriedLines(result.notCarried);
  if (lines.length) io.err(`${FORMAT_NAMES[format]} could not carry, per monitor:\n  ${lines.join('\n  ')}`);
  return 0;
}
