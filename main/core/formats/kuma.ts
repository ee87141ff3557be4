// Uptime Kuma's backup file (Settings → Backup → Export, JSON): its "monitorList" as monitors and
// its "notificationList" as alert channels, where Portwatch has an equivalent. Anything else is
// listed with the reason, never silently dropped.

import { ChannelConfigSchema, type ChannelConfigInput } from '../../../shared/alerts';
import { parseStatusRule } from '../../../shared/http-status';
import { describeIssues } from '../../../shared/monitor';
import { clearSecretProblems } from '../alerts/channel-config';
import { parseJson } from '../config/json-position';
import { FieldReader } from './field-reader';
import { Findings, failed, isObject, placeOf, type ImportResult, type ImportedMonitor } from './import-result';
import { applyTimings, hostPort, httpTarget, plainHost, without } from './import-values';
import { catalogMonitor, serviceByName } from './proposal';

const NOT_MAPPED: Record<string, string> = {
  ping: 'an ICMP ping checks no port; Portwatch checks ports and services (add a tcp monitor on a port the host serves)',
  push: 'a push monitor waits for the service to call Uptime Kuma; Portwatch checks from the outside',
  docker: "it watches a container through Docker's API, not a port",
  group: 'a group only holds other monitors; its name becomes their group',
  'grpc-keyword': 'Portwatch has no gRPC check',
  'real-browser': 'it loads the page in a browser; Portwatch checks HTTP without one',
  steam: 'a Steam game server query runs over UDP; Portwatch checks TCP',
  gamedig: 'a game server query runs over UDP; Portwatch checks TCP',
  'kafka-producer': 'it produces a Kafka message; Portwatch has no Kafka check',
  radius: 'RADIUS runs over UDP; Portwatch checks TCP',
  sqlserver: 'Portwatch has no SQL Server check (add a tcp monitor on its port, usually 1433)',
  'tailscale-ping': 'it pings through Tailscale; Portwatch checks ports',
};

const DNS_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'SOA', 'TXT'];

/** The connection-string monitors and the catalog service each one is. */
const DATABASES: Record<string, string> = { postgres: 'postgres', mysql: 'mysql', mongodb: 'mongodb', redis: 'redis' };

interface Context {
  findings: Findings;
  groups: Map<unknown, string>;
}

export function parseKuma(text: string): ImportResult {
  const parsed = parseJson(text);
  if (!parsed.ok)
    return failed(
      parsed.problem.startsWith('line') ? `not valid JSON at ${parsed.problem}` : `the file ${parsed.problem}`,
    );
  const doc = parsed.value;
  if (!isObject(doc) || !Array.isArray(doc.monitorList))
    return failed('this is not an Uptime Kuma backup: it has no "monitorList" list');
  const findings = new Findings();
  const ctx: Context = { findings, groups: new Map() };
  for (const m of doc.monitorList)
    if (isObject(m) && m.type === 'group' && typeof m.name === 'string') ctx.groups.set(m.id, m.name);
  doc.monitorList.forEach((m, i) => monitor(m, i, ctx));
  if (doc.notificationList !== undefined && !Array.isArray(doc.notificationList))
    findings.problem('notificationList', 'expected a list');
  else notifications((doc.notificationList as unknown[] | undefined) ?? [], findings);
  return findings.result();
}

