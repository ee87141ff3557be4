import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePki, type TestPki } from '../helpers/certs';
import { listen, openSockets } from '../helpers/net';
import { MARGIN_MS, settle, timedProbe } from '../helpers/probe';
import { tlsServer, type Running } from '../helpers/servers';

describe('tls probe', () => {
  let pki: TestPki;
  const servers: Record<string, Running> = {};

  beforeAll(async () => {
    pki = makePki();
    for (const name of ['valid', 'expired', 'notYetValid', 'wrongName', 'selfSigned'] as const)
      servers[name] = await tlsServer(pki[name]);
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s.close()));
  });

  const check = (server: string, extra: { insecure?: boolean; trustCa?: boolean; host?: string } = {}) =>
    timedProbe(
      'tls',
      { host: extra.host ?? 'localhost', port: servers[server]?.port ?? 0 },
      { ...(extra.trustCa === false ? {} : { ca: [pki.ca.cert] }), ...(extra.insecure ? { insecure: true } : {}) },
      3000,
    );

  it('passes a certificate from a trusted CA and reports its facts', async () => {
    const { result } = await check('valid');
    expect(result.outcome).toBe('ok');
    expect(result.phase).toBe('tls');
    expect(result.tls?.trusted).toBe(true);
    expect(result.tls?.nameMatches).toBe(true);
    expect(result.tls?.subject).toContain('CN=localhost');
    expect(result.tls?.issuer).toContain('Portwatch Test CA');
    expect(result.tls?.daysLeft).toBeGreaterThanOrEqual(88);
    expect(result.tls?.daysLeft).toBeLessThanOrEqual(90);
    expect(result.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(result.phases.tls).toBeGreaterThan(0);
  });

  it('checks the name against an IP address too', async () => {
    const { result } = await check('valid', { host: '127.0.0.1' });
    expect(result.outcome).toBe('ok');
    expect(result.tls?.nameMatches).toBe(true);
  });

  it('rejects the same certificate when its CA is not trusted', async () => {
    const { result } = await check('valid', { trustCa: false });
    expect(result.outcome).toBe('tls');
    expect(result.detail).toMatch(/untrusted issuer/);
    expect(result.tls?.trusted).toBe(false);
  });

  it('says an expired certificate is expired, and when it expired', async () => {
    const { result } = await check('expired');
    expect(result.outcome).toBe('tls');
    expect(result.phase).toBe('tls');
    expect(result.detail).toMatch(/certificate expired.*on \d{4}-/);
    expect(result.tls?.daysLeft).toBeLessThan(0);
  });

  it('says a certificate is not yet valid', async () => {
    const { result } = await check('notYetValid');
    expect(result.outcome).toBe('tls');
    expect(result.detail).toMatch(/not yet valid/);
  });

  it('says a self-signed certificate is self-signed', async () => {
    const { result } = await check('selfSigned', { trustCa: false });
    expect(result.outcome).toBe('tls');
    expect(result.detail).toMatch(/self-signed/);
    expect(result.tls?.selfSigned).toBe(true);
  });

  it('says when the certificate is for another name, and which', async () => {
    const { result } = await check('wrongName');
    expect(result.outcome).toBe('tls');
    expect(result.detail).toMatch(/name mismatch.*other\.example/);
    expect(result.tls?.trusted).toBe(true);
    expect(result.tls?.nameMatches).toBe(false);
  });

  it('accepts an untrusted certificate with --insecure, still reporting the problem', async () => {
    const { result } = await check('selfSigned', { trustCa: false, insecure: true });
    expect(result.outcome).toBe('ok');
    expect(result.detail).toMatch(/accepted although: self-signed/);
    expect(result.tls?.trusted).toBe(false);
  });

  it('times out a handshake the server never answers, within the deadline', async () => {
    const silent = await listen(() => undefined);
    try {
      const { result, waited } = await timedProbe('tls', { host: '127.0.0.1', port: silent.port }, {}, 700);
      expect(result.outcome).toBe('tls');
      expect(result.phase).toBe('tls');
      expect(result.detail).toMatch(/handshake timeout/);
      expect(waited).toBeLessThan(700 + MARGIN_MS);
    } finally {
      await silent.close();
    }
  });

  it('reports a reset when the server resets the connection at the client hello', async () => {
    const resetter = await listen((s) => s.once('data', () => s.resetAndDestroy()));
    try {
      const { result } = await timedProbe('tls', { host: '127.0.0.1', port: resetter.port }, {}, 2000);
      expect(result.outcome).toBe('reset');
      expect(result.phase).toBe('tls');
    } finally {
      await resetter.close();
    }
  });

  it('says a plain-text port does not speak TLS', async () => {
    const plain = await listen((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    try {
      const { result } = await timedProbe('tls', { host: '127.0.0.1', port: plain.port }, {}, 2000);
      expect(result.outcome).toBe('tls');
      expect(result.detail).toMatch(/did not answer with TLS/);
    } finally {
      await plain.close();
    }
  });

  it('leaves no socket open', async () => {
    await settle();
    const before = openSockets();
    for (let i = 0; i < 10; i++) {
      await check('valid');
      await check('expired');
    }
    await settle();
    expect(openSockets()).toBe(before);
  });
});
