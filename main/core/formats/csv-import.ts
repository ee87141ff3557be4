// The spreadsheet people already keep: one row per port with host, port, service, tier,
// internal/external and notes, under a header row naming the columns in any order. Read as RFC
// 4180 (quoted fields may hold commas, quotes doubled, line breaks); a spreadsheet saved with
// semicolons or tabs is read too. Every problem names its row and column as the spreadsheet shows
// them (the header is row 1).

import { TIERS, type Tier } from '../../../shared/catalog';
import { MonitorSchema } from '../../../shared/monitor';
import { Findings, failed, type ImportResult, type ImportedMonitor } from './import-result';
import { httpTarget, plainHost } from './import-values';
import { SERVICE_CHECKS } from '../probes/protocols';
import { CATALOG_IDS, catalogMonitor, portMonitor, serviceByName, serviceForCheck } from './proposal';

type Column =
  'host' | 'port' | 'service' | 'kind' | 'check' | 'tier' | 'exposure' | 'notes' | 'name' | 'tags' | 'group' | 'url';

const HEADERS: Record<string, Column> = {
  host: 'host',
  hostname: 'host',
  address: 'host',
  ip: 'host',
  server: 'host',
  port: 'port',
  service: 'service',
  protocol: 'service',
  kind: 'kind',
  check: 'check',
  type: 'service',
  tier: 'tier',
  priority: 'tier',
  exposure: 'exposure',
  'internal/external': 'exposure',
  internalexternal: 'exposure',
  network: 'exposure',
  scope: 'exposure',
  notes: 'notes',
  note: 'notes',
  comment: 'notes',
  comments: 'notes',
  description: 'notes',
  name: 'name',
  tags: 'tags',
  group: 'group',
  url: 'url',
};

const EXPOSURE: Record<string, 'internal' | 'external'> = {
  internal: 'internal',
  int: 'internal',
  private: 'internal',
  external: 'external',
  ext: 'external',
  public: 'external',
};

interface Row {
  cells: string[];
  /** The line of the file the row starts on, for a quoted cell spanning lines. */
  line: number;
}

/** Splits the text into rows of cells; the only error is a quote never closed. */
function rows(text: string, delimiter: string): Row[] | string {
  const out: Row[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let quoteLine = 1;
  let i = 0;
  const endRow = (): void => {
    cells.push(cell);
    out.push({ cells, line: rowLine });
    cells = [];
    cell = '';
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else cell += c;
      if (c === '\n') line++;
      i++;
      continue;
    }
    if (c === '"' && cell === '') {
      quoted = true;
      quoteLine = line;
    } else if (c === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else cell += c;
    i++;
  }
  if (quoted) return `line ${quoteLine}: a quoted cell is never closed (a " is missing)`;
  if (cell !== '' || cells.length) endRow();
  return out;
}

const letter = (i: number): string => {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};

/** The delimiter the header row uses most: comma, semicolon (spreadsheets in many locales) or tab. */
function delimiterOf(text: string): string {
  const header = text.split(/\r?\n/, 1)[0] ?? '';
  const count = (d: string): number => header.split(d).length - 1;
  return [',', ';', '\t'].reduce((best, d) => (count(d) > count(best) ? d : best), ',');
}

const TIER_WORDS: Record<string, Tier> = Object.fromEntries(
  Object.values(TIERS).flatMap((t) => [
    [String(t.tier), t.tier],
    [t.label, t.tier],
    [`tier ${t.tier}`, t.tier],
  ]),
);

export function parseCsv(text: string): ImportResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return failed('the file is empty');
  const split = rows(body, delimiterOf(body));
  if (typeof split === 'string') return failed(split);
  const [header, ...data] = split;
  if (!header) return failed('the file is empty');
  const findings = new Findings();
  const columns = new Map<Column, number>();
  header.cells.forEach((raw, i) => {
    const key = raw.trim().toLowerCase().replace(/\s+/g, ' ');
    const col = HEADERS[key] ?? HEADERS[key.replace(/[^a-z/]/g, '')];
    const at = `row 1, column ${letter(i)} ("${raw.trim()}")`;
    if (!key) return;
    if (!col)
      return findings.skip(
        at,
        `not a column Portwatch reads (host, port, service, kind, check, tier, exposure, notes, name, tags, group, url)`,
      );
    if (columns.has(col))
      return findings.problem(
        at,
        `a second "${col}" column (the first is column ${letter(columns.get(col) as number)})`,
      );
    columns.set(col, i);
  });
  if (!columns.has('host') && !columns.has('url'))
    return failed(
      `row 1: the header row has no "host" column (it has ${header.cells.map((c) => `"${c.trim()}"`).join(', ')}); the first row must name the columns`,
    );
  data.forEach((row, r) => {
    if (row.cells.every((c) => c.trim() === '')) return;
    const n = r + 2;
    if (row.cells.length > header.cells.length && row.cells.slice(header.cells.length).some((c) => c.trim()))
      return findings.problem(
        `row ${n}`,
        `it has ${row.cells.length} cells; the header row names ${header.cells.length}`,
      );
    const cell = (c: Column): string => {
      const i = columns.get(c);
      const v = i === undefined ? '' : (row.cells[i] ?? '').trim();
      // A leading apostrophe is how exports (Portwatch's among them) keep a spreadsheet from
      // running a cell as a formula; the text itself starts after it.
      return /^'[=+\-@\t]/.test(v) ? v.slice(1) : v;
    };
    const at = (c: Column): string => `row ${n}, column ${letter(columns.get(c) ?? 0)} ("${c}")`;
    const monitor = rowMonitor(cell, at, findings);
    const guessed = [...(cell('name') ? [] : ['name']), ...(cell('tier') ? [] : ['tier'])];
    if (monitor) findings.add(monitor, `row ${n}`, guessed);
  });
  return findings.result();
}

