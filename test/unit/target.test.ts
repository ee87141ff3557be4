import { describe, expect, it } from 'vitest';
import { parseTarget } from '../../main/cli/target';

describe('parseTarget', () => {
  it.each([
    ['127.0.0.1:5432', { kind: 'tcp', host: '127.0.0.1', port: 5432 }],
    ['db.internal:6379', { kind: 'tcp', host: 'db.internal', port: 6379 }],
    ['[::1]:22', { kind: 'tcp', host: '::1', port: 22 }],
    ['tcp://cache:11211', { kind: 'tcp', host: 'cache', port: 11211 }],
    ['tls://mail.example.com:465', { kind: 'tls', host: 'mail.example.com', port: 465 }],
    ['https://example.com/health', { kind: 'http', host: 'example.com', port: 443, url: 'https://example.com/health' }],
    ['http://[::1]:8080/', { kind: 'http', host: '::1', port: 8080, url: 'http://[::1]:8080/' }],
  ])('reads %s', (text, expected) => {
    expect(parseTarget(text)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', /no target/],
    ['host:0', /got 0/],
    ['host:65536', /got 65536/],
    ['host:-1', /whole number/],
    ['-bad-.com:80', /not a valid host name/],
    ['a..b:80', /not a valid host name/],
    ['[not-v6]:80', /not an IPv6 address/],
    ['gopher://host:70', /unsupported scheme/],
    ['tls://host', /has no port/],
    ['https://host:0/', /got 0/],
  ])('rejects %j with a message naming the problem', (text, message) => {
    const parsed = parseTarget(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });
});
