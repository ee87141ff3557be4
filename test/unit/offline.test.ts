import { describe, expect, it } from 'vitest';
import { OfflineDetector } from '../../main/core/offline';
import { isLoopback } from '../../main/core/addresses';

describe('offline detection', () => {
  it('declares offline once when every remote host fails at network level, and online when one answers', () => {
    const d = new OfflineDetector({ windowMs: 60_000, minHosts: 3 });
    d.setHosts(['db.example', 'cache.example', 'mail.example']);
    expect(d.observe('db.example', 'timeout', 1000)).toBeUndefined();
    expect(d.observe('cache.example', 'unreachable', 1100)).toBeUndefined();
    expect(d.observe('mail.example', 'dns', 1200)).toEqual({ kind: 'offline' });
    expect(d.observe('db.example', 'timeout', 2000)).toBeUndefined();
    expect(d.isOffline).toBe(true);
    // A refusal means the packet got there: the network works again.
    expect(d.observe('cache.example', 'refused', 3000)).toEqual({ kind: 'online' });
  });

  it('asks for the hosts not heard from lately before calling it offline', () => {
    const d = new OfflineDetector({ windowMs: 60_000, minHosts: 3 });
    d.setHosts(['a.example', 'b.example', 'c.example', 'web.example']);
    d.observe('a.example', 'timeout', 1000);
    d.observe('b.example', 'timeout', 1000);
    expect(d.observe('c.example', 'timeout', 1000)).toEqual({ kind: 'suspect', unchecked: ['web.example'] });
    expect(d.observe('web.example', 'ok', 1500)).toBeUndefined();
    expect(d.isOffline).toBe(false);
  });

  it('does not call many real outages "offline" while some remote host still answers', () => {
    const d = new OfflineDetector({ windowMs: 60_000, minHosts: 3 });
    d.observe('web.example', 'ok', 1000);
    for (const h of ['a.example', 'b.example', 'c.example', 'd.example'])
      expect(d.observe(h, 'timeout', 1500)).toBeUndefined();
    expect(d.isOffline).toBe(false);
  });

  it('a canary that answers vetoes the verdict; one that fails confirms it', () => {
    const d = new OfflineDetector({ windowMs: 60_000, minHosts: 3 });
    d.observeCanary('ok', 500);
    for (const h of ['a.example', 'b.example', 'c.example']) d.observe(h, 'timeout', 1000);
    expect(d.isOffline).toBe(false);
    expect(d.observeCanary('unreachable', 1500)).toEqual({ kind: 'offline' });
  });

  it('forgets results older than the window and ignores loopback', () => {
    const d = new OfflineDetector({ windowMs: 10_000, minHosts: 3 });
    d.observe('a.example', 'timeout', 0);
    d.observe('b.example', 'timeout', 1000);
    expect(d.observe('c.example', 'timeout', 20_000)).toBeUndefined();
    expect(d.observe('127.0.0.1', 'timeout', 20_001)).toBeUndefined();
    expect(d.isOffline).toBe(false);
    expect(isLoopback('::1')).toBe(true);
    for (const same of ['localhost.', 'LOCALHOST', '::ffff:127.0.0.1', '[::1]', '0:0:0:0:0:0:0:1'])
      expect(isLoopback(same), same).toBe(true);
    expect(isLoopback('::ffff:10.0.0.1')).toBe(false);
    expect(isLoopback('localhost')).toBe(true);
    expect(isLoopback('10.0.0.1')).toBe(false);
  });
});
