// Monitors as blackbox_exporter modules (blackbox.yml) and the Prometheus scrape jobs that use
// them (prometheus.yml). A module is a probe's shape, shared by every monitor of that shape; the
// monitor itself is a target with its labels. Prometheus decides what is down, slow or about to
// expire in its alert rules, so Portwatch's judgement beyond "the probe succeeded" is listed as
// not carried rather than guessed at.

import { Document, isScalar, visit } from 'yaml';
import { parseStatusRule } from '../../../shared/http-status';
import { groupOf, policyFor, type Monitor } from '../../../shared/monitor';
import {
  dnsSettingsOf,
  goDuration,
  headersWithoutCredentials,
  hostPort,
  portwatchOnly,
  re2Literal,
  toRe2,
  type ExportResult,
  type NotCarried,
} from './export-result';

export const DEFAULT_EXPORTER = '127.0.0.1:9115';

export interface BlackboxOptions {
  /** Where Prometheus reaches blackbox_exporter. */
  exporter?: string;
}

export interface QueryStep {
  expect?: string;
  send?: string;
  starttls?: true;
}

export type BlackboxModule = { prober: 'tcp' | 'http' | 'dns'; timeout: string } & Record<string, unknown>;

interface Shape {
  module: BlackboxModule;
  /** What the module is called unless another shape took the name first. */
  name: string;
  target: string;
  /** Whether the probe ends in a TLS handshake, so certificate expiry is measured. */
  tls: boolean;
  lost: string[];
}

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40) || 'monitor';

/** IPv4 first, as most services listen; a monitor pinned to one family gets only that one. */
const ipProtocol = (m: Monitor): Record<string, unknown> =>
  m.family ? { preferred_ip_protocol: `ip${m.family}`, ip_protocol_fallback: false } : { preferred_ip_protocol: 'ip4' };

const tlsConfig = (m: Monitor): Record<string, unknown> | undefined => {
  const c = { ...(m.insecure && { insecure_skip_verify: true }), ...(m.servername && { server_name: m.servername }) };
  return Object.keys(c).length ? c : undefined;
};

const HELLO = 'EHLO portwatch.invalid\r';

/**
 * Line protocols as query_response steps, the way Portwatch's own check talks to them. Every send
 * ends in "\r": blackbox_exporter adds the "\n".
 */
const LINE_DIALOGUES: Record<string, (starttls: boolean) => QueryStep[] | undefined> = {
  redis: (tls) => (tls ? undefined : [{ send: 'PING\r' }, { expect: '^(\\+PONG|-)' }]),
  memcached: (tls) =>
    tls ? undefined : [{ send: 'version\r' }, { expect: '^(VERSION \\S+|CLIENT_ERROR unauthenticated)' }],
  ssh: (tls) => (tls ? undefined : [{ expect: '^SSH-' }, { send: 'SSH-2.0-Portwatch\r' }]),
  smtp: (tls) => [
    { expect: '^220 ' },
    { send: HELLO },
    ...(tls
      ? [
          { expect: '(?i)^250[ -]STARTTLS' },
          { send: 'STARTTLS\r' },
          { expect: '^220' },
          { starttls: true } as const,
          { send: HELLO },
        ]
      : []),
    { expect: '^250 ' },
    { send: 'QUIT\r' },
  ],
  pop3: (tls) => [
    { expect: '^\\+OK' },
    ...(tls ? [{ send: 'STLS\r' }, { expect: '^\\+OK' }, { starttls: true } as const] : []),
    { send: 'QUIT\r' },
  ],
  imap: (tls) => [
    { expect: '(?i)^\\* (OK|PREAUTH)' },
    ...(tls ? [{ send: 'a1 STARTTLS\r' }, { expect: '(?i)^a1 OK' }, { starttls: true } as const] : []),
    { send: 'a2 LOGOUT\r' },
  ],
  ftp: (tls) => [
    { expect: '^220 ' },
    ...(tls ? [{ send: 'AUTH TLS\r' }, { expect: '^234' }, { starttls: true } as const] : []),
    { send: 'QUIT\r' },
  ],
};

/** A dialogue check's steps as query_response, or why they cannot be. */
export function dialogueSteps(settings: Record<string, unknown> | undefined): QueryStep[] | string {
  const steps = settings?.steps;
  if (!Array.isArray(steps) || !steps.length) return 'it has no steps';
  const out: QueryStep[] = [];
  for (const [i, raw] of steps.entries()) {
    const step = (raw ?? {}) as Record<string, unknown>;
    const n = i + 1;
    if (typeof step.expect === 'string') {
      const re = toRe2(step.expect);
      if (re === undefined) return `step ${n}'s regular expression needs features RE2 lacks`;
      out.push({ expect: re });
    } else if (typeof step.send === 'string') {
      if (!step.send.endsWith('\n')) return `step ${n} sends no line break at the end, and blackbox always adds one`;
      out.push({ send: step.send.slice(0, -1) });
    } else if (step.starttls === true) out.push({ starttls: true });
    else return `step ${n} is in hex`;
  }
  return out;
}

