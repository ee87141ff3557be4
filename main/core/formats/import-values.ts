// Values other tools write that the importers share: Go durations (Gatus, Prometheus), URLs as
// targets, timings fitted into the bounds a Portwatch monitor accepts, and body rules as one regex.

import { domainToASCII } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { ImportedMonitor } from './import-result';

/** A YAML file's value, or where it breaks: "line 3, column 1: Map keys must be unique". */
export function readYaml(text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  try {
    // Aliases are capped so a small file cannot expand into a huge one (YAML's billion laughs).
    return { ok: true, value: parseYaml(text, { maxAliasCount: 100 }) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const first = message.split('\n')[0] ?? message;
    const at = / at line (\d+), column (\d+):?$/.exec(first);
    const what = at ? first.slice(0, at.index) : first;
    return {
      ok: false,
      problem: at ? `not valid YAML at line ${at[1]}, column ${at[2]}: ${what}` : `not valid YAML: ${what}`,
    };
  }
}

const GO_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration ("30s", "1m30s", "48h", "500ms") in milliseconds; undefined when it is not one. */
export function goDuration(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const s = text.trim();
  if (s === '0') return 0;
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(s)) return undefined;
  let ms = 0;
  for (const part of s.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g))
    ms += Number(part[1]) * (GO_UNITS[part[2] ?? ''] ?? 0);
  return ms;
}

/** A host as Portwatch keeps it: IPv6 without brackets, international names in their ASCII form. */
export function plainHost(host: string): string {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (/^[\x21-\x7e]*$/.test(bare)) return bare;
  return domainToASCII(bare) || bare;
}

/** A host as it is written inside a URL. */
export const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/** An http(s) URL's host and port (the scheme's own when it names none); undefined if it is not one. */
export function httpTarget(url: string): { url: string; host: string; port: number } | undefined {
  if (!URL.canParse(url)) return undefined;
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  if (!u.hostname) return undefined;
  return {
    url: u.href,
    host: plainHost(u.hostname),
    port: u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80,
  };
}

/** "host:port", "[v6]:port", or a host alone with `defaultPort`; undefined when it cannot be read. */
export function hostPort(text: string, defaultPort?: number): { host: string; port: number } | undefined {
  const s = text.trim();
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  const m = v6 ?? (s.split(':').length > 2 ? null : /^([^:/\s]+)(?::(\d+))?$/.exec(s));
  if (!m) {
    // A bare IPv6 address names no port.
    return s.includes(':') && defaultPort !== undefined && /^[0-9a-fA-F:.]+$/.test(s)
      ? { host: s, port: defaultPort }
      : undefined;
  }
  const port = m[2] === undefined ? defaultPort : Number(m[2]);
  if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host: plainHost(m[1] ?? ''), port };
}

export interface Timings {
  intervalSec?: number;
  timeoutMs?: number;
  retries?: number;
  retryIntervalSec?: number;
}

const BOUNDS: Record<keyof Timings, { min: number; max: number; what: string; unit: string }> = {
  intervalSec: { min: 5, max: 86_400, what: 'the interval', unit: 's' },
  timeoutMs: { min: 100, max: 120_000, what: 'the timeout', unit: 'ms' },
  retries: { min: 0, max: 10, what: 'the retries', unit: '' },
  retryIntervalSec: { min: 1, max: 3_600, what: 'the retry interval', unit: 's' },
};

const shown = (n: number, unit: string): string => (unit ? `${n} ${unit}` : String(n));

/**
 * Sets each timing on the monitor, rounded and moved into Portwatch's bounds; a value that had to
 * move is reported, so nobody is surprised that a 2-second interval became 5.
 */
export function applyTimings(
  monitor: ImportedMonitor,
  timings: Timings,
  note: (field: string, why: string) => void,
): void {
  for (const key of Object.keys(timings) as (keyof Timings)[]) {
    const raw = timings[key];
    if (raw === undefined || !Number.isFinite(raw)) continue;
    const b = BOUNDS[key];
    const value = Math.min(b.max, Math.max(b.min, Math.round(raw)));
    if (value !== Math.round(raw))
      note(
        key,
        `${b.what} ${shown(raw, b.unit)} is outside Portwatch's ${shown(b.min, b.unit)} to ${shown(b.max, b.unit)}; ${shown(value, b.unit)} is used`,
      );
    monitor[key] = value;
  }
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A regex for text that must be exactly `s`. */
export const exactly = (s: string): string => `^${escapeRegex(s)}$`;

/** A regex for text containing none of `s`. */
export const without = (s: string): string => `^(?![\\s\\S]*${escapeRegex(s)})`;

/**
 * One regex a body must match for every pattern in `must` to match and none in `mustNot` (each
 * searched anywhere, as Go and JavaScript both do); undefined when a pattern is not valid here.
 */
export function bodyRule(must: string[], mustNot: string[]): { regex?: string; bad?: string } {
  for (const p of [...must, ...mustNot]) {
    try {
      new RegExp(p);
    } catch {
      return { bad: p };
    }
  }
  if (must.length === 1 && mustNot.length === 0) return { regex: must[0] as string };
  if (must.length === 0 && mustNot.length === 0) return {};
  // Lookaheads from the start: each is searched over the whole body, independently of the others.
  const parts = [...must.map((p) => `(?=[\\s\\S]*?(?:${p}))`), ...mustNot.map((p) => `(?![\\s\\S]*?(?:${p}))`)];
  return { regex: `^${parts.join('')}` };
}
