// One monitor's row. It reads its own monitor from the store, so a state change re-renders that
// row alone, not the thousand around it.

import { memo, useState } from 'react';
import type { Monitor } from '../../../../shared/monitor';
import { api } from '../../api/client';
import { StatusBadge } from '../../components/StatusBadge';
import { formatPct } from '../../format';
import { href } from '../../router';
import { useStore } from '../../store';
import { failureText } from './failure';
import { serviceName, statusOf } from './model';
import { Sparkline } from './Sparkline';
import type { MonitorStats } from './useStats';

/** Every row's height in px, header rows too (the height in Overview.css). */
export const ROW_H = 48;

const address = (m: Monitor): string => `${m.host.includes(':') ? `[${m.host}]` : m.host}:${m.port}`;

interface Props {
  id: string;
  index: number;
  level: 1 | 2;
  pos: number;
  size: number;
  active: boolean;
  stats: MonitorStats | undefined;
}

export const MonitorRow = memo(function MonitorRow({ id, index, level, pos, size, active, stats }: Props) {
  const view = useStore((s) => s.monitors[id]);
  const [checkError, setCheckError] = useState<string>();
  if (!view) return null;
  const m = view.monitor;
  const failure = failureText(view.state);

  const check = async (): Promise<void> => {
    setCheckError(undefined);
    const r = await api.invoke('monitors.checkNow', id);
    if (!r.ok) setCheckError(r.error);
  };

  return (
    <div
      role="row"
      className="ov-row"
      aria-rowindex={index + 2}
      aria-level={level}
      aria-posinset={pos}
      aria-setsize={size}
      tabIndex={active ? 0 : -1}
      data-index={index}
      style={{ transform: `translateY(${index * ROW_H}px)` }}
    >
      <div role="gridcell" className="ov-cell-state">
        <StatusBadge status={statusOf(view)} />
        {view.state?.flapping && <span className="ov-flapping">flapping</span>}
      </div>
      <div role="gridcell" className="ov-clip">
        <a href={href.monitor(id)} tabIndex={-1}>
          {m.name}
        </a>
      </div>
      <div role="gridcell" className="ov-clip">
        {address(m)}
      </div>
      <div role="gridcell" className="ov-clip">
        {serviceName(m)}
      </div>
      <div role="gridcell">
        <Sparkline points={stats?.spark} />
      </div>
      <div role="gridcell">{formatPct(stats?.upPct)}</div>
      <div role="gridcell" className="ov-clip ov-why">
        {checkError ? <span role="alert">Check failed: {checkError}</span> : failure}
      </div>
      <div role="gridcell">
        <button type="button" tabIndex={-1} aria-label={`Check ${m.name} now`} onClick={() => void check()}>
          Check
        </button>
      </div>
    </div>
  );
});
