// Uptime and a latency sparkline for every monitor at once, for the window's overview: a few
// queries across all monitors rather than a chart's queries per monitor, which for a thousand
// monitors would decode a thousand days of blocks.

import { blockRows, mergeRows } from './blocks';
import { classOf, HOUR_S, hourFloorS, passedSql } from './codec';
import type { Db, Statement } from './db';
import type { RawRow } from './statements';

export interface MonitorStats {
  /** Checks in the range. */
  checks: number;
  /** Share of them that passed, slow ones included; null when there were none. */
  upPct: number | null;
  /** Mean latency of the passing checks of each bucket, in ms; null where none passed. */
  spark: (number | null)[];
}

const HOUR_MS = HOUR_S * 1000;
/** A sparkline, not a chart: past this, ask series() for one monitor. */
const MAX_BUCKETS = 1000;

type Pair = [monitor: number, hour: number];
/** A monitor-hour's figures: checks, passed checks, and the sum of their latencies in tenths. */
type HourRow = [monitor: number, hour: number, checks: number, passed: number, sum: number];

export class Overviews {
  private readonly ids: Statement<[], [number, string]>;
  private readonly rollups: Statement<[number, number], [...Pair, count: number, passed: number, mean: number | null]>;
  private readonly unpacked: Statement<[number, number], HourRow>;
  private readonly lateBlocks: Statement<[string], [...Pair, data: Buffer]>;
  private readonly lateRows: Statement<[string], [monitor: number, ...RawRow]>;

  constructor(private readonly db: Db) {
    const passed = passedSql('r.code');
    const hour = `r.ts - ((r.ts % ${HOUR_S}) + ${HOUR_S}) % ${HOUR_S}`;
    // CROSS JOIN keeps monitor_keys outside: one seek per monitor into tables keyed by monitor
    // first, where a range on the hour alone would scan every monitor's whole retention.
    this.ids = db.prepare<[], [number, string]>('SELECT key, id FROM monitor_keys').raw();
    this.rollups = db
      .prepare<[number, number], [...Pair, number, number, number | null]>(
        `SELECT r.monitor, r.hour, r.count, r.up + r.degraded, r.mean_ms
         FROM monitor_keys k CROSS JOIN rollups r ON r.monitor = k.key WHERE r.hour >= ? AND r.hour < ?`,
      )
      .raw();
    this.unpacked = db
      .prepare<[number, number], HourRow>(
        `SELECT r.monitor, ${hour} AS hour, count(*), sum(${passed}), sum(iif(${passed}, r.ms, 0))
         FROM monitor_keys k CROSS JOIN results r ON r.monitor = k.key WHERE r.ts >= ? AND r.ts < ?
         GROUP BY r.monitor, hour`,
      )
      .raw();
    // Hours packed and rolled up before more of their results arrived, as a JSON list of pairs.
    this.lateBlocks = db
      .prepare<[string], [...Pair, Buffer]>(
        `SELECT b.monitor, b.hour, b.data FROM json_each(?) j CROSS JOIN result_blocks b
         ON b.hour = j.value ->> 1 AND b.monitor = j.value ->> 0`,
      )
      .raw();
    this.lateRows = db
      .prepare<[string], [number, ...RawRow]>(
        `SELECT r.monitor, r.ts, r.ms, r.code FROM json_each(?) j CROSS JOIN results r
         ON r.monitor = j.value ->> 0 AND r.ts >= j.value ->> 1 AND r.ts < (j.value ->> 1) + ${HOUR_S}
         ORDER BY r.monitor, r.ts`,
      )
      .raw();
  }

