import { describe, expect, it } from 'vitest';
import type { Incident } from '../../shared/api';
import { csvField, toCsv, toMarkdown } from '../../renderer/src/pages/review/export';
import {
  FLAPPING_INCIDENTS,
  WEEK_MS,
  buildReview,
  median,
  weekP95,
  type ReviewInput,
  type ReviewMonitor,
} from '../../renderer/src/pages/review/review';

// The weekly review's figures, from made-up history: what the page, the Markdown and the CSV say.

const MIN = 60_000;
const to = Date.UTC(2025, 2, 10, 12);
const from = to - WEEK_MS;

const mon = (id: string, name: string, port = 5432): ReviewMonitor => ({ id, name, host: '10.0.0.6', port, tier: 1 });

let nextId = 1;
const incident = (monitorId: string, startedAt: number, endedAt: number | null, diagnosis = 'refused'): Incident => ({
  id: nextId++,
  monitorId,
  startedAt,
  confirmedAt: startedAt + 30_000,
  endedAt,
  outcome: 'refused',
  phase: 'connect',
  diagnosis,
});

const input = (over: Partial<ReviewInput> = {}): ReviewInput => ({
  from,
  to,
  monitors: [mon('db', 'orders-db'), mon('cache', 'cache', 6379), mon('web', 'web', 443)],
  flappingNow: new Set(),
  incidents: [],
  uptime: {},
  p95Ms: {},
  ...over,
});

describe('the weekly review', () => {
  it('lists the incidents of the week, newest first, with their duration and time to recover', () => {
    const r = buildReview(
      input({
        incidents: [
          incident('db', from + 60 * MIN, from + 64 * MIN),
          incident('db', from + 2000 * MIN, from + 2010 * MIN),
          incident('cache', to - 5 * MIN, null),
        ],
      }),
    );
    expect(r.incidents.map((i) => [i.name, i.durationMs])).toEqual([
      ['cache', 5 * MIN],
      ['orders-db', 10 * MIN],
      ['orders-db', 4 * MIN],
    ]);
    expect(r.summary).toEqual({
      incidents: 3,
      ongoing: 1,
      monitorsAffected: 2,
      downtimeMs: 19 * MIN,
      meanRecoveryMs: 7 * MIN,
      medianRecoveryMs: 7 * MIN,
      longestMs: 10 * MIN,
    });
  });

  it('counts only the part of an incident inside the week as its downtime, and the whole as its duration', () => {
    const r = buildReview(input({ incidents: [incident('web', from - 30 * MIN, from + 10 * MIN)] }));
    expect(r.incidents[0]).toMatchObject({ durationMs: 40 * MIN, inWeekMs: 10 * MIN });
    expect(r.summary.downtimeMs).toBe(10 * MIN);
    expect(r.uptime.find((m) => m.monitorId === 'web')?.downtimeMs).toBe(10 * MIN);
  });

  it('leaves out incidents that ended before the week or started after it', () => {
    const r = buildReview(
      input({ incidents: [incident('db', from - 90 * MIN, from - 60 * MIN), incident('db', to + MIN, null)] }),
    );
    expect(r.incidents).toEqual([]);
    expect(r.summary.meanRecoveryMs).toBeNull();
    expect(r.summary.longestMs).toBeNull();
  });

  it('names an incident of a monitor that is gone by its id', () => {
    const r = buildReview(input({ incidents: [incident('old', from + MIN, from + 2 * MIN)] }));
    expect(r.incidents[0]?.name).toBe('old');
  });

  it('counts a monitor as flapping with many incidents or when flapping now, and ranks the noisiest', () => {
    const many = Array.from({ length: FLAPPING_INCIDENTS }, (_, i) =>
      incident('cache', from + i * 100 * MIN, from + i * 100 * MIN + MIN),
    );
    const r = buildReview(
      input({
        incidents: [...many, incident('db', from + 5000 * MIN, from + 5090 * MIN)],
        flappingNow: new Set(['web']),
      }),
    );
    expect(r.flapping.map((m) => m.name)).toEqual(['cache', 'web']);
    expect(r.noisiest.map((m) => [m.name, m.incidents])).toEqual([
      ['cache', 3],
      ['orders-db', 1],
    ]);
  });

  it('ranks the slowest by p95 and sorts uptime least available first, monitors without checks last', () => {
    const r = buildReview(
      input({
        uptime: {
          db: { checks: 100, upPct: 99.5 },
          cache: { checks: 100, upPct: 100 },
          web: { checks: 0, upPct: null },
        },
        p95Ms: { db: 12, cache: 1.5, web: null },
      }),
    );
    expect(r.slowest.map((m) => m.name)).toEqual(['orders-db', 'cache']);
    expect(r.uptime.map((m) => m.name)).toEqual(['orders-db', 'cache', 'web']);
  });

  it('takes the week p95 from its one bucket, or the worst if there are more', () => {
    expect(weekP95([{ count: 10, p95Ms: 20 }])).toBe(20);
    expect(
      weekP95([
        { count: 3, p95Ms: 20 },
        { count: 0, p95Ms: null },
        { count: 5, p95Ms: 31 },
      ]),
    ).toBe(31);
    expect(weekP95([{ count: 0, p95Ms: null }])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([])).toBeNull();
  });
});

describe('the weekly review as files', () => {
  const review = buildReview(
    input({
      monitors: [mon('db', 'orders|db'), mon('x', '=HYPERLINK("http://evil")', 80)],
      incidents: [incident('db', from + 60 * MIN, from + 64 * MIN, 'refused: nothing listens\non 5432')],
      uptime: { db: { checks: 2016, upPct: 99.8 } },
      p95Ms: { db: 4.2 },
    }),
  );

  it('writes Markdown with the incidents and uptime tables, cells escaped', () => {
    const md = toMarkdown(review);
    expect(md).toMatch(/^# Portwatch weekly review/);
    expect(md).toContain('## Incidents');
    expect(md).toContain('| orders\\|db |');
    expect(md).toContain('| 4 min |');
    expect(md).toContain('refused: nothing listens on 5432');
    expect(md).toContain('99.80%');
  });

  it('writes CSV with one row per monitor, quoted where needed and formulas defused', () => {
    const lines = toCsv(review).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'monitor,target,tier,checks,uptime_pct,p95_ms,incidents,downtime_s,flapping_now,week_from,week_to',
    );
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.startsWith('orders|db'))).toMatch(
      /^orders\|db,10\.0\.0\.6:5432,1,2016,99\.8,4\.2,1,240,no,/,
    );
    expect(lines.find((l) => l.includes('HYPERLINK'))).toMatch(/^"'=HYPERLINK\(""http:\/\/evil""\)",/);
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField(null)).toBe('');
    expect(csvField(-1)).toBe('-1');
  });
});
