import { describe, expect, it } from 'vitest';
import { parseStatusRule, statusMatches } from '../../shared/http-status';

describe('HTTP status rules', () => {
  const matches = (rule: string, status: number): boolean => {
    const r = parseStatusRule(rule);
    if (!r.ok) throw new Error(r.error);
    return statusMatches(r.value, status);
  };

  it('reads single statuses, families, ranges and lists', () => {
    expect(matches('200', 200)).toBe(true);
    expect(matches('200', 201)).toBe(false);
    expect(matches('2xx', 299)).toBe(true);
    expect(matches('2XX', 300)).toBe(false);
    expect(matches('200-399', 302)).toBe(true);
    expect(matches('200-399', 404)).toBe(false);
    expect(matches('200, 401', 401)).toBe(true);
  });

  it.each(['', '20', '600', '399-200', '6xx', 'ok', '200-', '200,,abc'])('rejects %j', (text) => {
    const r = parseStatusRule(text);
    expect(r.ok).toBe(false);
  });
});
