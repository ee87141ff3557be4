import { describe, expect, it } from 'vitest';
import { exposureFinding } from '../../main/core/exposure';
import { isPublicAddress } from '../../main/core/addresses';

// The resolved address is injected: no test ever connects to a public address.
describe('exposure warnings', () => {
  it.each([
    ['203.0.113.10', true],
    ['8.8.8.8', true],
    ['2001:db8::5', true],
    ['::ffff:198.51.100.7', true],
    ['10.1.2.3', false],
    ['172.20.0.4', false],
    ['192.168.1.9', false],
    ['100.64.3.2', false],
    ['127.0.0.1', false],
    ['169.254.0.1', false],
    ['::1', false],
    ['fd12:3456::1', false],
    ['fe80::1', false],
    ['::ffff:10.0.0.1', false],
  ])('%s is public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it('flags a database, cache, queue or search port answering on a public address, with advice', () => {
    expect(exposureFinding(5432, '203.0.113.10')).toBe(
      'PostgreSQL answers on the public address 203.0.113.10:5432: restrict it to the app servers and this monitor (firewall rule or bind address)',
    );
    for (const port of [3306, 6379, 27017, 9200, 11211, 5672])
      expect(exposureFinding(port, '198.51.100.1')).toMatch(/public address/);
  });

  it('names the service by its check when it runs on another port', () => {
    expect(exposureFinding(6380, '203.0.113.10', 'redis')).toMatch(
      /^Redis answers on the public address 203\.0\.113\.10:6380/,
    );
  });

  it('stays quiet for web and mail ports, and for private addresses', () => {
    expect(exposureFinding(443, '203.0.113.10')).toBeUndefined();
    expect(exposureFinding(25, '203.0.113.10')).toBeUndefined();
    expect(exposureFinding(5432, '10.0.0.5')).toBeUndefined();
    expect(exposureFinding(5432, undefined)).toBeUndefined();
  });
});
