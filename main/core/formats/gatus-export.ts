// Monitors as Gatus endpoints (github.com/TwiN/gatus, config.yaml). Gatus judges every check by
// its conditions alone and knows no "degraded": a slow answer or a certificate inside its warning
// window makes the endpoint unhealthy, which is the nearest it comes to Portwatch's warnings.

import { stringify } from 'yaml';
import { parseStatusRule } from '../../../shared/http-status';
import { groupOf, policyFor, type Monitor } from '../../../shared/monitor';
import {
  dnsSettingsOf,
  goDuration,
  headersWithoutCredentials,
  hostPort,
  portwatchOnly,
  type ExportResult,
  type NotCarried,
} from './export-result';

export interface GatusEndpoint {
  name: string;
  group: string;
  enabled?: false;
  url: string;
  method?: string;
  headers?: Record<string, string>;
  dns?: { 'query-name': string; 'query-type': string };
  interval: string;
  client: { timeout: string; insecure?: true; 'ignore-redirect'?: true; 'dns-resolver'?: string };
  conditions: string[];
}

/** The statuses a rule accepts, as Gatus conditions (all of which must hold). */
export function statusConditions(rule: string): string[] {
  const parsed = parseStatusRule(rule);
  if (!parsed.ok) return [];
  const codes = new Set<number>();
  for (const r of parsed.value.ranges) for (let c = r.from; c <= r.to; c++) codes.add(c);
  const sorted = [...codes].sort((a, b) => a - b);
  const low = sorted[0] ?? 100;
  const high = sorted[sorted.length - 1] ?? 599;
  if (low === high) return [`[STATUS] == ${low}`];
  // One unbroken run is two bounds; anything else has to be spelled out.
  if (high - low + 1 === sorted.length)
    return [...(low > 100 ? [`[STATUS] >= ${low}`] : []), ...(high < 599 ? [`[STATUS] <= ${high}`] : [])];
  return [`[STATUS] == any(${sorted.join(', ')})`];
}