function monitor(raw: unknown, i: number, ctx: Context): void {
  const { findings } = ctx;
  if (!isObject(raw)) return findings.problem(`monitorList.${i}`, 'not a monitor (an object with a type and a name)');
  const place = placeOf(`monitorList.${i}`, raw.name);
  const f = new FieldReader(raw, place, findings);
  const type = f.string('type');
  const name = f.string('name')?.trim();
  if (!type) return findings.problem(`${place}.type`, 'missing');
  if (!name) return findings.problem(`${place}.name`, 'missing');
  const skipped = NOT_MAPPED[type];
  if (skipped) return findings.skip(place, `type ${type}: ${skipped}`);
  if (f.bool('upsideDown'))
    return findings.skip(place, 'upside-down mode (up when the check fails) has no Portwatch equivalent');

  const partial: string[] = [];
  const note = (why: string): void => {
    partial.push(why);
    findings.skip(place, why);
  };
  const problemsBefore = findings.problems.length;
  const target = targetOf(type, f, place, findings, note);
  if (findings.problems.length > problemsBefore) return;
  if (!target) return findings.skip(place, `the monitor type "${type}" has no Portwatch equivalent`);
  if ('skip' in target) return findings.skip(place, target.skip);

  const m: ImportedMonitor = { ...target, name };
  if (f.bool('active') === false) m.enabled = false;
  const timeout = f.number('timeout');
  applyTimings(
    m,
    {
      intervalSec: f.number('interval'),
      retries: f.number('maxretries'),
      retryIntervalSec: f.number('retryInterval'),
      ...(timeout && timeout > 0 ? { timeoutMs: timeout * 1000 } : {}),
    },
    (_field, why) => note(why),
  );
  const group = ctx.groups.get(raw.parent ?? undefined);
  if (group) m.group = group.slice(0, 200);
  const tags = tagsOf(f.list('tags'));
  if (tags.length) m.tags = tags;
  const description = f.string('description')?.trim();
  const notes = [
    ...(description ? [description] : []),
    ...(partial.length ? [`Not brought over from Uptime Kuma: ${partial.join('; ')}.`] : []),
  ].join('\n\n');
  if (notes) m.notes = notes.slice(0, 4000);
  findings.add(m, place, m.tier === undefined ? [] : ['tier']);
}

type Target = Omit<ImportedMonitor, 'name'> | { skip: string };

function targetOf(
  type: string,
  f: FieldReader,
  place: string,
  findings: Findings,
  note: (why: string) => void,
): Target | undefined {
  if (type === 'http' || type === 'keyword' || type === 'json-query') return httpOf(type, f, place, findings, note);
  if (type === 'port') {
    const host = f.string('hostname');
    const port = f.number('port');
    if (!host) return void findings.problem(`${place}.hostname`, 'missing');
    if (port === undefined) {
      if (f.raw('port') === undefined) findings.problem(`${place}.port`, 'missing');
      return undefined;
    }
    return { kind: 'tcp', host: plainHost(host.trim()), port };
  }
  if (type === 'dns') return dnsOf(f, place, findings);
  if (type in DATABASES) return databaseOf(type, f, place, note);
  if (type === 'mqtt' || type === 'smtp') {
    const host = f.string('hostname');
    if (!host) return void findings.problem(`${place}.hostname`, 'missing');
    const service = serviceByName(type);
    if (!service) return undefined;
    const port = f.number('port') ?? service.entry.ports[0]?.port ?? 0;
    const { name: _n, ...t } = catalogMonitor(service, plainHost(host.trim()), port);
    if (type === 'mqtt' && f.string('mqttTopic'))
      note('the MQTT topic and expected message are not checked: Portwatch checks that the broker accepts a client');
    return t;
  }
  return undefined;
}

function httpOf(
  type: string,
  f: FieldReader,
  place: string,
  findings: Findings,
  note: (why: string) => void,
): Target | undefined {
  const url = f.string('url');
  if (!url) return void findings.problem(`${place}.url`, 'missing');
  const target = httpTarget(url.trim());
  if (!target) return void findings.problem(`${place}.url`, `"${url}" is not an http:// or https:// address`);
  const http: NonNullable<ImportedMonitor['http']> = {};
  const method = f.string('method')?.toUpperCase();
  if (method && method !== 'GET') http.method = method;
  const status = statusOf(f, note);
  if (status) http.expectStatus = status;
  if (f.number('maxredirects') === 0) http.followRedirects = false;
  const headers = headersOf(f, note);
  if (type === 'keyword') {
    const keyword = f.string('keyword');
    if (keyword === undefined) return void findings.problem(`${place}.keyword`, 'missing');
    if (f.bool('invertKeyword')) http.bodyRegex = without(keyword);
    else http.bodyContains = keyword;
  }
  if (type === 'json-query') {
    const path = f.string('jsonPath') ?? '';
    const expected = f.string('expectedValue') ?? '';
    note(
      `the JSON query ${JSON.stringify(path)} = ${JSON.stringify(expected)} is not checked: Portwatch checks the status and the body's text, not values inside JSON`,
    );
  }
  if (f.string('body')) note("the request body is not sent: Portwatch's HTTP check sends none");
  if (f.raw('proxyId') !== undefined) note('the proxy is not used: Portwatch connects directly');
  const auth = f.string('authMethod');
  if (auth === 'basic') {
    const user = f.string('basic_auth_user') ?? '';
    const pass = f.string('basic_auth_pass') ?? '';
    headers.Authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  } else if (auth) note(`the ${auth} authentication is not used: Portwatch sends basic auth or headers only`);
  if (Object.keys(headers).length) http.headers = headers;
  return {
    kind: 'http',
    host: target.host,
    port: target.port,
    url: target.url,
    ...(f.bool('ignoreTls') ? { insecure: true } : {}),
    ...(Object.keys(http).length ? { http } : {}),
  };
}