function tcpShape(m: Monitor, name: string, steps?: QueryStep[]): Omit<Shape, 'lost'> {
  const tls = m.kind === 'tls' || m.implicitTls === true;
  const tcp = {
    ...ipProtocol(m),
    ...(tls && { tls: true }),
    ...(steps && { query_response: steps }),
    ...(tlsConfig(m) && { tls_config: tlsConfig(m) }),
  };
  return {
    module: { prober: 'tcp', timeout: goDuration(policyFor(m).timeoutMs), tcp },
    name,
    target: hostPort(m.host, m.port),
    tls: tls || (steps?.some((s) => s.starttls) ?? false),
  };
}

function httpShape(m: Monitor & { url: string }): Shape {
  const lost: string[] = [];
  const http = m.http;
  const statuses = new Set<number>();
  const rule = parseStatusRule(http?.expectStatus ?? '200-399');
  for (const r of rule.ok ? rule.value.ranges : []) for (let c = r.from; c <= r.to; c++) statuses.add(c);
  const codes = [...statuses].sort((a, b) => a - b);
  const only2xx = codes.length === 100 && codes[0] === 200 && codes[99] === 299;
  const bodyRules: string[] = [];
  if (http?.bodyContains !== undefined) bodyRules.push(re2Literal(http.bodyContains));
  if (http?.bodyRegex !== undefined) {
    const re = toRe2(http.bodyRegex);
    if (re === undefined) lost.push(`body regex /${http.bodyRegex}/ (it needs features Go's RE2 lacks)`);
    else bodyRules.push(re);
  }
  const { headers, leftOut } = headersWithoutCredentials(m);
  for (const h of leftOut) lost.push(`header ${h} (a credential: never exported)`);
  const method = http?.method ?? 'GET';
  const probe = {
    ...ipProtocol(m),
    ...(method !== 'GET' && { method }),
    ...(Object.keys(headers).length && { headers }),
    // blackbox_exporter's default is 2xx; anything else must be listed.
    ...(!only2xx && { valid_status_codes: codes }),
    ...(bodyRules.length && { fail_if_body_not_matches_regexp: bodyRules }),
    ...(http?.followRedirects === false && { follow_redirects: false }),
    ...(tlsConfig(m) && { tls_config: tlsConfig(m) }),
  };
  return {
    module: { prober: 'http', timeout: goDuration(policyFor(m).timeoutMs), http: probe },
    name: `http_${slug(m.name)}`,
    target: m.url,
    tls: m.url.startsWith('https:'),
    lost,
  };
}

/** Every response code, for Portwatch's "any reply will do". */
const ALL_RCODES = [
  'NOERROR',
  'FORMERR',
  'SERVFAIL',
  'NXDOMAIN',
  'NOTIMP',
  'REFUSED',
  'YXDOMAIN',
  'YXRRSET',
  'NXRRSET',
  'NOTAUTH',
  'NOTZONE',
];

function dnsShape(m: Monitor): Shape {
  const s = dnsSettingsOf(m);
  const asked =
    s.name === undefined
      ? { query_name: 'version.bind', query_class: 'CH', query_type: 'TXT' }
      : { query_name: s.name, query_type: s.type };
  const judged = s.expectRcode
    ? { valid_rcodes: [s.expectRcode] }
    : s.name === undefined
      ? { valid_rcodes: ALL_RCODES }
      : // NOERROR (the default) and at least one answer.
        { validate_answer_rrs: { fail_if_none_matches_regexp: ['.*'] } };
  return {
    module: {
      prober: 'dns',
      timeout: goDuration(policyFor(m).timeoutMs),
      dns: { ...ipProtocol(m), transport_protocol: s.transport, ...asked, ...judged },
    },
    name: s.name === undefined ? 'dns_any_reply' : `dns_${slug(s.name)}_${s.type.toLowerCase()}`,
    target: hostPort(m.host, m.port),
    tls: false,
    lost: [],
  };
}

function serviceShape(m: Monitor): Shape {
  const check = m.check ?? 'service';
  if (check === 'dns') return dnsShape(m);
  const starttls = m.starttls === true && !m.implicitTls;
  const suffix = `${starttls ? '_starttls' : ''}${m.implicitTls ? '_tls' : ''}`;
  const steps = check === 'dialogue' ? dialogueSteps(m.settings) : LINE_DIALOGUES[check]?.(starttls);
  if (Array.isArray(steps))
    return { ...tcpShape(m, `${slug(check === 'dialogue' ? m.name : check)}${suffix}`, steps), lost: [] };
  const as = m.implicitTls ? 'a TLS handshake' : 'a TCP connect';
  const why = typeof steps === 'string' ? ` (${steps})` : '';
  const upgrade = starttls ? ' and its STARTTLS upgrade' : '';
  return {
    ...tcpShape(m, m.implicitTls ? 'tls_connect' : 'tcp_connect'),
    lost: [`${check} protocol check${upgrade} exported as ${as}${why}`],
  };
}

