import type { MonitorStatus } from '../../../shared/status';

/** Each status has its own glyph and word, so no state is told by colour alone. */
export const STATUS_LOOK: Record<MonitorStatus, { glyph: string; label: string }> = {
  up: { glyph: '✓', label: 'Up' },
  degraded: { glyph: '!', label: 'Degraded' },
  pending: { glyph: '…', label: 'Pending' },
  down: { glyph: '✕', label: 'Down' },
  // ⏸ has no glyph in common Linux fonts; two bars read the same everywhere.
  paused: { glyph: '‖', label: 'Paused' },
  maintenance: { glyph: '⚒', label: 'Maintenance' },
  unknown: { glyph: '?', label: 'Not checked yet' },
};

export function StatusBadge({ status }: { status: MonitorStatus }) {
  const look = STATUS_LOOK[status];
  return (
    <span className={`status status-${status}`}>
      <span className="status-glyph" aria-hidden="true">
        {look.glyph}
      </span>
      {look.label}
    </span>
  );
}
