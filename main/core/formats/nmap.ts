// nmap's XML output (nmap -oX): every open TCP port becomes a monitor, checked the way the catalog
// checks the service nmap named there, else as a port. Closed and filtered ports are left out.
//
// The XML is read with entities off; a DOCTYPE that declares any is refused before parsing, so an
// entity bomb cannot expand. nmap itself writes only `<!DOCTYPE nmaprun>`.

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { servicesForPort } from '../../../shared/catalog';
import { Findings, failed, isObject, type ImportResult, type ImportedMonitor } from './import-result';
import { plainHost } from './import-values';
import { catalogMonitor, portMonitor, serviceByName } from './proposal';

const lineAt = (text: string, index: number): number => text.slice(0, index).split('\n').length;

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML's five predefined escapes and character references: fixed, so nothing can expand. */
const unescape = (s: string): string =>
  s.replace(/&(amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (whole, name: string) => {
    if (!name.startsWith('#')) return PREDEFINED[name] ?? whole;
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });

const attr = (o: unknown, key: string): string | undefined => {
  const v = isObject(o) ? o[key] : undefined;
  return typeof v === 'string' || typeof v === 'number' ? unescape(String(v)) : undefined;
};

export function parseNmap(text: string): ImportResult {
  // The DOCTYPE's line first: that is where the declarations begin.
  const entity = /<!DOCTYPE[^>[]*\[/i.exec(text) ?? /<!ENTITY/i.exec(text);
  if (entity)
    return failed(
      `line ${lineAt(text, entity.index)}: the file declares entities in a DOCTYPE; nmap never writes them, and they are refused so they cannot expand (an "entity bomb")`,
    );
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    return failed(`not well-formed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    processEntities: false,
    htmlEntities: false,
    parseAttributeValue: false,
    parseTagValue: false,
  });
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch (e) {
    return failed(`not readable XML: ${e instanceof Error ? e.message : String(e)}`);
  }
  const run = isObject(doc) ? doc.nmaprun : undefined;
  if (!isObject(run)) return failed('this is not nmap XML output (nmap -oX): it has no <nmaprun> element');
  const findings = new Findings();
  list(run.host).forEach((h, i) => host(h, i, findings));
  return findings.result();
}

/** The name to monitor a host by: the one it was scanned as, else its IPv4, else its IPv6 address. */
function hostName(h: Record<string, unknown>): string | undefined {
  const names = list(isObject(h.hostnames) ? h.hostnames.hostname : undefined);
  const user = names.find((n) => attr(n, 'type') === 'user');
  if (user) return attr(user, 'name');
  const addresses = list(h.address);
  const v4 = addresses.find((a) => attr(a, 'addrtype') === 'ipv4');
  const v6 = addresses.find((a) => attr(a, 'addrtype') === 'ipv6');
  return attr(v4 ?? v6, 'addr');
}

function host(h: unknown, i: number, findings: Findings): void {
  if (!isObject(h)) return;
  if (attr(h.status, 'state') === 'down') return;
  const name = hostName(h);
  const place = `host ${i + 1}${name ? ` (${name})` : ''}`;
  if (!name) return findings.problem(place, 'no <address> or <hostname> names it');
  const ports = list(isObject(h.ports) ? h.ports.port : undefined);
  for (const p of ports) {
    if (!isObject(p) || attr(p.state, 'state') !== 'open') continue;
    const protocol = attr(p, 'protocol') ?? 'tcp';
    const port = Number(attr(p, 'portid'));
    const item = `${place} port ${port}/${protocol}`;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      findings.problem(item, 'the port is not a number from 1 to 65535');
      continue;
    }
    if (protocol !== 'tcp') {
      findings.skip(item, `Portwatch checks TCP ports, not ${protocol.toUpperCase()}`);
      continue;
    }
    findings.add(monitorFor(plainHost(name), port, p.service), item, ['name', 'tier', 'notes']);
  }
}

function monitorFor(host: string, port: number, service: unknown): ImportedMonitor {
  const name = attr(service, 'name') ?? '';
  const tls = attr(service, 'tunnel') === 'ssl';
  const method = attr(service, 'method');
  const named = serviceByName(tls && name === 'http' ? 'https' : name);
  // nmap named the port from its services table only: the catalog's guess for the port is as good.
  const byPort = !named && method !== 'probed' ? servicesForPort(port).find((s) => s.id !== 'custom-api') : undefined;
  const entry = named ?? (byPort ? { entry: byPort } : undefined);
  const m = entry
    ? catalogMonitor({ ...entry, tls: tls || entry.tls === true }, host, port)
    : portMonitor(host, port, tls, name && name !== 'unknown' && name !== 'tcpwrapped' ? name : undefined);
  // nmap found it over TCP; the UDP query would be a guess.
  if (m.check === 'dns') m.settings = { transport: 'tcp' };
  const product = [attr(service, 'product'), attr(service, 'version')].filter(Boolean).join(' ');
  if (name) m.notes = `nmap: ${tls ? 'ssl/' : ''}${name}${product ? ` (${product})` : ''}`;
  return m;
}
