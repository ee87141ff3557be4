import { isIP } from 'node:net';
import { CATALOG, servicesForPort } from '../../../shared/catalog';
import { parseStatusRule } from '../../../shared/http-status';
import type { ProbeKind, ProbeResult } from '../../../shared/probe';
import { certificateProblem } from '../probes/certificate';
import { monotonic } from '../probes/clock';
import { ProbeFailure } from '../probes/failure';
import { printable } from '../probes/protocols/conversation';
import { runProbe } from '../probes/run';
import type { ProbeTarget } from '../probes/types';
import { greetingChecks, readGreeting, type Greeting } from './greeting';

export type PortState = 'open' | 'closed' | 'filtered';

/** What answers on one port, and how a monitor would check it. */
export interface Identified {
  state: PortState;
  /** The address connected to (or tried). */
  address?: string;
  /** The catalog service recognised ("redis", "https"); absent for a port that is not open or not recognised. */
  service?: string;
  /** How it answered: its service check, HTTP, only a TLS handshake, or only the connection (tcp). */
  kind?: ProbeKind;
  /** The service check that recognised it. */
  check?: string;
  /** It speaks TLS from the first byte. */
  tls?: boolean;
  /** Settings the recognising check was run with (DNS over TCP). */
  settings?: Record<string, unknown>;
  /** The HTTP status the first request got. */
  httpStatus?: number;
  /** What is wrong with the certificate, when it is not one a monitor would accept. */
  certificateProblem?: string;
  /** What it said, or why it is closed or filtered. */
  detail: string;
  facts?: Record<string, string>;
  /** Milliseconds spent on this port. */
  ms: number;
}

export interface IdentifyOptions {
  /** Bounds the connection and each identification attempt. */
  timeoutMs: number;
  /** The host's name when it was given as one: for SNI and the Host header. */
  servername?: string;
  signal?: AbortSignal;
}

/** Every status is an answer: a 404 or a 401 still proves HTTP. */
const ANY_STATUS = (() => {
  const rule = parseStatusRule('100-599');
  if (!rule.ok) throw new Error(rule.error);
  return rule.value;
})();

/**
 * Probe-first protocols, in the order tried when the port number suggests nothing: ones whose
 * request nearly every other server rejects at once come first, so a wrong guess costs a round
 * trip rather than the timeout. Memcached's 9-byte "version" goes before Redis's 6-byte PING, as
 * RabbitMQ waits for 8 bytes; HTTP goes before the binary requests, which leave many HTTP
 * servers waiting for the end of a line. TLS goes last: every plain request fails fast against
 * a TLS server, while a ClientHello can leave length-prefixed servers waiting.
 */
export const PROBE_ORDER = ['memcached', 'redis', 'http', 'postgres', 'dns', 'mongodb', 'amqp', 'mqtt', 'tls'] as const;

/** Plain text lines: a port that answers neither is no line protocol, and most likely not HTTP either. */
const TEXT_LINES = ['memcached', 'redis'];

/** The checks that run over HTTP: tried once a port is known to speak it. */
const OVER_HTTP = ['elasticsearch', 'solr'];

/** A port gets this many timeouts in all, connection included, so one that never answers still ends. */
export const BUDGET_TIMEOUTS = 3;

/** An attempt with less time than this left is not worth starting. */
const MIN_ATTEMPT_MS = 50;

/** The greeting wait: long enough for a local or LAN server, short enough not to hold every port. */
export const greetingWait = (timeoutMs: number): number => Math.min(1000, Math.round(timeoutMs / 2));

/** The catalog service a check belongs to. */
export const serviceOfCheck = (check: string): string | undefined =>
  CATALOG.find((s) => s.ports.some((p) => p.serviceCheck === check))?.id;

/**
 * What the catalog expects on this port number, as steps to try first: its service check, or
 * http, or tls for the ports that speak TLS from the first byte (443, 465, 993, 995).
 */
export function hintedSteps(port: number): string[] {
  const steps = servicesForPort(port).flatMap((s) =>
    s.ports
      .filter((p) => p.port === port)
      .map((p) =>
        p.check === 'tls' || s.id === 'https' ? 'tls' : (p.serviceCheck ?? (p.check === 'http' ? 'http' : '')),
      ),
  );
  return [...new Set(steps.filter(Boolean))];
}

