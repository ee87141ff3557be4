import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStatusRule, type StatusRule } from '../../shared/http-status';
import type { HttpOptions } from '../../main/core/probes/types';
import { makePki, type TestPki } from '../helpers/certs';
import { listen, openSockets } from '../helpers/net';
import { MARGIN_MS, settle, timedProbe } from '../helpers/probe';
import { httpServer, httpsServer, type Running } from '../helpers/servers';

const rule = (text: string): StatusRule => {
  const r = parseStatusRule(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('http probe', () => {
  let web: Running;
  let secure: Running;
  let pki: TestPki;

  beforeAll(async () => {
    pki = makePki();
    web = await httpServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const status = Number(url.searchParams.get('status') ?? 200);
      if (url.pathname === '/redirect') {
        res.writeHead(302, { location: '/health' }).end();
      } else if (url.pathname === '/loop') {
        res.writeHead(301, { location: '/loop' }).end();
      } else if (url.pathname === '/health') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"green","db":"ok"}');
      } else if (url.pathname === '/big') {
        // Ten megabytes, of which the probe must read only the first bytes.
        res.writeHead(200);
        const chunk = Buffer.alloc(64 * 1024, 'a');
        let sent = 0;
        const pump = (): void => {
          while (sent < 160) {
            sent++;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end('needle');
        };
        pump();
      } else if (url.pathname === '/hang') {
        // Never answers.
      } else if (url.pathname === '/slow-body') {
        res.writeHead(200);
        res.write('start');
      } else {
        res.writeHead(status).end(`status ${status}`);
      }
    });
    secure = await httpsServer(pki.valid, (_req, res) => res.writeHead(200).end('secure ok'));
  });
  afterAll(async () => {
    await web?.close();
    await secure?.close();
  });

  const get = (path: string, extra: Partial<HttpOptions> = {}, timeout = 3000) =>
    timedProbe(
      'http',
      { host: '127.0.0.1', port: web.port },
      { url: `http://127.0.0.1:${web.port}${path}`, ...extra },
      timeout,
    );

  it('passes a 200 and times resolve, connect, first byte and the whole', async () => {
    const { result } = await get('/');
    expect(result.outcome).toBe('ok');
    expect(result.http?.status).toBe(200);
    expect(Object.keys(result.phases)).toEqual(expect.arrayContaining(['resolve', 'connect', 'response']));
    expect(result.ms).toBeGreaterThan(0);
  });

  it.each([
    [500, '200-399', 'protocol'],
    [503, '2xx', 'protocol'],
    [404, '200-399', 'protocol'],
    [404, '404', 'ok'],
    [204, '200,204', 'ok'],
    [301, '3xx', 'ok'],
  ])('judges status %i against "%s" as %s', async (status, expect_, outcome) => {
    const { result } = await get(`/?status=${status}`, { expectStatus: rule(expect_) });
    expect(result.outcome).toBe(outcome);
    expect(result.http?.status).toBe(status);
    if (outcome !== 'ok') {
      expect(result.phase).toBe('response');
      expect(result.detail).toBe(`HTTP status ${status}, expected ${expect_}`);
    }
  });

  it('follows redirects and records them; or judges the redirect itself when told not to follow', async () => {
    const followed = await get('/redirect');
    expect(followed.result.outcome).toBe('ok');
    expect(followed.result.http?.status).toBe(200);
    expect(followed.result.http?.url).toMatch(/\/health$/);
    expect(followed.result.http?.redirects).toHaveLength(1);
    const judged = await get('/redirect', { followRedirects: false, expectStatus: rule('200') });
    expect(judged.result.outcome).toBe('protocol');
    expect(judged.result.http?.status).toBe(302);
  });

  it('stops a redirect loop', async () => {
    const { result } = await get('/loop', { maxRedirects: 3 });
    expect(result.outcome).toBe('protocol');
    expect(result.detail).toContain('more than 3 redirects');
  });

  it('checks the body for a keyword and for a regular expression', async () => {
    expect((await get('/health', { body: { contains: '"green"' } })).result.outcome).toBe('ok');
    expect((await get('/health', { body: { regex: '"db":\\s*"ok"' } })).result.outcome).toBe('ok');
    const missing = await get('/health', { body: { contains: 'red' } });
    expect(missing.result.outcome).toBe('protocol');
    expect(missing.result.phase).toBe('body');
    expect(missing.result.detail).toContain('does not contain "red"');
  });

  it('reads only a bounded number of body bytes', async () => {
    const { result } = await get('/big', { body: { contains: 'needle' }, maxBodyBytes: 4096 });
    expect(result.outcome).toBe('protocol');
    expect(result.http?.bodyBytesRead).toBe(4096);
    expect(result.http?.bodyTruncated).toBe(true);
    expect(result.detail).toContain('in the first 4096 bytes');
  });

  it('times out a server that accepts the request and never answers', async () => {
    const { result, waited } = await get('/hang', {}, 700);
    expect(result.outcome).toBe('timeout');
    expect(result.phase).toBe('response');
    expect(result.diagnosis).toMatch(/did not answer within 700 ms/);
    expect(waited).toBeLessThan(700 + MARGIN_MS);
  });

  it('times out a body that never ends', async () => {
    const { result, waited } = await get('/slow-body', { body: { contains: 'end' } }, 700);
    expect(result.outcome).toBe('timeout');
    expect(result.phase).toBe('body');
    expect(waited).toBeLessThan(700 + MARGIN_MS);
  });

  it('reports a reset when the server resets the connection on the request', async () => {
    const resetter = await listen((s) => s.once('data', () => s.resetAndDestroy()));
    try {
      const { result } = await timedProbe(
        'http',
        { host: '127.0.0.1', port: resetter.port },
        { url: `http://127.0.0.1:${resetter.port}/` },
        2000,
      );
      expect(result.outcome).toBe('reset');
      expect(result.phase).toBe('response');
    } finally {
      await resetter.close();
    }
  });

  it('says when the server does not speak HTTP', async () => {
    const garbage = await listen((s) => s.end('SSH-2.0-OpenSSH_9.2\r\n'));
    try {
      const { result } = await timedProbe(
        'http',
        { host: '127.0.0.1', port: garbage.port },
        { url: `http://127.0.0.1:${garbage.port}/` },
        2000,
      );
      expect(result.outcome).toBe('protocol');
      expect(result.detail).toBe('the server did not answer with valid HTTP; it sent "SSH-2.0-OpenSSH_9.2\\r\\n"');
    } finally {
      await garbage.close();
    }
  });

  it('over HTTPS, times the TLS handshake and reports the certificate', async () => {
    const url = `https://localhost:${secure.port}/`;
    const ok = await timedProbe(
      'http',
      { host: 'localhost', port: secure.port },
      { url, ca: [pki.ca.cert], body: { contains: 'secure ok' } },
      3000,
    );
    expect(ok.result.outcome).toBe('ok');
    expect(ok.result.phases.tls).toBeGreaterThan(0);
    expect(ok.result.tls?.trusted).toBe(true);
    expect(ok.result.tls?.daysLeft).toBeGreaterThan(80);
    const untrusted = await timedProbe('http', { host: 'localhost', port: secure.port }, { url }, 3000);
    expect(untrusted.result.outcome).toBe('tls');
    expect(untrusted.result.phase).toBe('tls');
    expect(untrusted.result.detail).toMatch(/untrusted issuer/);
  });

  it('refused and dropped connections are classified as for tcp', async () => {
    const { closedPort } = await import('../helpers/net');
    const port = await closedPort();
    const { result } = await timedProbe(
      'http',
      { host: '127.0.0.1', port },
      { url: `http://127.0.0.1:${port}/` },
      2000,
    );
    expect(result.outcome).toBe('refused');
    expect(result.phase).toBe('connect');
  });

  it('leaves no socket open', async () => {
    await settle();
    const before = openSockets();
    for (let i = 0; i < 10; i++) {
      await get('/redirect');
      await get('/big', { body: { contains: 'x' }, maxBodyBytes: 1000 });
      await get('/hang', {}, 100);
    }
    await settle();
    expect(openSockets()).toBe(before);
  });
});
