// The catalog's services as choices: one per service and port, since SMTP on 465 is checked
// differently from SMTP on 587. The editor fills its form from one; the inventory adds several.

import type { NewMonitor } from '../../../../shared/api';
import { CATALOG, type ServiceEntry, type ServicePort } from '../../../../shared/catalog';
import type { Monitor } from '../../../../shared/monitor';

export interface Preset {
  /** "<service id>:<port>", stable across catalog reorderings. */
  key: string;
  entry: ServiceEntry;
  port: ServicePort;
  label: string;
}

export const PRESETS: readonly Preset[] = CATALOG.flatMap((entry) =>
  entry.ports.map((port) => ({
    key: `${entry.id}:${port.port}`,
    entry,
    port,
    label: `${entry.name}, port ${port.port}${port.note ? ` (${port.note})` : ''}`,
  })),
);

export const presetByKey = (key: string): Preset | undefined => PRESETS.find((p) => p.key === key);

/** The service checks the window offers: every one the catalog names, and the generic dialogue. */
export const CHECKS: readonly string[] = [
  ...new Set([...CATALOG.flatMap((s) => s.ports.flatMap((p) => (p.serviceCheck ? [p.serviceCheck] : []))), 'dialogue']),
];

/** What a preset sets on a monitor: how it is checked, and how loudly it matters. */
export interface PresetFields {
  kind: Monitor['kind'];
  port: number;
  check: string | undefined;
  tier: Monitor['tier'];
  timeoutMs: number;
  service: string;
  implicitTls: boolean;
  starttls: boolean;
}

export function presetFields(p: Preset): PresetFields {
  const { entry, port } = p;
  // A service check knows its protocol; without one the catalog's probe kind measures the port.
  const kind: Monitor['kind'] = port.serviceCheck ? 'service' : port.check;
  return {
    kind,
    port: port.port,
    check: port.serviceCheck,
    tier: entry.tier,
    timeoutMs: entry.timeoutMs,
    service: entry.id,
    implicitTls: kind === 'service' && port.check === 'tls',
    starttls: /STARTTLS|STLS/.test(port.note ?? ''),
  };
}

/** The address an http preset asks for on a host, with the port only when it is not the scheme's own. */
export function defaultUrl(host: string, port: number | string): string {
  const n = Number(port);
  const scheme = n === 443 ? 'https' : 'http';
  const shown = (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host) || 'localhost';
  return `${scheme}://${shown}${n === 80 || n === 443 || !Number.isInteger(n) ? '' : `:${n}`}/`;
}

/** A whole monitor from a preset on a host, as the inventory adds them. */
export function monitorFromPreset(p: Preset, host: string, exposure: Monitor['exposure']): NewMonitor {
  const f = presetFields(p);
  const name = p.entry.ports.length > 1 ? `${p.entry.name} ${f.port} on ${host}` : `${p.entry.name} on ${host}`;
  return {
    name,
    kind: f.kind,
    host,
    port: f.port,
    ...(f.kind === 'http' ? { url: defaultUrl(host, f.port) } : {}),
    ...(f.check ? { check: f.check } : {}),
    ...(f.implicitTls ? { implicitTls: true } : {}),
    ...(f.starttls ? { starttls: true } : {}),
    service: f.service,
    tier: f.tier,
    timeoutMs: f.timeoutMs,
    exposure,
  };
}