/** Steps for one port: what its number suggests first, then every probe-first protocol. */
export function stepsFor(port: number): string[] {
  return [...new Set([...hintedSteps(port), ...PROBE_ORDER])];
}

/** A failure to connect as the port's state: refused is closed; no answer or unreachable is filtered. */
function notOpen(e: unknown, started: number): Identified {
  const f = e instanceof ProbeFailure ? e : new ProbeFailure('error', 'connect', String(e));
  const ms = Math.round(monotonic() - started);
  if (f.outcome === 'refused' || f.outcome === 'reset') return { state: 'closed', detail: f.detail, ms };
  return { state: 'filtered', detail: f.detail, ms };
}

const hostOf = (address: string): string => (address.includes(':') ? `[${address}]` : address);

interface Attempt {
  result: ProbeResult;
  identified?: Omit<Identified, 'state' | 'ms' | 'address'>;
}

/** A passing service check, as an identification. */
function fromService(result: ProbeResult, check: string, tls: boolean, settings?: Record<string, unknown>): Attempt {
  const problem = result.tls ? certificateProblem(result.tls) : undefined;
  return {
    result,
    identified: {
      kind: 'service',
      check,
      ...(serviceOfCheck(check) ? { service: serviceOfCheck(check) } : {}),
      ...(tls ? { tls: true } : {}),
      ...(settings ? { settings } : {}),
      ...(problem ? { certificateProblem: problem } : {}),
      detail: result.detail,
      ...(result.facts ? { facts: result.facts } : {}),
    },
  };
}

/**
 * Names what answers on one port. It connects and waits briefly for a greeting (SSH, SMTP, FTP,
 * IMAP, POP3 and MySQL speak first) and confirms it with that service's own check; a port that
 * stays quiet gets the probe-first checks one by one, the port number's likely service first,
 * each bounded by the timeout, until one passes. A port that passes none is open, unidentified.
 */
