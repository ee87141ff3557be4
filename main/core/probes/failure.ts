import type { CertificateFacts, Outcome, Phase } from '../../../shared/probe';

/** A check that ended badly, with the words to explain it. Thrown inside probes, never past them. */
export class ProbeFailure extends Error {
  /** The certificate, when a TLS failure has one to show. */
  tls?: CertificateFacts;

  constructor(
    readonly outcome: Exclude<Outcome, 'ok'>,
    readonly phase: Phase,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'ProbeFailure';
  }
}

/** The abort reason used when a check's time is up, so it can be told apart from a cancel. */
export class ProbeDeadline extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'ProbeDeadline';
  }
}

const errnoOutcome: Record<string, Exclude<Outcome, 'ok'>> = {
  ECONNREFUSED: 'refused',
  ETIMEDOUT: 'timeout',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  ENETDOWN: 'unreachable',
  EHOSTDOWN: 'unreachable',
  EADDRNOTAVAIL: 'unreachable',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
};

const errnoWords: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network is down',
  EHOSTDOWN: 'host is down',
  EADDRNOTAVAIL: 'address not available from this machine',
  ECONNRESET: 'connection reset by peer',
  EPIPE: 'connection closed while sending',
  ECONNABORTED: 'connection aborted',
  EACCES: 'connection not permitted (local firewall or policy)',
  EPERM: 'connection not permitted (local firewall or policy)',
};

export const errorCode = (err: unknown): string | undefined =>
  typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;

export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Turns a socket-level error into a failure of the given phase. */
export function socketFailure(err: unknown, phase: Phase): ProbeFailure {
  if (err instanceof ProbeFailure) return err;
  const code = errorCode(err);
  const outcome = (code && errnoOutcome[code]) || 'error';
  const words = (code && errnoWords[code]) || errorMessage(err);
  return new ProbeFailure(outcome, phase, code ? `${words} (${code})` : words);
}

/** What a deadline or cancel means in the phase it interrupted. */
export function abortFailure(signal: AbortSignal, phase: Phase): ProbeFailure {
  const reason: unknown = signal.reason;
  if (!(reason instanceof ProbeDeadline)) return new ProbeFailure('error', phase, 'check cancelled');
  const ms = reason.timeoutMs;
  switch (phase) {
    case 'resolve':
      return new ProbeFailure('dns', phase, `resolver timeout: no answer within ${ms} ms`);
    case 'connect':
      return new ProbeFailure('timeout', phase, `no answer to the connection request within ${ms} ms`);
    case 'tls':
      return new ProbeFailure('tls', phase, `handshake timeout: not finished within ${ms} ms`);
    default:
      return new ProbeFailure(
        'timeout',
        phase,
        `no ${phase === 'body' ? 'complete body' : 'response'} within ${ms} ms`,
      );
  }
}

/** Rejects with the abort failure as soon as the signal fires; runs `cleanup` either way. */
export function onAbort(signal: AbortSignal, phase: () => Phase, reject: (e: ProbeFailure) => void): () => void {
  const listener = (): void => reject(abortFailure(signal, phase()));
  if (signal.aborted) {
    listener();
    return () => undefined;
  }
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}
