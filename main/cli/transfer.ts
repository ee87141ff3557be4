// What import and export share: the file argument, its format, --dry-run.
import { formatOf, type FileFormat } from '../core/formats/portwatch';
import { UsageError, parseCommandArgs } from './io';

export function fileFormat(file: string): FileFormat {
  const f = formatOf(file);
  if (!f) throw new UsageError(`cannot tell the format of "${file}": name it .json, .yaml or .yml`);
  return f;
}

const TRANSFER_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  'dry-run': { type: 'boolean' },
} as const;

export function parseTransferArgs(
  args: string[],
  withDryRun: boolean,
): { file: string; dryRun: boolean; help: boolean } {
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
