// Monitoring history: every check's result, hourly rollups of them, and incidents.

import { existsSync, statSync } from 'node:fs';
import { decodeCode, encodeCode, HOUR_S, toSeconds, toTenths } from './codec';
import type { Db } from './db';
import { Incidents, type Incident, type IncidentQuery, type NewIncident } from './incidents';
import { MonitorKeys } from './keys';
import { Overviews, type MonitorStats } from './overview';
import { countRaw, eachRaw, latestRaw, rawFrom } from './raw';
import { pruneOld, rollUp, type Retention } from './rollup';
import { statements, type BucketRow, type Statements } from './statements';
import { Aggregate, type BucketStats } from './stats';

export type { Incident, IncidentQuery, NewIncident } from './incidents';
export type { MonitorStats } from './overview';
export type { Retention } from './rollup';

// Plain data the window shows too: defined once in the contract.
export type { SeriesPoint, StoredResult } from '../../../shared/api';
import type { SeriesPoint, StoredResult } from '../../../shared/api';

const HOUR_MS = HOUR_S * 1000;
const MAX_BUCKETS = 100_000;

const fromRow = (r: BucketRow): BucketStats => {
  const [count, up, degraded, down, min, mean, p50, p95, max] = r;
  return { count, up, degraded, down, min, mean, p50, p95, max };
};
const ms = (tenths: number | null): number | null => (tenths === null ? null : tenths / 10);

export class History {
  private readonly keys: MonitorKeys;
  private readonly book: Incidents;
  private readonly s: Statements;
  private readonly overviews: Overviews;

  constructor(
    /** The open database, for stores that keep their own tables in it (the alert outbox). */
    readonly db: Db,
    /** The database file, for the size of its write-ahead log; ':memory:' has none. */
    private readonly file: string,
  ) {
    this.keys = new MonitorKeys(db);
    this.book = new Incidents(db, this.keys);
    this.s = statements(db);
    this.overviews = new Overviews(db);
  }

  recordResult(r: StoredResult): void {
    this.recordResults([r]);
  }

  /**
   * Writes a batch in one transaction. Two results of one monitor in the same second share a
   * key, and the later one replaces the earlier (checks are at least seconds apart, so only a
   * manual check racing a scheduled one gets here; the last word is the freshest).
   */
  recordResults(rs: readonly StoredResult[]): void {
    if (rs.length === 0) return;
    // Encoded before the transaction, so a bad result writes nothing rather than half a batch.
    const rows = rs.map((r) => ({
      id: r.monitorId,
      ts: toSeconds(r.at),
      ms: toTenths(r.ms),
      code: encodeCode(r.outcome, r.phase, r.slow),
      texts: r.outcome !== 'ok' && (r.detail !== undefined || r.diagnosis !== undefined),
      detail: r.detail ?? null,
      diagnosis: r.diagnosis ?? null,
    }));
    const write = this.db.transaction(() => {
      for (const r of rows) {
        const key = this.keys.ensure(r.id);
        this.s.insertResult.run(key, r.ts, r.ms, r.code);
        // A passing result that replaces a failed one leaves its texts behind; they are never
        // read (texts are read for failed results only) and go with the next prune.
        if (r.texts) this.s.insertFailure.run(key, r.ts, r.detail, r.diagnosis);
      }
    });
    this.keys.writing(write);
  }

  /** The monitor's latest results, newest first. */
  recentResults(monitorId: string, limit: number): StoredResult[] {
    const key = this.keys.find(monitorId);
    if (key === undefined || limit <= 0) return [];
    return latestRaw(this.s, key, rawFrom(this.s), Math.floor(limit)).map(([ts, tenths, code]) => {
      const d = decodeCode(code);
      const r: StoredResult = {
        monitorId,
        at: ts * 1000,
        outcome: d.outcome,
        phase: d.phase,
        ms: tenths / 10,
        slow: d.slow,
      };
      if (d.outcome !== 'ok') {
        const [detail = null, diagnosis = null] = this.s.texts.get(key, ts) ?? [];
        if (detail !== null) r.detail = detail;
        if (diagnosis !== null) r.diagnosis = diagnosis;
      }
      return r;
    });
  }

