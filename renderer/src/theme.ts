import { useEffect } from 'react';
import type { Settings } from '../../shared/settings';
import { api } from './api/client';

/** Applies a theme choice: light or dark as chosen, or the system's, following it as it changes. */
export function applyTheme(theme: Settings['theme']): void {
  document.documentElement.dataset.theme = theme;
}

/** Reads the saved theme once; the settings page applies later changes itself. */
export function useTheme(): void {
  useEffect(() => {
    void api.invoke('settings.get').then((r) => r.ok && applyTheme(r.value.theme));
  }, []);
}
