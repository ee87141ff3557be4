import { useEffect, useState } from 'react';
import type { StoredResult } from '../../../../shared/api';
import { api } from '../../api/client';
import { formatMs } from '../../format';

const LIMIT = 20;
// Checks come seconds apart: the time needs its seconds.
const checkedAt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

function verdict(r: StoredResult): { glyph: string; word: string; className: string } {
  if (r.outcome !== 'ok') return { glyph: '✕', word: `Failed: ${r.outcome}`, className: 'status-down' };
  if (r.slow) return { glyph: '!', word: 'Passed, slow', className: 'status-degraded' };
  return { glyph: '✓', word: 'Passed', className: 'status-up' };
}

/** The latest checks, newest first, each failed one with what the probe made of it. */
export function RecentResults({ monitorId, refresh }: { monitorId: string; refresh: unknown }) {
  const [results, setResults] = useState<StoredResult[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    void api.invoke('recentResults', monitorId, LIMIT).then((r) => {
      if (!live) return;
      if (r.ok) setResults(r.value);
      setError(r.ok ? undefined : r.error);
    });
    return () => {
      live = false;
    };
  }, [monitorId, refresh]);

  return (
    <section className="recent" aria-labelledby="recent-title">
      <h3 id="recent-title">Recent results</h3>
      {error && <p className="field-error">{error}</p>}
      {results && results.length === 0 && <p>No results yet.</p>}
      {results && results.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Checked</th>
                <th scope="col">Result</th>
                <th scope="col">Time taken</th>
                <th scope="col">Diagnosis</th>
              </tr>
            </thead>
            <tbody>
              {results.map((r) => {
                const v = verdict(r);
                return (
                  <tr key={r.at}>
                    <td>{checkedAt.format(r.at)}</td>
                    <td>
                      <span className={`status ${v.className}`}>
                        <span className="status-glyph" aria-hidden="true">
                          {v.glyph}
                        </span>
                        {v.word}
                      </span>
                    </td>
                    <td>{formatMs(r.ms)}</td>
                    <td>{r.diagnosis ?? (r.outcome === 'ok' ? '–' : r.detail)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
