import { CATALOG, serviceById, servicesForPort, type ServiceEntry } from '../../../shared/catalog';
import type { MonitorInput } from '../../../shared/monitor';
import { DEFAULT_STATUS_RULE, parseStatusRule, statusMatches } from '../../../shared/http-status';
import { isPublicAddress } from '../addresses';
import { exposureFinding } from '../exposure';
import type { PortResult } from './scan';

/** A monitor to add: without an id, which the store makes up. */
export type ProposedMonitor = Omit<MonitorInput, 'id'>;

export interface Proposal {
  monitor: ProposedMonitor;
  /** External when the address answering is public: reachable from anywhere. */
  exposure: 'internal' | 'external';
  /** A database, cache, queue or search service answering on a public address. */
  finding?: string;
  /** What was chosen for the monitor to pass as things are, and why. */
  note?: string;
}

const DEFAULT_RULE = parseStatusRule(DEFAULT_STATUS_RULE);

/** Each catalog service's check, which exposureFinding looks the service up by. */
const CATALOG_CHECK: Record<string, string | undefined> = Object.fromEntries(
  CATALOG.map((s) => [s.id, s.ports.find((p) => p.serviceCheck)?.serviceCheck]),
);

const shown = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/** "Redis on db1", or with the port when it is not the service's own: "Redis 6380 on db1". */
function nameFor(entry: ServiceEntry, port: number, host: string): string {
  const own = entry.ports.length === 1 && entry.ports[0]?.port === port;
  return own ? `${entry.name} on ${host}` : `${entry.name} ${port} on ${host}`;
}

/** The catalog's service for a port number alone, for the tier of what could not be named. */
const byPortNumber = (port: number): ServiceEntry | undefined => servicesForPort(port)[0];

/**
 * The monitor a scan result calls for, or none for a port that is not open. What was recognised
 * is checked the way it was recognised (its service check, HTTP, TLS), with the catalog's tier
 * and timeout; what was not is a tcp monitor. The monitor is one that passes now: an untrusted
 * certificate is accepted (insecure) and an unusual HTTP status expected, each said in the note.
 */
export function propose(r: PortResult): Proposal | undefined {
  if (r.state !== 'open') return undefined;
  const entry = r.service ? serviceById(r.service) : undefined;
  const exposure = r.address !== undefined && isPublicAddress(r.address) ? 'external' : 'internal';
  const notes: string[] = [];
  const base = {
    host: r.host,
    port: r.port,
    exposure,
    ...(r.certificateProblem ? { insecure: true } : {}),
  } as const;
  if (r.certificateProblem)
    notes.push(`the certificate is not one a check would accept (${r.certificateProblem}): proposed with insecure`);
  let monitor: ProposedMonitor;
  if (entry && r.kind === 'service' && r.check) {
    monitor = {
      ...base,
      name: nameFor(entry, r.port, r.host),
      kind: 'service',
      check: r.check,
      ...(r.tls ? { implicitTls: true } : {}),
      ...(r.settings ? { settings: r.settings } : {}),
      service: entry.id,
      tier: entry.tier,
      timeoutMs: entry.timeoutMs,
    };
  } else if (entry && r.kind === 'http') {
    const scheme = r.tls ? 'https' : 'http';
    const own = (scheme === 'http' && r.port === 80) || (scheme === 'https' && r.port === 443);
    const status = r.httpStatus;
    const passes = status === undefined || !DEFAULT_RULE.ok || statusMatches(DEFAULT_RULE.value, status);
    if (!passes) notes.push(`"/" answers HTTP ${status}: proposed expecting that status`);
    monitor = {
      ...base,
      name: nameFor(entry, r.port, r.host),
      kind: 'http',
      url: `${scheme}://${shown(r.host)}${own ? '' : `:${r.port}`}/`,
      ...(passes ? {} : { http: { expectStatus: String(status) } }),
      service: entry.id,
      tier: entry.tier,
      timeoutMs: entry.timeoutMs,
    };
  } else {
    const guess = byPortNumber(r.port);
    const kind = r.kind === 'tls' ? 'tls' : 'tcp';
    monitor = {
      ...base,
      name: `${kind.toUpperCase()} ${r.port} on ${r.host}`,
      kind,
      tier: guess?.tier ?? 2,
    };
  }
  // Judged by what answers: a named service by its own catalog entry, an unnamed one by its port.
  const finding = entry
    ? entry.privateOnly && r.address
      ? exposureFinding(r.port, r.address, CATALOG_CHECK[entry.id])
      : undefined
    : r.address
      ? exposureFinding(r.port, r.address)
      : undefined;
  return {
    monitor,
    exposure,
    ...(finding ? { finding } : {}),
    ...(notes.length ? { note: notes.join('; ') } : {}),
  };
}
