import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { portwatch } from '../helpers/cli';
import { makePki, type TestPki } from '../helpers/certs';
import { closedPort, dropPort, listen, startDnsmasq, type Dnsmasq } from '../helpers/net';
import { httpServer, tlsServer, type Running } from '../helpers/servers';

describe('portwatch check', () => {
  let open: Awaited<ReturnType<typeof listen>>;
  let web: Running;
  let tlsOk: Running;
  let pki: TestPki;
  let caFile: string;
  let dns: Dnsmasq;

  beforeAll(async () => {
    open = await listen();
    web = await httpServer((req, res) => res.writeHead(req.url === '/down' ? 503 : 200).end('all good'));
    pki = makePki();
    tlsOk = await tlsServer(pki.valid);
    caFile = join(mkdtempSync(join(tmpdir(), 'pw-ca-')), 'ca.pem');
    writeFileSync(caFile, pki.ca.cert);
    dns = await startDnsmasq({ 'app.test': ['127.0.0.1'] });
  });
  afterAll(async () => {
    await open?.close();
    await web?.close();
    await tlsOk?.close();
    await dns?.stop();
  });

  it('--json on a listening port prints outcome ok with the documented keys, exit 0', async () => {
    const run = await portwatch('check', `127.0.0.1:${open.port}`, '--json');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(out.outcome).toBe('ok');
    expect(out.address).toBe('127.0.0.1');
    expect(typeof out.ms).toBe('number');
    expect(out.phases).toHaveProperty('connect');
    expect(typeof out.diagnosis).toBe('string');
  });

  it('a closed port gives refused well under 100 ms, exit 1', async () => {
    const run = await portwatch('check', `127.0.0.1:${await closedPort()}`, '--json');
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout) as { outcome: string; ms: number };
    expect(out.outcome).toBe('refused');
    expect(out.ms).toBeLessThan(100);
  });

  it('a DROP-ed port with --timeout 1500 gives timeout after 1.5 s (± 0.3 s)', async () => {
    const { port, close } = await listen();
    const undrop = dropPort(port);
    try {
      const run = await portwatch('check', `127.0.0.1:${port}`, '--timeout', '1500', '--json');
      expect(run.code).toBe(1);
      const out = JSON.parse(run.stdout) as { outcome: string; ms: number; phase: string };
      expect(out.outcome).toBe('timeout');
      expect(out.phase).toBe('connect');
      expect(out.ms).toBeGreaterThan(1200);
      expect(out.ms).toBeLessThan(1800);
      expect(run.wallMs).toBeLessThan(1500 + 1000);
    } finally {
      undrop();
      await close();
    }
  });

  it('prints a readable report with the diagnosis', async () => {
    const run = await portwatch('check', `127.0.0.1:${await closedPort()}`);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAILED: refused/);
    expect(run.stdout).toMatch(/diagnosis\s+Nothing is listening/);
  });

  it('checks TLS with --tls and a CA file, showing the certificate', async () => {
    const run = await portwatch('check', `localhost:${tlsOk.port}`, '--tls', '--ca', caFile);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^OK/);
    expect(run.stdout).toMatch(/certificate\s+CN=localhost/);
    expect(run.stdout).toMatch(/days left/);
    const untrusted = await portwatch('check', `tls://localhost:${tlsOk.port}`, '--json');
    expect(untrusted.code).toBe(1);
    expect(JSON.parse(untrusted.stdout)).toMatchObject({ outcome: 'tls', phase: 'tls' });
  });

  it('checks HTTP status and body rules', async () => {
    const ok = await portwatch('check', `http://127.0.0.1:${web.port}/`, '--contains', 'good', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ outcome: 'ok', http: { status: 200 } });
    const down = await portwatch('check', `http://127.0.0.1:${web.port}/down`, '--json');
    expect(down.code).toBe(1);
    expect(JSON.parse(down.stdout)).toMatchObject({ outcome: 'protocol', detail: 'HTTP status 503, expected 200-399' });
  });

  it('uses the DNS server given with --resolver', async () => {
    const ok = await portwatch('check', `app.test:${open.port}`, '--resolver', `127.0.0.1:${dns.port}`, '--json');
    expect(JSON.parse(ok.stdout)).toMatchObject({ outcome: 'ok', address: '127.0.0.1' });
    const missing = await portwatch('check', `gone.test:${open.port}`, '--resolver', `127.0.0.1:${dns.port}`, '--json');
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ outcome: 'dns', phase: 'resolve' });
  });

  it.each([
    [['check', '127.0.0.1:0'], /port must be from 1 to 65535, got 0/],
    [['check', '127.0.0.1:65536'], /port must be from 1 to 65535, got 65536/],
    [['check', '127.0.0.1:http'], /port must be a whole number/],
    [['check', ':80'], /host is empty/],
    [['check', 'bad_host!:80'], /not a valid host name/],
    [['check', 'db.example.com'], /has no port/],
    [['check', '::1:80'], /write it as \[address\]:port/],
    [['check', 'ftp://127.0.0.1:21'], /unsupported scheme "ftp:\/\/"/],
    [['check', 'http://127.0.0.1:99999/'], /port must be from 1 to 65535/],
    [['check'], /needs a target/],
    [['check', '127.0.0.1:80', '--bogus'], /Unknown option '--bogus'/],
    [['check', '127.0.0.1:80', '--timeout', 'soon'], /--timeout must be a whole number/],
    [['check', '127.0.0.1:80', '--ipv4', '--ipv6'], /exclude each other/],
    [['check', '127.0.0.1:80', '--resolver', 'dns.google'], /--resolver must be an IP address/],
    [['check', '127.0.0.1:80', '--insecure'], /--insecure applies only to TLS/],
    [['check', 'http://127.0.0.1/', '--status', '999'], /--status: "999" is not an HTTP status/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('bad usage %j exits 2 with a clear message and no stack trace', async (args, message) => {
    const run = await portwatch(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe('');
  });

  it('runs as `npx portwatch` from the project', async () => {
    const { execFile } = await import('node:child_process');
    const out = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile('npx', ['--no-install', 'portwatch', 'check', `127.0.0.1:${open.port}`, '--json'], (err, stdout) =>
        resolve({ code: err ? Number(err.code ?? 1) : 0, stdout }),
      );
    });
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ outcome: 'ok' });
  });

  it('--help lists the options, exit 0', async () => {
    const run = await portwatch('check', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--resolver');
  });
});
