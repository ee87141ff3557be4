import { isIP } from 'node:net';
import type { Parsed } from '../../../shared/http-status';

/** The most addresses one discover run scans: a /24. A larger sweep is not what this is for. */
export const MAX_RANGE_ADDRESSES = 256;

/** The most connections one run may make (addresses × ports), so a range with many ports stays bounded. */
export const MAX_SCAN_TARGETS = 65_536;

export interface HostSpec {
  /** The addresses (or the one host as given) to scan, in order. */
  hosts: string[];
  /** The CIDR range as given, when it was one: a range is confirmed before it is scanned. */
  range?: string;
}

const v4ToNumber = (a: string): number => a.split('.').reduce((n, part) => n * 256 + Number(part), 0);
const numberToV4 = (n: number): string => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');

function v6ToBigInt(address: string): bigint {
  // The URL parser writes any IPv6 literal out in full hexadecimal groups' canonical form.
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const [head = '', tail] = canonical.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((n, g) => (n << 16n) + BigInt(parseInt(g, 16)), 0n);
}

function bigIntToV6(n: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((n >> BigInt((7 - i) * 16)) & 0xffffn).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

const plural = (n: number): string => n.toLocaleString('en-US');

/**
 * Reads the host argument: one host name or address as it is, or an explicit CIDR range
 * (192.168.1.0/24, fd00::/120) of at most MAX_RANGE_ADDRESSES addresses. An IPv4 range leaves out
 * its network and broadcast addresses, as nothing answers there. Host names are checked elsewhere.
 */
export function parseHosts(text: string): Parsed<HostSpec> {
  const slash = text.indexOf('/');
  if (slash === -1)
    return text === '' ? { ok: false, error: 'the host is empty' } : { ok: true, value: { hosts: [text] } };
  const base = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const family = isIP(base);
  if (family === 0)
    return { ok: false, error: `"${text}" is not a CIDR range: write an IP address, a slash and a prefix length` };
  const bits = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits)
    return { ok: false, error: `"${text}": the prefix length must be a whole number from 0 to ${bits}` };
  const prefix = Number(prefixText);
  const size = 2 ** (bits - prefix);
  const smallest = bits - Math.log2(MAX_RANGE_ADDRESSES);
  if (size > MAX_RANGE_ADDRESSES)
    return {
      ok: false,
      error:
        `${text} holds ${size > 2 ** 52 ? `2^${bits - prefix}` : plural(size)} addresses; discover scans at most ` +
        `${MAX_RANGE_ADDRESSES} at once (a /${smallest}): name a smaller range or a single host`,
    };
  if (family === 4) {
    const network = v4ToNumber(base) - (v4ToNumber(base) % size);
    // /31 and /32 have no network or broadcast address to leave out (RFC 3021).
    const skip = size > 2 ? 1 : 0;
    const hosts: string[] = [];
    for (let i = skip; i < size - skip; i++) hosts.push(numberToV4(network + i));
    return { ok: true, value: { hosts, range: text } };
  }
  const span = BigInt(size);
  const network = v6ToBigInt(base) - (v6ToBigInt(base) % span);
  const hosts = Array.from({ length: size }, (_, i) => bigIntToV6(network + BigInt(i)));
  return { ok: true, value: { hosts, range: text } };
}

/** Refuses a run that would make more than MAX_SCAN_TARGETS connections, naming both factors. */
export function scanSizeProblem(hosts: number, ports: number): string | undefined {
  if (hosts * ports <= MAX_SCAN_TARGETS) return undefined;
  return (
    `${plural(hosts)} addresses × ${plural(ports)} ports is ${plural(hosts * ports)} connections; discover makes ` +
    `at most ${plural(MAX_SCAN_TARGETS)} in one run: scan fewer ports or a smaller range`
  );
}
