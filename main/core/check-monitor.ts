import type { Monitor } from '../../shared/monitor';
import { policyFor } from '../../shared/monitor';
import { parseStatusRule } from '../../shared/http-status';
import type { ProbeResult } from '../../shared/probe';
import { runProbe } from './probes/run';
import type { HttpOptions, ServiceOptions, TlsOptions } from './probes/types';

/** The probe options a saved monitor asks for. */
export function probeOptions(m: Monitor): TlsOptions {
  const o: TlsOptions = {};
  if (m.family) o.family = m.family;
  if (m.resolver) o.resolver = m.resolver;
  if (m.servername) o.servername = m.servername;
  if (m.insecure) o.insecure = true;
  return o;
}

export function httpOptions(m: Monitor): HttpOptions {
  const h = m.http;
  const o: HttpOptions = { ...probeOptions(m), url: m.url ?? '' };
  if (!h) return o;
  const rule = parseStatusRule(h.expectStatus);
  o.method = h.method;
  o.headers = h.headers;
  if (rule.ok) o.expectStatus = rule.value;
  if (h.bodyContains !== undefined || h.bodyRegex !== undefined) {
    o.body = {};
    if (h.bodyContains !== undefined) o.body.contains = h.bodyContains;
    if (h.bodyRegex !== undefined) o.body.regex = h.bodyRegex;
  }
  o.followRedirects = h.followRedirects;
  o.maxBodyBytes = h.maxBodyBytes;
  return o;
}

export function serviceOptions(m: Monitor): ServiceOptions {
  const o: ServiceOptions = { ...probeOptions(m), check: m.check ?? '' };
  if (m.implicitTls) o.implicitTls = true;
  if (m.starttls) o.starttls = true;
  if (m.settings) o.settings = m.settings;
  return o;
}

/** Runs a saved monitor's check once, under its policy's timeout. */
export function checkMonitor(m: Monitor, signal?: AbortSignal): Promise<ProbeResult> {
  const run = { timeoutMs: policyFor(m).timeoutMs, ...(signal ? { signal } : {}) };
  const target = { host: m.host, port: m.port };
  if (m.kind === 'http') return runProbe('http', target, httpOptions(m), run);
  if (m.kind === 'service') return runProbe('service', target, serviceOptions(m), run);
  return runProbe(m.kind, target, probeOptions(m), run);
}
