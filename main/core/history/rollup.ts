// Keeping the history small over time: hourly rollups replace raw rows as they age out.

import { DAY_MS, hourFloorS, toSeconds } from './codec';
import type { Db } from './db';
import type { MonitorKeys } from './keys';
import type { Statements } from './statements';
import { Aggregate } from './stats';

export interface Retention {
  rawDays?: number;
  rollupDays?: number;
}

const ROLLED_UNTIL = 'rolled_until';

/**
 * Rolls every complete hour before `untilMs` that is not rolled yet into `rollups`, and returns
 * how many monitor-hours it wrote. Idempotent: a mark records how far rolling got, and
 * rewriting an hour replaces its row. Results that arrive for an hour after it was rolled are
 * not rolled again; charts read them raw until they are pruned.
 */
export function rollUp(db: Db, s: Statements, keys: MonitorKeys, untilMs: number): number {
  const until = hourFloorS(toSeconds(untilMs));
  const mark = s.getMeta.get(ROLLED_UNTIL);
  if (mark !== undefined && mark >= until) return 0;
  let written = 0;
  // One transaction per monitor keeps each short and the write-ahead log small.
  const rollOne = db.transaction((key: number): void => {
    const first = mark ?? s.firstRaw.get(key);
    if (first === null || first === undefined) return;
    let hour = -1;
    let agg = new Aggregate();
    const flush = (): void => {
      if (hour < 0) return;
      const a = agg.stats();
      s.upsertRollup.run(key, hour, a.count, a.up, a.degraded, a.down, a.min, a.mean, a.p95, a.max);
      written++;
    };
    // all(), not iterate(): the connection cannot write while a read is still stepping.
    for (const [ts, tenths, code] of s.raw.all(key, hourFloorS(first), until)) {
      const h = hourFloorS(ts);
      if (h !== hour) {
        flush();
        hour = h;
        agg = new Aggregate();
      }
      agg.addRaw(code, tenths);
    }
    flush();
  });
  for (const key of keys.all()) rollOne(key);
  s.setMeta.run(ROLLED_UNTIL, until);
  return written;
}

/**
 * Drops raw results (and their failure texts) older than `rawDays` and rollups older than
 * `rollupDays`, each cut at a whole hour; incidents are kept. Hours about to lose their raw rows
 * are rolled up first, so pruning never loses what a chart of that time would show.
 */
export function pruneOld(
  db: Db,
  s: Statements,
  keys: MonitorKeys,
  nowMs: number,
  opts: Retention = {},
): { raw: number; rollups: number } {
  const { rawDays = 14, rollupDays = 400 } = opts;
  if (!(rawDays > 0) || !(rollupDays > 0)) {
    throw new RangeError(`retention must be positive days; got raw ${rawDays}, rollups ${rollupDays}`);
  }
  const rawCut = hourFloorS(toSeconds(nowMs - rawDays * DAY_MS));
  const rollupCut = hourFloorS(toSeconds(nowMs - rollupDays * DAY_MS));
  rollUp(db, s, keys, rawCut * 1000);
  let raw = 0;
  let rollups = 0;
  const pruneOne = db.transaction((key: number): void => {
    raw += s.pruneRaw.run(key, rawCut).changes;
    s.pruneFailures.run(key, rawCut);
    rollups += s.pruneRollups.run(key, rollupCut).changes;
  });
  for (const key of keys.all()) pruneOne(key);
  return { raw, rollups };
}
