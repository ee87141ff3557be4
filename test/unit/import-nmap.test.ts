import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNmap } from '../../main/core/formats/nmap';
import { readImport } from '../../main/core/formats/read-import';

const read = (name: string): string => readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url), 'utf8');

describe('nmap XML output', () => {
  const r = readImport({ text: read('nmap-scan.xml'), name: 'scan.xml', format: 'nmap' });
  const at = (host: string, port: number) => r.monitors.find((m) => m.host === host && m.port === port);

  it('proposes every open TCP port and nothing closed, filtered, or on a host that is down', () => {
    expect(r.problems).toEqual([]);
    expect(r.monitors.map((m) => `${m.host}:${m.port}`)).toEqual([
      'app.example.internal:22',
      'app.example.internal:80',
      'app.example.internal:443',
      'app.example.internal:5432',
      'app.example.internal:6379',
      'app.example.internal:8081',
      'app.example.internal:9200',
      '192.0.2.11:53',
      '192.0.2.11:993',
      '192.0.2.11:587',
    ]);
    expect(r.notMapped).toEqual([
      { item: 'host 1 (app.example.internal) port 53/udp', why: 'Portwatch checks TCP ports, not UDP' },
    ]);
  });

  it('checks each the way the catalog checks the service nmap named, else as a port', () => {
    expect(at('app.example.internal', 22)).toMatchObject({ kind: 'service', check: 'ssh', service: 'ssh', tier: 3 });
    expect(at('app.example.internal', 80)).toMatchObject({ kind: 'http', url: 'http://app.example.internal/' });
    expect(at('app.example.internal', 443)).toMatchObject({ kind: 'http', url: 'https://app.example.internal/' });
    expect(at('app.example.internal', 5432)).toMatchObject({ kind: 'service', check: 'postgres', tier: 1 });
    expect(at('app.example.internal', 6379)?.notes).toBe('nmap: redis (Redis key-value store 7.0.11)');
    expect(at('app.example.internal', 8081)).toMatchObject({
      kind: 'tcp',
      name: 'blackice-icecap 8081 on app.example.internal',
    });
    // A table guess (method="table") gives way to the catalog's service for the port.
    expect(at('app.example.internal', 9200)).toMatchObject({ kind: 'service', check: 'elasticsearch' });
    expect(at('192.0.2.11', 53)).toMatchObject({ kind: 'service', check: 'dns', settings: { transport: 'tcp' } });
    expect(at('192.0.2.11', 993)).toMatchObject({ kind: 'service', check: 'imap', implicitTls: true });
    expect(at('192.0.2.11', 587)).toMatchObject({ kind: 'service', check: 'smtp', starttls: true });
  });

  it('refuses a DOCTYPE that declares entities before parsing, naming its line', () => {
    const bomb = parseNmap(read('nmap-entity-bomb.xml'));
    expect(bomb.monitors).toEqual([]);
    expect(bomb.problems).toEqual([
      expect.stringMatching(/^line 4: the file declares entities in a DOCTYPE; .*entity bomb/),
    ]);
    const one = parseNmap('<?xml version="1.0"?>\n<!DOCTYPE x SYSTEM "x.dtd" [\n]>\n<nmaprun/>');
    expect(one.problems).toEqual([expect.stringMatching(/^line 2: the file declares entities/)]);
  });

  it('names where truncated XML breaks, and refuses XML that is not nmap output', () => {
    const text = read('nmap-scan.xml');
    const cut = parseNmap(text.slice(0, text.indexOf('portid="443"')));
    expect(cut.problems).toEqual([expect.stringMatching(/^not well-formed XML at line \d+, column \d+: /)]);
    expect(parseNmap('<?xml version="1.0"?><rss><channel/></rss>').problems).toEqual([
      'this is not nmap XML output (nmap -oX): it has no <nmaprun> element',
    ]);
  });

  it('reads the escapes XML predefines in a value, with entity processing off', () => {
    const r2 = parseNmap(
      '<nmaprun><host><status state="up"/><address addr="192.0.2.1" addrtype="ipv4"/><ports><port protocol="tcp" portid="80"><state state="open"/><service name="x&amp;y" product="&lt;AT&#38;T&#x21;&gt;"/></port></ports></host></nmaprun>',
    );
    expect(r2.monitors[0]?.notes).toBe('nmap: x&y (<AT&T!>)');
  });
});
