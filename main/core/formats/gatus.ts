// A Gatus configuration (config.yaml): each endpoint as a monitor, its conditions as Portwatch's
// expectations where they say the same thing. A condition that cannot be said is listed (and
// written in the monitor's notes); the monitor still comes over when its target does.

import type { HttpCheck } from '../../../shared/monitor';
import { FieldReader } from './field-reader';
import { Findings, failed, isObject, placeOf, type ImportResult, type ImportedMonitor } from './import-result';
import {
  applyTimings,
  bodyRule,
  exactly,
  goDuration,
  hostPort,
  httpTarget,
  plainHost,
  readYaml,
} from './import-values';
import { catalogMonitor, serviceByName } from './proposal';

const DNS_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'SOA', 'TXT'];
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];
const UNSUPPORTED_SCHEMES: Record<string, string> = {
  icmp: 'an ICMP ping checks no port; Portwatch checks ports and services',
  udp: 'Portwatch checks TCP, not UDP',
  sctp: 'Portwatch checks TCP, not SCTP',
  ws: 'Portwatch has no WebSocket check',
  wss: 'Portwatch has no WebSocket check',
  grpc: 'Portwatch has no gRPC check',
  grpcs: 'Portwatch has no gRPC check',
};

type Kind = 'http' | 'tcp' | 'tls' | 'dns' | 'other';

/** What the conditions add to a monitor, and what they could not. */
interface Expectations {
  statuses: number[] | undefined;
  low: number;
  high: number;
  body: string[];
  slowMs?: number;
  certDays?: number;
  rcode?: string;
  /** A DNS answer is required ([BODY] == pat(?*)): Portwatch's own rule with NOERROR. */
  dnsAnswer?: boolean;
  unmapped: string[];
}

export function parseGatus(text: string): ImportResult {
  const read = readYaml(text);
  if (!read.ok) return failed(read.problem);
  const doc = read.value;
  if (!isObject(doc) || (doc.endpoints === undefined && doc['external-endpoints'] === undefined))
    return failed('this is not a Gatus configuration: it has no "endpoints" list');
  const findings = new Findings();
  const endpoints = doc.endpoints ?? [];
  if (!Array.isArray(endpoints)) return failed('endpoints: expected a list of endpoints');
  endpoints.forEach((e, i) => endpoint(e, i, findings));
  const external = doc['external-endpoints'];
  if (Array.isArray(external))
    external.forEach((e, i) =>
      findings.skip(
        placeOf(`external-endpoints.${i}`, isObject(e) ? e.name : undefined),
        'an external endpoint is pushed to Gatus from outside; Portwatch checks from the outside',
      ),
    );
  const alerts = endpoints.some((e) => isObject(e) && Array.isArray(e.alerts) && e.alerts.length > 0);
  if (doc.alerting !== undefined || alerts)
    findings.skip(
      'alerting',
      "Gatus's alert providers are not imported: Portwatch sends alerts by tier to the channels of `portwatch alert add`",
    );
  return findings.result();
}

