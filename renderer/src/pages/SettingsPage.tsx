import { useEffect, useState } from 'react';
import type { Settings } from '../../../shared/settings';
import { api } from '../api/client';
import { RetentionSection } from './settings/RetentionSection';
import { SourcesSection } from './settings/SourcesSection';
import { StartAtLoginSection } from './settings/StartAtLoginSection';
import { ThemeSection } from './settings/ThemeSection';
import { TransferSection } from './settings/TransferSection';
import './alerts/forms.css';
import './Settings.css';

export function SettingsPage() {
  const [settings, setSettings] = useState<Settings>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    void api.invoke('settings.get').then((r) => (r.ok ? setSettings(r.value) : setError(r.error)));
  }, []);

  return (
    <section aria-labelledby="settings-title" className="settings-page">
      <h2 id="settings-title">Settings</h2>
      {error && (
        <p role="alert" className="error-banner">
          {error}
        </p>
      )}
      {!settings && !error && <p>Loading…</p>}
      {settings && (
        <>
          <ThemeSection theme={settings.theme} />
          <StartAtLoginSection />
          <RetentionSection settings={settings} onSaved={setSettings} />
          <SourcesSection settings={settings} onSaved={setSettings} />
          <TransferSection />
        </>
      )}
    </section>
  );
}
