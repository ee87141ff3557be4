import { StatusBadge } from '../../components/StatusBadge';
import { formatAgo } from '../../format';
import { href } from '../../router';
import { groupByHost, type InventoryRow } from './rows';

const COLUMNS = ['Service', 'Address', 'Port', 'Tier', 'Exposure', 'Owner and notes', 'Last state'];

/** Hosts and the services on them, one row group per host. */
export function InventoryTable({ rows, now }: { rows: readonly InventoryRow[]; now: number }) {
  const groups = groupByHost(rows);
  return (
    <div className="inventory-scroll">
      <table className="inventory-table">
        <caption>
          {groups.length} {groups.length === 1 ? 'host' : 'hosts'} and {rows.length}{' '}
          {rows.length === 1 ? 'service' : 'services'}, grouped by host
        </caption>
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        {groups.map(([host, list]) => (
          <tbody key={host}>
            <tr className="host-row">
              <th scope="rowgroup" colSpan={COLUMNS.length}>
                {host}{' '}
                <span className="host-count">
                  ({list.length} {list.length === 1 ? 'service' : 'services'})
                </span>
              </th>
            </tr>
            {list.map((r) => (
              <Row key={r.id} row={r} now={now} />
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}

function Row({ row: r, now }: { row: InventoryRow; now: number }) {
  return (
    <tr>
      <th scope="row">
        <a href={href.monitor(r.id)}>{r.name}</a>
        {(!r.name.includes(r.service) || !r.enabled) && (
          <span className="cell-sub">
            {[r.name.includes(r.service) ? '' : r.service, r.enabled ? '' : 'disabled'].filter(Boolean).join(', ')}
          </span>
        )}
      </th>
      <td className="cell-address">{r.address}</td>
      <td>{r.port}</td>
      <td>{r.tier}</td>
      <td className="cell-exposure">
        {r.exposure === 'external' ? 'External' : 'Internal'}
        {r.warnings.map((w) => (
          <span key={w} className="inventory-warning">
            <strong>
              <span aria-hidden="true">⚠ </span>Exposure warning:
            </strong>{' '}
            {w}
          </span>
        ))}
      </td>
      <td>
        {r.notes}
        {r.tags.length > 0 && <span className="cell-sub">Tags: {r.tags.join(', ')}</span>}
      </td>
      <td>
        <StatusBadge status={r.status} />
        {r.lastAt !== undefined && <span className="cell-sub">checked {formatAgo(r.lastAt, now)}</span>}
        {r.lastNote && <span className="cell-sub">{r.lastNote}</span>}
      </td>
    </tr>
  );
}
