// The chart's time ranges. Buckets keep every range at or under ~200 points; 7 and 30 days use
// whole hours or more, since older hours survive only as hourly rollups.

export type RangeId = '1h' | '24h' | '7d' | '30d';

export interface ChartRange {
  id: RangeId;
  label: string;
  spanMs: number;
  bucketMs: number;
  /** Axis tick spacing: minutes within a day, whole days beyond. */
  tick: { minutes: number } | { days: number };
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export const RANGES: readonly ChartRange[] = [
  { id: '1h', label: '1 hour', spanMs: HOUR, bucketMs: MIN, tick: { minutes: 10 } },
  { id: '24h', label: '24 hours', spanMs: DAY, bucketMs: 15 * MIN, tick: { minutes: 180 } },
  { id: '7d', label: '7 days', spanMs: 7 * DAY, bucketMs: HOUR, tick: { days: 1 } },
  { id: '30d', label: '30 days', spanMs: 30 * DAY, bucketMs: 4 * HOUR, tick: { days: 5 } },
];

export const rangeById = (id: RangeId): ChartRange => RANGES.find((r) => r.id === id) ?? (RANGES[1] as ChartRange);

/** Tick positions at round local times (the user's clock, not UTC) between `from` and `to`. */
export function localTicks(range: ChartRange, from: number, to: number): number[] {
  const d = new Date(from);
  const ticks: number[] = [];
  if ('minutes' in range.tick) {
    const step = range.tick.minutes;
    const minuteOfDay = d.getHours() * 60 + d.getMinutes() + (d.getSeconds() || d.getMilliseconds() ? 1 : 0);
    d.setHours(0, Math.ceil(minuteOfDay / step) * step, 0, 0);
    for (; d.getTime() <= to; d.setMinutes(d.getMinutes() + step)) ticks.push(d.getTime());
  } else {
    const step = range.tick.days;
    d.setHours(24, 0, 0, 0);
    for (; d.getTime() <= to; d.setDate(d.getDate() + step)) ticks.push(d.getTime());
  }
  return ticks;
}

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric' });
const monthDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function tickLabel(range: ChartRange, t: number): string {
  if (range.id === '1h' || range.id === '24h') return timeOfDay.format(t);
  return (range.id === '7d' ? weekday : monthDay).format(t);
}

/** "12 Mar 2025, 14:00 – 14:15": a bucket as a period of local time. */
export function bucketLabel(t: number, bucketMs: number): string {
  const end = t + bucketMs;
  const sameDay = new Date(t).toDateString() === new Date(end).toDateString();
  return `${full.format(t)} – ${sameDay ? timeOfDay.format(end) : full.format(end)}`;
}
