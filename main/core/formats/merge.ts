// The one plan for bringing monitors in, used by the CLI and by the window alike: which proposals
// are new, which merge into a monitor already saved (the same check of the same target), which
// would change nothing, and which repeat another proposal of the same file.

import { isDeepStrictEqual } from 'node:util';
import type { ChannelConfig } from '../../../shared/alerts';
import { MonitorSchema, describeIssues, type Monitor, type MonitorInput } from '../../../shared/monitor';
import type { ImportedMonitor, ProposedChannel } from './import-result';
import { sameTarget } from './portwatch';

type Comparable = Pick<MonitorInput, 'kind' | 'host' | 'port' | 'url' | 'check' | 'settings'>;

/** A DNS check asks one question: two questions to one server are two monitors. */
const question = (m: Comparable): string =>
  m.check === 'dns' ? `${String(m.settings?.name ?? '')} ${String(m.settings?.type ?? '')}`.toLowerCase() : '';

/** The same check of the same target: what an import merges instead of doubling. */
export const sameMonitor = (a: Comparable, b: Comparable): boolean =>
  sameTarget(a as Parameters<typeof sameTarget>[0], b) &&
  (a.check ?? '') === (b.check ?? '') &&
  question(a) === question(b);

/**
 * Whether a proposal is the saved monitor: as sameMonitor, except that a DNS proposal naming no
 * question (a CSV has no column for it) is the saved check of that server, whatever it asks.
 */
const isSaved = (saved: Comparable, incoming: Comparable): boolean =>
  sameMonitor(saved, incoming) ||
  (incoming.check === 'dns' &&
    incoming.settings?.name === undefined &&
    sameMonitor(saved, { ...incoming, settings: saved.settings }));

export interface PlannedAdd {
  index: number;
  monitor: ImportedMonitor;
}

export interface PlannedMerge {
  index: number;
  id: string;
  /** The saved monitor's name, as the person knows it. */
  savedName: string;
  /** What update() takes: the proposal over the saved monitor, credentials kept; a guessed name left out. */
  patch: Omit<MonitorInput, 'name'> & { name?: string };
}

export interface MergePlan {
  adds: PlannedAdd[];
  merges: PlannedMerge[];
  /** Proposals a saved monitor already matches field for field. */
  unchanged: { index: number; id: string; name: string }[];
  /** Proposals repeating an earlier one of the same file. */
  repeats: { index: number; of: number }[];
  /** A merge the saved monitor cannot take, by the proposal's place. */
  problems: string[];
}

/**
 * An export blanks credential headers; bringing it over the same monitor must not wipe the
 * credential still saved here.
 */
function keepSavedCredentials(saved: Monitor, incoming: ImportedMonitor): ImportedMonitor {
  if (!incoming.http?.headers || !saved.http) return incoming;
  const headers = { ...incoming.http.headers };
  for (const [k, v] of Object.entries(headers))
    if (v === '' && saved.http.headers[k]) headers[k] = saved.http.headers[k];
  return { ...incoming, http: { ...incoming.http, headers } };
}

/** Field for field, as the config would hold it (no undefined keys, defaults filled). */
const normal = (m: unknown): unknown => {
  const r = MonitorSchema.safeParse(m);
  return r.success ? JSON.parse(JSON.stringify(r.data)) : undefined;
};

/**
 * Plans an import of `incoming` over `saved`. `origins` names each proposal in a problem
 * (its place in the file; without it the index is used); `guessed` lists, by index, the fields a
 * merge leaves as saved.
 */
export function planMerge(
  saved: Monitor[],
  incoming: ImportedMonitor[],
  origins: string[] = [],
  guessed: string[][] = [],
): MergePlan {
  const plan: MergePlan = { adds: [], merges: [], unchanged: [], repeats: [], problems: [] };
  const where = (i: number): string => origins[i] ?? `monitors.${i}`;
  incoming.forEach((m, index) => {
    const first = incoming.findIndex((o) => sameMonitor(o, m));
    if (first < index) return void plan.repeats.push({ index, of: first });
    const match = saved.find((e) => isSaved(e, m));
    if (!match) {
      // The id is ours to give: one from another machine may clash here.
      const { id: _drop, ...rest } = m;
      return void plan.adds.push({ index, monitor: rest });
    }
    // A proposal that names no DNS question leaves the saved question (and its settings) alone.
    const { settings: _settings, ...unsettled } = m;
    const proposal: Record<string, unknown> = { ...(question(m) === question(match) ? m : unsettled) };
    // What the importer chose itself does not replace what was saved on purpose.
    for (const key of guessed[index] ?? []) delete proposal[key];
    const patch = {
      ...keepSavedCredentials(match, proposal as ImportedMonitor),
      id: match.id,
    } as PlannedMerge['patch'];
    const merged = MonitorSchema.safeParse({ ...match, ...patch });
    if (!merged.success) return void plan.problems.push(...describeIssues(merged.error, where(index)));
    if (isDeepStrictEqual(normal(match), normal(merged.data)))
      plan.unchanged.push({ index, id: match.id, name: match.name });
    else plan.merges.push({ index, id: match.id, savedName: match.name, patch });
  });
  return plan;
}

/** The saved list with the plan applied, for a store that replaces them all at once. */
export function applyPlan(saved: Monitor[], plan: MergePlan): (ImportedMonitor | Monitor)[] {
  const byId = new Map(plan.merges.map((u) => [u.id, u.patch]));
  return [
    ...saved.map((m) => {
      const patch = byId.get(m.id);
      return patch ? { ...m, ...patch, id: m.id } : m;
    }),
    ...plan.adds.map((a) => a.monitor),
  ];
}

export interface ChannelPlan {
  adds: ProposedChannel[];
  /** Proposals whose id is already a saved channel: left as they are, secrets and all. */
  kept: { item: string; id: string }[];
}

/**
 * Which proposed channels to add. A channel is never replaced by an import: its saved secrets may
 * be newer than the file's, and importing the same file twice must change nothing.
 */
export function planChannels(saved: Pick<ChannelConfig, 'id'>[], proposed: ProposedChannel[] = []): ChannelPlan {
  const taken = new Set(saved.map((c) => c.id));
  const plan: ChannelPlan = { adds: [], kept: [] };
  for (const p of proposed) {
    if (taken.has(p.channel.id)) plan.kept.push({ item: p.item, id: p.channel.id });
    else {
      taken.add(p.channel.id);
      plan.adds.push(p);
    }
  }
  return plan;
}
