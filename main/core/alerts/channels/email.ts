import nodemailer from 'nodemailer';
import type { Alert, Channel, Delivery } from '../types';
import { isoTime, messageOf, printable, redact, renderText } from './format';

export interface EmailConfig {
  id: string;
  host: string;
  port: number;
  /** Implicit TLS from the first byte (usually port 465). */
  secure: boolean;
  /** Refuse to send unless STARTTLS succeeds (usually port 587). */
  requireTLS: boolean;
  auth?: { user: string; pass: string };
  from: string;
  to: string[];
  tls?: { ca?: string[]; rejectUnauthorized?: boolean };
}

/** Each SMTP stage's own bound; the caller's signal ends the whole send sooner if it fires. */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000, dnsTimeout: 10_000 };

/** What nodemailer puts on its errors (documented on SMTPError). */
interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
}

/** Sends alerts as plain-text mail through an SMTP server, one connection per alert. */
export function emailChannel(config: EmailConfig): Channel {
  const server = `${config.host}:${config.port}`;
  // The password must never reach a detail, even if a server or library echoes it.
  const clean = (text: string): string => redact(text, config.auth?.pass);
  return {
    kind: 'email',
    id: config.id,
    send: async (alert: Alert, signal: AbortSignal): Promise<Delivery> => {
      if (signal.aborted)
        return { ok: false, retryable: true, detail: `SMTP server ${server}: stopped before sending` };
      if (config.to.length === 0) return { ok: false, retryable: false, detail: 'no recipients configured' };
      try {
        const progress = new Progress();
        const transport = nodemailer.createTransport({
          host: config.host,
          port: config.port,
          secure: config.secure,
          requireTLS: config.requireTLS,
          ...(config.auth ? { auth: { user: config.auth.user, pass: config.auth.pass } } : {}),
          ...(config.tls ? { tls: tlsOptions(config.tls) } : {}),
          ...TIMEOUTS,
          // A new connection per alert: alerts are rare, and a pooled idle connection only goes stale.
          pool: false,
          // Only nodemailer's own milestones, never the transcript (debug stays off: it holds AUTH).
          logger: progress.logger(),
          debug: false,
        });
        try {
          const info = await transport.sendMail({
            from: config.from,
            to: config.to,
            subject: alert.title,
            text: `${renderText(alert)}\n\n${footer(alert)}`,
            // Nodemailer 10 closes the SMTP connection when the signal fires.
            signal,
          });
          const rejected = info.rejected.map(addressOf);
          if (rejected.length > 0)
            return {
              ok: true,
              retryable: false,
              detail: clean(`sent to ${info.accepted.map(addressOf).join(', ')}; refused for ${rejected.join(', ')}`),
            };
          return { ok: true, retryable: false, detail: `sent to ${config.to.join(', ')} via ${server}` };
        } catch (e) {
          if (signal.aborted)
            return {
              ok: false,
              retryable: true,
              detail: `SMTP server ${server} did not finish in time (${progress.words()})`,
            };
          throw e;
        } finally {
          transport.close();
        }
      } catch (e) {
        const delivery = interpret(e as SmtpError, config, server);
        return { ...delivery, detail: clean(delivery.detail) };
      }
    },
  };
}

/**
 * How far a send got, from nodemailer's log messages, so a timeout can say where it stuck: a
 * server that never greets is a different problem from one that stalls after MAIL FROM.
 */
class Progress {
  private stage: 'connecting' | 'connected' | 'tls' | 'handshake' | 'sending' = 'connecting';
  private encrypted = false;

  logger(): LoggerLike {
    const note = (_entry: unknown, message: unknown, ...args: unknown[]): void => {
      if (typeof message !== 'string') return;
      if (message.includes('established to')) {
        this.stage = 'connected';
        this.encrypted = args[0] === 'Secure connection';
      } else if (message.startsWith('Connection upgraded with STARTTLS')) {
        this.stage = 'tls';
        this.encrypted = true;
      } else if (message.startsWith('SMTP handshake finished')) this.stage = 'handshake';
      else if (message.startsWith('Sending message')) this.stage = 'sending';
    };
    const none = (): void => undefined;
    return { level: none, trace: none, debug: note, info: note, warn: note, error: none, fatal: none };
  }

