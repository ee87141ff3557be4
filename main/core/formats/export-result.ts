// What every export to another tool's format returns, and the pieces those renderers share.
// Another tool rarely expresses all of a monitor; what it cannot carry is returned beside the
// files, per monitor, so the person exporting knows what the copy will not do.

import type { Monitor } from '../../../shared/monitor';
import { renderMonitorsFile } from './portwatch';

export interface ExportedFile {
  /** The file's usual name in the other tool (blackbox.yml, prometheus.yml, …). */
  name: string;
  text: string;
}

export interface NotCarried {
  /** The monitor's name, as the person knows it. */
  monitor: string;
  what: string;
}

export interface ExportResult {
  files: ExportedFile[];
  notCarried: NotCarried[];
}

/** What the format left out, one line per monitor, in the order the monitors came. */
export function notCarriedLines(list: readonly NotCarried[]): string[] {
  const byMonitor = new Map<string, string[]>();
  for (const { monitor, what } of list) byMonitor.set(monitor, [...(byMonitor.get(monitor) ?? []), what]);
  return [...byMonitor].map(([monitor, whats]) => `${monitor}: ${whats.join('; ')}`);
}

/**
 * The monitor's request headers without credentials. The rule is renderMonitorsFile's own, asked
 * of it rather than copied, so an export to any format leaves out exactly what ours does.
 */
export function headersWithoutCredentials(m: Monitor): { headers: Record<string, string>; leftOut: string[] } {
  const all = m.http?.headers ?? {};
  // Judged by what the Portwatch export writes, not by its wording of what it left out.
  const written = (JSON.parse(renderMonitorsFile([m], 'json').text) as { monitors: Partial<Monitor>[] }).monitors[0]
    ?.http?.headers;
  const kept = (k: string): boolean => written?.[k] === all[k];
  return {
    headers: Object.fromEntries(Object.entries(all).filter(([k]) => kept(k))),
    leftOut: Object.keys(all).filter((k) => !kept(k)),
  };
}

/** host:port, with an IPv6 address in brackets as URLs and dialers want it. */
export const hostPort = (host: string, port: number): string =>
  host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;

/** A duration as Go and Prometheus write it: 5m, 90s, 2500ms. */
export function goDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** A monitor's DNS check settings, read loosely: the probe itself rejects bad ones. */
export interface DnsSettings {
  name?: string;
  type: string;
  transport: 'udp' | 'tcp';
  expectRcode?: string;
}

export function dnsSettingsOf(m: Monitor): DnsSettings {
  const s = m.settings ?? {};
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const name = text(s.name);
  const expectRcode = text(s.expectRcode);
  return {
    ...(name !== undefined && { name }),
    type: text(s.type) ?? 'A',
    transport: s.transport === 'tcp' ? 'tcp' : 'udp',
    ...(expectRcode !== undefined && { expectRcode }),
  };
}

/**
 * A JavaScript regular expression's source as Go's RE2 reads it, or undefined where RE2 lacks the
 * feature (lookaround, backreferences, \u escapes): a pattern that only looks the same but means
 * something else would be worse than none.
 */
export function toRe2(source: string): string | undefined {
  if (/\(\?<?[=!]/.test(source)) return undefined;
  if (/\\(?:[1-9]|k<|u|c[A-Za-z])/.test(source)) return undefined;
  if (source.includes('[^]')) return undefined;
  // RE2 before Go 1.22 knows named groups only as (?P<name>…).
  return source.replace(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?P<$1>');
}

/** Text as an RE2 pattern matching itself literally. */
export const re2Literal = (text: string): string => text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');

/** What no other tool here keeps: how often to retry before a failure counts, and the like. */
export function portwatchOnly(m: Monitor, retries: number): string[] {
  const out: string[] = [];
  if (retries > 0) out.push(`${retries} ${retries === 1 ? 'retry' : 'retries'} before a failure counts`);
  if (m.recoverySuccesses !== undefined && m.recoverySuccesses > 1)
    out.push(`${m.recoverySuccesses} successes before it counts as recovered`);
  if (m.alertChannels) out.push(`alert channels (${m.alertChannels.join(', ') || 'none'})`);
  if (m.tags.length) out.push(`tags (${m.tags.join(', ')})`);
  if (m.notes) out.push('notes');
  if (m.exposure === 'external') out.push('exposure external');
  return out;
}
