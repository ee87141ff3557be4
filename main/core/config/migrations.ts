// Upgrades of the saved file's shape. Each migration takes a document of version `from` to
// `from + 1`; they run in order on a copy, so a file is either upgraded completely or not at all.
// Only shapes change here: values are judged afterwards by the schemas, which name bad fields.

export type ConfigDocument = Record<string, unknown>;

export interface Migration {
  from: number;
  /** What changed, for the history of the format. */
  describe: string;
  up(doc: ConfigDocument): ConfigDocument;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const MIGRATIONS: readonly Migration[] = [
  {
    from: 0,
    describe: 'monitors: "interval" in milliseconds became "intervalSec" in seconds; the file got a "version"',
    up(doc) {
      const monitors = Array.isArray(doc.monitors)
        ? doc.monitors.map((m: unknown) => {
            if (!isObject(m) || !('interval' in m)) return m;
            const { interval, ...rest } = m;
            // An explicit intervalSec was written by hand after the fact and wins.
            if ('intervalSec' in rest) return rest;
            // A non-number is carried over as is so validation names the field, not silently drops it.
            if (typeof interval !== 'number' || !Number.isFinite(interval)) return { ...rest, intervalSec: interval };
            // Version 0 allowed sub-5-second intervals; the fastest now is 5 s.
            return { ...rest, intervalSec: Math.max(5, Math.round(interval / 1000)) };
          })
        : doc.monitors;
      return { ...doc, monitors };
    },
  },
];

/** The version this build writes; older files are migrated up to it, newer ones are refused. */
export const CURRENT_VERSION = MIGRATIONS.length;

export type MigrationResult =
  { ok: true; doc: ConfigDocument; from: number } | { ok: false; problem: string; from?: number };

/**
 * The version a document says it is. Files from before versioning had no "version" key, and an
 * empty document is a fresh file, which is already current.
 */
export function versionOf(doc: ConfigDocument): { ok: true; version: number } | { ok: false; problem: string } {
  if (!('version' in doc)) return { ok: true, version: Object.keys(doc).length === 0 ? CURRENT_VERSION : 0 };
  const v = doc.version;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    return { ok: false, problem: `version: expected a whole number, found ${JSON.stringify(v)}` };
  return { ok: true, version: v };
}

export function migrate(
  doc: ConfigDocument,
  migrations: readonly Migration[] = MIGRATIONS,
  target: number = migrations.length,
): MigrationResult {
  const found = versionOf(doc);
  if (!found.ok) return found;
  const from = found.version;
  if (from > target)
    // Downgrading would drop whatever the newer version added, and the next save would make that final.
    return {
      ok: false,
      from,
      problem: `version: the file is version ${from}, written by a newer Portwatch; this one understands up to version ${target}. Update Portwatch to use it.`,
    };
  let current: ConfigDocument = structuredClone(doc);
  for (let v = from; v < target; v++) {
    const step = migrations.find((m) => m.from === v);
    if (!step) return { ok: false, from, problem: `version: no upgrade is known from version ${v}` };
    try {
      current = step.up(current);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return { ok: false, from, problem: `version: upgrading from version ${v} failed: ${why}` };
    }
    current.version = v + 1;
  }
  return { ok: true, doc: { ...current, version: target }, from };
}
