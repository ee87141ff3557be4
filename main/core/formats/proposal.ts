// A service named by another tool ("postgresql", "imaps", "domain") as a Portwatch monitor, the
// way the catalog would set it up: its own service check where there is one, else the port.

import { CATALOG, serviceById, type ServiceEntry } from '../../../shared/catalog';
import type { ImportedMonitor } from './import-result';
import { urlHost } from './import-values';

export interface NamedService {
  entry: ServiceEntry;
  /** The name says TLS from the first byte (smtps, imaps, https). */
  tls?: boolean;
  /** The name says which of the service's ports (submission is SMTP on 587). */
  port?: number;
}

// Names nmap's services table, IANA and people use for what the catalog calls otherwise.
const ALIASES: Record<string, NamedService | string> = {
  postgresql: 'postgres',
  pg: 'postgres',
  mariadb: 'mysql',
  mongo: 'mongodb',
  mongod: 'mongodb',
  elastic: 'elasticsearch',
  opensearch: 'elasticsearch',
  rabbitmq: 'amqp',
  memcache: 'memcached',
  domain: 'dns',
  sftp: 'ssh',
  'http-alt': 'http',
  'http-proxy': 'http',
  www: 'http',
  'ssl/http': 'https',
  smtps: { entry: serviceById('smtp') as ServiceEntry, tls: true, port: 465 },
  submissions: { entry: serviceById('smtp') as ServiceEntry, tls: true, port: 465 },
  submission: { entry: serviceById('smtp') as ServiceEntry, port: 587 },
  imaps: { entry: serviceById('imap') as ServiceEntry, tls: true, port: 993 },
  pop3s: { entry: serviceById('pop3') as ServiceEntry, tls: true, port: 995 },
  'secure-mqtt': { entry: serviceById('mqtt') as ServiceEntry, tls: true, port: 8883 },
};

/** The catalog service a name stands for: its id, its name, or a common alias; undefined if none. */
export function serviceByName(name: string): NamedService | undefined {
  const key = name.trim().toLowerCase();
  if (!key) return undefined;
  const alias = ALIASES[key];
  if (typeof alias === 'object') return alias;
  const byId = serviceById(alias ?? key);
  if (byId) return byId.id === 'https' ? { entry: byId, tls: true } : { entry: byId };
  const byName = CATALOG.find((s) => s.name.toLowerCase() === key);
  return byName ? { entry: byName } : undefined;
}

/** The catalog service a service check belongs to ("postgres" for the postgres check). */
export function serviceForCheck(check: string): NamedService | undefined {
  const entry = CATALOG.find((s) => s.ports.some((p) => p.serviceCheck === check));
  return entry ? { entry } : undefined;
}

/** The catalog's services, for a message listing what a name may be. */
export const CATALOG_IDS: readonly string[] = CATALOG.map((s) => s.id);

/**
 * A monitor for `service` on host:port as the catalog sets it up: HTTP gets a URL, a service with
 * a check of its own gets that check (with TLS or STARTTLS as the port says), anything else is
 * checked as a port.
 */
export function catalogMonitor(service: NamedService, host: string, port: number): ImportedMonitor {
  const { entry } = service;
  const onPort = entry.ports.find((p) => p.port === port);
  const isDefault = onPort !== undefined && entry.ports.length === 1;
  const name = `${entry.name}${isDefault ? '' : ` ${port}`} on ${host}`;
  const base = { name, host, port, service: entry.id, tier: entry.tier };
  if (entry.id === 'http' || entry.id === 'https') {
    const tls = service.tls === true || entry.id === 'https' || port === 443;
    const scheme = tls ? 'https' : 'http';
    const shownPort = (tls && port === 443) || (!tls && port === 80) ? '' : `:${port}`;
    return { ...base, kind: 'http', url: `${scheme}://${urlHost(host)}${shownPort}/` };
  }
  const check = onPort?.serviceCheck ?? entry.ports.find((p) => p.serviceCheck)?.serviceCheck;
  const tls = service.tls === true || onPort?.check === 'tls';
  if (!check) return { ...base, kind: tls ? 'tls' : 'tcp' };
  const starttls = !tls && /STARTTLS|STLS/.test(onPort?.note ?? '');
  return {
    ...base,
    kind: 'service',
    check,
    ...(tls ? { implicitTls: true } : {}),
    ...(starttls ? { starttls: true } : {}),
  };
}

/** A port with no service Portwatch knows: checked by connecting (and shaking hands, for TLS). */
export const portMonitor = (host: string, port: number, tls = false, label?: string): ImportedMonitor => ({
  name: `${label ?? (tls ? 'TLS' : 'TCP')} ${port} on ${host}`,
  kind: tls ? 'tls' : 'tcp',
  host,
  port,
});