  words(): string {
    const tls = this.encrypted ? 'over TLS' : 'without TLS';
    switch (this.stage) {
      case 'connecting':
        return 'while connecting';
      case 'connected':
        return `connected ${tls}, then no greeting or handshake`;
      case 'tls':
        return 'STARTTLS succeeded, then the SMTP handshake stalled';
      case 'handshake':
      case 'sending':
        return `SMTP handshake finished ${tls}, then sending the message stalled`;
    }
  }
}

interface LoggerLike {
  level: (level: string) => void;
  trace: (...args: unknown[]) => void;
  debug: (...args: unknown[]) => void;
  info: (...args: unknown[]) => void;
  warn: (...args: unknown[]) => void;
  error: (...args: unknown[]) => void;
  fatal: (...args: unknown[]) => void;
}

/** nodemailer reports recipients as strings or { name, address }. */
const addressOf = (a: string | { address: string }): string => (typeof a === 'string' ? a : a.address);

function tlsOptions(tls: NonNullable<EmailConfig['tls']>): { ca?: string[]; rejectUnauthorized?: boolean } {
  const out: { ca?: string[]; rejectUnauthorized?: boolean } = {};
  if (tls.ca && tls.ca.length > 0) out.ca = tls.ca;
  if (tls.rejectUnauthorized !== undefined) out.rejectUnauthorized = tls.rejectUnauthorized;
  return out;
}

function footer(alert: Alert): string {
  return `-- \nSent by Portwatch (alert ${alert.id}, ${alert.kind}, ${alert.severity}, ${isoTime(alert.at)}).`;
}

const TLS_WORDS = /TLS|SSL|certificate|self[- ]signed|handshake|CERT_|altnames|wrong version number/i;

function interpret(e: SmtpError, config: EmailConfig, server: string): Delivery {
  const code = e.code ?? '';
  const message = printable(e.message ?? messageOf(e), 240);
  const said = printable(e.response ?? '', 240);
  if (code === 'EAUTH') {
    const who = config.auth?.user ?? '(no user configured)';
    return { ok: false, retryable: false, detail: `SMTP authentication failed for ${who}${said ? `: ${said}` : ''}` };
  }
  if (code === 'ENOAUTH')
    return { ok: false, retryable: false, detail: `SMTP server ${server} needs a user and password: ${message}` };
  if (
    code === 'ETLS' ||
    code === 'EREQUIRETLS' ||
    ((code === 'ESOCKET' || code === 'ECONNECTION') && TLS_WORDS.test(message))
  )
    return { ok: false, retryable: false, detail: `TLS with the SMTP server failed: ${message}` };
  if (code === 'ECONNECTION' || code === 'ETIMEDOUT' || code === 'ESOCKET' || code === 'EDNS' || isNetCode(e, message))
    return { ok: false, retryable: true, detail: `SMTP server ${server} unreachable: ${message}` };
  const reply = e.responseCode;
  if (reply !== undefined && reply >= 500)
    return { ok: false, retryable: false, detail: `SMTP server ${server} refused the mail: ${said || message}` };
  if (reply !== undefined && reply >= 400)
    return { ok: false, retryable: true, detail: `SMTP server ${server} deferred the mail: ${said || message}` };
  if (code === 'EENVELOPE' || code === 'EMESSAGE')
    return { ok: false, retryable: false, detail: `SMTP server ${server} refused the mail: ${said || message}` };
  return {
    ok: false,
    retryable: true,
    detail: `sending mail via ${server} failed: ${code ? `${code} ` : ''}${message}`,
  };
}

function isNetCode(e: SmtpError, message: string): boolean {
  return /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN/.test(`${e.code ?? ''} ${message}`);
}
