import { closeSync, existsSync, fchmodSync, mkdirSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Monitor } from '../../shared/monitor';
import type { AlertSettings } from '../../shared/alerts';
import { keyFile } from '../core/config/paths';
import { openCliConfig } from '../core/config/store';
import { keyFileBox, type SecretBox } from '../core/secrets';
import { renderAlertmanager } from '../core/formats/alertmanager-export';
import { DEFAULT_EXPORTER, renderBlackbox } from '../core/formats/blackbox-export';
import { renderCsv } from '../core/formats/csv-export';
import { notCarriedLines, type ExportResult } from '../core/formats/export-result';
import { renderGatus } from '../core/formats/gatus-export';
import { formatOf, renderMonitorsFile } from '../core/formats/portwatch';
import {
  DEFAULT_ALERTMANAGER,
  DEFAULT_INSTANCE,
  DEFAULT_TOKEN_FILE,
  parseInstance,
  renderPrometheus,
  type PrometheusOptions,
} from '../core/formats/prometheus-export';
import { UsageError, parseCommandArgs, type CommandIO } from './io';

export const EXPORT_HELP = `Usage: portwatch export <file | dir | -> [--format portwatch|gatus|blackbox|csv|prometheus] [--exporter host:port]
       portwatch export <dir> --format prometheus [--instance URL]... [--metrics-token-file F] [--alertmanager host:port]

Writes every saved monitor for Portwatch or for another monitoring tool; "-" prints it instead.

Formats:
  portwatch  JSON or YAML by the file's extension, for "portwatch import" ("-" prints JSON)
  gatus      a Gatus configuration: one endpoint per monitor with its conditions
  blackbox   a directory with blackbox.yml (blackbox_exporter modules) and prometheus.yml
             (a scrape job per module, probing through the exporter)
  csv        one row per monitor: host, port, service, tier, exposure, notes, name, kind, check, url
  prometheus a directory with prometheus.yml (scraping the /metrics of portwatch serve instances),
             portwatch-rules.yml (an alert rule per tier) and alertmanager.yml (the tiers' routing to
             your channels; it holds their secrets in clear and is written with mode 0600)

Options:
  --format <name>        the format; without it, csv for a .csv file and portwatch otherwise
  --exporter host:port   where Prometheus reaches blackbox_exporter (blackbox only; default ${DEFAULT_EXPORTER})
  --instance <url>       a portwatch serve to scrape, repeatable (prometheus only; default ${DEFAULT_INSTANCE})
  --metrics-token-file <path>  the file Prometheus reads serve's --metrics-token from
                         (prometheus only; default ${DEFAULT_TOKEN_FILE} beside prometheus.yml)
  --alertmanager host:port  where Prometheus sends alerts (prometheus only; default ${DEFAULT_ALERTMANAGER})
  --scrape-interval <d>  how often Prometheus scrapes and evaluates, like 15s or 1m (prometheus only; default 15s)
  --for-scale <x>        for tests and demonstrations: multiplies every rule's "for:" by x (0 < x <= 1)

What a format cannot express (a Redis PING in Gatus, retries and slow thresholds in Prometheus,
timings in CSV) is listed per monitor on standard error. Gatus has no "degraded": there a slow
answer or a certificate inside its warning window fails the endpoint.
Credentials (authorization, cookie, token, key headers) are never exported; the one exception is
alertmanager.yml (prometheus), which must hold your alert channels' secrets for Alertmanager to use them.`;

const FORMATS = ['portwatch', 'gatus', 'blackbox', 'csv', 'prometheus'] as const;
type ExportFormat = (typeof FORMATS)[number];

const FORMAT_NAMES: Record<Exclude<ExportFormat, 'portwatch'>, string> = {
  gatus: 'Gatus',
  blackbox: 'blackbox_exporter and Prometheus',
  csv: 'CSV',
  prometheus: 'Prometheus and Alertmanager',
};

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  format: { type: 'string', short: 'f' },
  exporter: { type: 'string' },
  instance: { type: 'string', multiple: true },
  'metrics-token-file': { type: 'string' },
  alertmanager: { type: 'string' },
  'scrape-interval': { type: 'string' },
  'for-scale': { type: 'string' },
} as const;

const PROMETHEUS_ONLY = ['instance', 'metrics-token-file', 'alertmanager', 'scrape-interval', 'for-scale'] as const;

/** host:port or [v6]:port, the way Prometheus writes an address. */
function parseExporter(text: string, option = '--exporter', example = DEFAULT_EXPORTER): string {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/.exec(text);
  const port = Number(m?.[2]);
  if (!m || port < 1 || port > 65535)
    throw new UsageError(`${option} must be host:port (like ${example}), got "${text}"`);
  return text;
}

