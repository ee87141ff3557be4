// Monitors as an inventory spreadsheet: CSV as RFC 4180 has it (CRLF lines, quoted when needed,
// quotes doubled), safe to open in a spreadsheet. It lists what is watched, not how: timings,
// HTTP rules and check settings have no column and are listed as not carried.

import { csvCell, toCsv, type Cell } from '../../../shared/csv';
import type { Monitor } from '../../../shared/monitor';
import { portwatchOnly, type ExportResult, type NotCarried } from './export-result';

export const CSV_COLUMNS = [
  'host',
  'port',
  'service',
  'tier',
  'exposure',
  'notes',
  'name',
  'kind',
  'check',
  'url',
] as const;

export { csvCell };

export const csvRow = (m: Monitor): Cell[] => [
  m.host,
  m.port,
  m.service,
  m.tier,
  m.exposure,
  m.notes,
  m.name,
  m.kind,
  m.check,
  m.url,
];

/** The monitor's settings that have no column. */
function withoutColumn(m: Monitor): string[] {
  const out: string[] = [];
  const own = [
    m.intervalSec !== undefined && `interval ${m.intervalSec}s`,
    m.timeoutMs !== undefined && `timeout ${m.timeoutMs} ms`,
    m.retryIntervalSec !== undefined && `retry interval ${m.retryIntervalSec}s`,
    m.slowMs !== undefined && `slow threshold ${m.slowMs} ms`,
    m.certWarnDays !== undefined && `certificate warnings at ${m.certWarnDays.join(', ')} days`,
  ].filter((x): x is string => typeof x === 'string');
  if (own.length) out.push(`its own timings (${own.join(', ')})`);
  if (m.http) {
    const h = m.http;
    const rules = [
      h.method !== 'GET' && `method ${h.method}`,
      `status ${h.expectStatus}`,
      h.bodyContains !== undefined && 'body text',
      h.bodyRegex !== undefined && 'body regex',
      Object.keys(h.headers).length > 0 && 'headers',
      !h.followRedirects && 'no redirects',
    ].filter((x): x is string => typeof x === 'string');
    out.push(`HTTP rules (${rules.join(', ')})`);
  }
  if (m.settings && Object.keys(m.settings).length) out.push(`${m.check ?? 'check'} settings`);
  const tls = [
    m.implicitTls && 'implicit TLS',
    m.starttls && 'STARTTLS',
    m.insecure && 'insecure',
    m.servername && `server name ${m.servername}`,
  ].filter((x): x is string => typeof x === 'string');
  if (tls.length) out.push(tls.join(', '));
  if (m.group !== undefined) out.push(`group ${m.group}`);
  if (m.family) out.push(`IPv${m.family} only`);
  if (m.resolver) out.push('resolver');
  if (!m.enabled) out.push('paused');
  // The retries a tier brings are the tier's: only a monitor's own count is its own setting.
  return [...out, ...portwatchOnly(m, m.retries ?? 0).filter((w) => w !== 'notes' && w !== 'exposure external')];
}

export function renderCsv(monitors: readonly Monitor[]): ExportResult {
  const rows = [[...CSV_COLUMNS], ...monitors.map(csvRow)];
  const text = toCsv(rows);
  const notCarried: NotCarried[] = monitors.flatMap((m) => withoutColumn(m).map((what) => ({ monitor: m.name, what })));
  return { files: [{ name: 'monitors.csv', text }], notCarried };
}
