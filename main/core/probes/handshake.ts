import { rootCertificates, connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import { isIP } from 'node:net';
import type { CertificateFacts } from '../../../shared/probe';
import { judgeCertificate } from './certificate';
import type { PhaseTimer } from './clock';
import { ProbeFailure, errorCode, errorMessage, onAbort, socketFailure } from './failure';
import type { TlsOptions } from './types';

const tlsWords: Record<string, string> = {
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server did not answer with TLS (is this a plain-text port?)',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'the server did not answer with TLS (is this a plain-text port?)',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'no TLS version in common with the server',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'the server rejected the handshake (no common cipher or protocol)',
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'no TLS version in common with the server',
  ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR: 'the server reported an internal TLS error',
  ERR_SSL_TLSV1_UNRECOGNIZED_NAME: 'the server does not know this name (SNI)',
};

function handshakeFailure(err: unknown): ProbeFailure {
  const code = errorCode(err);
  const socketLevel = socketFailure(err, 'tls');
  if (socketLevel.outcome !== 'error') return socketLevel;
  const words = (code && tlsWords[code]) || `handshake failed: ${errorMessage(err)}`;
  return new ProbeFailure('tls', 'tls', code ? `${words} [${code}]` : words);
}

/**
 * Runs a TLS handshake over an open socket. The chain is never rejected here: the caller
 * reads the facts and decides, so an untrusted certificate can still be reported in full.
 */
export function handshake(
  socket: Socket,
  host: string,
  options: TlsOptions,
  timer: PhaseTimer,
  signal: AbortSignal,
  alpn?: string[],
): Promise<TLSSocket> {
  timer.begin('tls');
  const servername = options.servername ?? host;
  return new Promise<TLSSocket>((resolve, reject) => {
    const secure = tlsConnect({
      socket,
      // SNI may not carry an IP address (RFC 6066).
      ...(isIP(servername) === 0 ? { servername } : {}),
      rejectUnauthorized: false,
      ...(options.ca?.length ? { ca: [...rootCertificates, ...options.ca] } : {}),
      ...(alpn ? { ALPNProtocols: alpn } : {}),
    });
    const fail = (f: ProbeFailure): void => {
      stopAbort();
      secure.destroy();
      socket.destroy();
      reject(f);
    };
    const stopAbort = onAbort(signal, () => 'tls', fail);
    secure.once('error', (err) => fail(handshakeFailure(err)));
    secure.once('close', () =>
      fail(new ProbeFailure('reset', 'tls', 'the server closed the connection during the handshake')),
    );
    secure.once('secureConnect', () => {
      stopAbort();
      secure.removeAllListeners('error');
      secure.removeAllListeners('close');
      // A late error after the handshake must not crash the process.
      secure.on('error', () => undefined);
      resolve(secure);
    });
  });
}

/** The TLS step every probe shares: the handshake, then the certificate judged (and kept). */
export async function secureChannel(
  socket: Socket,
  host: string,
  options: TlsOptions,
  timer: PhaseTimer,
  signal: AbortSignal,
  alpn?: string[],
): Promise<{ secure: TLSSocket; tls: CertificateFacts }> {
  const secure = await handshake(socket, host, options, timer, signal, alpn);
  return { secure, tls: judgeCertificate(secure, options.servername ?? host, options.insecure) };
}
