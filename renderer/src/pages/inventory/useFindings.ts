import { useEffect, useState } from 'react';
import { api } from '../../api/client';

/**
 * Security findings of each monitor's latest check, as results arrive. The saved state keeps no
 * findings, so they show from the first check after the page opens.
 */
export function useFindings(): Record<string, string[]> {
  const [findings, setFindings] = useState<Record<string, string[]>>({});
  useEffect(
    () =>
      api.on('events', (events) => {
        const latest: Record<string, string[]> = {};
        for (const e of events) if (e.type === 'result') latest[e.monitorId] = e.result.findings ?? [];
        if (Object.keys(latest).length) setFindings((f) => ({ ...f, ...latest }));
      }),
    [],
  );
  return findings;
}
