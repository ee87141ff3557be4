// Latency over 24 h as a few SVG strokes: a thousand of these must cost next to nothing, so no
// chart library; the figures a screen reader hears are in the label.

import { memo } from 'react';
import { formatMs } from '../../format';

const W = 80;
const H = 20;
const PAD = 2;

export function describeSpark(points: readonly (number | null)[]): string {
  const values = points.filter((p): p is number => p !== null).sort((a, b) => a - b);
  if (values.length === 0) return 'latency over 24 h: no successful checks';
  const mid = values.length >> 1;
  const median = values.length % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
  return `latency over 24 h: median ${formatMs(median)}, highest ${formatMs(values[values.length - 1])}`;
}

/** Gaps (hours with no passing check) break the line rather than being drawn as zero. */
function pathOf(points: readonly (number | null)[]): string {
  const values = points.filter((p): p is number => p !== null);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const step = points.length > 1 ? (W - 2 * PAD) / (points.length - 1) : 0;
  const y = (v: number): number => (hi === lo ? H / 2 : PAD + (H - 2 * PAD) * (1 - (v - lo) / (hi - lo)));
  let d = '';
  let pen = false;
  points.forEach((p, i) => {
    if (p === null) return void (pen = false);
    const x = (PAD + i * step).toFixed(1);
    d += `${pen ? 'L' : 'M'}${x} ${y(p).toFixed(1)}`;
    // A lone point (a monitor's first hour, or between gaps) still shows, as a small ring.
    if (!pen && points[i + 1] == null) d += 'm-1.5 0a1.5 1.5 0 1 0 3 0a1.5 1.5 0 1 0 -3 0';
    pen = true;
  });
  return d;
}

export const Sparkline = memo(function Sparkline({ points }: { points: readonly (number | null)[] | undefined }) {
  if (!points) {
    return (
      <span className="ov-muted">
        <span aria-hidden="true">–</span>
        <span className="visually-hidden">latency over 24 h: not loaded</span>
      </span>
    );
  }
  const label = describeSpark(points);
  const hasData = points.some((p) => p !== null);
  return (
    <svg className="ov-spark" role="img" aria-label={label} width={W} height={H} viewBox={`0 0 ${W} ${H}`}>
      {hasData ? (
        <path d={pathOf(points)} />
      ) : (
        <line x1={PAD} x2={W - PAD} y1={H / 2} y2={H / 2} className="ov-spark-none" />
      )}
    </svg>
  );
});
