import { writeFileSync } from 'node:fs';
import { openCliConfig } from '../core/config/store';
import { renderMonitorsFile } from '../core/formats/portwatch';
import type { CommandIO } from './io';
import { fileFormat, parseTransferArgs } from './transfer';

export const EXPORT_HELP = `Usage: portwatch export <file.json | file.yaml | ->

Writes every saved monitor to a file (JSON or YAML by its extension; "-" prints JSON).
Credentials (authorization, cookie, token, key headers) are never exported.`;

export async function exportCommand(args: string[], io: CommandIO): Promise<number> {
  const { file, help } = parseTransferArgs(args, false);
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
