import { useMemo, useState, type FormEvent, type Ref } from 'react';
import type { DiscoveredPort, DiscoveryProposal, DiscoveryStatus, MonitorView } from '../../../../shared/api';
import { TIERS } from '../../../../shared/catalog';
import { api } from '../../api/client';
import { useStore } from '../../store';
import { quietSummary } from './DiscoverJob';
import { serviceName } from './DiscoverProgress';

type Proposed = DiscoveryProposal['monitor'];

/** A saved monitor already checks this: same host, port and check. */
const watches = (v: MonitorView, p: Proposed): boolean =>
  v.monitor.host.toLowerCase() === p.host.toLowerCase() &&
  v.monitor.port === p.port &&
  v.monitor.kind === p.kind &&
  (v.monitor.check ?? '') === (p.check ?? '');

/** How the monitor checks, in words: "redis check", "HTTP GET http://db1:8080/", "TCP connect". */
function checkWords(m: Proposed): string {
  const unverified = m.insecure ? ', certificate not verified' : '';
  if (m.kind === 'service') return `${m.check ?? ''} check${m.implicitTls ? ' over TLS' : ''}${unverified}`;
  if (m.kind === 'http') return `HTTP GET ${m.url ?? ''}${unverified}`;
  return m.kind === 'tls' ? `TLS handshake${unverified}` : 'TCP connect';
}

const tierWords = (m: Proposed): string => {
  const tier = m.tier ?? 2;
  return `Tier ${tier} (${TIERS[tier].label})`;
};

const list = (names: string[]): string =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;

interface Outcome {
  added: string[];
  failed: { name: string; error: string }[];
}

interface Props {
  status: DiscoveryStatus;
  results: readonly DiscoveredPort[];
  headingRef: Ref<HTMLHeadingElement>;
}

/** What a finished discovery proposes, as a checklist; the ones ticked are added as monitors. */
export function DiscoverProposals({ status, results, headingRef }: Props) {
  const monitors = useStore((s) => s.monitors);
  const [unticked, setUnticked] = useState<ReadonlySet<number>>(new Set());
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();

  const rows = useMemo(
    () =>
      status.proposals.map((p) => ({
        proposal: p,
        port: p.monitor.port,
        watched: Object.values(monitors).some((v) => watches(v, p.monitor)),
        result: results.find((r) => r.port === p.monitor.port),
      })),
    [status.proposals, monitors, results],
  );
  const chosen = rows.filter((r) => !r.watched && !unticked.has(r.port));
  const watchedCount = rows.filter((r) => r.watched).length;
  const open = results.filter((r) => r.state === 'open').length;
  const quiet = quietSummary(results);
  const quietPorts = results.filter((r) => r.state !== 'open').sort((a, b) => a.port - b.port);

  const tick = (port: number, on: boolean): void => {
    const next = new Set(unticked);
    if (on) next.delete(port);
    else next.add(port);
    setUnticked(next);
  };

  const add = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setOutcome(undefined);
    const result: Outcome = { added: [], failed: [] };
    // One at a time, so each failure is reported against its own monitor.
    for (const { proposal } of chosen) {
      const r = await api.invoke('monitors.add', proposal.monitor);
      if (r.ok) result.added.push(proposal.monitor.name);
      else result.failed.push({ name: proposal.monitor.name, error: r.error });
    }
    await useStore.getState().load();
    setBusy(false);
    setOutcome(result);
    // The button was disabled under the pointer or the keyboard: give focus a place to stay.
    if (document.activeElement === document.body) document.getElementById('discover-proposals-title')?.focus();
  };

  const title = status.state === 'cancelled' ? 'Proposed from the ports scanned' : 'Proposed monitors';
  return (
    <section aria-labelledby="discover-proposals-title" className="discover-proposals">
      <h4 id="discover-proposals-title" tabIndex={-1} ref={headingRef}>
        {title} for {status.host}
      </h4>
      <p>
        {status.state === 'cancelled'
          ? `Cancelled after ${status.scanned} of ${status.total} ${status.total === 1 ? 'port' : 'ports'}. `
          : ''}
        {open} open{quiet ? `, ${quiet}` : ''}.{watchedCount > 0 && ` ${watchedCount} already watched.`}
      </p>
      {rows.length === 0 ? (
        <p>No open port, so no monitor to propose.</p>
      ) : (
        <form noValidate onSubmit={(e) => void add(e)}>
          <div className="inventory-scroll">
            <table className="discover-table">
              <caption className="visually-hidden">
                Monitors proposed for the open ports of {status.host}: tick the ones to add
              </caption>
              <thead>
                <tr>
                  <th scope="col">Monitor</th>
                  <th scope="col">Service</th>
                  <th scope="col">Port</th>
                  <th scope="col">Check</th>
                  <th scope="col">Tier</th>
                  <th scope="col">Exposure</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ proposal: p, port, watched, result }) => (
                  <tr key={port}>
                    <th scope="row">
                      <span className="discover-pick">
                        <input
                          id={`discover-pick-${port}`}
                          type="checkbox"
                          checked={!watched && !unticked.has(port)}
                          disabled={watched || busy}
                          aria-describedby={watched ? `discover-watched-${port}` : undefined}
                          onChange={(e) => tick(port, e.target.checked)}
                        />
                        <label htmlFor={`discover-pick-${port}`}>{p.monitor.name}</label>
                      </span>
                      {watched && (
                        <span id={`discover-watched-${port}`} className="cell-sub">
                          already watched
                        </span>
                      )}
                      {p.note && <span className="cell-sub">Note: {p.note}</span>}
                    </th>
                    <td>
                      {serviceName({ service: p.monitor.service })}
                      {result?.detail && <span className="cell-sub discover-detail">{result.detail}</span>}
                    </td>
                    <td>{port}</td>
                    <td>{checkWords(p.monitor)}</td>
                    <td>{tierWords(p.monitor)}</td>
                    <td className="cell-exposure">
                      {p.exposure === 'external' ? 'External' : 'Internal'}
                      {p.finding && (
                        <span className="inventory-warning">
                          <strong>
                            <span aria-hidden="true">⚠ </span>Exposure warning:
                          </strong>{' '}
                          {p.finding}
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="editor-actions">
            {watchedCount === rows.length ? (
              <p>Every proposed monitor is already watched.</p>
            ) : (
              <button type="submit" className="primary" disabled={busy || chosen.length === 0}>
                {busy ? 'Adding…' : `Add ${chosen.length} ${chosen.length === 1 ? 'monitor' : 'monitors'}`}
              </button>
            )}
          </div>
        </form>
      )}
      <p role="status" className="add-outcome">
        {outcome &&
          outcome.added.length > 0 &&
          `Added ${outcome.added.length} ${outcome.added.length === 1 ? 'monitor' : 'monitors'}: ${list(outcome.added)}.`}
      </p>
      {outcome && outcome.failed.length > 0 && (
        <div role="alert" className="form-errors">
          <p>Not added:</p>
          <ul>
            {outcome.failed.map((f) => (
              <li key={f.name} className="field-error">
                {f.name}: {f.error}
              </li>
            ))}
          </ul>
        </div>
      )}
      {quietPorts.length > 0 && quietPorts.length <= 100 && (
        <details className="discover-quiet">
          <summary>Closed and filtered ports ({quiet})</summary>
          <ul>
            {quietPorts.map((r) => (
              <li key={r.port}>
                <strong>{r.port}</strong> {r.state}: {r.detail}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