/** accepted_statuscodes as one Portwatch rule; parts outside 100-599 are reported and left out. */
function statusOf(f: FieldReader, note: (why: string) => void): string | undefined {
  let codes = f.list('accepted_statuscodes');
  const json = codes === undefined ? f.string('accepted_statuscodes_json') : undefined;
  if (json !== undefined) {
    try {
      const v: unknown = JSON.parse(json);
      if (Array.isArray(v)) codes = v;
    } catch {
      note(`accepted_statuscodes_json is not JSON; the status is checked as 200-299`);
    }
  }
  if (!codes?.length) return undefined;
  const kept: string[] = [];
  for (const c of codes) {
    const text = String(c);
    if (parseStatusRule(text).ok) kept.push(text);
    else note(`the accepted status ${JSON.stringify(text)} is not one Portwatch can expect (100-599)`);
  }
  // Uptime Kuma's own default, so a list of only odd codes does not loosen to Portwatch's 200-399.
  return kept.length ? kept.join(',') : '200-299';
}

function headersOf(f: FieldReader, note: (why: string) => void): Record<string, string> {
  const raw = f.raw('headers');
  if (raw === undefined || raw === '') return {};
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      note('the headers are not JSON and are not sent');
      return {};
    }
  }
  if (!isObject(value)) {
    note('the headers are not a JSON object and are not sent');
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}

function dnsOf(f: FieldReader, place: string, findings: Findings): Target | undefined {
  const name = f.string('hostname')?.trim();
  if (!name) return void findings.problem(`${place}.hostname`, 'missing (the name to resolve)');
  const type = (f.string('dns_resolve_type') ?? 'A').toUpperCase();
  if (!DNS_TYPES.includes(type))
    return { skip: `the DNS record type ${type} is not one Portwatch asks for (${DNS_TYPES.join(', ')})` };
  // Uptime Kuma's default resolver, for a backup that leaves it out.
  const servers = (f.string('dns_resolve_server') ?? '1.1.1.1').split(',').map((s) => s.trim());
  const server = hostPort(servers[0] ?? '', f.number('port') ?? 53);
  if (!server) return void findings.problem(`${place}.dns_resolve_server`, `"${servers[0]}" is not a server address`);
  return {
    kind: 'service',
    check: 'dns',
    service: 'dns',
    host: server.host,
    port: server.port,
    settings: { name, type },
  };
}

function databaseOf(type: string, f: FieldReader, place: string, note: (why: string) => void): Target {
  const service = serviceByName(DATABASES[type] ?? type);
  const conn = f.string('databaseConnectionString')?.trim() ?? '';
  const url = URL.canParse(conn) ? new URL(conn) : undefined;
  const port = url?.port ? Number(url.port) : service?.entry.ports[0]?.port;
  if (!service || !url?.hostname || !port || conn.includes(','))
    return {
      skip: `the connection string at ${place}.databaseConnectionString is not one host and port Portwatch can read (${type}://user:password@host:port)`,
    };
  if (url.username || url.password)
    note('the login in the connection string is not used: Portwatch checks the service answers, without logging in');
  const { name: _n, ...t } = catalogMonitor(service, plainHost(url.hostname), port);
  return t;
}

function tagsOf(list: unknown[] | undefined): string[] {
  const out = new Set<string>();
  for (const t of list ?? []) {
    if (!isObject(t) || typeof t.name !== 'string' || !t.name.trim()) continue;
    const value = typeof t.value === 'string' && t.value.trim() ? `:${t.value.trim()}` : '';
    out.add(`${t.name.trim()}${value}`.slice(0, 64));
  }
  return [...out].slice(0, 50);
}