function shapeOf(m: Monitor): Shape {
  switch (m.kind) {
    case 'http':
      return httpShape(m as Monitor & { url: string });
    case 'service':
      return serviceShape(m);
    case 'tls':
      return { ...tcpShape(m, 'tls_connect'), lost: [] };
    default:
      return { ...tcpShape(m, 'tcp_connect'), lost: [] };
  }
}

interface Job {
  module: string;
  intervalMs: number;
  timeoutMs: number;
  targets: { target: string; labels: Record<string, string> }[];
}

export interface BlackboxConfig {
  modules: Record<string, BlackboxModule>;
  jobs: Job[];
  notCarried: NotCarried[];
}

/** The modules, the jobs using them, and what they leave out; no YAML yet. */
export function blackboxConfig(monitors: readonly Monitor[]): BlackboxConfig {
  const modules: Record<string, BlackboxModule> = {};
  const byShape = new Map<string, string>();
  const jobs = new Map<string, Job>();
  const notCarried: NotCarried[] = [];
  for (const m of monitors) {
    const lost = (what: string): number => notCarried.push({ monitor: m.name, what });
    if (!m.enabled) {
      lost('left out: it is paused, and Prometheus has no paused target');
      continue;
    }
    const shape = shapeOf(m);
    const key = JSON.stringify(shape.module);
    let name = byShape.get(key);
    if (name === undefined) {
      name = shape.name;
      for (let n = 2; modules[name]; n++) name = `${shape.name}_${n}`;
      modules[name] = shape.module;
      byShape.set(key, name);
    }
    const policy = policyFor(m);
    const jobKey = `${name}\n${policy.intervalMs}`;
    const job = jobs.get(jobKey) ?? {
      module: name,
      intervalMs: policy.intervalMs,
      timeoutMs: policy.timeoutMs,
      targets: [],
    };
    jobs.set(jobKey, job);
    const service = m.service ?? m.check;
    job.targets.push({
      target: shape.target,
      labels: { monitor: m.name, group: groupOf(m), tier: String(m.tier), ...(service && { service }) },
    });
    shape.lost.forEach(lost);
    if (m.resolver)
      lost(`resolver ${hostPort(m.resolver.host, m.resolver.port)} (blackbox_exporter uses the system's)`);
    if (policy.timeoutMs > policy.intervalMs)
      lost(`a ${goDuration(policy.timeoutMs)} timeout (cut to the ${goDuration(policy.intervalMs)} scrape interval)`);
    lost(`slow threshold (${policy.slowMs} ms): alert on probe_duration_seconds in a Prometheus rule`);
    if (shape.tls)
      lost(
        `certificate warnings at ${policy.certWarnDays.join(', ')} days: alert on probe_ssl_earliest_cert_expiry in a Prometheus rule`,
      );
    portwatchOnly(m, policy.retries).forEach(lost);
  }
  return { modules, jobs: [...jobs.values()], notCarried };
}

/** Number lists (status codes) on one line each instead of one line per number. */
function yamlText(value: unknown): string {
  const doc = new Document(value);
  visit(doc, {
    Seq(_, node) {
      if (node.items.length && node.items.every((i) => isScalar(i) && typeof i.value === 'number')) node.flow = true;
    },
  });
  return doc.toString({ lineWidth: 120 });
}

/** The scrape timeout: the probe's own plus a second, within the interval as Prometheus requires. */
const scrapeTimeout = (job: Job): number => Math.min(job.intervalMs, Math.ceil((job.timeoutMs + 1000) / 1000) * 1000);

export function renderBlackbox(monitors: readonly Monitor[], options: BlackboxOptions = {}): ExportResult {
  const exporter = options.exporter ?? DEFAULT_EXPORTER;
  const { modules, jobs, notCarried } = blackboxConfig(monitors);
  // Two intervals for one module need two jobs; only then does the job name say which.
  const intervals = new Map<string, number>();
  for (const j of jobs) intervals.set(j.module, (intervals.get(j.module) ?? 0) + 1);
  const scrape_configs = jobs.map((j) => ({
    job_name: (intervals.get(j.module) ?? 0) > 1 ? `${j.module}_${goDuration(j.intervalMs)}` : j.module,
    metrics_path: '/probe',
    params: { module: [j.module] },
    scrape_interval: goDuration(j.intervalMs),
    scrape_timeout: goDuration(scrapeTimeout(j)),
    static_configs: j.targets.map((t) => ({ targets: [t.target], labels: t.labels })),
    relabel_configs: [
      { source_labels: ['__address__'], target_label: '__param_target' },
      { source_labels: ['__param_target'], target_label: 'instance' },
      { target_label: '__address__', replacement: exporter },
    ],
  }));
  const header = (what: string): string => `# ${what}, written by "portwatch export --format blackbox".\n`;
  return {
    files: [
      { name: 'blackbox.yml', text: header('blackbox_exporter modules') + yamlText({ modules }) },
      {
        name: 'prometheus.yml',
        text:
          header(`Prometheus scrape jobs probing through blackbox_exporter at ${exporter}`) +
          yamlText({ scrape_configs }),
      },
    ],
    notCarried,
  };
}
