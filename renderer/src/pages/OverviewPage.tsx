// Every monitor at a glance: counts, search and filters, and the windowed list grouped by host,
// tier or tag. Live: the store follows the engine's events, and each row follows its monitor.

import { useDeferredValue, useEffect, useMemo } from 'react';
import { href } from '../router';
import { useStore } from '../store';
import './Overview.css';
import { buildListing, NO_FILTERS, type Filters, type GroupBy } from './overview/model';
import { OverviewGrid } from './overview/OverviewGrid';
import { useRemembered } from './overview/remember';
import { StateCounts } from './overview/StateCounts';
import { Toolbar } from './overview/Toolbar';
import { useStats } from './overview/useStats';
import { VantagePanel } from './overview/VantagePanel';

const GROUP_WORD: Record<GroupBy, string> = { host: 'host', tier: 'tier', tag: 'tag', none: '' };

export function OverviewPage() {
  const monitors = useStore((s) => s.monitors);
  const order = useStore((s) => s.order);
  const loaded = useStore((s) => s.loaded);
  const { stats, error: statsError } = useStats();
  const [filters, setFilters] = useRemembered<Filters>('filters', NO_FILTERS);
  const [groupBy, setGroupBy] = useRemembered<GroupBy>('groupBy', 'host');
  const [collapsed, setCollapsed] = useRemembered<ReadonlySet<string>>('collapsed', new Set());
  // Typing stays responsive with a thousand monitors: the list catches up a moment later.
  const query = useDeferredValue(filters.query);

  // For the measurements in test/e2e/overview.test.ts: when the monitors arrived.
  useEffect(
    () =>
      useStore.subscribe((s, prev) => {
        if (s.loaded && !prev.loaded) performance.mark('overview:data');
      }),
    [],
  );

  const listing = useMemo(
    () => buildListing(monitors, order, { ...filters, query }, groupBy, collapsed),
    [monitors, order, filters, query, groupBy, collapsed],
  );

  const toggle = (key: string): void =>
    setCollapsed((c) => {
      const next = new Set(c);
      if (!next.delete(key)) next.add(key);
      return next;
    });

  const total = order.length;
  const filtered = filters.query !== '' || filters.state !== 'all' || filters.tier !== 'all' || filters.tag !== '';

  let content;
  if (!loaded) content = <p role="status">Loading monitors…</p>;
  else if (total === 0)
    content = (
      <div className="ov-empty">
        <p>
          <strong>No monitors yet.</strong> Add the ports your product depends on, and Portwatch checks them and says
          why one fails.
        </p>
        <p className="ov-empty-actions">
          <a className="ov-button primary" href={href.newMonitor}>
            Add a monitor
          </a>
          <a className="ov-button" href={href.inventory}>
            Find services to watch in the inventory
          </a>
        </p>
      </div>
    );
  else if (listing.items.length === 0) content = <p className="ov-empty">No monitor matches these filters.</p>;
  else
    content = (
      <OverviewGrid
        items={listing.items}
        stats={stats}
        label={groupBy === 'none' ? 'Monitors' : `Monitors by ${GROUP_WORD[groupBy]}`}
        onToggle={toggle}
      />
    );

  return (
    <section aria-labelledby="overview-title" className="overview">
      <div className="ov-top">
        <h2 id="overview-title">Overview</h2>
        {total > 0 && (
          <StateCounts
            counts={listing.counts}
            filter={filters.state}
            onFilter={(state) => setFilters({ ...filters, state })}
          />
        )}
        {total > 0 && (
          <a href={href.newMonitor} className="ov-add">
            Add a monitor
          </a>
        )}
      </div>
      {total > 0 && (
        <>
          <Toolbar
            filters={filters}
            groupBy={groupBy}
            tags={listing.tags}
            onFilters={setFilters}
            onGroupBy={setGroupBy}
          />
          <div className="ov-info">
            <p role="status">
              {filtered ? `Showing ${listing.shown} of ${total} monitors` : `${total} monitor${total === 1 ? '' : 's'}`}
            </p>
            {filtered && (
              <button type="button" onClick={() => setFilters(NO_FILTERS)}>
                Clear filters
              </button>
            )}
            <p id="ov-keys" className="ov-muted">
              In the list: arrow keys move between rows, Enter opens, Right and Left open or close a group and reach a
              row&apos;s link and Check button.
            </p>
          </div>
          {statsError && (
            <p className="field-error" role="alert">
              Uptime and latency could not be loaded: {statsError}
            </p>
          )}
        </>
      )}
      <VantagePanel />
      {content}
    </section>
  );
}
