import { useId } from 'react';
import { RANGES, type RangeId } from './ranges';

/** Native radios styled as a segmented control: arrow keys move between them, as a radio group should. */
export function RangePicker({ value, onChange }: { value: RangeId; onChange: (id: RangeId) => void }) {
  const name = useId();
  return (
    <fieldset className="range-picker">
      <legend>Range</legend>
      {RANGES.map((r) => (
        <label key={r.id} className="range-option">
          <input type="radio" name={name} value={r.id} checked={value === r.id} onChange={() => onChange(r.id)} />
          <span>{r.label}</span>
        </label>
      ))}
    </fieldset>
  );
}
