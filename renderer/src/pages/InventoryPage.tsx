import { useEffect, useMemo, useState } from 'react';
import { useStore } from '../store';
import { AddServices } from './inventory/AddServices';
import { DiscoverServices } from './inventory/DiscoverServices';
import { toCsv } from '../../../shared/csv';
import { dateStamp, download } from '../download';
import { InventoryTable } from './inventory/InventoryTable';
import { csvRows, inventoryRow } from './inventory/rows';
import { useFindings } from './inventory/useFindings';
import './Inventory.css';

/** Hosts and the services on them, with exposure warnings; several services added at once; CSV out. */
export function InventoryPage() {
  const monitors = useStore((s) => s.monitors);
  const order = useStore((s) => s.order);
  const loaded = useStore((s) => s.loaded);
  const findings = useFindings();
  const [now, setNow] = useState(Date.now);
  const [exported, setExported] = useState<string>();

  // "checked 2 min ago" stays true while the page is open.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const rows = useMemo(
    () => order.flatMap((id) => (monitors[id] ? [inventoryRow(monitors[id], findings[id])] : [])),
    [order, monitors, findings],
  );
  const warned = rows.filter((r) => r.warnings.length > 0).length;

  const exportCsv = (): void => {
    download(`portwatch-inventory-${dateStamp()}.csv`, toCsv(csvRows(rows)), 'text/csv;charset=utf-8');
    setExported(`Exported ${rows.length} ${rows.length === 1 ? 'service' : 'services'} as CSV.`);
  };

  return (
    <section aria-labelledby="inventory-title" className="inventory">
      <h2 id="inventory-title">Inventory</h2>
      <div className="inventory-bar">
        <p className="inventory-summary">
          {warned > 0 ? (
            <span className="inventory-warning">
              <span aria-hidden="true">⚠ </span>
              {warned} {warned === 1 ? 'service has' : 'services have'} an exposure warning.
            </span>
          ) : (
            loaded && rows.length > 0 && 'No exposure warnings.'
          )}
        </p>
        <button type="button" onClick={exportCsv} disabled={rows.length === 0}>
          Export as CSV
        </button>
        <span role="status" className="header-note">
          {exported}
        </span>
      </div>
      {!loaded ? (
        <p role="status">Loading…</p>
      ) : rows.length === 0 ? (
        <p>No hosts yet: add the services of a host below.</p>
      ) : (
        <InventoryTable rows={rows} now={now} />
      )}
      <DiscoverServices />
      <AddServices />
    </section>
  );
}
