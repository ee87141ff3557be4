import type { AddressFamily, ProbeKind, ProbeResult } from '../../../shared/probe';
import type { StatusRule } from '../../../shared/http-status';

export interface ProbeTarget {
  host: string;
  port: number;
}

export interface ResolverAddress {
  host: string;
  port: number;
}

export interface ResolveOptions {
  /** Force one address family instead of the order the resolver gives. */
  family?: AddressFamily;
  /** Ask this DNS server instead of the system resolver. */
  resolver?: ResolverAddress;
}

export type TcpOptions = ResolveOptions;

export interface TlsOptions extends ResolveOptions {
  /** Name sent as SNI and checked against the certificate; defaults to the target host. */
  servername?: string;
  /** Accept an untrusted or mismatched certificate, still reporting what is wrong with it. */
  insecure?: boolean;
  /** Extra trusted authorities (PEM), added to the system's. */
  ca?: string[];
}

export interface BodyRule {
  contains?: string;
  /** A regular expression source, matched against the body read so far. */
  regex?: string;
}

export interface HttpOptions extends TlsOptions {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  expectStatus?: StatusRule;
  body?: BodyRule;
  followRedirects?: boolean;
  maxRedirects?: number;
  /** At most this many body bytes are read; the rest is never downloaded. */
  maxBodyBytes?: number;
}

export interface ServiceOptions extends TlsOptions {
  /** The service check to run: redis, postgres, smtp, … (see protocols/index.ts). */
  check: string;
  /** TLS from the first byte (SMTPS 465, IMAPS 993), before the service's own exchange. */
  implicitTls?: boolean;
  /** Upgrade with STARTTLS where the protocol offers it, reporting the certificate. */
  starttls?: boolean;
  /** Check-specific settings (a DNS name to ask for, dialogue steps, …). */
  settings?: Record<string, unknown>;
}

export interface ProbeOptionsByKind {
  tcp: TcpOptions;
  tls: TlsOptions;
  http: HttpOptions;
  service: ServiceOptions;
}

export interface ProbeContext {
  /** Aborted when the check's time is up (reason: ProbeDeadline) or it is cancelled. */
  signal: AbortSignal;
  timeoutMs: number;
}

export type ProbeFn<K extends ProbeKind> = (
  target: ProbeTarget,
  options: ProbeOptionsByKind[K],
  ctx: ProbeContext,
) => Promise<ProbeResult>;
