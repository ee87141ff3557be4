// The weekly review as files: Markdown to paste into a report, CSV (one row per monitor) for a
// spreadsheet. Times are local, written the same way whatever the browser's language.

import { csvCell, toCsv as toSharedCsv } from '../../../../shared/csv';
import { formatDuration, formatMs, formatPct } from '../../format';
import type { MonitorRow, Review } from './review';

const pad = (n: number): string => String(n).padStart(2, '0');

/** "2025-03-07 14:05", local time. */
export function stamp(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const orDash = (ms: number | null): string => (ms === null ? '–' : formatDuration(ms));

/** A Markdown table cell: pipes and line breaks would end it early. */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function table(head: string[], rows: string[][]): string[] {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

const monitorList = (rows: MonitorRow[], what: (r: MonitorRow) => string): string[] =>
  rows.length ? rows.map((r) => `- ${cell(r.name)} (${r.target}): ${what(r)}`) : ['None.'];

export function toMarkdown(r: Review): string {
  const s = r.summary;
  const lines = [
    `# Portwatch weekly review`,
    '',
    `${stamp(r.from)} to ${stamp(r.to)}`,
    '',
    '## Summary',
    '',
    `- Incidents: ${s.incidents}${s.ongoing ? ` (${s.ongoing} still going on)` : ''}, on ${s.monitorsAffected} monitor${s.monitorsAffected === 1 ? '' : 's'}`,
    `- Downtime in the week: ${formatDuration(s.downtimeMs)}`,
    `- Time to recover: mean ${orDash(s.meanRecoveryMs)}, median ${orDash(s.medianRecoveryMs)}; longest incident ${orDash(s.longestMs)}`,
    '',
    '## Incidents',
    '',
    ...(r.incidents.length
      ? table(
          ['Monitor', 'Started', 'Recovered', 'Duration', 'Cause'],
          r.incidents.map((i) => [
            i.name,
            stamp(i.startedAt),
            i.endedAt === null ? 'still down' : stamp(i.endedAt),
            formatDuration(i.durationMs),
            i.diagnosis,
          ]),
        )
      : ['No incident this week.']),
    '',
    '## Flapping',
    '',
    ...monitorList(r.flapping, (m) => `${m.incidents} incidents${m.flappingNow ? ', flapping now' : ''}`),
    '',
    '## Noisiest',
    '',
    ...monitorList(r.noisiest, (m) => `${m.incidents} incidents, ${formatDuration(m.downtimeMs)} down`),
    '',
    '## Slowest (p95 latency)',
    '',
    ...monitorList(r.slowest, (m) => formatMs(m.p95Ms)),
    '',
    '## Uptime',
    '',
    ...table(
      ['Monitor', 'Target', 'Tier', 'Checks', 'Uptime', 'p95', 'Incidents', 'Downtime'],
      r.uptime.map((m) => [
        m.name,
        m.target,
        String(m.tier),
        String(m.checks),
        formatPct(m.upPct),
        formatMs(m.p95Ms),
        String(m.incidents),
        formatDuration(m.downtimeMs),
      ]),
    ),
    '',
  ];
  return lines.join('\n');
}

/** One CSV field, as every CSV Portwatch writes (shared/csv.ts). */
export const csvField = (value: string | number | null): string => csvCell(value);

export function toCsv(r: Review): string {
  const head = [
    'monitor',
    'target',
    'tier',
    'checks',
    'uptime_pct',
    'p95_ms',
    'incidents',
    'downtime_s',
    'flapping_now',
    'week_from',
    'week_to',
  ];
  const rows = r.uptime.map((m) => [
    m.name,
    m.target,
    m.tier,
    m.checks,
    m.upPct === null ? null : Number(m.upPct.toFixed(3)),
    m.p95Ms === null ? null : Number(m.p95Ms.toFixed(1)),
    m.incidents,
    Math.round(m.downtimeMs / 1000),
    m.flappingNow ? 'yes' : 'no',
    stamp(r.from),
    stamp(r.to),
  ]);
  return toSharedCsv([head, ...rows]);
}
