// What one check measured. Shared by the core (which produces it), the CLI and the window
// (which show it), so it carries only plain data.

export const OUTCOMES = [
  'ok',
  'refused',
  'timeout',
  'dns',
  'unreachable',
  'reset',
  'tls',
  'protocol',
  'error',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The step a check was in when it ended; for a passing check, the last step it took. */
export const PHASES = ['resolve', 'connect', 'tls', 'greeting', 'request', 'response', 'body'] as const;
export type Phase = (typeof PHASES)[number];

/** tcp, tls and http measure the port; service runs a service's own check (Redis PING, …) on it. */
export type ProbeKind = 'tcp' | 'tls' | 'http' | 'service';

export type AddressFamily = 4 | 6;

export interface CertificateFacts {
  subject: string;
  issuer: string;
  /** Subject alternative names as the certificate lists them, e.g. "DNS:example.com". */
  altNames: string[];
  validFrom: string;
  validTo: string;
  daysLeft: number;
  /** Whether the certificate names the host that was asked for. */
  nameMatches: boolean;
  /** Whether the chain leads to a trusted authority. */
  trusted: boolean;
  /** Why the chain is not trusted, in words, when it is not. */
  trustError?: string;
  selfSigned: boolean;
  protocol: string;
  cipher: string;
  fingerprint256: string;
}

export interface HttpFacts {
  status: number;
  statusText: string;
  /** The address of the response that was judged (after redirects when followed). */
  url: string;
  redirects: string[];
  bodyBytesRead: number;
  bodyTruncated: boolean;
}

export interface ProbeResult {
  outcome: Outcome;
  phase: Phase;
  /** Total milliseconds, from the start of the check to its end. */
  ms: number;
  /** Milliseconds spent in each step that was reached. */
  phases: Partial<Record<Phase, number>>;
  /** The address actually connected to (or tried last), when a name was resolved. */
  address?: string;
  family?: AddressFamily;
  port?: number;
  /** A short, technical account of what happened. */
  detail: string;
  /** One line a person can act on. */
  diagnosis: string;
  tls?: CertificateFacts;
  http?: HttpFacts;
  /** What the service said about itself: software, version, "authentication required", … */
  facts?: Record<string, string>;
  /** The service answered but says it is impaired (a yellow cluster): degraded, not up. */
  degraded?: string;
  /** Security findings, e.g. a database port answering on a public address. */
  findings?: string[];
  /** When the check started, as epoch milliseconds (wall clock, for history). */
  startedAt: number;
}