function rowMonitor(
  cell: (c: Column) => string,
  at: (c: Column) => string,
  findings: Findings,
): ImportedMonitor | undefined {
  const before = findings.problems.length;
  const m = rowTarget(cell, at, findings);
  // Every cell of the row is checked, so one pass over the file names all there is to fix.
  const extra: Partial<ImportedMonitor> = {};
  const tier = cell('tier').toLowerCase();
  if (tier) {
    const t = TIER_WORDS[tier];
    if (t) extra.tier = t;
    else
      findings.problem(at('tier'), `"${cell('tier')}" is not a tier: use 1 (critical), 2 (important) or 3 (tolerant)`);
  }
  const exposure = cell('exposure').toLowerCase();
  if (exposure) {
    const e = EXPOSURE[exposure];
    if (e) extra.exposure = e;
    else findings.problem(at('exposure'), `"${cell('exposure')}" is neither internal nor external`);
  }
  const notes = cell('notes');
  if (notes.length > 4000) findings.problem(at('notes'), `${notes.length} characters; at most 4000 are kept`);
  else if (notes) extra.notes = notes;
  const name = cell('name');
  if (name.length > 200) findings.problem(at('name'), 'longer than 200 characters');
  else if (name) extra.name = name;
  const tags = cell('tags')
    .split(/[;,|]/)
    .map((t) => t.trim())
    .filter(Boolean);
  if (tags.some((t) => t.length > 64)) findings.problem(at('tags'), 'a tag is longer than 64 characters');
  else if (tags.length) extra.tags = [...new Set(tags)];
  const group = cell('group');
  if (group) extra.group = group.slice(0, 200);
  return m && findings.problems.length === before ? { ...m, ...extra } : undefined;
}

const KINDS = ['tcp', 'tls', 'http', 'service'];

/**
 * What the row checks: its URL, or its host and port checked as its kind and check say (a
 * Portwatch CSV export has both) or else as its service is.
 */
function rowTarget(
  cell: (c: Column) => string,
  at: (c: Column) => string,
  findings: Findings,
): ImportedMonitor | undefined {
  const before = findings.problems.length;
  const kindText = cell('kind').toLowerCase();
  if (kindText && !KINDS.includes(kindText))
    findings.problem(at('kind'), `"${cell('kind')}" is not a kind: use tcp, tls, http or service`);
  const url = cell('url');
  if (url) {
    const t = httpTarget(url);
    if (!t) return void findings.problem(at('url'), `"${url}" is not an http:// or https:// address`);
    if (findings.problems.length > before) return undefined;
    return { name: `${t.host} ${new URL(t.url).pathname}`, kind: 'http', host: t.host, port: t.port, url: t.url };
  }
  const hostText = cell('host');
  const host = plainHost(hostText);
  const checked = MonitorSchema.shape.host.safeParse(host);
  if (!hostText) findings.problem(at('host'), 'empty: every row needs a host');
  else if (!checked.success)
    findings.problem(at('host'), `"${hostText}": ${checked.error.issues[0]?.message ?? 'not a host'}`);
  const serviceText = cell('service');
  const lower = serviceText.toLowerCase();
  const plain = lower === 'tcp' || lower === 'tls' || lower === 'port';
  const byName = plain ? undefined : serviceByName(serviceText);
  if (serviceText && !plain && !byName)
    findings.problem(
      at('service'),
      `"${serviceText}" is not a service Portwatch knows: use tcp, tls or one of ${CATALOG_IDS.join(', ')}`,
    );
  const check = cell('check').toLowerCase();
  if (check && !(check in SERVICE_CHECKS))
    findings.problem(
      at('check'),
      `"${cell('check')}" is not a check: use one of ${Object.keys(SERVICE_CHECKS).join(', ')}`,
    );
  const named = byName ?? (check ? serviceForCheck(check) : undefined);
  const portText = cell('port');
  let port = named?.port ?? named?.entry.ports[0]?.port;
  if (portText) {
    port = /^\d+$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 1 && port <= 65535))
      findings.problem(at('port'), `"${portText}" is not a port (a whole number from 1 to 65535)`);
  } else if (!named && !(serviceText && !plain))
    findings.problem(at('port'), 'empty: give the port, or a service whose port is known');
  const kind = kindText || (plain ? (lower === 'tls' ? 'tls' : 'tcp') : check ? 'service' : undefined);
  if (kind === 'service' && !check && !named?.entry.ports.some((p) => p.serviceCheck))
    findings.problem(at('check'), 'empty: a service monitor needs the name of its check');
  if (findings.problems.length > before || port === undefined) return undefined;
  const service = named ? { service: named.entry.id } : {};
  if (kind === 'tcp' || kind === 'tls') return { ...portMonitor(host, port, kind === 'tls'), ...service };
  if (kind === 'http') {
    const web = serviceByName(named?.tls || port === 443 ? 'https' : 'http');
    return web ? { ...catalogMonitor(web, host, port), ...service } : undefined;
  }
  if (!named) {
    if (kind !== 'service') return portMonitor(host, port);
    return { name: `${check} ${port} on ${host}`, kind: 'service', check, host, port };
  }
  const m = catalogMonitor(named, host, port);
  // The check a row names wins over the one its service would get (a dialogue for an odd SMTP).
  return check && m.kind === 'service' ? { ...m, check } : m;
}
