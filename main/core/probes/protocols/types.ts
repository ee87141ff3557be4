import type { CertificateFacts } from '../../../../shared/probe';
import type { Conversation } from './conversation';

export interface DialogueContext {
  host: string;
  port: number;
  /** Whether the monitor asks for STARTTLS where the protocol offers it. */
  starttls: boolean;
  /** Protocol-specific settings from the monitor (a DNS name to ask for, dialogue steps). */
  settings: Record<string, unknown>;
  /**
   * Upgrades the conversation to TLS (STARTTLS), judging the certificate like the tls probe; with
   * strict false, the certificate is only read (for its facts and expiry), never refused.
   */
  upgrade: (options?: { strict?: boolean }) => Promise<CertificateFacts>;
  /** The check's deadline (and cancel), for checks that open their own socket (DNS over UDP). */
  signal: AbortSignal;
}

export interface DialogueOutcome {
  /** What the service said, in a few words: "PONG", "220 mail.example ESMTP Postfix". */
  detail: string;
  /** Facts worth keeping: server software and version, "authentication required", … */
  facts?: Record<string, string>;
  /** Degraded although it answered: e.g. a cluster reporting yellow. */
  degraded?: string;
}

/** One service's check, run on a connection that is already open (and TLS when asked). */
export interface ServiceCheck {
  id: string;
  /** Shown in reports: "Redis PING". */
  name: string;
  /** Runs the exchange; throws ProbeFailure('protocol', …) saying what was expected and what came. */
  talk: (conv: Conversation, ctx: DialogueContext) => Promise<DialogueOutcome>;
}
