// What the overview lists: monitors filtered, grouped, and flattened into one list of group
// headers and monitor rows, so the virtual list can place every item at index × row height.

import type { MonitorView } from '../../../../shared/api';
import { CATALOG, TIERS, type Tier } from '../../../../shared/catalog';
import { groupOf, type Monitor } from '../../../../shared/monitor';
import type { MonitorStatus } from '../../../../shared/status';

export type GroupBy = 'host' | 'tier' | 'tag' | 'none';
/** "attention" is every state someone may have to act on. */
export type StateFilter = 'all' | 'attention' | MonitorStatus;

export interface Filters {
  query: string;
  state: StateFilter;
  tier: 'all' | `${Tier}`;
  /** '' for every tag. */
  tag: string;
}

export const NO_FILTERS: Filters = { query: '', state: 'all', tier: 'all', tag: '' };

/** Worst first: the order counts are read in. */
export const STATE_ORDER: readonly MonitorStatus[] = [
  'down',
  'degraded',
  'pending',
  'up',
  'paused',
  'maintenance',
  'unknown',
];
const ATTENTION = new Set<MonitorStatus>(['down', 'degraded', 'pending']);

export type Counts = Record<MonitorStatus, number>;

export type Item =
  | {
      kind: 'group';
      key: string;
      label: string;
      total: number;
      counts: Counts;
      expanded: boolean;
      pos: number;
      size: number;
    }
  | { kind: 'monitor'; key: string; id: string; level: 1 | 2; pos: number; size: number };

export interface Listing {
  items: Item[];
  /** Monitors that pass every filter. */
  shown: number;
  /** By state, of the monitors that pass every filter but the state one (the state buttons' figures). */
  counts: Counts;
  tags: string[];
}

export const statusOf = (v: MonitorView): MonitorStatus => v.state?.status ?? 'unknown';

export const emptyCounts = (): Counts =>
  ({ up: 0, degraded: 0, pending: 0, down: 0, paused: 0, maintenance: 0, unknown: 0 }) as Counts;

const SERVICE_NAMES = new Map(CATALOG.map((s) => [s.id, s.name]));
export const serviceName = (m: Monitor): string =>
  m.service ? (SERVICE_NAMES.get(m.service) ?? m.service) : (m.check ?? m.kind.toUpperCase());

// Lower-cased once per monitor object: a thousand monitors are searched on every keystroke.
const haystacks = new WeakMap<Monitor, string>();
function haystack(m: Monitor): string {
  let h = haystacks.get(m);
  if (h === undefined) {
    h = [m.name, m.host, String(m.port), `${m.host}:${m.port}`, serviceName(m), m.service ?? '', m.group ?? '']
      .join('\n')
      .toLowerCase();
    haystacks.set(m, h);
  }
  return h;
}

const matchesState = (status: MonitorStatus, filter: StateFilter): boolean =>
  filter === 'all' || (filter === 'attention' ? ATTENTION.has(status) : status === filter);

export const tierLabel = (tier: Tier): string => `Tier ${tier} · ${TIERS[tier].label}`;

function groupKeys(m: Monitor, by: GroupBy): string[] {
  if (by === 'host') return [groupOf(m)];
  if (by === 'tier') return [String(m.tier)];
  if (by === 'tag') return m.tags.length ? m.tags : [''];
  return [];
}

const groupLabel = (key: string, by: GroupBy): string =>
  by === 'tier' ? tierLabel(Number(key) as Tier) : by === 'tag' && key === '' ? 'No tag' : key;

export function buildListing(
  monitors: Record<string, MonitorView>,
  order: readonly string[],
  filters: Filters,
  by: GroupBy,
  collapsed: ReadonlySet<string>,
): Listing {
  const words = filters.query.toLowerCase().split(/\s+/).filter(Boolean);
  const counts = emptyCounts();
  const tagSet = new Set<string>();
  const groups = new Map<string, { ids: string[]; counts: Counts }>();
  const flat: string[] = [];
  let shown = 0;

  for (const id of order) {
    const v = monitors[id];
    if (!v) continue;
    const m = v.monitor;
    for (const t of m.tags) tagSet.add(t);
    if (filters.tier !== 'all' && String(m.tier) !== filters.tier) continue;
    if (filters.tag && !m.tags.includes(filters.tag)) continue;
    if (words.length) {
      const h = haystack(m);
      if (!words.every((w) => h.includes(w))) continue;
    }
    const status = statusOf(v);
    counts[status]++;
    if (!matchesState(status, filters.state)) continue;
    shown++;
    if (by === 'none') {
      flat.push(id);
      continue;
    }
    for (const key of groupKeys(m, by)) {
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { ids: [], counts: emptyCounts() }));
      g.ids.push(id);
      g.counts[status]++;
    }
  }

  const items: Item[] = [];
  if (by === 'none') {
    flat.forEach((id, i) => items.push({ kind: 'monitor', key: id, id, level: 1, pos: i + 1, size: flat.length }));
  } else {
    const keys = [...groups.keys()].sort((a, b) =>
      by === 'tier' ? Number(a) - Number(b) : a === '' ? 1 : b === '' ? -1 : a.localeCompare(b),
    );
    keys.forEach((key, gi) => {
      const g = groups.get(key)!;
      const gKey = `g:${key}`;
      const expanded = !collapsed.has(gKey);
      items.push({
        kind: 'group',
        key: gKey,
        label: groupLabel(key, by),
        total: g.ids.length,
        counts: g.counts,
        expanded,
        pos: gi + 1,
        size: keys.length,
      });
      if (expanded)
        g.ids.forEach((id, i) =>
          items.push({ kind: 'monitor', key: `${gKey}/${id}`, id, level: 2, pos: i + 1, size: g.ids.length }),
        );
    });
  }
  return { items, shown, counts, tags: [...tagSet].sort((a, b) => a.localeCompare(b)) };
}
