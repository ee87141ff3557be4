import { formatMs } from '../../format';
import type { ChartRow } from './chartData';
import { bucketLabel } from './ranges';

/** The chart's figures as a table: only periods that had checks, oldest first, as the chart reads. */
export function ChartTable({
  id,
  rows,
  bucketMs,
  middle,
  caption,
}: {
  id: string;
  rows: readonly ChartRow[];
  bucketMs: number;
  middle: 'median' | 'mean';
  caption: string;
}) {
  const checked = rows.filter((r) => r.count > 0);
  return (
    <div className="table-scroll" id={id}>
      <table className="lc-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            <th scope="col">{middle === 'median' ? 'Median' : 'Mean'}</th>
            <th scope="col">p95</th>
            <th scope="col">Fastest</th>
            <th scope="col">Slowest</th>
            <th scope="col">Checks</th>
            <th scope="col">Failed</th>
          </tr>
        </thead>
        <tbody>
          {checked.length === 0 && (
            <tr>
              <td colSpan={7}>No checks in this range.</td>
            </tr>
          )}
          {checked.map((r) => (
            <tr key={r.t}>
              <th scope="row">{bucketLabel(r.t, bucketMs)}</th>
              <td>{formatMs(r.mid)}</td>
              <td>{formatMs(r.p95)}</td>
              <td>{formatMs(r.min)}</td>
              <td>{formatMs(r.max)}</td>
              <td>{r.count}</td>
              <td>{r.failed}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
