import { StatusLine } from '../../components/StatusLine';
import { useEffect, useState } from 'react';
import { api, inDesktopApp } from '../../api/client';

export function StartAtLoginSection() {
  const [on, setOn] = useState<boolean>();
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState('');

  useEffect(() => {
    if (!inDesktopApp) return;
    void api.invoke('app.getStartAtLogin').then((r) => (r.ok ? setOn(r.value) : setError(r.error)));
  }, []);

  const change = async (next: boolean) => {
    setError(undefined);
    const r = await api.invoke('app.setStartAtLogin', next);
    if (!r.ok) return setError(r.error);
    setOn(r.value);
    setStatus(r.value ? 'Portwatch will start when you log in.' : 'Portwatch will not start by itself.');
  };

  return (
    <section aria-labelledby="login-title" className="panel">
      <h3 id="login-title">Start at login</h3>
      <div className="field field-check">
        <input
          id="start-at-login"
          type="checkbox"
          checked={on ?? false}
          disabled={!inDesktopApp || on === undefined}
          aria-describedby="start-at-login-hint"
          onChange={(e) => void change(e.target.checked)}
        />
        <label htmlFor="start-at-login">Start Portwatch when I log in</label>
      </div>
      <p id="start-at-login-hint" className="field-hint">
        {inDesktopApp ? (
          'Portwatch starts in the tray, without opening this window.'
        ) : (
          <>
            Only the desktop app can start at login. This page is served by <code>portwatch serve</code>: start that
            with your system (a systemd user unit, say) instead.
          </>
        )}
      </p>
      <StatusLine status={status} error={error} />
    </section>
  );
}