// ---- notifications ----

const slug = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 34)
    .replace(/-+$/, '') || 'channel';

/** The address in 'Uptime Kuma <kuma@example.com>' or a bare one. */
const address = (s: string | undefined): string | undefined =>
  s ? (/<([^<>]+)>/.exec(s)?.[1] ?? s).trim() : undefined;

function notifications(list: unknown[], findings: Findings): void {
  const used = new Set<string>();
  list.forEach((raw, i) => {
    if (!isObject(raw)) return findings.problem(`notificationList.${i}`, 'not a notification (an object)');
    let config: unknown = raw.config;
    if (typeof config === 'string') {
      try {
        config = JSON.parse(config);
      } catch {
        return findings.problem(placeOf(`notificationList.${i}`, raw.name) + '.config', 'not valid JSON');
      }
    }
    const place = placeOf(`notificationList.${i}`, raw.name ?? (isObject(config) ? config.name : undefined));
    if (!isObject(config)) return findings.problem(`${place}.config`, 'expected an object');
    const f = new FieldReader(config, `${place}.config`, findings);
    const type = f.string('type') ?? '';
    const partial: string[] = [];
    const channel = channelOf(type, f, partial);
    if (!channel)
      return findings.skip(
        place,
        `the notification type "${type}" has no Portwatch channel (telegram, smtp, webhook, slack and discord map)`,
      );
    const name = typeof raw.name === 'string' ? raw.name : (f.string('name') ?? type);
    let id = `kuma-${slug(name)}`;
    for (let n = 2; used.has(id); n++) id = `kuma-${slug(name)}-${n}`;
    used.add(id);
    const active = raw.active;
    const input = { ...channel, id, enabled: !(active === 0 || active === false) } as ChannelConfigInput;
    const parsed = ChannelConfigSchema.safeParse(input);
    const problems = parsed.success ? clearSecretProblems(parsed.data) : describeIssues(parsed.error);
    // Uptime Kuma accepts settings Portwatch's channels refuse; the monitors still come over.
    if (problems.length) return findings.skip(place, `not a channel Portwatch can send to: ${problems.join('; ')}`);
    for (const why of partial) findings.skip(place, why);
    findings.channels.push({ item: place, channel: input });
  });
}

function channelOf(type: string, f: FieldReader, partial: string[]): Record<string, unknown> | undefined {
  switch (type) {
    case 'telegram':
      if (f.string('telegramServerUrl')) partial.push('the custom Telegram server is not used');
      return { kind: 'telegram', botToken: f.string('telegramBotToken'), chatId: f.string('telegramChatID') };
    case 'smtp': {
      const secure = f.bool('smtpSecure') === true;
      if (!secure)
        partial.push(
          'without "Secure", Uptime Kuma used STARTTLS when offered; Portwatch insists on it (set security to none for a server without TLS)',
        );
      if (f.string('smtpCC') || f.string('smtpBCC')) partial.push('the CC and BCC recipients are not copied');
      const user = f.string('smtpUsername');
      const password = f.string('smtpPassword');
      return {
        kind: 'email',
        host: f.string('smtpHost'),
        ...(f.number('smtpPort') !== undefined ? { port: f.number('smtpPort') } : {}),
        security: secure ? 'tls' : 'starttls',
        ...(user ? { user } : {}),
        ...(password ? { password } : {}),
        from: address(f.string('smtpFrom')),
        to: (f.string('smtpTo') ?? '')
          .split(',')
          .map((s) => address(s))
          .filter((s): s is string => !!s),
        ...(f.bool('smtpIgnoreTLSError') ? { allowSelfSigned: true } : {}),
      };
    }
    case 'webhook': {
      const contentType = f.string('webhookContentType');
      if (contentType && contentType !== 'json')
        partial.push(`the ${contentType} body is not sent: Portwatch posts its own JSON`);
      if (f.string('webhookAdditionalHeaders')) partial.push('the additional headers are not sent');
      return { kind: 'webhook', url: f.string('webhookURL'), format: 'json' };
    }
    case 'slack':
      return { kind: 'webhook', url: f.string('slackwebhookURL'), format: 'slack' };
    case 'discord':
      return { kind: 'webhook', url: f.string('discordWebhookUrl'), format: 'discord' };
    default:
      return undefined;
  }
}
