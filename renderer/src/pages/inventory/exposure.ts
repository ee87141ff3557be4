// Exposure warnings as the window can judge them: by what a monitor says about itself (a private
// service marked external), and by what its checks found (main/core/exposure.ts judges the
// address a check actually reached).

import { CATALOG, serviceById, type ServiceEntry } from '../../../../shared/catalog';
import type { Monitor } from '../../../../shared/monitor';

/** The catalog service a monitor watches, by its preset, its check, then its port. */
export function catalogEntryOf(m: Pick<Monitor, 'port' | 'check' | 'service'>): ServiceEntry | undefined {
  const byService = m.service ? serviceById(m.service) : undefined;
  const byCheck = m.check ? CATALOG.find((s) => s.ports.some((p) => p.serviceCheck === m.check)) : undefined;
  return byService ?? byCheck ?? CATALOG.find((s) => s.ports.some((p) => p.port === m.port));
}

const KIND_WORD: Partial<Record<ServiceEntry['category'], string>> = {
  database: 'database',
  cache: 'cache',
  queue: 'queue',
  search: 'search engine',
};

/** Why a monitor marked external should not be, when it watches a database, cache, queue or search port. */
export function externalWarning(m: Pick<Monitor, 'port' | 'check' | 'service' | 'exposure'>): string | undefined {
  if (m.exposure !== 'external') return undefined;
  const entry = catalogEntryOf(m);
  if (!entry?.privateOnly) return undefined;
  const what = KIND_WORD[entry.category] ?? 'private service';
  return `${entry.name} is a ${what} marked external: it should answer only the app servers and this monitor (firewall rule or bind address)`;
}

/** Every warning for a monitor: its own marking first, then the findings of its latest check. */
export function exposureWarnings(
  m: Pick<Monitor, 'port' | 'check' | 'service' | 'exposure'>,
  findings: readonly string[] = [],
): string[] {
  const own = externalWarning(m);
  return [...(own ? [own] : []), ...findings];
}
