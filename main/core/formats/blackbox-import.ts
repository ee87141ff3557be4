// Prometheus blackbox_exporter: the modules of blackbox.yml say how to probe, the scrape jobs of
// prometheus.yml say what (params.module, and the target relabelled into __param_target from
// static_configs and file_sd files). Each job's target becomes a monitor the way its module
// probes it; what a module does that Portwatch cannot is listed once per module.

import path from 'node:path';
import type { HttpCheck } from '../../../shared/monitor';
import { parseJson } from '../config/json-position';
import { FieldReader } from './field-reader';
import { Findings, isObject, kindOf, placeOf, type ImportResult, type ImportedMonitor } from './import-result';
import { applyTimings, bodyRule, goDuration, hostPort, httpTarget, readYaml } from './import-values';
import { catalogMonitor, serviceByName } from './proposal';

/** How the prometheus.yml's file_sd files are reached: the caller decides what may be read. */
export interface SdFiles {
  /** The file's text; throws (with a message) when it cannot be read. */
  read(file: string): string;
  /** The names in a folder, for a file_sd pattern such as targets/*.json. */
  list(dir: string): string[];
}

export interface PrometheusInput {
  text: string;
  /** Its path: file_sd files are relative to its folder. */
  file: string;
  files: SdFiles;
}

const DNS_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'SOA', 'TXT'];
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

type Built = { monitor: Omit<ImportedMonitor, 'name'> } | { skip: string };

interface Module {
  place: string;
  /** Why no target of this module can be imported. */
  skip?: string;
  build?: (target: string) => Built;
  /** What the module does that its monitors will not. */
  unmapped: string[];
  timeoutMs?: number;
}

export function parseBlackbox(text: string, blackboxName: string, prometheus?: PrometheusInput): ImportResult {
  const findings = new Findings();
  const read = readYaml(text);
  if (!read.ok) return (findings.problem(blackboxName, read.problem), findings.result());
  const doc = read.value;
  if (!isObject(doc) || !isObject(doc.modules)) {
    findings.problem(blackboxName, 'this is not a blackbox_exporter configuration: it has no "modules" map');
    return findings.result();
  }
  const modules = new Map<string, Module>();
  for (const [name, raw] of Object.entries(doc.modules))
    modules.set(name, moduleOf(raw, `${blackboxName}: modules.${name}`, findings));
  if (!prometheus) {
    findings.problem(
      blackboxName,
      'a blackbox.yml names no targets: give the prometheus.yml whose scrape jobs use it (--prometheus prometheus.yml)',
    );
    return findings.result();
  }
  // What a module cannot do is said once, and only for modules some imported target uses.
  for (const m of scrapeJobs(prometheus, modules, findings)) for (const why of m.unmapped) findings.skip(m.place, why);
  return findings.result();
}

// ---- modules ----

function moduleOf(raw: unknown, place: string, findings: Findings): Module {
  const module: Module = { place, unmapped: [] };
  if (!isObject(raw)) return (findings.problem(place, `expected a module (an object), found ${kindOf(raw)}`), module);
  const f = new FieldReader(raw, place, findings);
  const prober = f.string('prober');
  const timeout = f.raw('timeout');
  if (timeout !== undefined) {
    const ms = goDuration(timeout);
    if (ms === undefined)
      findings.problem(`${place}.timeout`, `${JSON.stringify(timeout)} is not a duration such as 5s`);
    else module.timeoutMs = ms;
  }
  const section = (key: string): FieldReader => new FieldReader(f.object(key) ?? {}, `${place}.${key}`, findings);
  const note = (why: string): void => void module.unmapped.push(why);
  if (prober === 'http') module.build = httpModule(section('http'), note);
  else if (prober === 'tcp') module.build = tcpModule(section('tcp'), note);
  else if (prober === 'dns') {
    const dns = dnsModule(section('dns'), note);
    if (typeof dns === 'string') module.skip = dns;
    else module.build = dns;
  } else if (prober === 'icmp') module.skip = 'an ICMP ping checks no port; Portwatch checks ports and services';
  else if (prober === 'grpc') module.skip = 'Portwatch has no gRPC health check';
  else if (!prober) findings.problem(`${place}.prober`, 'missing (http, tcp, dns, icmp or grpc)');
  else module.skip = `the prober "${prober}" has no Portwatch equivalent`;
  return module;
}

/** preferred_ip_protocol as a fixed family, only when blackbox would not fall back to the other. */
function familyOf(s: FieldReader): 4 | 6 | undefined {
  const preferred = s.string('preferred_ip_protocol');
  if (s.bool('ip_protocol_fallback') !== false) return undefined;
  return preferred === 'ip4' ? 4 : preferred === 'ip6' ? 6 : undefined;
}

