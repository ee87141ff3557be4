import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../shared/catalog';
import { parseHosts, scanSizeProblem } from '../../main/core/discover/hosts';
import { CATALOG_PORTS, TOP_PORTS, parsePorts } from '../../main/core/discover/ports';

const ports = (spec: string): number[] => {
  const r = parsePorts(spec);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const portsError = (spec: string): string => {
  const r = parsePorts(spec);
  if (r.ok) throw new Error(`"${spec}" was accepted: ${r.value.join(',')}`);
  return r.error;
};

describe('--ports', () => {
  it('catalog is every default port of the catalog, each once', () => {
    const all = CATALOG.flatMap((s) => s.ports.map((p) => p.port));
    expect(ports('catalog')).toEqual([...new Set(all)].sort((a, b) => a - b));
    expect(ports('catalog')).toContain(6379);
    expect(ports('catalog')).toContain(993);
  });

  it('top is about a hundred ports and includes the catalog', () => {
    expect(TOP_PORTS.length).toBeGreaterThanOrEqual(90);
    expect(TOP_PORTS.length).toBeLessThanOrEqual(130);
    for (const p of CATALOG_PORTS) expect(TOP_PORTS).toContain(p);
  });

  it('a list, a range and words combine, sorted, without repeats', () => {
    expect(ports('6379,22,80')).toEqual([22, 80, 6379]);
    expect(ports('8000-8003')).toEqual([8000, 8001, 8002, 8003]);
    expect(ports('8002-8004, 8003,22')).toEqual([22, 8002, 8003, 8004]);
    expect(ports('1-65535')).toHaveLength(65535);
    expect(ports('TOP,65000')).toEqual([...TOP_PORTS, 65000]);
  });

  it.each([
    ['70000', 'port 70000 in "70000" is out of range: ports are 1 to 65535'],
    ['0', 'port 0 in "0" is out of range: ports are 1 to 65535'],
    ['8000-70000', 'port 70000 in "8000-70000" is out of range: ports are 1 to 65535'],
    ['a-b', '--ports item "a-b" is not a port, a range, catalog or top'],
    ['22,ssh', '--ports item "ssh" is not a port, a range, catalog or top'],
    ['', '--ports is empty'],
    ['  ', '--ports is empty'],
    ['22,,80', '--ports "22,,80" has an empty item between commas'],
    ['100-50', 'the range "100-50" runs backwards: write it low-high (50-100)'],
  ])('"%s" is refused: %s', (spec, message) => {
    expect(portsError(spec)).toContain(message);
  });
});

describe('the host argument', () => {
  const hosts = (text: string): string[] => {
    const r = parseHosts(text);
    if (!r.ok) throw new Error(r.error);
    return r.value.hosts;
  };
  const hostsError = (text: string): string => {
    const r = parseHosts(text);
    if (r.ok) throw new Error(`"${text}" was accepted`);
    return r.error;
  };

  it('a single host or address is scanned as it is, and is no range', () => {
    expect(parseHosts('db.internal')).toEqual({ ok: true, value: { hosts: ['db.internal'] } });
    expect(parseHosts('::1')).toEqual({ ok: true, value: { hosts: ['::1'] } });
  });

  it('a /24 is its 254 host addresses, without network and broadcast, and is marked a range', () => {
    const r = parseHosts('192.168.1.0/24');
    expect(r.ok && r.value.range).toBe('192.168.1.0/24');
    const list = hosts('192.168.1.0/24');
    expect(list).toHaveLength(254);
    expect(list[0]).toBe('192.168.1.1');
    expect(list.at(-1)).toBe('192.168.1.254');
  });

  it('an address inside the range stands for its network; /31 and /32 keep every address', () => {
    expect(hosts('10.1.2.77/30')).toEqual(['10.1.2.77', '10.1.2.78']);
    expect(hosts('10.1.2.77/31')).toEqual(['10.1.2.76', '10.1.2.77']);
    expect(hosts('10.1.2.77/32')).toEqual(['10.1.2.77']);
  });

  it('an IPv6 /120 is its 256 addresses, written the short way', () => {
    const list = hosts('fd00::1:0/120');
    expect(list).toHaveLength(256);
    expect(list[0]).toBe('fd00::1:0');
    expect(list[255]).toBe('fd00::1:ff');
  });

  it.each([
    ['10.0.0.0/16', '10.0.0.0/16 holds 65,536 addresses; discover scans at most 256 at once (a /24)'],
    ['10.0.0.0/23', '10.0.0.0/23 holds 512 addresses'],
    ['0.0.0.0/0', '0.0.0.0/0 holds 4,294,967,296 addresses'],
    ['fd00::/64', 'fd00::/64 holds 2^64 addresses; discover scans at most 256 at once (a /120)'],
    ['10.0.0.0/33', '"10.0.0.0/33": the prefix length must be a whole number from 0 to 32'],
    ['10.0.0.0/x', '"10.0.0.0/x": the prefix length must be a whole number from 0 to 32'],
    ['db.internal/24', '"db.internal/24" is not a CIDR range'],
  ])('"%s" is refused: %s', (text, message) => {
    expect(hostsError(text)).toContain(message);
  });

  it('a range with many ports is refused when it would make more than 65,536 connections', () => {
    expect(scanSizeProblem(254, 110)).toBeUndefined();
    expect(scanSizeProblem(1, 65535)).toBeUndefined();
    expect(scanSizeProblem(254, 1024)).toBe(
      '254 addresses × 1,024 ports is 260,096 connections; discover makes at most 65,536 in one run: ' +
        'scan fewer ports or a smaller range',
    );
  });
});
