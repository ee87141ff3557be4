// Search, grouping and filters: plain labelled controls, applied as they change.

import { useId, type ReactNode } from 'react';
import { STATUSES } from '../../../../shared/status';
import { STATUS_LOOK } from '../../components/StatusBadge';
import { tierLabel, type Filters, type GroupBy, type StateFilter } from './model';

interface Props {
  filters: Filters;
  groupBy: GroupBy;
  tags: string[];
  onFilters: (f: Filters) => void;
  onGroupBy: (g: GroupBy) => void;
}

/** A label beside its control, not around it: a wrapping label would add the options to the name. */
function Field({
  label,
  className,
  children,
}: {
  label: string;
  className?: string;
  children: (id: string) => ReactNode;
}) {
  const id = useId();
  return (
    <div className={`ov-field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}

const GROUPINGS: Record<GroupBy, string> = { host: 'Host', tier: 'Tier', tag: 'Tag', none: 'No grouping' };

export function Toolbar({ filters, groupBy, tags, onFilters, onGroupBy }: Props) {
  const set = <K extends keyof Filters>(key: K, value: Filters[K]): void => onFilters({ ...filters, [key]: value });
  return (
    <div className="ov-toolbar" role="search" aria-label="Find monitors">
      <Field label="Search" className="ov-search">
        {(id) => (
          <input
            id={id}
            type="search"
            value={filters.query}
            placeholder="Name, host, port or service"
            onChange={(e) => set('query', e.target.value)}
          />
        )}
      </Field>
      <Field label="Group by">
        {(id) => (
          <select id={id} value={groupBy} onChange={(e) => onGroupBy(e.target.value as GroupBy)}>
            {Object.entries(GROUPINGS).map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="State">
        {(id) => (
          <select id={id} value={filters.state} onChange={(e) => set('state', e.target.value as StateFilter)}>
            <option value="all">Any state</option>
            <option value="attention">Down, degraded or pending</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LOOK[s].label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Tier">
        {(id) => (
          <select id={id} value={filters.tier} onChange={(e) => set('tier', e.target.value as Filters['tier'])}>
            <option value="all">Any tier</option>
            {([1, 2, 3] as const).map((t) => (
              <option key={t} value={String(t)}>
                {tierLabel(t)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Tag">
        {(id) => (
          <select id={id} value={filters.tag} onChange={(e) => set('tag', e.target.value)}>
            <option value="">Any tag</option>
            {tags.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
            {filters.tag && !tags.includes(filters.tag) && <option value={filters.tag}>{filters.tag}</option>}
          </select>
        )}
      </Field>
    </div>
  );
}
