import type { Monitor } from '../../shared/monitor';
import { openCliConfig } from '../core/config/store';
import { verifyAll, type VerifyOutcome } from '../core/verify';
import { ms } from './format';
import { UsageError, parseCommandArgs, type CommandIO } from './io';
import { table } from './table';

export const VERIFY_HELP = `Usage: portwatch verify [--tag t] [--tier n] [--json]

Checks every saved monitor once (a failure is re-checked to confirm it) and prints a table.
For deploy scripts and after a reboot or a firewall change.

Options:
  --tag <t>          only monitors with this tag (repeatable: any of them)
  --tier <n>         only monitors of tier 1, 2 or 3
  --retry-delay <ms> wait before re-checking a failure (default 1000)
  --json             print a JSON array instead of the table

Exit status: 0 when every check passed, 1 when one failed, 2 on bad usage or no monitors.`;

const OPTIONS = {
  tag: { type: 'string', multiple: true },
  tier: { type: 'string' },
  'retry-delay': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const targetLabel = (m: Monitor): string =>
  m.url ?? `${m.kind} ${m.host.includes(':') ? `[${m.host}]` : m.host}:${m.port}`;

function render(outcomes: VerifyOutcome[]): string {
  const rows = outcomes.map(({ monitor, result, attempts }) => [
    result.outcome === 'ok' ? 'ok' : `FAIL ${result.outcome}`,
    monitor.name,
    targetLabel(monitor),
    ms(result.ms),
    attempts > 1 ? `${attempts}` : '1',
    result.outcome === 'ok' ? result.detail : result.diagnosis,
  ]);
  const failed = outcomes.filter((o) => o.result.outcome !== 'ok').length;
  const summary = `${outcomes.length - failed} passed, ${failed} failed`;
  return `${table(['RESULT', 'MONITOR', 'TARGET', 'TIME', 'TRIES', 'WHY'], rows)}\n\n${summary}`;
}

export async function verifyCommand(args: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommandArgs(args, OPTIONS, false);
  const v = parsed.values;
  if (v.help) {
    io.out(VERIFY_HELP);
    return 0;
  }
  if (v.tier !== undefined && !/^[123]$/.test(v.tier))
    throw new UsageError(`--tier must be 1, 2 or 3, got "${v.tier}"`);
  const retryDelay = v['retry-delay'];
  if (retryDelay !== undefined && !/^\d+$/.test(retryDelay))
    throw new UsageError(`--retry-delay must be a whole number of milliseconds, got "${retryDelay}"`);

  const config = await openCliConfig();
  for (const p of config.report.problems) io.err(`portwatch: config: ${p}`);
  const tags = v.tag ?? [];
  const chosen = config
    .monitors()
    .filter((m) => m.enabled)
    .filter((m) => v.tier === undefined || m.tier === Number(v.tier))
    .filter((m) => tags.length === 0 || m.tags.some((t) => tags.includes(t)));
  if (chosen.length === 0) {
    const filtered = tags.length > 0 || v.tier !== undefined;
    throw new UsageError(
      filtered
        ? 'no saved monitor matches the filters'
        : 'no monitors are saved yet: add some in the app or with "portwatch import"',
    );
  }
  const settings = config.settings();
  const outcomes = await verifyAll(chosen, {
    concurrency: settings.maxInFlight,
    perHost: settings.maxPerHost,
    ...(retryDelay !== undefined ? { retryDelayMs: Number(retryDelay) } : {}),
  });
  if (v.json) {
    const json = outcomes.map(({ monitor, result, attempts }) => ({
      id: monitor.id,
      name: monitor.name,
      target: targetLabel(monitor),
      attempts,
      ...result,
    }));
    io.out(JSON.stringify(json, null, 2));
  } else {
    io.out(render(outcomes));
  }
  return outcomes.every((o) => o.result.outcome === 'ok') ? 0 : 1;
}