  /**
   * Every monitor with history, in [fromMs, toMs) cut into `buckets` equal spans. Hours come
   * from their rollups, which hold exactly what their packed results would give; hours not
   * rolled up yet (the one going on), and rolled-up hours whose results went on arriving, come
   * from their raw results. Before `rawStart` only rollups count, as in series() and uptime().
   */
  stats(rawStart: number, fromMs: number, toMs: number, buckets: number): Record<string, MonitorStats> {
    const bucketMs = (toMs - fromMs) / buckets;
    // Whole hours, so that no rolled-up hour straddles an edge of the range or of a bucket.
    if (
      !Number.isInteger(buckets) ||
      buckets < 1 ||
      buckets > MAX_BUCKETS ||
      fromMs % HOUR_MS !== 0 ||
      !(bucketMs > 0) ||
      bucketMs % HOUR_MS !== 0
    ) {
      throw new RangeError(
        `overview stats need a range of whole UTC hours cut into 1-${MAX_BUCKETS} buckets of whole hours; ` +
          `got ${fromMs}-${toMs} in ${buckets}`,
      );
    }
    const fromS = fromMs / 1000;
    const toS = toMs / 1000;
    const bucketS = bucketMs / 1000;
    const sums = new Map<number, Float64Array>();
    const add = (monitor: number, hour: number, checks: number, passed: number, sum: number): void => {
      let s = sums.get(monitor);
      if (!s) sums.set(monitor, (s = new Float64Array(3 * buckets)));
      const i = 3 * Math.floor((hour - fromS) / bucketS);
      s[i] = (s[i] as number) + checks;
      s[i + 1] = (s[i + 1] as number) + passed;
      s[i + 2] = (s[i + 2] as number) + sum;
    };

    // One read transaction: another process packing an hour between two of these queries
    // would otherwise have it counted twice or not at all.
    const ids = this.db.transaction(() => {
      const unpacked = this.unpacked.all(Math.max(fromS, rawStart), toS);
      const rowsIn = new Map<number, Set<number>>();
      for (const [monitor, hour] of unpacked) {
        const hours = rowsIn.get(monitor);
        if (hours) hours.add(hour);
        else rowsIn.set(monitor, new Set([hour]));
      }
      const late: Pair[] = [];
      for (const [monitor, hour, count, passed, mean] of this.rollups.all(fromS, toS)) {
        if (hour >= rawStart && rowsIn.get(monitor)?.has(hour)) late.push([monitor, hour]);
        else add(monitor, hour, count, passed, (mean ?? 0) * passed);
      }
      const isLate = new Set(late.map(([monitor, hour]) => `${monitor}:${hour}`));
      for (const [monitor, hour, checks, passed, sum] of unpacked) {
        if (!isLate.has(`${monitor}:${hour}`)) add(monitor, hour, checks, passed, sum);
      }
      if (late.length > 0) this.addLate(late, add);
      return this.ids.all();
    })();

    const out = new Map<string, MonitorStats>();
    for (const [key, id] of ids) {
      const s = sums.get(key) ?? new Float64Array(3 * buckets);
      let checks = 0;
      let passed = 0;
      const spark: (number | null)[] = [];
      for (let i = 0; i < 3 * buckets; i += 3) {
        const [c = 0, p = 0, sum = 0] = s.subarray(i, i + 3);
        checks += c;
        passed += p;
        spark.push(p === 0 ? null : Math.round(sum / p) / 10);
      }
      out.set(id, { checks, upPct: checks === 0 ? null : (100 * passed) / checks, spark });
    }
    // fromEntries, not assignment: an id such as "__proto__" stays an ordinary key.
    return Object.fromEntries(out);
  }

  /** Monitor-hours whose packed block and later rows are merged, as readers of raw results do. */
  private addLate(
    late: Pair[],
    add: (monitor: number, hour: number, checks: number, passed: number, sum: number) => void,
  ) {
    const pairs = JSON.stringify(late);
    const blocks = new Map<string, RawRow[]>();
    for (const [monitor, hour, data] of this.lateBlocks.all(pairs))
      blocks.set(`${monitor}:${hour}`, blockRows(data, hour));
    const rows = new Map<string, RawRow[]>();
    for (const [monitor, ts, tenths, code] of this.lateRows.all(pairs)) {
      const k = `${monitor}:${hourFloorS(ts)}`;
      const list = rows.get(k);
      if (list) list.push([ts, tenths, code]);
      else rows.set(k, [[ts, tenths, code]]);
    }
    for (const [monitor, hour] of late) {
      const k = `${monitor}:${hour}`;
      let checks = 0;
      let passed = 0;
      let sum = 0;
      for (const [, tenths, code] of mergeRows(blocks.get(k) ?? [], rows.get(k) ?? [])) {
        checks++;
        if (classOf(code) === 'down') continue;
        passed++;
        sum += tenths;
      }
      add(monitor, hour, checks, passed, sum);
    }
  }
}
