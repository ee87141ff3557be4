import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Phase } from '../../../../shared/probe';
import { ProbeFailure, abortFailure, socketFailure } from '../failure';

/** Shows bytes from a server safely: printable ASCII, escapes for the rest, truncated. */
export function printable(data: Buffer | string, max = 80): string {
  const text = typeof data === 'string' ? data : data.toString('latin1');
  const shown = text
    .slice(0, max)
    .replace(/[^\x20-\x7e]/g, (c) =>
      c === '\r' ? '\\r' : c === '\n' ? '\\n' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
    );
  return text.length > max ? `${shown}…` : shown;
}

/** The longest reply any check reads; a server that talks forever is cut off here. */
export const MAX_REPLY_BYTES = 16 * 1024;

/**
 * A bounded exchange over one socket: every read ends by the deadline (the signal), after at
 * most MAX_REPLY_BYTES, or when the server closes, each with its own failure.
 */
export class Conversation {
  private buffer = Buffer.alloc(0);
  private closed: ProbeFailure | undefined;
  private wake: (() => void) | undefined;
  /** Whether we have spoken: a server that hangs up on a request did not understand it. */
  private sent = false;
  phase: Phase = 'greeting';

  constructor(
    public socket: Socket | TLSSocket,
    private readonly signal: AbortSignal,
  ) {
    this.listen(socket);
  }

  private listen(socket: Socket): void {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake?.();
    });
    socket.on('error', (err) => {
      this.closed ??= socketFailure(err, this.phase);
      this.wake?.();
    });
    socket.on('close', () => {
      this.closed ??= new ProbeFailure('reset', this.phase, 'the server closed the connection');
      this.wake?.();
    });
  }

  /** Hands the socket to a TLS upgrade (STARTTLS); reads continue on the secure socket. */
  detach(): Socket {
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('close');
    this.socket.on('error', () => undefined);
    return this.socket;
  }

  attach(secure: TLSSocket): void {
    this.socket = secure;
    this.buffer = Buffer.alloc(0);
    this.closed = undefined;
    this.listen(secure);
  }

  send(data: string | Buffer): void {
    this.sent = true;
    this.socket.write(data);
  }

  /**
   * Waits until `complete` finds a whole reply at the start of what has arrived; returns it and
   * keeps the rest. `complete` returns the reply's length, or undefined while it is incomplete.
   */
  async read(complete: (buf: Buffer) => number | undefined, what: string): Promise<Buffer> {
    for (;;) {
      const n = this.buffer.length ? complete(this.buffer) : undefined;
      if (n !== undefined) {
        const reply = this.buffer.subarray(0, n);
        this.buffer = this.buffer.subarray(n);
        return reply;
      }
      if (this.buffer.length > MAX_REPLY_BYTES)
        throw new ProbeFailure(
          'protocol',
          this.phase,
          `expected ${what}, got more than ${MAX_REPLY_BYTES} bytes: "${printable(this.buffer)}"`,
        );
      if (this.closed) {
        // Hanging up on a request, without a byte, is how many servers treat a protocol they do
        // not speak (PostgreSQL, Mosquitto): an empty reply, so a mismatch, not a network fault.
        if (this.buffer.length === 0 && this.sent && this.phase === 'response')
          throw new ProbeFailure(
            'protocol',
            this.phase,
            `expected ${what}, but the server hung up without a reply (${this.closed.detail}): is another service on this port?`,
          );
        if (this.buffer.length === 0) throw this.closed;
        throw new ProbeFailure(
          'protocol',
          this.phase,
          `expected ${what}, got a truncated reply: "${printable(this.buffer)}"`,
        );
      }
      if (this.signal.aborted) throw this.timeoutFailure(what);
      await new Promise<void>((resolve) => {
        const onAbort = (): void => resolve();
        this.signal.addEventListener('abort', onAbort, { once: true });
        this.wake = () => {
          this.signal.removeEventListener('abort', onAbort);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private timeoutFailure(what: string): ProbeFailure {
    const base = abortFailure(this.signal, this.phase);
    if (base.outcome !== 'timeout') return base;
    const got = this.buffer.length ? `; got only "${printable(this.buffer)}"` : '';
    return new ProbeFailure('timeout', this.phase, `waited for ${what} until the deadline${got}`);
  }

  /** One line ending in \n (a CRLF is stripped), as text. */
  async line(what: string): Promise<string> {
    const raw = await this.read((b) => {
      const i = b.indexOf(0x0a);
      return i === -1 ? undefined : i + 1;
    }, what);
    return raw.toString('utf8').replace(/\r?\n$/, '');
  }

  /** Exactly n bytes. */
  bytes(n: number, what: string): Promise<Buffer> {
    return this.read((b) => (b.length >= n ? n : undefined), what);
  }

  close(): void {
    this.socket.destroy();
  }
}
