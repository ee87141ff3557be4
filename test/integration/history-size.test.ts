import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openHistory, type StoredResult } from '../../main/core/history/db';

const MIN = 60_000;
const HOUR = 3_600_000;
/** A Monday, midnight UTC. */
const T0 = Date.UTC(2026, 0, 5);
const MONITORS = 1000;
const HOURS = 3;

const dir = mkdtempSync(join(tmpdir(), 'portwatch-history-size-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Deterministic pseudo-random numbers, so failures reproduce. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

// The engine's write pattern: every monitor checked each minute, spread over the minute, each
// result committed on its own as it arrives, so consecutive commits land under different
// monitors. That pattern, not batches per monitor, is what leaves raw rows on half-empty pages.
it('stores a raw result in at most 40 bytes on disk under the engine write pattern', () => {
  const h = openHistory(join(dir, 'history.sqlite'));
  try {
    const rnd = lcg(11);
    for (let m = 0; m < HOURS * 60; m++) {
      // The hourly job, as housekeeping runs it, once the clock passes an hour.
      if (m > 0 && m % 60 === 0) h.rollup(T0 + m * MIN);
      for (let k = 0; k < MONITORS; k++) {
        const at = T0 + m * MIN + ((k * 60) % MIN);
        const r = rnd();
        const result: StoredResult =
          r < 0.005
            ? {
                monitorId: `monitor-${k}`,
                at,
                outcome: 'timeout',
                phase: 'connect',
                ms: 5000,
                slow: false,
                detail: 'no answer within 5000 ms',
                diagnosis: 'Nothing answered: a firewall may be dropping the packets.',
              }
            : { monitorId: `monitor-${k}`, at, outcome: 'ok', phase: 'connect', ms: 5 + 195 * rnd(), slow: r > 0.97 };
        h.recordResult(result);
      }
    }
    const unpacked = h.stats();
    expect(h.rollup(T0 + HOURS * HOUR)).toBe(MONITORS);
    h.checkpoint();
    const { rawRows, fileBytes, freeBytes } = h.stats();
    expect(rawRows).toBe(MONITORS * HOURS * 60);
    expect(h.uptime('monitor-7', T0, T0 + HOURS * HOUR).checks).toBe(HOURS * 60);
    const used = (fileBytes - freeBytes) / rawRows;
    console.log(
      `history size: ${used.toFixed(2)} bytes per raw result used, ${(fileBytes / rawRows).toFixed(2)} whole file ` +
        `(${rawRows} results, ${fileBytes} bytes, ${freeBytes} free; before the last pack ` +
        `${((unpacked.fileBytes - unpacked.freeBytes) / unpacked.rawRows).toFixed(1)} used)`,
    );
    expect(used).toBeLessThanOrEqual(40);

    // Rollups outlive raw results by a year, so their row size is the long-run cost of history.
    const [rollupRows, rollupPayload, rollupPages] = h.db
      .prepare<[], [number, number, number]>(
        `SELECT (SELECT count(*) FROM rollups), sum(payload), sum(pgsize) FROM dbstat WHERE name = 'rollups'`,
      )
      .raw()
      .get() ?? [0, 0, 0];
    console.log(
      `rollups: ${rollupRows} rows, ${(rollupPayload / rollupRows).toFixed(2)} bytes of payload a row, ` +
        `${(rollupPages / rollupRows).toFixed(2)} on pages`,
    );
    expect(rollupRows).toBe(MONITORS * HOURS);
  } finally {
    h.close();
  }
});
