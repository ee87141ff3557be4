import type { Socket } from 'node:net';
import { PhaseTimer } from '../probes/clock';
import { openConnection, type AttemptLog } from '../probes/connect';
import { ProbeDeadline } from '../probes/failure';
import { handshake } from '../probes/handshake';
import type { ProbeTarget } from '../probes/types';

export interface Greeting {
  /** The address that accepted the connection. */
  address: string;
  /** What the server said before we did, if anything, within the wait. */
  greeting?: Buffer;
  /** The server closed the connection before the wait was over. */
  hungUp: boolean;
}

export interface GreetingOptions {
  /** Shake hands with TLS first (for what is said inside an implicit-TLS port). */
  tls?: boolean;
  /** The name to send as SNI when the target was named rather than given as an address. */
  servername?: string;
  /** Bounds the connection (and handshake). */
  timeoutMs: number;
  /** How long to wait for the server to speak first once connected. */
  greetMs: number;
  signal?: AbortSignal;
}

/** A MySQL packet header (3-byte length, sequence 0) whose whole payload has arrived. */
export function mysqlPacket(b: Buffer): boolean {
  if (b.length < 5 || b[3] !== 0) return false;
  const length = b.readUIntLE(0, 3);
  return length > 0 && b.length >= 4 + length && (b[4] === 0x0a || b[4] === 0xff);
}

// One line, one MySQL packet, or this much: enough to tell a greeting apart, no more.
const enough = (b: Buffer): boolean => b.includes(0x0a) || mysqlPacket(b) || b.length >= 1024;

/**
 * Connects and listens without saying anything, as banner-first protocols (SSH, SMTP, FTP, IMAP,
 * POP3, MySQL) speak first: their greeting names them before any probe is sent. Throws the
 * probe's ProbeFailure when the connection (or handshake) fails: refused, timeout, unreachable.
 */
export async function readGreeting(target: ProbeTarget, options: GreetingOptions): Promise<Greeting> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new ProbeDeadline(options.timeoutMs)), options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline.signal, options.signal]) : deadline.signal;
  const phases = new PhaseTimer();
  const log: AttemptLog = {};
  let stream: Socket;
  let address: string;
  try {
    const connection = await openConnection(target, {}, phases, signal, options.timeoutMs, log);
    address = connection.address;
    stream = connection.socket;
    if (options.tls) {
      const tlsOptions = { insecure: true, ...(options.servername ? { servername: options.servername } : {}) };
      stream = await handshake(stream, target.host, tlsOptions, phases, signal);
    }
  } finally {
    clearTimeout(timer);
  }
  return new Promise<Greeting>((resolve) => {
    let said = Buffer.alloc(0);
    let settled = false;
    const finish = (hungUp: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(wait);
      options.signal?.removeEventListener('abort', cancel);
      stream.removeAllListeners('data');
      stream.on('error', () => undefined);
      stream.destroy();
      resolve({ address, hungUp, ...(said.length ? { greeting: said } : {}) });
    };
    const cancel = (): void => finish(false);
    const wait = setTimeout(() => finish(false), options.greetMs);
    options.signal?.addEventListener('abort', cancel, { once: true });
    stream.on('data', (chunk: Buffer) => {
      said = Buffer.concat([said, chunk]);
      if (enough(said)) finish(false);
    });
    stream.once('close', () => finish(true));
    stream.on('error', () => finish(true));
  });
}

/**
 * The checks a greeting points to, likeliest first; none for a greeting no check knows. SMTP and
 * FTP both greet with "220": the banner's words decide which goes first, the other follows.
 */
export function greetingChecks(greeting: Buffer): string[] {
  if (mysqlPacket(greeting)) return ['mysql'];
  const first = greeting.toString('latin1').split('\n')[0] ?? '';
  if (first.startsWith('SSH-')) return ['ssh'];
  if (/^\* (OK|PREAUTH|BYE)\b/i.test(first)) return ['imap'];
  if (/^(\+OK|-ERR)\b/.test(first)) return ['pop3'];
  if (/^[1-5]\d\d([ -]|\r?$)/.test(first))
    return /\bE?SMTP\b/i.test(first) && !/\bFTP\b/i.test(first) ? ['smtp', 'ftp'] : ['ftp', 'smtp'];
  return [];
}
