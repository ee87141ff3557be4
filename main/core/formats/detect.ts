// Which tool wrote a file, told from what it holds first and its name second: the content is what
// decides, since exports get renamed ("backup (3).json") and config files keep generic names.

import { IMPORT_FORMATS, isObject, type ImportFormat } from './import-result';
import { readYaml } from './import-values';

export type Detected = { ok: true; format: ImportFormat } | { ok: false; error: string };

const FROM = `--from ${IMPORT_FORMATS.join('|')}`;

/** What a parsed document's top-level keys say it is. */
function byKeys(doc: unknown): ImportFormat | 'prometheus' | undefined {
  if (Array.isArray(doc)) return 'portwatch';
  if (!isObject(doc)) return undefined;
  if (Array.isArray(doc.monitorList)) return 'kuma';
  if ('portwatch' in doc || Array.isArray(doc.monitors)) return 'portwatch';
  if ('endpoints' in doc || 'external-endpoints' in doc) return 'gatus';
  if (isObject(doc.modules)) return 'blackbox';
  if (Array.isArray(doc.scrape_configs)) return 'prometheus';
  return undefined;
}

/** The same, from the raw text, for a file too broken to parse (so its own reader names the fault). */
function byText(text: string): ImportFormat | 'prometheus' | undefined {
  if (/"(monitorList|notificationList)"\s*:/.test(text)) return 'kuma';
  if (/^\s*"?portwatch"?\s*:/m.test(text) || /^\s*"?monitors"?\s*:/m.test(text)) return 'portwatch';
  if (/^endpoints\s*:/m.test(text)) return 'gatus';
  if (/^modules\s*:/m.test(text)) return 'blackbox';
  if (/^scrape_configs\s*:/m.test(text)) return 'prometheus';
  return undefined;
}

const PROMETHEUS = 'this is a prometheus.yml: import the blackbox.yml it uses and give this file with --prometheus';

/** A first line that names columns: a CSV header with a host or url column. */
const csvHeader = (text: string): boolean => {
  const first = (text.split(/\r?\n/, 1)[0] ?? '').toLowerCase();
  return /[,;\t]/.test(first) && /(^|[,;\t]\s*"?)(host|hostname|address|ip|server|url)"?\s*([,;\t]|$)/.test(first);
};

export function detectFormat(text: string, fileName: string): Detected {
  const body = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).trimStart();
  const name = fileName.toLowerCase();
  const found = (f: ImportFormat | 'prometheus' | undefined): Detected | undefined =>
    f === 'prometheus' ? { ok: false, error: PROMETHEUS } : f ? { ok: true, format: f } : undefined;

  if (body.startsWith('<') || name.endsWith('.xml')) {
    if (body.slice(0, 4096).includes('<nmaprun') || name.endsWith('.xml')) return { ok: true, format: 'nmap' };
    return { ok: false, error: `an XML file that is not nmap's output (nmap -oX); say what it is with ${FROM}` };
  }
  if (name.endsWith('.csv') || name.endsWith('.tsv')) return { ok: true, format: 'csv' };
  if (body.startsWith('{') || body.startsWith('[')) {
    let doc: unknown;
    try {
      doc = JSON.parse(body);
    } catch {
      return found(byText(body)) ?? { ok: true, format: 'portwatch' };
    }
    return (
      found(byKeys(doc)) ?? {
        ok: false,
        error: `a JSON file that is neither a Portwatch export nor an Uptime Kuma backup; say what it is with ${FROM}`,
      }
    );
  }
  if (csvHeader(body)) return { ok: true, format: 'csv' };
  const yaml = readYaml(body);
  if (yaml.ok) {
    const f = found(byKeys(yaml.value));
    if (f) return f;
  } else {
    const f = found(byText(body));
    if (f) return f;
    if (/\.ya?ml$/.test(name)) return { ok: true, format: 'portwatch' };
  }
  return { ok: false, error: `cannot tell which tool wrote ${fileName}; say it with ${FROM}` };
}
