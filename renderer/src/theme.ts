import { useEffect } from 'react';
import { THEMES, type Settings } from '../../shared/settings';
import { api } from './api/client';

type Theme = Settings['theme'];

/** The last choice seen, so the first paint is already in it instead of flashing light. */
const REMEMBERED = 'portwatch.theme';

const isTheme = (v: unknown): v is Theme => (THEMES as readonly unknown[]).includes(v);

function remember(theme: Theme): void {
  try {
    localStorage.setItem(REMEMBERED, theme);
  } catch {
    // Storage may be off (a private window); the saved setting still applies once it loads.
  }
}

/**
 * Applies a theme choice: light or dark as chosen, or the system's ("system": styles.css follows
 * prefers-color-scheme, so it changes with the system without anything here).
 */
export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  remember(theme);
}

try {
  const last = localStorage.getItem(REMEMBERED);
  if (isTheme(last)) document.documentElement.dataset.theme = last;
} catch {
  // As above: without storage the page starts light until the setting arrives.
}

/** Reads the saved theme once; the settings page applies later changes itself. */
export function useTheme(): void {
  useEffect(() => {
    void api.invoke('settings.get').then((r) => r.ok && applyTheme(r.value.theme));
  }, []);
}