function endpoint(raw: unknown, i: number, findings: Findings): void {
  if (!isObject(raw)) return findings.problem(`endpoints.${i}`, 'not an endpoint (an object with a name and a url)');
  const place = placeOf(`endpoints.${i}`, raw.name);
  const f = new FieldReader(raw, place, findings);
  const name = f.string('name')?.trim();
  const url = f.string('url')?.trim();
  if (!name) return findings.problem(`${place}.name`, 'missing');
  if (!url) return findings.problem(`${place}.url`, 'missing');
  if (url.includes('${'))
    return findings.problem(
      `${place}.url`,
      `"${url}" holds an environment variable, which Gatus fills in as it starts: write the value in before importing`,
    );
  const dns = f.object('dns');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme && UNSUPPORTED_SCHEMES[scheme]) return findings.skip(place, `${scheme}:// ${UNSUPPORTED_SCHEMES[scheme]}`);

  const unmapped: string[] = [];
  const note = (why: string): void => {
    unmapped.push(why);
    findings.skip(place, why);
  };
  const target = targetOf(url, scheme, dns, f, place, findings, note);
  if (!target) return;
  const conditions = f.list('conditions') ?? [];
  const x = expectations(conditions, target.kind);
  const m: ImportedMonitor = { ...target.monitor, name };
  applyExpectations(m, target.kind, x, place, findings);
  for (const why of x.unmapped) note(why);

  const group = f.string('group')?.trim();
  if (group) m.group = group.slice(0, 200);
  if (f.bool('enabled') === false) m.enabled = false;
  const client = f.object('client') ?? {};
  const c = new FieldReader(client, `${place}.client`, findings);
  if (c.bool('insecure')) m.insecure = true;
  const interval = f.raw('interval');
  const timeout = c.raw('timeout');
  const intervalMs = interval === undefined ? undefined : duration(interval, `${place}.interval`, findings);
  const timeoutMs = timeout === undefined ? undefined : duration(timeout, `${place}.client.timeout`, findings);
  applyTimings(
    m,
    {
      ...(intervalMs !== undefined ? { intervalSec: intervalMs / 1000 } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    },
    (_k, why) => note(why),
  );
  const resolver = c.string('dns-resolver');
  if (resolver) {
    const r = hostPort(resolver.replace(/^(tcp|udp):\/\//i, ''), 53);
    if (r) m.resolver = r;
    else note(`the DNS resolver "${resolver}" cannot be read`);
  }
  if (unmapped.length) m.notes = `Not brought over from Gatus: ${unmapped.join('; ')}.`.slice(0, 4000);
  findings.add(m, place, m.tier === undefined ? [] : ['tier']);
}

function duration(v: unknown, place: string, findings: Findings): number | undefined {
  const ms = goDuration(v);
  if (ms === undefined) findings.problem(place, `${JSON.stringify(v)} is not a duration such as 30s, 5m or 1h`);
  return ms;
}

interface Target {
  kind: Kind;
  monitor: Omit<ImportedMonitor, 'name'>;
}

function targetOf(
  url: string,
  scheme: string | undefined,
  dns: Record<string, unknown> | undefined,
  f: FieldReader,
  place: string,
  findings: Findings,
  note: (why: string) => void,
): Target | undefined {
  if (dns) {
    const d = new FieldReader(dns, `${place}.dns`, findings);
    const name = d.string('query-name');
    const type = (d.string('query-type') ?? 'A').toUpperCase();
    if (!name) return void findings.problem(`${place}.dns.query-name`, 'missing');
    if (!DNS_TYPES.includes(type))
      return void findings.skip(
        place,
        `the DNS record type ${type} is not one Portwatch asks for (${DNS_TYPES.join(', ')})`,
      );
    const server = hostPort(url.replace(/^(dns|udp|tcp):\/\//i, ''), 53);
    if (!server) return void findings.problem(`${place}.url`, `"${url}" is not a DNS server address`);
    return {
      kind: 'dns',
      monitor: { kind: 'service', check: 'dns', service: 'dns', ...server, settings: { name, type } },
    };
  }
  if (scheme === 'http' || scheme === 'https') {
    const t = httpTarget(url);
    if (!t) return void findings.problem(`${place}.url`, `"${url}" is not a valid address`);
    const http: Partial<HttpCheck> = {};
    const method = f.string('method')?.toUpperCase();
    if (method && method !== 'GET') http.method = method;
    const headers = f.object('headers');
    if (headers) http.headers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)]));
    if (f.string('body')) note("the request body is not sent: Portwatch's HTTP check sends none");
    if (f.raw('graphql') !== undefined) note('the GraphQL query is not sent');
    const client = f.object('client');
    if (client?.['ignore-redirect'] === true) http.followRedirects = false;
    return { kind: 'http', monitor: { kind: 'http', host: t.host, port: t.port, url: t.url, http } };
  }
  const rest = url.replace(/^[a-z0-9+.-]+:\/\//i, '');
  const defaults: Record<string, number | undefined> = { ssh: 22, starttls: 587 };
  const hp = hostPort(rest.replace(/\/.*$/, ''), defaults[scheme ?? '']);
  if (!scheme || !hp)
    return void findings.problem(
      `${place}.url`,
      `"${url}" is not an address Gatus checks (http://, https://, tcp://host:port, tls://host:port, or a DNS server with "dns:")`,
    );
  if (scheme === 'tcp') return { kind: 'tcp', monitor: { kind: 'tcp', ...hp } };
  if (scheme === 'tls') return { kind: 'tls', monitor: { kind: 'tls', ...hp } };
  if (scheme === 'starttls' || scheme === 'ssh') {
    const service = serviceByName(scheme === 'ssh' ? 'ssh' : 'smtp');
    if (!service) return undefined;
    const { name: _n, ...m } = catalogMonitor(service, plainHost(hp.host), hp.port);
    if (scheme === 'starttls') {
      // Gatus upgrades an SMTP connection; judging the certificate is what the endpoint is for.
      delete m.implicitTls;
      m.starttls = true;
    } else if (f.raw('ssh') !== undefined)
      note('the SSH login and command are not used: Portwatch checks the SSH greeting');
    return { kind: scheme === 'starttls' ? 'tls' : 'other', monitor: m };
  }
  findings.skip(place, `${scheme}:// is not a kind of check Portwatch has`);
  return undefined;
}

const number = (s: string): number | undefined => (/^\d+$/.test(s) ? Number(s) : undefined);
const anyOf = (s: string): string[] | undefined => {
  const m = /^any\((.*)\)$/s.exec(s);
  return m ? (m[1] ?? '').split(',').map((p) => p.trim()) : undefined;
};
/**
 * Gatus's pat() as a regex over the whole text: its wildcards are Go's filepath.Match ones (* any
 * run, ? one character, [...] a class, \\ escaping the next character).
 */
const pattern = (s: string): string | undefined => {
  const m = /^pat\((.*)\)$/s.exec(s);
  if (!m) return undefined;
  const p = m[1] ?? '';
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string;
    if (c === '*') out += '[\\s\\S]*';
    else if (c === '?') out += '[\\s\\S]';
    else if (c === '\\' && i + 1 < p.length) out += exactly(p[++i] as string).slice(1, -1);
    else if (c === '[' && p.indexOf(']', i + 2) > 0) {
      const end = p.indexOf(']', i + 2);
      const body = p.slice(i + 1, end).replace(/\\(.)/g, '$1');
      const negated = body.startsWith('^');
      const members = (negated ? body.slice(1) : body).replace(/[\\\]^]/g, '\\$&');
      out += `[${negated ? '^' : ''}${members}]`;
      i = end;
    } else out += exactly(c).slice(1, -1);
  }
  return `^${out}$`;
};

