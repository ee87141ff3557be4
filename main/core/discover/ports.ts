import type { Parsed } from '../../../shared/http-status';
import { CATALOG } from '../../../shared/catalog';

/** Every default port of the catalog's services: what `--ports catalog` (the default) scans. */
export const CATALOG_PORTS: readonly number[] = [...new Set(CATALOG.flatMap((s) => s.ports.map((p) => p.port)))].sort(
  (a, b) => a - b,
);

/**
 * About a hundred ports services most often listen on: web and its usual alternates, remote access,
 * mail, directories, databases, caches, queues, search, container and cluster APIs. With the
 * catalog's ports, so `top` never scans less than the default.
 */
export const TOP_PORTS: readonly number[] = [
  ...new Set([
    ...CATALOG_PORTS,
    ...[20, 21, 22, 23, 25, 53, 69, 80, 81, 88, 110, 111, 119, 123, 135, 137, 139, 143, 161, 179, 389, 443, 445],
    ...[465, 514, 515, 548, 554, 587, 631, 636, 873, 902, 989, 990, 993, 995, 1080, 1194, 1433, 1521, 1723],
    ...[1883, 2049, 2181, 2222, 2375, 2376, 2379, 2380, 3000, 3128, 3268, 3306, 3389, 3690, 4369, 4443, 5000],
    ...[5001, 5060, 5222, 5432, 5601, 5672, 5900, 5984, 6000, 6379, 6443, 6667, 7000, 7001, 7474, 8000, 8008],
    ...[8080, 8081, 8086, 8088, 8123, 8161, 8443, 8500, 8883, 8888, 8983, 9000, 9042, 9090, 9092, 9093, 9100],
    ...[9200, 9300, 9418, 9443, 10000, 11211, 15672, 25565, 27017, 27018, 50000],
  ]),
].sort((a, b) => a - b);

const HELP = 'use catalog, top, a list like 22,80,6379 or a range like 8000-8100';

function port(text: string, item: string): Parsed<number> {
  const n = Number(text);
  if (n < 1 || n > 65535)
    return { ok: false, error: `port ${text} in "${item}" is out of range: ports are 1 to 65535` };
  return { ok: true, value: n };
}

/**
 * Reads `--ports`: comma-separated items, each `catalog`, `top`, a port or a low-high range.
 * Returns the ports sorted, each once; anything it cannot read is named in the error.
 */
export function parsePorts(spec: string): Parsed<number[]> {
  if (spec.trim() === '') return { ok: false, error: `--ports is empty: ${HELP}` };
  const out = new Set<number>();
  for (const raw of spec.split(',')) {
    const item = raw.trim();
    if (item === '') return { ok: false, error: `--ports "${spec}" has an empty item between commas: ${HELP}` };
    const word = item.toLowerCase();
    if (word === 'catalog' || word === 'top') {
      for (const p of word === 'catalog' ? CATALOG_PORTS : TOP_PORTS) out.add(p);
      continue;
    }
    const range = /^(\d+)\s*-\s*(\d+)$/.exec(item);
    if (range) {
      const low = port(range[1] ?? '', item);
      if (!low.ok) return low;
      const high = port(range[2] ?? '', item);
      if (!high.ok) return high;
      if (low.value > high.value)
        return {
          ok: false,
          error: `the range "${item}" runs backwards: write it low-high (${high.value}-${low.value})`,
        };
      for (let p = low.value; p <= high.value; p++) out.add(p);
      continue;
    }
    if (/^\d+$/.test(item)) {
      const single = port(item, item);
      if (!single.ok) return single;
      out.add(single.value);
      continue;
    }
    return { ok: false, error: `--ports item "${item}" is not a port, a range, catalog or top: ${HELP}` };
  }
  return { ok: true, value: [...out].sort((a, b) => a - b) };
}