  /**
   * Chart points, one per bucket. Buckets are aligned to multiples of `bucketMs` since the epoch
   * (UTC), so points stay put as the range slides; the first may start before `fromMs`, and
   * every bucket up to `toMs` is returned, empty ones included. Hours that still have raw results
   * are computed from them exactly; older hours come from rollups, counted whole in the bucket
   * where they start, and only when buckets are at least an hour long (a rolled-up hour cannot
   * be split). The p50 and p95 of a bucket that merges a rolled-up hour with more results are
   * estimates, see stats.ts.
   */
  series(monitorId: string, fromMs: number, toMs: number, bucketMs: number): SeriesPoint[] {
    if (!Number.isInteger(bucketMs) || bucketMs < 1000) {
      throw new RangeError(`bucketMs must be a whole number of ms, at least 1000; got ${bucketMs}`);
    }
    if (!(toMs > fromMs)) return [];
    const start = Math.floor(fromMs / bucketMs) * bucketMs;
    const n = Math.ceil((toMs - start) / bucketMs);
    if (n > MAX_BUCKETS) throw new RangeError(`${n} buckets asked for; at most ${MAX_BUCKETS}: use larger buckets`);
    const buckets = Array.from({ length: n }, () => new Aggregate());
    const at = (tMs: number): Aggregate => buckets[Math.floor((tMs - start) / bucketMs)] as Aggregate;

    const key = this.keys.find(monitorId);
    if (key !== undefined) {
      const fromS = Math.ceil(start / 1000);
      const toS = Math.ceil(toMs / 1000);
      const rawStart = rawFrom(this.s);
      eachRaw(this.s, key, Math.max(fromS, rawStart), toS, (ts, tenths, code) => at(ts * 1000).addRaw(code, tenths));
      if (bucketMs >= HOUR_MS) {
        for (const [hour, ...row] of this.s.rollups.all(key, fromS, Math.min(rawStart, toS))) {
          at(hour * 1000).addHour(fromRow(row));
        }
      }
    }
    return buckets.map((b, i) => {
      const s = b.stats();
      return {
        t: start + i * bucketMs,
        count: s.count,
        up: s.up,
        degraded: s.degraded,
        down: s.down,
        minMs: ms(s.min),
        meanMs: ms(s.mean),
        p50Ms: ms(s.p50),
        p95Ms: ms(s.p95),
        maxMs: ms(s.max),
      };
    });
  }

  /** Share of checks that passed (slow ones included) in [fromMs, toMs); rolled-up hours count where they start. */
  uptime(monitorId: string, fromMs: number, toMs: number): { checks: number; upPct: number | null } {
    const key = this.keys.find(monitorId);
    if (key === undefined || !(toMs > fromMs)) return { checks: 0, upPct: null };
    const fromS = Math.ceil(fromMs / 1000);
    const toS = Math.ceil(toMs / 1000);
    const rawStart = rawFrom(this.s);
    const [rawChecks, rawPassed] = countRaw(this.s, key, Math.max(fromS, rawStart), toS);
    const [oldChecks, oldPassed] = this.s.uptimeRollups.get(key, fromS, Math.min(rawStart, toS)) ?? [0, 0];
    const checks = rawChecks + oldChecks;
    return { checks, upPct: checks === 0 ? null : (100 * (rawPassed + oldPassed)) / checks };
  }

  /**
   * Checks, uptime and a sparkline of mean latency for every monitor with history (one with none
   * in the range too, with no checks), in a few queries whatever the number of monitors.
   * `fromMs` and `toMs` must be whole UTC hours, cut into `buckets` whole hours each. Figures
   * match uptime() of the same range and the means of series() in hourly buckets; a longer
   * bucket adds up rounded hourly means, so may differ from series() by a tenth of a millisecond.
   */
  overviewStats(fromMs: number, toMs: number, buckets: number): Record<string, MonitorStats> {
    return this.overviews.stats(rawFrom(this.s), fromMs, toMs, buckets);
  }

  /**
   * Packs and rolls up every hour that ends by `untilMs` and has results not packed yet, and
   * returns how many monitor-hours it wrote; idempotent (see rollup.ts). `untilMs` an hour ahead
   * of now packs the hour going on too.
   */
  rollup(untilMs: number): number {
    return rollUp(this.db, this.s, this.keys, untilMs);
  }

  /**
   * Drops raw results (and their failure texts) older than `rawDays` and rollups older than
   * `rollupDays`, each cut at a whole hour; incidents are kept. Hours about to lose their raw
   * rows are rolled up first, so pruning never loses what a chart of that time would show.
   */
  prune(nowMs: number, opts: Retention = {}): { raw: number; rollups: number } {
    return pruneOld(this.db, this.s, this.keys, nowMs, opts);
  }

  openIncident(i: NewIncident): number {
    return this.keys.writing(() => this.book.open(i));
  }

  closeIncident(monitorId: string, endedAt: number): void {
    this.book.close(monitorId, endedAt);
  }

  incidents(q: IncidentQuery = {}): Incident[] {
    return this.book.list(q);
  }

  openIncidents(): Incident[] {
    return this.book.openIncidents();
  }

  /** Deletes everything recorded about a monitor, incidents included. */
  forgetMonitor(monitorId: string): void {
    this.keys.forget(monitorId);
  }

  /**
   * Reads every block's count, so for benchmarks and diagnostics, not for a timer. `fileBytes`
   * includes the write-ahead log and `freeBytes`, the free pages SQLite fills before it grows.
   */
  stats(): { rawRows: number; fileBytes: number; freeBytes: number } {
    const rawRows = this.s.rawCount.get() ?? 0;
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    const wal = `${this.file}-wal`;
    const walBytes = this.file !== ':memory:' && existsSync(wal) ? statSync(wal).size : 0;
    return { rawRows, fileBytes: pages * pageSize + walBytes, freeBytes: free * pageSize };
  }

  /** 'ok', or SQLite's list of what is damaged, one problem a line. */
  integrityCheck(): string {
    return (this.db.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join('\n');
  }

  /** Copies the write-ahead log into the database and empties it. */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  close(): void {
    if (!this.db.open) return;
    this.db.pragma('optimize');
    this.db.close();
  }
}