function expectations(conditions: unknown[], kind: Kind): Expectations {
  const x: Expectations = { statuses: undefined, low: 100, high: 599, body: [], unmapped: [] };
  const cannot = (c: string, why: string): void => void x.unmapped.push(`the condition "${c}" is not checked: ${why}`);
  for (const raw of conditions) {
    if (typeof raw !== 'string') {
      x.unmapped.push(`a condition that is not text (${JSON.stringify(raw)}) is not checked`);
      continue;
    }
    const c = raw.trim();
    const m = /^(.+?)\s*(==|!=|<=|>=|<|>)\s*(.*)$/s.exec(c);
    if (!m) {
      cannot(c, 'it cannot be read');
      continue;
    }
    const [, left = '', op = '', right = ''] = m;
    const subject = left.trim().toUpperCase();
    if (subject === '[STATUS]' && kind === 'http') status(x, op, right, c, cannot);
    else if (subject === '[BODY]' && kind === 'http') {
      const any = anyOf(right);
      const regex =
        op !== '=='
          ? undefined
          : any
            ? `^(?:${any.map((a) => exactly(a).slice(1, -1)).join('|')})$`
            : (pattern(right) ?? exactly(right));
      if (regex) x.body.push(regex);
      else cannot(c, 'Portwatch checks what the body holds, not what it lacks');
    } else if (subject === '[RESPONSE_TIME]') {
      const n = number(right);
      if ((op === '<' || op === '<=') && n !== undefined && n >= 1) x.slowMs = Math.min(x.slowMs ?? Infinity, n);
      else cannot(c, 'Portwatch marks a response slow above a time, nothing else');
    } else if (subject === '[CONNECTED]') {
      if (!(op === '==' && right.trim() === 'true')) cannot(c, 'Portwatch checks that the connection is made');
    } else if (subject === '[CERTIFICATE_EXPIRATION]') {
      const ms = goDuration(right.trim());
      if ((op === '>' || op === '>=') && ms !== undefined) {
        const days = Math.ceil(ms / 86_400_000);
        // Under a day is "not expired", which failing an expired certificate already covers.
        if (days >= 1) x.certDays = Math.min(365, Math.max(x.certDays ?? 1, days));
      } else cannot(c, 'Portwatch warns before a certificate expires, with a number of days');
    } else if (subject === '[BODY]' && kind === 'dns' && op === '==' && /^pat\((\?\*|\*\?|\*)\)$/.test(right.trim())) {
      // pat(*) holds for any answer or none; pat(?*) asks for at least one.
      if (right.trim() !== 'pat(*)') x.dnsAnswer = true;
    } else if (subject === '[DNS_RCODE]' && kind === 'dns') {
      const code = right.trim().toUpperCase();
      if (op === '==' && RCODES.includes(code)) x.rcode = code;
      else cannot(c, 'Portwatch expects one response code');
    } else if (subject.startsWith('[BODY]') || subject.startsWith('LEN(') || subject.startsWith('HAS(')) {
      cannot(
        c,
        kind === 'dns'
          ? 'the DNS answer itself is not compared'
          : kind === 'http'
            ? 'Portwatch checks the body as text, not values inside JSON'
            : 'Portwatch sends nothing and reads no answer on this connection',
      );
    } else cannot(c, `Portwatch has no check for ${left.trim()}`);
  }
  return x;
}

