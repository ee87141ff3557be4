import type { Ref } from 'react';
import { serviceById } from '../../../../shared/catalog';
import type { DiscoveredPort, DiscoveryStatus } from '../../../../shared/api';
import { quietSummary } from './DiscoverJob';

/** "Redis", or "unidentified" for an open port no check recognised. */
export const serviceName = (r: Pick<DiscoveredPort, 'service'>): string =>
  r.service ? (serviceById(r.service)?.name ?? r.service) : 'unidentified';

interface Props {
  status: DiscoveryStatus;
  results: readonly DiscoveredPort[];
  cancelling: boolean;
  onCancel: () => void;
  cancelRef: Ref<HTMLButtonElement>;
}

/** A running discovery: how far it has got, what it has found so far, and the way to stop it. */
export function DiscoverProgress({ status, results, cancelling, onCancel, cancelRef }: Props) {
  const open = results.filter((r) => r.state === 'open').sort((a, b) => a.port - b.port);
  const quiet = quietSummary(results);
  return (
    <div className="discover-progress">
      <div className="discover-progress-bar">
        <p id="discover-count">
          Scanned {status.scanned} of {status.total} {status.total === 1 ? 'port' : 'ports'}
        </p>
        <progress aria-labelledby="discover-count" max={Math.max(1, status.total)} value={status.scanned} />
        <button type="button" ref={cancelRef} onClick={onCancel} disabled={cancelling}>
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
      <h4 id="discover-found-title">Found so far</h4>
      {open.length === 0 ? (
        <p className="discover-muted">No open port yet{quiet ? ` (${quiet})` : ''}.</p>
      ) : (
        <>
          <ul aria-labelledby="discover-found-title" className="discover-found">
            {open.map((r) => (
              <li key={r.port}>
                <strong>{r.port}</strong> open: {serviceName(r)}
              </li>
            ))}
          </ul>
          {quiet && <p className="discover-muted">{quiet}</p>}
        </>
      )}
    </div>
  );
}
