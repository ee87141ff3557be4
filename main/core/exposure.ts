import { BlockList, isIP } from 'node:net';
import { CATALOG, type ServiceEntry } from '../../shared/catalog';

// Addresses no one outside the organisation can reach: private, loopback, link-local, CGNAT,
// unique-local. Anything else answering on a database port is reachable from the internet.
const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const)
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::1', 128],
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv6');

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return !NOT_PUBLIC.check(mapped, 'ipv4');
  return !NOT_PUBLIC.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

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
