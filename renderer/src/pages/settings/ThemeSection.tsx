import { StatusLine } from '../../components/StatusLine';
import { useState } from 'react';
import type { Settings } from '../../../../shared/settings';
import { api } from '../../api/client';
import { applyTheme } from '../../theme';

const LABEL: Record<Settings['theme'], string> = { light: 'Light', dark: 'Dark', system: 'Follow the system' };
const ORDER = ['light', 'dark', 'system'] as const;

export function ThemeSection({ theme: saved }: { theme: Settings['theme'] }) {
  const [theme, setTheme] = useState(saved);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string>();

  const choose = async (next: Settings['theme']) => {
    const before = theme;
    // Shown at once; put back if it cannot be saved.
    setTheme(next);
    applyTheme(next);
    const r = await api.invoke('settings.update', { theme: next });
    if (r.ok) {
      setError(undefined);
      setStatus(`Theme: ${LABEL[next].toLowerCase()}.`);
    } else {
      setTheme(before);
      applyTheme(before);
      setError(r.error);
    }
  };

  return (
    <section aria-labelledby="theme-title" className="panel">
      <h3 id="theme-title">Appearance</h3>
      <fieldset className="radio-row">
        <legend>Theme</legend>
        {ORDER.map((t) => (
          <label key={t}>
            <input type="radio" name="theme" value={t} checked={theme === t} onChange={() => void choose(t)} />{' '}
            {LABEL[t]}
          </label>
        ))}
      </fieldset>
      <StatusLine status={status} error={error} />
    </section>
  );
}
