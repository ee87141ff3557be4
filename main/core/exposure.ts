import { isPublicAddress } from './addresses';
import { CATALOG, type ServiceEntry } from '../../shared/catalog';

/** The catalog service a check or a port belongs to, if it is one that must stay private. */
function privateService(port: number, check?: string): ServiceEntry | undefined {
  const byCheck = check ? CATALOG.find((s) => s.ports.some((p) => p.serviceCheck === check)) : undefined;
  const entry = byCheck ?? CATALOG.find((s) => s.ports.some((p) => p.port === port));
  return entry?.privateOnly ? entry : undefined;
}

/**
 * A security finding, not a monitoring one: a database, cache, queue or search port answering
 * on a public address can be attacked from anywhere.
 */
export function exposureFinding(port: number, address: string | undefined, check?: string): string | undefined {
  if (!address || !isPublicAddress(address)) return undefined;
  const service = privateService(port, check);
  if (!service) return undefined;
  const shown = address.includes(':') ? `[${address}]` : address;
  return `${service.name} answers on the public address ${shown}:${port}: restrict it to the app servers and this monitor (firewall rule or bind address)`;
}
