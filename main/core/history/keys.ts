// Monitor ids are text chosen by people; every row that mentions a monitor stores a small
// integer key instead (two bytes for the first 32,767 monitors), looked up here once and cached.

import type { Db, Statement } from './db';

export class MonitorKeys {
  private readonly cache = new Map<string, number>();
  private readonly findStmt: Statement<[string], number>;
  private readonly ensureStmt: Statement<[string], number>;
  private readonly allStmt: Statement<[], number>;
  private readonly forgetStmt: Statement<[string]>;

  constructor(db: Db) {
    this.findStmt = db.prepare<[string], number>('SELECT key FROM monitor_keys WHERE id = ?').pluck();
    // The no-op update makes RETURNING answer for an id another process added in the meantime.
    this.ensureStmt = db
      .prepare<[string], number>(
        'INSERT INTO monitor_keys (id) VALUES (?) ON CONFLICT (id) DO UPDATE SET id = excluded.id RETURNING key',
      )
      .pluck();
    this.allStmt = db.prepare<[], number>('SELECT key FROM monitor_keys ORDER BY key').pluck();
    this.forgetStmt = db.prepare<[string]>('DELETE FROM monitor_keys WHERE id = ?');
  }

  /** The key of a monitor that has history, without creating one for a monitor that has none. */
  find(id: string): number | undefined {
    const cached = this.cache.get(id);
    if (cached !== undefined) return cached;
    const key = this.findStmt.get(id);
    if (key !== undefined) this.cache.set(id, key);
    return key;
  }

  /** The key of a monitor, created on its first result. Call inside a write transaction. */
  ensure(id: string): number {
    const known = this.find(id);
    if (known !== undefined) return known;
    const key = this.ensureStmt.get(id);
    if (key === undefined) throw new Error(`could not create a history key for monitor ${id}`);
    this.cache.set(id, key);
    return key;
  }

  all(): number[] {
    return this.allStmt.all();
  }

  /** Deletes the monitor's key and, by cascade, everything recorded under it. */
  forget(id: string): void {
    this.forgetStmt.run(id);
    this.cache.delete(id);
  }

  /** After a rolled-back transaction, keys created inside it no longer exist. */
  private reset(): void {
    this.cache.clear();
  }

  /**
   * Runs a write transaction that may use or create monitor keys. If it rolls back, keys it
   * created are gone, so the cache is dropped; and since a cached key may be stale (another
   * process forgot the monitor), the write is tried once more with fresh keys.
   */
  writing<T>(write: () => T): T {
    try {
      return write();
    } catch {
      this.reset();
    }
    try {
      return write();
    } catch (e) {
      this.reset();
      throw e;
    }
  }
}