function status(x: Expectations, op: string, right: string, c: string, cannot: (c: string, why: string) => void): void {
  const any = anyOf(right.trim());
  const values = any ? any.map(number) : [number(right.trim())];
  if (values.some((v) => v === undefined || v < 100 || v > 599))
    return cannot(c, 'the status must be a number from 100 to 599');
  const list = values as number[];
  if (op === '==') x.statuses = x.statuses ? x.statuses.filter((s) => list.includes(s)) : list;
  else if (list.length !== 1) cannot(c, 'any() goes with ==');
  else {
    const n = list[0] as number;
    if (op === '<') x.high = Math.min(x.high, n - 1);
    else if (op === '<=') x.high = Math.min(x.high, n);
    else if (op === '>') x.low = Math.max(x.low, n + 1);
    else if (op === '>=') x.low = Math.max(x.low, n);
    else cannot(c, 'Portwatch expects statuses, not excludes one');
  }
}

function applyExpectations(m: ImportedMonitor, kind: Kind, x: Expectations, place: string, findings: Findings): void {
  if (kind === 'http') {
    const http = { ...(m.http ?? {}) };
    const statuses = x.statuses?.filter((s) => s >= x.low && s <= x.high);
    if (statuses?.length === 0)
      findings.problem(`${place}.conditions`, 'no HTTP status satisfies every [STATUS] condition');
    else if (statuses) http.expectStatus = [...new Set(statuses)].join(',');
    else if (x.low > 100 || x.high < 599) http.expectStatus = x.low === x.high ? String(x.low) : `${x.low}-${x.high}`;
    const body = bodyRule(x.body, []);
    if (body.bad) x.unmapped.push(`the body pattern /${body.bad}/ is not a valid regular expression here`);
    else if (body.regex) http.bodyRegex = body.regex;
    if (Object.keys(http).length) m.http = http;
  }
  if (x.slowMs !== undefined) m.slowMs = Math.min(120_000, x.slowMs);
  if (x.certDays !== undefined) m.certWarnDays = [x.certDays];
  if (m.settings) {
    // Without expectRcode the dns check wants NOERROR with an answer; with it, that rcode alone.
    const rcode = x.rcode ?? (x.dnsAnswer ? 'NOERROR' : undefined);
    if (x.dnsAnswer && rcode !== 'NOERROR')
      x.unmapped.push(`an answer together with the response code ${rcode} cannot both be expected; only the code is`);
    if (rcode && !(x.dnsAnswer && rcode === 'NOERROR')) m.settings = { ...m.settings, expectRcode: rcode };
  }
}
