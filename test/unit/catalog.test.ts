import { describe, expect, it } from 'vitest';
import { CATALOG, TIERS, servicesForPort } from '../../shared/catalog';

// The table of PRODUCT.md: every service a user picks from must be there with its ports.
const PRODUCT_TABLE: [string, number[]][] = [
  ['http', [80]],
  ['https', [443]],
  ['ssh', [22]],
  ['postgres', [5432]],
  ['mysql', [3306]],
  ['redis', [6379]],
  ['mongodb', [27017]],
  ['elasticsearch', [9200]],
  ['solr', [8983]],
  ['smtp', [25, 587, 465]],
  ['imap', [993, 143]],
  ['ftp', [21]],
  ['dns', [53]],
  ['amqp', [5672]],
  ['memcached', [11211]],
  ['custom-api', [3000, 8080]],
];

describe('service catalog', () => {
  it.each(PRODUCT_TABLE)('has %s on its default ports', (id, ports) => {
    const entry = CATALOG.find((s) => s.id === id);
    expect(entry?.ports.map((p) => p.port)).toEqual(ports);
  });

  it('marks databases, caches, queues and search as private-only', () => {
    for (const port of [5432, 3306, 6379, 27017, 9200, 11211, 5672]) {
      expect(servicesForPort(port).every((s) => s.privateOnly)).toBe(true);
    }
    expect(servicesForPort(443)[0]?.privateOnly).toBe(false);
  });

  it('uses the tier defaults of the product brief', () => {
    expect(TIERS[1]).toMatchObject({
      intervalSec: 60,
      retries: 1,
      retryIntervalSec: 30,
      channels: ['desktop', 'telegram', 'email'],
    });
    expect(TIERS[2].intervalSec).toBe(300);
    expect(TIERS[3].intervalSec).toBe(900);
    expect(CATALOG.find((s) => s.id === 'postgres')?.tier).toBe(1);
    expect(CATALOG.find((s) => s.id === 'redis')?.tier).toBe(2);
    expect(CATALOG.find((s) => s.id === 'smtp')?.tier).toBe(3);
  });
});

describe('catalog and service checks', () => {
  it('every service check the catalog names exists', async () => {
    const { SERVICE_CHECKS } = await import('../../main/core/probes/protocols/index');
    const named = CATALOG.flatMap((s) => s.ports.flatMap((p) => (p.serviceCheck ? [p.serviceCheck] : [])));
    expect(named.length).toBeGreaterThan(0);
    for (const id of named) expect(Object.keys(SERVICE_CHECKS)).toContain(id);
  });
});
