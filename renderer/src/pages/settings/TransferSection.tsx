import { StatusLine } from '../../components/StatusLine';
import { useState, type ChangeEvent } from 'react';
import type { ArgsIn, ResultOf } from '../../../../shared/api';
import { api } from '../../api/client';
import { useStore } from '../../store';
import { dateStamp, download } from '../../download';

type Format = 'json' | 'yaml';
type Report = ResultOf<'monitors.import'>;
type Source = ArgsIn<'monitors.import'>[1];

/** What a file may come from; the service tells it from the file itself when left on "auto". */
const SOURCES: { value: Source; label: string }[] = [
  { value: 'auto', label: 'Tell from the file' },
  { value: 'json', label: 'Portwatch (JSON)' },
  { value: 'yaml', label: 'Portwatch (YAML)' },
  { value: 'kuma', label: 'Uptime Kuma backup (JSON)' },
  { value: 'gatus', label: 'Gatus configuration (YAML)' },
  { value: 'nmap', label: 'nmap XML output (nmap -oX)' },
  { value: 'csv', label: 'Spreadsheet (CSV)' },
];

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

interface Picked {
  name: string;
  text: string;
  source: Source;
  preview: Report;
}

function NameList({ title, names }: { title: string; names: string[] }) {
  if (names.length === 0) return null;
  return (
    <>
      <h5>{title}</h5>
      <ul className="name-list">
        {names.map((n, i) => (
          <li key={`${i}-${n}`}>{n}</li>
        ))}
      </ul>
    </>
  );
}

export function TransferSection() {
  const [format, setFormat] = useState<Format>('json');
  const [source, setSource] = useState<Source>('auto');
  const [exportStatus, setExportStatus] = useState('');
  const [exportError, setExportError] = useState<string>();
  const [picked, setPicked] = useState<Picked>();
  const [importError, setImportError] = useState<string>();
  const [importStatus, setImportStatus] = useState('');
  const [busy, setBusy] = useState(false);
  // A new key empties the file input, so picking the same file again reads it again.
  const [inputKey, setInputKey] = useState(0);
  const reset = () => {
    setPicked(undefined);
    setInputKey((k) => k + 1);
  };

  const exportNow = async () => {
    setExportError(undefined);
    const r = await api.invoke('monitors.export', format);
    if (!r.ok) return setExportError(r.error);
    download(
      `portwatch-monitors-${dateStamp()}.${format}`,
      r.value.text,
      format === 'json' ? 'application/json' : 'application/yaml',
    );
    setExportStatus(
      `Exported ${plural(r.value.count, 'monitor')}.` +
        (r.value.redacted.length ? ` Left out credentials: ${r.value.redacted.join('; ')}.` : ''),
    );
  };

  const pick = async (e: ChangeEvent<HTMLInputElement>) => {
    setPicked(undefined);
    setImportError(undefined);
    setImportStatus('');
    const file = e.target.files?.[0];
    if (!file) return;
    const text = await file.text();
    const r = await api.invoke('monitors.import', text, source, true, file.name);
    if (!r.ok) return setImportError(r.error);
    setPicked({ name: file.name, text, source, preview: r.value });
  };

  const importNow = async () => {
    if (!picked) return;
    setBusy(true);
    const r = await api.invoke('monitors.import', picked.text, picked.source, false, picked.name);
    setBusy(false);
    if (!r.ok) return setImportError(r.error);
    if (r.value.problems.length) {
      setPicked({ ...picked, preview: r.value });
      return;
    }
    reset();
    setImportStatus(
      `Imported ${picked.name}: ${plural(r.value.added.length, 'monitor')} added, ${r.value.updated.length} updated` +
        (r.value.channels?.length ? `; alert channels added: ${r.value.channels.join(', ')}.` : '.'),
    );
    void useStore.getState().load();
  };

  const p = picked?.preview;
  const count = p ? p.added.length + p.updated.length : 0;

  return (
    <section aria-labelledby="transfer-title" className="panel">
      <h3 id="transfer-title">Import and export monitors</h3>
      <h4>Export</h4>
      <p className="muted">
        Every monitor in the Portwatch file format, for a backup or another machine. Credentials in HTTP headers are
        left out.
      </p>
      <div className="actions">
        <label htmlFor="export-format">Format</label>
        <select id="export-format" value={format} onChange={(e) => setFormat(e.target.value as Format)}>
          <option value="json">JSON</option>
          <option value="yaml">YAML</option>
        </select>
        <button type="button" onClick={() => void exportNow()}>
          Export monitors
        </button>
      </div>
      <StatusLine status={exportStatus} error={exportError} />

      <h4>Import</h4>
      <p className="muted">
        Adds the monitors of a Portwatch export, an Uptime Kuma backup, a Gatus configuration, nmap's XML output or a
        spreadsheet. One that is already here (same check of the same target) is merged, not doubled. You see what would
        change, and what cannot come over, before anything is saved.
      </p>
      <div className="field">
        <label htmlFor="import-source">The file comes from</label>
        <select id="import-source" value={source} onChange={(e) => setSource(e.target.value as Source)}>
          {SOURCES.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="import-file">File to import</label>
        <input
          key={inputKey}
          id="import-file"
          type="file"
          accept=".json,.yaml,.yml,.xml,.csv,.tsv,application/json,application/yaml,text/csv,text/xml"
          onChange={(e) => void pick(e)}
          aria-describedby={importError ? 'import-error' : undefined}
        />
      </div>
      {importError && (
        <p id="import-error" role="alert" className="field-error">
          {importError}
        </p>
      )}
      <div role="status">
        {p && picked && (
          <div className="import-preview">
            <h5 className="preview-title">
              {p.problems.length
                ? `${picked.name} cannot be imported: ${plural(p.problems.length, 'problem')}`
                : `${picked.name}: ${plural(p.added.length, 'monitor')} to add, ${p.updated.length} to update`}
            </h5>
            {p.problems.length > 0 && (
              <ul className="problems">
                {p.problems.map((problem, i) => (
                  <li key={i}>
                    <span aria-hidden="true">✕ </span>
                    {problem}
                  </li>
                ))}
              </ul>
            )}
            <NameList title="Would be added" names={p.added} />
            <NameList title="Would be updated" names={p.updated} />
            <NameList title="Already here, unchanged" names={p.unchanged ?? []} />
            <NameList title="Alert channels that would be added" names={p.channels ?? []} />
            <NameList title="Cannot come over" names={(p.notMapped ?? []).map((n) => `${n.item}: ${n.why}`)} />
          </div>
        )}
        {importStatus && <p className="status-line">{importStatus}</p>}
      </div>
      {p && p.problems.length === 0 && count > 0 && (
        <div className="actions">
          <button type="button" className="primary" disabled={busy} onClick={() => void importNow()}>
            Import {plural(count, 'monitor')}
          </button>
          <button type="button" onClick={reset}>
            Cancel
          </button>
        </div>
      )}
    </section>
  );
}
