import { useEffect, useId, useState } from 'react';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceArea,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
  type DotItemDotProps,
} from 'recharts';
import { api } from '../../api/client';
import { formatMs } from '../../format';
import { ChartTable } from './ChartTable';
import { ChartTooltip } from './ChartTooltip';
import { chartData, thresholdFits, type ChartData, type ChartRow } from './chartData';
import { localTicks, tickLabel, type ChartRange } from './ranges';

interface Shown {
  range: ChartRange;
  from: number;
  to: number;
  data: ChartData;
}

/** A point with no neighbour on either side draws no line, so it gets a dot of its own. */
function IsolatedDot({ cx, cy, index, points }: DotItemDotProps) {
  const has = (i: number): boolean => {
    const p = points[i];
    return p !== undefined && p.value !== null && p.value !== undefined;
  };
  if (cx === undefined || cy === undefined || has(index - 1) || has(index + 1)) return <g />;
  return <circle className="lc-dot" cx={cx} cy={cy} r={2.5} />;
}

function summaryText({ range, data }: Shown, slowMs: number): string {
  const { summary: s, middle, failedBuckets } = data;
  if (s.checks === 0) return `No checks in the last ${range.label}.`;
  const incidents = data.spans.filter((x) => x.kind === 'incident').length;
  const parts = [
    s.lowMid === null
      ? 'no check passed'
      : `${middle} ${formatMs(s.lowMid)} to ${formatMs(s.highMid)}, highest p95 ${formatMs(s.highP95)}`,
    `slow threshold ${formatMs(slowMs)}`,
    failedBuckets === 0
      ? 'no failed checks'
      : `${failedBuckets} ${failedBuckets === 1 ? 'period' : 'periods'} with failed checks`,
  ];
  if (incidents > 0) parts.push(`${incidents} ${incidents === 1 ? 'incident' : 'incidents'}`);
  return `Last ${range.label}, ${s.checks} checks: ${parts.join('; ')}.`;
}

export function LatencyChart({
  monitorId,
  range,
  slowMs,
  refresh,
}: {
  monitorId: string;
  range: ChartRange;
  slowMs: number;
  /** Changes when a new result arrives, to redraw with it. */
  refresh: unknown;
}) {
  const [shown, setShown] = useState<Shown>();
  const [error, setError] = useState<string>();
  const [table, setTable] = useState(false);
  const tableId = useId();
  const summaryId = useId();

  useEffect(() => {
    let live = true;
    const to = Date.now();
    const from = to - range.spanMs;
    void Promise.all([
      api.invoke('series', monitorId, { from, to, bucketMs: range.bucketMs }),
      api.invoke('incidents', { monitorId, fromMs: from, toMs: to, limit: 500 }),
    ]).then(([series, incidents]) => {
      if (!live) return;
      if (!series.ok) return setError(series.error);
      setError(undefined);
      setShown({
        range,
        from,
        to,
        data: chartData(series.value, range.bucketMs, incidents.ok ? incidents.value : [], to),
      });
    });
    return () => {
      live = false;
    };
  }, [monitorId, range, refresh]);

  if (error) return <p className="field-error">Could not load the latency chart: {error}</p>;
  if (!shown) return <p className="lc-loading">Loading the latency chart…</p>;

  const { data } = shown;
  const start = Math.min(shown.from, data.rows[0]?.t ?? shown.from);
  const fits = thresholdFits(slowMs, data.summary.highP95);
  const summary = summaryText(shown, slowMs);
  const middleWord = data.middle === 'median' ? 'Median' : 'Mean';
  return (
    <>
      <figure
        className="latency"
        data-range={shown.range.id}
        aria-busy={shown.range.id !== range.id}
        aria-describedby={summaryId}
      >
        <div className="lc-chart">
          <ComposedChart
            responsive
            style={{ width: '100%', height: 280 }}
            data={data.rows}
            margin={{ top: 12, right: 16, bottom: 4, left: 4 }}
            title={`Latency over the last ${shown.range.label}`}
            desc={summary}
          >
            <CartesianGrid className="lc-grid" vertical={false} />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={[start, shown.to]}
              ticks={localTicks(shown.range, start, shown.to)}
              tickFormatter={(t: number) => tickLabel(shown.range, t)}
              allowDataOverflow
            />
            <YAxis width={64} domain={[0, 'auto']} tickFormatter={(v: number) => formatMs(v)} />
            {data.spans.map((s) => (
              <ReferenceArea
                key={`${s.kind}-${s.x1}`}
                className={`lc-span lc-${s.kind}`}
                x1={s.x1}
                x2={s.x2}
                ifOverflow="hidden"
              />
            ))}
            <Area
              dataKey="band"
              name="Fastest to p95"
              className="lc-band"
              isAnimationActive={false}
              activeDot={false}
            />
            <Line dataKey="mid" name={middleWord} className="lc-mid" dot={IsolatedDot} isAnimationActive={false} />
            {fits && (
              <ReferenceLine
                y={slowMs}
                className="lc-slow"
                ifOverflow="extendDomain"
                label={{ value: `slow ${formatMs(slowMs)}`, position: 'insideTopRight', className: 'lc-slow-label' }}
              />
            )}
            <Tooltip
              content={({ active, payload }) => (
                <ChartTooltip active={active} payload={payload} bucketMs={shown.range.bucketMs} middle={data.middle} />
              )}
              isAnimationActive={false}
            />
          </ComposedChart>
        </div>
        <figcaption>
          <ul className="lc-legend" aria-label="Key">
            <li>
              <span className="lc-key lc-key-mid" aria-hidden="true" /> {middleWord} per{' '}
              {formatPeriod(shown.range.bucketMs)}
            </li>
            <li>
              <span className="lc-key lc-key-band" aria-hidden="true" /> Fastest to p95
            </li>
            <li>
              <span className="lc-key lc-key-slow" aria-hidden="true" /> Slow threshold ({formatMs(slowMs)})
              {!fits && ': far above this range, not drawn'}
            </li>
            <li>
              <span className="lc-key lc-key-failed" aria-hidden="true" /> Shaded: failed checks or an incident
            </li>
          </ul>
          <p id={summaryId} className="lc-summary">
            {summary}
          </p>
        </figcaption>
      </figure>
      <button type="button" aria-expanded={table} aria-controls={tableId} onClick={() => setTable(!table)}>
        {table ? 'Hide the table' : 'Show as table'}
      </button>
      {table && (
        <ChartTable
          id={tableId}
          rows={data.rows as ChartRow[]}
          bucketMs={shown.range.bucketMs}
          middle={data.middle}
          caption={`Latency over the last ${shown.range.label}, per ${formatPeriod(shown.range.bucketMs)}`}
        />
      )}
    </>
  );
}

function formatPeriod(ms: number): string {
  const min = ms / 60_000;
  if (min < 60) return min === 1 ? 'minute' : `${min} minutes`;
  const h = min / 60;
  return h === 1 ? 'hour' : `${h} hours`;
}
