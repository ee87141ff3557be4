import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ProbeResult } from '../../shared/probe';
import { parseStatusRule } from '../../shared/http-status';
import { runProbe } from '../core/probes/run';
import type { HttpOptions, ServiceOptions, TlsOptions } from '../core/probes/types';
import { SERVICE_CHECKS } from '../core/probes/protocols/index';
import { servicesForPort } from '../../shared/catalog';
import { formatResult } from './format';
import { UsageError, parseCommandArgs, type CommandIO } from './io';
import { parseTarget, splitHostPort } from './target';

export const CHECK_HELP = `Usage: portwatch check <host:port | URL> [options]

Checks one service port once and says what happened and why.
Targets: host:port, [ipv6]:port, tcp://host:port, tls://host:port, http://… or https://…

Options:
  --timeout <ms>         give up after this long (default 3000; 5000 for TLS and HTTP)
  --tls                  do a TLS handshake after connecting (host:port targets)
  --service <name|auto>  run the service's own check (redis, …; auto guesses from the port)
  --starttls             with --service: upgrade to TLS where the service offers it
  --insecure             accept an untrusted or mismatched certificate, still reporting it
  --ca <file>            also trust the authorities in this PEM file
  --servername <name>    the name to send as SNI and check the certificate against
  -4, --ipv4             use IPv4 only        -6, --ipv6   use IPv6 only
  --resolver <ip[:port]> ask this DNS server instead of the system resolver
  --json                 print one JSON object instead of the report
HTTP options:
  --method <verb>        request method (default GET)
  --status <rule>        passing statuses: 200, 2xx, 200-299, or a list (default 200-399)
  --contains <text>      the body must contain this text
  --match <regex>        the body must match this regular expression
  --header <k: v>        add a request header (repeatable)
  --no-follow            judge a redirect itself instead of following it
  --max-body <bytes>     read at most this many body bytes (default 65536)

Exit status: 0 when the check passed, 1 when it failed, 2 on bad usage.`;

const CHECK_OPTIONS = {
  timeout: { type: 'string' },
  tls: { type: 'boolean' },
  service: { type: 'string' },
  starttls: { type: 'boolean' },
  insecure: { type: 'boolean' },
  ca: { type: 'string' },
  servername: { type: 'string' },
  ipv4: { type: 'boolean', short: '4' },
  ipv6: { type: 'boolean', short: '6' },
  resolver: { type: 'string' },
  json: { type: 'boolean' },
  method: { type: 'string' },
  status: { type: 'string' },
  contains: { type: 'string' },
  match: { type: 'string' },
  header: { type: 'string', multiple: true },
  'no-follow': { type: 'boolean' },
  'max-body': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function wholeNumber(text: string, flag: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max)
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
  return Number(text);
}

