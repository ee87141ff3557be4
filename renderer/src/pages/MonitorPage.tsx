import { useEffect, useState } from 'react';
import type { MonitorView } from '../../../shared/api';
import { TIERS } from '../../../shared/catalog';
import { policyFor, type Monitor } from '../../../shared/monitor';
import { api } from '../api/client';
import { StatusBadge } from '../components/StatusBadge';
import { formatDuration, formatMs, formatTime } from '../format';
import { href } from '../router';
import { useStore } from '../store';
import { IncidentList } from './monitor/IncidentList';
import { LatencyChart } from './monitor/LatencyChart';
import { MonitorActions } from './monitor/MonitorActions';
import { RangePicker } from './monitor/RangePicker';
import { rangeById, type RangeId } from './monitor/ranges';
import { RecentResults } from './monitor/RecentResults';
import { UptimeSummary } from './monitor/UptimeSummary';
import './Monitor.css';

function BackLink() {
  return (
    <p className="monitor-back">
      <a href={href.overview}>Back to the overview</a>
    </p>
  );
}

function NoMonitor({ why }: { why: string }) {
  return (
    <section aria-labelledby="monitor-title">
      <h2 id="monitor-title">Monitor not found</h2>
      <p>{why}</p>
      <BackLink />
    </section>
  );
}

const target = (m: Monitor): string => (m.kind === 'http' && m.url ? m.url : `${m.host}:${m.port}`);

export function MonitorPage({ id }: { id: string | undefined }) {
  if (!id) return <NoMonitor why="No monitor was named in the address." />;
  // Keyed, so another monitor's page starts afresh rather than showing this one's figures.
  return <MonitorDetail key={id} id={id} />;
}

function MonitorDetail({ id }: { id: string }) {
  const [fetched, setFetched] = useState<MonitorView>();
  const [error, setError] = useState<string>();
  const [rangeId, setRangeId] = useState<RangeId>('24h');
  // The state as the engine pushes it, so the badge and the figures follow every check.
  const live = useStore((s) => s.monitors[id]);

  useEffect(() => {
    let current = true;
    void api.invoke('monitors.get', id).then((r) => {
      if (!current) return;
      if (r.ok) setFetched(r.value);
      else setError(r.error);
    });
    return () => {
      current = false;
    };
  }, [id]);

  if (error) return <NoMonitor why={error} />;
  if (!fetched) return <p>Loading the monitor…</p>;

  const monitor = fetched.monitor;
  const state = live?.state ?? fetched.state;
  const status = state?.status ?? 'unknown';
  const policy = policyFor(monitor);
  const refresh = `${state?.last?.at}:${status}`;
  const range = rangeById(rangeId);

  return (
    <section className="monitor-page" aria-labelledby="monitor-title">
      <BackLink />
      <header className="monitor-head">
        <div className="monitor-title-row">
          <h2 id="monitor-title">{monitor.name}</h2>
          <p className="monitor-state" aria-live="polite">
            <StatusBadge status={status} />
            {state && status !== 'unknown' && <span className="monitor-since"> since {formatTime(state.since)}</span>}
          </p>
        </div>
        <p className="monitor-target">
          {monitor.kind} · {target(monitor)} · tier {monitor.tier} ({TIERS[monitor.tier].label}) · every{' '}
          {formatDuration(policy.intervalMs)} · slow above {formatMs(policy.slowMs)}
        </p>
        {state?.last && state.last.outcome !== 'ok' && (
          <p className="monitor-diagnosis">
            <strong>Last check failed ({state.last.outcome}):</strong> {state.last.diagnosis}
          </p>
        )}
        <MonitorActions
          monitor={monitor}
          last={state?.last}
          onChanged={(m) => setFetched((v) => (v ? { ...v, monitor: m } : v))}
        />
      </header>

      <UptimeSummary monitorId={id} refresh={refresh} />

      <section className="latency-section" aria-labelledby="latency-title">
        <div className="latency-head">
          <h3 id="latency-title">Latency</h3>
          <RangePicker value={rangeId} onChange={setRangeId} />
        </div>
        <LatencyChart monitorId={id} range={range} slowMs={policy.slowMs} refresh={refresh} />
      </section>

      <IncidentList monitorId={id} refresh={refresh} />
      <RecentResults monitorId={id} refresh={refresh} />
    </section>
  );
}
