// Reading raw results, wherever they are: packed in `result_blocks`, or still rows of `results`
// (the hour going on, and results that arrived for an hour after it was packed, which the next
// rollup merges into its block). Readers see one history: a row replaces a packed result of the
// same second, as a later write replaces an earlier one.

import { classOf, hourFloorS } from './codec';
import { blockRows, decodeBlock, type Visit } from './blocks';
import type { RawRow, Statements } from './statements';

/** Meta key: raw results before this second (a whole hour) were pruned; rollups stand for them. */
export const RAW_FROM = 'raw_from';

/**
 * Where raw results begin for every monitor. Before it, only rollups answer; rows that arrive
 * for those hours (a clock set far back) are not read, since packing them would replace a full
 * hour's rollup with theirs, and the next prune drops them.
 */
export const rawFrom = (s: Statements): number => s.getMeta.get(RAW_FROM) ?? Number.MIN_SAFE_INTEGER;

/** Visits the monitor's raw results in [fromS, toS), each second once, in no particular order. */
export function eachRaw(s: Statements, key: number, fromS: number, toS: number, visit: Visit): void {
  if (!(toS > fromS)) return;
  const rows = s.raw.all(key, fromS, toS);
  const fresh = new Set(rows.map((r) => r[0]));
  for (const [hour, data] of s.blocks.iterate(key, hourFloorS(fromS), toS)) {
    decodeBlock(data, hour, (ts, tenths, code) => {
      if (ts >= fromS && ts < toS && !fresh.has(ts)) visit(ts, tenths, code);
    });
  }
  for (const [ts, tenths, code] of rows) visit(ts, tenths, code);
}

/** How many raw results the monitor has in [fromS, toS), and how many of them passed. */
export function countRaw(s: Statements, key: number, fromS: number, toS: number): [checks: number, passed: number] {
  let checks = 0;
  let passed = 0;
  eachRaw(s, key, fromS, toS, (_ts, _tenths, code) => {
    checks++;
    if (classOf(code) !== 'down') passed++;
  });
  return [checks, passed];
}

/** The monitor's latest `limit` raw results from `fromS` on, newest first. */
export function latestRaw(s: Statements, key: number, fromS: number, limit: number): RawRow[] {
  const rows = s.rawNewestFirst.all(key, fromS, limit);
  const fresh = new Set(rows.map((r) => r[0]));
  const packed: RawRow[] = [];
  // Blocks hold disjoint hours: once `limit` packed results are in hand, older blocks hold only
  // results with at least `limit` newer ones.
  for (const [hour, data] of s.blocksNewestFirst.iterate(key, fromS)) {
    if (packed.length >= limit) break;
    for (const r of blockRows(data, hour)) if (!fresh.has(r[0])) packed.push(r);
  }
  return rows
    .concat(packed)
    .sort((a, b) => b[0] - a[0])
    .slice(0, limit);
}
