import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ChannelConfigInput } from '../../shared/alerts';
import { saveChannel } from '../core/alerts/channel-store';
import { configDir, keyFile } from '../core/config/paths';
import { ConfigError, openCliConfig } from '../core/config/store';
import {
  IMPORT_FORMATS,
  MAX_IMPORT_BYTES,
  type ImportFormat,
  type ImportedMonitor,
} from '../core/formats/import-result';
import { applyPlan, planChannels, planMerge, type MergePlan } from '../core/formats/merge';
import { readImport, tooLarge } from '../core/formats/read-import';
import { keyFileBox, type SecretBox } from '../core/secrets';
import { UsageError, parseCommandArgs, type CommandIO } from './io';

export const IMPORT_HELP = `Usage: portwatch import <file> [--from <format>] [--prometheus <prometheus.yml>] [--dry-run] [--skip-channels]

Adds the monitors of a file to the saved ones. A monitor that already exists (the same check of
the same target) is merged into it, not doubled; importing the same file again changes nothing.
What cannot be brought over is listed with the reason. Nothing is saved unless the whole file
can be read.

Formats (told from the file when --from is left out):
  portwatch   a Portwatch export (.json, .yaml)
  kuma        an Uptime Kuma backup (.json): port, http, keyword, json-query, dns and database
              monitors; its Telegram, SMTP, webhook, Slack and Discord notifications become
              alert channels (secrets sealed as they are saved)
  gatus       a Gatus config.yaml: tcp://, tls://, http(s)://, starttls://, ssh:// and dns
              endpoints, with the conditions Portwatch can check
  blackbox    a blackbox_exporter blackbox.yml, with --prometheus naming the prometheus.yml
              whose scrape jobs use its modules (static_configs and file_sd files)
  nmap        nmap's XML output (nmap -oX): every open TCP port
  csv         a spreadsheet with a header row: host, port, service, tier, exposure
              (internal/external), notes; also name, tags, group, url, kind, check
              (as Portwatch's CSV export writes them); any order

Options:
  --from <format>         the format, when the file does not make it clear
  --prometheus <file>     the prometheus.yml for a blackbox.yml
  --dry-run               list what would be added, merged, left as it is and not mapped; save nothing
  --skip-channels         bring no alert channels over

Files larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB are refused.`;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  'dry-run': { type: 'boolean' },
  from: { type: 'string' },
  prometheus: { type: 'string' },
  'skip-channels': { type: 'boolean' },
} as const;

