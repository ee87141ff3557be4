import { isIP } from 'node:net';
import type { ProbeKind } from '../../shared/probe';
import type { Parsed } from '../../shared/http-status';

export interface ParsedTarget {
  kind: ProbeKind;
  host: string;
  port: number;
  url?: string;
}

const HOST_LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/i;

/** Validates a host name or IP literal; returns a message naming what is wrong, or undefined. */
export function hostProblem(host: string): string | undefined {
  if (host === '') return 'the host is empty';
  if (isIP(host) !== 0) return undefined;
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name.length > 253) return `the host name is longer than 253 characters`;
  const bad = name.split('.').find((label) => !HOST_LABEL.test(label));
  if (bad !== undefined) return `"${host}" is not a valid host name (bad part: "${bad}")`;
  return undefined;
}

export function parsePort(text: string, what = 'port'): Parsed<number> {
  if (!/^\d+$/.test(text))
    return { ok: false, error: `the ${what} must be a whole number from 1 to 65535, got "${text}"` };
  const port = Number(text);
  if (port < 1 || port > 65535) return { ok: false, error: `the ${what} must be from 1 to 65535, got ${port}` };
  return { ok: true, value: port };
}

/** Splits "host:port", "[v6]:port" or, when a default port is given, a bare host. */
export function splitHostPort(text: string, defaultPort?: number): Parsed<{ host: string; port: number }> {
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(text);
  let host: string;
  let portText: string | undefined;
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2];
    if (isIP(host) !== 6) return { ok: false, error: `"${host}" in brackets is not an IPv6 address` };
  } else if (isIP(text) === 6) {
    if (defaultPort === undefined)
      return { ok: false, error: `"${text}" reads as an IPv6 address without a port: write it as [address]:port` };
    host = text;
  } else {
    const colon = text.lastIndexOf(':');
    if (text.indexOf(':') !== colon)
      return { ok: false, error: `"${text}" looks like an IPv6 address: write it as [address]:port` };
    host = colon === -1 ? text : text.slice(0, colon);
    portText = colon === -1 ? undefined : text.slice(colon + 1);
  }
  const problem = hostProblem(host);
  if (problem) return { ok: false, error: problem };
  if (portText === undefined) {
    if (defaultPort === undefined)
      return { ok: false, error: `"${text}" has no port: write host:port, for example ${host}:443` };
    return { ok: true, value: { host, port: defaultPort } };
  }
  const port = parsePort(portText);
  return port.ok ? { ok: true, value: { host, port: port.value } } : port;
}

const SCHEMES: Record<string, ProbeKind> = { 'tcp:': 'tcp', 'tls:': 'tls', 'http:': 'http', 'https:': 'http' };

/** Reads a check target: host:port, [v6]:port, tcp://, tls://, http:// or https:// URLs. */
export function parseTarget(text: string): Parsed<ParsedTarget> {
  const input = text.trim();
  if (input === '') return { ok: false, error: 'no target given: write host:port or a URL' };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(input);
  if (!scheme) {
    const hp = splitHostPort(input);
    return hp.ok ? { ok: true, value: { kind: 'tcp', ...hp.value } } : hp;
  }
  const protocol = `${(scheme[1] ?? '').toLowerCase()}:`;
  const kind = SCHEMES[protocol];
  if (!kind)
    return {
      ok: false,
      error: `unsupported scheme "${protocol}//": use host:port, tcp://, tls://, http:// or https://`,
    };
  const authority = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^/:?#]*)(?::([^/?#]*))?/i.exec(input);
  if (authority?.[2] !== undefined && authority[2] !== '') {
    const port = parsePort(authority[2]);
    if (!port.ok) return port;
  }
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, error: `"${input}" is not a valid URL` };
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const problem = hostProblem(host);
  if (problem) return { ok: false, error: problem };
  if (kind !== 'http') {
    if (!url.port) return { ok: false, error: `"${input}" has no port: write ${protocol}//host:port` };
    return { ok: true, value: { kind, host, port: Number(url.port) } };
  }
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { ok: true, value: { kind, host, port, url: url.href } };
}
