import { checkServerIdentity, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { CertificateFacts } from '../../../shared/probe';
import { ProbeFailure } from './failure';

const DAY_MS = 86_400_000;

/** OpenSSL's verification codes in words; the code stays in brackets for searching. */
const trustWords: Record<string, string> = {
  CERT_HAS_EXPIRED: 'certificate expired',
  CERT_NOT_YET_VALID: 'certificate not yet valid',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain (untrusted root)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted issuer (unknown authority or missing intermediate)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted issuer (unknown authority or missing intermediate)',
  UNABLE_TO_GET_ISSUER_CERT: 'untrusted issuer (issuer certificate not found)',
  CERT_REVOKED: 'certificate revoked',
  CERT_SIGNATURE_FAILURE: 'certificate signature is invalid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'name mismatch',
};

export const trustErrorWords = (code: string): string => `${trustWords[code] ?? 'untrusted certificate'} [${code}]`;

const nameOf = (entity: PeerCertificate['subject'] | undefined): string => {
  if (!entity) return '';
  return Object.entries(entity)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(', ');
};

/** Reads what the peer certificate says and how far it can be trusted for `name`. */
export function certificateFacts(socket: TLSSocket, name: string, now = Date.now()): CertificateFacts {
  const cert = socket.getPeerCertificate(false);
  // Typed as an Error, but Node stores OpenSSL's code string here.
  const rawError: unknown = socket.authorizationError;
  const verifyCode = rawError ? String(rawError) : undefined;
  // Node reports a name mismatch here too; the chain itself was fine then.
  const code = verifyCode === 'ERR_TLS_CERT_ALTNAME_INVALID' ? undefined : verifyCode;
  const validTo = new Date(cert.valid_to);
  const identityError = cert.raw ? checkServerIdentity(name, cert) : new Error('no certificate');
  const facts: CertificateFacts = {
    subject: nameOf(cert.subject),
    issuer: nameOf(cert.issuer),
    altNames: cert.subjectaltname ? cert.subjectaltname.split(', ') : [],
    validFrom: new Date(cert.valid_from).toISOString(),
    validTo: validTo.toISOString(),
    daysLeft: Math.floor((validTo.getTime() - now) / DAY_MS),
    nameMatches: identityError === undefined,
    trusted: code === undefined,
    selfSigned: code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN',
    protocol: socket.getProtocol() ?? 'unknown',
    cipher: socket.getCipher().name,
    fingerprint256: cert.fingerprint256,
  };
  if (code) facts.trustError = trustErrorWords(code);
  return facts;
}

/** Why clients would refuse this certificate, most fundamental reason first; undefined if none. */
export function certificateProblem(facts: CertificateFacts): string | undefined {
  if (!facts.trusted) {
    const reason = facts.trustError ?? 'untrusted certificate';
    if (/expired/.test(reason)) return `${reason} on ${facts.validTo}`;
    if (/not yet valid/.test(reason)) return `${reason}: valid from ${facts.validFrom}`;
    return reason;
  }
  if (!facts.nameMatches) {
    const names = facts.altNames.length ? facts.altNames.join(', ') : facts.subject;
    return `name mismatch: the certificate is for ${names}`;
  }
  return undefined;
}

/** Reads the certificate and refuses it (a tls failure) unless it is sound or `insecure` is set. */
export function judgeCertificate(socket: TLSSocket, name: string, insecure: boolean | undefined): CertificateFacts {
  const facts = certificateFacts(socket, name);
  const problem = certificateProblem(facts);
  if (problem && !insecure) {
    socket.destroy();
    const failure = new ProbeFailure('tls', 'tls', problem);
    failure.tls = facts;
    throw failure;
  }
  return facts;
}