function parsePrometheusArgs(values: ReturnType<typeof parseCommandArgs<typeof OPTIONS>>['values']): PrometheusOptions {
  const instances = values.instance ?? [];
  for (const i of instances) {
    const parsed = parseInstance(i);
    if (typeof parsed === 'string') throw new UsageError(`--instance: ${parsed}`);
  }
  const interval = values['scrape-interval'];
  const m = interval === undefined ? undefined : /^(\d+)(ms|s|m|h)$/.exec(interval);
  const intervalMs = m ? Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms'] : undefined;
  if (interval !== undefined && (intervalMs === undefined || intervalMs < 1000))
    throw new UsageError(`--scrape-interval must be a duration of at least 1s, like 15s or 1m, got "${interval}"`);
  const scale = values['for-scale'] === undefined ? undefined : Number(values['for-scale']);
  if (scale !== undefined && !(scale > 0 && scale <= 1))
    throw new UsageError(`--for-scale must be a number above 0 and at most 1, got "${values['for-scale']}"`);
  const tokenFile = values['metrics-token-file'];
  return {
    ...(instances.length && { instances }),
    // The path as typed is the file meant; Prometheus would read a relative one beside its config.
    ...(tokenFile !== undefined && { tokenFile: isAbsolute(tokenFile) ? tokenFile : resolve(tokenFile) }),
    ...(values.alertmanager !== undefined && {
      alertmanager: parseExporter(values.alertmanager, '--alertmanager', DEFAULT_ALERTMANAGER),
    }),
    ...(intervalMs !== undefined && { scrapeIntervalMs: intervalMs }),
    ...(scale !== undefined && { forScale: scale }),
  };
}

function parseExportArgs(args: string[]): {
  target: string;
  format: ExportFormat;
  exporter?: string;
  prometheus?: PrometheusOptions;
  help: boolean;
} {
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
  const misplaced = PROMETHEUS_ONLY.find((o) => values[o] !== undefined);
  if (misplaced && format !== 'prometheus') throw new UsageError(`--${misplaced} applies only to --format prometheus`);
  return {
    target,
    format: format as ExportFormat,
    ...(values.exporter !== undefined && { exporter: parseExporter(values.exporter) }),
    ...(format === 'prometheus' && { prometheus: parsePrometheusArgs(values) }),
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

/** Written with mode 0600 before any byte of it: it holds the channels' secrets in clear. */
function writePrivate(path: string, text: string): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    // An existing file keeps its mode on open: tighten it before writing.
    fchmodSync(fd, 0o600);
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

function prometheusExport(
  monitors: Monitor[],
  alerts: AlertSettings,
  target: string,
  options: PrometheusOptions,
  io: CommandIO,
): void {
  if (target === '-')
    throw new UsageError('--format prometheus writes a directory: alertmanager.yml holds secrets and is never printed');
  if (existsSync(target) && !isDirectory(target))
    throw new UsageError(`${target} is a file: --format prometheus writes a directory`);
  const prometheus = renderPrometheus(monitors, options);
  // The key file is only opened (or created) when a channel has a secret to open.
  let box: SecretBox | undefined;
  const alertmanager = renderAlertmanager(alerts, { open: (sealed) => (box ??= keyFileBox(keyFile())).open(sealed) });
  mkdirSync(target, { recursive: true });
  const paths = prometheus.files.map((f) => {
    const path = join(target, f.name);
    writeFileSync(path, f.text);
    return path;
  });
  const amPath = join(target, alertmanager.file.name);
  writePrivate(amPath, alertmanager.file.text);
  io.err(`exported ${monitors.length} monitors to ${[...paths, amPath].join(', ')}`);
  if (alertmanager.secrets.length)
    io.err(
      `${amPath} holds secrets in clear (${alertmanager.secrets.join(', ')}): it is readable by you alone (mode 0600); ` +
        'keep it out of version control',
    );
  const tokenFile = options.tokenFile ?? join(target, DEFAULT_TOKEN_FILE);
  io.err(`Prometheus reads the metrics token from ${tokenFile}: put the --metrics-token of portwatch serve there`);
  const lines = notCarriedLines(prometheus.notCarried);
  if (lines.length) io.err(`${FORMAT_NAMES.prometheus} could not carry, per monitor:\n  ${lines.join('\n  ')}`);
  const overall = [...prometheus.general, ...alertmanager.notCarried];
  io.err(`${FORMAT_NAMES.prometheus} could not carry:\n  ${overall.join('\n  ')}`);
}

export async function exportCommand(args: string[], io: CommandIO): Promise<number> {
  const { target, format, exporter, prometheus, help } = parseExportArgs(args);
  if (help) return (io.out(EXPORT_HELP), 0);
  const config = await openCliConfig();
  const monitors = config.monitors();
  if (format === 'portwatch') return (portwatchExport(monitors, target, io), 0);
  if (format === 'prometheus')
    return (prometheusExport(monitors, config.settings().alerts, target, prometheus ?? {}, io), 0);
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