/** Text for Gatus's pat(): its wildcards and escapes made literal (Go's filepath.Match). */
export const gatusPatternLiteral = (text: string): string => text.replace(/[\\*?[]/g, '\\$&');

interface Target {
  url: string;
  conditions: string[];
  /** Whether the check ends in a TLS handshake whose certificate Gatus can judge. */
  tls: boolean;
  dns?: GatusEndpoint['dns'];
  lost: string[];
}

function httpTarget(m: Monitor & { url: string }): Target {
  const lost: string[] = [];
  const http = m.http;
  const conditions = statusConditions(http?.expectStatus ?? '200-399');
  if (http?.bodyContains !== undefined) {
    // Gatus splits a condition at " == ", so a text holding it cannot be written as one.
    if (http.bodyContains.includes(' == ')) lost.push('body must contain a text holding " == "');
    else conditions.push(`[BODY] == pat(*${gatusPatternLiteral(http.bodyContains)}*)`);
  }
  if (http?.bodyRegex !== undefined) lost.push(`body regex /${http.bodyRegex}/ (Gatus matches patterns only)`);
  if (!conditions.length) conditions.push('[CONNECTED] == true');
  if (m.servername) lost.push(`TLS server name ${m.servername}`);
  return { url: m.url, conditions, tls: m.url.startsWith('https:'), lost };
}

function dnsTarget(m: Monitor): Target {
  const s = dnsSettingsOf(m);
  const lost = s.transport === 'tcp' ? ['DNS over TCP (Gatus asks over UDP)'] : [];
  const url = hostPort(m.host, m.port);
  // Without a name Portwatch only wants a reply, whatever it says; Gatus needs a name to ask.
  if (s.name === undefined)
    return {
      url,
      dns: { 'query-name': 'version.bind', 'query-type': 'TXT' },
      conditions: ['[CONNECTED] == true'],
      tls: false,
      lost,
    };
  const conditions = s.expectRcode
    ? [`[DNS_RCODE] == ${s.expectRcode}`]
    : // At least one answer: Gatus's body is the answer, empty when there is none.
      ['[DNS_RCODE] == NOERROR', '[BODY] == pat(?*)'];
  return { url, dns: { 'query-name': s.name, 'query-type': s.type }, conditions, tls: false, lost };
}

function serviceTarget(m: Monitor): Target {
  const check = m.check ?? 'service';
  const at = hostPort(m.host, m.port);
  if (check === 'dns') return dnsTarget(m);
  // Gatus's STARTTLS speaks SMTP only.
  if (check === 'smtp' && m.starttls && !m.implicitTls)
    return { url: `starttls://${at}`, conditions: ['[CONNECTED] == true'], tls: true, lost: [] };
  const upgrade = m.starttls && !m.implicitTls ? ' and its STARTTLS upgrade' : '';
  if (m.implicitTls)
    return {
      url: `tls://${at}`,
      conditions: ['[CONNECTED] == true'],
      tls: true,
      lost: [`${check} protocol check exported as a TLS handshake`],
    };
  return {
    url: `tcp://${at}`,
    conditions: ['[CONNECTED] == true'],
    tls: false,
    lost: [`${check} protocol check${upgrade} exported as a TCP connect`],
  };
}

function targetOf(m: Monitor): Target {
  switch (m.kind) {
    case 'http':
      return httpTarget(m as Monitor & { url: string });
    case 'tls':
      return {
        url: `tls://${hostPort(m.host, m.port)}`,
        conditions: ['[CONNECTED] == true'],
        tls: true,
        lost: m.servername ? [`TLS server name ${m.servername}`] : [],
      };
    case 'service':
      return serviceTarget(m);
    default:
      return { url: `tcp://${hostPort(m.host, m.port)}`, conditions: ['[CONNECTED] == true'], tls: false, lost: [] };
  }
}

/** Gatus refuses " and \ in names and groups, and keys endpoints by group and name. */
const gatusName = (text: string): string => text.replace(/"/g, "'").replace(/\\/g, '/');

export function gatusEndpoint(m: Monitor): { endpoint: GatusEndpoint; lost: string[] } {
  const policy = policyFor(m);
  const target = targetOf(m);
  const lost = [...target.lost];
  const conditions = [...target.conditions];
  if (target.tls) {
    const days = Math.max(...policy.certWarnDays);
    conditions.push(`[CERTIFICATE_EXPIRATION] > ${days * 24}h`);
    if (policy.certWarnDays.length > 1)
      lost.push(`certificate warnings at ${policy.certWarnDays.join(', ')} days (one condition: ${days} days)`);
  }
  conditions.push(`[RESPONSE_TIME] < ${policy.slowMs}`);
  const request: Pick<GatusEndpoint, 'method' | 'headers'> = {};
  if (m.kind === 'http' && m.http) {
    if (m.http.method !== 'GET') request.method = m.http.method;
    const { headers, leftOut } = headersWithoutCredentials(m);
    if (Object.keys(headers).length) request.headers = headers;
    for (const h of leftOut) lost.push(`header ${h} (a credential: never exported)`);
  }
  const client: GatusEndpoint['client'] = { timeout: goDuration(policy.timeoutMs) };
  if (m.insecure) client.insecure = true;
  if (m.http?.followRedirects === false) client['ignore-redirect'] = true;
  if (m.resolver) client['dns-resolver'] = `udp://${hostPort(m.resolver.host, m.resolver.port)}`;
  const endpoint: GatusEndpoint = {
    name: gatusName(m.name),
    group: gatusName(groupOf(m)),
    ...(!m.enabled && { enabled: false as const }),
    url: target.url,
    ...request,
    ...(target.dns && { dns: target.dns }),
    interval: goDuration(policy.intervalMs),
    client,
    conditions,
  };
  if (endpoint.name !== m.name || endpoint.group !== groupOf(m))
    lost.push('" and \\ in its name or group (Gatus refuses them)');
  if (m.family) lost.push(`IPv${m.family} only`);
  lost.push(...portwatchOnly(m, policy.retries));
  return { endpoint, lost };
}

export function renderGatus(monitors: readonly Monitor[]): ExportResult {
  const notCarried: NotCarried[] = [];
  const taken = new Set<string>();
  const endpoints = monitors.map((m) => {
    const { endpoint, lost } = gatusEndpoint(m);
    // Two endpoints with one group and name would be one in Gatus's history.
    const base = endpoint.name;
    for (let n = 2; taken.has(`${endpoint.group}\n${endpoint.name}`); n++) endpoint.name = `${base} (${n})`;
    taken.add(`${endpoint.group}\n${endpoint.name}`);
    if (endpoint.name !== base)
      lost.push(`its name, taken by another monitor in ${endpoint.group} (now "${endpoint.name}")`);
    for (const what of lost) notCarried.push({ monitor: m.name, what });
    return endpoint;
  });
  const text = `# Gatus endpoints written by "portwatch export --format gatus".\n${stringify({ endpoints }, { lineWidth: 0 })}`;
  return { files: [{ name: 'config.yaml', text }], notCarried };
}
