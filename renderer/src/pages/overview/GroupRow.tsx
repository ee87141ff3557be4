// A group's header row: its name and how its monitors stand; it opens and closes the group.

import { memo } from 'react';
import { STATUS_LOOK } from '../../components/StatusBadge';
import { ROW_H } from './MonitorRow';
import { STATE_ORDER, type Counts } from './model';

interface Props {
  index: number;
  label: string;
  total: number;
  counts: Counts;
  expanded: boolean;
  pos: number;
  size: number;
  active: boolean;
  columns: number;
}

function GroupRowImpl({ index, label, total, counts, expanded, pos, size, active, columns }: Props) {
  return (
    <div
      role="row"
      className="ov-row ov-group"
      aria-rowindex={index + 2}
      aria-level={1}
      aria-posinset={pos}
      aria-setsize={size}
      aria-expanded={expanded}
      tabIndex={active ? 0 : -1}
      data-index={index}
      style={{ transform: `translateY(${index * ROW_H}px)` }}
    >
      <div role="gridcell" aria-colspan={columns} className="ov-group-cell">
        <span className="ov-chevron" aria-hidden="true">
          {expanded ? '▾' : '▸'}
        </span>
        <span className="ov-group-name">{label}</span>
        <span className="ov-group-counts">
          {total} monitor{total === 1 ? '' : 's'}
          {STATE_ORDER.filter((s) => counts[s] > 0).map((s) => (
            <span key={s} className={`status-${s}`}>
              {' · '}
              <span aria-hidden="true">{STATUS_LOOK[s].glyph} </span>
              {counts[s]} {STATUS_LOOK[s].label.toLowerCase()}
            </span>
          ))}
        </span>
      </div>
    </div>
  );
}

// Counts arrive as a fresh object with every update; the header re-renders only when a figure moved.
const sameCounts = (a: Counts, b: Counts): boolean => STATE_ORDER.every((s) => a[s] === b[s]);

export const GroupRow = memo(
  GroupRowImpl,
  (a, b) =>
    a.index === b.index &&
    a.label === b.label &&
    a.total === b.total &&
    a.expanded === b.expanded &&
    a.pos === b.pos &&
    a.size === b.size &&
    a.active === b.active &&
    a.columns === b.columns &&
    sameCounts(a.counts, b.counts),
);
