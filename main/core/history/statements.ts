// Every statement the history runs, prepared once when it opens.

import type { Db, Statement } from './db';

export type RawRow = [ts: number, ms: number, code: number];
export type BlockRow = [hour: number, data: Buffer];
export type BucketRow = [
  count: number,
  up: number,
  degraded: number,
  down: number,
  min: number | null,
  mean: number | null,
  p50: number | null,
  p95: number | null,
  max: number | null,
];
export type RollupRow = [hour: number, ...BucketRow];
export type Texts = [detail: string | null, diagnosis: string | null];

export type Statements = ReturnType<typeof statements>;

export function statements(db: Db) {
  const p = <P extends unknown[], R = unknown>(sql: string): Statement<P, R> => db.prepare<P, R>(sql);
  const rollupColumns = 'count, up, degraded, down, min_ms, mean_ms, p50_ms, p95_ms, max_ms';
  // The planner could also walk the primary key's hour range, through every monitor's blocks.
  const byMonitor = 'result_blocks INDEXED BY result_blocks_by_monitor';
  return {
    insertResult: p<[number, number, number, number]>(
      'INSERT OR REPLACE INTO results (monitor, ts, ms, code) VALUES (?, ?, ?, ?)',
    ),
    insertFailure: p<[number, number, string | null, string | null]>(
      'INSERT OR REPLACE INTO failures (monitor, ts, detail, diagnosis) VALUES (?, ?, ?, ?)',
    ),
    texts: p<[number, number], Texts>('SELECT detail, diagnosis FROM failures WHERE monitor = ? AND ts = ?').raw(),
    raw: p<[number, number, number], RawRow>(
      'SELECT ts, ms, code FROM results WHERE monitor = ? AND ts >= ? AND ts < ? ORDER BY ts',
    ).raw(),
    rawNewestFirst: p<[number, number, number], RawRow>(
      'SELECT ts, ms, code FROM results WHERE monitor = ? AND ts >= ? ORDER BY ts DESC LIMIT ?',
    ).raw(),
    firstRaw: p<[number, number, number], number | null>(
      'SELECT min(ts) FROM results WHERE monitor = ? AND ts >= ? AND ts < ?',
    ).pluck(),
    deleteRaw: p<[number, number, number]>('DELETE FROM results WHERE monitor = ? AND ts >= ? AND ts < ?'),
    block: p<[number, number], Buffer>('SELECT data FROM result_blocks WHERE hour = ? AND monitor = ?').pluck(),
    blocks: p<[number, number, number], BlockRow>(
      `SELECT hour, data FROM ${byMonitor} WHERE monitor = ? AND hour >= ? AND hour < ? ORDER BY hour`,
    ).raw(),
    blocksNewestFirst: p<[number, number], BlockRow>(
      `SELECT hour, data FROM ${byMonitor} WHERE monitor = ? AND hour >= ? ORDER BY hour DESC`,
    ).raw(),
    putBlock: p<[number, number, number, Buffer]>(
      'INSERT OR REPLACE INTO result_blocks (hour, monitor, n, data) VALUES (?, ?, ?, ?)',
    ),
    rollups: p<[number, number, number], RollupRow>(
      `SELECT hour, ${rollupColumns} FROM rollups WHERE monitor = ? AND hour >= ? AND hour < ? ORDER BY hour`,
    ).raw(),
    upsertRollup: p<[number, number, ...BucketRow]>(
      `INSERT OR REPLACE INTO rollups (monitor, hour, ${rollupColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    uptimeRollups: p<[number, number, number], [number, number]>(
      `SELECT coalesce(sum(count), 0), coalesce(sum(up + degraded), 0) FROM rollups
       WHERE monitor = ? AND hour >= ? AND hour < ?`,
    ).raw(),
    getMeta: p<[string], number>('SELECT value FROM meta WHERE key = ?').pluck(),
    setMeta: p<[string, number]>('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
    countBlocksBefore: p<[number], number>('SELECT coalesce(sum(n), 0) FROM result_blocks WHERE hour < ?').pluck(),
    pruneBlocks: p<[number]>('DELETE FROM result_blocks WHERE hour < ?'),
    pruneRaw: p<[number, number]>('DELETE FROM results WHERE monitor = ? AND ts < ?'),
    pruneFailures: p<[number, number]>('DELETE FROM failures WHERE monitor = ? AND ts < ?'),
    pruneRollups: p<[number, number]>('DELETE FROM rollups WHERE monitor = ? AND hour < ?'),
    rawCount: p<[], number>(
      'SELECT (SELECT count(*) FROM results) + (SELECT coalesce(sum(n), 0) FROM result_blocks)',
    ).pluck(),
  };
}
