// The inventory as rows: one per monitor, grouped by host, the same for the table and the CSV.

import type { MonitorView } from '../../../../shared/api';
import { groupOf, type Monitor } from '../../../../shared/monitor';
import type { MonitorStatus } from '../../../../shared/status';
import type { Cell } from '../../../../shared/csv';
import { catalogEntryOf, exposureWarnings } from './exposure';

export interface InventoryRow {
  id: string;
  /** The host or group it is shown under. */
  host: string;
  name: string;
  kind: Monitor['kind'];
  /** What is checked: the URL for http, the host otherwise. */
  address: string;
  port: number;
  /** The catalog service's name, or the check, or the kind. */
  service: string;
  tier: Monitor['tier'];
  exposure: Monitor['exposure'];
  tags: string[];
  notes: string;
  enabled: boolean;
  status: MonitorStatus;
  lastAt: number | undefined;
  /** The last check's outcome and diagnosis, when it failed or was slow. */
  lastNote: string | undefined;
  warnings: string[];
}

export function inventoryRow(v: MonitorView, findings: readonly string[] = []): InventoryRow {
  const m = v.monitor;
  const last = v.state?.last;
  return {
    id: m.id,
    host: groupOf(m),
    name: m.name,
    kind: m.kind,
    address: m.kind === 'http' && m.url ? m.url : m.host,
    port: m.port,
    service: catalogEntryOf(m)?.name ?? m.check ?? m.kind.toUpperCase(),
    tier: m.tier,
    exposure: m.exposure,
    tags: m.tags,
    notes: m.notes ?? '',
    enabled: m.enabled,
    status: v.state?.status ?? 'unknown',
    lastAt: last?.at,
    lastNote:
      last && last.outcome !== 'ok'
        ? `${last.outcome}: ${last.diagnosis}`
        : last?.slow
          ? `slow (${Math.round(last.ms)} ms)`
          : undefined,
    warnings: exposureWarnings(m, findings),
  };
}

/** Hosts in name order, each with its services by port. */
export function groupByHost(rows: readonly InventoryRow[]): [string, InventoryRow[]][] {
  const groups = new Map<string, InventoryRow[]>();
  for (const r of rows) groups.set(r.host, [...(groups.get(r.host) ?? []), r]);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([host, list]) => [host, list.sort((a, b) => a.port - b.port || a.name.localeCompare(b.name))]);
}

export const CSV_HEADER = [
  'host',
  'name',
  'service',
  'kind',
  'address',
  'port',
  'tier',
  'exposure',
  'tags',
  'notes',
  'enabled',
  'state',
  'last checked',
  'last result',
  'warnings',
] as const;

/** The header and one line per row, in the table's order. */
export function csvRows(rows: readonly InventoryRow[]): Cell[][] {
  return [
    [...CSV_HEADER],
    ...groupByHost(rows).flatMap(([, list]) =>
      list.map((r): Cell[] => [
        r.host,
        r.name,
        r.service,
        r.kind,
        r.address,
        r.port,
        r.tier,
        r.exposure,
        r.tags.join(' '),
        r.notes,
        r.enabled ? 'yes' : 'no',
        r.status,
        r.lastAt === undefined ? '' : new Date(r.lastAt).toISOString(),
        r.lastNote ?? '',
        r.warnings.join(' | '),
      ]),
    ),
  ];
}
