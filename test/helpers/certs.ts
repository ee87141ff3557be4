import forge from 'node-forge';
import { generateKeyPairSync } from 'node:crypto';

export interface KeyPair {
  key: string;
  cert: string;
}

interface CertSpec {
  commonName: string;
  altNames?: { dns?: string[]; ip?: string[] };
  notBefore: Date;
  notAfter: Date;
  issuer?: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey };
  isCa?: boolean;
}

const DAY = 86_400_000;

function rsaKeys(): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey; pem: string } {
  // Node generates the key natively (fast); forge only signs.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const priv = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  const pub = forge.pki.setRsaPublicKey(priv.n, priv.e);
  return { publicKey: pub, privateKey: priv, pem };
}

let serial = 1;

function makeCert(spec: CertSpec): { pair: KeyPair; cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } {
  const keys = rsaKeys();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = (serial++).toString(16).padStart(4, '0');
  cert.validity.notBefore = spec.notBefore;
  cert.validity.notAfter = spec.notAfter;
  const subject = [{ name: 'commonName', value: spec.commonName }];
  cert.setSubject(subject);
  cert.setIssuer(spec.issuer ? spec.issuer.cert.subject.attributes : subject);
  const extensions: object[] = [{ name: 'basicConstraints', cA: spec.isCa === true }];
  if (spec.isCa) extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true });
  const alt = [
    ...(spec.altNames?.dns ?? []).map((value) => ({ type: 2, value })),
    ...(spec.altNames?.ip ?? []).map((ip) => ({ type: 7, ip })),
  ];
  if (alt.length) extensions.push({ name: 'subjectAltName', altNames: alt });
  cert.setExtensions(extensions);
  cert.sign(spec.issuer ? spec.issuer.key : keys.privateKey, forge.md.sha256.create());
  return { pair: { key: keys.pem, cert: forge.pki.certificateToPem(cert) }, cert, key: keys.privateKey };
}

export interface TestPki {
  ca: KeyPair;
  valid: KeyPair;
  expired: KeyPair;
  notYetValid: KeyPair;
  wrongName: KeyPair;
  selfSigned: KeyPair;
}

/** A private CA and the server certificates the TLS tests need, made fresh for each run. */
export function makePki(): TestPki {
  const now = Date.now();
  const ca = makeCert({
    commonName: 'Portwatch Test CA',
    notBefore: new Date(now - 10 * DAY),
    notAfter: new Date(now + 3650 * DAY),
    isCa: true,
  });
  const issuer = { cert: ca.cert, key: ca.key };
  const local = { dns: ['localhost'], ip: ['127.0.0.1', '::1'] };
  return {
    ca: ca.pair,
    valid: makeCert({
      commonName: 'localhost',
      altNames: local,
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 90 * DAY),
      issuer,
    }).pair,
    expired: makeCert({
      commonName: 'localhost',
      altNames: local,
      notBefore: new Date(now - 60 * DAY),
      notAfter: new Date(now - 2 * DAY),
      issuer,
    }).pair,
    notYetValid: makeCert({
      commonName: 'localhost',
      altNames: local,
      notBefore: new Date(now + 5 * DAY),
      notAfter: new Date(now + 60 * DAY),
      issuer,
    }).pair,
    wrongName: makeCert({
      commonName: 'other.example',
      altNames: { dns: ['other.example'] },
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 90 * DAY),
      issuer,
    }).pair,
    selfSigned: makeCert({
      commonName: 'localhost',
      altNames: local,
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 90 * DAY),
    }).pair,
  };
}