function readCa(file: string): string[] {
  try {
    const pem = readFileSync(file, 'utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--ca ${file} holds no PEM certificate`);
    return [pem];
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--ca ${file} cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function parseHeaders(list: string[] | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of list ?? []) {
    const m = /^([!#$%&'*+.^_`|~0-9a-z-]+):\s*(.*)$/i.exec(h);
    if (!m) throw new UsageError(`--header "${h}" is not "Name: value"`);
    headers[(m[1] ?? '').toLowerCase()] = m[2] ?? '';
  }
  return headers;
}

function checkRegex(source: string): string {
  try {
    new RegExp(source);
    return source;
  } catch (e) {
    throw new UsageError(`--match is not a valid regular expression: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * The service check --service names, or for "auto" the one the catalog expects on this port,
 * with whether that port speaks TLS from the first byte (465, 993, 995).
 */
function serviceCheckFor(name: string, kind: string, port: number): { id: string; implicitTls: boolean } {
  if (kind === 'http') throw new UsageError('--service is for host:port targets, not URLs');
  const known = Object.keys(SERVICE_CHECKS).sort();
  if (name === 'auto') {
    const guess = servicesForPort(port)
      .flatMap((s) => s.ports.filter((p) => p.port === port))
      .find((p) => p.serviceCheck !== undefined && p.serviceCheck in SERVICE_CHECKS);
    if (!guess?.serviceCheck)
      throw new UsageError(`no service check is known for port ${port}: name one with --service (${known.join(', ')})`);
    return { id: guess.serviceCheck, implicitTls: guess.check === 'tls' };
  }
  if (!(name in SERVICE_CHECKS))
    throw new UsageError(`--service "${name}" is not a known check: use one of ${known.join(', ')}, or auto`);
  return { id: name, implicitTls: false };
}

export async function checkCommand(args: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommandArgs(args, CHECK_OPTIONS, true);
  const { values: v, positionals } = parsed;
  if (v.help) {
    io.out(CHECK_HELP);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length
        ? `check takes one target, got ${positionals.length}: ${positionals.join(' ')}`
        : 'check needs a target: host:port or a URL',
    );
  const target = parseTarget(positionals[0] ?? '');
  if (!target.ok) throw new UsageError(target.error);
  const t = target.value;
  if (v.ipv4 && v.ipv6) throw new UsageError('--ipv4 and --ipv6 exclude each other');
  if (v.tls && t.kind === 'http')
    throw new UsageError('--tls is for host:port targets; an https:// URL already uses TLS');
  const chosen = v.service === undefined ? undefined : serviceCheckFor(v.service, t.kind, t.port);
  const service = chosen?.id;
  if (v.starttls && !service) throw new UsageError('--starttls needs --service: it is part of a service dialogue');
  const kind = service ? 'service' : t.kind === 'tcp' && v.tls ? 'tls' : t.kind;
  const implicitTls = t.kind === 'tls' || v.tls === true || chosen?.implicitTls === true;
  const usesTls =
    kind === 'tls' ||
    t.url?.startsWith('https:') === true ||
    (service !== undefined && (implicitTls || v.starttls === true));
  for (const flag of ['insecure', 'ca', 'servername'] as const)
    if (v[flag] !== undefined && !usesTls)
      throw new UsageError(`--${flag} applies only to TLS checks (--tls, --starttls, tls:// or https://)`);
  for (const flag of ['method', 'status', 'contains', 'match', 'header', 'no-follow', 'max-body'] as const)
    if (v[flag] !== undefined && kind !== 'http')
      throw new UsageError(`--${flag} applies only to http:// and https:// targets`);

  const timeoutMs =
    v.timeout !== undefined ? wholeNumber(v.timeout, '--timeout', 1, 600_000) : kind === 'tcp' ? 3000 : 5000;
  const tlsOptions: TlsOptions = {};
  if (v.ipv4) tlsOptions.family = 4;
  if (v.ipv6) tlsOptions.family = 6;
  if (v.resolver !== undefined) {
    const r = splitHostPort(v.resolver, 53);
    if (!r.ok || isIP(r.value.host) === 0)
      throw new UsageError(
        `--resolver must be an IP address with an optional port, like 127.0.0.1:5353 (${r.ok ? 'not an IP address' : r.error})`,
      );
    tlsOptions.resolver = r.value;
  }
  if (v.insecure) tlsOptions.insecure = true;
  if (v.ca !== undefined) tlsOptions.ca = readCa(v.ca);
  if (v.servername !== undefined) tlsOptions.servername = v.servername;

  let result: ProbeResult;
  const target_ = { host: t.host, port: t.port };
  if (kind === 'http') {
    const options: HttpOptions = { ...tlsOptions, url: t.url ?? '', followRedirects: !v['no-follow'] };
    if (v.method !== undefined) {
      if (!/^[A-Z]+$/i.test(v.method)) throw new UsageError(`--method "${v.method}" is not an HTTP method`);
      options.method = v.method.toUpperCase();
    }
    if (v.status !== undefined) {
      const rule = parseStatusRule(v.status);
      if (!rule.ok) throw new UsageError(`--status: ${rule.error}`);
      options.expectStatus = rule.value;
    }
    if (v.contains !== undefined || v.match !== undefined) {
      options.body = {};
      if (v.contains !== undefined) options.body.contains = v.contains;
      if (v.match !== undefined) options.body.regex = checkRegex(v.match);
    }
    if (v.header) options.headers = parseHeaders(v.header);
    if (v['max-body'] !== undefined)
      options.maxBodyBytes = wholeNumber(v['max-body'], '--max-body', 1, 16 * 1024 * 1024);
    result = await runProbe('http', target_, options, { timeoutMs });
  } else if (service) {
    const options: ServiceOptions = { ...tlsOptions, check: service };
    if (implicitTls) options.implicitTls = true;
    if (v.starttls) options.starttls = true;
    result = await runProbe('service', target_, options, { timeoutMs });
  } else {
    result = await runProbe(kind === 'service' ? 'tcp' : kind, target_, tlsOptions, { timeoutMs });
  }
  const label = t.url ?? `${service ?? kind} ${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`;
  io.out(v.json ? JSON.stringify({ target: label, kind, ...result }, null, 2) : formatResult(result, label));
  return result.outcome === 'ok' ? 0 : 1;
}
