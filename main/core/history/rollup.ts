// Keeping the history small over time: each hour's rows are packed into blocks and rolled up,
// and both age out, the rollups much later than the blocks.

import { DAY_MS, HOUR_S, hourFloorS, toSeconds } from './codec';
import { blockRows, encodeBlock, mergeRows } from './blocks';
import type { Db } from './db';
import type { MonitorKeys } from './keys';
import { RAW_FROM, rawFrom } from './raw';
import type { Statements } from './statements';
import { Aggregate } from './stats';

export interface Retention {
  rawDays?: number;
  rollupDays?: number;
}

/**
 * Packs the rows of `results` of every hour that ends by `untilMs` into `result_blocks`, rolls
 * each such monitor-hour up, and returns how many it wrote. Rows that arrive for an hour already
 * packed (late writes, a clock set back) wait in `results`, where readers merge them, until a
 * later call merges them into the hour's block and rolls the hour up again. Idempotent: a call
 * with nothing new writes nothing. `untilMs` an hour ahead packs the hour going on as well.
 */
export function rollUp(db: Db, s: Statements, keys: MonitorKeys, untilMs: number): number {
  const until = hourFloorS(toSeconds(untilMs));
  const from = rawFrom(s);
  // Each monitor's next hour with rows to pack, so hours go in order and each hour's blocks in
  // key order: appended at the right edge of the (hour, monitor) tree, they fill its pages.
  const due = new Map<number, number[]>();
  const queue = (key: number, fromS: number): void => {
    const first = s.firstRaw.get(key, fromS, until);
    if (first === null || first === undefined) return;
    const hour = hourFloorS(first);
    const keysDue = due.get(hour);
    if (keysDue) keysDue.push(key);
    else due.set(hour, [key]);
  };
  for (const key of keys.all()) queue(key, from);

  let written = 0;
  // A transaction per hour: each hour's packing is whole or absent after a crash, and the
  // write-ahead log holds one hour's blocks, not a backlog of days.
  const packHour = db.transaction((hour: number, keysDue: number[]): void => {
    for (const key of keysDue) packOne(s, key, hour);
  });
  while (due.size > 0) {
    let hour = Infinity;
    for (const h of due.keys()) hour = Math.min(hour, h);
    const keysDue = (due.get(hour) as number[]).sort((a, b) => a - b);
    due.delete(hour);
    packHour(hour, keysDue);
    written += keysDue.length;
    for (const key of keysDue) queue(key, hour + HOUR_S);
  }
  return written;
}

function packOne(s: Statements, key: number, hour: number): void {
  const end = hour + HOUR_S;
  // all(), not iterate(): the connection cannot write while a read is still stepping.
  const rows = s.raw.all(key, hour, end);
  const old = s.block.get(hour, key);
  const merged = old === undefined ? rows : mergeRows(blockRows(old, hour), rows);
  const agg = new Aggregate();
  for (const [, tenths, code] of merged) agg.addRaw(code, tenths);
  const a = agg.stats();
  s.putBlock.run(hour, key, merged.length, encodeBlock(merged, hour));
  s.upsertRollup.run(key, hour, a.count, a.up, a.degraded, a.down, a.min, a.mean, a.p50, a.p95, a.max);
  s.deleteRaw.run(key, hour, end);
}

/**
 * Drops raw results (packed or not, and their failure texts) older than `rawDays` and rollups
 * older than `rollupDays`, each cut at a whole hour; incidents are kept. Hours about to lose their
 * raw results are packed and rolled up first, so pruning never loses what a chart would show.
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
  // Blocks are hour-major: the old ones are one range at the left edge, for all monitors at once.
  // The mark moves with them, so no reader takes a pruned hour for one without results.
  db.transaction(() => {
    raw += s.countBlocksBefore.get(rawCut) ?? 0;
    s.pruneBlocks.run(rawCut);
    if (rawCut > rawFrom(s)) s.setMeta.run(RAW_FROM, rawCut);
  })();
  const pruneOne = db.transaction((key: number): void => {
    raw += s.pruneRaw.run(key, rawCut).changes;
    s.pruneFailures.run(key, rawCut);
    rollups += s.pruneRollups.run(key, rollupCut).changes;
  });
  for (const key of keys.all()) pruneOne(key);
  return { raw, rollups };
}
