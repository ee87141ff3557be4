// The counts at the top, each a toggle that shows only the monitors in that state.

import { STATUS_LOOK } from '../../components/StatusBadge';
import { STATE_ORDER, type Counts, type StateFilter } from './model';

interface Props {
  counts: Counts;
  filter: StateFilter;
  onFilter: (f: StateFilter) => void;
}

export function StateCounts({ counts, filter, onFilter }: Props) {
  return (
    <ul className="ov-counts" aria-label="Monitors by state, select one to show only those">
      {STATE_ORDER.map((s) =>
        counts[s] > 0 || filter === s || s === 'up' || s === 'down' ? (
          <li key={s}>
            <button
              type="button"
              className={`ov-count status-${s}`}
              aria-pressed={filter === s}
              onClick={() => onFilter(filter === s ? 'all' : s)}
            >
              <span aria-hidden="true">{STATUS_LOOK[s].glyph}</span> <strong>{counts[s]}</strong>{' '}
              {STATUS_LOOK[s].label.toLowerCase()}
            </button>
          </li>
        ) : null,
      )}
    </ul>
  );
}
