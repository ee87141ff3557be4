import type { ProbeResult } from '../../../../shared/probe';
import { formatMs } from '../../format';

export type TestState =
  | { state: 'idle' }
  | { state: 'running' }
  | { state: 'done'; result: ProbeResult }
  | { state: 'failed'; error: string };

/** What "test now" found, in a live region so it is read out when it arrives. */
export function TestResult({ test }: { test: TestState }) {
  return (
    <div role="status" className="test-result" aria-live="polite">
      {test.state === 'running' && <p>Testing…</p>}
      {test.state === 'failed' && (
        <p className="field-error">
          <span aria-hidden="true">✕ </span>The test could not run: {test.error}
        </p>
      )}
      {test.state === 'done' && <Outcome result={test.result} />}
    </div>
  );
}

function Outcome({ result: r }: { result: ProbeResult }) {
  const passed = r.outcome === 'ok';
  const look = !passed ? 'down' : r.degraded ? 'degraded' : 'up';
  const facts = Object.entries(r.facts ?? {});
  return (
    <>
      <p className={`status status-${look}`}>
        <span className="status-glyph" aria-hidden="true">
          {passed ? (r.degraded ? '!' : '✓') : '✕'}
        </span>
        {passed ? `Test passed in ${formatMs(r.ms)}` : `Test failed: ${r.outcome} after ${formatMs(r.ms)}`}
      </p>
      <p className="test-diagnosis">{r.diagnosis}</p>
      {r.degraded && <p>Impaired: {r.degraded}</p>}
      {r.detail && r.detail !== r.diagnosis && <p className="field-hint">{r.detail}</p>}
      {r.findings?.map((f) => (
        <p key={f} className="exposure-warning">
          <span aria-hidden="true">⚠ </span>Security finding: {f}
        </p>
      ))}
      {facts.length > 0 && (
        <dl className="test-facts">
          {facts.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      )}
    </>
  );
}
