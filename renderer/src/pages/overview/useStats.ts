// Uptime and sparkline figures of every monitor, from one call a minute: history changes slowly,
// and asking per row would be a thousand calls.

import { useEffect, useState } from 'react';
import type { MonitorStats } from '../../../../shared/api';
import { api } from '../../api/client';

export type { MonitorStats };
export type StatsById = Record<string, MonitorStats>;

const REFRESH_MS = 60_000;
const NO_STATS: StatsById = {};

export function useStats(): { stats: StatsById; error: string | undefined } {
  const [stats, setStats] = useState<StatsById>(NO_STATS);
  const [error, setError] = useState<string>();

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async (): Promise<void> => {
      const r = await api.invoke('monitors.stats');
      if (stopped) return;
      if (r.ok) {
        setStats(r.value);
        setError(undefined);
      } else {
        setError(r.error);
      }
      timer = setTimeout(() => void load(), REFRESH_MS);
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);

  return { stats, error };
}
