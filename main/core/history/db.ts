// Opens the history database. The only module that touches better-sqlite3 directly: the rest of
// the history code sees the types below, so the driver can change in one place.

import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';
import { History } from './repo';

export type Db = Database.Database;
export type Statement<P extends unknown[] = unknown[], R = unknown> = Database.Statement<P, R>;

export { History } from './repo';
export type { Incident, IncidentQuery, MonitorStats, NewIncident, Retention, SeriesPoint, StoredResult } from './repo';

/** Long enough to ride out another process's checkpoint or batch, short enough to surface a stuck lock. */
const BUSY_TIMEOUT_MS = 5000;

/** Opens (creating if needed) the history at `file`, or in memory for ':memory:', at the current schema. */
export interface HistoryOptions {
  /** The compiled better-sqlite3 addon to load, when it is not the one in node_modules (the app from source). */
  nativeBinding?: string;
}

export function openHistory(file: string, options: HistoryOptions = {}): History {
  const db = new Database(file, {
    timeout: BUSY_TIMEOUT_MS,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // WAL lets the window read charts while the engine writes; NORMAL syncs only at checkpoints,
    // which in WAL mode can lose the last commits on power loss but never on a crash of the app,
    // and never corrupts the file.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, file);
    return new History(db, file);
  } catch (e) {
    db.close();
    throw e;
  }
}

function migrate(db: Db, file: string): void {
  const version = (): number => db.pragma('user_version', { simple: true }) as number;
  const refuseNewer = (v: number): void => {
    if (v > SCHEMA_VERSION) {
      throw new Error(
        `${file}: history database is at schema version ${v}, newer than this version of Portwatch ` +
          `knows (${SCHEMA_VERSION}); it was written by a later Portwatch. Update Portwatch, or move the file aside to start a new history.`,
      );
    }
  };
  const current = version();
  refuseNewer(current);
  if (current === SCHEMA_VERSION) return;
  // IMMEDIATE takes the write lock before reading the version again, so two processes opening
  // a fresh file at once cannot both run the same step.
  db.transaction(() => {
    const from = version();
    refuseNewer(from);
    for (const m of MIGRATIONS) {
      if (m.version <= from) continue;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
}