export async function identify(target: ProbeTarget, options: IdentifyOptions): Promise<Identified> {
  const started = monotonic();
  const { timeoutMs, signal } = options;
  const greetMs = greetingWait(timeoutMs);
  const sni = options.servername && isIP(options.servername) === 0 ? { servername: options.servername } : {};
  let first: Greeting;
  try {
    first = await readGreeting(target, { timeoutMs, greetMs, signal, ...sni });
  } catch (e) {
    return notOpen(e, started);
  }
  // Every later attempt goes to the address that accepted, so a name is resolved once.
  const at: ProbeTarget = { host: first.address, port: target.port };
  const budgetEnd = started + BUDGET_TIMEOUTS * timeoutMs;
  const left = (): number => Math.min(timeoutMs, budgetEnd - monotonic());
  const done = (found: Omit<Identified, 'state' | 'ms' | 'address'>): Identified => ({
    state: 'open',
    address: first.address,
    ...found,
    ms: Math.round(monotonic() - started),
  });
  const tried: string[] = [];

  const service = async (check: string, tls = false, settings?: Record<string, unknown>): Promise<Attempt> => {
    tried.push(tls ? `${check} over TLS` : check);
    const result = await runProbe(
      'service',
      at,
      { check, insecure: true, ...sni, ...(tls ? { implicitTls: true } : {}), ...(settings ? { settings } : {}) },
      { timeoutMs: left(), ...(signal ? { signal } : {}) },
    );
    return result.outcome === 'ok' ? fromService(result, check, tls, settings) : { result };
  };

  const http = async (tls: boolean): Promise<Attempt> => {
    tried.push(tls ? 'https' : 'http');
    const url = `${tls ? 'https' : 'http'}://${hostOf(at.host)}:${at.port}/`;
    const result = await runProbe(
      'http',
      at,
      { url, expectStatus: ANY_STATUS, followRedirects: false, insecure: true, ...sni },
      { timeoutMs: left(), ...(signal ? { signal } : {}) },
    );
    if (result.outcome !== 'ok') return { result };
    // A search engine is HTTP too: its own check names it, where the port number may not.
    for (const check of OVER_HTTP) {
      if (tried.includes(check) || left() < MIN_ATTEMPT_MS) continue;
      const inner = await service(check, tls);
      if (inner.identified) return inner;
    }
    const problem = result.tls ? certificateProblem(result.tls) : undefined;
    const status = result.http?.status;
    return {
      result,
      identified: {
        kind: 'http',
        service: tls ? 'https' : 'http',
        ...(tls ? { tls: true } : {}),
        ...(status !== undefined ? { httpStatus: status } : {}),
        ...(problem ? { certificateProblem: problem } : {}),
        detail: result.detail,
      },
    };
  };

  /** A TLS port: what is said inside it, as for a plain one, then HTTPS; else TLS, unidentified. */
  const overTls = async (): Promise<Attempt> => {
    tried.push('tls');
    const result = await runProbe(
      'tls',
      at,
      { insecure: true, ...sni },
      { timeoutMs: left(), ...(signal ? { signal } : {}) },
    );
    if (result.outcome !== 'ok') return { result };
    let inside: Greeting | undefined;
    try {
      inside = await readGreeting(at, {
        tls: true,
        timeoutMs: left(),
        greetMs: Math.min(greetMs, left()),
        signal,
        ...sni,
      });
    } catch {
      inside = undefined;
    }
    if (inside?.greeting)
      for (const check of greetingChecks(inside.greeting)) {
        if (left() < MIN_ATTEMPT_MS) break;
        const a = await service(check, true);
        if (a.identified) return a;
      }
    else if (left() >= MIN_ATTEMPT_MS) {
      const web = await http(true);
      if (web.identified) return web;
    }
    const problem = result.tls ? certificateProblem(result.tls) : undefined;
    const said = inside?.greeting ? `; inside, it greets with "${printable(inside.greeting, 60)}"` : '';
    return {
      result,
      identified: {
        kind: 'tls',
        tls: true,
        ...(problem ? { certificateProblem: problem } : {}),
        detail: `TLS (${result.tls?.protocol ?? 'handshake ok'}), nothing recognised inside${said}`,
      },
    };
  };

  if (first.greeting) {
    const candidates = greetingChecks(first.greeting);
    const quoted = `"${printable(first.greeting, 80)}"`;
    let why = '';
    for (const check of candidates) {
      if (left() < MIN_ATTEMPT_MS) break;
      const a = await service(check);
      if (a.identified) return done(a.identified);
      why ||= a.result.detail;
    }
    return done({
      kind: 'tcp',
      detail: candidates.length
        ? `greets with ${quoted}, but the ${candidates[0] ?? ''} check did not pass: ${why || 'no time left'}`
        : `greets with ${quoted}, which no check recognises`,
    });
  }

  let stopped = '';
  const steps = stepsFor(target.port).filter((s) => !tried.includes(s));
  let textSilence = 0;
  while (steps.length) {
    if (left() < MIN_ATTEMPT_MS) {
      stopped = `; gave up after ${BUDGET_TIMEOUTS} × the timeout, untried: ${steps.join(', ')}`;
      break;
    }
    const step = steps.shift() ?? '';
    const a =
      step === 'http'
        ? await http(false)
        : step === 'tls'
          ? await overTls()
          : await service(step, false, step === 'dns' ? { transport: 'tcp' } : undefined);
    // nginx and Apache answer plain HTTP on an HTTPS port with 400: the TLS handshake tells.
    if (
      a.identified?.kind === 'http' &&
      a.identified.httpStatus === 400 &&
      !a.identified.tls &&
      left() >= MIN_ATTEMPT_MS
    ) {
      const secure = await overTls();
      if (secure.identified && secure.identified.kind !== 'tls') return done(secure.identified);
    }
    if (a.identified) return done(a.identified);
    // The server went away, or stopped accepting: nothing more to learn from it.
    if (a.result.outcome === 'refused' || (a.result.outcome === 'timeout' && a.result.phase === 'connect')) {
      stopped = `; stopped: ${a.result.detail}`;
      break;
    }
    if (signal?.aborted) break;
    // Silent to two text lines, it waits for binary framing (DNS reads a length first): HTTP,
    // which answers even a bad line, moves to the end so the binary requests get the time.
    if (TEXT_LINES.includes(step) && a.result.outcome === 'timeout' && ++textSilence === TEXT_LINES.length) {
      const web = steps.indexOf('http');
      if (web !== -1) steps.push(...steps.splice(web, 1));
    }
  }
  const opening = first.hungUp ? 'accepts, then hangs up without a word' : 'says nothing first';
  return done({ kind: 'tcp', detail: `${opening}; no check recognised it (tried ${tried.join(', ')})${stopped}` });
}
