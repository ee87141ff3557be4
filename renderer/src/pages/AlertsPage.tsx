import { useEffect, useState } from 'react';
import type { AlertSettings } from '../../../shared/alerts';
import type { Result } from '../../../shared/result';
import { api } from '../api/client';
import { ChannelsSection } from './alerts/ChannelsSection';
import { MaintenanceSection } from './alerts/MaintenanceSection';
import { OutboxSection } from './alerts/OutboxSection';
import { RoutingSection } from './alerts/RoutingSection';
import { SnoozeSection } from './alerts/SnoozeSection';
import './alerts/forms.css';
import './Alerts.css';

export function AlertsPage() {
  const [settings, setSettings] = useState<AlertSettings>();
  const [error, setError] = useState<string>();

  const apply = (r: Result<AlertSettings>) => {
    if (r.ok) {
      setSettings(r.value);
      setError(undefined);
    } else setError(r.error);
  };
  const load = () => void api.invoke('alerts.get').then(apply);

  useEffect(() => {
    void api.invoke('alerts.get').then(apply);
  }, []);

  return (
    <section aria-labelledby="alerts-title" className="alerts-page">
      <h2 id="alerts-title">Alerts</h2>
      {error && (
        <p role="alert" className="error-banner">
          {error}
        </p>
      )}
      {!settings && !error && <p>Loading…</p>}
      {settings && (
        <>
          <SnoozeSection until={settings.snooze?.until} />
          <ChannelsSection channels={settings.channels} onChanged={load} />
          <RoutingSection settings={settings} onSaved={setSettings} />
          <MaintenanceSection settings={settings} onSaved={setSettings} />
          <OutboxSection />
        </>
      )}
    </section>
  );
}
