import type { TooltipContentProps } from 'recharts';
import { formatMs } from '../../format';
import type { ChartRow } from './chartData';
import { bucketLabel } from './ranges';

/** The figures of the bucket under the pointer; the table under the chart holds the same for keyboard and screen reader. */
export function ChartTooltip({
  active,
  payload,
  bucketMs,
  middle,
}: Pick<TooltipContentProps<number, string>, 'active' | 'payload'> & { bucketMs: number; middle: string }) {
  const row = payload?.[0]?.payload as ChartRow | undefined;
  if (!active || !row) return null;
  return (
    <div className="lc-tooltip">
      <p className="lc-tooltip-time">{bucketLabel(row.t, bucketMs)}</p>
      {row.count === 0 ? (
        <p>No checks</p>
      ) : (
        <dl>
          <dt>{middle === 'median' ? 'Median' : 'Mean'}</dt>
          <dd>{formatMs(row.mid)}</dd>
          <dt>p95</dt>
          <dd>{formatMs(row.p95)}</dd>
          <dt>Fastest – slowest</dt>
          <dd>
            {formatMs(row.min)} – {formatMs(row.max)}
          </dd>
          <dt>Checks</dt>
          <dd>
            {row.count}
            {row.failed > 0 && `, ${row.failed} failed`}
            {row.degraded > 0 && `, ${row.degraded} degraded`}
          </dd>
        </dl>
      )}
    </div>
  );
}
