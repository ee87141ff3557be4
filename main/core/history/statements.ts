// Every statement the history runs, prepared once when it opens.

import { PASSED_SQL } from './codec';
import type { Db, Statement } from './db';

export type RawRow = [ts: number, ms: number, code: number];
export type BucketRow = [
  count: number,
  up: number,
  degraded: number,
  down: number,
  min: number | null,
  mean: number | null,
  p95: number | null,
  max: number | null,
];
export type RollupRow = [hour: number, ...BucketRow];
export type RecentRow = [ts: number, ms: number, code: number, detail: string | null, diagnosis: string | null];

export type Statements = ReturnType<typeof statements>;

export function statements(db: Db) {
  const p = <P extends unknown[], R = unknown>(sql: string): Statement<P, R> => db.prepare<P, R>(sql);
  const rollupColumns = 'count, up, degraded, down, min_ms, mean_ms, p95_ms, max_ms';
  return {
    insertResult: p<[number, number, number, number]>(
      'INSERT OR REPLACE INTO results (monitor, ts, ms, code) VALUES (?, ?, ?, ?)',
    ),
    insertFailure: p<[number, number, string | null, string | null]>(
      'INSERT OR REPLACE INTO failures (monitor, ts, detail, diagnosis) VALUES (?, ?, ?, ?)',
    ),
    recent: p<[number, number], RecentRow>(
      `SELECT r.ts, r.ms, r.code, f.detail, f.diagnosis FROM results r
       LEFT JOIN failures f ON f.monitor = r.monitor AND f.ts = r.ts
       WHERE r.monitor = ? ORDER BY r.ts DESC LIMIT ?`,
    ).raw(),
    raw: p<[number, number, number], RawRow>(
      'SELECT ts, ms, code FROM results WHERE monitor = ? AND ts >= ? AND ts < ? ORDER BY ts',
    ).raw(),
    firstRaw: p<[number], number | null>('SELECT min(ts) FROM results WHERE monitor = ?').pluck(),
    rollups: p<[number, number, number], RollupRow>(
      `SELECT hour, ${rollupColumns} FROM rollups WHERE monitor = ? AND hour >= ? AND hour < ? ORDER BY hour`,
    ).raw(),
    upsertRollup: p<[number, number, ...BucketRow]>(
      `INSERT OR REPLACE INTO rollups (monitor, hour, ${rollupColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    uptimeRaw: p<[number, number, number], [number, number]>(
      `SELECT count(*), coalesce(sum(${PASSED_SQL}), 0) FROM results WHERE monitor = ? AND ts >= ? AND ts < ?`,
    ).raw(),
    uptimeRollups: p<[number, number, number], [number, number]>(
      `SELECT coalesce(sum(count), 0), coalesce(sum(up + degraded), 0) FROM rollups
       WHERE monitor = ? AND hour >= ? AND hour < ?`,
    ).raw(),
    getMeta: p<[string], number>('SELECT value FROM meta WHERE key = ?').pluck(),
    setMeta: p<[string, number]>('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
    pruneRaw: p<[number, number]>('DELETE FROM results WHERE monitor = ? AND ts < ?'),
    pruneFailures: p<[number, number]>('DELETE FROM failures WHERE monitor = ? AND ts < ?'),
    pruneRollups: p<[number, number]>('DELETE FROM rollups WHERE monitor = ? AND hour < ?'),
    rawCount: p<[], number>('SELECT count(*) FROM results').pluck(),
  };
}
