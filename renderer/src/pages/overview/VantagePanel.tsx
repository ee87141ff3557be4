// What the other Portwatch instances see of the same targets. Splits come first: a port that
// answers one place and not another is a firewall or a route, and only a person can fix that.

import { useEffect, useState } from 'react';
import type { SourceState, TargetVerdict, VantageOverview, VerdictKind } from '../../../../shared/vantage';
import { api } from '../../api/client';
import { formatTime } from '../../format';

const REFRESH_MS = 5000;

/** Glyph, word and colour class of a source's state: never told by colour alone. */
export function sourceLook(state: SourceState): { glyph: string; word: string; cls: string } {
  if (state.status === 'ok') return { glyph: '✓', word: 'answering', cls: 'status-up' };
  if (state.status === 'unreachable') return { glyph: '✕', word: 'unreachable', cls: 'status-down' };
  return { glyph: '…', word: 'connecting', cls: 'status-pending' };
}

/** The state in one line, with the reason when there is one. */
export function SourceStateLine({ state }: { state: SourceState }) {
  const look = sourceLook(state);
  return (
    <span className="vantage-state">
      <span className={`status ${look.cls}`}>
        <span className="status-glyph" aria-hidden="true">
          {look.glyph}
        </span>
        {look.word}
      </span>
      {state.status === 'ok' && (
        <span className="vantage-muted">
          {' '}
          ({state.monitors} monitor{state.monitors === 1 ? '' : 's'})
        </span>
      )}
      {state.status === 'unreachable' && (
        <span>
          {' '}
          since {formatTime(state.since)}: {state.reason}
        </span>
      )}
    </span>
  );
}

const KIND_LOOK: Record<VerdictKind, { glyph: string; word: string; cls: string }> = {
  split: { glyph: '≠', word: 'Split', cls: 'status-degraded' },
  down: { glyph: '✕', word: 'Down', cls: 'status-down' },
  unknown: { glyph: '?', word: 'Unknown', cls: 'status-unknown' },
  up: { glyph: '✓', word: 'Up', cls: 'status-up' },
};

function TargetItem({ t }: { t: TargetVerdict }) {
  const look = KIND_LOOK[t.kind];
  return (
    <li className="vantage-target">
      <span className={`status ${look.cls}`}>
        <span className="status-glyph" aria-hidden="true">
          {look.glyph}
        </span>
        {look.word}
      </span>{' '}
      <strong>{t.name}</strong>{' '}
      <span className="vantage-muted">
        {t.host}:{t.port}
      </span>{' '}
      — {t.summary}
      {t.hint && <p className="vantage-hint">{t.hint}</p>}
    </li>
  );
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function summaryOf(o: VantageOverview, by: Record<VerdictKind, TargetVerdict[]>): string {
  const away = o.sources.filter((s) => s.state.status === 'unreachable').length;
  const sources = `${plural(o.sources.length, 'other instance')}${away ? `, ${away} unreachable` : ''}`;
  return `${sources}. ${by.split.length} split, ${by.up.length} up, ${by.down.length} down, ${by.unknown.length} unknown.`;
}

/** Shown only once another instance is configured; until then it draws nothing. */
export function VantagePanel() {
  const [data, setData] = useState<VantageOverview>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    const load = async (): Promise<void> => {
      const r = await api.invoke('vantage.overview');
      if (!live) return;
      if (r.ok) {
        setData(r.value);
        setError(undefined);
      } else setError(r.error);
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);

  if (!data || data.sources.length === 0) return null;

  const by: Record<VerdictKind, TargetVerdict[]> = { split: [], down: [], unknown: [], up: [] };
  for (const t of data.targets) by[t.kind].push(t);

  return (
    <section aria-labelledby="vantage-title" className="vantage-panel">
      <h3 id="vantage-title">Seen from other places</h3>
      <p role="status" className="vantage-summary">
        {summaryOf(data, by)}
      </p>
      {error && (
        <p role="alert" className="field-error">
          The view from other places could not be refreshed: {error}
        </p>
      )}
      <ul className="vantage-sources" aria-label="Instances">
        <li>
          <strong>{data.here}</strong> <span className="vantage-muted">(this instance)</span>
        </li>
        {data.sources.map((s) => (
          <li key={s.id}>
            <strong>{s.name}</strong> <SourceStateLine state={s.state} />
          </li>
        ))}
      </ul>
      {by.split.length > 0 && (
        <>
          <h4>Reachable from some places only</h4>
          <ul className="vantage-targets" aria-label="Split targets">
            {by.split.map((t) => (
              <TargetItem key={t.key} t={t} />
            ))}
          </ul>
        </>
      )}
      {by.down.length + by.unknown.length > 0 && (
        <>
          <h4>Down, or not known from somewhere</h4>
          <ul className="vantage-targets" aria-label="Down or unknown targets">
            {[...by.down, ...by.unknown].map((t) => (
              <TargetItem key={t.key} t={t} />
            ))}
          </ul>
        </>
      )}
      {by.up.length > 0 && (
        <details className="vantage-up" open={by.up.length <= 8}>
          <summary>{plural(by.up.length, 'target')} up wherever watched</summary>
          <ul className="vantage-targets" aria-label="Targets up">
            {by.up.map((t) => (
              <TargetItem key={t.key} t={t} />
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