/** A file's text, refused past the import cap before a byte of it is read. */
function readCapped(file: string): string {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new UsageError(`${file} is not a file`);
    size = stat.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (size > MAX_IMPORT_BYTES) throw new UsageError(`${tooLarge(file, size)}; nothing was imported`);
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** What a monitor checks, in a few words: "http https://x/", "redis db:6379", "tcp 10.0.0.5:22". */
function targetText(m: ImportedMonitor): string {
  if (m.kind === 'http') return `http ${m.url ?? ''}`;
  const what = m.kind === 'service' ? (m.check ?? 'service') : m.kind;
  const question = m.check === 'dns' && typeof m.settings?.name === 'string' ? ` ${m.settings.name}` : '';
  return `${what} ${m.host.includes(':') ? `[${m.host}]` : m.host}:${m.port}${question}`;
}

function channelText(c: ChannelConfigInput): string {
  switch (c.kind) {
    case 'telegram':
      return `telegram, chat ${c.chatId}`;
    case 'email':
      return `email via ${c.host}${c.port ? `:${c.port}` : ''} to ${(c.to ?? []).join(', ')}`;
    case 'webhook':
      return `webhook (${c.format ?? 'json'})`;
    default:
      return c.kind;
  }
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export async function importCommand(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, true);
  if (values.help) return (io.out(IMPORT_HELP), 0);
  if (positionals.length !== 1) throw new UsageError('give exactly one file');
  const file = positionals[0] as string;
  const format = values.from as ImportFormat | undefined;
  if (format !== undefined && !IMPORT_FORMATS.includes(format))
    throw new UsageError(`--from ${format}: the formats are ${IMPORT_FORMATS.join(', ')}`);
  const dryRun = values['dry-run'] === true;

  const text = readCapped(file);
  let prometheus;
  if (values.prometheus !== undefined) {
    if (format !== undefined && format !== 'blackbox')
      throw new UsageError('--prometheus goes with a blackbox.yml (--from blackbox)');
    const promFile = path.resolve(values.prometheus);
    prometheus = {
      text: readCapped(promFile),
      file: promFile,
      files: {
        read: (f: string) => readCapped(f),
        list: (dir: string) => readdirSync(dir),
      },
    };
  }
  const result = readImport({
    text,
    name: path.basename(file),
    ...(format ? { format } : {}),
    ...(prometheus ? { prometheus } : {}),
  });
  if (result.problems.length)
    throw new UsageError(`${file} was not imported (nothing was saved):\n  ${result.problems.join('\n  ')}`);
  if (prometheus && result.format !== 'blackbox')
    throw new UsageError(
      `--prometheus goes with a blackbox.yml; ${file} is read as ${result.format ?? 'another format'}`,
    );

  const dir = configDir();
  const config = await openCliConfig(dir);
  for (const p of config.report.problems) io.err(`portwatch: config: ${p}`);
  const saved = config.monitors();
  const plan = planMerge(saved, result.monitors, result.origins, result.guessed);
  const origin = (i: number): string => result.origins[i] ?? `monitor ${i + 1}`;
  const problems = [...plan.problems];
  const notMapped = [...result.notMapped];
  for (const r of plan.repeats) {
    const what = `the same check of the same target as ${origin(r.of)}`;
    if (result.format === 'portwatch') problems.push(`${origin(r.index)}: ${what}`);
    else notMapped.push({ item: origin(r.index), why: `${what}; only that one is imported` });
  }
  if (problems.length)
    throw new UsageError(`${file} was not imported (nothing was saved):\n  ${problems.join('\n  ')}`);

  const channels = values['skip-channels']
    ? { adds: [], kept: [] }
    : planChannels(config.settings().alerts.channels, result.channels);
  if (values['skip-channels'] && result.channels?.length)
    for (const c of result.channels)
      notMapped.push({ item: c.item, why: 'alert channels are skipped (--skip-channels)' });
  report(io, plan, result.monitors, result.origins);
  for (const c of channels.adds) io.out(`channel ${c.channel.id}  ${channelText(c.channel)}  (from ${c.item})`);
  for (const c of channels.kept) io.out(`channel ${c.id}  already saved; left as it is  (from ${c.item})`);
  if (notMapped.length) {
    io.out(`\nnot mapped (${notMapped.length}):`);
    for (const n of notMapped) io.out(`  ${n.item}: ${n.why}`);
  }

  const counts = (verb: [string, string, string]): string =>
    [
      `${plan.adds.length} ${verb[0]}`,
      `${plan.merges.length} ${verb[1]}`,
      `${plan.unchanged.length} ${verb[2]}`,
      `${notMapped.length} not mapped`,
      ...(channels.adds.length
        ? [plural(channels.adds.length, `alert channel ${verb[0]}`, `alert channels ${verb[0]}`)]
        : []),
    ].join(', ');
  if (dryRun) {
    io.out(`\ndry run: ${counts(['to add', 'to update', 'unchanged'])}; nothing saved`);
    return 0;
  }
  // The box is opened before anything is written: a key that cannot be read must leave all as it was.
  let box: SecretBox | undefined;
  if (channels.adds.length) {
    try {
      box = keyFileBox(keyFile(dir));
    } catch (e) {
      throw new UsageError(
        `${file} was not imported (nothing was saved): the alert channels cannot be sealed: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
  if (plan.adds.length || plan.merges.length) {
    try {
      config.replaceMonitors(applyPlan(saved, plan));
    } catch (e) {
      if (e instanceof ConfigError) throw new UsageError(`${file} was not imported:\n  ${e.problems.join('\n  ')}`);
      throw e;
    }
  }
  const failedChannels: string[] = [];
  for (const c of channels.adds) {
    const r = saveChannel(config, box as SecretBox, c.channel);
    if (!r.ok) failedChannels.push(`${c.item}: ${r.error}`);
  }
  io.out(`\nimported: ${counts(['added', 'updated', 'unchanged'])}`);
  if (failedChannels.length) {
    io.err(`portwatch: the monitors were imported, but not these alert channels:\n  ${failedChannels.join('\n  ')}`);
    return 1;
  }
  return 0;
}

/** One line per proposal, in the file's order: added, updated (merged) or already saved as it is. */
function report(io: CommandIO, plan: MergePlan, incoming: ImportedMonitor[], origins: string[]): void {
  const from = (i: number): string => (origins[i] ? `, from ${origins[i]}` : '');
  const rows: [number, string][] = [
    ...plan.adds.map((a): [number, string] => [
      a.index,
      `add     ${a.monitor.name}  (${targetText(a.monitor)}${from(a.index)})`,
    ]),
    ...plan.merges.map((u): [number, string] => {
      const m = incoming[u.index] as ImportedMonitor;
      const name = u.patch.name ?? u.savedName;
      const into = name === u.savedName ? '' : `, merged into "${u.savedName}"`;
      return [u.index, `update  ${name}  (${targetText(m)}${into}${from(u.index)})`];
    }),
    ...plan.unchanged.map((s): [number, string] => [
      s.index,
      `same    ${s.name}  (already saved as it is${from(s.index)})`,
    ]),
  ];
  for (const [, line] of rows.sort((a, b) => a[0] - b[0])) io.out(line);
}