function tlsOf(s: FieldReader): Partial<ImportedMonitor> {
  const tls = s.object('tls_config');
  const out: Partial<ImportedMonitor> = {};
  if (tls?.insecure_skip_verify === true) out.insecure = true;
  if (typeof tls?.server_name === 'string' && tls.server_name) out.servername = tls.server_name;
  return out;
}

const stringList = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

function httpModule(s: FieldReader, note: (why: string) => void): (target: string) => Built {
  const http: Partial<HttpCheck> = {};
  const codes = s.list('valid_status_codes') ?? [];
  const good = codes.filter((c) => Number.isInteger(c) && (c as number) >= 100 && (c as number) <= 599);
  if (good.length < codes.length) note('valid_status_codes outside 100-599 are left out');
  // blackbox's default is any 2xx, narrower than Portwatch's 200-399.
  http.expectStatus = good.length ? good.join(',') : '200-299';
  const method = s.string('method')?.toUpperCase();
  if (method && method !== 'GET') http.method = method;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.object('headers') ?? {})) headers[k] = String(v);
  const auth = s.object('basic_auth');
  if (auth && typeof auth.username === 'string')
    headers.Authorization = `Basic ${Buffer.from(`${auth.username}:${typeof auth.password === 'string' ? auth.password : ''}`).toString('base64')}`;
  if (auth?.password_file) note('basic_auth.password_file is not read: put the credential in the header instead');
  const bearer = s.string('bearer_token');
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (s.string('bearer_token_file')) note('bearer_token_file is not read');
  if (Object.keys(headers).length) http.headers = headers;
  if (s.bool('no_follow_redirects') === true || s.bool('follow_redirects') === false) http.followRedirects = false;
  const body = bodyRule(
    stringList(s.raw('fail_if_body_not_matches_regexp')),
    stringList(s.raw('fail_if_body_matches_regexp')),
  );
  if (body.bad) note(`the body pattern /${body.bad}/ is not a regular expression Portwatch can run (Go syntax?)`);
  else if (body.regex) http.bodyRegex = body.regex;
  for (const [key, why] of [
    ['fail_if_ssl', 'failing on TLS is not checked'],
    ['fail_if_not_ssl', 'failing without TLS is not checked (use an https:// target)'],
    ['fail_if_header_matches', 'header rules are not checked'],
    ['fail_if_header_not_matches', 'header rules are not checked'],
    ['valid_http_versions', 'the HTTP version is not checked'],
    ['body', 'the request body is not sent'],
    ['proxy_url', 'the proxy is not used'],
    ['compression', 'the compression is not checked'],
    ['oauth2', 'OAuth2 is not used'],
  ] as const)
    if (s.raw(key) !== undefined && s.raw(key) !== false) note(`${key}: ${why}`);
  const family = familyOf(s);
  const tls = tlsOf(s);
  return (target) => {
    const t = httpTarget(/^[a-z][a-z0-9+.-]*:\/\//i.test(target) ? target : `http://${target}`);
    if (!t) return { skip: `"${target}" is not an http:// or https:// address` };
    return {
      monitor: {
        kind: 'http',
        host: t.host,
        port: t.port,
        url: t.url,
        http: { ...http },
        ...tls,
        ...(family ? { family } : {}),
      },
    };
  };
}

const textOf = (steps: unknown[], key: 'expect' | 'send'): string[] =>
  steps.flatMap((s) => (isObject(s) && typeof s[key] === 'string' ? [(s[key] as string).replace(/^\(\?i\)/, '')] : []));

