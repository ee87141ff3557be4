import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { OUTCOMES, PHASES } from '../../shared/probe';
import { openHistory, type History, type SeriesPoint, type StoredResult } from '../../main/core/history/db';
import { MIGRATIONS, SCHEMA_VERSION } from '../../main/core/history/migrations';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** A Monday, midnight UTC: whole hours and days line up with bucket boundaries. */
const T0 = Date.UTC(2026, 0, 5);

const dir = mkdtempSync(join(tmpdir(), 'portwatch-history-'));
let files = 0;
const freshFile = (): string => join(dir, `history-${files++}.sqlite`);

const opened: History[] = [];
function open(file: string): History {
  const h = openHistory(file);
  opened.push(h);
  return h;
}

afterEach(() => {
  for (const h of opened.splice(0)) h.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** SQLite's file header keeps the journal mode at bytes 18-19 and user_version at 60-63. */
const header = (file: string): Buffer => readFileSync(file).subarray(0, 100);
function setUserVersion(file: string, v: number): void {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v);
  const fd = openSync(file, 'r+');
  writeSync(fd, b, 0, 4, 60);
  closeSync(fd);
}

const ok = (monitorId: string, at: number, ms: number, slow = false): StoredResult => ({
  monitorId,
  at,
  outcome: 'ok',
  phase: 'connect',
  ms,
  slow,
});
const down = (monitorId: string, at: number, ms = 5000): StoredResult => ({
  monitorId,
  at,
  outcome: 'timeout',
  phase: 'connect',
  ms,
  slow: false,
  detail: 'no answer within 5000 ms',
  diagnosis: 'Nothing answered: a firewall may be dropping the packets.',
});

/** Deterministic pseudo-random numbers, so failures reproduce. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A day of one-minute checks: a skewed latency spread, a bad 13:00 hour, a timeout every 97 minutes. */
function day(monitorId: string, start = T0): StoredResult[] {
  const rnd = lcg(7);
  const out: StoredResult[] = [];
  for (let m = 0; m < 1440; m++) {
    const at = start + m * MIN + 7000;
    if (m % 97 === 5) {
      out.push(down(monitorId, at));
      continue;
    }
    const base = Math.floor(m / 60) === 13 ? 200 : 20;
    const ms = Math.round((base + 40 * rnd() ** 3) * 100) / 100;
    out.push(ok(monitorId, at, ms, ms > 150));
  }
  return out;
}

describe('history database', () => {
  it('creates the schema by migration once, and reopening does not run it again', () => {
    const file = freshFile();
    const h = open(file);
    h.recordResult(ok('a', T0, 12.5));
    h.close();
    expect(header(file).readUInt32BE(60)).toBe(SCHEMA_VERSION);

    // The steps are plain CREATE TABLE: running one twice would throw "already exists".
    const again = open(file);
    expect(again.recentResults('a', 10)).toHaveLength(1);
    again.close();
    expect(header(file).readUInt32BE(60)).toBe(SCHEMA_VERSION);
  });

  it('refuses a database written by a newer version, naming the file and both versions', () => {
    const file = freshFile();
    open(file).close();
    setUserVersion(file, SCHEMA_VERSION + 1);
    const attempt = (): History => openHistory(file);
    expect(attempt).toThrow(file);
    expect(attempt).toThrow(`schema version ${SCHEMA_VERSION + 1}, newer than this version of Portwatch knows`);
    expect(attempt).toThrow(`(${SCHEMA_VERSION})`);
    expect(header(file).readUInt32BE(60)).toBe(SCHEMA_VERSION + 1);
  });

  it('keeps the file in WAL mode', () => {
    const file = freshFile();
    const h = open(file);
    h.recordResult(ok('a', T0, 1));
    expect(existsSync(`${file}-wal`)).toBe(true);
    h.checkpoint();
    expect(header(file)[18]).toBe(2);
    expect(header(file)[19]).toBe(2);
  });

  it('moves a version-2 file to the current schema, keeping its rows; old hours give their mean as median', () => {
    const file = freshFile();
    const v2 = new Database(file);
    for (const m of MIGRATIONS.filter((step) => step.version <= 2)) v2.exec(m.sql);
    v2.pragma('user_version = 2');
    v2.exec(`
      INSERT INTO monitor_keys (id) VALUES ('a');
      INSERT INTO rollups (monitor, hour, count, up, degraded, down, min_ms, mean_ms, p95_ms, max_ms)
        VALUES (1, ${T0 / 1000}, 60, 58, 1, 1, 100, 200, 400, 900);
      INSERT INTO results (monitor, ts, ms, code) VALUES (1, ${(T0 + HOUR) / 1000}, 125, 0);
      -- The rolled-up hour's raw results were pruned: its rollup alone answers for it.
      INSERT INTO meta (key, value) VALUES ('raw_from', ${(T0 + HOUR) / 1000});
      INSERT INTO outbox (alert_id, channel, alert, created_at, next_attempt_at) VALUES ('x', 'mail', '{}', 1, 1);
    `);
    v2.close();

    const h = open(file);
    expect(h.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const columns = h.db.prepare<[string], string>('SELECT name FROM pragma_table_info(?)').pluck();
    expect(columns.all('rollups')).toContain('p50_ms');
    expect(h.series('a', T0, T0 + 2 * HOUR, HOUR)).toEqual([
      { t: T0, count: 60, up: 58, degraded: 1, down: 1, minMs: 10, meanMs: 20, p50Ms: 20, p95Ms: 40, maxMs: 90 },
      {
        t: T0 + HOUR,
        count: 1,
        up: 1,
        degraded: 0,
        down: 0,
        minMs: 12.5,
        meanMs: 12.5,
        p50Ms: 12.5,
        p95Ms: 12.5,
        maxMs: 12.5,
      },
    ]);
    expect(h.recentResults('a', 10)).toEqual([expect.objectContaining({ at: T0 + HOUR, outcome: 'ok', ms: 12.5 })]);
    expect(h.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(1);
  });
});

describe('results', () => {
  it('round-trip outcome, phase, slow, latency to 0.1 ms and failure texts, newest first', () => {
    const h = open(freshFile());
    h.recordResults([
      ok('a', T0 + 1000, 12.34),
      ok('a', T0 + 2000, 1234.56, true),
      { ...down('a', T0 + 3000, 4999.99), outcome: 'refused', phase: 'connect' },
      // Texts of a passing check are not kept.
      { ...ok('a', T0 + 4000, 0), phase: 'body', detail: 'HTTP 200', diagnosis: 'fine' },
      ok('b', T0 + 1000, 99),
    ]);
    expect(h.recentResults('a', 10)).toEqual([
      { monitorId: 'a', at: T0 + 4000, outcome: 'ok', phase: 'body', ms: 0, slow: false },
      {
        monitorId: 'a',
        at: T0 + 3000,
        outcome: 'refused',
        phase: 'connect',
        ms: 5000,
        slow: false,
        detail: 'no answer within 5000 ms',
        diagnosis: 'Nothing answered: a firewall may be dropping the packets.',
      },
      { monitorId: 'a', at: T0 + 2000, outcome: 'ok', phase: 'connect', ms: 1234.6, slow: true },
      { monitorId: 'a', at: T0 + 1000, outcome: 'ok', phase: 'connect', ms: 12.3, slow: false },
    ]);
    expect(h.recentResults('a', 2).map((r) => r.at)).toEqual([T0 + 4000, T0 + 3000]);
    expect(h.recentResults('nobody', 10)).toEqual([]);
  });

  it('round-trips every outcome and phase, slow or not', () => {
    const h = open(freshFile());
    const all: StoredResult[] = [];
    for (const outcome of OUTCOMES) {
      for (const phase of PHASES) {
        for (const slow of [false, true]) {
          all.push({ monitorId: 'a', at: T0 + all.length * 1000, outcome, phase, ms: all.length, slow });
        }
      }
    }
    h.recordResults(all);
    expect(h.recentResults('a', 1000).reverse()).toEqual(all);

    // Packed, the same; with the last second of an hour, the first of the next, and a latency
    // past 32 bits of tenths.
    all.push(ok('a', T0 + HOUR - 1000, 2 ** 40), ok('a', T0 + HOUR, 0));
    h.recordResults(all.slice(-2));
    expect(h.rollup(T0 + 2 * HOUR)).toBe(2);
    expect(h.recentResults('a', 1000).reverse()).toEqual(all);
  });

  it('keeps one result per monitor and second, the last written', () => {
    const h = open(freshFile());
    h.recordResults([down('a', T0 + 100), ok('a', T0 + 900, 5)]);
    expect(h.recentResults('a', 10)).toEqual([ok('a', T0, 5)]);
  });

  it('files results under a fresh key after another connection forgot the monitor', () => {
    const file = freshFile();
    const app = open(file);
    const cli = open(file);
    app.recordResult(ok('a', T0, 1));
    cli.forgetMonitor('a');
    // The app still caches the forgotten key; the write must neither fail nor land nowhere.
    app.recordResult(ok('a', T0 + MIN, 2));
    expect(cli.recentResults('a', 10)).toEqual([ok('a', T0 + MIN, 2)]);
  });

  it('writes nothing from a batch that holds an invalid result', () => {
    const h = open(freshFile());
    const bad = { ...ok('a', T0 + 1000, 1), outcome: 'exploded' } as unknown as StoredResult;
    expect(() => h.recordResults([ok('a', T0, 1), bad])).toThrow('unknown outcome "exploded"');
    expect(h.recentResults('a', 10)).toEqual([]);
  });
});

describe('series and uptime', () => {
  it('buckets raw results with exact counts and latency figures of the passing checks', () => {
    const h = open(freshFile());
    // 10-minute buckets. First: ten passing checks of 10..100 ms, the 100 ms one slow.
    // Second: two failures and one 7 ms pass. Third: nothing.
    const rs: StoredResult[] = [];
    for (let i = 0; i < 10; i++) rs.push(ok('a', T0 + i * MIN, (i + 1) * 10, i === 9));
    rs.push(down('a', T0 + 10 * MIN), down('a', T0 + 11 * MIN), ok('a', T0 + 12 * MIN, 7));
    h.recordResults(rs);

    const points = h.series('a', T0 + 5 * MIN, T0 + 30 * MIN, 10 * MIN);
    expect(points).toEqual<SeriesPoint[]>([
      { t: T0, count: 10, up: 9, degraded: 1, down: 0, minMs: 10, meanMs: 55, p50Ms: 50, p95Ms: 100, maxMs: 100 },
      { t: T0 + 10 * MIN, count: 3, up: 1, degraded: 0, down: 2, minMs: 7, meanMs: 7, p50Ms: 7, p95Ms: 7, maxMs: 7 },
      {
        t: T0 + 20 * MIN,
        count: 0,
        up: 0,
        degraded: 0,
        down: 0,
        minMs: null,
        meanMs: null,
        p50Ms: null,
        p95Ms: null,
        maxMs: null,
      },
    ]);
    expect(h.series('nobody', T0, T0 + HOUR, HOUR)).toEqual([expect.objectContaining({ t: T0, count: 0 })]);
    expect(() => h.series('a', T0, T0 + HOUR, 10)).toThrow(RangeError);
  });

  it('gives the median of a known set of latencies, from raw results and from a rolled-up hour', () => {
    const h = open(freshFile());
    // Nine passes, two of them far out, and a failure whose time does not count: median 14 ms,
    // where the mean is dragged to 154.6 ms.
    const latencies = [12, 15, 11, 400, 13, 14, 10, 16, 900];
    h.recordResults([...latencies.map((v, i) => ok('a', T0 + i * MIN, v, v > 100)), down('a', T0 + 9 * MIN)]);
    const expected = {
      count: 10,
      up: 7,
      degraded: 2,
      down: 1,
      minMs: 10,
      meanMs: 154.6,
      p50Ms: 14,
      p95Ms: 900,
      maxMs: 900,
    };
    expect(h.series('a', T0, T0 + 10 * MIN, 10 * MIN)).toEqual([{ t: T0, ...expected }]);

    h.rollup(T0 + HOUR);
    // Raw results pruned: the hour's rollup alone answers.
    expect(h.prune(T0 + 15 * DAY).raw).toBe(10);
    expect(h.series('a', T0, T0 + HOUR, HOUR)).toEqual([{ t: T0, ...expected }]);
  });

  it('gives uptime with slow checks counted as up', () => {
    const h = open(freshFile());
    h.recordResults([
      ...Array.from({ length: 7 }, (_, i) => ok('a', T0 + i * MIN, 10)),
      ok('a', T0 + 7 * MIN, 900, true),
      down('a', T0 + 8 * MIN),
      down('a', T0 + 9 * MIN),
    ]);
    expect(h.uptime('a', T0, T0 + HOUR)).toEqual({ checks: 10, upPct: 80 });
    expect(h.uptime('a', T0 + 8 * MIN, T0 + HOUR)).toEqual({ checks: 2, upPct: 0 });
    expect(h.uptime('a', T0 + HOUR, T0 + 2 * HOUR)).toEqual({ checks: 0, upPct: null });
    expect(h.uptime('nobody', T0, T0 + HOUR)).toEqual({ checks: 0, upPct: null });
  });

  it('rolls up complete hours once, and series from rollups match the raw figures', () => {
    const h = open(freshFile());
    h.recordResults(day('r'));
    const hourlyRaw = h.series('r', T0, T0 + DAY, HOUR);
    const dailyRaw = h.series('r', T0, T0 + DAY, DAY);
    const uptimeRaw = h.uptime('r', T0, T0 + DAY);

    expect(h.rollup(T0 + DAY - 1)).toBe(23); // the last hour is not complete yet
    expect(h.rollup(T0 + DAY + 30 * MIN)).toBe(1);
    expect(h.rollup(T0 + DAY + 30 * MIN)).toBe(0);
    // The raw rows go; only the rollups are left to answer.
    expect(h.prune(T0 + 15 * DAY, { rawDays: 14 })).toEqual({ raw: 1440, rollups: 0 });
    expect(h.stats().rawRows).toBe(0);

    // A rolled-up hour keeps its exact figures, its p95 included.
    expect(h.series('r', T0, T0 + DAY, HOUR)).toEqual(hourlyRaw);
    expect(h.uptime('r', T0, T0 + DAY)).toEqual(uptimeRaw);

    const [daily] = h.series('r', T0, T0 + DAY, DAY);
    const [exact] = dailyRaw;
    expect(daily).toMatchObject({
      t: T0,
      count: exact?.count,
      up: exact?.up,
      degraded: exact?.degraded,
      down: exact?.down,
      minMs: exact?.minMs,
      maxMs: exact?.maxMs,
    });
    expect(daily?.meanMs).toBeCloseTo(exact?.meanMs ?? NaN, 1);
    // p95 of a day made of hours is estimated: within 5 % of the exact figure for this data.
    expect(Math.abs((daily?.p95Ms ?? 0) - (exact?.p95Ms ?? 0))).toBeLessThanOrEqual(0.05 * (exact?.p95Ms ?? 0));
    // So is the median, from the hours' medians: within 5 % too.
    expect(Math.abs((daily?.p50Ms ?? 0) - (exact?.p50Ms ?? 0))).toBeLessThanOrEqual(0.05 * (exact?.p50Ms ?? 0));
  });

  it('mixes rollups and raw rows in one bucket when only part of it was pruned', () => {
    const h = open(freshFile());
    h.recordResults(day('r'));
    const [exact] = h.series('r', T0, T0 + DAY, DAY);
    h.rollup(T0 + DAY);
    // Raw rows before noon go.
    expect(h.prune(T0 + 12 * HOUR + 14 * DAY).raw).toBeGreaterThan(600);
    const [mixed] = h.series('r', T0, T0 + DAY, DAY);
    expect(mixed).toMatchObject({ count: exact?.count, up: exact?.up, down: exact?.down, minMs: exact?.minMs });
    expect(mixed?.meanMs).toBeCloseTo(exact?.meanMs ?? NaN, 1);
    expect(Math.abs((mixed?.p95Ms ?? 0) - (exact?.p95Ms ?? 0))).toBeLessThanOrEqual(0.05 * (exact?.p95Ms ?? 0));
    // Buckets shorter than an hour cannot use rollups: the pruned morning shows empty.
    const morning = h.series('r', T0, T0 + HOUR, 10 * MIN);
    expect(morning.every((p) => p.count === 0)).toBe(true);
  });
});

/** How many rows each table holds, read beside the history through a connection of its own. */
function tableRows(file: string): { results: number; blocks: number; failures: number; rollups: number } {
  const db = new Database(file, { readonly: true });
  try {
    const count = (table: string): number => db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get() ?? 0;
    return {
      results: count('results'),
      blocks: count('result_blocks'),
      failures: count('failures'),
      rollups: count('rollups'),
    };
  } finally {
    db.close();
  }
}

describe('packed hours', () => {
  /** Everything the history answers about a monitor's day, to compare before and after packing. */
  const answers = (h: History, id: string, start = T0) => ({
    recent: h.recentResults(id, 5000),
    tenMinutes: h.series(id, start, start + DAY, 10 * MIN),
    hourly: h.series(id, start, start + DAY, HOUR),
    daily: h.series(id, start - HOUR, start + DAY + HOUR, DAY),
    uptime: h.uptime(id, start, start + DAY),
    // Edges inside hours: a packed hour is cut at the second.
    uptimePart: h.uptime(id, start + 97 * MIN + 7000, start + 13 * HOUR + 30 * MIN),
    seriesPart: h.series(id, start + 95 * MIN, start + 5 * HOUR + 5 * MIN, 7 * MIN),
  });

  it('read back exactly as before packing, failure texts included', () => {
    const file = freshFile();
    const h = open(file);
    h.recordResults([...day('r'), ...day('s', T0 + 30 * MIN)]);
    const before = answers(h, 'r');
    expect(before.recent.filter((r) => r.detail !== undefined).length).toBeGreaterThan(10);

    expect(h.rollup(T0 + DAY)).toBe(24 + 24);
    expect(tableRows(file)).toMatchObject({ results: 30, blocks: 48 });
    expect(answers(h, 'r')).toEqual(before);
    expect(h.stats().rawRows).toBe(2 * 1440);
    // Nothing new: nothing written.
    expect(h.rollup(T0 + DAY)).toBe(0);
    expect(h.rollup(T0 + DAY + HOUR)).toBe(1);
    expect(tableRows(file)).toMatchObject({ results: 0, blocks: 49 });
  });

  it('merges results that arrive after their hour was packed, and rolls the hour up again', () => {
    const file = freshFile();
    const h = open(file);
    const first = Array.from({ length: 30 }, (_, m) => ok('a', T0 + m * MIN, 10 + m));
    first[20] = down('a', T0 + 20 * MIN);
    h.recordResults(first);
    // An hour ahead packs the hour going on.
    expect(h.rollup(T0 + 30 * MIN + HOUR)).toBe(1);
    expect(tableRows(file)).toMatchObject({ results: 0, blocks: 1 });

    // The rest of the hour, and two seconds written again: a pass replaces a failure, a failure a pass.
    const late = Array.from({ length: 30 }, (_, m) => ok('a', T0 + (30 + m) * MIN, 100 + m));
    late.push(ok('a', T0 + 20 * MIN, 5), down('a', T0 + 10 * MIN));
    h.recordResults(late);
    const expected = [...first, ...late.slice(0, 30)];
    expected[20] = ok('a', T0 + 20 * MIN, 5);
    expected[10] = down('a', T0 + 10 * MIN);
    const merged = answers(h, 'a');
    expect(merged.recent).toEqual(expected.slice().reverse());
    expect(merged.uptime).toEqual({ checks: 60, upPct: (100 * 59) / 60 });
    expect(merged.hourly[0]).toMatchObject({ count: 60, down: 1, minMs: 5, maxMs: 129 });

    expect(h.rollup(T0 + HOUR)).toBe(1);
    expect(h.rollup(T0 + HOUR)).toBe(0);
    expect(tableRows(file)).toMatchObject({ results: 0, blocks: 1 });
    expect(answers(h, 'a')).toEqual(merged);

    // Once the raw results are pruned, the hour's rollup answers: it holds the merged figures.
    expect(h.prune(T0 + 14 * DAY + HOUR)).toEqual({ raw: 60, rollups: 0 });
    expect(h.recentResults('a', 100)).toEqual([]);
    expect(h.series('a', T0, T0 + DAY, HOUR)).toEqual(merged.hourly);
    expect(h.uptime('a', T0, T0 + DAY)).toEqual(merged.uptime);
  });

  it('prunes packed blocks and failure texts past retention, and ignores results that arrive for pruned hours', () => {
    const file = freshFile();
    const h = open(file);
    h.recordResults([...day('a'), ...day('a', T0 + DAY)]);
    expect(h.rollup(T0 + 2 * DAY)).toBe(48);
    const dayOne = answers(h, 'a');
    const failed = dayOne.recent.filter((r) => r.outcome !== 'ok' && r.at < T0 + DAY).length;
    expect(tableRows(file)).toEqual({ results: 0, blocks: 48, failures: 2 * failed, rollups: 48 });

    expect(h.prune(T0 + 15 * DAY)).toEqual({ raw: 1440, rollups: 0 });
    expect(tableRows(file)).toEqual({ results: 0, blocks: 24, failures: failed, rollups: 48 });
    expect(h.stats().rawRows).toBe(1440);
    expect(h.recentResults('a', 5000).every((r) => r.at >= T0 + DAY)).toBe(true);
    expect(h.series('a', T0, T0 + DAY, HOUR)).toEqual(dayOne.hourly);

    // A result for a pruned hour (a clock set back two weeks) must not replace its rollup.
    h.recordResult(ok('a', T0 + 5 * MIN, 1));
    expect(h.rollup(T0 + 15 * DAY)).toBe(0);
    expect(h.series('a', T0, T0 + DAY, HOUR)).toEqual(dayOne.hourly);
    expect(h.uptime('a', T0, T0 + DAY)).toEqual(dayOne.uptime);
    expect(h.prune(T0 + 15 * DAY)).toEqual({ raw: 1, rollups: 0 });
  });
});

describe('incidents', () => {
  it('open, close, list newest first and by range, and the open ones', () => {
    const h = open(freshFile());
    const base = { outcome: 'refused', phase: 'connect', diagnosis: 'nothing listens' } as const;
    const first = h.openIncident({ monitorId: 'a', startedAt: T0, confirmedAt: T0 + MIN, ...base });
    h.closeIncident('a', T0 + 10 * MIN);
    const second = h.openIncident({ monitorId: 'a', startedAt: T0 + HOUR, confirmedAt: T0 + HOUR + MIN, ...base });
    const other = h.openIncident({ monitorId: 'b', startedAt: T0 + 2 * HOUR, confirmedAt: T0 + 2 * HOUR, ...base });
    // Confirmed again while open (a restarted engine): the same incident goes on.
    expect(h.openIncident({ monitorId: 'a', startedAt: T0 + 3 * HOUR, confirmedAt: T0 + 3 * HOUR, ...base })).toBe(
      second,
    );

    expect(h.openIncidents().map((i) => i.id)).toEqual([other, second]);
    expect(h.incidents({ monitorId: 'a' })).toEqual([
      { id: second, monitorId: 'a', startedAt: T0 + HOUR, confirmedAt: T0 + HOUR + MIN, endedAt: null, ...base },
      { id: first, monitorId: 'a', startedAt: T0, confirmedAt: T0 + MIN, endedAt: T0 + 10 * MIN, ...base },
    ]);
    expect(h.incidents({}).map((i) => i.id)).toEqual([other, second, first]);
    expect(h.incidents({ limit: 1 }).map((i) => i.id)).toEqual([other]);
    // In a range: those going on at some point of it.
    expect(h.incidents({ fromMs: T0 + 20 * MIN, toMs: T0 + 2 * HOUR }).map((i) => i.id)).toEqual([second]);
    expect(h.incidents({ fromMs: T0 + 5 * MIN, toMs: T0 + 6 * MIN }).map((i) => i.id)).toEqual([first]);
    expect(h.incidents({ monitorId: 'nobody' })).toEqual([]);

    h.closeIncident('a', T0 + 4 * HOUR);
    h.closeIncident('a', T0 + 5 * HOUR); // nothing open: nothing changes
    h.closeIncident('nobody', T0);
    expect(h.openIncidents().map((i) => i.monitorId)).toEqual(['b']);
    expect(h.incidents({ monitorId: 'a' })[0]?.endedAt).toBe(T0 + 4 * HOUR);
  });
});

describe('retention', () => {
  it('prunes old raw results and their texts, keeps recent rollups and every incident', () => {
    const h = open(freshFile());
    h.recordResults([...day('a', T0), ...day('a', T0 + 20 * DAY)]);
    h.openIncident({
      monitorId: 'a',
      startedAt: T0 + HOUR,
      confirmedAt: T0 + HOUR,
      outcome: 'timeout',
      phase: 'connect',
      diagnosis: 'dropped',
    });
    h.closeIncident('a', T0 + 2 * HOUR);
    h.rollup(T0 + 21 * DAY);

    // 14 days before now falls between the two days: only the first day's raw rows are that old.
    const now = T0 + 34 * DAY;
    expect(h.prune(now)).toEqual({ raw: 1440, rollups: 0 });
    expect(h.stats().rawRows).toBe(1440);
    expect(h.recentResults('a', 5000).every((r) => r.at >= T0 + 20 * DAY)).toBe(true);
    expect(h.series('a', T0, T0 + DAY, DAY)[0]?.count).toBe(1440);
    expect(h.incidents({ monitorId: 'a' })).toHaveLength(1);

    // Rollups older than their own retention go too; the incident stays.
    expect(h.prune(now, { rawDays: 14, rollupDays: 30 })).toEqual({ raw: 0, rollups: 24 });
    expect(h.series('a', T0, T0 + DAY, DAY)[0]?.count).toBe(0);
    expect(h.series('a', T0 + 20 * DAY, T0 + 21 * DAY, DAY)[0]?.count).toBe(1440);
    expect(h.incidents({ monitorId: 'a' })).toHaveLength(1);
  });

  it('forgets a monitor entirely, and only that one', () => {
    const file = freshFile();
    const h = open(file);
    h.recordResults([...day('a'), ok('b', T0, 3)]);
    h.openIncident({
      monitorId: 'a',
      startedAt: T0,
      confirmedAt: T0,
      outcome: 'dns',
      phase: 'resolve',
      diagnosis: 'x',
    });
    h.rollup(T0 + DAY);
    expect(tableRows(file)).toMatchObject({ results: 0, blocks: 25 });
    h.forgetMonitor('a');
    expect(tableRows(file)).toMatchObject({ results: 0, blocks: 1 });
    expect(h.recentResults('a', 10)).toEqual([]);
    expect(h.series('a', T0, T0 + DAY, DAY)[0]?.count).toBe(0);
    expect(h.incidents({})).toEqual([]);
    expect(h.stats().rawRows).toBe(1);
    // The same id later starts a new history.
    h.recordResult(ok('a', T0 + 2 * DAY, 1));
    expect(h.recentResults('a', 10)).toHaveLength(1);
  });
});

describe('size and safety', () => {
  it('stores a raw result in at most 40 bytes on disk (200 monitors, one day of one-minute checks)', () => {
    const h = open(freshFile());
    const rnd = lcg(11);
    for (let m = 0; m < 1440; m++) {
      const batch: StoredResult[] = [];
      for (let k = 0; k < 200; k++) {
        // Monitors are spread over the minute, as the scheduler spreads them.
        const at = T0 + m * MIN + ((k * 300) % MIN);
        const r = rnd();
        if (r < 0.005) batch.push(down(`monitor-${k}`, at));
        else batch.push(ok(`monitor-${k}`, at, 5 + 195 * rnd(), r > 0.97));
      }
      h.recordResults(batch);
    }
    h.checkpoint();
    const { rawRows, fileBytes } = h.stats();
    expect(rawRows).toBe(288_000);
    expect(fileBytes / rawRows).toBeLessThanOrEqual(40);
  });

  it('keeps every committed batch and an intact file when the writer is killed mid-write', async () => {
    const file = freshFile();
    const h = open(file);
    h.recordResult(ok('crash', T0 - DAY, 1));
    h.close();

    // The child writes with the same pragmas as openHistory, straight through better-sqlite3
    // (a child cannot load the TypeScript), and reports each batch once it is committed.
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const script = join(dir, 'writer.mjs');
    writeFileSync(
      script,
      `import { createRequire } from 'node:module';
const Database = createRequire(import.meta.url)(${JSON.stringify(driver)});
const db = new Database(${JSON.stringify(file)}, { timeout: 5000 });
db.pragma('busy_timeout = 5000');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
const key = db.prepare('SELECT key FROM monitor_keys WHERE id = ?').pluck().get('crash');
const insert = db.prepare('INSERT INTO results (monitor, ts, ms, code) VALUES (?, ?, ?, ?)');
const batch = db.transaction((from) => {
  for (let i = 0; i < 100; i++) insert.run(key, from + i, 100 + i, 2);
});
for (let b = 0; ; b++) {
  batch(${T0 / 1000} + b * 100);
  process.stdout.write((b + 1) * 100 + '\\n');
}
`,
    );
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let committed = 0;
    try {
      for await (const line of createInterface({ input: child.stdout })) {
        committed = Number(line);
        if (committed >= 20_000) break;
      }
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    expect(child.signalCode).toBe('SIGKILL');

    const after = open(file);
    expect(after.integrityCheck()).toBe('ok');
    const { rawRows } = after.stats();
    expect(rawRows - 1).toBeGreaterThanOrEqual(committed);
    // Batches are whole or absent: never part of one.
    expect((rawRows - 1) % 100).toBe(0);
    expect(after.uptime('crash', T0, T0 + committed * 1000)).toEqual({ checks: committed, upPct: 0 });
  });
});
