import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Field } from '../editor/Field';
import { useDiscovery } from './DiscoverJob';
import { DiscoverProgress } from './DiscoverProgress';
import { DiscoverProposals } from './DiscoverProposals';

const PORTS_HINT =
  'catalog (the default: the catalog’s service ports), top (about a hundred common ports), a list like ' +
  '22,80,6379 or a range like 8000-8100; several with commas.';

/** Finds what answers on a host's ports and proposes a monitor for each, as `portwatch discover` does. */
export function DiscoverServices() {
  const d = useDiscovery();
  const [host, setHost] = useState('');
  const [ports, setPorts] = useState('catalog');
  const cancelRef = useRef<HTMLButtonElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const state = d.status?.state;
  const running = state === 'running';
  const finished = state === 'done' || state === 'cancelled';

  // Start is disabled while the scan runs, so focus moves to the control that now matters.
  useEffect(() => {
    if (running && (document.activeElement === document.body || document.activeElement?.id === 'discover-start'))
      cancelRef.current?.focus();
  }, [running]);
  // Cancel goes away at the end: focus follows to what was found, unless the user is elsewhere.
  useEffect(() => {
    if (finished && document.activeElement === document.body) headingRef.current?.focus();
  }, [finished]);
  // A field's error takes the focus, so it is read out with the field.
  useEffect(() => {
    if (d.fieldErrors.host) document.getElementById('discover-host')?.focus();
    else if (d.fieldErrors.ports) document.getElementById('discover-ports')?.focus();
  }, [d.fieldErrors]);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    void d.start(host, ports);
  };

  return (
    <section aria-labelledby="discover-title" className="discover">
      <h3 id="discover-title">Discover services on a host</h3>
      <p className="discover-muted">
        Connects to the host’s ports and names what answers with each service’s own check, so Redis on 6380 or SSH on
        2222 is still named right. Scan only hosts you run or are allowed to test.
      </p>
      <form noValidate onSubmit={submit}>
        <div className="field-row">
          <Field
            id="discover-host"
            label="Host to scan"
            error={d.fieldErrors.host}
            className="grow"
            hint="One host name or IP address. A range (10.0.0.0/24) is scanned from the command line."
          >
            {(c) => (
              <input
                {...c}
                value={host}
                autoComplete="off"
                spellCheck={false}
                onChange={(e) => setHost(e.target.value)}
              />
            )}
          </Field>
          <Field
            id="discover-ports"
            label="Ports to scan"
            error={d.fieldErrors.ports}
            className="grow"
            hint={PORTS_HINT}
          >
            {(c) => (
              <input
                {...c}
                value={ports}
                autoComplete="off"
                spellCheck={false}
                onChange={(e) => setPorts(e.target.value)}
              />
            )}
          </Field>
        </div>
        <div className="editor-actions">
          <button id="discover-start" type="submit" className="primary" disabled={running || d.starting}>
            {running ? 'Scanning…' : d.starting ? 'Starting…' : 'Start'}
          </button>
        </div>
      </form>
      {d.error && (
        <p role="alert" className="field-error">
          <span aria-hidden="true">✕ </span>
          {d.error}
        </p>
      )}
      <p role="status" aria-live="polite" className="visually-hidden">
        {d.announcement}
      </p>
      {d.status && running && (
        <DiscoverProgress
          status={d.status}
          results={d.results}
          cancelling={d.cancelling}
          onCancel={() => void d.cancel()}
          cancelRef={cancelRef}
        />
      )}
      {d.status && finished && (
        <DiscoverProposals key={d.status.id} status={d.status} results={d.results} headingRef={headingRef} />
      )}
    </section>
  );
}