/** The service a query_response exchange talks to, told by its greeting or its request. */
function exchangeService(steps: unknown[]): string | undefined {
  const expects = textOf(steps, 'expect');
  const sends = textOf(steps, 'send');
  const first = expects[0] ?? '';
  if (/^\^?SSH-/.test(first)) return 'ssh';
  if (sends.some((s) => /^PING\b/i.test(s)) && expects.some((e) => e.includes('PONG'))) return 'redis';
  if (sends.some((s) => /^version\b/.test(s)) && expects.some((e) => e.includes('VERSION'))) return 'memcached';
  if (/^\^?\\\+OK/.test(first)) return 'pop3';
  if (/^\^?\\\* \(?OK/.test(first)) return 'imap';
  if (/^\^?220/.test(first)) {
    if (sends.some((s) => /^(EHLO|HELO)\b/i.test(s))) return 'smtp';
    if (sends.some((s) => /^(USER|AUTH TLS|QUIT)\b/i.test(s))) return 'ftp';
  }
  return undefined;
}

function tcpModule(s: FieldReader, note: (why: string) => void): (target: string) => Built {
  const steps = s.list('query_response') ?? [];
  const tls = s.bool('tls') === true;
  const starttls = steps.some((x) => isObject(x) && x.starttls === true);
  const service = exchangeService(steps);
  if (steps.length && !service)
    note('the query_response exchange is not run: Portwatch checks the connection (and TLS) only');
  const family = familyOf(s);
  const tlsFields = tlsOf(s);
  return (target) => {
    const hp = hostPort(target);
    if (!hp) return { skip: `"${target}" is not host:port (a tcp probe needs the port)` };
    const named = service ? serviceByName(service) : undefined;
    let monitor: Omit<ImportedMonitor, 'name'>;
    if (named) {
      const { name: _n, ...m } = catalogMonitor({ ...named, tls }, hp.host, hp.port);
      monitor = m;
      if (m.kind === 'service') {
        delete monitor.starttls;
        if (starttls) monitor.starttls = true;
      }
    } else monitor = { kind: tls ? 'tls' : 'tcp', ...hp };
    return { monitor: { ...monitor, ...(tls || starttls ? tlsFields : {}), ...(family ? { family } : {}) } };
  };
}

/** The DNS settings a dns module asks for, or why it cannot be imported. */
function dnsSettings(s: FieldReader, note: (why: string) => void): Record<string, unknown> | string {
  const name = s.string('query_name');
  if (!name) return 'it names no query_name to ask for';
  const type = (s.string('query_type') ?? 'ANY').toUpperCase();
  const qclass = (s.string('query_class') ?? 'IN').toUpperCase();
  if (s.bool('dns_over_tls')) return 'Portwatch has no DNS-over-TLS check';
  const transport = s.string('transport_protocol') === 'tcp' ? 'tcp' : 'udp';
  const rcodes = stringList(s.raw('valid_rcodes')).map((r) => r.toUpperCase());
  const unknown = rcodes.find((r) => !RCODES.includes(r));
  // version.bind TXT in class CHAOS is the dns check's own question when it is given no name:
  // any reply proves a DNS server answers, unless one rcode is asked for.
  if (name.toLowerCase() === 'version.bind' && type === 'TXT' && qclass === 'CH')
    return rcodes.length === 1 && !unknown ? { transport, expectRcode: rcodes[0] } : { transport };
  if (qclass !== 'IN') return `the query class ${qclass} is not one Portwatch asks in (IN)`;
  if (!DNS_TYPES.includes(type))
    return `the query type ${type} is not one Portwatch asks for (${DNS_TYPES.join(', ')}; blackbox's default is ANY)`;
  if (unknown) return `the response code ${unknown} is not one Portwatch knows`;
  const expectRcode = rcodes[0] ?? 'NOERROR';
  if (rcodes.length > 1) note(`only the first valid rcode (${expectRcode}) is expected`);
  // "Some record must match .*" is "there is an answer": the dns check's own rule with NOERROR.
  const answers = s.object('validate_answer_rrs');
  const anyAnswer =
    answers !== undefined &&
    Object.keys(answers).length === 1 &&
    ['.*', '.+'].includes(stringList(answers.fail_if_none_matches_regexp).join(''));
  for (const key of ['validate_answer_rrs', 'validate_authority_rrs', 'validate_additional_rrs'])
    if (s.raw(key) !== undefined && !(key === 'validate_answer_rrs' && anyAnswer))
      note(`${key}: the records in the answer are not checked`);
  if (s.bool('recursion_desired') === false) note('recursion is always asked for');
  return { name, type, transport, ...(anyAnswer && expectRcode === 'NOERROR' ? {} : { expectRcode }) };
}

function dnsModule(s: FieldReader, note: (why: string) => void): ((target: string) => Built) | string {
  const settings = dnsSettings(s, note);
  if (typeof settings === 'string') return settings;
  const family = familyOf(s);
  return (target) => {
    const hp = hostPort(target.replace(/^(udp|tcp):\/\//, ''), 53);
    if (!hp) return { skip: `"${target}" is not a DNS server address` };
    return {
      monitor: { kind: 'service', check: 'dns', service: 'dns', ...hp, settings, ...(family ? { family } : {}) },
    };
  };
}

// ---- prometheus.yml ----

interface Group {
  targets: unknown[];
  labels: Record<string, string>;
  place: string;
}

/** Reads the scrape jobs into monitors; returns the modules the imported targets use. */
function scrapeJobs(prometheus: PrometheusInput, modules: Map<string, Module>, findings: Findings): Set<Module> {
  const used = new Set<Module>();
  const name = path.basename(prometheus.file);
  const read = readYaml(prometheus.text);
  if (!read.ok) return (findings.problem(name, read.problem), used);
  const doc = read.value;
  if (!isObject(doc) || !Array.isArray(doc.scrape_configs))
    return (findings.problem(name, 'this is not a prometheus.yml: it has no "scrape_configs" list'), used);
  let blackboxJobs = 0;
  doc.scrape_configs.forEach((raw, i) => {
    if (!isObject(raw)) return findings.problem(`${name}: scrape_configs.${i}`, 'expected a scrape job (an object)');
    const place = `${name}: ${placeOf(`scrape_configs.${i}`, raw.job_name)}`;
    const f = new FieldReader(raw, place, findings);
    const job = f.string('job_name') ?? `job ${i}`;
    const params = f.object('params') ?? {};
    const module = stringList(params.module);
    const relabel = f.list('relabel_configs') ?? [];
    const probes = module.length > 0 || f.string('metrics_path') === '/probe';
    if (!probes) return findings.skip(place, 'it scrapes metrics; it is not a blackbox probe');
    blackboxJobs++;
    if (module.length > 1) findings.skip(place, `params.module lists several modules; only ${module[0]} is used`);
    const groups = [...staticGroups(f, place, findings), ...fileSdGroups(f, place, prometheus, findings)];
    for (const key of Object.keys(raw))
      if (key.endsWith('_sd_configs') && key !== 'file_sd_configs')
        findings.skip(`${place}.${key}`, 'only static_configs and file_sd_configs targets are followed');
    for (const g of groups)
      g.targets.forEach((t, k) => {
        const item = `${g.place}.${k}`;
        if (typeof t !== 'string') return findings.problem(item, `expected a target (text), found ${kindOf(t)}`);
        const labels: Record<string, string> = {
          ...g.labels,
          __address__: t,
          job,
          ...(module[0] ? { __param_module: module[0] } : {}),
          ...(stringList(params.target)[0] ? { __param_target: stringList(params.target)[0] as string } : {}),
        };
        const after = relabelled(labels, relabel, `${place}.relabel_configs`, findings);
        if (!after) return;
        const target = after.__param_target;
        const moduleName = after.__param_module;
        const label = placeOf(item, t);
        if (!target)
          return findings.skip(label, 'no relabel_configs rule sets __param_target, so blackbox is given no target');
        const m = moduleName ? modules.get(moduleName) : undefined;
        if (!moduleName) return findings.skip(label, 'no module is named (params.module)');
        if (!m) return findings.skip(label, `the module "${moduleName}" is not in the blackbox.yml`);
        if (m.skip || !m.build) return findings.skip(label, `module ${moduleName}: ${m.skip ?? 'it cannot be read'}`);
        const built = m.build(target);
        if ('skip' in built) return findings.skip(label, built.skip);
        const monitor: ImportedMonitor = {
          ...built.monitor,
          name: `${job}: ${target}`.slice(0, 200),
          tags: [job.slice(0, 64)],
        };
        if (m.timeoutMs !== undefined)
          applyTimings(monitor, { timeoutMs: m.timeoutMs }, (_k, why) => findings.skip(m.place, why));
        if (m.unmapped.length)
          monitor.notes = `Not brought over from blackbox module ${moduleName}: ${m.unmapped.join('; ')}.`.slice(
            0,
            4000,
          );
        used.add(m);
        findings.add(monitor, label, ['name', 'tags', ...(monitor.tier === undefined ? [] : ['tier'])]);
      });
  });
  if (blackboxJobs === 0)
    findings.problem(name, 'no scrape job probes through blackbox (params.module or metrics_path /probe)');
  return used;
}

function labelsOf(v: unknown): Record<string, string> {
  if (!isObject(v)) return {};
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
}

function staticGroups(f: FieldReader, place: string, findings: Findings): Group[] {
  return (f.list('static_configs') ?? []).flatMap((g, i) => {
    const at = `${place}.static_configs.${i}`;
    if (!isObject(g) || !Array.isArray(g.targets)) {
      findings.problem(at, 'expected an object with a "targets" list');
      return [];
    }
    return [{ targets: g.targets, labels: labelsOf(g.labels), place: `${at}.targets` }];
  });
}

/** A file_sd pattern's files: * and ? only in the last part of the path, as Prometheus allows. */
function expand(pattern: string, files: SdFiles): string[] {
  const base = path.basename(pattern);
  if (!/[*?]/.test(base)) return [pattern];
  const dir = path.dirname(pattern);
  const re = new RegExp(
    `^${base
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return files
    .list(dir)
    .filter((n) => re.test(n))
    .sort()
    .map((n) => path.join(dir, n));
}

function fileSdGroups(f: FieldReader, place: string, prometheus: PrometheusInput, findings: Findings): Group[] {
  const dir = path.dirname(prometheus.file);
  const groups: Group[] = [];
  (f.list('file_sd_configs') ?? []).forEach((sd, i) => {
    const at = `${place}.file_sd_configs.${i}`;
    if (!isObject(sd) || !Array.isArray(sd.files))
      return findings.problem(at, 'expected an object with a "files" list');
    sd.files.forEach((pattern, k) => {
      if (typeof pattern !== 'string') return findings.problem(`${at}.files.${k}`, 'expected a file name');
      if (!/\.(json|ya?ml)$/i.test(pattern))
        return findings.problem(`${at}.files.${k}`, `"${pattern}": a file_sd file ends in .json, .yml or .yaml`);
      let files: string[];
      try {
        files = expand(path.resolve(dir, pattern), prometheus.files);
      } catch (e) {
        return findings.problem(`${at}.files.${k}`, `"${pattern}": ${e instanceof Error ? e.message : String(e)}`);
      }
      if (files.length === 0) findings.skip(`${at}.files.${k}`, `"${pattern}" matches no file`);
      for (const file of files)
        groups.push(...sdFile(file, path.relative(dir, file) || file, prometheus.files, findings));
    });
  });
  return groups;
}

function sdFile(file: string, shown: string, files: SdFiles, findings: Findings): Group[] {
  let text: string;
  try {
    text = files.read(file);
  } catch (e) {
    findings.problem(shown, `cannot be read: ${e instanceof Error ? e.message : String(e)}`);
    return [];
  }
  let value: unknown;
  if (/\.json$/i.test(file)) {
    const parsed = parseJson(text);
    if (!parsed.ok) {
      findings.problem(
        shown,
        parsed.problem.startsWith('line') ? `not valid JSON at ${parsed.problem}` : parsed.problem,
      );
      return [];
    }
    value = parsed.value;
  } else {
    const read = readYaml(text);
    if (!read.ok) return (findings.problem(shown, read.problem), []);
    value = read.value;
  }
  if (!Array.isArray(value)) {
    findings.problem(shown, 'a file_sd file holds a list of {targets, labels} groups');
    return [];
  }
  return value.flatMap((g, i) => {
    if (!isObject(g) || !Array.isArray(g.targets)) {
      findings.problem(`${shown}: ${i}`, 'expected an object with a "targets" list');
      return [];
    }
    return [{ targets: g.targets, labels: labelsOf(g.labels), place: `${shown}: ${i}.targets` }];
  });
}

/**
 * Prometheus's relabelling, for what decides a probe: replace (the default), keep and drop.
 * Returns the labels after the rules, or undefined when a rule drops the target.
 */
function relabelled(
  start: Record<string, string>,
  rules: unknown[],
  place: string,
  findings: Findings,
): Record<string, string> | undefined {
  const labels = { ...start };
  for (const [i, rule] of rules.entries()) {
    if (!isObject(rule)) continue;
    const action = typeof rule.action === 'string' ? rule.action.toLowerCase() : 'replace';
    const sources = stringList(rule.source_labels);
    const separator = typeof rule.separator === 'string' ? rule.separator : ';';
    const value = sources.map((s) => labels[s] ?? '').join(separator);
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${typeof rule.regex === 'string' ? rule.regex : '(.*)'})$`);
    } catch {
      findings.problem(`${place}.${i}.regex`, 'not a regular expression Portwatch can run');
      return undefined;
    }
    if (action === 'keep' && !re.test(value)) return undefined;
    if (action === 'drop' && re.test(value)) return undefined;
    if (action !== 'replace') continue;
    const target = typeof rule.target_label === 'string' ? rule.target_label : undefined;
    const match = re.exec(value);
    if (!target || !match) continue;
    const replacement = typeof rule.replacement === 'string' ? rule.replacement : '$1';
    const out = replacement.replace(/\$\{?(\d+)\}?/g, (_m, n: string) => match[Number(n)] ?? '');
    if (out === '') delete labels[target];
    else labels[target] = out;
  }
  return labels;
}
