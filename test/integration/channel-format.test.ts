import { describe, expect, it } from 'vitest';
import { printable, redact, renderText, truncate } from '../../main/core/alerts/channels/format';
import { testAlert } from '../../main/core/alerts/channels/test-alert';

describe('the shared plain-text rendering of alerts', () => {
  it('renders title, body, subjects with host:port and the ISO time', () => {
    const text = renderText({
      id: 'x',
      kind: 'down',
      severity: 'critical',
      tier: 1,
      at: Date.UTC(2026, 0, 2, 3, 4, 5),
      title: 'cache is DOWN',
      body: 'Connection refused.',
      subjects: [
        { monitorId: 'a', name: 'cache', host: '10.0.0.7', port: 6379 },
        { monitorId: 'b', name: 'cache-v6', host: '::1', port: 6379 },
      ],
    });
    expect(text).toBe(
      [
        'cache is DOWN',
        '',
        'Connection refused.',
        '',
        'Affected (2):',
        '- cache (10.0.0.7:6379)',
        '- cache-v6 ([::1]:6379)',
        '',
        'At: 2026-01-02T03:04:05.000Z',
      ].join('\n'),
    );
  });

  it('the test alert says it is a test', () => {
    const a = testAlert(Date.UTC(2026, 0, 1));
    expect(a).toMatchObject({ kind: 'test', severity: 'info', title: 'Portwatch test message', subjects: [] });
    expect(renderText(a)).toContain('Nothing is down');
  });

  it('truncates by code points, marking the cut', () => {
    expect(truncate('abcdef', 10)).toBe('abcdef');
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('😀😀😀😀', 3)).toBe('😀😀…');
  });

  it('printable flattens control characters and whitespace', () => {
    expect(printable('a\r\n\tb\u0000c   d', 100)).toBe('a b c d');
    expect(printable('x'.repeat(300), 10)).toHaveLength(10);
  });

  it('redact removes every occurrence of a secret', () => {
    expect(redact('GET /botSEC/sendMessage SEC', 'SEC')).toBe('GET /bot<redacted>/sendMessage <redacted>');
    expect(redact('nothing', '')).toBe('nothing');
  });
});
